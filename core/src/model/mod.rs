//! The loaded evidence: files, events (compact rows over interned strings), sessions, auth
//! attempts, recording parts, and everything that could not be read.

mod dedup;
mod index;
mod interned;
mod raw;
mod recordings;
mod sessions;
mod strings;

pub use index::{TimeIndex, COLUMNS};
pub use raw::RawRef;
pub use recordings::{recording_groups, PartRole, RecordingPart, RecordingSummary};
pub use sessions::{Session, Sessions};
pub use strings::{Strings, Sym};

use crate::audit::{Outcome, ParsedEvent};
use crate::problem::{FileId, Problem};
use crate::time::Nanos;
pub(crate) use dedup::LineKey;
pub(crate) use interned::Interned;
pub(crate) use raw::Raw;
use raw::RawArena;
use serde::{Deserialize, Serialize};

/// Index of an event in [`Model::events`] (arrival order).
pub type EventId = u32;

/// Sort key for events without a readable time: after every real time.
pub const NO_TIME: Nanos = Nanos::MAX;

/// One audit event, compactly. The line it came from stays the record of truth ([`RawRef`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub time: Nanos,
    pub kind: Sym,
    pub code: Sym,
    pub user: Sym,
    pub login: Sym,
    pub node: Sym,
    /// Remote host (the address without its port).
    pub remote: Sym,
    pub sid: Sym,
    pub cluster: Sym,
    pub method: Sym,
    /// `error`, else `message`.
    pub message: Sym,
    pub file: FileId,
    pub line: u32,
    pub remote_port: u16,
    pub outcome: Outcome,
    pub is_auth: bool,
    /// The line is in memory (else it is read back from its file by `raw`).
    pub raw_kept: bool,
    pub raw: RawRef,
}

/// What a file turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    /// Not classified yet (still at its first bytes).
    Pending,
    AuditLog,
    /// A part of a session recording (see the recording catalog).
    Recording,
    /// A gzip or tar container whose entries are listed as files of their own.
    Archive,
    /// Empty files and Teleport's marker files.
    Empty,
    /// Not a Teleport file; the problem list says why.
    NotRead,
}

/// One input file, or one entry inside an archive, with what was read from it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileInfo {
    /// As dropped (`log/a1/2024-01-01.00:00:00.log`), or `archive.tar.gz/entry/path` inside archives.
    pub path: String,
    /// Bytes as stored (compressed size for gzip).
    pub size: u64,
    pub parent: Option<FileId>,
    pub kind: FileKind,
    pub compressed: bool,
    /// Text lines read (decompressed).
    pub lines: u64,
    pub events: u64,
    pub duplicates: u64,
    pub bad_lines: u64,
    pub blank_lines: u64,
    /// The earliest and latest times of the event lines read from it, folded duplicates too.
    pub first_time: Option<Nanos>,
    pub last_time: Option<Nanos>,
    pub sha256: Option<String>,
    /// Raw lines are read back from the file itself rather than kept in memory.
    pub raw_in_file: bool,
}

impl FileInfo {
    pub fn new(path: String, size: u64, parent: Option<FileId>) -> Self {
        FileInfo {
            path,
            size,
            parent,
            kind: FileKind::Pending,
            compressed: false,
            lines: 0,
            events: 0,
            duplicates: 0,
            bad_lines: 0,
            blank_lines: 0,
            first_time: None,
            last_time: None,
            sha256: None,
            raw_in_file: false,
        }
    }

