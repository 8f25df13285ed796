//! Interactive sessions: start, resizes, enhanced `session.command`s, a colleague joining,
//! leave, end, data and upload — or a crash that leaves the session open.

use super::Client;
use crate::event::{Event, Key, Kind, Text, Value};
use crate::scenario::org::{Node, User};
use crate::scenario::{conn_meta, server_meta, user_meta, SessionSketch, Sim};
use crate::timefmt::{Nanos, MILLI, MINUTE, SECOND};
use crate::version::Version;

/// An interactive shell to plan: the builder fills in everything Teleport logs about it.
#[derive(Clone, Debug)]
pub struct Shell {
    pub user: usize,
    pub node: usize,
    pub login: &'static str,
    pub client: [u8; 4],
    pub start: Nanos,
    pub duration: Nanos,
    pub size: (u16, u16),
    pub joiner: Option<usize>,
    /// The node went away: no leave, end, data or upload.
    pub crash: bool,
    /// Commands typed, at offsets from the start. On enhanced nodes each that starts a program
    /// (not a shell builtin) becomes a `session.command` for its first program.
    pub commands: Vec<(Nanos, String)>,
    /// Extra enhanced events (planted): offset, then the event (its session fields are added).
    pub extra: Vec<(Nanos, Event)>,
}

/// Typical commands on a machine of this role.
pub fn shell_commands(role: &str) -> &'static [&'static str] {
    match role {
        "web" => &[
            "sudo systemctl status nginx",
            "tail -n 200 /var/log/nginx/error.log",
            "df -h",
            "ls -la /var/www/shop",
            "sudo systemctl reload nginx",
            "free -m",
            "git -C /srv/app log -3 --oneline",
        ],
        "api" => &[
            "docker ps",
            "docker logs --tail 100 api",
            "curl -s localhost:8080/healthz",
            "top -b -n 1 | head -20",
            "journalctl -u api --since -1h --no-pager",
        ],
        "db" => &[
            "sudo -u postgres psql -c 'select count(*) from pg_stat_activity'",
            "df -h /var/lib/postgresql",
            "tail -n 100 /var/log/postgresql/postgresql-14-main.log",
            "iostat -x 1 3",
        ],
        "worker" => &[
            "sudo systemctl status worker",
            "ls /var/spool/jobs | wc -l",
            "journalctl -u worker -n 50 --no-pager",
            "uptime",
        ],
        "build" => &["ls /srv/builds", "docker images | head", "df -h", "sudo du -sh /var/lib/docker"],
        "k8s" => &["sudo crictl ps", "journalctl -u kubelet -n 50 --no-pager", "uptime"],
        "bastion" => &["last -n 20", "w", "sudo tail /var/log/auth.log"],
        "monitoring" => &["sudo systemctl status prometheus", "curl -s localhost:9090/-/healthy", "df -h"],
        _ => &["uptime", "df -h", "free -m", "ps aux --sort=-%cpu | head"],
    }
}

const SHELL_BUILTINS: [&str; 8] = ["cd", "echo", "history", "export", "unset", "exit", "source", "alias"];

/// The programs a command line starts, as enhanced recording sees them.
fn argv_of(command: &str) -> (String, Vec<Text>) {
    let first = command.split('|').next().unwrap_or(command).trim();
    let mut words = first.split_whitespace();
    let program = words.next().unwrap_or("sh").to_owned();
    (program, words.map(|w| Text::Owned(w.trim_matches('\'').into())).collect())
}

