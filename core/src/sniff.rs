//! What a file is, told from its bytes. The name is used only where bytes cannot tell (raw PTY
//! output has no structure) and to pair the parts of a recording by session id.

use crate::audit::carried;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// How much of a file's start is looked at.
pub const HEAD_LEN: usize = 64 * 1024;
/// Lines of the head parsed to tell what the file is: the kinds differ in their first lines.
const SNIFF_LINES: usize = 20;

/// The keys that tell the kinds of JSON lines apart, borrowed (no allocation per line).
#[derive(serde::Deserialize)]
struct Probe<'a> {
    #[serde(borrow)]
    event: Option<&'a RawValue>,
    #[serde(borrow)]
    file_name: Option<&'a RawValue>,
    #[serde(borrow, rename = "type")]
    kind: Option<&'a RawValue>,
    #[serde(borrow)]
    ei: Option<&'a RawValue>,
    #[serde(borrow)]
    ci: Option<&'a RawValue>,
}

/// The outer layer of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layer {
    Gzip,
    /// A real (ustar/GNU/pax) tar archive.
    Tar,
    /// A Teleport 4.4+ ProtoStream recording (named `.tar`, but not a tar).
    ProtoStream {
        version: u8,
        encrypted: bool,
    },
    Plain,
}

/// What plain (or decompressed) content is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Content {
    /// JSON lines of audit events; `array` when wrapped as a JSON array, one object a line.
    AuditLog {
        array: bool,
    },
    /// Generation 1 `<sid>.session.log`: session events and prints without `ei`.
    Gen1SessionLog,
    /// Generation 1 `<sid>.session.bytes`: raw terminal output.
    Gen1Bytes,
    /// Generation 2 `<sid>.index`.
    Gen2Index,
    /// Generation 2 `<sid>-<ei>.events.gz`, decompressed.
    Gen2Events,
    /// Generation 2 `<sid>-<offset>.chunks.gz`, decompressed: raw terminal output.
    Gen2Chunks,
    /// Generation 2 enhanced-recording events (`…session.command-events.gz` etc.).
    Gen2Enhanced,
    /// Teleport's empty marker files (`.completed`, `.checkpoint`, `.error`).
    Marker,
    Empty,
    /// Not something this tool reads; the reason says what it looked like.
    Unknown(&'static str),
}

impl Content {
    pub fn is_recording_part(self) -> bool {
        matches!(
            self,
            Content::Gen1SessionLog
                | Content::Gen1Bytes
                | Content::Gen2Index
                | Content::Gen2Events
                | Content::Gen2Chunks
                | Content::Gen2Enhanced
        )
    }
}

/// The outer layer, from the first bytes.
pub fn sniff_layer(head: &[u8]) -> Layer {
    if head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b {
        return Layer::Gzip;
    }
    if let Some(l) = protostream_header(head) {
        return l;
    }
    if head.len() >= 262 && &head[257..262] == b"ustar" {
        return Layer::Tar;
    }
    Layer::Plain
}

fn protostream_header(head: &[u8]) -> Option<Layer> {
    let word = |i: usize| -> Option<u64> { Some(u64::from_be_bytes(head.get(i * 8..i * 8 + 8)?.try_into().ok()?)) };
    let version = word(0)?;
    // Part and padding sizes bound how plausible the header is: no real part is a terabyte.
    let plausible = |v: u64| v < (1 << 40);
    if !(plausible(word(1)?) && plausible(word(2)?)) {
        return None;
    }
    match version {
        1 => Some(Layer::ProtoStream { version: 1, encrypted: false }),
        2 => {
            let flags = *head.get(24)?;
            Some(Layer::ProtoStream { version: 2, encrypted: flags & 1 == 1 })
        }
        _ => None,
    }
}

/// The name of a recording part, as Teleport writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartName {
    pub sid: String,
    pub role: NameRole,
    /// For `-N.events.gz` the first event index, for `-N.chunks.gz` the first byte offset.
    pub number: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRole {
    SessionLog,
    SessionBytes,
    Index,
    Events,
    Chunks,
    Enhanced,
    Tar,
    Marker,
}

