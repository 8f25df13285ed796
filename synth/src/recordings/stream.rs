//! The bridge from the audit log to a recording: a session's logged stream events (start,
//! resizes, join/leave, enhanced events, end) become the recording's events at the same times,
//! and its identity (sid, users, node, addresses) comes from the same `session.start`. That is
//! what lets the app link a recording to its session.

use crate::event::{Event, Key, Kind, Value};
use crate::json::uuid_string;
use crate::scenario::SessionSketch;
use crate::timefmt::{Nanos, MILLI};
use crate::version::Version;
use review_recording::encode;

/// The audit log writes session events with millisecond times (cut, not rounded): the
/// recording uses the same instants, so both say the same time.
pub fn logged_time(t: Nanos) -> Nanos {
    t - t.rem_euclid(MILLI)
}

/// The recording's non-print events, from the log, in time order.
pub fn logged_events(sketch: &SessionSketch) -> Vec<(Nanos, encode::Event)> {
    sketch.stream.iter().filter_map(|ev| Some((logged_time(ev.time), recorded(ev)?))).collect()
}

fn recorded(ev: &Event) -> Option<encode::Event> {
    let text = |key| ev.str(key).unwrap_or_default().to_owned();
    let int = |key| match ev.get(key) {
        Some(Value::Int(i)) => *i,
        _ => 0,
    };
    let size = || match ev.get(Key::Size) {
        Some(Value::Size(cols, rows)) => (*cols, *rows),
        _ => (0, 0),
    };
    Some(match ev.kind {
        Kind::SessionStart => {
            let (cols, rows) = size();
            encode::Event::Start { cols, rows }
        }
        Kind::Resize => {
            let (cols, rows) = size();
            encode::Event::Resize { cols, rows }
        }
        Kind::SessionJoin => encode::Event::Join { user: text(Key::User) },
        Kind::SessionLeave => encode::Event::Leave { user: text(Key::User) },
        Kind::SessionEnd => encode::Event::End,
        Kind::SessionCommand => encode::Event::Command {
            path: text(Key::Path),
            argv: match ev.get(Key::Argv) {
                Some(Value::List(items)) => items.iter().map(|s| s.to_string()).collect(),
                _ => Vec::new(),
            },
            return_code: int(Key::ReturnCode) as i32,
        },
        Kind::SessionDisk => encode::Event::Disk { path: text(Key::Path), return_code: int(Key::ReturnCode) as i32 },
        Kind::SessionNetwork => encode::Event::Network {
            dst_addr: match ev.get(Key::DstAddr) {
                Some(Value::Ip(ip)) => dotted(*ip),
                _ => String::new(),
            },
            dst_port: int(Key::DstPort) as u16,
            // Action 1 is DENIED (0, ALLOWED, is left out as proto zero values are).
            denied: int(Key::Action) == 1,
        },
        _ => return None,
    })
}

fn dotted(ip: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3])
}

/// `a.b.c.d:port` of an address field of `session.start`.
fn address(start: Option<&Event>, key: Key) -> String {
    match start.and_then(|s| s.get(key)) {
        Some(Value::Addr(ip, port)) => format!("{}:{port}", dotted(*ip)),
        _ => String::new(),
    }
}

/// The session as the recorder saw it, prints still to add. Fields a version did not write
/// (host names before 4.2, the cluster name before 6.0) are left empty, as in its audit log.
pub fn identity(sketch: &SessionSketch, version: Version, cluster: &str) -> encode::Session {
    let mut s = encode::Session::new(&uuid_string(sketch.sid), &sketch.user);
    let start = sketch.stream.iter().find(|e| e.kind == Kind::SessionStart);
    s.login = sketch.login.clone();
    s.server_id = uuid_string(sketch.server_id);
    s.server_hostname = if version >= Version::V4_2 { sketch.hostname.clone() } else { String::new() };
    s.addr_local = address(start, Key::AddrLocal);
    s.addr_remote = address(start, Key::AddrRemote);
    s.cluster = if version >= Version::new(6, 0, 0) { cluster.to_owned() } else { String::new() };
    s
}

/// When the session's own user left: nothing is printed after that.
pub fn owner_left(sketch: &SessionSketch) -> Option<Nanos> {
    sketch
        .stream
        .iter()
        .rfind(|e| e.kind == Kind::SessionLeave && e.str(Key::User) == Some(sketch.user.as_str()))
        .map(|e| logged_time(e.time))
}

/// Prints and logged events merged in time order (events first at the same instant, as the
/// recorder saw the event before the output it caused).
pub fn assemble(
    mut session: encode::Session,
    events: Vec<(Nanos, encode::Event)>,
    prints: Vec<(Nanos, Vec<u8>)>,
) -> encode::Session {
    let mut all: Vec<(Nanos, u8, encode::Event)> = events.into_iter().map(|(t, e)| (t, 0, e)).collect();
    all.extend(prints.into_iter().map(|(t, bytes)| (t, 1, encode::Event::Print(bytes))));
    // Start first and End last whatever the clock says; the rest by time.
    all.sort_by_key(|(t, order, e)| match e {
        encode::Event::Start { .. } => (0, *t, *order),
        encode::Event::End => (2, *t, *order),
        _ => (1, *t, *order),
    });
    for (t, _, e) in all {
        session.push(t, e);
    }
    session
}
