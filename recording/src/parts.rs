//! Sorts the given files into one recording generation: unpacks gzip and real tar layers,
//! tells each file's role from its bytes (and from its name only where bytes cannot tell), and
//! keeps the parts of one session.

use crate::{inflate, Limits, Part, RecordingError};
use review_core::container::{TarEvent, TarSplitter};
use review_core::sniff::{self, Content, Layer, NameRole};
use std::borrow::Cow;

/// Archives inside archives are opened this deep (a gen-2 `.tar.gz` of `.gz` files is 3).
const MAX_DEPTH: u8 = 3;

/// A file (or archive entry, decompressed) with what it is.
pub(crate) struct Named<'a> {
    pub name: String,
    pub data: Cow<'a, [u8]>,
    pub content: Content,
}

/// A ProtoStream file (or one upload part of it).
pub(crate) struct Stream<'a> {
    pub name: String,
    pub data: Cow<'a, [u8]>,
}

pub(crate) enum Set<'a> {
    /// ProtoStream files in part order (one `<sid>.tar`, or its upload parts `<N>.part`).
    ProtoStream(Vec<Stream<'a>>),
    /// Index, events, enhanced-events and chunks files.
    Gen2(Vec<Named<'a>>),
    Gen1 {
        log: Named<'a>,
        bytes: Option<Named<'a>>,
    },
    Nothing,
}

pub(crate) struct Sorted<'a> {
    pub set: Set<'a>,
    /// The session id from the file names, if they say.
    pub sid: Option<String>,
    pub problems: Vec<String>,
    /// How a file was read where its name did not say (not damage).
    pub notes: Vec<String>,
}

impl<'a> Sorted<'a> {
    /// A set with nothing to say yet: [`sort`] gives it the problems met on the way.
    fn new(set: Set<'a>, sid: Option<String>) -> Self {
        Sorted { set, sid, problems: Vec::new(), notes: Vec::new() }
    }
}

/// Everything found in the given files and inside their archives.
#[derive(Default)]
struct Found<'a> {
    streams: Vec<Stream<'a>>,
    loose: Vec<Named<'a>>,
}

pub(crate) fn sort<'a>(parts: &[Part<'a>], limits: &Limits) -> Result<Sorted<'a>, RecordingError> {
    let mut problems = Vec::new();
    if parts.is_empty() {
        return Err(RecordingError::Unreadable("no files were given".to_owned()));
    }
    let mut found = Found::default();
    for part in parts {
        let layer = Layers { depth: 0, gunzipped: false };
        unpack(part.path.to_owned(), Cow::Borrowed(part.bytes), layer, limits, &mut found, &mut problems);
    }
    let Found { streams, loose } = found;

    let sorted = if !streams.is_empty() {
        ignore_all(&loose, "a ProtoStream recording was given with it", &mut problems);
        protostream_set(streams, &mut problems)
    } else if loose.iter().any(|f| matches!(f.content, Content::Gen2Events | Content::Gen2Index)) {
        gen2_set(loose, &mut problems)
    } else if loose.iter().any(|f| f.content == Content::Gen1SessionLog) {
        gen1_set(loose, &mut problems)
    } else {
        for f in &loose {
            problems.push(format!("{}: {}", f.name, not_a_recording(f.content)));
        }
        Sorted::new(Set::Nothing, None)
    };
    Ok(Sorted { problems, ..sorted })
}

/// How deep a file was found, and whether the layer it came from was gzip.
#[derive(Clone, Copy)]
struct Layers {
    depth: u8,
    gunzipped: bool,
}

