//! Everything SSH does besides shells: exec, file transfers (scp, SFTP subsystem), port and
//! X11 forwarding, and refused authentications on nodes.

use super::shell::{session_data, session_upload};
use super::{Access, Client};
use crate::event::{Key, Kind, Text, Value};
use crate::scenario::{conn_meta, server_meta, user_meta, Sim};
use crate::timefmt::{Nanos, MILLI, MINUTE, SECOND};
use crate::version::Version;

/// A non-interactive command (`tsh ssh node cmd`). From v5 it is a session of its own
/// (start, exec, end with `interactive:false`, data, upload).
pub fn exec(sim: &mut Sim<'_>, on: Access, t: Nanos, command: &str, exit: i32) -> Nanos {
    let Access { user: u, node: n, login, ip } = on;
    let user = sim.user(u);
    let node = sim.node(n);
    let client = (ip, sim.ephemeral_port());
    let sid = sim.session_id(t);
    let as_session = sim.version >= Version::new(5, 0, 0);
    let took = sim.rng.skewed(80, 900, 60_000) * MILLI;
    if as_session {
        let mut start = sim.event(Kind::SessionStart, t, "T2000I");
        user_meta(&mut start, user, Some(login));
        start.push(Key::Sid, Value::Uuid(sid));
        start.push(Key::PrivateKeyPolicy, Value::str("none"));
        server_meta(&mut start, node);
        conn_meta(&mut start, node, client, "ssh");
        start.push(Key::InitialCommand, Value::list([command.to_owned()]));
        start.push(Key::SessionRecording, Value::str("node"));
        sim.emit(start);
    }
    let mut ev = sim.event(Kind::Exec, t + took, if exit == 0 { "T3002I" } else { "T3002E" });
    user_meta(&mut ev, user, Some(login));
    conn_meta(&mut ev, node, client, "ssh");
    ev.push(Key::Sid, Value::Uuid(sid));
    server_meta(&mut ev, node);
    ev.push(Key::Command, Value::str(command.to_owned()));
    ev.push(Key::ExitCode, Value::str(exit.to_string()));
    if exit != 0 {
        ev.push(Key::ExitError, Value::str(format!("exit status {exit}")));
    }
    sim.emit(ev);
    if as_session {
        let stop = t + took + sim.rng.range(1, 30) * MILLI;
        let mut end = sim.event(Kind::SessionEnd, stop, "T2004I");
        end.index = 1 + sim.rng.range(0, 6);
        user_meta(&mut end, user, Some(login));
        end.push(Key::Sid, Value::Uuid(sid));
        conn_meta(&mut end, node, client, "ssh");
        server_meta(&mut end, node);
        end.push(Key::EnhancedRecording, Value::Bool(node.enhanced));
        end.push(Key::Interactive, Value::Bool(false));
        end.push(Key::Participants, Value::list([Text::Shared(user.name.clone())]));
        end.push(Key::SessionStart, Value::Time(t + sim.rng.range(0, 999_999)));
        end.push(Key::SessionStop, Value::Time(stop - sim.rng.range(0, 999_999)));
        end.push(Key::InitialCommand, Value::list([command.to_owned()]));
        end.push(Key::SessionRecording, Value::str("node"));
        sim.emit(end);
        let at = stop + sim.rng.range(1, 9) * MILLI;
        session_data(sim, user, login, sid, node, client, at);
        let at = stop + sim.rng.range(1, 6) * SECOND;
        session_upload(sim, sid, at);
        stop
    } else {
        t + took
    }
}

