//! Files in, model out. Bytes are pushed slice by slice (sans-io): each file passes through a
//! small stage machine — sniff, gzip, tar, audit lines or recording part — so that the browser
//! worker can read big files in slices and answer queries between them, and so that tests and
//! benchmarks drive exactly the same code natively.

use crate::audit::carried::{self, Carried, Carrier};
use crate::audit::{parse_line, LineError, ParsedEvent};
use crate::container::{GzipPush, TarEvent, TarSplitter};
use crate::lines::{Line, LineSplitter};
use crate::model::{FileInfo, FileKind, Model, PartRole, RecordingPart};
use crate::problem::{FileId, Place, Problem, ProblemKind};
use crate::sniff::{part_name, sniff_content, sniff_layer, trim_line, Content, Layer, NameRole, HEAD_LEN};
use std::borrow::Cow;
use std::sync::Arc;

mod journal;
mod sink;
pub use journal::Parser;
use sink::Sink;

/// Stated limits: past them input is reported, not kept.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Longest audit line kept (longer lines are reported and skipped).
    pub max_line: usize,
    /// Problems listed one by one per file; more are counted in one summary line.
    pub max_problems_per_file: usize,
    /// Largest recording part unpacked from an archive and kept in memory.
    pub max_kept_part: usize,
    /// Archives inside archives (`.tar.gz` holding `.log.gz` is depth 3).
    pub max_depth: u8,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_line: 1 << 20, max_problems_per_file: 10_000, max_kept_part: 512 << 20, max_depth: 4 }
    }
}

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Options {
    pub limits: Limits,
    /// Lines of plain top-level files are not kept in memory: the host reads them back from the
    /// file by offset (see [`crate::model::FileInfo::raw_in_file`]).
    pub read_back_plain_files: bool,
    /// Random bits from the host, to scramble dedup keys with (see [`Model::with_seed`]); `None`:
    /// the best this platform gives without help (on wasm, little).
    pub seed: Option<u64>,
}

/// Whether a file still wants bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    More,
    /// Nothing more is needed (a recording part kept by handle, or a file not read).
    Done,
}

pub struct Ingest {
    pub model: Model,
    options: Options,
    open: Vec<(FileId, Stream)>,
    /// Files parsed by a [`Parser`] elsewhere, with the model's numbers of the journal's files.
    journaled: Vec<(FileId, Vec<FileId>)>,
    /// The model's symbols of the parser's strings.
    journal_strings: Vec<crate::model::Sym>,
    /// Bytes pushed into top-level files so far.
    pub bytes_in: u64,
    /// Events the files declared since the last push may hold (see [`Ingest::open`]).
    expected_events: usize,
}

/// Bytes per event of an audit log, about the usual: an estimate a little short would have the
/// list grow once more, to twice its size. Compressed logs hold about eight times their size.
const LOG_BYTES_PER_EVENT: u64 = 320;
const GZIP_RATIO: u64 = 8;

impl Ingest {
    pub fn new(options: Options) -> Self {
        let model = options.seed.map_or_else(Model::default, Model::with_seed);
        Ingest {
            model,
            options,
            open: Vec::new(),
            journaled: Vec::new(),
            journal_strings: Vec::new(),
            bytes_in: 0,
            expected_events: 0,
        }
    }

    /// Declares a top-level file (one the host holds a handle to). The events of the files
    /// declared before a push are estimated from their names and sizes, and room is made for
    /// them at once: growing the event list step by step copied it again and again.
    /// Recordings, known by name, are not counted.
    pub fn open(&mut self, path: &str, size: u64) -> FileId {
        let archive = [".tar.gz", ".tgz", ".zip"].iter().any(|a| path.ends_with(a));
        if crate::sniff::part_name(path).is_none() && !archive {
            let plain = if path.ends_with(".gz") { size.saturating_mul(GZIP_RATIO) } else { size };
            let events = usize::try_from(plain / LOG_BYTES_PER_EVENT).unwrap_or(usize::MAX);
            self.expected_events = self.expected_events.saturating_add(events);
        }
        let id = self.model.add_file(FileInfo::new(path.to_owned(), size, None));
        self.open.push((id, Stream::new(id, 0)));
        id
    }

