//! Audit events as something else carried them. Teleport writes the same JSON lines to stdout
//! (`audit_events_uri: stdout://`) as to its files, and what keeps a container's stdout wraps
//! each line: the CRI log files kubelet writes under `/var/log/pods` (`<time> <stream> <F|P>
//! <line>`), Docker's json-file logs (`{"log":"<line>\n","stream":…,"time":…}`), or a prefix
//! (`kubectl logs --timestamps`, fluentd's file output, syslog). Both runtimes split a long
//! line into pieces, which the reader joins again.

use serde::Deserialize;
use std::borrow::Cow;

/// What a carrier held, once taken off.
#[derive(Debug, PartialEq, Eq)]
pub struct Carried<'a> {
    /// The line as written by Teleport, or one piece of it. Borrowed from the line (so its place
    /// in the file is known) unless it had to be unescaped.
    pub text: Cow<'a, [u8]>,
    pub carrier: Carrier,
    /// The runtime split the line: the next piece of the same stream follows.
    pub continues: bool,
    /// The container's output it was written to: pieces join within one.
    pub stream: Stream,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carrier {
    Cri,
    DockerJson,
    /// Text before the JSON on the same line; the line is an event only if what follows is one.
    Prefix,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout = 0,
    Stderr = 1,
}

/// The size of the pieces Docker splits a long line into.
const DOCKER_PIECE: usize = 16 * 1024;

/// How far into a line a prefix may reach (syslog's host and tag included).
const MAX_PREFIX: usize = 256;

/// What carried `line` (as read, not trimmed: a piece of a split line may end in a space that
/// belongs to the next), if anything: `None` for a line to be read as it is. A plain audit line
/// pays for no more than a look at its first bytes.
#[inline]
pub fn unwrap(line: &[u8]) -> Option<Carried<'_>> {
    let trimmed = line.trim_ascii();
    if trimmed.starts_with(br#"{"log":"#) {
        return docker(trimmed);
    }
    if trimmed.first() == Some(&b'{') {
        return None;
    }
    cri(line.trim_ascii_start()).or_else(|| prefixed(trimmed))
}

/// `2024-02-23T10:00:00.123456789Z stdout F <line>`: a timestamp, the stream, and tags of which
/// `P` marks a piece. The line after the tags is taken as it is, spaces included.
fn cri(line: &[u8]) -> Option<Carried<'_>> {
    let mut parts = line.splitn(4, |&b| b == b' ');
    let (time, stream, tags) = (parts.next()?, parts.next()?, parts.next()?);
    let text = parts.next().unwrap_or(&line[line.len()..]);
    if !looks_like_rfc3339(time) {
        return None;
    }
    let stream = match stream {
        b"stdout" => Stream::Stdout,
        b"stderr" => Stream::Stderr,
        _ => return None,
    };
    let mut tags = tags.split(|&b| b == b':');
    let continues = match tags.next()? {
        b"P" => true,
        b"F" => false,
        _ => return None,
    };
    Some(Carried { text: Cow::Borrowed(text), carrier: Carrier::Cri, continues, stream })
}

fn looks_like_rfc3339(t: &[u8]) -> bool {
    t.len() >= 20 && t[..4].iter().all(u8::is_ascii_digit) && t[4] == b'-' && t[7] == b'-' && t[10] == b'T'
}

/// A line of Docker's json-file log driver.
fn docker(line: &[u8]) -> Option<Carried<'_>> {
    #[derive(Deserialize)]
    struct Entry<'a> {
        #[serde(borrow)]
        log: Cow<'a, str>,
        #[serde(borrow)]
        stream: Option<Cow<'a, str>>,
    }
    let entry: Entry<'_> = serde_json::from_slice(line).ok()?;
    let stream = if entry.stream.as_deref() == Some("stderr") { Stream::Stderr } else { Stream::Stdout };
    // A whole line ends in its newline. Docker splits lines longer than 16 KiB, so a piece is
    // that long and has none; a shorter line without one is whole (the last output of a
    // program, or a shipper that took newlines off).
    let continues = !entry.log.ends_with('\n') && entry.log.len() >= DOCKER_PIECE;
    let len = if continues { entry.log.len() } else { entry.log.trim_end_matches('\n').trim_end_matches('\r').len() };
    let text = match entry.log {
        Cow::Borrowed(s) => Cow::Borrowed(&s.as_bytes()[..len]),
        Cow::Owned(mut s) => {
            s.truncate(len);
            Cow::Owned(s.into_bytes())
        }
    };
    Some(Carried { text, carrier: Carrier::DockerJson, continues, stream })
}

