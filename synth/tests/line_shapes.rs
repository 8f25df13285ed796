//! Every supported version's lines have the shape the format reference states (§2.3–2.7):
//! key order, which of uid/code/ei/cluster_name exist, time precision, codes by version.

mod common;

use common::{lines_of, sample_era, Line};
use synth::codes::FIRST_TABLE;
use synth::event::{Event, Key, Kind, Value};
use synth::render::{DATA_INDEX, UPLOAD_INDEX};
use synth::timefmt::utc;
use synth::{LineWriter, Version};

/// Digits after the dot of an RFC 3339 time (0 when there is no fraction).
fn fraction_digits(t: &str) -> usize {
    assert!(t.ends_with('Z') && t.len() >= 20, "not a UTC RFC 3339 time: {t}");
    match t.find('.') {
        Some(dot) => {
            let digits = &t[dot + 1..t.len() - 1];
            assert!(!digits.ends_with('0'), "trailing zeros are trimmed: {t}");
            digits.len()
        }
        None => 0,
    }
}

fn is_session_stream(event: &str) -> bool {
    matches!(
        event,
        "session.start"
            | "session.join"
            | "resize"
            | "session.leave"
            | "session.end"
            | "session.command"
            | "session.disk"
            | "session.network"
    ) || event.starts_with("db.session.")
}

fn check_line(v: Version, line: &Line) {
    let event = line.event();
    let text = &line.text;
    // Key order: sorted maps before 4.4; Metadata first in proto order from 4.4.
    if v < Version::V4_4 {
        let mut sorted = line.keys.clone();
        sorted.sort();
        assert_eq!(line.keys, sorted, "{v}: keys not sorted: {text}");
    } else {
        let meta: Vec<&str> =
            ["ei", "event", "uid", "code", "time", "cluster_name"].into_iter().filter(|k| line.has(k)).collect();
        let head: Vec<&str> = line.keys.iter().take(meta.len()).map(String::as_str).collect();
        assert_eq!(head, meta, "{v}: Metadata does not come first in proto order: {text}");
        assert_eq!(line.keys[0], "ei");
        assert_eq!(line.keys[1], "event");
    }
    // uid from 3.2.0, code from 3.2.4, cluster_name from 6.0.
    assert_eq!(line.has("uid"), v >= Version::new(3, 2, 0), "{v}: uid: {text}");
    assert_eq!(line.has("code"), v >= Version::V3_2, "{v}: code: {text}");
    assert_eq!(line.has("cluster_name"), v >= Version::new(6, 0, 0), "{v}: cluster_name: {text}");
    // ei: none before 2.5; session events from 2.5; every event from 4.4, 0 for audit-only.
    let ei = line.value.get("ei").and_then(|e| e.as_i64());
    match event {
        "session.upload" => assert_eq!(ei, Some(UPLOAD_INDEX), "{text}"),
        "session.data" => assert_eq!(ei, Some(DATA_INDEX), "{text}"),
        _ if v < Version::new(2, 5, 0) => assert_eq!(ei, None, "{v}: no ei before 2.5: {text}"),
        e if is_session_stream(e) => assert!(ei.is_some(), "{v}: session events carry ei: {text}"),
        _ if v >= Version::V4_4 => {
            assert_eq!(ei, Some(0), "{v}: audit-only events have ei 0: {text}")
        }
        _ => assert_eq!(ei, None, "{v}: audit-only events have no ei before 4.4: {text}"),
    }
    // time: whole seconds for main-log events before 4.4, milliseconds for session events and
    // for everything from 4.4; session_start/session_stop keep nanoseconds.
    let digits = fraction_digits(line.str("time").unwrap());
    if v < Version::V4_4 && !is_session_stream(event) {
        assert_eq!(digits, 0, "{v}: whole seconds: {text}");
    } else {
        assert!(digits <= 3, "{v}: milliseconds at most: {text}");
    }
    for key in ["session_start", "session_stop"] {
        if let Some(t) = line.str(key) {
            assert!(v >= Version::V4_3, "{v}: {key} arrived in 4.3");
            assert!(fraction_digits(t) > 3, "{key} keeps nanoseconds: {text}");
        }
    }
    // 2.x wrote auth outcomes as strings.
    if let Some(success) = line.value.get("success") {
        if v.major == 2 {
            assert!(success.is_string(), "{v}: \"success\":\"false\" string: {text}");
        } else {
            assert!(success.is_boolean(), "{v}: boolean success: {text}");
        }
    }
    // Codes: the first table between 3.2.4 and 4.3 holds every code its 25 types used.
    if let Some(code) = line.str("code") {
        if v.first_code_table() && FIRST_TABLE.iter().any(|(_, e)| *e == event) {
            assert!(FIRST_TABLE.contains(&(code, event)), "{v}: {code} is not {event} in the first table: {text}");
        }
        if event == "user.update" {
            assert_eq!(code, if v < Version::V4_3 { "T1002I" } else { "T1003I" }, "{text}");
        }
    }
    // Field arrivals stated by the reference.
    let since = |key: &str, version: Version| {
        if line.has(key) {
            assert!(v >= version, "{v}: {key} arrived in {version}: {text}");
        }
    };
    since("namespace", Version::new(2, 0, 0));
    since("proto", Version::new(3, 0, 0));
    since("message", Version::new(3, 0, 0));
    since("initial_command", Version::new(5, 0, 0));
    since("session_recording", Version::V6_2);
    since("server_hostname", Version::V4_2);
    since("tx", Version::V4_0);
    if event == "session.end" {
        since("server_hostname", Version::V4_3);
        since("participants", Version::V4_2);
        since("login", Version::V4_4);
    }
    if event == "print" {
        panic!("print events are never in the audit log: {text}");
    }
}

