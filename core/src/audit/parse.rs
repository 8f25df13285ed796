//! One JSON line → one [`ParsedEvent`] borrowing from the line, or a [`LineError`] saying why not.
//!
//! Only the fields the model indexes are extracted; the line itself stays the record of truth.
//! Each field is read leniently, so that a field of an unexpected type (`"success":"false"`, a
//! numeric `code`, an object where a name was expected) never costs the event.

use super::quick;
use crate::problem::ProblemKind;
use crate::time::{parse_rfc3339, Nanos};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// Whether an event records something that went right or wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
pub enum Outcome {
    /// The event carries no success or failure (most events).
    #[default]
    None,
    Success,
    Failure,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::None => "",
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }
    }
}

/// The indexed fields of one audit event, borrowed from its line where no unescaping was needed.
#[derive(Debug, Default, PartialEq)]
pub struct ParsedEvent<'a> {
    pub event: Cow<'a, str>,
    pub time: Option<Nanos>,
    pub code: Option<Cow<'a, str>>,
    pub uid: Option<Cow<'a, str>>,
    pub ei: Option<i64>,
    pub cluster: Option<Cow<'a, str>>,
    pub user: Option<Cow<'a, str>>,
    pub login: Option<Cow<'a, str>>,
    pub sid: Option<Cow<'a, str>>,
    pub server_id: Option<Cow<'a, str>>,
    pub server_hostname: Option<Cow<'a, str>>,
    pub server_addr: Option<Cow<'a, str>>,
    pub addr_local: Option<Cow<'a, str>>,
    pub addr_remote: Option<Cow<'a, str>>,
    pub method: Option<Cow<'a, str>>,
    pub error: Option<Cow<'a, str>>,
    pub message: Option<Cow<'a, str>>,
    /// What was run: `command` of `exec`, or `program` and `argv` of an enhanced
    /// `session.command`, joined by spaces (so that free text finds it).
    pub command: Option<Cow<'a, str>>,
    pub size: Option<Cow<'a, str>>,
    pub proto: Option<Cow<'a, str>>,
    pub success: Option<bool>,
    pub interactive: Option<bool>,
    pub participants: Vec<Cow<'a, str>>,
    pub session_start: Option<Nanos>,
    pub session_stop: Option<Nanos>,
}

impl ParsedEvent<'_> {
    /// Success or failure: `event` first (an `auth` event is always a failed attempt), then an
    /// explicit `success`, then the code's severity letter (`…W`/`…E` are failures).
    pub fn outcome(&self) -> Outcome {
        if self.event == "auth" {
            return Outcome::Failure;
        }
        if let Some(ok) = self.success {
            return if ok { Outcome::Success } else { Outcome::Failure };
        }
        match self.code.as_deref().and_then(|c| c.bytes().last()) {
            Some(b'W' | b'E') => Outcome::Failure,
            Some(b'I') if super::is_auth_attempt(&self.event) => Outcome::Success,
            _ => Outcome::None,
        }
    }

    /// The node a session or command ran on: hostname, falling back to id, then address.
    pub fn node(&self) -> Option<&str> {
        [&self.server_hostname, &self.server_id, &self.server_addr, &self.addr_local]
            .into_iter()
            .find_map(|f| f.as_deref().filter(|s| !s.is_empty()))
    }
}

/// Why a line is not an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub kind: ProblemKind,
    pub detail: String,
}

impl LineError {
    fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        LineError { kind, detail: detail.into() }
    }
}

