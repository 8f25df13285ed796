//! The overview: what was loaded, what it holds, and everything that could not be read.

use crate::audit::Outcome;
use crate::model::{FileKind, Model, Sym, NO_TIME};
use crate::problem::ProblemKind;
use crate::time::{Nanos, NANOS_PER_SEC};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileRow {
    pub id: u32,
    pub path: String,
    pub size: u64,
    pub kind: FileKind,
    pub compressed: bool,
    pub in_archive: bool,
    pub lines: u64,
    pub events: u64,
    pub duplicates: u64,
    pub bad_lines: u64,
    pub blank_lines: u64,
    pub first: Option<Nanos>,
    pub last: Option<Nanos>,
    pub sha256: Option<String>,
    /// Problems listed for this file (bad lines, or why it was not read).
    pub problems: u32,
    /// What is worth knowing about this file, e.g. the pre-3.1.6 nearest-midnight naming.
    pub note: Option<String>,
}

impl FileRow {
    pub fn new(m: &Model, id: u32, problems: u32) -> Self {
        let f = m.file(id);
        FileRow {
            id,
            path: f.path.clone(),
            size: f.size,
            kind: f.kind,
            compressed: f.compressed,
            in_archive: f.parent.is_some(),
            lines: f.lines,
            events: f.events,
            duplicates: f.duplicates,
            bad_lines: f.bad_lines,
            blank_lines: f.blank_lines,
            first: f.first_time,
            last: f.last_time,
            sha256: f.sha256.clone(),
            problems,
            note: naming_note(f.name(), f.first_time, f.last_time),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// Files read, archive entries included (the rows are the table [`super::Table::Files`]).
    pub files: u32,
    /// Files as dropped (not counting archive entries).
    pub top_files: u32,
    pub bytes: u64,
    pub events: u64,
    pub duplicates: u64,
    /// Lines that could not be read, over all files.
    pub bad_lines: u64,
    /// Files that could not be read at all.
    pub unread_files: u32,
    /// Dropped files whose SHA-256 is not known yet (they are hashed while and after loading).
    pub unhashed_files: u32,
    pub problems: u32,
    pub problems_by_kind: Vec<(String, u32)>,
    pub first: Option<Nanos>,
    pub last: Option<Nanos>,
    pub events_without_time: u64,
    pub users: u32,
    pub nodes: u32,
    pub addrs: u32,
    pub sessions: u32,
    pub open_sessions: u32,
    pub auth_attempts: u32,
    pub auth_failures: u32,
    pub recordings: u32,
    pub recorded_sessions: u32,
    pub event_types: Vec<(String, u32)>,
}

/// What the overview counts event by event, kept between overviews: events are only ever
/// appended, so each overview reads only those added since the last (while loading, the page
/// asks every 1.5 s, and reading every event each time slowed the load).
#[derive(Default)]
pub(crate) struct EventTally {
    counted: usize,
    kinds: Vec<u32>,
    users: Distinct,
    nodes: Distinct,
    addrs: Distinct,
    auth_attempts: u32,
    auth_failures: u32,
    without_time: u64,
}

/// How many different symbols were seen.
#[derive(Default)]
struct Distinct {
    seen: Vec<u64>,
    count: u32,
}

impl Distinct {
    fn add(&mut self, s: Sym) {
        if s.is_none() {
            return;
        }
        let (word, bit) = (s.index() / 64, 1u64 << (s.index() % 64));
        if word >= self.seen.len() {
            self.seen.resize(word + 1, 0);
        }
        if self.seen[word] & bit == 0 {
            self.seen[word] |= bit;
            self.count += 1;
        }
    }
}

impl EventTally {
    fn update(&mut self, m: &Model) {
        if m.events.len() < self.counted {
            *self = EventTally::default();
        }
        for e in &m.events[self.counted..] {
            if e.kind.index() >= self.kinds.len() {
                self.kinds.resize(e.kind.index() + 1, 0);
            }
            self.kinds[e.kind.index()] += 1;
            self.users.add(e.user);
            self.nodes.add(e.node);
            self.addrs.add(e.remote);
            if e.is_auth {
                self.auth_attempts += 1;
                self.auth_failures += u32::from(e.outcome == Outcome::Failure);
            }
            self.without_time += u64::from(e.time == NO_TIME);
        }
        self.counted = m.events.len();
    }
}

impl Overview {
    pub fn new(m: &Model) -> Self {
        Overview::counted(m, &mut EventTally::default())
    }

    /// The overview of `m`, counting only the events `tally` has not seen: `tally` must only
    /// ever be given this model (or none, after it was cleared).
    pub(crate) fn counted(m: &Model, tally: &mut EventTally) -> Self {
        tally.update(m);
        let mut by_kind: Vec<(ProblemKind, u32)> = Vec::new();
        for p in &m.problems {
            match by_kind.iter_mut().find(|(k, _)| *k == p.kind) {
                Some((_, n)) => *n += 1,
                None => by_kind.push((p.kind, 1)),
            }
        }
        by_kind.sort();
        let mut types: Vec<(String, u32)> = (tally.kinds.iter().enumerate())
            .filter(|&(_, &n)| n > 0)
            .map(|(sym, &n)| (m.strings.get(Sym(sym as u32)).to_owned(), n))
            .collect();
        types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let span = m.time_span();
        let top = || m.files.iter().filter(|f| f.parent.is_none());
        Overview {
            files: m.files.len() as u32,
            top_files: top().count() as u32,
            bytes: top().map(|f| f.size).sum(),
            events: m.events.len() as u64,
            duplicates: m.duplicates,
            bad_lines: m.files.iter().map(|f| f.bad_lines).sum(),
            unread_files: m.files.iter().filter(|f| f.kind == FileKind::NotRead).count() as u32,
            unhashed_files: top().filter(|f| f.sha256.is_none()).count() as u32,
            problems: m.problems.len() as u32,
            problems_by_kind: by_kind.into_iter().map(|(k, n)| (k.label().to_owned(), n)).collect(),
            first: span.map(|s| s.0),
            last: span.map(|s| s.1),
            events_without_time: tally.without_time,
            users: tally.users.count,
            nodes: tally.nodes.count,
            addrs: tally.addrs.count,
            sessions: m.sessions.len() as u32,
            open_sessions: m.sessions.list.iter().filter(|s| s.end.is_none()).count() as u32,
            auth_attempts: tally.auth_attempts,
            auth_failures: tally.auth_failures,
            recordings: m.recordings.len() as u32,
            recorded_sessions: m.sessions.list.iter().filter(|s| s.recording_parts > 0).count() as u32,
            event_types: types,
        }
    }
}

/// Before Teleport 3.1.6 a day file was named after the *nearest* UTC midnight, so the file named
/// D holds D−1 12:00 to D 12:00. Say so when a file's content shows it, so that nobody thinks half
/// a day is missing.
fn naming_note(name: &str, first: Option<Nanos>, last: Option<Nanos>) -> Option<String> {
    let stem = name.strip_suffix(".gz").unwrap_or(name).strip_suffix(".log")?;
    let day = NaiveDateTime::parse_from_str(stem, "%Y-%m-%d.%H:%M:%S").ok()?.and_utc().timestamp_nanos_opt()?;
    let (first, last) = (first?, last?);
    let half = 12 * 3600 * NANOS_PER_SEC;
    (first < day && first >= day - half && last <= day + half).then(|| {
        "named by the nearest midnight (Teleport before 3.1.6): it holds noon of the previous day to noon of the day in its name".to_owned()
    })
}
