//! Fields the model does not index, read from the raw lines of the few events that need them
//! (`session.command`, `session.network`, `exec`, `access_request.*`), leniently: a field of
//! an unexpected type is treated as absent.

use serde::Deserialize;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The command line of a `session.command` (`path` + `argv`) or `exec` (`command`) event.
/// Borrowing, and skipping every other key without building it: these events can be many.
pub(super) fn command_line(line: &[u8], exec: bool) -> Option<String> {
    #[derive(Deserialize)]
    struct Fast<'a> {
        #[serde(borrow, default)]
        command: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        path: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        program: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        argv: Option<Vec<Cow<'a, str>>>,
    }
    let (command, program, argv): (Option<String>, Option<String>, Vec<String>) =
        match serde_json::from_slice::<Fast<'_>>(line) {
            Ok(f) => (
                f.command.map(Cow::into_owned),
                f.path.or(f.program).map(Cow::into_owned),
                f.argv.unwrap_or_default().into_iter().map(Cow::into_owned).collect(),
            ),
            // A field of an unexpected type: the lenient way.
            Err(_) => {
                let f = Fields::parse(line)?;
                let program = f.str("path").or(f.str("program")).map(str::to_owned);
                (f.str("command").map(str::to_owned), program, f.strs("argv"))
            }
        };
    if exec {
        return command.filter(|c| !c.is_empty());
    }
    // Enhanced recording: `path` is the program, `argv` its arguments.
    let mut words = vec![program.unwrap_or_default()];
    words.extend(argv);
    Some(words.join(" "))
}

pub(super) struct Fields(Map<String, Value>);

impl Fields {
    pub fn parse(line: &[u8]) -> Option<Fields> {
        match serde_json::from_slice(line) {
            Ok(Value::Object(m)) => Some(Fields(m)),
            _ => None,
        }
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
    }

    /// An integer, also when written as a string.
    pub fn int(&self, key: &str) -> Option<i64> {
        match self.0.get(key)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// Strings of an array (other elements skipped); a lone string counts as one.
    pub fn strs(&self, key: &str) -> Vec<String> {
        match self.0.get(key) {
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    /// Either a name or its proto enum number (`"APPROVED"` or `2`), upper-cased.
    pub fn state(&self, key: &str) -> Option<String> {
        match self.0.get(key)? {
            Value::String(s) => Some(s.trim().to_ascii_uppercase()),
            Value::Number(n) => match n.as_i64()? {
                0 => Some("NONE".into()),
                1 => Some("PENDING".into()),
                2 => Some("APPROVED".into()),
                3 => Some("DENIED".into()),
                4 => Some("PROMOTED".into()),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The top-level `ei` of a line without parsing all of it. A string value cannot contain an
/// unescaped `"ei":`, so the first match is a key; Teleport writes `ei` first (v4.4+) or in
/// sorted order among top-level keys, before any nested object that could hold one.
pub(super) fn ei(line: &[u8]) -> Option<i64> {
    static FINDER: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    const KEY: &[u8] = b"\"ei\":";
    let at = if line.get(1..6) == Some(KEY) {
        6
    } else {
        FINDER.get_or_init(|| memchr::memmem::Finder::new(KEY)).find(line)? + 5
    };
    let rest = &line[at..];
    let rest = &rest[rest.iter().position(|b| !b.is_ascii_whitespace())?..];
    let (neg, digits) = match rest.first()? {
        b'-' => (true, &rest[1..]),
        b'"' => (false, &rest[1..]),
        _ => (false, rest),
    };
    let end = digits.iter().position(|b| !b.is_ascii_digit()).unwrap_or(digits.len());
    let v: i64 = std::str::from_utf8(&digits[..end]).ok()?.parse().ok()?;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_ei() {
        assert_eq!(super::ei(br#"{"ei":12,"event":"x"}"#), Some(12));
        assert_eq!(super::ei(br#"{"code":"T","ei": 2147483647}"#), Some(2147483647));
        assert_eq!(super::ei(br#"{"ei":"7"}"#), Some(7));
        assert_eq!(super::ei(br#"{"event":"x"}"#), None);
    }
}