    pub fn push(&mut self, file: FileId, bytes: &[u8]) -> Flow {
        self.bytes_in += bytes.len() as u64;
        self.model.reserve(std::mem::take(&mut self.expected_events));
        let Some((_, stream)) = self.open.iter_mut().find(|(f, _)| *f == file) else {
            return Flow::Done;
        };
        let mut cx = Cx { sink: &mut self.model, options: &self.options };
        stream.push(&mut cx, bytes)
    }

    /// The seed a [`Parser`] for this model needs.
    pub fn dedup_seed(&self) -> u64 {
        self.model.dedup_seed()
    }

    /// The options a [`Parser`] for this model needs.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Applies the journal of `file` (opened here) that a [`Parser`] wrote elsewhere, which
    /// from now on reads the file instead of [`Ingest::push`]. Every journal of a parser is to
    /// be applied, in order, even those of files closed meanwhile (their strings are read). A
    /// journal that cannot be read (a bug, never the input's fault) is reported as a problem of
    /// the file.
    pub fn apply(&mut self, file: FileId, journal: &[u8]) {
        if let Some(i) = self.open.iter().position(|(f, _)| *f == file) {
            self.open.swap_remove(i);
            self.journaled.push((file, vec![file]));
        }
        self.model.reserve(std::mem::take(&mut self.expected_events));
        let files = self.journaled.iter_mut().find(|(f, _)| *f == file).map(|(_, files)| files);
        let taken = files.is_some();
        // A file not taken has no place in the model to report on.
        if let (Err(e), true) = (journal::apply(&mut self.model, &mut self.journal_strings, files, journal), taken) {
            let detail = format!("internal error: a parsed journal of this file could not be read: {e}");
            self.model.problems.push(Problem { file, place: Place::File, kind: ProblemKind::NotAuditLog, detail });
        }
    }

    /// Ends a file: flushes the last line, checks that compressed data was complete.
    pub fn close(&mut self, file: FileId) {
        // A journaled file was closed by its parser, whose last journal said what that found.
        self.journaled.retain(|(f, _)| *f != file);
        let Some(i) = self.open.iter().position(|(f, _)| *f == file) else {
            return;
        };
        let (_, mut stream) = self.open.swap_remove(i);
        let mut cx = Cx { sink: &mut self.model, options: &self.options };
        stream.close(&mut cx);
    }

    /// Reads a whole file held in memory: open, push in slices, close.
    pub fn add_bytes(&mut self, path: &str, bytes: &[u8]) -> FileId {
        let id = self.open(path, bytes.len() as u64);
        for slice in bytes.chunks(1 << 20) {
            if self.push(id, slice) == Flow::Done {
                break;
            }
        }
        self.close(id);
        id
    }

    pub fn finish(mut self) -> Model {
        let still_open: Vec<FileId> = self.open.iter().map(|(f, _)| *f).collect();
        for id in still_open {
            self.close(id);
        }
        self.model.pair_renamed_output();
        self.model.ensure_sorted();
        self.model
    }
}

/// What the stages share: what they fill (the model, or a journal for it) and the options they
/// obey.
struct Cx<'a> {
    sink: &'a mut dyn Sink,
    options: &'a Options,
}

impl Cx<'_> {
    fn problem(&mut self, file: FileId, place: Place, kind: ProblemKind, detail: String) {
        let listed = self.sink.problems_listed(file);
        let limit = self.options.limits.max_problems_per_file;
        if listed < limit {
            self.sink.add_problem(Problem { file, place, kind, detail });
        } else if listed == limit {
            let detail = format!("more than {limit} problems in this file: the rest are counted, not listed");
            self.sink.add_problem(Problem { file, place: Place::File, kind, detail });
        }
    }
}

/// One byte stream: a top-level file, its decompressed content, or an archive entry.
struct Stream {
    file: FileId,
    depth: u8,
    stage: Stage,
}

