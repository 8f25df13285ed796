//! Gen-1 `.session.log` and gen-2 events files: JSON lines (or a JSON array written one object
//! a line), one session event or print per line.

use crate::event_info::EventInfo;
use review_core::time::parse_rfc3339;
use serde_json::{Map, Value};

/// A print event as written in JSON: where its bytes are in the session's byte stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct JsonPrint {
    pub bytes: i64,
    pub ms: Option<i64>,
    pub offset: Option<i64>,
    pub time: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum JsonRecord {
    Print(JsonPrint),
    Event(Box<EventInfo>),
}

/// One record with its event index (`ei`, gen 2) and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Located {
    pub ei: Option<i64>,
    /// 1-based line in its file.
    pub line: usize,
    pub record: JsonRecord,
}

/// Most damaged lines reported one by one per file; the rest are counted.
const MAX_LINE_REPORTS: usize = 5;

/// Reads every line of `text`; damaged lines are skipped and reported with their line number.
pub(crate) fn parse(file: &str, text: &[u8], problems: &mut Vec<String>) -> Vec<Located> {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let array = text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let mut out = Vec::new();
    let mut bad = 0usize;
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    let last = lines.len();
    for (i, raw) in lines.into_iter().enumerate() {
        let line = review_core::sniff::trim_line(raw, array);
        if line.is_empty() {
            continue;
        }
        let why = match serde_json::from_slice::<Value>(line) {
            Ok(Value::Object(obj)) => match record(&obj) {
                Some(located) => {
                    out.push(Located { line: i + 1, ..located });
                    continue;
                }
                None => "not a session event (no \"event\" field)".to_owned(),
            },
            Ok(_) => "not a JSON object".to_owned(),
            Err(_) if i + 1 == last => "cut short (the file ends inside this line)".to_owned(),
            Err(e) => format!("not valid JSON ({e})"),
        };
        bad += 1;
        if bad <= MAX_LINE_REPORTS {
            problems.push(format!("{file}, line {}: {why}; line skipped", i + 1));
        }
    }
    if bad > MAX_LINE_REPORTS {
        problems.push(format!("{file}: {} more damaged lines skipped", bad - MAX_LINE_REPORTS));
    }
    out
}

fn record(obj: &Map<String, Value>) -> Option<Located> {
    let event = obj.get("event")?.as_str()?;
    let ei = int(obj, "ei");
    let time = string(obj, "time").and_then(|t| parse_rfc3339(&t));
    let record = if event == "print" {
        JsonRecord::Print(JsonPrint {
            bytes: int(obj, "bytes").unwrap_or(-1),
            ms: int(obj, "ms"),
            offset: int(obj, "offset"),
            time,
        })
    } else {
        JsonRecord::Event(Box::new(event_info(event, time, obj)))
    };
    Some(Located { ei, line: 0, record })
}

fn event_info(event: &str, time: Option<i64>, obj: &Map<String, Value>) -> EventInfo {
    let s = |key| string(obj, key);
    EventInfo {
        event: event.to_owned(),
        time,
        ms: int(obj, "ms"),
        sid: s("sid"),
        user: s("user"),
        login: s("login"),
        server_id: s("server_id"),
        server_hostname: s("server_hostname"),
        remote_addr: s("addr.remote"),
        cluster: s("cluster_name"),
        size: s("size"),
        participants: strings(obj, "participants"),
        session_start: s("session_start").and_then(|t| parse_rfc3339(&t)),
        session_stop: s("session_stop").and_then(|t| parse_rfc3339(&t)),
        program: s("program"),
        path: s("path"),
        argv: strings(obj, "argv"),
        return_code: int(obj, "return_code").and_then(|rc| i32::try_from(rc).ok()),
        dst_addr: s("dst_addr"),
        dst_port: int(obj, "dst_port"),
        denied: denied(obj.get("action")),
        proto_tag: None,
    }
}

/// An integer, also when written as a float or a string (hostile or hand-edited files).
fn int(obj: &Map<String, Value>, key: &str) -> Option<i64> {
    match obj.get(key)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn string(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn strings(obj: &Map<String, Value>, key: &str) -> Vec<String> {
    match obj.get(key) {
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

/// Network `action`: 1 (or `"DENIED"`) when the policy blocked the connection.
fn denied(action: Option<&Value>) -> bool {
    match action {
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        Some(Value::String(s)) => s.eq_ignore_ascii_case("denied") || s == "1",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_array_form_read_the_same() {
        let lines = "{\"event\":\"session.start\",\"size\":\"80:25\",\"ei\":0,\"user\":\"u\"}\n\
                     {\"time\":\"2019-10-04T22:19:21.643Z\",\"event\":\"print\",\"bytes\":54,\"ms\":0,\"offset\":0,\"ei\":2,\"ci\":0}\n";
        let array = format!("[\n{}]\n", lines.replace("}\n", "},\n"));
        let mut problems = Vec::new();
        let a = parse("a", lines.as_bytes(), &mut problems);
        let b = parse("b", array.as_bytes(), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let strip = |v: &[Located]| v.iter().map(|l| (l.ei, l.record.clone())).collect::<Vec<_>>();
        assert_eq!(strip(&a), strip(&b));
        assert_eq!((a.len(), b[0].line), (2, 2), "line numbers count the array's opening line");
        assert_eq!(a[1].ei, Some(2));
        let JsonRecord::Print(p) = a[1].record else { panic!("not a print: {:?}", a[1]) };
        assert_eq!((p.bytes, p.ms, p.offset), (54, Some(0), Some(0)));
        assert_eq!(p.time, parse_rfc3339("2019-10-04T22:19:21.643Z"));
    }

    #[test]
    fn damaged_lines_are_skipped_and_located() {
        let text =
            b"{\"event\":\"resize\",\"size\":\"1:1\"}\nnot json\n[1]\n{\"no\":\"event\"}\n{\"event\":\"print\",\"by";
        let mut problems = Vec::new();
        let records = parse("s.session.log", text, &mut problems);
        assert_eq!(records.len(), 1);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].starts_with("s.session.log, line 2: not valid JSON"), "{problems:?}");
        assert!(problems[3].contains("line 5: cut short"), "{problems:?}");
    }

    #[test]
    fn enhanced_fields() {
        let text = br#"{"event":"session.network","dst_addr":"10.1.2.3","dst_port":443,"action":1,"program":"curl"}"#;
        let records = parse("x", text, &mut Vec::new());
        let JsonRecord::Event(e) = &records[0].record else { panic!() };
        assert_eq!((e.dst_addr.as_deref(), e.dst_port, e.denied), (Some("10.1.2.3"), Some(443), true));
    }
}