fn unpack<'a>(
    name: String,
    data: Cow<'a, [u8]>,
    layers: Layers,
    limits: &Limits,
    found: &mut Found<'a>,
    problems: &mut Vec<String>,
) {
    let role = sniff::part_name(&name).map(|p| p.role);
    // Raw terminal output has no structure: once unpacked (or when named so), it is what its
    // name says, whatever its first bytes look like.
    let raw = matches!(role, Some(NameRole::Chunks | NameRole::SessionBytes));
    let deeper = layers.depth < MAX_DEPTH;
    match sniff::sniff_layer(&data) {
        Layer::Gzip if deeper && !(raw && layers.gunzipped) => {
            let inflated = inflate::gunzip(&name, &data, limits.max_inflated, problems);
            let inner = Layers { depth: layers.depth + 1, gunzipped: true };
            unpack(name, Cow::Owned(inflated), inner, limits, found, problems);
        }
        Layer::Tar if deeper && !raw => {
            let inner = Layers { depth: layers.depth + 1, gunzipped: false };
            for (entry, bytes) in untar(&name, &data, problems) {
                unpack(entry, Cow::Owned(bytes), inner, limits, found, problems);
            }
        }
        _ if !raw && protostream_version(&data).is_some() => found.streams.push(Stream { name, data }),
        _ => {
            let head = &data[..data.len().min(sniff::HEAD_LEN)];
            let content = sniff::sniff_content(&name, head, head.len() == data.len());
            found.loose.push(Named { name, data, content });
        }
    }
}

/// The version word of what looks like a ProtoStream part header (any version: versions the
/// decoder does not know are reported by it, not mistaken for another format).
pub(crate) fn protostream_version(data: &[u8]) -> Option<u64> {
    let word = |i: usize| Some(u64::from_be_bytes(data.get(i..i + 8)?.try_into().ok()?));
    let version = word(0)?;
    // A tar or JSON file starts with text, so 7 zero bytes are already telling.
    (1..=255).contains(&version).then_some(version)
}

fn untar(name: &str, data: &[u8], problems: &mut Vec<String>) -> Vec<(String, Vec<u8>)> {
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut split = TarSplitter::new();
    let mut emit = |event: TarEvent<'_>| match event {
        TarEvent::Entry { path, .. } => entries.push((path, Vec::new())),
        TarEvent::Data(bytes) => {
            if let Some((_, body)) = entries.last_mut() {
                body.extend_from_slice(bytes);
            }
        }
        TarEvent::End => {}
    };
    let result = split.push(data, &mut emit).and_then(|()| split.finish(&mut emit));
    if let Err(e) = result {
        problems.push(format!("{name}: {e}"));
    }
    entries
}

fn not_a_recording(content: Content) -> String {
    match content {
        Content::AuditLog { .. } => "an audit log, not part of a session recording".to_owned(),
        Content::Empty => "the file is empty".to_owned(),
        Content::Marker => "an empty marker file".to_owned(),
        Content::Gen1Bytes | Content::Gen2Chunks => {
            "raw terminal output without the events file that says when it was printed".to_owned()
        }
        Content::Gen2Enhanced => "enhanced-recording events without the session's events file".to_owned(),
        Content::Unknown(why) => format!("not a Teleport session recording ({why})"),
        _ => "not usable on its own".to_owned(),
    }
}

fn ignore_all(files: &[Named<'_>], why: &str, problems: &mut Vec<String>) {
    for f in files.iter().filter(|f| f.content != Content::Marker) {
        problems.push(format!("{}: ignored: {why}", f.name));
    }
}

fn sid_of(name: &str) -> Option<String> {
    sniff::part_name(name).map(|p| p.sid)
}

/// Keeps the files of session `sid`, and files whose names name no session.
fn one_session<T>(files: Vec<T>, name: impl Fn(&T) -> &str, sid: Option<&str>, problems: &mut Vec<String>) -> Vec<T> {
    let Some(sid) = sid else { return files };
    let (keep, other): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| sid_of(name(f)).is_none_or(|s| s == sid));
    for f in &other {
        problems.push(format!("{}: ignored: it belongs to another session than {sid}", name(f)));
    }
    keep
}