enum Stage {
    Sniff(Vec<u8>),
    Gzip { gz: Box<GzipPush>, inner: Box<Stream> },
    Tar { split: Box<TarSplitter>, entry: Option<Box<Stream>> },
    Audit(AuditReader),
    Keep { role: PartRole, sid: Option<String>, bytes: Vec<u8> },
    Done,
}

impl Stream {
    fn new(file: FileId, depth: u8) -> Self {
        Stream { file, depth, stage: Stage::Sniff(Vec::new()) }
    }

    fn push(&mut self, cx: &mut Cx<'_>, mut bytes: &[u8]) -> Flow {
        match &mut self.stage {
            Stage::Sniff(head) => {
                let take = (HEAD_LEN - head.len()).min(bytes.len());
                head.extend_from_slice(&bytes[..take]);
                bytes = &bytes[take..];
                if head.len() < HEAD_LEN {
                    return Flow::More;
                }
                let head = std::mem::take(head);
                self.decide(cx, &head, false);
                if self.push(cx, &head) == Flow::Done {
                    return Flow::Done;
                }
                self.push(cx, bytes)
            }
            Stage::Gzip { gz, inner } => {
                let mut flow = Flow::More;
                let result = gz.push(bytes, &mut |out: &[u8]| {
                    if flow == Flow::More {
                        flow = inner.push(cx, out);
                    }
                });
                // Once the content needs no more bytes, the rest of the stream is not read, so
                // an error in it is not reported either: whether it was met would depend on
                // where the slices fell.
                if let (Err(e), Flow::More) = (result, flow) {
                    let at = gz.consumed();
                    cx.problem(self.file, Place::Offset(at), ProblemKind::BadGzip, e);
                    inner.close(cx);
                    self.stage = Stage::Done;
                    return Flow::Done;
                }
                if flow == Flow::Done {
                    self.stage = Stage::Done;
                }
                flow
            }
            Stage::Tar { split, entry } => {
                let parent = self.file;
                let depth = self.depth;
                let result = split.push(bytes, &mut |ev| tar_event(cx, parent, depth, entry, ev));
                if let Err(e) = result {
                    cx.problem(self.file, Place::File, ProblemKind::BadTar, e);
                    if let Some(mut open) = entry.take() {
                        open.close(cx);
                    }
                    self.stage = Stage::Done;
                    return Flow::Done;
                }
                Flow::More
            }
            Stage::Audit(reader) => {
                reader.push(cx, self.file, bytes);
                Flow::More
            }
            Stage::Keep { bytes: kept, .. } => {
                if kept.len() + bytes.len() > cx.options.limits.max_kept_part {
                    let limit = cx.options.limits.max_kept_part;
                    let detail = format!("recording part larger than {} MiB: not unpacked", limit >> 20);
                    cx.problem(self.file, Place::File, ProblemKind::TooLarge, detail);
                    cx.sink.file_mut(self.file).kind = FileKind::NotRead;
                    self.stage = Stage::Done;
                    return Flow::Done;
                }
                kept.extend_from_slice(bytes);
                Flow::More
            }
            Stage::Done => Flow::Done,
        }
    }