/// The wire shape: every indexed key, read as [`Text`] where text is expected, else captured raw
/// (objects and arrays some versions write). Unknown keys are skipped (but still checked to be
/// valid JSON). Filled by the quick pass ([`quick::read`]) for the common line, else by serde_json.
#[derive(Default, Deserialize)]
pub(super) struct Wire<'a> {
    #[serde(borrow)]
    pub event: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub time: Text<'a>,
    #[serde(borrow, default)]
    pub code: Text<'a>,
    #[serde(borrow, default)]
    pub uid: Text<'a>,
    #[serde(borrow, default)]
    pub ei: Text<'a>,
    #[serde(borrow, default)]
    pub cluster_name: Text<'a>,
    #[serde(borrow, default)]
    pub user: User<'a>,
    #[serde(borrow, default)]
    pub login: Text<'a>,
    #[serde(borrow, default)]
    pub sid: Text<'a>,
    #[serde(borrow, default)]
    pub server_id: Text<'a>,
    #[serde(borrow, default)]
    pub server_hostname: Text<'a>,
    #[serde(borrow, default)]
    pub server_addr: Text<'a>,
    #[serde(borrow, default, rename = "addr.local")]
    pub addr_local: Text<'a>,
    #[serde(borrow, default, rename = "addr.remote")]
    pub addr_remote: Text<'a>,
    #[serde(borrow, default)]
    pub method: Text<'a>,
    #[serde(borrow, default)]
    pub error: Text<'a>,
    #[serde(borrow, default)]
    pub message: Text<'a>,
    #[serde(borrow, default)]
    pub command: Text<'a>,
    #[serde(borrow, default)]
    pub program: Text<'a>,
    #[serde(borrow)]
    pub argv: Option<RawText<'a>>,
    #[serde(borrow, default)]
    pub size: Text<'a>,
    #[serde(borrow, default)]
    pub proto: Text<'a>,
    #[serde(borrow)]
    pub success: Option<RawText<'a>>,
    /// Newer events that do not embed Status nest it: `"status":{"success":false,…}`.
    #[serde(borrow)]
    pub status: Option<RawText<'a>>,
    #[serde(borrow)]
    pub interactive: Option<RawText<'a>>,
    #[serde(borrow)]
    pub participants: Option<RawText<'a>>,
    #[serde(borrow, default)]
    pub session_start: Text<'a>,
    #[serde(borrow, default)]
    pub session_stop: Text<'a>,
}

/// Parses one line (without its newline). Blank lines are the caller's business.
pub fn parse_line(line: &[u8]) -> Result<ParsedEvent<'_>, LineError> {
    // One UTF-8 check of the whole line, then the parser works on text (checking every
    // captured string separately costs more), with SIMD where the target has it (std's check
    // goes a word at a time: 4 bytes in wasm). A line that fails is looked at again to say why.
    let first = line.trim_ascii_start().first().copied();
    let Ok(text) = simdutf8::basic::from_utf8(line) else { return Err(explain(line, first, None)) };
    match quick::read(text) {
        Some(wire) => event(wire),
        None => event(by_serde(line, first, text)?),
    }
}

/// The event a line's indexed keys make.
fn event(wire: Wire<'_>) -> Result<ParsedEvent<'_>, LineError> {
    let event = match wire.event.map(Text::strict) {
        Some(Some(e)) if !e.is_empty() => e,
        Some(_) => return Err(LineError::new(ProblemKind::MissingEvent, "\"event\" is not a non-empty string")),
        None => return Err(LineError::new(ProblemKind::MissingEvent, "object has no \"event\" field")),
    };
    Ok(ParsedEvent {
        event,
        time: wire.time.text().and_then(|t| parse_rfc3339(&t)),
        code: wire.code.text(),
        uid: wire.uid.text(),
        ei: wire.ei.text().and_then(|t| t.parse().ok()),
        cluster: wire.cluster_name.text(),
        user: wire.user.0.text(),
        login: wire.login.text(),
        sid: wire.sid.text(),
        server_id: wire.server_id.text(),
        server_hostname: wire.server_hostname.text(),
        server_addr: wire.server_addr.text(),
        addr_local: wire.addr_local.text(),
        addr_remote: wire.addr_remote.text(),
        method: wire.method.text(),
        error: wire.error.text(),
        message: wire.message.text(),
        command: wire.command.text().or_else(|| command_line(wire.program, wire.argv)),
        size: wire.size.text(),
        proto: wire.proto.text(),
        success: wire.success.and_then(boolean).or_else(|| wire.status.and_then(|st| nested_bool(st, "success"))),
        interactive: wire.interactive.and_then(boolean),
        participants: wire.participants.map(strings).unwrap_or_default(),
        session_start: wire.session_start.text().and_then(|t| parse_rfc3339(&t)),
        session_stop: wire.session_stop.text().and_then(|t| parse_rfc3339(&t)),
    })
}

/// What serde_json reads of a line [`quick::read`] declined (and the judge of every line: see
/// [`parse_line_with_serde_only`]).
fn by_serde<'a>(line: &[u8], first: Option<u8>, text: &'a str) -> Result<Wire<'a>, LineError> {
    match (first, serde_json::from_str(text)) {
        (Some(b'{'), Ok(wire)) => Ok(wire),
        (_, result) => Err(explain(line, first, result.err())),
    }
}

/// [`parse_line`] with serde_json reading every line: what the quick pass must agree with
/// (for tests and fuzzing).
#[doc(hidden)]
pub fn parse_line_with_serde_only(line: &[u8]) -> Result<ParsedEvent<'_>, LineError> {
    let first = line.trim_ascii_start().first().copied();
    let Ok(text) = std::str::from_utf8(line) else { return Err(explain(line, first, None)) };
    event(by_serde(line, first, text)?)
}