    /// Every line is accounted for: read = kept + folded duplicates + reported + blank.
    pub fn counts_add_up(&self) -> bool {
        self.lines == self.events + self.duplicates + self.bad_lines + self.blank_lines
    }

    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

#[derive(Default)]
pub struct Model {
    pub strings: Strings,
    pub events: Vec<Event>,
    pub files: Vec<FileInfo>,
    pub problems: Vec<Problem>,
    pub sessions: Sessions,
    pub recordings: Vec<RecordingPart>,
    /// The events behind each finding of the last detection run (for the query `finding:N`);
    /// set with [`Model::set_findings`].
    pub findings: Vec<Vec<EventId>>,
    /// What decoded recordings said, by session id.
    pub recording_summaries: foldhash::HashMap<Sym, RecordingSummary>,
    /// Duplicate events folded (same `uid`, identical line; or, without a `uid`, a line identical
    /// to one of another file).
    pub duplicates: u64,
    /// What was read, to fold an event read twice.
    dedup: dedup::Dedup,
    /// Problems the ingest stages listed, by file (for the per-file limit).
    listed: Vec<u32>,
    arena: RawArena,
    /// The events in time order, column by column; rebuilt lazily after loading more.
    index: TimeIndex,
    sorted_len: usize,
    /// What was recently derived from the index (see [`Model::derived`]).
    derived: std::cell::RefCell<Derived>,
    /// Counts the changes that add no event but can change what a query matches (findings,
    /// what recordings tell of their sessions): see [`Model::version`].
    changes: u64,
}

/// Numbers derived from the time index, kept for as long as the model stays as it was: what a
/// query selects (a table, its facets and its histogram ask for the same query one after
/// another, and at millions of events selecting is much of each answer), how often each value
/// of a column occurs (asked again at every key typed while completing a value).
#[derive(Default)]
struct Derived {
    state: [u64; 3],
    recent: Vec<(String, std::sync::Arc<Vec<u32>>)>,
}

/// The most events [`Model::reserve`] makes room for at once (~320 MB): an estimate from names
/// may be wrong, and what it reserves counts against the memory a tab may use.
const MAX_RESERVED_EVENTS: usize = 4_000_000;

/// How many steps [`Model::warm_up`] has.
pub const WARM_UP_STEPS: usize = index::COLUMNS + 1;

/// How many derived lists are kept.
const DERIVED_KEPT: usize = 6;

impl Model {
    /// Changes with anything that can change an answer: events, files and problems added,
    /// findings set, sessions completed from their recordings. For caches of answers.
    pub fn version(&self) -> [u64; 5] {
        let n = |x: usize| x as u64;
        [n(self.events.len()), n(self.sessions.len()), n(self.files.len()), n(self.problems.len()), self.changes]
    }

    /// The events behind each finding of a detection run.
    pub fn set_findings(&mut self, findings: Vec<Vec<EventId>>) {
        self.findings = findings;
        self.changes += 1;
    }

    /// An empty model whose dedup keys are scrambled with `seed` (random bits from the host:
    /// lines made to collide in the table cannot then be crafted in advance).
    pub fn with_seed(seed: u64) -> Self {
        Model { dedup: dedup::Dedup::with_seed(seed), ..Model::default() }
    }

    /// Makes room for `events` more event rows, so that loading does not copy them each time
    /// the list grows. (Hash sets are left to grow: made big at once, every insert into them
    /// missed the cache and loading got slower.)
    pub(crate) fn reserve(&mut self, events: usize) {
        let events = events.min(MAX_RESERVED_EVENTS);
        if events > 0 {
            self.events.reserve(events);
        }
    }

    /// Problems the ingest stages listed for `file`.
    pub(crate) fn problems_listed_of(&self, file: FileId) -> usize {
        self.listed.get(file as usize).map_or(0, |&n| n as usize)
    }

    /// A problem the ingest stages found, counted against its file's limit.
    pub(crate) fn add_listed_problem(&mut self, problem: Problem) {
        let file = problem.file as usize;
        if self.listed.len() <= file {
            self.listed.resize(file + 1, 0);
        }
        self.listed[file] += 1;
        self.problems.push(problem);
    }

    pub fn add_file(&mut self, info: FileInfo) -> FileId {
        self.files.push(info);
        (self.files.len() - 1) as FileId
    }

    pub fn file(&self, id: FileId) -> &FileInfo {
        &self.files[id as usize]
    }

    pub fn file_mut(&mut self, id: FileId) -> &mut FileInfo {
        &mut self.files[id as usize]
    }

    pub fn str(&self, sym: Sym) -> &str {
        self.strings.get(sym)
    }