    fn close(&mut self, cx: &mut Cx<'_>) {
        match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Sniff(head) => {
                self.decide(cx, &head, true);
                self.push(cx, &head);
                self.close(cx);
            }
            Stage::Gzip { mut gz, mut inner } => {
                let mut sink = |out: &[u8]| {
                    inner.push(cx, out);
                };
                let result = gz.finish(&mut sink);
                if let Err(e) = result {
                    let at = gz.consumed();
                    cx.problem(self.file, Place::Offset(at), ProblemKind::BadGzip, e);
                }
                inner.close(cx);
            }
            Stage::Tar { mut split, mut entry } => {
                let (parent, depth) = (self.file, self.depth);
                if let Err(e) = split.finish(&mut |ev| tar_event(cx, parent, depth, &mut entry, ev)) {
                    cx.problem(self.file, Place::File, ProblemKind::BadTar, e);
                }
                if let Some(mut open) = entry.take() {
                    open.close(cx);
                }
            }
            Stage::Audit(mut reader) => reader.finish(cx, self.file),
            Stage::Keep { role, sid, bytes } => {
                let part = RecordingPart { file: self.file, sid, role, kept: Some(Arc::new(bytes)), with: None };
                cx.sink.add_recording_part(part);
            }
            Stage::Done => {}
        }
    }

    /// Chooses the stage for this stream from its first bytes.
    fn decide(&mut self, cx: &mut Cx<'_>, head: &[u8], complete: bool) {
        let file = self.file;
        let path = cx.sink.file(file).path.clone();
        let has_handle = cx.sink.file(file).parent.is_none();
        let deeper_ok = self.depth < cx.options.limits.max_depth;
        self.stage = match sniff_layer(head) {
            Layer::Gzip if deeper_ok => {
                cx.sink.file_mut(file).compressed = true;
                let inner = Box::new(Stream::new(file, self.depth + 1));
                Stage::Gzip { gz: Box::new(GzipPush::new()), inner }
            }
            Layer::Tar if deeper_ok => {
                if first_entry_is_gen2_part(head) {
                    self.part(cx, PartRole::Gen2Tar, part_name(&path).map(|p| p.sid), has_handle)
                } else {
                    cx.sink.file_mut(file).kind = FileKind::Archive;
                    Stage::Tar { split: Box::new(TarSplitter::new()), entry: None }
                }
            }
            Layer::Gzip | Layer::Tar => {
                let detail = format!("archives nested more than {} deep are not opened", cx.options.limits.max_depth);
                self.not_read(cx, ProblemKind::TooLarge, detail)
            }
            Layer::ProtoStream { version, encrypted } => {
                let sid = part_name(&path).map(|p| p.sid);
                self.part(cx, PartRole::ProtoStream { version, encrypted }, sid, has_handle)
            }
            Layer::Plain => {
                let name = part_name(&path);
                let sid = name.as_ref().map(|p| p.sid.clone());
                let number = name.as_ref().and_then(|p| p.number).unwrap_or(0);
                match sniff_content(&path, head, complete) {
                    Content::AuditLog { array } => {
                        let raw_in_file = has_handle && self.depth == 0 && cx.options.read_back_plain_files;
                        let f = cx.sink.file_mut(file);
                        f.kind = FileKind::AuditLog;
                        f.raw_in_file = raw_in_file;
                        Stage::Audit(AuditReader::new(cx.options.limits.max_line, array, raw_in_file))
                    }
                    Content::Gen1SessionLog => self.part(cx, PartRole::Gen1Log, sid, has_handle),
                    Content::Gen1Bytes => self.part(cx, PartRole::Gen1Bytes, sid, has_handle),
                    Content::Gen2Index => self.part(cx, PartRole::Gen2Index, sid, has_handle),
                    Content::Gen2Events => self.part(cx, PartRole::Gen2Events { first_index: number }, sid, has_handle),
                    Content::Gen2Chunks => {
                        self.part(cx, PartRole::Gen2Chunks { first_offset: number }, sid, has_handle)
                    }
                    Content::Gen2Enhanced => self.part(cx, PartRole::Gen2Enhanced, sid, has_handle),
                    Content::Marker | Content::Empty => {
                        cx.sink.file_mut(file).kind = FileKind::Empty;
                        Stage::Done
                    }
                    Content::Unknown(why) => {
                        let detail = match name.map(|n| n.role) {
                            Some(NameRole::Tar) => format!("named like a recording, but {why}"),
                            _ => why.to_owned(),
                        };
                        self.not_read(cx, ProblemKind::NotAuditLog, detail)
                    }
                }
            }
        };
    }

    /// A recording part: by handle when the host can read the file again, else kept.
    fn part(&mut self, cx: &mut Cx<'_>, role: PartRole, sid: Option<String>, has_handle: bool) -> Stage {
        cx.sink.file_mut(self.file).kind = FileKind::Recording;
        if has_handle {
            cx.sink.add_recording_part(RecordingPart { file: self.file, sid, role, kept: None, with: None });
            Stage::Done
        } else {
            Stage::Keep { role, sid, bytes: Vec::new() }
        }
    }

    fn not_read(&mut self, cx: &mut Cx<'_>, kind: ProblemKind, detail: String) -> Stage {
        cx.sink.file_mut(self.file).kind = FileKind::NotRead;
        cx.problem(self.file, Place::File, kind, detail);
        Stage::Done
    }
}