/// Reads a recording part's role and session id from its base name.
pub fn part_name(path: &str) -> Option<PartName> {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let (stem, role) = [
        (".session.log", NameRole::SessionLog),
        (".session.bytes", NameRole::SessionBytes),
        (".index", NameRole::Index),
        (".events.gz", NameRole::Events),
        (".events", NameRole::Events),
        (".chunks.gz", NameRole::Chunks),
        (".chunks", NameRole::Chunks),
        ("-events.gz", NameRole::Enhanced),
        (".tar", NameRole::Tar),
        (".completed", NameRole::Marker),
        (".checkpoint", NameRole::Marker),
        (".error", NameRole::Marker),
    ]
    .into_iter()
    .find_map(|(suffix, role)| base.strip_suffix(suffix).map(|s| (s, role)))?;
    let (sid, number) = match role {
        NameRole::Events | NameRole::Chunks | NameRole::Enhanced => {
            // `<sid>-<N>`, or for enhanced files `<sid>-<N>.session.command`.
            let stem = stem.split('.').next().unwrap_or(stem);
            let (sid, n) = stem.rsplit_once('-')?;
            (sid, Some(n.parse().ok()?))
        }
        _ => (stem, None),
    };
    if sid.is_empty() {
        return None;
    }
    Some(PartName { sid: sid.to_owned(), role, number })
}

/// `a/b/npm.tty.stream` → (`a/b`, `npm`): what files renamed together still share.
pub fn folder_and_stem(path: &str) -> (&str, &str) {
    let (folder, base) = path.rsplit_once('/').unwrap_or(("", path));
    (folder, base.split('.').next().unwrap_or(base))
}

/// What plain content is, from its first bytes (`complete` when that is the whole content).
pub fn sniff_content(path: &str, head: &[u8], complete: bool) -> Content {
    let name = part_name(path);
    let role = name.as_ref().map(|n| n.role);
    if head.is_empty() && complete {
        return if role == Some(NameRole::Marker) { Content::Marker } else { Content::Empty };
    }
    // Raw terminal output can only be known by its name.
    match role {
        Some(NameRole::SessionBytes) => return Content::Gen1Bytes,
        Some(NameRole::Chunks) => return Content::Gen2Chunks,
        _ => {}
    }
    if looks_binary(head) {
        return Content::Unknown("binary data, not text");
    }
    let text = trim_bom(head);
    let array = text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let mut any_object = false;
    let mut any_event = false;
    let mut prints = (0, 0); // (without ei, with ei)
    let mut index_lines = 0;
    // The last piece may be cut by the head's end: only trust it if the file ends there.
    let mut rest = text;
    let mut looked = 0;
    let mut container = false;
    while !rest.is_empty() {
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None if complete => (rest, &rest[rest.len()..]),
            None => break,
        };
        rest = next;
        let raw = line;
        let line = trim_line(line, array);
        if line.is_empty() {
            continue;
        }
        // What a container runtime or a prefix carried. A container's log is read on to the
        // end, where the reader decides: a piece of a split line tells nothing yet, and stderr
        // holds Teleport's own log (in JSON too), whatever is on stdout.
        let held = if array { None } else { carried::unwrap(raw) };
        if let Some(c) = &held {
            if c.carrier != carried::Carrier::Prefix {
                container = true;
                if c.continues || c.stream == carried::Stream::Stderr {
                    continue;
                }
            }
        }
        let line: &[u8] = held.as_ref().map_or(line, |c| &c.text);
        looked += 1;
        if looked > SNIFF_LINES {
            break;
        }
        let Ok(probe) = serde_json::from_slice::<Probe<'_>>(line) else {
            // A damaged event line still says what the file is; the loader reports the damage.
            any_event |= line.starts_with(b"{") && memchr::memmem::find(line, b"\"event\"").is_some();
            continue;
        };
        if !line.starts_with(b"{") {
            continue;
        }
        any_object = true;
        if probe.file_name.is_some() && probe.kind.is_some() {
            index_lines += 1;
        }
        match probe.event.map(RawValue::get) {
            Some("\"print\"") if probe.ei.is_some() || probe.ci.is_some() => prints.1 += 1,
            Some("\"print\"") => prints.0 += 1,
            Some(e) if e.starts_with('"') => any_event = true,
            _ => {}
        }
    }
    match role {
        Some(NameRole::Index) if index_lines > 0 => return Content::Gen2Index,
        Some(NameRole::SessionLog) if any_object => return Content::Gen1SessionLog,
        Some(NameRole::Events) if any_object => return Content::Gen2Events,
        Some(NameRole::Enhanced) if any_object => return Content::Gen2Enhanced,
        _ => {}
    }
    if index_lines > 0 && !any_event {
        Content::Gen2Index
    } else if prints.1 > 0 {
        Content::Gen2Events
    } else if prints.0 > 0 {
        Content::Gen1SessionLog
    } else if any_event || container || (!any_object && !complete) {
        // No verdict yet from a head without one full event line: read on, decide at the end.
        Content::AuditLog { array }
    } else if any_object {
        Content::Unknown("JSON objects without an \"event\" field")
    } else {
        Content::Unknown("text that is not JSON lines")
    }
}