fn protostream_set<'a>(mut streams: Vec<Stream<'a>>, problems: &mut Vec<String>) -> Sorted<'a> {
    let sid = streams.iter().find_map(|f| sid_of(&f.name));
    // Upload parts (`records/multi/<upload>/<sid>/<N>.part`) concatenate in part-number order.
    let part_number = |f: &Stream<'_>| {
        let base = f.name.rsplit(['/', '\\']).next().unwrap_or(&f.name);
        base.strip_suffix(".part").and_then(|n| n.parse::<u64>().ok())
    };
    if streams.len() > 1 && streams.iter().all(|f| part_number(f).is_some()) {
        streams.sort_by_key(|f| part_number(f));
    }
    let streams = one_session(streams, |f| &f.name, sid.as_deref(), problems);
    Sorted::new(Set::ProtoStream(streams), sid)
}

fn gen2_set<'a>(loose: Vec<Named<'a>>, problems: &mut Vec<String>) -> Sorted<'a> {
    let is_gen2 = |c: Content| {
        matches!(c, Content::Gen2Index | Content::Gen2Events | Content::Gen2Enhanced | Content::Gen2Chunks)
    };
    let (mut files, mut other): (Vec<_>, Vec<_>) = loose.into_iter().partition(|f| is_gen2(f.content));
    let mut notes = Vec::new();
    if let Some(output) = renamed_output(&files, &mut other) {
        notes.push(format!("{}: read as the terminal output of its events file (its name does not say)", output.name));
        files.push(output);
    }
    for f in other.iter().filter(|f| !matches!(f.content, Content::Marker | Content::Empty)) {
        problems.push(format!("{}: ignored: {}", f.name, not_a_recording(f.content)));
    }
    let sid = [Content::Gen2Index, Content::Gen2Events]
        .iter()
        .find_map(|&c| files.iter().filter(|f| f.content == c).find_map(|f| sid_of(&f.name)));
    let files = one_session(files, |f| &f.name, sid.as_deref(), problems);
    Sorted { notes, ..Sorted::new(Set::Gen2(files), sid) }
}

/// Terminal output renamed away from `<sid>-<offset>.chunks` (a copy kept as `npm.tty.stream`
/// beside `npm.tty.events.json`) has nothing in its name or bytes to tell it by. Events without
/// their output, given with exactly one file of their folder and name stem that is nothing
/// else, are given their output (as the catalog pairs them: `Model::pair_renamed_output`).
fn renamed_output<'a>(files: &[Named<'a>], other: &mut Vec<Named<'a>>) -> Option<Named<'a>> {
    if files.iter().any(|f| f.content == Content::Gen2Chunks) {
        return None;
    }
    let events = files.iter().find(|f| f.content == Content::Gen2Events && sid_of(&f.name).is_none())?;
    let key = sniff::folder_and_stem(&events.name);
    let unknown = |f: &Named<'_>| {
        matches!(f.content, Content::Unknown(_) | Content::AuditLog { .. }) && sniff::folder_and_stem(&f.name) == key
    };
    let mut candidates = other.iter().enumerate().filter(|(_, f)| unknown(f)).map(|(i, _)| i);
    let (Some(i), None) = (candidates.next(), candidates.next()) else { return None };
    let mut output = other.remove(i);
    output.content = Content::Gen2Chunks;
    Some(output)
}