/// Writes a whole interactive session. Returns when the user was done.
pub fn shell(sim: &mut Sim<'_>, plan: Shell) -> Nanos {
    let user = sim.user(plan.user);
    let node = sim.node(plan.node);
    let sid = sim.session_id(plan.start);
    let client = (plan.client, sim.ephemeral_port());
    let t0 = plan.start;
    let t_end = t0 + plan.duration;
    let enhanced = node.enhanced && sim.version >= Version::V4_2;
    // Stream events are collected first, then numbered in time order (prints in between take
    // indexes too, so `ei` jumps).
    let mut stream: Vec<Event> = Vec::with_capacity(8 + plan.commands.len());

    let mut start = sim.event(Kind::SessionStart, t0, "T2000I");
    user_meta(&mut start, user, Some(plan.login));
    start.push(Key::Sid, Value::Uuid(sid));
    start.push(Key::PrivateKeyPolicy, Value::str("none"));
    server_meta(&mut start, node);
    conn_meta(&mut start, node, client, "ssh");
    start.push(Key::Size, Value::Size(plan.size.0, plan.size.1));
    start.push(Key::InitialCommand, Value::list([""]));
    start.push(Key::SessionRecording, Value::str("node"));
    stream.push(start);

    let resizes = if sim.rng.chance(0.5) { 1 } else { 0 } + if sim.rng.chance(0.2) { 1 } else { 0 };
    for i in 0..resizes {
        let at = if i == 0 { t0 + sim.rng.range(3, 60) * MILLI } else { t0 + sim.rng.range(0, plan.duration.max(1)) };
        let size = (sim.rng.range(80, 240) as u16, sim.rng.range(24, 70) as u16);
        if at >= t_end {
            continue;
        }
        let mut ev = sim.event(Kind::Resize, at, "T2002I");
        user_meta(&mut ev, user, Some(plan.login));
        ev.push(Key::Sid, Value::Uuid(sid));
        conn_meta(&mut ev, node, client, "ssh");
        server_meta(&mut ev, node);
        ev.push(Key::Size, Value::Size(size.0, size.1));
        stream.push(ev);
    }

    if enhanced {
        let mut pid = sim.rng.range(2000, 40000);
        let shell_pid = pid;
        let cgroup = 4_294_967_296 + sim.rng.range(500, 9000);
        for (offset, command) in &plan.commands {
            let (program, args) = argv_of(command);
            if SHELL_BUILTINS.contains(&program.as_str()) {
                // Builtins run inside the shell: BPF sees no exec.
                continue;
            }
            pid += sim.rng.range(1, 40);
            let mut ev = sim.event(Kind::SessionCommand, t0 + offset, "T4000I");
            user_meta(&mut ev, user, Some(plan.login));
            ev.push(Key::Sid, Value::Uuid(sid));
            server_meta(&mut ev, node);
            ev.push(Key::Pid, Value::Int(pid));
            ev.push(Key::CgroupId, Value::Int(cgroup));
            let base = program.rsplit('/').next().unwrap_or(&program).to_owned();
            ev.push(Key::Program, Value::str(base.clone()));
            ev.push(Key::Ppid, Value::Int(shell_pid));
            ev.push(
                Key::Path,
                Value::str(if program.starts_with('/') { program.clone() } else { format!("/usr/bin/{base}") }),
            );
            ev.push(Key::Argv, Value::List(args));
            ev.push(Key::ReturnCode, Value::Int(0));
            stream.push(ev);
        }
        for (offset, mut ev) in plan.extra {
            ev.time = t0 + offset;
            let mut fields = std::mem::take(&mut ev.fields);
            user_meta(&mut ev, user, Some(plan.login));
            ev.push(Key::Sid, Value::Uuid(sid));
            server_meta(&mut ev, node);
            ev.fields.append(&mut fields);
            stream.push(ev);
        }
    }

    let mut participants = vec![Text::Shared(user.name.clone())];
    if let Some(j) = plan.joiner {
        let joiner = sim.user(j);
        let join_at = t0 + plan.duration / 10 + sim.rng.range(0, plan.duration / 4 + 1);
        let leave_at = join_at + (t_end - join_at) * sim.rng.range(50, 95) / 100;
        let joiner_client = (joiner.home_ip, sim.ephemeral_port());
        let mut join = sim.event(Kind::SessionJoin, join_at, "T2001I");
        user_meta(&mut join, joiner, Some(plan.login));
        join.push(Key::Sid, Value::Uuid(sid));
        server_meta(&mut join, node);
        conn_meta(&mut join, node, joiner_client, "ssh");
        stream.push(join);
        if !plan.crash {
            stream.push(leave(sim, joiner, plan.login, sid, node, joiner_client, leave_at));
        }
        participants.push(Text::Shared(joiner.name.clone()));
    }

    if !plan.crash {
        let at = t_end - sim.rng.range(1, 5) * MILLI;
        stream.push(leave(sim, user, plan.login, sid, node, client, at));
        let mut end = sim.event(Kind::SessionEnd, t_end, "T2004I");
        user_meta(&mut end, user, Some(plan.login));
        end.push(Key::Sid, Value::Uuid(sid));
        conn_meta(&mut end, node, client, "ssh");
        server_meta(&mut end, node);
        end.push(Key::EnhancedRecording, Value::Bool(enhanced));
        end.push(Key::Interactive, Value::Bool(true));
        end.push(Key::Participants, Value::List(participants));
        end.push(Key::SessionStart, Value::Time(t0 + sim.rng.range(0, 999_999)));
        end.push(Key::SessionStop, Value::Time(t_end - sim.rng.range(0, 999_999)));
        end.push(Key::InitialCommand, Value::list([""]));
        end.push(Key::SessionRecording, Value::str("node"));
        stream.push(end);
    }

    number_stream(sim, &mut stream);
    let logged = if sim.keep_sketches { stream.clone() } else { Vec::new() };
    sim.events.append(&mut stream);
    if plan.crash {
        sim.crashed.push(sid);
    } else {
        let at = t_end + sim.rng.range(1, 20) * MILLI;
        session_data(sim, user, plan.login, sid, node, client, at);
        let at = t_end + sim.rng.range(1, 9) * SECOND;
        session_upload(sim, sid, at);
        if plan.duration > 20 * MINUTE && sim.rng.chance(0.1) {
            client_disconnect(
                sim,
                user,
                plan.login,
                node,
                client,
                t_end + 2 * MILLI,
                "client is idle for 15m0s, exceeded idle timeout of 15m0s",
            );
        }
    }
    if sim.keep_sketches {
        let joiner = plan.joiner.map(|j| sim.user(j).name.to_string());
        sim.sessions.push(SessionSketch {
            sid,
            user: user.name.to_string(),
            login: plan.login.to_owned(),
            hostname: node.hostname.to_string(),
            server_id: node.uuid,
            start: t0,
            end: (!plan.crash).then_some(t_end),
            size: plan.size,
            commands: plan.commands.iter().map(|(o, c)| (t0 + o, c.clone())).collect(),
            joiner,
            enhanced,
            stream: logged,
        });
    }
    t_end
}