/// `<anything without braces> {…}`: the JSON object that starts after a space or a tab within
/// the first [`MAX_PREFIX`] bytes.
fn prefixed(line: &[u8]) -> Option<Carried<'_>> {
    let head = &line[..line.len().min(MAX_PREFIX)];
    let at = memchr::memchr(b'{', head)?;
    if at == 0 || !matches!(line[at - 1], b' ' | b'\t') {
        return None;
    }
    Some(Carried {
        text: Cow::Borrowed(&line[at..]),
        carrier: Carrier::Prefix,
        continues: false,
        stream: Stream::Stdout,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<'a>(c: &'a Option<Carried<'_>>) -> Option<(&'a str, Carrier, bool, Stream)> {
        c.as_ref().map(|c| (std::str::from_utf8(&c.text).unwrap(), c.carrier, c.continues, c.stream))
    }

    #[test]
    fn cri_lines_and_their_pieces() {
        let full = unwrap(br#"2024-02-23T10:00:00.123456789Z stdout F {"event":"user.login"}"#);
        assert_eq!(text(&full), Some((r#"{"event":"user.login"}"#, Carrier::Cri, false, Stream::Stdout)));
        let piece = unwrap(br#"2024-02-23T10:00:00.123456789+01:00 stderr P {"event":"us"#);
        assert_eq!(text(&piece), Some((r#"{"event":"us"#, Carrier::Cri, true, Stream::Stderr)));
        assert_eq!(text(&unwrap(b"2024-02-23T10:00:00Z stdout F")), Some(("", Carrier::Cri, false, Stream::Stdout)));
        // A piece keeps the space it ends in: it belongs between it and the next.
        let spaced = unwrap(b"2024-02-23T10:00:00Z stdout P {\"message\":\"a ");
        assert_eq!(text(&spaced).map(|t| t.0), Some("{\"message\":\"a "));
        // Not CRI: another stream, another tag, no timestamp.
        for other in ["2024-02-23T10:00:00Z stdin F x", "2024-02-23T10:00:00Z stdout X x", "yesterday stdout F x"] {
            assert_eq!(unwrap(other.as_bytes()), None, "{other}");
        }
    }

    #[test]
    fn docker_json_file_lines_are_unescaped_and_pieces_end_without_a_newline() {
        let line = br#"{"log":"{\"event\":\"user.login\",\"user\":\"a\\\\b\"}\n","stream":"stdout","time":"2024-02-23T10:00:00Z"}"#;
        let c = unwrap(line);
        assert_eq!(
            text(&c),
            Some((r#"{"event":"user.login","user":"a\\b"}"#, Carrier::DockerJson, false, Stream::Stdout))
        );
        let long = "x".repeat(DOCKER_PIECE);
        let piece = format!(r#"{{"log":"{long}","stream":"stderr","time":"2024-02-23T10:00:00Z"}}"#);
        assert_eq!(text(&unwrap(piece.as_bytes())), Some((long.as_str(), Carrier::DockerJson, true, Stream::Stderr)));
        let plain = unwrap(br#"{"log":"plain text\r\n","stream":"stdout"}"#);
        assert_eq!(text(&plain), Some(("plain text", Carrier::DockerJson, false, Stream::Stdout)));
        // Shorter than a piece and without a newline: whole. (An event whose first key is
        // "log" looks like one of these; the reader keeps it as the event it is.)
        assert_eq!(unwrap(br#"{"log":"x","event":"user.login"}"#).map(|c| c.continues), Some(false));
        assert_eq!(text(&unwrap(br#"{"log":"\n"}"#)), Some(("", Carrier::DockerJson, false, Stream::Stdout)));
        assert_eq!(unwrap(br#"{"log":1}"#), None);
        assert_eq!(unwrap(br#"{"event":"user.login"}"#), None);
    }

    #[test]
    fn a_prefix_before_the_json() {
        let cases = [
            "2024-02-23T10:00:00.5Z {\"event\":\"x\"}",
            "2024-02-23T10:00:00+00:00\tteleport.events\t{\"event\":\"x\"}",
            "Feb 23 10:00:00 auth-1 teleport[811]: {\"event\":\"x\"}",
        ];
        for line in cases {
            assert_eq!(
                text(&unwrap(line.as_bytes())),
                Some(("{\"event\":\"x\"}", Carrier::Prefix, false, Stream::Stdout))
            );
        }
        let far = format!("{} {{\"event\":\"x\"}}", "a".repeat(MAX_PREFIX));
        for not in ["text only", "x{\"event\":\"x\"}", &far] {
            assert_eq!(unwrap(not.as_bytes()), None, "{not}");
        }
        assert_eq!(unwrap(br#" {"event":"x"} "#), None);
    }
}