fn tar_event(cx: &mut Cx<'_>, parent: FileId, depth: u8, entry: &mut Option<Box<Stream>>, ev: TarEvent<'_>) {
    match ev {
        TarEvent::Entry { path, size } => {
            let full = format!("{}/{}", cx.sink.file(parent).path, path.trim_start_matches("./"));
            let child = cx.sink.add_file(FileInfo::new(full, size, Some(parent)));
            *entry = Some(Box::new(Stream::new(child, depth + 1)));
        }
        TarEvent::Data(d) => {
            if let Some(s) = entry.as_mut() {
                if s.push(cx, d) == Flow::Done {
                    // The entry needs no more bytes: drop the rest of it cheaply.
                    s.stage = Stage::Done;
                }
            }
        }
        TarEvent::End => {
            if let Some(mut s) = entry.take() {
                s.close(cx);
            }
        }
    }
}

/// Generation-2 tarballs hold flat base names: `<sid>.index`, `<sid>-0.events.gz`, ….
fn first_entry_is_gen2_part(head: &[u8]) -> bool {
    let Some(block) = head.get(..512) else {
        return false;
    };
    let name = tar::Header::from_byte_slice(block).path_bytes();
    let name = String::from_utf8_lossy(&name);
    !name.contains('/')
        && matches!(part_name(&name).map(|p| p.role), Some(NameRole::Index | NameRole::Events | NameRole::Chunks))
}

/// JSON lines → events, with every line accounted for.
struct AuditReader {
    lines: LineSplitter,
    array: bool,
    raw_in_file: bool,
    /// No event seen yet: problems wait, in case the file is not an audit log at all.
    confirmed: bool,
    pending: Vec<(Place, ProblemKind, String)>,
    /// Per container stream, the first pieces of a line its runtime split.
    pieces: [Option<Piece>; 2],
}

/// The pieces so far of a line a container runtime split, from line `line` on.
struct Piece {
    line: u64,
    text: Vec<u8>,
    /// Where each piece starts: its line, and its offset in `text`.
    starts: Vec<(u64, usize)>,
    too_long: bool,
    carrier: Carrier,
}

/// Later pieces of a split line tried as the start of a line of their own.
const MAX_RESTARTS: usize = 64;

/// Problems held back per file until the first event tells that it is an audit log.
const MAX_PENDING: usize = 1000;

impl AuditReader {
    fn new(max_line: usize, array: bool, raw_in_file: bool) -> Self {
        AuditReader {
            lines: LineSplitter::new(max_line),
            array,
            raw_in_file,
            confirmed: false,
            pending: Vec::new(),
            pieces: [None, None],
        }
    }

    fn push(&mut self, cx: &mut Cx<'_>, file: FileId, bytes: &[u8]) {
        let mut lines = std::mem::replace(&mut self.lines, LineSplitter::new(0));
        lines.push(bytes, &mut |line| self.line(cx, file, line));
        self.lines = lines;
    }

    fn finish(&mut self, cx: &mut Cx<'_>, file: FileId) {
        let mut lines = std::mem::replace(&mut self.lines, LineSplitter::new(0));
        lines.finish(&mut |line| self.line(cx, file, line));
        for piece in std::mem::take(&mut self.pieces).into_iter().flatten() {
            cx.sink.file_mut(file).lines += 1;
            self.orphan(cx, file, piece.line);
        }
        if !self.confirmed {
            let f = cx.sink.file_mut(file);
            if f.bad_lines == 0 {
                f.kind = FileKind::Empty;
                return;
            }
            f.kind = FileKind::NotRead;
            let first = self.pending.first().map(|(place, _, d)| format!("; {place}: {d}")).unwrap_or_default();
            let detail = format!("no Teleport audit event in its {} lines{first}", f.lines);
            cx.problem(file, Place::File, ProblemKind::NotAuditLog, detail);
        }
    }

