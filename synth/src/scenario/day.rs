//! The ordinary rhythm of a day: people work weekdays in their own time zone (a few on call at
//! weekends), log in once in the morning, then open shells, run commands, copy files, forward
//! ports, use Kubernetes and databases according to their job; bots run around the clock.

use super::actions::{self, Access, Shell};
use super::org::Job;
use super::Sim;
use crate::timefmt::{weekday, Nanos, DAY, HOUR, MILLI, MINUTE, SECOND};
use crate::version::Version;

/// Terminal sizes people actually have.
const SIZES: [(u16, u16); 6] = [(80, 24), (120, 40), (160, 48), (204, 55), (238, 62), (100, 30)];

const EXEC_COMMANDS: [&str; 8] = [
    "uptime",
    "systemctl is-active app",
    "cat /etc/os-release",
    "docker ps --format '{{.Names}}'",
    "journalctl -u app --since -1h --no-pager | tail -50",
    "ls /srv/app/releases",
    "df -h /",
    "sudo systemctl restart app",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Shell,
    Exec,
    Transfer,
    Port,
    Kube,
    Db,
    Admin,
    X11,
    Unmodelled,
}

/// Simulates the calendar day `day` (days since 1970-01-01) for `users`. `intensity` scales how
/// much each person does (1.0 = a normal working day).
pub fn simulate_day(sim: &mut Sim<'_>, day: i64, users: &[usize], intensity: f64) {
    for &u in users {
        if sim.user(u).is_bot() {
            bot_day(sim, u, day);
        } else {
            person_day(sim, u, day, intensity);
        }
    }
}

fn person_day(sim: &mut Sim<'_>, u: usize, day: i64, intensity: f64) {
    let user = sim.user(u);
    let local_midnight = day * DAY - user.tz_minutes * MINUTE;
    let weekend = weekday(day) >= 5;
    let on_call = matches!(user.job, Job::Ops | Job::Admin);
    let works =
        if weekend { sim.rng.chance(if on_call { 0.12 } else { 0.03 }) } else { sim.rng.chance(user.diligence) };
    if !works {
        return;
    }
    let (begin, finish) = if weekend {
        let b = sim.rng.range(10 * 60, 20 * 60) * MINUTE;
        (b, b + sim.rng.range(20, 120) * MINUTE)
    } else {
        let b = (sim.rng.normal(9.0 * 60.0, 35.0) as i64) * MINUTE;
        (b, (sim.rng.normal(17.5 * 60.0, 50.0) as i64) * MINUTE)
    };
    let ip = if sim.rng.chance(0.4) { sim.org.office_ip } else { user.home_ip };
    // Nobody logs in on the minute.
    let begin = begin + sim.rng.range(0, 60_000) * MILLI;
    let Some(ready) = actions::daily_login(sim, u, ip, local_midnight + begin) else {
        return;
    };
    let finish = local_midnight + finish;
    if user.job == Job::Contractor && sim.version >= Version::V4_2 && sim.rng.chance(0.3) {
        if let Some(reviewer) = sim.org.users.iter().position(|r| r.job == Job::Admin) {
            let ticket = sim.rng.range(1000, 9999);
            actions::access_request(sim, u, reviewer, ready, &format!("OPS-{ticket}: fix failing nightly export"));
        }
    }
    let wanted = if weekend { sim.rng.range(1, 4) as f64 } else { sim.rng.normal(6.0, 2.5).max(1.0) * intensity };
    let count = (wanted.round() as i64).clamp(1, 60);
    let mut times: Vec<Nanos> = (0..count).map(|_| sim.rng.range(ready, finish.max(ready + MINUTE))).collect();
    times.sort_unstable();
    for t in times {
        let action = pick_action(sim, user.job);
        person_action(sim, u, ip, t, action);
    }
}