    /// Adds one parsed event from `line` of `file`. Returns false when it was a duplicate of an
    /// event already loaded (same `uid` and byte-identical line; without a `uid`, a line
    /// identical to one of another file: see [`dedup`]), which is then only counted.
    pub(crate) fn add_event(
        &mut self,
        file: FileId,
        line: u64,
        bytes: &[u8],
        raw_in_file_at: Option<u64>,
        e: &ParsedEvent<'_>,
    ) -> bool {
        let key = LineKey::new(self.dedup.seed(), e.uid.as_deref(), bytes);
        if self.is_duplicate(key, e.time, file, line, || Raw::of(bytes, raw_in_file_at, e)) {
            return false;
        }
        let event = Interned::of(e, &mut self.strings);
        self.push_event(file, line, Raw::of(bytes, raw_in_file_at, e), &event);
        true
    }

    /// The seed of the keys [`Model::add_interned_event`] takes.
    pub(crate) fn dedup_seed(&self) -> u64 {
        self.dedup.seed()
    }

    /// [`Model::add_event`] for a line another thread parsed, keyed, interned (into this
    /// model's symbols) and kept where needed.
    pub(crate) fn add_interned_event(
        &mut self,
        file: FileId,
        line: u64,
        key: LineKey,
        raw: Raw<'_>,
        event: &Interned<'_>,
    ) -> bool {
        if self.is_duplicate(key, event.time, file, line, || raw) {
            return false;
        }
        self.push_event(file, line, raw, event);
        true
    }

    /// Whether the event of `key`, read at `line` of `file` (`raw`), was read already; a
    /// duplicate is counted. Of the copies of an event with a uid, the one kept is the first by
    /// path, then line, whatever order the files were read in (the browser's two workers hand
    /// them over in no fixed order): so which file an event is cited from, and each file's
    /// counts, are the same at every load of the same files.
    fn is_duplicate<'r>(
        &mut self,
        key: LineKey,
        time: Option<Nanos>,
        file: FileId,
        line: u64,
        raw: impl FnOnce() -> Raw<'r>,
    ) -> bool {
        let Some(kept) = self.dedup.seen(key, time, file, self.events.len() as EventId) else { return false };
        self.duplicates += 1;
        // A file's time range covers its folded lines too: it is then the same whichever copy
        // of an event is kept.
        widen_time_range(&mut self.files[file as usize], time);
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let place = |f: FileId, line: u32| (self.files[f as usize].path.as_str(), line, f);
        let earlier = kept.filter(|&id| {
            let e = &self.events[id as usize];
            place(file, line) < place(e.file, e.line)
        });
        let Some(id) = earlier else {
            self.files[file as usize].duplicates += 1;
            return true;
        };
        // The copy read now takes the kept one's place: the kept file now holds a duplicate.
        // A line kept in memory stays where it is (the copies are the same bytes).
        let (raw_kept, raw) = match self.events[id as usize] {
            Event { raw_kept: true, raw, .. } => (true, raw),
            _ => self.keep_raw(raw()),
        };
        let e = &mut self.events[id as usize];
        let before = std::mem::replace(&mut e.file, file);
        (e.line, e.raw_kept, e.raw) = (line, raw_kept, raw);
        let before = &mut self.files[before as usize];
        (before.events, before.duplicates) = (before.events - 1, before.duplicates + 1);
        self.files[file as usize].events += 1;
        // The time index holds each event's file.
        self.sorted_len = usize::MAX;
        self.changes += 1;
        true
    }

    /// Where an event's line is, kept in memory if it is to be.
    fn keep_raw(&mut self, raw: Raw<'_>) -> (bool, RawRef) {
        match raw {
            Raw::InFile { offset, len } => (false, RawRef::in_file(offset, len as usize)),
            Raw::Kept(bytes) => (true, self.arena.keep(bytes)),
        }
    }

