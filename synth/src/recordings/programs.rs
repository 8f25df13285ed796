//! What the commands people type in the demo print: plausible output for every command the
//! scenario types (coloured where the tool colours a terminal), with the time it takes.

use super::bash::{Bash, Os};
use super::logs;
use super::tty::Tty;
use crate::timefmt::{Nanos, DAY, SECOND};

/// Output lines end in `\r\n` on a terminal (the PTY's `onlcr`).
pub fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

/// Runs a typed command line after Return: sudo's prompt if it needs one, then the output.
pub fn run(tty: &mut Tty, bash: &mut Bash, line: &str) {
    let (sudo, command) = strip_sudo(line);
    if sudo {
        bash.sudo(tty);
    }
    tty.pause(3, 40);
    let host = bash.host.clone();
    let now = tty.now;
    let text = match command {
        "uptime" => uptime(tty, now, &host),
        "hostname" => format!("{host}\n"),
        "id" => id(&bash.login),
        "uname -a" => match bash.os {
            Os::Ubuntu { kernel, .. } => format!(
                "Linux {host} {kernel} #107-Ubuntu SMP Wed Feb 7 13:26:48 UTC 2024 x86_64 x86_64 x86_64 GNU/Linux\n"
            ),
            Os::AmazonLinux => format!(
                "Linux {host} {} #1 SMP Mon Feb 8 18:28:52 UTC 2021 x86_64 x86_64 x86_64 GNU/Linux\n",
                bash.os.kernel()
            ),
        },
        "cat /etc/passwd" => PASSWD.to_owned(),
        "free -m" => FREE.to_owned(),
        "df -h" => df(&host, None),
        "df -h /" => df(&host, Some("/")),
        "df -h /var/lib/postgresql" => df(&host, Some("/var/lib/postgresql")),
        "ps aux --sort=-%cpu | head" => PS.to_owned(),
        "top -b -n 1 | head -20" => top_batch(tty, now, &host),
        "w" => w(&bash.login, now, &host),
        "last -n 20" => last(tty, now),
        "ls -la /var/www/shop" => ls_shop(),
        "ls /srv/builds" => ls_builds(),
        "ls /var/spool/jobs | wc -l" => format!("{}\n", tty.rng.range(0, 40)),
        "git -C /srv/app log -3 --oneline" => GIT_3.to_owned(),
        "docker ps" => DOCKER_PS.to_owned(),
        "docker images | head" => DOCKER_IMAGES.to_owned(),
        "docker logs --tail 100 api" => logs::docker_api(&mut tty.rng, now, 100),
        "curl -s localhost:8080/healthz" => {
            // No newline: the next prompt starts right after the JSON.
            r#"{"status":"ok","version":"2.14.3","db":"ok","cache":"ok"}"#.to_owned()
        }
        "curl -s localhost:9090/-/healthy" => "Prometheus Server is Healthy.\n".to_owned(),
        "tail -n 200 /var/log/nginx/error.log" => logs::nginx_errors(&mut tty.rng, now, 200),
        "tail -n 100 /var/log/postgresql/postgresql-14-main.log" => logs::postgres(&mut tty.rng, now, 100),
        "tail -n 200 /var/log/postgresql/postgresql-14-main.log" => logs::postgres(&mut tty.rng, now, 200),
        "tail /var/log/auth.log" => logs::auth_log(&mut tty.rng, now, &host, 10),
        "journalctl -u api --since -1h --no-pager" => logs::journal(&mut tty.rng, now, &host, "api", 30),
        "journalctl -u worker -n 50 --no-pager" => logs::journal(&mut tty.rng, now, &host, "worker", 50),
        "journalctl -u kubelet -n 50 --no-pager" => logs::journal(&mut tty.rng, now, &host, "kubelet", 50),
        "systemctl status nginx" => {
            status(tty, now, &host, "nginx", "A high performance web server and a reverse proxy server")
        }
        "systemctl status worker" => status(tty, now, &host, "worker", "acme job worker"),
        "systemctl status prometheus" => {
            status(tty, now, &host, "prometheus", "Monitoring system and time series database")
        }
        "systemctl status postgresql" => status(tty, now, &host, "postgresql", "PostgreSQL RDBMS"),
        "crictl ps" => CRICTL.to_owned(),
        "du -sh /var/lib/docker" => {
            tty.pause(3_000, 9_000);
            "41G\t/var/lib/docker\n".to_owned()
        }
        "iostat -x 1 3" => return iostat(tty, &host, bash.os.kernel()),
        c if c.starts_with("-u postgres psql -c ") => psql(c),
        // Silent on success, or builtins.
        _ => String::new(),
    };
    tty.out_stream(crlf(&text));
}