#[test]
fn every_version_writes_its_own_shape() {
    for v in Version::SUPPORTED {
        let out = sample_era(v);
        let lines = lines_of(&out.files);
        assert!(lines.len() > 200, "{v}: only {} lines", lines.len());
        let mut kinds = std::collections::BTreeSet::new();
        for line in &lines {
            check_line(v, line);
            kinds.insert(line.event().to_owned());
        }
        // What each generation wrote at all.
        assert_eq!(kinds.contains("user.login"), v >= Version::new(2, 4, 0), "{v}: {kinds:?}");
        assert_eq!(kinds.contains("session.upload"), v >= Version::new(2, 6, 0), "{v}");
        assert_eq!(kinds.contains("session.data"), v >= Version::V4_0, "{v}");
        assert_eq!(kinds.contains("session.command"), v >= Version::V4_2, "{v}");
        assert_eq!(kinds.contains("cert.create"), v >= Version::new(9, 0, 0), "{v}");
        assert!(kinds.contains("session.start") && kinds.contains("session.end") && kinds.contains("exec"));
    }
}

#[test]
fn session_events_of_the_spec_examples() {
    // §3a.1's v1 session.start has exactly these keys (plus ms/offset, which only the
    // recording has).
    let out = sample_era(Version::V1_3);
    let lines = lines_of(&out.files);
    let start = lines.iter().find(|l| l.event() == "session.start").unwrap();
    assert_eq!(start.keys, ["addr.local", "addr.remote", "event", "login", "server_id", "sid", "size", "time", "user"]);
    let end = lines.iter().find(|l| l.event() == "session.end").unwrap();
    assert_eq!(end.keys, ["event", "sid", "time", "user"], "v1 session.end: sid and user");
    // 4.0 (fixture of the web UI): session.start in sorted order with ei, uid, code.
    let lines = lines_of(&sample_era(Version::V4_0).files);
    let start = lines.iter().find(|l| l.event() == "session.start").unwrap();
    for key in [
        "addr.local",
        "addr.remote",
        "code",
        "ei",
        "event",
        "login",
        "namespace",
        "server_id",
        "sid",
        "size",
        "time",
        "uid",
        "user",
    ] {
        assert!(start.has(key), "4.0 session.start has {key}: {}", start.text);
    }
    assert_eq!(start.str("code"), Some("T2000I"));
    // 15: session.end with nanosecond session_start/stop, interactive, participants.
    let lines = lines_of(&sample_era(Version::V15).files);
    let end = lines.iter().find(|l| l.event() == "session.end" && l.value["interactive"] == true).unwrap();
    assert_eq!(&end.keys[..6], ["ei", "event", "uid", "code", "time", "cluster_name"]);
    assert_eq!(end.keys[6], "user", "UserMetadata follows Metadata");
    assert!(end.value["participants"].as_array().is_some_and(|p| !p.is_empty()));
    assert_eq!(end.value["initial_command"], serde_json::json!([""]));
}

fn user_update() -> Event {
    Event::new(Kind::UserUpdate, utc(2020, 6, 5, 16, 24, 5) + 123_456_789, 7, "T1003I")
        .with(Key::User, Value::str("admin"))
        .with(Key::Name, Value::str("bob"))
        .with(Key::Expires, Value::ZeroTime)
}

