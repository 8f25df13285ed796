//! JSON lines as gen-1 and gen-2 Teleport wrote them: Go maps (keys sorted) for session
//! events, Go structs (fixed key order) for prints, times as Go's RFC 3339 with trailing zeros
//! of the fraction trimmed.

use super::{Event, Session};
use crate::Nanos;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// `2019-10-04T22:19:21.643Z`, `2020-06-05T16:24:05Z`: Go's `time.Time` JSON.
pub(super) fn rfc3339(t: Nanos) -> String {
    let dt = DateTime::<Utc>::from_timestamp_nanos(t);
    let mut s = dt.format("%Y-%m-%dT%H:%M:%S").to_string();
    let frac = t.rem_euclid(1_000_000_000);
    if frac != 0 {
        let digits = format!("{frac:09}");
        s.push('.');
        s.push_str(digits.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

/// Which Teleport wrote the line: gen 1 (v1–v2.4) events carry only the v1 fields; gen 2
/// (v4.3-era) events add `namespace`, `code`, `uid`, host names and end details.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Era {
    Gen1,
    Gen2,
}

pub(super) type Fields = BTreeMap<&'static str, Value>;

/// A session event's fields (without `time`, `ei`, `ms`, `offset`, which the writers add);
/// `None` for prints and for events the era did not record.
pub(super) fn event_fields(s: &Session, event: &Event, era: Era) -> Option<Fields> {
    let size = |cols: &u16, rows: &u16| json!(format!("{cols}:{rows}"));
    let mut f = Fields::new();
    f.insert("event", json!(event.type_name()));
    f.insert("sid", json!(s.sid));
    let code = match event {
        Event::Print(_) => return None,
        Event::Start { cols, rows } => {
            f.insert("addr.local", json!(s.addr_local));
            f.insert("addr.remote", json!(s.addr_remote));
            f.insert("login", json!(s.login));
            f.insert("server_id", json!(s.server_id));
            f.insert("size", size(cols, rows));
            f.insert("user", json!(s.user));
            "T2000I"
        }
        Event::Resize { cols, rows } => {
            f.insert("login", json!(s.login));
            f.insert("size", size(cols, rows));
            f.insert("user", json!(s.user));
            "T2002I"
        }
        Event::Join { user } => {
            f.insert("addr.local", json!(s.addr_local));
            f.insert("addr.remote", json!(s.addr_remote));
            f.insert("login", json!(s.login));
            f.insert("server_id", json!(s.server_id));
            f.insert("user", json!(user));
            "T2001I"
        }
        Event::Leave { user } => {
            f.insert("server_id", json!(s.server_id));
            f.insert("user", json!(user));
            "T2003I"
        }
        Event::End => {
            f.insert("user", json!(s.user));
            if era == Era::Gen2 {
                f.insert("server_id", json!(s.server_id));
                f.insert("participants", json!(s.participants()));
                f.insert("enhanced_recording", json!(s.events.iter().any(|e| e.event.is_enhanced())));
                f.insert("interactive", json!(true));
                if let Some(start) = s.first_time(|e| matches!(e, Event::Start { .. })) {
                    f.insert("session_start", json!(rfc3339(start)));
                }
            }
            "T2004I"
        }
        Event::Command { .. } | Event::Disk { .. } | Event::Network { .. } if era == Era::Gen1 => return None,
        Event::Command { path, argv, return_code } => {
            bpf(&mut f, s, path);
            f.insert("ppid", json!(1));
            f.insert("path", json!(path));
            f.insert("argv", json!(argv));
            f.insert("return_code", json!(return_code));
            "T4000I"
        }
        Event::Disk { path, return_code } => {
            bpf(&mut f, s, "/usr/bin/cat");
            f.insert("path", json!(path));
            f.insert("flags", json!(0));
            f.insert("return_code", json!(return_code));
            "T4001I"
        }
        Event::Network { dst_addr, dst_port, denied } => {
            bpf(&mut f, s, "/usr/bin/curl");
            f.insert("src_addr", json!("10.0.0.2"));
            f.insert("dst_addr", json!(dst_addr));
            f.insert("dst_port", json!(dst_port));
            f.insert("version", json!(4));
            f.insert("operation", json!(0));
            f.insert("action", json!(u8::from(*denied)));
            "T4002I"
        }
        Event::Other { .. } => {
            f.insert("user", json!(s.user));
            ""
        }
    };
    if era == Era::Gen2 {
        f.insert("namespace", json!("default"));
        if !code.is_empty() {
            f.insert("code", json!(code));
        }
        if !s.server_hostname.is_empty() && matches!(event, Event::Start { .. } | Event::End) {
            f.insert("server_hostname", json!(s.server_hostname));
        }
    }
    Some(f)
}

fn bpf(f: &mut Fields, s: &Session, program: &str) {
    f.insert("program", json!(program.rsplit('/').next().unwrap_or(program)));
    f.insert("pid", json!(4242));
    f.insert("cgroup_id", json!(4_294_967_297u64));
    f.insert("audit_session_id", json!(7));
    f.insert("user", json!(s.user));
    f.insert("login", json!(s.login));
    f.insert("server_id", json!(s.server_id));
}

/// A made-up but stable event UUID.
pub(super) fn uid(sid: &str, ei: i64) -> String {
    let h = sid.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    format!("{:08x}-{:04x}-4{:03x}-8000-{:012x}", h >> 32, h & 0xffff, (ei >> 48) & 0xfff, ei & 0xffff_ffff_ffff)
}

/// One line of JSON (keys in the map's sorted order) with its newline.
pub(super) fn line(fields: &Fields) -> Vec<u8> {
    let mut out = serde_json::to_vec(fields).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_time_format() {
        let t = review_core::time::parse_rfc3339("2019-10-04T22:19:21.643Z").unwrap();
        assert_eq!(rfc3339(t), "2019-10-04T22:19:21.643Z");
        assert_eq!(rfc3339(t + 357_000_000), "2019-10-04T22:19:22Z");
        assert_eq!(rfc3339(t - 33_000_000), "2019-10-04T22:19:21.61Z");
        assert_eq!(rfc3339(1_708_711_017_190_681_808), "2024-02-23T17:56:57.190681808Z");
    }

    #[test]
    fn v1_session_start_has_the_documented_fields() {
        // §3a.1's real v1 example has exactly these keys (ms, offset and time are the writer's).
        let s = Session::new("4bac8c61-15f6-11e6-a2e6-f0def19340e2", "akontsevoy");
        let f = event_fields(&s, &Event::Start { cols: 0, rows: 0 }, Era::Gen1).unwrap();
        assert_eq!(
            f.keys().copied().collect::<Vec<_>>(),
            ["addr.local", "addr.remote", "event", "login", "server_id", "sid", "size", "user"]
        );
        assert_eq!(f["size"], "0:0");
        assert!(event_fields(&s, &Event::Command { path: "/bin/ls".into(), argv: vec![], return_code: 0 }, Era::Gen1)
            .is_none());
    }
}
