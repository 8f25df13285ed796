//! Who, where and when, from the recording's own session.start / session.join / session.end.

use crate::event_info::EventInfo;
use crate::SessionMeta;

pub(crate) fn collect(events: &[EventInfo]) -> SessionMeta {
    let start = events.iter().find(|e| e.event == "session.start");
    let end = events.iter().rev().find(|e| e.event == "session.end");
    // The start names the session; the end (v4.2+) and any other event fill what it lacks.
    let preferred = start.into_iter().chain(end).chain(events.iter());
    let first = |field: fn(&EventInfo) -> Option<&String>| preferred.clone().find_map(field).cloned();

    let server_id = first(|e| e.server_id.as_ref());
    let node = first(|e| e.server_hostname.as_ref().filter(|h| !h.is_empty())).or_else(|| server_id.clone());
    let participants = match end.filter(|e| !e.participants.is_empty()) {
        Some(end) => end.participants.clone(),
        None => {
            let mut seen: Vec<String> = Vec::new();
            let joiners = events.iter().filter(|e| matches!(e.event.as_str(), "session.start" | "session.join"));
            for user in joiners.filter_map(|e| e.user.as_ref()) {
                if !seen.contains(user) {
                    seen.push(user.clone());
                }
            }
            seen
        }
    };
    SessionMeta {
        user: first(|e| e.user.as_ref()),
        login: first(|e| e.login.as_ref()),
        node,
        server_id,
        remote_addr: start.and_then(|s| s.remote_addr.clone()).or_else(|| first(|e| e.remote_addr.as_ref())),
        cluster: first(|e| e.cluster.as_ref()),
        start: start.and_then(|s| s.time).or_else(|| end.and_then(|e| e.session_start)),
        end: end.and_then(|e| e.session_stop.or(e.time)),
        participants,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(event: &str, user: &str) -> EventInfo {
        EventInfo { event: event.into(), user: Some(user.into()), ..Default::default() }
    }

    #[test]
    fn participants_from_start_and_joins_when_the_end_has_none() {
        let mut start = ev("session.start", "alice");
        start.server_id = Some("uuid-1".into());
        start.time = Some(10);
        let mut end = ev("session.end", "alice");
        end.time = Some(99);
        let events = [start, ev("session.join", "bob"), ev("session.join", "alice"), end];
        let m = collect(&events);
        assert_eq!(m.participants, ["alice", "bob"]);
        assert_eq!(m.node.as_deref(), Some("uuid-1"), "server_id stands in for a missing hostname");
        assert_eq!((m.start, m.end), (Some(10), Some(99)));
    }

    #[test]
    fn hostname_and_participants_from_a_modern_end() {
        let mut end = ev("session.end", "alice");
        end.server_hostname = Some("web-1".into());
        end.participants = vec!["alice".into(), "carol".into()];
        end.session_stop = Some(5);
        end.time = Some(7);
        let m = collect(&[ev("session.start", "alice"), end]);
        assert_eq!(m.node.as_deref(), Some("web-1"));
        assert_eq!(m.participants, ["alice", "carol"]);
        assert_eq!(m.end, Some(5));
    }
}
