//! Generation 1 writer: `<sid>.session.log` + `<sid>.session.bytes` (format reference §3a).

use super::json::{self, Era};
use super::{round, round_ms, File, PrintClock, Session, NANOS_PER_MS};
use serde_json::json;
use std::fmt::Write;

/// Which `ms` semantics the session log uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Gen1Timing {
    /// v1.0–2.3: every event carries `ms` (milliseconds since the session logger was created,
    /// its creation time rounded to the second, so early events can be negative) and `offset`.
    #[default]
    LoggerRelative,
    /// v2.4: prints carry `ms` cumulative since the first print (struct key order
    /// `time,event,bytes,ms,offset`); other events carry only `time`.
    SinceFirstPrint,
}

/// Writes `<sid>.session.log` and `<sid>.session.bytes`. Enhanced-recording events are left
/// out: gen 1 predates them. The logger is taken to be created at the first event.
pub fn gen1(s: &Session, timing: Gen1Timing) -> Vec<File> {
    let mut log = Vec::new();
    let mut bytes = Vec::new();
    let created = s.events.first().map_or(0, |e| round(e.time, 1_000_000_000));
    let mut clock = PrintClock::default();
    for e in &s.events {
        let time = round_ms(e.time);
        let offset = bytes.len();
        match (&e.event, timing) {
            (super::Event::Print(data), Gen1Timing::LoggerRelative) => {
                let mut f = json::Fields::new();
                f.insert("bytes", json!(data.len()));
                f.insert("event", json!("print"));
                f.insert("ms", json!(time.saturating_sub(created) / NANOS_PER_MS));
                f.insert("offset", json!(offset));
                f.insert("time", json!(json::rfc3339(time)));
                log.extend(json::line(&f));
                bytes.extend_from_slice(data);
            }
            (super::Event::Print(data), Gen1Timing::SinceFirstPrint) => {
                let mut line = String::new();
                let _ = writeln!(
                    line,
                    r#"{{"time":"{}","event":"print","bytes":{},"ms":{},"offset":{}}}"#,
                    json::rfc3339(time),
                    data.len(),
                    clock.next(time),
                    offset
                );
                log.extend(line.into_bytes());
                bytes.extend_from_slice(data);
            }
            (event, timing) => {
                let Some(mut f) = json::event_fields(s, event, Era::Gen1) else {
                    continue;
                };
                f.insert("time", json!(json::rfc3339(time)));
                if timing == Gen1Timing::LoggerRelative {
                    f.insert("ms", json!(time.saturating_sub(created) / NANOS_PER_MS));
                    f.insert("offset", json!(offset));
                }
                log.extend(json::line(&f));
            }
        }
    }
    vec![(format!("{}.session.log", s.sid), log), (format!("{}.session.bytes", s.sid), bytes)]
}

#[cfg(test)]
mod tests {
    use super::super::Event;
    use super::*;

    /// The real v1 example of §3a.1, rebuilt: session.start at 14:57:05.936 (logger created
    /// then, rounded to 14:57:06), resize 5 ms later, prints at .087 and 07.332.
    #[test]
    fn reproduces_the_v1_example() {
        let t = review_core::time::parse_rfc3339("2016-05-09T14:57:05.936Z").unwrap();
        let mut s = Session::new("4bac8c61-15f6-11e6-a2e6-f0def19340e2", "akontsevoy");
        s.addr_local = "127.0.0.1:3022".into();
        s.addr_remote = "127.0.0.1:51942".into();
        s.push(t, Event::Start { cols: 0, rows: 0 });
        s.push(t + 5 * NANOS_PER_MS, Event::Resize { cols: 147, rows: 20 });
        s.push(t + 151 * NANOS_PER_MS, Event::Print(vec![b'x'; 42]));
        s.push(t + 1396 * NANOS_PER_MS, Event::Print(vec![b'y']));
        let files = gen1(&s, Gen1Timing::LoggerRelative);
        let log = String::from_utf8(files[0].1.clone()).unwrap();
        let lines: Vec<&str> = log.lines().collect();
        assert!(lines[0].contains(r#""ms":-64,"offset":0,"#), "{}", lines[0]);
        assert!(
            lines[1].starts_with(r#"{"event":"resize","login":"akontsevoy","ms":-59,"offset":0,"sid":"#),
            "{}",
            lines[1]
        );
        assert_eq!(lines[2], r#"{"bytes":42,"event":"print","ms":87,"offset":0,"time":"2016-05-09T14:57:06.087Z"}"#);
        assert_eq!(lines[3], r#"{"bytes":1,"event":"print","ms":1332,"offset":42,"time":"2016-05-09T14:57:07.332Z"}"#);
        assert_eq!(files[1].1.len(), 43);
    }

    #[test]
    fn v24_prints_count_from_the_first_print() {
        let mut s = Session::new("s", "u");
        s.push(1_000 * NANOS_PER_MS, Event::Start { cols: 80, rows: 24 });
        s.push(2_000 * NANOS_PER_MS, Event::Print(b"ab".to_vec()));
        s.push(2_500 * NANOS_PER_MS, Event::Print(b"c".to_vec()));
        let files = gen1(&s, Gen1Timing::SinceFirstPrint);
        let log = String::from_utf8(files[0].1.clone()).unwrap();
        let lines: Vec<&str> = log.lines().collect();
        assert!(!lines[0].contains("\"ms\""), "{}", lines[0]);
        assert!(lines[1].starts_with(r#"{"time":"1970-01-01T00:00:02Z","event":"print","bytes":2,"ms":0,"offset":0}"#));
        assert!(lines[2].ends_with(r#""bytes":1,"ms":500,"offset":2}"#), "{}", lines[2]);
    }
}