#[test]
fn user_update_code_changed_meaning_in_4_3() {
    let line = |v| LineWriter::new(v, "c").line(&user_update());
    // user.update arrived with 4.0 (Appendix C), under the first table's T1002I.
    assert_eq!(line(Version::V3_1), None);
    assert_eq!(
        line(Version::V4_0).unwrap(),
        r#"{"code":"T1002I","event":"user.update","expires":"0001-01-01T00:00:00Z","name":"bob","time":"2020-06-05T16:24:05Z","uid":"00000000-0000-0000-0000-000000000007","user":"admin"}"#
    );
    assert!(line(Version::V4_2).unwrap().contains(r#""code":"T1002I""#));
    assert!(line(Version::V4_3).unwrap().contains(r#""code":"T1003I""#));
    assert_eq!(
        line(Version::V6_2).unwrap(),
        r#"{"ei":0,"event":"user.update","uid":"00000000-0000-0000-0000-000000000007","code":"T1003I","time":"2020-06-05T16:24:05.123Z","cluster_name":"c","user":"admin","name":"bob","expires":"0001-01-01T00:00:00Z"}"#
    );
}

#[test]
fn auth_failures_of_2_x_write_success_as_a_string() {
    let ev = Event::new(Kind::Auth, utc(2017, 3, 1, 10, 0, 0), 1, "T3007W")
        .with(Key::User, Value::str("alice"))
        .with(Key::Success, Value::Bool(false))
        .with(Key::Error, Value::str("access denied"));
    assert_eq!(
        LineWriter::new(Version::V2_3, "").line(&ev).unwrap(),
        r#"{"error":"access denied","event":"auth","success":"false","time":"2017-03-01T10:00:00Z","user":"alice"}"#
    );
    assert!(LineWriter::new(Version::V4_4, "").line(&ev).unwrap().contains(r#""success":false"#));
}

#[test]
fn hostile_strings_are_escaped_as_go_escapes_them() {
    let ev = Event::new(Kind::UserLogin, utc(2024, 3, 11, 9, 41, 7), 1, "T1000W")
        .with(Key::User, Value::str("<img src=x onerror=alert(1)>"))
        .with(Key::Login, Value::str("\u{1b}[31mroot"));
    let line = LineWriter::new(Version::V15, "c").line(&ev).unwrap();
    assert!(line.contains(r#""user":"\u003cimg src=x onerror=alert(1)\u003e""#), "{line}");
    assert!(line.contains(r#""login":"\u001b[31mroot""#), "{line}");
    let back: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(back["user"], "<img src=x onerror=alert(1)>");
}

#[test]
fn versions_drop_types_they_did_not_have() {
    let data = Event::new(Kind::SessionData, 0, 1, "T2006I");
    assert_eq!(LineWriter::new(Version::V3_2, "").line(&data), None);
    assert!(LineWriter::new(Version::V4_0, "")
        .line(&data)
        .unwrap()
        .starts_with(r#"{"code":"T2006I","ei":2147483646,"#));
    let login = Event::new(Kind::UserLogin, 0, 1, "T1000I");
    assert_eq!(LineWriter::new(Version::V2_3, "").line(&login), None);
    assert!(LineWriter::new(Version::V2_7, "").line(&login).is_some());
}

/// Real events from Teleport's web UI fixtures (2019–2023): every (type, code) we write for a
/// modern version matches the code family those real events carry for the same type.
#[test]
fn codes_agree_with_real_examples() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/teleport/audit-event-examples/webapps-Audit-fixtures-events.jsonl"
    );
    let fixture = std::fs::read_to_string(path).unwrap();
    let mut real: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    for line in fixture.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if let (Some(e), Some(c)) = (v["event"].as_str(), v["code"].as_str()) {
            real.entry(e.to_owned()).or_default().insert(c.to_owned());
        }
    }
    // The fixtures hold no plain SSO login; Appendix A: T1001I=UserSSOLogin, T1001W=UserSSOLoginFailure.
    real.get_mut("user.login").unwrap().extend(["T1001I".to_owned(), "T1001W".to_owned()]);
    let mut compared = 0;
    for version in [Version::V10, Version::V15, Version::V17] {
        for line in lines_of(&sample_era(version).files) {
            let (Some(real_codes), Some(code)) = (real.get(line.event()), line.str("code")) else {
                continue;
            };
            // Same family (`T3002`), severity may differ (`I`/`E`).
            let family = &code[..code.len() - 1];
            assert!(
                real_codes.iter().any(|c| c.starts_with(family)),
                "{version}: {} {code}, real: {real_codes:?}",
                line.event()
            );
            compared += 1;
        }
    }
    assert!(compared > 1000);
}
