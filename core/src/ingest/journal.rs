//! Parsing on one thread, keeping on another. A [`Parser`] runs the ingest stages over one
//! top-level file (gzip, tar, lines, JSON: most of the work) and writes what they found as a
//! journal of compact operations; [`Ingest::apply`](super::Ingest::apply) replays it into the
//! model (interning, folding duplicates, sessions). Two web workers can then share a load
//! between two cores, and the model they build is the one a single [`super::Ingest`] builds:
//! the same calls, in the same order, with the same arguments.
//!
//! Files are numbered by the journal: 0 is the top-level file, entries of archives follow in the
//! order they were met.

use super::sink::Sink;
use super::{Cx, Flow, Options, Stream};
use crate::audit::ParsedEvent;
use crate::model::{FileInfo, FileKind, Interned, LineKey, Model, PartRole, Raw, RecordingPart, Strings, Sym};
use crate::problem::{FileId, Place, Problem, ProblemKind};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One thing the stages did. Ops live one at a time, on the stack: most are events, and boxing
/// them would cost an allocation each.
#[derive(Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
enum Op<'a> {
    /// A new parser: its symbols start again.
    Begin,
    /// The next symbols of the parser's strings, in order.
    Strings(#[serde(borrow)] Vec<&'a str>),
    /// The next journal file is an entry of `parent`.
    Entry {
        parent: u32,
        path: &'a str,
        size: u64,
    },
    Event {
        file: u32,
        line: u64,
        key: LineKey,
        #[serde(borrow)]
        raw: Raw<'a>,
        #[serde(borrow)]
        event: Interned<'a>,
    },
    Problem {
        file: u32,
        place: Place,
        kind: ProblemKind,
        detail: &'a str,
    },
    /// What the stages count and decide of a file, as it stands.
    Counts {
        file: u32,
        kind: FileKind,
        compressed: bool,
        raw_in_file: bool,
        lines: u64,
        bad: u64,
        blank: u64,
    },
    Part {
        file: u32,
        sid: Option<&'a str>,
        role: PartRole,
        #[serde(borrow, with = "serde_bytes")]
        kept: Option<&'a [u8]>,
    },
}

/// Writes ops at the end of a journal (postcard's own `Vec` writers start a new one, or go
/// byte by byte).
struct Append<'a>(&'a mut Vec<u8>);

impl postcard::ser_flavors::Flavor for Append<'_> {
    type Output = ();

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.push(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
}

/// Writes `op` at the end of `out`.
fn append(out: &mut Vec<u8>, op: &Op<'_>) {
    // Writing to a Vec cannot fail.
    let _ = postcard::serialize_with_flavor(op, Append(out));
}

/// The sink a [`Parser`]'s stages write to.
struct Journal {
    /// The seed of the model's duplicate keys.
    seed: u64,
    /// What the stages know of the journal's files, and the problems listed of each; changed
    /// ones (in `changed`, which `is_changed` marks) are written out as `Counts`.
    files: Vec<(FileInfo, usize)>,
    changed: Vec<u32>,
    is_changed: Vec<bool>,
    /// The parser's own strings (kept across files), and how many of them were written.
    strings: Strings,
    written: usize,
    out: Vec<u8>,
}

impl Journal {
    fn write(&mut self, op: &Op<'_>) {
        append(&mut self.out, op);
    }

    /// Writes the counts of the files changed since the last call.
    fn write_counts(&mut self) {
        for file in std::mem::take(&mut self.changed) {
            if std::mem::take(&mut self.is_changed[file as usize]) {
                let f = &self.files[file as usize].0;
                let op = Op::Counts {
                    file,
                    kind: f.kind,
                    compressed: f.compressed,
                    raw_in_file: f.raw_in_file,
                    lines: f.lines,
                    bad: f.bad_lines,
                    blank: f.blank_lines,
                };
                self.write(&op);
            }
        }
    }
}

impl Sink for Journal {
    fn file(&self, id: FileId) -> &FileInfo {
        &self.files[id as usize].0
    }

    fn file_mut(&mut self, id: FileId) -> &mut FileInfo {
        if !std::mem::replace(&mut self.is_changed[id as usize], true) {
            self.changed.push(id);
        }
        &mut self.files[id as usize].0
    }

    fn add_file(&mut self, info: FileInfo) -> FileId {
        let parent = info.parent.unwrap_or(0);
        self.write(&Op::Entry { parent, path: &info.path, size: info.size });
        self.files.push((info, 0));
        self.is_changed.push(false);
        (self.files.len() - 1) as FileId
    }

    fn problems_listed(&self, file: FileId) -> usize {
        self.files.get(file as usize).map_or(0, |f| f.1)
    }

    fn add_problem(&mut self, p: Problem) {
        if let Some(f) = self.files.get_mut(p.file as usize) {
            f.1 += 1;
        }
        self.write(&Op::Problem { file: p.file, place: p.place, kind: p.kind, detail: &p.detail });
    }