/// A value kept as its JSON text, as written (read by serde_json as a [`RawValue`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct RawText<'a>(pub &'a str);

impl<'de: 'a, 'a> Deserialize<'de> for RawText<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'a RawValue>::deserialize(d).map(|raw| RawText(raw.get()))
    }
}

/// A value where text is expected, read in one pass: a string (borrowed unless it has escapes),
/// or a number or boolean as text (old writers were not consistent). Null, objects and arrays
/// are no text.
#[derive(Default)]
pub(super) enum Text<'a> {
    String(Cow<'a, str>),
    Scalar(String),
    /// Also a field that is not there.
    #[default]
    None,
}

impl<'a> Text<'a> {
    fn text(self) -> Option<Cow<'a, str>> {
        match self {
            Text::String(s) => Some(s),
            Text::Scalar(s) => Some(Cow::Owned(s)),
            Text::None => None,
        }
    }

    /// Only a JSON string: the event type must be one.
    fn strict(self) -> Option<Cow<'a, str>> {
        match self {
            Text::String(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor { nested: None, life: std::marker::PhantomData })
    }
}

/// The user: [`Text`], or the `user` string of an object, for events that nest metadata instead
/// of embedding it (`"user":{"user":"lisa"}`).
#[derive(Default)]
pub(super) struct User<'a>(pub Text<'a>);

impl<'de: 'a, 'a> Deserialize<'de> for User<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor { nested: Some("user"), life: std::marker::PhantomData }).map(User)
    }
}

struct TextVisitor<'a> {
    /// The key whose string an object gives (else an object is no text).
    nested: Option<&'static str>,
    life: std::marker::PhantomData<&'a ()>,
}