fn pick_action(sim: &mut Sim<'_>, job: Job) -> Action {
    use Action::*;
    const ACTIONS: [Action; 9] = [Shell, Exec, Transfer, Port, Kube, Db, Admin, X11, Unmodelled];
    let v = sim.version;
    let since = |major: u16, weight: u32| {
        if v >= Version::new(major, 0, 0) {
            weight
        } else {
            0
        }
    };
    let (kube, db, admin, x11, new) = (since(5, 10), since(6, 50), since(4, 15), since(7, 1), since(15, 1));
    // Shell, Exec, Transfer, Port, Kube, Db, Admin, X11, Unmodelled.
    #[rustfmt::skip]
    let row: [u32; 9] = match job {
        Job::Dev =>        [45, 25, 10, 8, kube, 0,  0,     x11, new],
        Job::Ops =>        [50, 25, 5,  5, kube, 0,  0,     x11, new],
        Job::Dba =>        [30, 10, 3, 10, 0,    db, 0,     0,   0],
        Job::Contractor => [70, 20, 10, 0, 0,    0,  0,     0,   0],
        Job::Admin =>      [50, 20, 2,  2, 0,    0,  admin, 0,   new],
        Job::Security | Job::Bot => [40, 20, 0, 0, 0, 0, 0, 0,   new],
    };
    let weights: [(Action, u32); 9] = std::array::from_fn(|i| (ACTIONS[i], row[i]));
    *sim.rng.weighted(&weights)
}

fn person_action(sim: &mut Sim<'_>, u: usize, ip: [u8; 4], t: Nanos, action: Action) {
    let user = sim.user(u);
    let node = if user.nodes.is_empty() || sim.rng.chance(0.08) {
        sim.rng.below(sim.org.nodes.len() as u64) as usize
    } else {
        *sim.rng.pick(&user.nodes)
    };
    let login = if sim.rng.chance(0.7) { user.logins[0] } else { *sim.rng.pick(&user.logins) };
    match action {
        Action::Shell => {
            let mut t = t;
            if sim.rng.chance(0.025) {
                // Asked for a login the certificate does not allow, then used a proper one.
                let wrong = if login == "root" { "admin" } else { "root" };
                let client = (ip, sim.ephemeral_port());
                let error = if sim.rng.chance(0.8) {
                    actions::principal_error(
                        wrong,
                        &user.logins.iter().copied().filter(|l| *l != wrong).collect::<Vec<_>>(),
                    )
                } else {
                    "ssh: cert has expired".to_owned()
                };
                actions::node_auth_failure(sim, (&user.name).into(), wrong, node, client, t, error);
                t += sim.rng.range(5, 60) * SECOND;
            }
            if sim.version >= Version::V15 && login == "root" {
                t = actions::session_mfa(sim, u, t);
            }
            let plan = ordinary_shell(sim, u, node, login, ip, t);
            actions::shell(sim, plan);
        }
        Action::Exec => {
            let command = *sim.rng.pick(&EXEC_COMMANDS);
            let exit = *sim.rng.weighted(&[(0, 94), (1, 4), (127, 2)]);
            actions::exec(sim, Access { user: u, node, login, ip }, t, command, exit);
        }
        Action::Transfer => {
            let upload = sim.rng.chance(0.6);
            let ok = sim.rng.chance(0.96);
            actions::transfer(sim, Access { user: u, node, login, ip }, t, upload, ok);
        }
        Action::Port => {
            let ok = sim.rng.chance(0.88);
            actions::port_forward(sim, Access { user: u, node, login, ip }, t, ok);
        }
        Action::Kube => {
            actions::kube_requests(sim, u, ip, t);
        }
        Action::Db => {
            actions::db_session(sim, u, ip, t);
        }
        Action::Admin => actions::admin_change(sim, u, t),
        Action::X11 => {
            let ok = sim.rng.chance(0.6);
            actions::x11_forward(sim, Access { user: u, node, login, ip }, t, ok);
        }
        Action::Unmodelled => actions::unmodelled_event(sim, u, t),
    }
}