    fn line(&mut self, cx: &mut Cx<'_>, file: FileId, line: Line<'_>) {
        cx.sink.file_mut(file).lines += 1;
        match line {
            Line::Text { number, offset, bytes } => {
                let text = trim_line(bytes, self.array);
                if text.is_empty() {
                    cx.sink.file_mut(file).blank_lines += 1;
                    return;
                }
                // Where a part of this line is in the file.
                let at = |part: &[u8]| offset + (part.as_ptr() as u64 - bytes.as_ptr() as u64);
                if !self.array {
                    if let Some(c) = carried::unwrap(bytes) {
                        return self.carried(cx, file, number, text, c, at);
                    }
                }
                self.read(cx, file, number, text, Some(at(text)), false);
            }
            Line::TooLong { number, len, .. } => {
                let limit = self.lines_limit(cx);
                let detail = format!("line of {len} bytes is over the {limit} limit: skipped");
                self.bad(cx, file, Place::Line(number), ProblemKind::LineTooLong, detail);
            }
        }
    }

    /// Line `number` (at `at` in the file, if it is there as it is), an event or a problem;
    /// `stderr` when a container wrote it there.
    #[inline]
    fn read(&mut self, cx: &mut Cx<'_>, file: FileId, number: u64, text: &[u8], at: Option<u64>, stderr: bool) {
        match parse_line(text) {
            Ok(event) => self.keep(cx, file, number, text, at, &event),
            Err(e) => self.bad_line(cx, file, number, e, stderr),
        }
    }

    /// What Teleport wrote to stderr is its own log, and the problem says so.
    fn bad_line(&mut self, cx: &mut Cx<'_>, file: FileId, number: u64, e: LineError, stderr: bool) {
        let detail = match stderr {
            true => format!("on stderr, where Teleport writes its own log: {}", e.detail),
            false => e.detail,
        };
        self.bad(cx, file, Place::Line(number), e.kind, detail);
    }

    fn keep(
        &mut self,
        cx: &mut Cx<'_>,
        file: FileId,
        number: u64,
        text: &[u8],
        at: Option<u64>,
        event: &ParsedEvent<'_>,
    ) {
        cx.sink.add_event(file, number, text, at.filter(|_| self.raw_in_file), event);
        self.confirm(cx, file);
    }

    /// A line that something carried (see [`carried`]): what it held is read, or kept until
    /// the last piece of a split line comes.
    #[inline(never)]
    fn carried(
        &mut self,
        cx: &mut Cx<'_>,
        file: FileId,
        number: u64,
        line: &[u8],
        c: Carried<'_>,
        at: impl Fn(&[u8]) -> u64,
    ) {
        let slot = c.stream as usize;
        // Pieces join only with lines of the same carrier and stream.
        let joins = self.pieces[slot].as_ref().is_some_and(|p| p.carrier == c.carrier);
        if c.continues || joins {
            let place = match &c.text {
                Cow::Borrowed(t) => Some(at(t.trim_ascii())),
                Cow::Owned(_) => None,
            };
            self.piece(cx, file, number, c, place);
            return;
        }
        // A whole line is its event's JSON without the spaces around it (they would be kept in
        // the raw line, and make the same line read elsewhere look different).
        let text = c.text.trim_ascii();
        let place = matches!(c.text, Cow::Borrowed(_)).then(|| at(text));
        if text.is_empty() {
            cx.sink.file_mut(file).blank_lines += 1;
            return;
        }
        match parse_line(text) {
            Ok(event) => self.keep(cx, file, number, text, place, &event),
            // A prefix counts only before an event, and an event whose first key happens to be
            // "log" is not Docker's: otherwise the line is what it is, and a problem is said of
            // all of it.
            Err(_) if c.carrier == Carrier::Prefix => self.read(cx, file, number, line, Some(at(line)), false),
            Err(e) => match (c.carrier, parse_line(line)) {
                (Carrier::DockerJson, Ok(event)) => self.keep(cx, file, number, line, Some(at(line)), &event),
                _ => self.bad_line(cx, file, number, e, c.stream == carried::Stream::Stderr),
            },
        }
    }