fn leave(
    sim: &mut Sim<'_>,
    user: &User,
    login: &'static str,
    sid: u128,
    node: &Node,
    client: Client,
    t: Nanos,
) -> Event {
    let mut ev = sim.event(Kind::SessionLeave, t, "T2003I");
    user_meta(&mut ev, user, Some(login));
    ev.push(Key::Sid, Value::Uuid(sid));
    server_meta(&mut ev, node);
    conn_meta(&mut ev, node, client, "ssh");
    ev
}

/// Numbers a session's stream events in time order, leaving gaps for the prints in between.
fn number_stream(sim: &mut Sim<'_>, stream: &mut [Event]) {
    stream.sort_by_key(|e| e.time);
    let mut index = 0;
    let mut last = stream.first().map_or(0, |e| e.time);
    for (i, ev) in stream.iter_mut().enumerate() {
        if i > 0 {
            let seconds = (ev.time - last) / SECOND;
            index += 1 + (seconds / 3).min(400) + sim.rng.range(0, 4);
        }
        ev.index = index;
        last = ev.time;
    }
}

pub(super) fn session_data(
    sim: &mut Sim<'_>,
    user: &User,
    login: &'static str,
    sid: u128,
    node: &Node,
    client: Client,
    t: Nanos,
) {
    let mut ev = sim.event(Kind::SessionData, t, "T2006I");
    user_meta(&mut ev, user, Some(login));
    ev.push(Key::Sid, Value::Uuid(sid));
    server_meta(&mut ev, node);
    conn_meta(&mut ev, node, client, "ssh");
    ev.push(Key::Tx, Value::Int(sim.rng.range(800, 400_000)));
    ev.push(Key::Rx, Value::Int(sim.rng.range(300, 60_000)));
    sim.emit(ev);
}

pub(super) fn session_upload(sim: &mut Sim<'_>, sid: u128, t: Nanos) {
    let mut ev = sim.event(Kind::SessionUpload, t, "T2005I");
    ev.push(Key::Sid, Value::Uuid(sid));
    let sid = crate::json::uuid_string(sid);
    let url = if sim.version >= Version::V4_4 {
        format!("file:///var/lib/teleport/log/records/{sid}.tar")
    } else {
        format!("s3://acme-teleport-sessions/sessions/default/{sid}.tar")
    };
    ev.push(Key::Url, Value::str(url));
    sim.emit(ev);
}

pub fn client_disconnect(
    sim: &mut Sim<'_>,
    user: &User,
    login: &'static str,
    node: &Node,
    client: Client,
    t: Nanos,
    reason: &'static str,
) {
    let mut ev = sim.event(Kind::ClientDisconnect, t, "T3006I");
    user_meta(&mut ev, user, Some(login));
    conn_meta(&mut ev, node, client, "ssh");
    server_meta(&mut ev, node);
    ev.push(Key::Reason, Value::str(reason));
    sim.emit(ev);
}