/// A normal working shell: a few commands typed over its life, sometimes a colleague joins,
/// rarely the node dies under it.
pub fn ordinary_shell(sim: &mut Sim<'_>, u: usize, node: usize, login: &'static str, ip: [u8; 4], t: Nanos) -> Shell {
    let duration = sim.rng.skewed(20, 6 * 60, 150 * 60) * SECOND + sim.rng.range(0, 999) * 1_000_000;
    let role = sim.node(node).role;
    let choices = actions::shell_commands(role);
    let typed = sim.rng.range(1, 7);
    let mut commands: Vec<(Nanos, String)> = (0..typed)
        .map(|_| (sim.rng.range(2 * SECOND, duration.max(3 * SECOND)), (*sim.rng.pick(choices)).to_owned()))
        .collect();
    commands.sort_by_key(|c| c.0);
    // Now and then a colleague (never a bot) joins.
    let mut joiner = None;
    if sim.rng.chance(0.06) {
        for _ in 0..8 {
            let j = sim.rng.below(sim.org.users.len() as u64) as usize;
            if j != u && !sim.user(j).is_bot() {
                joiner = Some(j);
                break;
            }
        }
    }
    Shell {
        user: u,
        node,
        login,
        client: ip,
        start: t,
        duration,
        size: *sim.rng.pick(&SIZES),
        joiner,
        crash: sim.rng.chance(0.02),
        commands,
        extra: Vec::new(),
    }
}

fn bot_day(sim: &mut Sim<'_>, u: usize, day: i64) {
    let user = sim.user(u);
    let start = day * DAY;
    let machine_id = sim.version >= Version::new(12, 0, 0);
    if machine_id {
        let at = start + sim.rng.range(60_000, 600_000) * MILLI;
        actions::bot_join(sim, u, at);
    }
    let ip = user.home_ip;
    if user.name.contains("backup") {
        // Nightly database dump, then fetch it.
        let t = start + HOUR + sim.rng.range(25 * 60_000, 40 * 60_000) * MILLI;
        let db = sim.org.nodes.iter().position(|n| n.role == "db").unwrap_or(0);
        let backup = Access { user: u, node: db, login: "backup", ip };
        if machine_id {
            let at = t - sim.rng.range(5, 50) * SECOND;
            actions::cert_create(sim, u, at);
        }
        let dump = format!("pg_dump -Fc shop -f /backup/shop-{}.dump", crate::timefmt::date(day));
        let exit = if sim.rng.chance(0.03) { 1 } else { 0 };
        let done = actions::exec(sim, backup, t, &dump, exit);
        if exit == 0 {
            actions::transfer(sim, backup, done + 2 * SECOND, false, true);
        }
        return;
    }
    // CI deploys what was merged: a few times on working days, a nightly build at weekends;
    // it renews its certificate before each run.
    let targets: Vec<usize> = user.nodes.iter().copied().take(3).collect();
    let runs: Vec<Nanos> = if weekday(day) < 5 {
        (0..sim.rng.range(3, 6)).map(|_| start + sim.rng.range(8 * HOUR, 20 * HOUR)).collect()
    } else {
        vec![start + 3 * HOUR + sim.rng.range(0, 20 * MINUTE)]
    };
    for (slot, t) in runs.into_iter().enumerate() {
        if machine_id {
            let at = t - sim.rng.range(5, 50) * SECOND;
            actions::cert_create(sim, u, at);
        }
        let release = format!("/opt/deploy/bin/deploy --release {}-{slot}", crate::timefmt::date(day));
        let mut at = t;
        for &n in &targets {
            let exit = if sim.rng.chance(0.03) { 1 } else { 0 };
            at = actions::exec(sim, Access { user: u, node: n, login: "deploy", ip }, at, &release, exit)
                + sim.rng.range(1, 5) * SECOND;
        }
    }
}