    /// A piece of a split line: kept until the last one, then the whole line is read.
    fn piece(&mut self, cx: &mut Cx<'_>, file: FileId, number: u64, c: Carried<'_>, place: Option<u64>) {
        let max = cx.options.limits.max_line;
        let slot = c.stream as usize;
        // What waits from another carrier lost its end.
        if self.pieces[slot].as_ref().is_some_and(|p| p.carrier != c.carrier) {
            if let Some(lost) = self.pieces[slot].take() {
                cx.sink.file_mut(file).lines += 1;
                self.orphan(cx, file, lost.line);
            }
        }
        let new = || Piece { line: number, text: Vec::new(), starts: Vec::new(), too_long: false, carrier: c.carrier };
        let piece = self.pieces[slot].get_or_insert_with(new);
        piece.too_long |= piece.text.len() + c.text.len() > max;
        if piece.too_long {
            piece.text = Vec::new();
            piece.starts.clear();
        } else {
            // A later piece that opens an object may begin a line of its own (see below);
            // a few are enough: Docker's and containerd's pieces are 16 KiB.
            let opens = c.text.trim_ascii_start().first() == Some(&b'{');
            if number != piece.line && opens && piece.starts.len() < MAX_RESTARTS {
                piece.starts.push((number, piece.text.len()));
            }
            piece.text.extend_from_slice(&c.text);
        }
        if c.continues {
            // A split line counts once, with its last piece.
            cx.sink.file_mut(file).lines -= 1;
            return;
        }
        let Some(piece) = self.pieces[slot].take() else { return };
        let stderr = c.stream == carried::Stream::Stderr;
        let whole = piece.text.trim_ascii();
        if piece.too_long || parse_line(whole).is_err() {
            // The first pieces may have lost their end (a restart, a rotated file): the line
            // that reads from a later piece on (or, past the limit, the last piece alone) is
            // kept, and what came before it is reported on its own.
            let starts = piece.starts.iter().map(|&(line, from)| (line, piece.text[from..].trim_ascii()));
            let last = piece.too_long.then(|| (number, c.text.trim_ascii()));
            let restart = starts.chain(last).find(|&(line, rest)| line != piece.line && parse_line(rest).is_ok());
            if let Some((line, rest)) = restart {
                cx.sink.file_mut(file).lines += 1;
                self.orphan(cx, file, piece.line);
                self.read(cx, file, line, rest, place.filter(|_| line == number), stderr);
                return;
            }
            if piece.too_long {
                let limit = self.lines_limit(cx);
                let detail = format!("a line split by the container runtime is over the {limit} limit: skipped");
                self.bad(cx, file, Place::Line(piece.line), ProblemKind::LineTooLong, detail);
                return;
            }
        }
        self.read(cx, file, piece.line, whole, None, stderr);
    }

    /// The first pieces of a split line whose rest is not there.
    fn orphan(&mut self, cx: &mut Cx<'_>, file: FileId, line: u64) {
        let detail = "the container runtime split this line, and the rest of it is not in the file".to_owned();
        self.bad(cx, file, Place::Line(line), ProblemKind::InvalidJson, detail);
    }

    fn lines_limit(&self, cx: &Cx<'_>) -> String {
        let max = cx.options.limits.max_line;
        if max >= 1 << 20 && max.is_multiple_of(1 << 20) {
            format!("{} MiB", max >> 20)
        } else {
            format!("{max}-byte")
        }
    }

    fn bad(&mut self, cx: &mut Cx<'_>, file: FileId, place: Place, kind: ProblemKind, detail: String) {
        cx.sink.file_mut(file).bad_lines += 1;
        if self.confirmed {
            cx.problem(file, place, kind, detail);
        } else if self.pending.len() < MAX_PENDING {
            self.pending.push((place, kind, detail));
        }
    }

    fn confirm(&mut self, cx: &mut Cx<'_>, file: FileId) {
        if !self.confirmed {
            self.confirmed = true;
            for (place, kind, detail) in std::mem::take(&mut self.pending) {
                cx.problem(file, place, kind, detail);
            }
        }
    }
}