    fn push_event(&mut self, file: FileId, line: u64, raw: Raw<'_>, e: &Interned<'_>) {
        let id = self.events.len() as EventId;
        let (raw_kept, raw) = self.keep_raw(raw);
        let event = Event {
            time: e.time.unwrap_or(NO_TIME),
            kind: e.kind,
            code: e.code,
            user: e.user,
            login: e.login,
            node: e.node,
            remote: e.remote,
            sid: e.sid,
            cluster: e.cluster,
            method: e.method,
            message: e.message,
            file,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            remote_port: e.remote_port,
            outcome: e.outcome,
            is_auth: e.is_auth,
            raw_kept,
            raw,
        };
        self.events.push(event);
        self.sessions.add(id, e, &mut self.strings);
        let f = &mut self.files[file as usize];
        f.events += 1;
        widen_time_range(f, e.time);
    }

    /// The bytes of an event's line when they are kept in memory; `None` when they must be read
    /// back from the file (see [`FileInfo::raw_in_file`]).
    pub fn kept_raw(&self, id: EventId) -> Option<&[u8]> {
        let e = self.events.get(id as usize)?;
        if e.raw_kept {
            self.arena.get(e.raw)
        } else {
            None
        }
    }

    /// Event ids in time order (then file, then line). Cheap when nothing was added since.
    pub fn by_time(&mut self) -> &[EventId] {
        self.ensure_sorted();
        &self.index.ids
    }

    /// Auth-attempt event ids in time order.
    pub fn auth_by_time(&mut self) -> &[EventId] {
        self.ensure_sorted();
        &self.index.auth_ids
    }

    /// The sorted event ids and auth-attempt ids, when current (after [`Model::ensure_sorted`]).
    pub fn sorted(&self) -> (&[EventId], &[EventId]) {
        (&self.index.ids, &self.index.auth_ids)
    }

    /// The time-ordered columns, when current (after [`Model::ensure_sorted`]).
    pub fn index(&self) -> &TimeIndex {
        &self.index
    }

    /// Makes one thing the first queries would otherwise make while the user waits: step `i`
    /// of [`WARM_UP_STEPS`] (each column's set of values, then the lowercase text free text
    /// searches). For idle time after a load.
    pub fn warm_up(&self, step: usize) {
        if self.index_is_stale() {
            return;
        }
        if step < index::COLUMNS {
            self.index.present(step);
        } else {
            self.strings.prepare_search();
        }
    }

    /// The numbers `derive` gives for `key` (see [`Derived`]), computed only when this model
    /// has not answered `key` since it last changed.
    pub fn derived(&self, key: &str, derive: impl FnOnce() -> Vec<u32>) -> std::sync::Arc<Vec<u32>> {
        let state = [self.sorted_len as u64, self.strings.len() as u64, self.changes];
        let mut memo = self.derived.borrow_mut();
        if memo.state != state {
            *memo = Derived { state, recent: Vec::new() };
        }
        if let Some((_, found)) = memo.recent.iter().find(|(k, _)| k == key) {
            return found.clone();
        }
        let found = std::sync::Arc::new(derive());
        if memo.recent.len() == DERIVED_KEPT {
            memo.recent.remove(0);
        }
        memo.recent.push((key.to_owned(), found.clone()));
        found
    }

    /// Whether events arrived since the index was built.
    pub fn index_is_stale(&self) -> bool {
        self.sorted_len != self.events.len()
    }

    pub fn ensure_sorted(&mut self) {
        if self.sorted_len == self.events.len() {
            return;
        }
        self.index = TimeIndex::build(&self.events, self.strings.len());
        self.sorted_len = self.events.len();
    }

    /// A session's event ids in time order (then file, then line).
    pub fn session_events_in_order(&self, s: &Session) -> Vec<EventId> {
        let mut ids = s.events.clone();
        ids.sort_by_key(|&i| {
            let e = &self.events[i as usize];
            (e.time, e.file, e.line)
        });
        ids
    }