fn gen1_set<'a>(loose: Vec<Named<'a>>, problems: &mut Vec<String>) -> Sorted<'a> {
    let mut logs = Vec::new();
    let mut bytes = Vec::new();
    for f in loose {
        match f.content {
            Content::Gen1SessionLog => logs.push(f),
            Content::Gen1Bytes => bytes.push(f),
            Content::Marker | Content::Empty => {}
            other => problems.push(format!("{}: ignored: {}", f.name, not_a_recording(other))),
        }
    }
    let mut logs = logs.into_iter();
    let Some(log) = logs.next() else {
        return Sorted::new(Set::Nothing, None);
    };
    let sid = sid_of(&log.name);
    ignore_all(&logs.collect::<Vec<_>>(), &format!("only one session log is read, {}", log.name), problems);
    let mut bytes = one_session(bytes, |f| &f.name, sid.as_deref(), problems).into_iter();
    let first = bytes.next();
    ignore_all(&bytes.collect::<Vec<_>>(), "only one .session.bytes file is read", problems);
    Sorted::new(Set::Gen1 { log, bytes: first }, sid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted<'a>(parts: &[Part<'a>]) -> Sorted<'a> {
        sort(parts, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn raw_output_alone_is_not_a_recording() {
        let s = sorted(&[Part { path: "s.session.bytes", bytes: b"\x1b[1mhello" }]);
        assert!(matches!(s.set, Set::Nothing));
        assert!(s.problems[0].contains("raw terminal output"), "{:?}", s.problems);
    }

    const PRINT: &[u8] = b"{\"bytes\":5,\"ci\":0,\"ei\":0,\"event\":\"print\",\"ms\":0,\"offset\":0}\n";

    /// The files read as terminal output.
    fn outputs(parts: &[Part<'_>]) -> Vec<String> {
        let Set::Gen2(files) = sorted(parts).set else { panic!("not gen 2") };
        files.into_iter().filter(|f| f.content == Content::Gen2Chunks).map(|f| f.name).collect()
    }

    #[test]
    fn events_given_with_one_unnamed_file_take_it_as_their_output() {
        let parts =
            [Part { path: "npm.tty.events.json", bytes: PRINT }, Part { path: "npm.tty.stream", bytes: b"hello" }];
        assert_eq!(outputs(&parts), ["npm.tty.stream"]);
        let s = sorted(&parts);
        assert!(s.problems.is_empty(), "a pairing is not damage: {:?}", s.problems);
        assert!(s.notes[0].starts_with("npm.tty.stream: read as the terminal output"), "{:?}", s.notes);
    }

    #[test]
    fn an_unnamed_file_is_not_output_where_that_is_not_the_only_reading() {
        let named = [
            Part { path: "s-0.events", bytes: PRINT },
            Part { path: "s-0.chunks", bytes: b"hello" },
            Part { path: "notes.txt", bytes: b"hello" },
        ];
        assert_eq!(outputs(&named), ["s-0.chunks"]);
        let two = [
            Part { path: "s.events.json", bytes: PRINT },
            Part { path: "s.a.stream", bytes: b"hello" },
            Part { path: "s.b.stream", bytes: b"hello" },
        ];
        assert!(outputs(&two).is_empty());
        let elsewhere = [
            Part { path: "a/s.events.json", bytes: PRINT },
            Part { path: "b/s.stream", bytes: b"hello" },
            Part { path: "a/t.stream", bytes: b"hello" },
        ];
        assert!(outputs(&elsewhere).is_empty(), "another folder, another stem");
    }

    #[test]
    fn gen1_pairs_by_session_id() {
        let log = b"{\"bytes\":1,\"event\":\"print\",\"ms\":0,\"offset\":0,\"time\":\"2016-05-09T14:57:06.087Z\"}\n";
        let parts = [
            Part { path: "b.session.bytes", bytes: b"y" },
            Part { path: "a.session.log", bytes: log },
            Part { path: "a.session.bytes", bytes: b"x" },
        ];
        let s = sorted(&parts);
        let Set::Gen1 { log, bytes: Some(bytes) } = s.set else { panic!("not gen 1") };
        assert_eq!((log.name.as_str(), bytes.name.as_str()), ("a.session.log", "a.session.bytes"));
        assert_eq!(s.sid.as_deref(), Some("a"));
        assert!(s.problems[0].starts_with("b.session.bytes: ignored"), "{:?}", s.problems);
    }

    #[test]
    fn upload_parts_sort_by_number() {
        let header = |n: u8| {
            let mut h = vec![0u8; 24];
            h[7] = 1;
            h[23] = n;
            h
        };
        let (a, b, c) = (header(1), header(2), header(10));
        let parts = [
            Part { path: "x/10.part", bytes: &c },
            Part { path: "x/2.part", bytes: &b },
            Part { path: "x/1.part", bytes: &a },
        ];
        let Set::ProtoStream(files) = sorted(&parts).set else { panic!("not a ProtoStream") };
        assert_eq!(files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["x/1.part", "x/2.part", "x/10.part"]);
    }
}