/// `("sudo", rest)`; `-u postgres` stays with the command, which needs it.
fn strip_sudo(line: &str) -> (bool, &str) {
    match line.strip_prefix("sudo ") {
        Some(rest) => (true, rest),
        None => (false, line),
    }
}

fn clock(t: Nanos) -> String {
    let s = t.rem_euclid(DAY) / SECOND;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// `up 41 days,  3:12`: each machine was booted at its own fixed time.
fn up(now: Nanos, host: &str) -> String {
    let hash = host.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let booted = now.div_euclid(DAY) * DAY - (hash % (80 * 86_400) + 3 * 86_400) as i64 * SECOND;
    let minutes = (now - booted) / SECOND / 60;
    format!("up {} days, {:2}:{:02}", minutes / 1_440, minutes / 60 % 24, minutes % 60)
}

fn uptime(tty: &mut Tty, now: Nanos, host: &str) -> String {
    let load: Vec<String> = (0..3).map(|_| format!("{}.{:02}", tty.rng.range(0, 2), tty.rng.below(100))).collect();
    let users = tty.rng.range(1, 4);
    format!(
        " {} {},  {users} user{},  load average: {}\n",
        clock(now),
        up(now, host),
        if users == 1 { "" } else { "s" },
        load.join(", ")
    )
}

fn id(login: &str) -> String {
    match login {
        "root" => "uid=0(root) gid=0(root) groups=0(root)\n".into(),
        "postgres" => "uid=113(postgres) gid=119(postgres) groups=119(postgres),118(ssl-cert)\n".into(),
        _ => format!(
            "uid=1000({login}) gid=1000({login}) groups=1000({login}),4(adm),24(cdrom),27(sudo),30(dip),46(plugdev),110(lxd)\n"
        ),
    }
}

fn df(host: &str, only: Option<&str>) -> String {
    let mut rows = vec![
        ("tmpfs", "796M", "1.1M", "795M", "1%", "/run"),
        ("/dev/nvme0n1p1", "97G", "41G", "57G", "42%", "/"),
        ("tmpfs", "3.9G", "0", "3.9G", "0%", "/dev/shm"),
        ("tmpfs", "5.0M", "0", "5.0M", "0%", "/run/lock"),
        ("/dev/nvme0n1p15", "105M", "6.1M", "99M", "6%", "/boot/efi"),
    ];
    if host.starts_with("db-") {
        rows.insert(2, ("/dev/nvme1n1", "493G", "318G", "150G", "68%", "/var/lib/postgresql"));
    }
    rows.push(("tmpfs", "796M", "4.0K", "796M", "1%", "/run/user/1000"));
    let mut out = String::from("Filesystem       Size  Used Avail Use% Mounted on\n");
    for (fs, size, used, avail, pct, mount) in rows {
        if only.is_none_or(|m| m == mount) {
            out.push_str(&format!("{fs:<16} {size:>5} {used:>5} {avail:>5} {pct:>4} {mount}\n"));
        }
    }
    out
}

fn top_batch(tty: &mut Tty, now: Nanos, host: &str) -> String {
    let mut out = format!(
        "top - {} {},  1 user,  load average: 0.{:02}, 0.{:02}, 0.40\n\
         Tasks: 187 total,   1 running, 186 sleeping,   0 stopped,   0 zombie\n\
         %Cpu(s):  {}.{} us,  1.2 sy,  0.0 ni, 91.9 id,  0.3 wa,  0.0 hi,  0.2 si,  0.0 st\n\
         MiB Mem :   7941.3 total,    412.6 free,   3121.8 used,   4406.9 buff/cache\n\
         MiB Swap:      0.0 total,      0.0 free,      0.0 used.   4512.2 avail Mem \n\n\
         \x20   PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n",
        clock(now),
        up(now, host),
        tty.rng.below(100),
        tty.rng.below(100),
        tty.rng.range(2, 9),
        tty.rng.below(10)
    );
    for (pid, user, command) in TOP_PROCESSES.iter().take(13) {
        out.push_str(&format!(
            "{pid:>7} {user:<9} 20   0 {:>7} {:>6} {:>6} S {:>5.1} {:>5.1} {:>3}:{:02}.{:02} {command}\n",
            tty.rng.range(10_000, 2_500_000),
            tty.rng.range(4_000, 900_000),
            tty.rng.range(2_000, 60_000),
            tty.rng.below(250) as f64 / 10.0,
            tty.rng.below(120) as f64 / 10.0,
            tty.rng.below(300),
            tty.rng.below(60),
            tty.rng.below(100)
        ));
    }
    out
}

pub const TOP_PROCESSES: [(u32, &str, &str); 14] = [
    (2211, "app", "api"),
    (1021, "root", "dockerd"),
    (873, "root", "containerd"),
    (1187, "root", "teleport"),
    (1, "root", "systemd"),
    (412, "root", "systemd-journal"),
    (655, "systemd+", "systemd-resolve"),
    (902, "root", "node_exporter"),
    (1455, "www-data", "nginx"),
    (731, "syslog", "rsyslogd"),
    (3312, "app", "worker"),
    (998, "root", "snapd"),
    (1302, "root", "kubelet"),
    (1560, "root", "fluent-bit"),
];

fn w(login: &str, now: Nanos, host: &str) -> String {
    format!(
        " {} {},  2 users,  load average: 0.08, 0.12, 0.10\n\
         USER     TTY      FROM             LOGIN@   IDLE   JCPU   PCPU WHAT\n\
         {login:<8} pts/0    10.0.0.9         {}    0.00s  0.04s  0.00s w\n\
         alice    pts/1    10.0.0.12        08:02    1:13m  0.11s  0.11s -bash\n",
        clock(now),
        up(now, host),
        &clock(now)[..5]
    )
}

fn last(tty: &mut Tty, now: Nanos) -> String {
    let mut out = String::new();
    let users = ["alice", "bob", "frank", "judy", "grace", "ivan"];
    let mut t = now;
    for i in 0..20 {
        t -= tty.rng.range(600, 30_000) * SECOND;
        let user = users[tty.rng.below(users.len() as u64) as usize];
        let when = logs::syslog_time(t);
        let state = if i == 0 {
            "still logged in".to_owned()
        } else {
            format!("- {}  (00:{:02})", &clock(t + 1_800 * SECOND)[..5], tty.rng.range(1, 59))
        };
        out.push_str(&format!(
            "{user:<8} pts/{:<5} 10.0.{}.{:<9} {} {state}\n",
            i % 4,
            tty.rng.range(0, 3),
            tty.rng.range(2, 250),
            &when[..12]
        ));
    }
    out.push_str("\nwtmp begins Fri Mar  1 00:00:02 2024\n");
    out
}

/// GNU ls colours (`LS_COLORS` defaults): directories bold blue, executables bold green,
/// archives bold red, links bold cyan.
pub fn ls_colour(name: &str, kind: char) -> String {
    let code = match kind {
        'd' => "01;34",
        'x' => "01;32",
        'z' => "01;31",
        'l' => "01;36",
        _ => return name.to_owned(),
    };
    format!("\x1b[0m\x1b[{code}m{name}\x1b[0m")
}

fn ls_shop() -> String {
    let entries = [
        ("drwxr-xr-x", 6, "www-data", 4096, "Mar  8 14:02", ".", 'd'),
        ("drwxr-xr-x", 4, "root", 4096, "Jan 19  2023", "..", 'd'),
        ("-rw-r--r--", 1, "www-data", 512, "Mar  8 14:02", ".env.production", '-'),
        ("drwxr-xr-x", 3, "www-data", 4096, "Mar  8 14:02", "assets", 'd'),
        ("-rw-r--r--", 1, "www-data", 1150, "Mar  8 14:02", "favicon.ico", '-'),
        ("-rw-r--r--", 1, "www-data", 4021, "Mar  8 14:02", "index.html", '-'),
        ("lrwxrwxrwx", 1, "root", 28, "Mar  8 14:02", "current -> /srv/app/releases/2024-03-08-1", 'l'),
        ("drwxr-xr-x", 2, "www-data", 4096, "Mar  8 14:02", "static", 'd'),
    ];
    let mut out = String::from("total 32\n");
    for (mode, links, owner, size, date, name, kind) in entries {
        out.push_str(&format!("{mode} {links} {owner:<8} {owner:<8} {size:>5} {date} {}\n", ls_colour(name, kind)));
    }
    out
}

fn ls_builds() -> String {
    let names = ["2024-03-08-1", "2024-03-11-0", "2024-03-11-1", "cache", "nightly"];
    let coloured: Vec<String> = names.iter().map(|n| ls_colour(n, 'd')).collect();
    format!("{}\n", coloured.join("  "))
}

fn status(tty: &mut Tty, now: Nanos, host: &str, unit: &str, description: &str) -> String {
    let pid = 900 + tty.rng.below(2000);
    let since = now - tty.rng.range(2, 20) * DAY - tty.rng.range(0, 86_400) * SECOND;
    let mut out = format!(
        "\x1b[0;1;32m●\x1b[0m {unit}.service - {description}\n\
         \x20    Loaded: loaded (/lib/systemd/system/{unit}.service; enabled; vendor preset: enabled)\n\
         \x20    Active: \x1b[0;1;32mactive (running)\x1b[0m since {} UTC; {} days ago\n\
         \x20  Main PID: {pid} ({unit})\n\
         \x20     Tasks: {} (limit: 9387)\n\
         \x20    Memory: {}.{}M\n\
         \x20       CPU: {}min {}.{:03}s\n\
         \x20    CGroup: /system.slice/{unit}.service\n\
         \x20            └─{pid} /usr/sbin/{unit}\n\n",
        logs::syslog_time(since),
        (now - since) / DAY,
        tty.rng.range(2, 30),
        tty.rng.range(10, 900),
        tty.rng.below(10),
        tty.rng.range(1, 90),
        tty.rng.range(0, 59),
        tty.rng.below(1000)
    );
    let started = since + tty.rng.range(1, 3) * SECOND;
    out.push_str(&format!("{} {host} systemd[1]: Starting {description}...\n", logs::syslog_time(since)));
    out.push_str(&format!("{} {host} systemd[1]: Started {description}.\n", logs::syslog_time(started)));
    if unit == "nginx" {
        let reloaded = now - tty.rng.range(2, 3_000) * SECOND;
        out.push_str(&format!("{} {host} systemd[1]: Reloading {description}...\n", logs::syslog_time(reloaded)));
        out.push_str(&format!("{} {host} systemd[1]: Reloaded {description}.\n", logs::syslog_time(reloaded)));
    }
    out
}

fn psql(command: &str) -> String {
    if command.contains("count(*)") {
        " count \n-------\n    37\n(1 row)\n\n".into()
    } else {
        "  pid  |        state        |                                 query\n\
         -------+---------------------+-----------------------------------------------------------------------\n \
         48213 | active              | select pid, state, query from pg_stat_activity\n \
         47102 | idle                | COMMIT\n \
         46655 | idle in transaction | UPDATE orders SET status = 'refunded' WHERE id = 84213\n \
         45110 | active              | SELECT id, status FROM orders WHERE created_at > now() - interval '1 hour'\n \
         44987 | idle                | \n\
         (5 rows)\n\n"
            .into()
    }
}

/// Three reports a second apart, as `iostat -x 1 3` prints them.
fn iostat(tty: &mut Tty, host: &str, kernel: &str) {
    let (y, m, d) = crate::timefmt::civil_from_days(tty.now.div_euclid(DAY));
    tty.out(crlf(&format!("Linux {kernel} ({host}) \t{m:02}/{d:02}/{y}\t_x86_64_\t(4 CPU)\n\n")));
    for i in 0..3 {
        if i > 0 {
            tty.wait(SECOND);
            tty.pause(0, 4);
        }
        let mut report = format!(
            "avg-cpu:  %user   %nice %system %iowait  %steal   %idle\n           {:>5.2}    0.00    1.21    {:>4.2}    0.00   {:>5.2}\n\n\
             Device            r/s     rkB/s   rrqm/s  %rrqm r_await rareq-sz     w/s     wkB/s   wrqm/s  %wrqm w_await wareq-sz  aqu-sz  %util\n",
            tty.rng.range(200, 900) as f64 / 100.0,
            tty.rng.range(10, 400) as f64 / 100.0,
            tty.rng.range(8_000, 9_500) as f64 / 100.0
        );
        for dev in ["nvme0n1", "nvme1n1"] {
            report.push_str(&format!(
                "{dev:<12} {:>8.2} {:>9.2}     0.00   0.00    0.{:02}    {:>5.2} {:>7.2} {:>9.2}    12.00  {:>5.2}    1.{:02}    {:>5.2}    0.{:02}  {:>5.2}\n",
                tty.rng.range(0, 40_000) as f64 / 100.0,
                tty.rng.range(0, 900_000) as f64 / 100.0,
                tty.rng.below(100),
                tty.rng.range(400, 3_200) as f64 / 100.0,
                tty.rng.range(0, 90_000) as f64 / 100.0,
                tty.rng.range(0, 900_000) as f64 / 100.0,
                tty.rng.range(0, 4_000) as f64 / 100.0,
                tty.rng.below(100),
                tty.rng.range(400, 3_200) as f64 / 100.0,
                tty.rng.below(100),
                tty.rng.range(0, 6_000) as f64 / 100.0,
            ));
        }
        report.push('\n');
        tty.out_stream(crlf(&report));
    }
}

const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
systemd-network:x:100:102:systemd Network Management,,,:/run/systemd:/usr/sbin/nologin
systemd-resolve:x:101:103:systemd Resolver,,,:/run/systemd:/usr/sbin/nologin
messagebus:x:102:105::/nonexistent:/usr/sbin/nologin
syslog:x:104:111::/home/syslog:/usr/sbin/nologin
_apt:x:105:65534::/nonexistent:/usr/sbin/nologin
sshd:x:109:65534::/run/sshd:/usr/sbin/nologin
ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash
app:x:1001:1001:acme app,,,:/srv/app:/bin/bash
deploy:x:1002:1002:deploy bot,,,:/home/deploy:/bin/bash
postgres:x:113:119:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash
";

const FREE: &str = "               total        used        free      shared  buff/cache   available
Mem:            7941        3121         412          18        4407        4512
Swap:              0           0           0
";

const PS: &str = "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND
app         2211 23.4 11.8 2461312 962344 ?     Ssl  Feb26 4721:12 /app/api --config /etc/api/config.yaml
root        1021  3.1  1.2 2087712 98212 ?      Ssl  Feb26 624:40 /usr/bin/dockerd -H fd://
root        1187  1.9  1.6 1561836 131072 ?     Ssl  Feb26 388:02 /usr/local/bin/teleport start --config=/etc/teleport.yaml
root         873  0.8  0.6 1877124 50312 ?      Ssl  Feb26 161:55 /usr/bin/containerd
root         902  0.4  0.2 727948 21460 ?       Ssl  Feb26  80:17 /usr/local/bin/node_exporter
www-data    1455  0.2  0.1  56712  9840 ?       S    Feb26  41:09 nginx: worker process
root         412  0.1  0.9 114232 74812 ?       S<s  Feb26  19:44 /lib/systemd/systemd-journald
syslog       731  0.0  0.0 222404  5464 ?       Ssl  Feb26   9:12 /usr/sbin/rsyslogd -n -iNONE
root           1  0.0  0.1 167504 12744 ?       Ss   Feb26   6:03 /sbin/init
";

/// git's default colours: yellow hashes, cyan HEAD, green local and red remote branches.
const GIT_3: &str = "\x1b[33m9c41e7b\x1b[m\x1b[33m (\x1b[m\x1b[1;36mHEAD -> \x1b[m\x1b[1;32mmain\x1b[m\x1b[33m, \x1b[m\x1b[1;31morigin/main\x1b[m\x1b[33m)\x1b[m checkout: retry payment capture on 502
\x1b[33m51d0a2f\x1b[m orders: index created_at for the hourly report
\x1b[33m0b7e3c9\x1b[m Bump shop-api to 2.14.3
";

const DOCKER_PS: &str = "CONTAINER ID   IMAGE                               COMMAND                  CREATED      STATUS                PORTS                    NAMES
4f1c2a9e8b7d   registry.acme.io/shop-api:2.14.3    \"/app/api --config /…\"   5 days ago   Up 5 days (healthy)   0.0.0.0:8080->8080/tcp   api
9a2b7c1d0e3f   registry.acme.io/shop-jobs:2.14.3   \"/app/worker\"            5 days ago   Up 5 days                                      jobs
17c0d9e2a4b6   fluent/fluent-bit:2.2.2             \"/fluent-bit/bin/flu…\"   3 weeks ago  Up 3 weeks            2020/tcp                 fluent-bit
c3e8f1a9b2d4   prom/node-exporter:v1.7.0           \"/bin/node_exporter\"     3 weeks ago  Up 3 weeks            0.0.0.0:9100->9100/tcp   node-exporter
";

const DOCKER_IMAGES: &str = "REPOSITORY                   TAG       IMAGE ID       CREATED        SIZE
registry.acme.io/shop-api    2.14.3    6b1f0c2d9e8a   5 days ago     88.4MB
registry.acme.io/shop-api    2.14.2    d2e9a7b3c1f0   12 days ago    88.1MB
registry.acme.io/shop-jobs   2.14.3    0e4c8b2a7f91   5 days ago     91.7MB
registry.acme.io/builder     latest    a81f3d0c6b5e   2 weeks ago    1.21GB
golang                       1.22      7c3b2e1f9a04   3 weeks ago    814MB
node                         20-slim   f0a9c8b7e6d5   4 weeks ago    201MB
postgres                     14        b2d4f6a8c0e1   5 weeks ago    417MB
";

const CRICTL: &str = "CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD
8d2f1c0b9a7e6       6b1f0c2d9e8a5       2 days ago          Running             shop-api            0                   f1e2d3c4b5a69       shop-api-7d9f8b6c5-x2k4p
3a4b5c6d7e8f9       0e4c8b2a7f91b       2 days ago          Running             jobs                3                   0a9b8c7d6e5f4       shop-jobs-5c7b9d8f6-q8r2m
b7c8d9e0f1a2b       a4c1e9f3b2d80       3 weeks ago         Running             kube-proxy          0                   c2d3e4f5a6b71       kube-proxy-9xw7z
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recordings::bash::Os;
    use crate::rng::Rng;
    use crate::scenario::actions::shell_commands;

    /// Every command the scenario types prints something sensible (or, for the few that are
    /// silent on success, nothing), and never a bare `\n`.
    #[test]
    fn scenario_commands_have_output() {
        let silent = ["sudo systemctl reload nginx"];
        for role in ["web", "api", "db", "worker", "build", "k8s", "bastion", "monitoring", "other"] {
            for line in shell_commands(role) {
                let mut tty = Tty::new(0, (80, 24), Vec::new(), Rng::new(4));
                // As root: no sudo prompt, so silent commands print nothing at all.
                let mut bash = Bash::new("root", "web-01", Os::of(2024, "root"));
                run(&mut tty, &mut bash, line);
                let out: Vec<u8> = tty.into_prints().into_iter().flat_map(|p| p.1).collect();
                assert_eq!(out.is_empty(), silent.contains(line), "{line}");
                let lone_lf = out.iter().enumerate().any(|(i, &b)| b == b'\n' && (i == 0 || out[i - 1] != b'\r'));
                assert!(!lone_lf, "{line}");
            }
        }
    }
}