    fn add_event(&mut self, file: FileId, line: u64, bytes: &[u8], at: Option<u64>, event: &ParsedEvent<'_>) {
        let key = LineKey::new(self.seed, event.uid.as_deref(), bytes);
        let raw = Raw::of(bytes, at, event);
        let interned = Interned::of(event, &mut self.strings);
        if self.strings.len() > self.written {
            let strings = &self.strings;
            let new = (self.written..strings.len()).map(|i| strings.get(Sym(i as u32))).collect();
            // Written beside `self.strings`, which the op borrows (so not through `self.write`).
            append(&mut self.out, &Op::Strings(new));
            self.written = self.strings.len();
        }
        self.write(&Op::Event { file, line, key, raw, event: interned });
    }

    fn add_recording_part(&mut self, part: RecordingPart) {
        let kept = part.kept.as_deref().map(Vec::as_slice);
        self.write(&Op::Part { file: part.file, sid: part.sid.as_deref(), role: part.role, kept });
    }
}

/// Runs the ingest stages over top-level files, one at a time, and journals what they find.
pub struct Parser {
    options: Options,
    journal: Journal,
    stream: Option<Stream>,
}

impl Parser {
    /// `seed`: the receiving model's [`super::Ingest::dedup_seed`]. A new parser's journal
    /// starts its strings again: its first journal goes to the model before any other.
    pub fn new(options: Options, seed: u64) -> Self {
        let strings = Strings::default();
        let written = strings.len();
        let journal = Journal {
            seed,
            files: Vec::new(),
            changed: Vec::new(),
            is_changed: Vec::new(),
            strings,
            written,
            out: Vec::new(),
        };
        let mut parser = Parser { options, journal, stream: None };
        parser.journal.write(&Op::Begin);
        parser
    }

    /// Starts the file at `path`, of `size` bytes. A file still open is dropped, unjournaled
    /// (a load cancelled): [`Parser::close`] and [`Parser::take`] end a file.
    pub fn open(&mut self, path: &str, size: u64) {
        let j = &mut self.journal;
        j.files = vec![(FileInfo::new(path.to_owned(), size, None), 0)];
        (j.changed, j.is_changed) = (Vec::new(), vec![false]);
        self.stream = Some(Stream::new(0, 0));
    }

    pub fn push(&mut self, bytes: &[u8]) -> Flow {
        let Some(stream) = self.stream.as_mut() else { return Flow::Done };
        let mut cx = Cx { sink: &mut self.journal, options: &self.options };
        stream.push(&mut cx, bytes)
    }

    /// Ends the file (see [`super::Ingest::close`]).
    pub fn close(&mut self) {
        if let Some(mut stream) = self.stream.take() {
            let mut cx = Cx { sink: &mut self.journal, options: &self.options };
            stream.close(&mut cx);
        }
    }

    /// The options it reads with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The journal written since the last call, for [`super::Ingest::apply`], in order.
    pub fn take(&mut self) -> Vec<u8> {
        self.journal.write_counts();
        std::mem::take(&mut self.journal.out)
    }
}

/// Replays `journal` into `model`. `strings` maps the parser's symbols to the model's, and
/// grows with the strings met. `files` maps the journal's file numbers to the model's (the
/// top-level file's first) and grows with the entries met; `None`: the model does not take this
/// file (its load was cancelled), and only the strings are read.
pub(super) fn apply(
    model: &mut Model,
    strings: &mut Vec<Sym>,
    mut files: Option<&mut Vec<FileId>>,
    mut journal: &[u8],
) -> Result<(), String> {
    while !journal.is_empty() {
        let (op, rest) = postcard::take_from_bytes::<Op<'_>>(journal).map_err(|e| e.to_string())?;
        journal = rest;
        let files = match op {
            Op::Begin => {
                *strings = vec![Sym::NONE];
                continue;
            }
            Op::Strings(new) => {
                strings.extend(new.into_iter().map(|s| model.strings.intern(s)));
                continue;
            }
            _ => match files.as_deref_mut() {
                Some(files) => files,
                None => continue,
            },
        };
        let file = |files: &[FileId], n: u32| {
            files.get(n as usize).copied().ok_or_else(|| format!("no file {n} in the journal"))
        };
        match op {
            Op::Begin | Op::Strings(_) => {}
            Op::Entry { parent, path, size } => {
                let parent = file(files, parent)?;
                files.push(model.add_file(FileInfo::new(path.to_owned(), size, Some(parent))));
            }
            Op::Event { file: n, line, key, raw, mut event } => {
                event.remap(strings)?;
                model.add_interned_event(file(files, n)?, line, key, raw, &event);
            }
            Op::Problem { file: n, place, kind, detail } => {
                model.problems.push(Problem { file: file(files, n)?, place, kind, detail: detail.to_owned() });
            }
            Op::Counts { file: n, kind, compressed, raw_in_file, lines, bad, blank } => {
                let f = model.file_mut(file(files, n)?);
                (f.kind, f.compressed, f.raw_in_file) = (kind, compressed, raw_in_file);
                (f.lines, f.bad_lines, f.blank_lines) = (lines, bad, blank);
            }
            Op::Part { file: n, sid, role, kept } => {
                let kept = kept.map(|k| Arc::new(k.to_vec()));
                let part = RecordingPart { file: file(files, n)?, sid: sid.map(str::to_owned), role, kept, with: None };
                model.add_recording_part(part);
            }
        }
    }
    Ok(())
}