    /// Earliest and latest event time.
    pub fn time_span(&self) -> Option<(Nanos, Nanos)> {
        let mut span: Option<(Nanos, Nanos)> = None;
        for f in &self.files {
            if let (Some(a), Some(b)) = (f.first_time, f.last_time) {
                span = Some(span.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
            }
        }
        span
    }

    /// Folds what a decoded recording says into its session: fields the audit log did not give
    /// are filled in, so a session known only from its recording still shows who, where, when.
    pub fn add_recording_summary(&mut self, summary: RecordingSummary) {
        let Some(sid) = summary.sid.as_deref().filter(|s| !s.is_empty()) else { return };
        self.changes += 1;
        let sym = self.strings.intern(sid);
        let strings = &mut self.strings;
        let s = self.sessions.entry(sym, NO_TIME);
        let mut fill = |slot: &mut Sym, value: &Option<String>| {
            if slot.is_none() {
                *slot = strings.intern_opt(value.as_deref());
            }
        };
        fill(&mut s.user, &summary.user);
        fill(&mut s.login, &summary.login);
        fill(&mut s.node, &summary.node.clone().or_else(|| summary.server_id.clone()));
        fill(&mut s.server_id, &summary.server_id);
        fill(&mut s.remote, &summary.remote);
        fill(&mut s.cluster, &summary.cluster);
        if s.start.is_none() {
            s.start = summary.start;
        }
        if s.end.is_none() {
            s.end = summary.end;
        }
        for p in &summary.participants {
            let p = strings.intern(p);
            if !s.participants.contains(&p) {
                s.participants.push(p);
            }
        }
        for t in [summary.start, summary.end].into_iter().flatten() {
            if s.first_seen == NO_TIME || t < s.first_seen {
                s.first_seen = t;
            }
            if s.last_seen == NO_TIME || t > s.last_seen {
                s.last_seen = t;
            }
        }
        self.recording_summaries.insert(sym, summary);
    }

    /// A part named without its session id, once its own events have told it.
    pub fn assign_recording_sid(&mut self, part: usize, sid: &str) {
        let Some(p) = self.recordings.get_mut(part) else { return };
        if p.sid.is_some() || sid.is_empty() {
            return;
        }
        p.sid = Some(sid.to_owned());
        self.changes += 1;
        let sym = self.strings.intern(sid);
        self.sessions.entry(sym, NO_TIME).recording_parts += 1;
    }

    /// Whether the recording of `sid` was summarized from this many parts already.
    pub fn recording_summarized(&self, sid: &str, parts: u32) -> bool {
        self.strings.lookup(sid).and_then(|sym| self.recording_summaries.get(&sym)).is_some_and(|r| r.parts == parts)
    }

    pub(crate) fn add_recording_part(&mut self, part: RecordingPart) {
        self.changes += 1;
        if let Some(sid) = part.sid.as_deref() {
            let sym = self.strings.intern(sid);
            let s = self.sessions.entry(sym, NO_TIME);
            s.recording_parts += 1;
        }
        self.recordings.push(part);
    }
}

/// `10.0.0.1:5000` → (`10.0.0.1`, 5000); `[::1]:22` → (`::1`, 22); bare hosts keep no port.
pub fn split_host_port(addr: &str) -> (&str, Option<u16>) {
    if let Some(rest) = addr.strip_prefix('[') {
        if let Some((host, tail)) = rest.split_once(']') {
            return (host, tail.strip_prefix(':').and_then(|p| p.parse().ok()));
        }
    }
    match addr.rsplit_once(':') {
        // More than one colon without brackets: a bare IPv6 address.
        Some((host, port)) if !host.contains(':') => match port.parse() {
            Ok(p) => (host, Some(p)),
            Err(_) => (addr, None),
        },
        _ => (addr, None),
    }
}

/// Takes an event line's time into its file's time range.
fn widen_time_range(f: &mut FileInfo, time: Option<Nanos>) {
    if let Some(t) = time {
        f.first_time = Some(f.first_time.map_or(t, |x| x.min(t)));
        f.last_time = Some(f.last_time.map_or(t, |x| x.max(t)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_and_port() {
        assert_eq!(split_host_port("10.0.0.1:5000"), ("10.0.0.1", Some(5000)));
        assert_eq!(split_host_port("[::1]:22"), ("::1", Some(22)));
        assert_eq!(split_host_port("fe80::1"), ("fe80::1", None));
        assert_eq!(split_host_port("host"), ("host", None));
        assert_eq!(split_host_port(""), ("", None));
    }
}
