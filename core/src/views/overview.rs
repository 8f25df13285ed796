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

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub files: Vec<FileRow>,
    pub bytes: u64,
    pub events: u64,
    pub duplicates: u64,
    /// Lines that could not be read, over all files.
    pub bad_lines: u64,
    /// Files that could not be read at all.
    pub unread_files: u32,
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
        let mut problems_per_file = vec![0u32; m.files.len()];
        let mut by_kind: Vec<(ProblemKind, u32)> = Vec::new();
        for p in &m.problems {
            problems_per_file[p.file as usize] += 1;
            match by_kind.iter_mut().find(|(k, _)| *k == p.kind) {
                Some((_, n)) => *n += 1,
                None => by_kind.push((p.kind, 1)),
            }
        }
        by_kind.sort();
        let files: Vec<FileRow> = m
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| FileRow {
                id: i as u32,
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
                problems: problems_per_file[i],
                note: naming_note(f.name(), f.first_time, f.last_time),
            })
            .collect();
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
        let users = distinct(&|e| e.user);
        let nodes = distinct(&|e| e.node);
        let addrs = distinct(&|e| e.remote);
        let mut types: Vec<(String, u32)> = Vec::new();
        {
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
        }
        let auth: Vec<_> = m.events.iter().filter(|e| e.is_auth).collect();
        let span = m.time_span();
        Overview {
            bytes: files.iter().filter(|f| !f.in_archive).map(|f| f.size).sum(),
            files,
            events: m.events.len() as u64,
            duplicates: m.duplicates,
            bad_lines: m.files.iter().map(|f| f.bad_lines).sum(),
            unread_files: m.files.iter().filter(|f| f.kind == FileKind::NotRead).count() as u32,
            problems: m.problems.len() as u32,
            problems_by_kind: by_kind.into_iter().map(|(k, n)| (k.label().to_owned(), n)).collect(),
            first: span.map(|s| s.0),
            last: span.map(|s| s.1),
            events_without_time: m.events.iter().filter(|e| e.time == NO_TIME).count() as u64,
            users,
            nodes,
            addrs,
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
