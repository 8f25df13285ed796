//! The overview: what was loaded, what it holds, and everything that could not be read.

use crate::model::{FileKind, Model, NO_TIME};
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

impl Overview {
    pub fn new(m: &Model) -> Self {
        let mut by_kind: Vec<(ProblemKind, u32)> = Vec::new();
        for p in &m.problems {
            match by_kind.iter_mut().find(|(k, _)| *k == p.kind) {
                Some((_, n)) => *n += 1,
                None => by_kind.push((p.kind, 1)),
            }
        }
        by_kind.sort();
        let distinct = |get: &dyn Fn(&crate::model::Event) -> crate::model::Sym| {
            let mut seen = vec![false; m.strings.len()];
            let mut n = 0;
            for e in &m.events {
                let s = get(e);
                if !s.is_none() && !std::mem::replace(&mut seen[s.index()], true) {
                    n += 1;
                }
            }
            n
        };
        let mut types: Vec<(String, u32)> = Vec::new();
        let mut counts = vec![0u32; m.strings.len()];
        for e in &m.events {
            counts[e.kind.index()] += 1;
        }
        for (sym, s) in m.strings.iter() {
            if counts[sym.index()] > 0 {
                types.push((s.to_owned(), counts[sym.index()]));
            }
        }
        types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let auth: Vec<_> = m.events.iter().filter(|e| e.is_auth).collect();
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
            events_without_time: m.events.iter().filter(|e| e.time == NO_TIME).count() as u64,
            users: distinct(&|e| e.user),
            nodes: distinct(&|e| e.node),
            addrs: distinct(&|e| e.remote),
            sessions: m.sessions.len() as u32,
            open_sessions: m.sessions.list.iter().filter(|s| s.end.is_none()).count() as u32,
            auth_attempts: auth.len() as u32,
            auth_failures: auth.iter().filter(|e| e.outcome == crate::audit::Outcome::Failure).count() as u32,
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
