//! One non-print session event in a shape shared by all generations (JSON lines and protobuf
//! fill the same fields), and how it becomes an [`EventKind`] with a one-line summary.

use crate::{EventKind, Nanos};

/// The fields of a session event that the timeline, the summaries and [`crate::SessionMeta`]
/// use. Absent fields are `None`/empty.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct EventInfo {
    /// The `event` type string.
    pub event: String,
    pub time: Option<Nanos>,
    /// Gen 1 (v1.0–2.3) events carry `ms` on the prints' clock.
    pub ms: Option<i64>,
    pub sid: Option<String>,
    pub user: Option<String>,
    pub login: Option<String>,
    pub server_id: Option<String>,
    pub server_hostname: Option<String>,
    pub remote_addr: Option<String>,
    pub cluster: Option<String>,
    /// `"cols:rows"` on session.start and resize.
    pub size: Option<String>,
    pub participants: Vec<String>,
    pub session_start: Option<Nanos>,
    pub session_stop: Option<Nanos>,
    /// Enhanced recording (BPF) fields.
    pub program: Option<String>,
    pub path: Option<String>,
    pub argv: Vec<String>,
    pub return_code: Option<i32>,
    pub dst_addr: Option<String>,
    pub dst_port: Option<i64>,
    pub denied: bool,
    /// ProtoStream OneOf field number, for event classes this decoder has no message for.
    pub proto_tag: Option<u32>,
}

/// `"cols:rows"` → (cols, rows); `"0:0"` (old Teleport: unknown) and garbage → `None`.
pub(crate) fn parse_size(size: &str) -> Option<(u16, u16)> {
    let (cols, rows) = size.trim().split_once(':')?;
    let (cols, rows) = (cols.trim().parse().ok()?, rows.trim().parse().ok()?);
    (cols > 0 && rows > 0).then_some((cols, rows))
}

/// The event's kind and a one-line summary for people.
pub(crate) fn classify(e: &EventInfo) -> (EventKind, String) {
    let user = e.user.clone().unwrap_or_default();
    let (kind, summary) = match e.event.as_str() {
        "session.start" => {
            let mut s = format!("{} started the session", or_someone(&user));
            if let Some(login) = &e.login {
                s += &format!(" as {login}");
            }
            if let Some(node) = e.server_hostname.as_ref().or(e.server_id.as_ref()) {
                s += &format!(" on {node}");
            }
            if let Some((c, r)) = e.size.as_deref().and_then(parse_size) {
                s += &format!(" ({c}×{r})");
            }
            (EventKind::Start, s)
        }
        "resize" => match e.size.as_deref().and_then(parse_size) {
            Some((cols, rows)) => (EventKind::Resize { cols, rows }, format!("terminal resized to {cols}×{rows}")),
            None => (
                EventKind::Other,
                format!("terminal resized to an unknown size ({:?})", e.size.as_deref().unwrap_or("")),
            ),
        },
        "session.join" => (EventKind::Join { user: user.clone() }, format!("{} joined", or_someone(&user))),
        "session.leave" => (EventKind::Leave { user: user.clone() }, format!("{} left", or_someone(&user))),
        "session.end" => (EventKind::End, "session ended".to_owned()),
        "session.command" => {
            let path = e.path.clone().unwrap_or_default();
            let mut s = command_line(&path, &e.argv);
            if let Some(rc) = e.return_code.filter(|&rc| rc != 0) {
                s += &format!(" (exit {rc})");
            }
            let kind = EventKind::Command { path, argv: e.argv.clone(), return_code: e.return_code.unwrap_or(0) };
            (kind, s)
        }
        "session.disk" => {
            let path = e.path.clone().unwrap_or_default();
            let s = format!("{} opened {path}", e.program.as_deref().unwrap_or("a program"));
            (EventKind::Disk { path }, s)
        }
        "session.network" => {
            let dst = match (&e.dst_addr, e.dst_port) {
                (Some(a), Some(p)) if a.contains(':') => format!("[{a}]:{p}"),
                (Some(a), Some(p)) => format!("{a}:{p}"),
                (Some(a), None) => a.clone(),
                (None, _) => "an unknown address".to_owned(),
            };
            let verb = if e.denied { "was denied a connection to" } else { "connected to" };
            let s = format!("{} {verb} {dst}", e.program.as_deref().unwrap_or("a program"));
            (EventKind::Network { dst, denied: e.denied }, s)
        }
        other => {
            let name = if other.is_empty() { "event" } else { other };
            let mut s = match e.proto_tag {
                Some(tag) => format!("{name} (ProtoStream event #{tag})"),
                None => name.to_owned(),
            };
            if !user.is_empty() {
                s += &format!(" by {user}");
            }
            (EventKind::Other, s)
        }
    };
    (kind, one_line(&summary))
}

fn or_someone(user: &str) -> &str {
    if user.is_empty() {
        "someone"
    } else {
        user
    }
}

/// `path arg1 arg2`, without repeating the program when `argv[0]` names it.
fn command_line(path: &str, argv: &[String]) -> String {
    let base = path.rsplit('/').next().unwrap_or(path);
    let args = match argv.split_first() {
        Some((first, rest)) if first == path || (!base.is_empty() && first == base) => rest,
        _ => argv,
    };
    let mut line = if path.is_empty() { "(unknown program)".to_owned() } else { path.to_owned() };
    for a in args {
        line.push(' ');
        line.push_str(a);
    }
    line
}

/// Longest summary kept, in characters.
const MAX_SUMMARY: usize = 300;

/// Summaries come from evidence: control characters (newlines, terminal escapes) are shown
/// escaped so a summary stays one harmless line.
pub(crate) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MAX_SUMMARY));
    for (i, c) in s.chars().enumerate() {
        if i == MAX_SUMMARY {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("80:25"), Some((80, 25)));
        assert_eq!(parse_size("0:0"), None);
        assert_eq!(parse_size("80x25"), None);
        assert_eq!(parse_size("99999:1"), None);
    }

    #[test]
    fn commands_do_not_repeat_the_program() {
        let argv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(command_line("/usr/bin/curl", &argv(&["curl", "http://x"])), "/usr/bin/curl http://x");
        assert_eq!(command_line("/usr/bin/curl", &argv(&["http://x"])), "/usr/bin/curl http://x");
        assert_eq!(command_line("", &[]), "(unknown program)");
    }

    #[test]
    fn summaries_are_one_harmless_line() {
        assert_eq!(one_line("a\nb\x1b[2J"), "a\\nb\\u{1b}[2J");
        assert_eq!(one_line(&"x".repeat(1000)).chars().count(), MAX_SUMMARY + 1);
    }

    #[test]
    fn kinds_of_events() {
        let e = EventInfo { event: "resize".into(), size: Some("185:54".into()), ..Default::default() };
        assert_eq!(classify(&e).0, EventKind::Resize { cols: 185, rows: 54 });
        let e = EventInfo {
            event: "session.network".into(),
            dst_addr: Some("10.0.0.1".into()),
            dst_port: Some(443),
            denied: true,
            ..Default::default()
        };
        let (kind, summary) = classify(&e);
        assert_eq!(kind, EventKind::Network { dst: "10.0.0.1:443".into(), denied: true });
        assert!(summary.contains("denied"), "{summary}");
        let e = EventInfo { event: "mystery".into(), proto_tag: Some(999), ..Default::default() };
        assert_eq!(classify(&e), (EventKind::Other, "mystery (ProtoStream event #999)".to_owned()));
    }
}