/// A file copy. scp everywhere; from v11 also SFTP (OpenSSH 9 clients).
pub fn transfer(sim: &mut Sim<'_>, on: Access, t: Nanos, upload: bool, ok: bool) -> Nanos {
    let Access { user: u, node: n, login, ip } = on;
    let user = sim.user(u);
    let node = sim.node(n);
    let client = (ip, sim.ephemeral_port());
    let home = if login == "root" { "/root".to_owned() } else { format!("/home/{login}") };
    let file = *sim.rng.pick(&["app.tar.gz", "dump.sql.gz", "config.yaml", "report.csv", "notes.txt", "hotfix.patch"]);
    let path = format!("{home}/{file}");
    let took = sim.rng.skewed(200, 2000, 120_000) * MILLI;
    // SFTP clients ask for the `sftp` subsystem, which Teleport served from v11; before, the
    // request failed and people fell back to scp.
    let sftp_supported = sim.version >= Version::new(11, 0, 0);
    let sftp_client = sim.rng.chance(if sftp_supported { 0.5 } else { 0.08 });
    if sftp_client && sim.version >= Version::new(2, 4, 0) {
        let mut ev = sim.event(Kind::Subsystem, t, if sftp_supported { "T3001I" } else { "T3001E" });
        user_meta(&mut ev, user, Some(login));
        conn_meta(&mut ev, node, client, "ssh");
        ev.push(Key::Name, Value::str("sftp"));
        if !sftp_supported {
            ev.push(Key::ExitError, Value::str("unknown subsystem: \"sftp\""));
        }
        sim.emit(ev);
    }
    if sftp_client && sftp_supported {
        let code = if ok { "TS001I" } else { "TS001E" };
        let mut ev = sim.event(Kind::Sftp, t + took, code);
        user_meta(&mut ev, user, Some(login));
        ev.push(Key::Sid, Value::str(""));
        server_meta(&mut ev, node);
        conn_meta(&mut ev, node, client, "ssh");
        ev.push(Key::WorkingDirectory, Value::str(home));
        ev.push(Key::Path, Value::str(path));
        ev.push(Key::Action, Value::Int(1));
        ev.push(Key::Flags, Value::Int(if upload { 26 } else { 1 }));
        if !ok {
            ev.push(Key::Error, Value::str("permission denied"));
        }
        sim.emit(ev);
        return t + took;
    }
    let code = match (upload, ok) {
        (true, true) => "T3005I",
        (true, false) => "T3005E",
        (false, true) => "T3004I",
        (false, false) => "T3004E",
    };
    let sid = sim.session_id(t);
    let mut ev = sim.event(Kind::Scp, t + took, code);
    user_meta(&mut ev, user, Some(login));
    ev.push(Key::Sid, Value::Uuid(sid));
    server_meta(&mut ev, node);
    conn_meta(&mut ev, node, client, "ssh");
    let flag = if upload { "-t" } else { "-f" };
    ev.push(Key::Command, Value::str(format!("scp {flag} {path}")));
    ev.push(Key::ExitCode, Value::str(if ok { "0" } else { "1" }));
    if !ok {
        ev.push(Key::ExitError, Value::str("exit status 1"));
    }
    ev.push(Key::Path, Value::str(path));
    ev.push(Key::Action, Value::str(if upload { "upload" } else { "download" }));
    sim.emit(ev);
    t + took
}

/// `tsh ssh -L`: a port forward, refused now and then. Versions before the first code table
/// logged no failed forwards.
pub fn port_forward(sim: &mut Sim<'_>, on: Access, t: Nanos, ok: bool) -> Nanos {
    let Access { user: u, node: n, login, ip } = on;
    if !ok && !sim.version.has_code() {
        return t;
    }
    let user = sim.user(u);
    let node = sim.node(n);
    let client = (ip, sim.ephemeral_port());
    let port = *sim.rng.pick(&[5432u16, 8080, 6379, 9090, 3000]);
    let mut ev = sim.event(Kind::Port, t, if ok { "T3003I" } else { "T3003E" });
    user_meta(&mut ev, user, Some(login));
    conn_meta(&mut ev, node, client, "ssh");
    ev.push(Key::Success, Value::Bool(ok));
    if !ok {
        ev.push(Key::Error, Value::str(format!("dial tcp 127.0.0.1:{port}: connect: connection refused")));
    }
    ev.push(Key::Addr, Value::str(format!("localhost:{port}")));
    sim.emit(ev);
    t + sim.rng.range(1, 30) * MINUTE
}

/// `ssh -X`: X11 forwarding, which roles often forbid (v7+).
pub fn x11_forward(sim: &mut Sim<'_>, on: Access, t: Nanos, ok: bool) {
    let user = sim.user(on.user);
    let node = sim.node(on.node);
    let client = (on.ip, sim.ephemeral_port());
    let mut ev = sim.event(Kind::X11Forward, t, if ok { "T3008I" } else { "T3008W" });
    user_meta(&mut ev, user, Some(on.login));
    conn_meta(&mut ev, node, client, "ssh");
    ev.push(Key::Success, Value::Bool(ok));
    if !ok {
        ev.push(Key::Error, Value::str("x11 forwarding is not permitted"));
    }
    sim.emit(ev);
}

/// A refused SSH authentication on a node (`auth`, T3007W).
pub fn node_auth_failure(
    sim: &mut Sim<'_>,
    name: Text,
    login: &'static str,
    n: usize,
    client: Client,
    t: Nanos,
    error: String,
) {
    let node = sim.node(n);
    let mut ev = sim.event(Kind::Auth, t, "T3007W");
    ev.push(Key::User, Value::Str(name));
    ev.push(Key::Login, Value::str(login));
    conn_meta(&mut ev, node, client, "ssh");
    ev.push(Key::Success, Value::Bool(false));
    ev.push(Key::Error, Value::str(error));
    sim.emit(ev);
}

/// The usual reason: asking for a login the certificate does not allow (x/crypto/ssh's
/// message, `%q`-quoted).
pub fn principal_error(login: &str, allowed: &[&str]) -> String {
    let allowed: Vec<String> = allowed.iter().map(|l| go_quote(l)).collect();
    format!(
        "ssh: principal {} not in the set of valid principals for given certificate: [{}]",
        go_quote(login),
        allowed.join(" ")
    )
}

/// Go's `%q`: control characters become `\xNN`, so error texts never carry raw escapes.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