fn looks_binary(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(4096)];
    sample.contains(&0)
}

fn trim_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

/// A line of JSON lines, or of a JSON array written one object a line (`[`, `{…},`, `]`).
pub fn trim_line(line: &[u8], array: bool) -> &[u8] {
    let mut l = line.trim_ascii();
    if array {
        if l == b"[" || l == b"]" {
            return &[];
        }
        l = l.strip_prefix(b"[").unwrap_or(l).trim_ascii_start();
        l = l.strip_suffix(b"]").unwrap_or(l).trim_ascii_end();
        l = l.strip_suffix(b",").unwrap_or(l).trim_ascii_end();
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_from_magic_bytes() {
        assert_eq!(sniff_layer(b"\x1f\x8b\x08\x00"), Layer::Gzip);
        let mut ps = vec![0u8; 32];
        ps[7] = 1;
        ps[15] = 100;
        assert_eq!(sniff_layer(&ps), Layer::ProtoStream { version: 1, encrypted: false });
        ps[7] = 2;
        ps[24] = 1;
        assert_eq!(sniff_layer(&ps), Layer::ProtoStream { version: 2, encrypted: true });
        ps[7] = 3;
        assert_eq!(sniff_layer(&ps), Layer::Plain);
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(sniff_layer(&tar), Layer::Tar);
        assert_eq!(sniff_layer(b"{\"event\":\"x\"}\n"), Layer::Plain);
    }

    #[test]
    fn names_of_recording_parts() {
        let p = part_name("log/a1/sessions/default/037e2e3e-e6f5-11e9-a7ac-42010a80002b-0.chunks.gz").unwrap();
        assert_eq!(
            (p.sid.as_str(), p.role, p.number),
            ("037e2e3e-e6f5-11e9-a7ac-42010a80002b", NameRole::Chunks, Some(0))
        );
        let p = part_name("s1-5.session.command-events.gz").unwrap();
        assert_eq!((p.sid.as_str(), p.role, p.number), ("s1", NameRole::Enhanced, Some(5)));
        assert_eq!(part_name("x/4bac.session.bytes").unwrap().role, NameRole::SessionBytes);
        assert_eq!(part_name("2017-02-03.00:00:00.log"), None);
    }

    #[test]
    fn content_from_lines() {
        let audit = b"{\"event\":\"user.login\",\"user\":\"a\"}\n{\"event\":\"auth\"}\n";
        assert_eq!(sniff_content("2017-02-03.00:00:00.log", audit, true), Content::AuditLog { array: false });
        let g1 = b"{\"event\":\"session.start\",\"sid\":\"s\"}\n{\"bytes\":42,\"event\":\"print\",\"ms\":87,\"offset\":0,\"time\":\"2016-05-09T14:57:06.087Z\"}\n";
        assert_eq!(sniff_content("weird-name", g1, true), Content::Gen1SessionLog);
        let g2 = b"{\"time\":\"2019-10-04T22:19:21.643Z\",\"event\":\"print\",\"bytes\":54,\"ms\":0,\"offset\":0,\"ei\":2,\"ci\":0}\n";
        assert_eq!(sniff_content("weird-name", g2, true), Content::Gen2Events);
        let idx = b"{\"file_name\":\"s-0.events.gz\",\"type\":\"events\",\"index\":0,\"offset\":0}\n";
        assert_eq!(sniff_content("anything", idx, true), Content::Gen2Index);
        assert_eq!(sniff_content("s.session.bytes", b"\x1b[1mhi", true), Content::Gen1Bytes);
        assert_eq!(sniff_content("a.png", b"\x89PNG\r\n\x1a\n\0\0", true), Content::Unknown("binary data, not text"));
        assert_eq!(
            sniff_content("notes.txt", b"hello\nworld\n", true),
            Content::Unknown("text that is not JSON lines")
        );
        assert_eq!(sniff_content("s.completed", b"", true), Content::Marker);
        let arr = b"[\n{\"event\":\"a\"},\n{\"event\":\"b\"}\n]";
        assert_eq!(sniff_content("export.json", arr, true), Content::AuditLog { array: true });
    }
}