impl<'de: 'a, 'a> serde::de::Visitor<'de> for TextVisitor<'a> {
    type Value = Text<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'a>, E> {
        Ok(Text::String(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Text<'a>, E> {
        Ok(Text::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Text<'a>, E> {
        Ok(Text::String(Cow::Owned(v)))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Text<'a>, E> {
        Ok(Text::Scalar(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Text<'a>, E> {
        Ok(Text::Scalar(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Text<'a>, E> {
        Ok(Text::Scalar(v.to_string()))
    }

    /// `{:?}` keeps a fraction (`1.0`), so a float never reads as an integer.
    fn visit_f64<E>(self, v: f64) -> Result<Text<'a>, E> {
        Ok(Text::Scalar(format!("{v:?}")))
    }

    fn visit_unit<E>(self) -> Result<Text<'a>, E> {
        Ok(Text::None)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Text<'a>, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Text::None)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Text<'a>, A::Error> {
        let mut found = Text::None;
        while let Some(key) = map.next_key::<Text<'a>>()? {
            match (&key, self.nested) {
                (Text::String(k), Some(nested)) if k == nested => {
                    found = map.next_value::<Text<'a>>()?.strict().map_or(Text::None, Text::String);
                }
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

/// Why a line is not an event: bad UTF-8, not an object, or where the JSON breaks.
fn explain(line: &[u8], first: Option<u8>, error: Option<serde_json::Error>) -> LineError {
    if let Err(e) = std::str::from_utf8(line) {
        return LineError::new(
            ProblemKind::InvalidUtf8,
            format!("invalid UTF-8 at byte {} of the line", e.valid_up_to() + 1),
        );
    }
    if first != Some(b'{') {
        return match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
            Ok(_) => LineError::new(ProblemKind::NotAnObject, format!("a JSON {}, not an object", json_kind(first))),
            // Most often a line of some program's own log among the events: what it begins
            // with says more than where JSON broke.
            Err(_) => LineError::new(ProblemKind::InvalidJson, format!("text, not JSON: {}", beginning(line))),
        };
    }
    match error {
        Some(e) => LineError::new(ProblemKind::InvalidJson, describe_json_error(&e)),
        None => LineError::new(ProblemKind::InvalidJson, "unreadable JSON".to_owned()),
    }
}

/// The first characters of a line (it is valid UTF-8 here), on one line.
fn beginning(line: &[u8]) -> String {
    const SHOWN: usize = 60;
    let text = String::from_utf8_lossy(line);
    let text = text.trim();
    let mut out: String = text.chars().take(SHOWN).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().nth(SHOWN).is_some() {
        out.push('…');
    }
    format!("“{out}”")
}

fn json_kind(first: Option<u8>) -> &'static str {
    match first {
        Some(b'[') => "array",
        Some(b'"') => "string",
        Some(b't' | b'f') => "boolean",
        Some(b'n') => "null",
        _ => "number",
    }
}

fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Eof => "truncated JSON",
        Category::Syntax => "invalid JSON",
        Category::Data => "unexpected JSON",
        Category::Io => "unreadable JSON",
    };
    // serde_json's message ends with "at line L column C"; on one line only the column matters.
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    format!("{what} at column {}: {msg}", e.column())
}

fn nested_bool(raw: RawText<'_>, key: &str) -> Option<bool> {
    let v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(raw.0).ok()?;
    v.get(key)?.as_bool()
}

/// `true`/`false`, also as the strings `"true"`/`"false"` that Teleport 2.x wrote.
fn boolean(raw: RawText<'_>) -> Option<bool> {
    match raw.0 {
        "true" | "\"true\"" => Some(true),
        "false" | "\"false\"" => Some(false),
        _ => None,
    }
}

/// `program argv…` of an enhanced-recording command (`argv` starts after the program).
fn command_line<'a>(program: Text<'a>, argv: Option<RawText<'a>>) -> Option<Cow<'a, str>> {
    let program = program.text()?;
    let args = argv.map(strings).unwrap_or_default();
    if args.is_empty() {
        return Some(program);
    }
    let mut line = program.into_owned();
    for a in args {
        line.push(' ');
        line.push_str(&a);
    }
    Some(Cow::Owned(line))
}

fn strings(raw: RawText<'_>) -> Vec<Cow<'_, str>> {
    serde_json::from_str::<Vec<Cow<'_, str>>>(raw.0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_read_for_free_text() {
        let exec = br#"{"event":"exec","command":"curl -s http://x | sh","user":"a"}"#;
        assert_eq!(parse_line(exec).unwrap().command.as_deref(), Some("curl -s http://x | sh"));
        let enhanced =
            br#"{"event":"session.command","program":"wget","argv":["-q","http://x"],"path":"/usr/bin/wget"}"#;
        assert_eq!(parse_line(enhanced).unwrap().command.as_deref(), Some("wget -q http://x"));
        let bare = br#"{"event":"session.command","program":"id","argv":null}"#;
        assert_eq!(parse_line(bare).unwrap().command.as_deref(), Some("id"));
        assert_eq!(parse_line(br#"{"event":"user.login"}"#).unwrap().command, None);
    }

    #[test]
    fn reads_sorted_key_v1_line() {
        let line = br#"{"addr.local":"127.0.0.1:3022","addr.remote":"127.0.0.1:51942","event":"session.start","login":"akontsevoy","ms":-64,"offset":0,"server_id":"d1d92452","sid":"4bac8c61","size":"0:0","time":"2016-05-09T14:57:05.936Z","user":"akontsevoy"}"#;
        let e = parse_line(line).unwrap();
        assert_eq!(e.event, "session.start");
        assert_eq!(e.user.as_deref(), Some("akontsevoy"));
        assert_eq!(e.addr_remote.as_deref(), Some("127.0.0.1:51942"));
        assert_eq!(e.node(), Some("d1d92452"));
        assert_eq!(e.code, None);
        assert_eq!(e.outcome(), Outcome::None);
    }

    #[test]
    fn reads_proto_ordered_line_with_nanoseconds() {
        let line = br#"{"ei":0,"event":"session.end","uid":"u1","code":"T2004I","time":"2024-02-23T18:56:57.190681808Z","cluster_name":"c","user":"alice","sid":"s1","server_hostname":"web-1","interactive":true,"participants":["alice","bob"],"session_start":"2024-02-23T18:50:00.5Z","session_stop":"2024-02-23T18:56:57.1Z"}"#;
        let e = parse_line(line).unwrap();
        assert_eq!(e.ei, Some(0));
        assert_eq!(e.interactive, Some(true));
        assert_eq!(e.participants, vec!["alice", "bob"]);
        assert!(e.session_stop.unwrap() > e.session_start.unwrap());
        assert_eq!(e.node(), Some("web-1"));
    }

    #[test]
    fn outcome_follows_event_then_success_then_code() {
        let o = |l: &[u8]| parse_line(l).unwrap().outcome();
        assert_eq!(o(br#"{"event":"auth","user":"x","success":true}"#), Outcome::Failure);
        assert_eq!(o(br#"{"event":"user.login","success":"false"}"#), Outcome::Failure);
        assert_eq!(o(br#"{"event":"user.login","code":"T1000W"}"#), Outcome::Failure);
        assert_eq!(o(br#"{"event":"user.login","code":"T1001I"}"#), Outcome::Success);
        assert_eq!(o(br#"{"event":"exec","code":"T3002E"}"#), Outcome::Failure);
        assert_eq!(o(br#"{"event":"exec","code":"T3002I"}"#), Outcome::None);
    }

    #[test]
    fn bad_lines_say_why() {
        let kind = |l: &[u8]| parse_line(l).unwrap_err().kind;
        assert_eq!(kind(br#"{"event":"user.login","user":"al"#), ProblemKind::InvalidJson);
        assert_eq!(kind(b"[1,2]"), ProblemKind::NotAnObject);
        assert_eq!(kind(b"\"event\""), ProblemKind::NotAnObject);
        assert_eq!(kind(br#"{"user":"x"}"#), ProblemKind::MissingEvent);
        assert_eq!(kind(br#"{"event":7}"#), ProblemKind::MissingEvent);
        assert_eq!(kind(b"{\"event\":\"a\xff\"}"), ProblemKind::InvalidUtf8);
        assert_eq!(kind(br#"{"event":"a","event":"b"}"#), ProblemKind::InvalidJson);
        let e = parse_line(br#"{"event":"x", oops}"#).unwrap_err();
        assert!(e.detail.contains("column 15"), "{}", e.detail);
        // A line of text says how it begins, on one line, cut at 60 characters.
        let text = format!("INFO\t[AUTH] {}", "é".repeat(100));
        let e = parse_line(text.as_bytes()).unwrap_err();
        assert_eq!(
            (e.kind, e.detail),
            (ProblemKind::InvalidJson, format!("text, not JSON: “INFO [AUTH] {}…”", "é".repeat(48)))
        );
    }

    #[test]
    fn nested_user_and_status_are_read() {
        let e = parse_line(br#"{"event":"device","code":"TV004I","status":{"success":false},"user":{"user":"lisa"}}"#)
            .unwrap();
        assert_eq!(e.user.as_deref(), Some("lisa"));
        assert_eq!(e.outcome(), Outcome::Failure);
        let user = |l: &[u8]| parse_line(l).unwrap().user.map(Cow::into_owned);
        let deeper = br#"{"event":"x","user":{"other":{"user":"x"},"user":"li\u0073a","n":[1,{"user":"y"}]}}"#;
        assert_eq!(user(deeper).as_deref(), Some("lisa"), "the object's own key, unescaped");
        assert_eq!(user(br#"{"event":"x","user":{"user":7}}"#), None, "only a string");
        assert_eq!(user(br#"{"event":"x","user":7}"#).as_deref(), Some("7"), "a number as text");
    }

    #[test]
    fn invalid_utf8_anywhere_in_the_line_is_reported() {
        let e = parse_line(b"{\"event\":\"exec\",\"unknown\":\"bad \xc3\x28 byte\"}").unwrap_err();
        assert_eq!(e.kind, ProblemKind::InvalidUtf8);
        assert!(parse_line("{\"event\":\"exec\",\"user\":\"jos\u{e9} \u{65e5}\u{672c}\"}".as_bytes()).is_ok());
    }

    #[test]
    fn odd_field_types_do_not_cost_the_event() {
        let e = parse_line(br#"{"event":"x","time":12,"user":{"a":1},"ei":"7","code":3007,"participants":"nope"}"#)
            .unwrap();
        assert_eq!(e.time, None);
        assert_eq!(e.user, None);
        assert_eq!(e.ei, Some(7));
        assert_eq!(e.code.as_deref(), Some("3007"));
        assert!(e.participants.is_empty());
        let e = parse_line(
            br#"{"event":"s\u0065ssion.start","login":{"a":[1,{"b":null}]},"sid":[1,"x"],"method":null,"size":1.5,"success":"true","interactive":1,"ei":18446744073709551615,"error":"a\"b"}"#,
        )
        .unwrap();
        assert_eq!(e.event, "session.start", "escapes are undone");
        assert_eq!((&e.login, &e.sid, &e.method), (&None, &None, &None), "objects, arrays and null are no text");
        assert_eq!(e.size.as_deref(), Some("1.5"));
        assert_eq!((e.success, e.interactive), (Some(true), None));
        assert_eq!(e.ei, None, "too big for an i64");
        assert_eq!(e.error.as_deref(), Some("a\"b"));
        assert_eq!(e.outcome(), Outcome::Success);
    }
}
