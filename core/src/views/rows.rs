//! Rows as the UI shows them: strings resolved, times as nanoseconds (the UI formats them in UTC
//! or local time), outcomes as values.

use crate::audit::{event_description, Outcome};
use crate::model::{Event, EventId, Model, PartRole, Session, NO_TIME};
use crate::problem::Problem;
use crate::time::Nanos;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: EventId,
    pub time: Option<Nanos>,
    pub event: String,
    pub code: String,
    /// "User login failed", "Session started", …
    pub title: String,
    pub user: String,
    pub login: String,
    pub node: String,
    /// Remote host (no port).
    pub addr: String,
    pub port: u16,
    pub sid: String,
    pub cluster: String,
    pub method: String,
    pub message: String,
    pub outcome: Outcome,
    pub file: String,
    pub line: u32,
}

impl EventRow {
    pub fn new(m: &Model, id: EventId) -> Self {
        let e: &Event = &m.events[id as usize];
        let code = m.str(e.code);
        EventRow {
            id,
            time: (e.time != NO_TIME).then_some(e.time),
            event: m.str(e.kind).to_owned(),
            code: code.to_owned(),
            title: event_description(m.str(e.kind), (!code.is_empty()).then_some(code)).into_owned(),
            user: m.str(e.user).to_owned(),
            login: m.str(e.login).to_owned(),
            node: m.str(e.node).to_owned(),
            addr: m.str(e.remote).to_owned(),
            port: e.remote_port,
            sid: m.str(e.sid).to_owned(),
            cluster: m.str(e.cluster).to_owned(),
            method: m.str(e.method).to_owned(),
            message: m.str(e.message).to_owned(),
            outcome: e.outcome,
            file: m.file(e.file).path.clone(),
            line: e.line,
        }
    }
}

/// Whether the session's terminal output can be replayed here.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordingStatus {
    #[default]
    None,
    /// The audit log says a recording was uploaded, but it is not among the loaded files.
    UploadedNotLoaded,
    /// Parts of the recording were loaded; `error` says why it cannot be replayed, if so.
    Loaded {
        generation: u8,
        parts: u32,
        encrypted: bool,
        duration_ms: Option<u64>,
        error: Option<String>,
        /// Decoding stopped at damage (a cut file): it plays up to there.
        damaged: bool,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionRow {
    pub index: u32,
    pub sid: String,
    pub user: String,
    pub login: String,
    pub node: String,
    pub server_id: String,
    pub addr: String,
    pub cluster: String,
    pub proto: String,
    /// Start of the session (the start event, else the earliest event seen).
    pub start: Option<Nanos>,
    /// Whether `start` comes from a start event (or `session_start`) rather than the first event seen.
    pub start_known: bool,
    /// `None`: open, or its end was never logged.
    pub end: Option<Nanos>,
    pub last_seen: Option<Nanos>,
    pub duration: Option<Nanos>,
    pub participants: Vec<String>,
    pub joins: u32,
    pub interactive: Option<bool>,
    pub terminal_size: String,
    pub recording: RecordingStatus,
    pub events: u32,
}

impl SessionRow {
    pub fn new(m: &Model, index: u32) -> Self {
        let s: &Session = &m.sessions.list[index as usize];
        let start = s.start_or_first();
        SessionRow {
            index,
            sid: m.str(s.sid).to_owned(),
            user: m.str(s.user).to_owned(),
            login: m.str(s.login).to_owned(),
            node: m.str(s.node).to_owned(),
            server_id: m.str(s.server_id).to_owned(),
            addr: m.str(s.remote).to_owned(),
            cluster: m.str(s.cluster).to_owned(),
            proto: m.str(s.proto).to_owned(),
            start: (start != NO_TIME).then_some(start),
            start_known: s.start.is_some(),
            end: s.end,
            last_seen: (s.last_seen != NO_TIME).then_some(s.last_seen),
            duration: s.duration(),
            participants: s.participants.iter().map(|&p| m.str(p).to_owned()).collect(),
            joins: s.joins,
            interactive: s.interactive,
            terminal_size: m.str(s.terminal_size).to_owned(),
            recording: recording_status(m, s),
            events: s.events.len() as u32,
        }
    }
}

fn recording_status(m: &Model, s: &Session) -> RecordingStatus {
    if s.recording_parts == 0 {
        return if s.uploaded { RecordingStatus::UploadedNotLoaded } else { RecordingStatus::None };
    }
    let sid = m.str(s.sid);
    let parts: Vec<PartRole> = m.recordings.iter().filter(|p| p.sid.as_deref() == Some(sid)).map(|p| p.role).collect();
    let summary = m.recording_summaries.get(&s.sid);
    let generation = summary.map(|r| r.generation).filter(|&g| g > 0);
    RecordingStatus::Loaded {
        generation: generation.unwrap_or_else(|| parts.iter().map(|r| r.generation()).max().unwrap_or(0)),
        parts: parts.len().max(1) as u32,
        encrypted: parts.iter().any(|r| matches!(r, PartRole::ProtoStream { encrypted: true, .. })),
        duration_ms: summary.filter(|r| r.error.is_none()).map(|r| r.duration_ms),
        error: summary.and_then(|r| r.error.clone()),
        damaged: summary.is_some_and(|r| !r.problems.is_empty()),
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProblemRow {
    pub file_id: u32,
    pub file: String,
    /// `line 12`, `byte 4096`, or empty for the whole file.
    pub place: String,
    pub kind: String,
    pub detail: String,
}

impl ProblemRow {
    pub fn new(m: &Model, p: &Problem) -> Self {
        ProblemRow {
            file_id: p.file,
            file: m.file(p.file).path.clone(),
            place: p.place.to_string(),
            kind: p.kind.label().to_owned(),
            detail: p.detail.clone(),
        }
    }
}

/// One event in full: its row, its original line (exactly as in the file) and where that is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    pub row: EventRow,
    /// The line as read; not UTF-8 only if it was read back damaged.
    pub raw: String,
    /// The same JSON indented for reading, when it parses.
    pub pretty: Option<String>,
    /// `log/2024-01-01.00:00:00.log:17`.
    pub place: String,
    /// The session it belongs to, if any.
    pub session: Option<u32>,
}

impl EventDetail {
    pub fn new(m: &Model, id: EventId, raw: &[u8]) -> Self {
        let row = EventRow::new(m, id);
        let raw = String::from_utf8_lossy(raw).into_owned();
        let pretty =
            serde_json::from_str::<serde_json::Value>(&raw).ok().and_then(|v| serde_json::to_string_pretty(&v).ok());
        let place = format!("{}:{}", row.file, row.line);
        let e = &m.events[id as usize];
        let session = if e.sid.is_none() { None } else { m.sessions.index_of(e.sid) };
        EventDetail { row, raw, pretty, place, session }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub row: SessionRow,
    /// Every event of the session in time order.
    pub events: Vec<EventRow>,
    /// The loaded files that hold its recording.
    pub recording_files: Vec<(u32, String, String)>,
}

impl SessionDetail {
    pub fn new(m: &Model, index: u32) -> Self {
        let s = &m.sessions.list[index as usize];
        let sid = m.str(s.sid);
        SessionDetail {
            row: SessionRow::new(m, index),
            events: m.session_events_in_order(s).into_iter().map(|id| EventRow::new(m, id)).collect(),
            recording_files: m
                .recordings
                .iter()
                .filter(|p| p.sid.as_deref() == Some(sid))
                .map(|p| (p.file, m.file(p.file).path.clone(), p.role.label().to_owned()))
                .collect(),
        }
    }
}
