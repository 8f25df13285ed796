//! Teleport session recordings of every generation, decoded into one [`Recording`]: all terminal
//! output in order, print events addressed by time, and the session's other events on the same
//! clock.
//!
//! Generations (see the format reference, §3):
//! - 1 (2016–2018): `<sid>.session.log` (JSON lines) + `<sid>.session.bytes` (raw PTY);
//! - 2 (2018–2020): `<sid>.index` + `<sid>-N.events.gz` + `<sid>-N.chunks.gz`, loose or in a
//!   real tar `<sid>.tar`;
//! - 3 (2020–): ProtoStream `<sid>.tar` (not a tar): gzip + protobuf parts.
//!
//! Input is untrusted: decoding never panics, keeps everything before a defect, and says where
//! and why it stopped in [`Recording::problems`].

use serde::{Deserialize, Serialize};

mod chunks;
mod event_info;
mod gen1;
mod gen2;
mod inflate;
mod json_events;
mod limits;
mod meta;
mod parts;
mod protostream;
mod timeline;

pub mod encode;

pub use limits::Limits;

/// One file as the user gave it (or as unpacked from an archive by the caller). Its content is
/// sniffed from the bytes; `path` only names it in messages and, where the bytes cannot tell,
/// says what it is (raw PTY output: `.session.bytes`, `-N.chunks[.gz]`) and which session id
/// and file number (`<sid>-N.…`) it has.
#[derive(Clone, Copy, Debug)]
pub struct Part<'a> {
    pub path: &'a str,
    pub bytes: &'a [u8],
}

/// Decodes one recording from its parts as found: a ProtoStream `<sid>.tar` (or its upload
/// parts), a gen-2 tarball, loose gen-2 files (gzipped or already decompressed), or a gen-1
/// `.session.log` + `.session.bytes` pair. Damage is reported in [`Recording::problems`] with
/// everything before it kept; an error means there was nothing to replay.
pub fn decode(parts: &[Part<'_>]) -> Result<Recording, RecordingError> {
    decode_with(parts, &Limits::default())
}

/// [`decode`] with explicit resource limits.
pub fn decode_with(parts: &[Part<'_>], limits: &Limits) -> Result<Recording, RecordingError> {
    let parts::Sorted { set, sid, problems, notes } = parts::sort(parts, limits)?;
    let mut recording = match set {
        parts::Set::ProtoStream(files) => protostream::decode(&files, limits, problems),
        parts::Set::Gen2(files) => gen2::decode(files, limits, problems),
        parts::Set::Gen1 { log, bytes } => gen1::decode(log, bytes, limits, problems),
        parts::Set::Nothing => Err(timeline::nothing_decodable(&problems)),
    }?;
    if recording.sid.is_none() {
        recording.sid = sid;
    }
    recording.notes = notes;
    Ok(recording)
}

/// Milliseconds on the recording's own clock: 0 is the first print (or the session start when
/// that comes first). Events before the first print (session.start, an early resize) are at 0;
/// a recording without prints starts at its first event.
pub type Millis = u64;

/// Nanoseconds since the Unix epoch, UTC.
pub type Nanos = i64;

/// A decoded recording.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Recording {
    /// 1, 2 or 3.
    pub generation: u8,
    pub sid: Option<String>,
    /// Every byte the session printed, in order (raw PTY bytes: not necessarily UTF-8, and a
    /// character may be split across prints).
    pub output: Vec<u8>,
    /// Print events in time order; each names a slice of `output`.
    pub prints: Vec<Print>,
    /// The session's other events (resize, join, leave, enhanced events, start, end) in time
    /// order on the same clock.
    pub events: Vec<SessionEvent>,
    /// Terminal size (cols, rows) before the first print, from `session.start` `size`.
    pub initial_size: Option<(u16, u16)>,
    /// Wall-clock time of `Millis` 0.
    pub start_time: Option<Nanos>,
    /// Length of the recording: the last print, or `session.end` when later (or any other
    /// session event after both, so every event is within the duration).
    pub duration: Millis,
    /// Who, where and when, from the recording's own session events.
    pub meta: SessionMeta,
    /// What could not be decoded, with where; decoding kept everything before it.
    pub problems: Vec<String>,
    /// How a file was read where its name did not say (not damage: the player shows them).
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Recording {
    /// What a recording without terminal output holds instead, for the player to say beside the
    /// empty screen (a desktop or database session's recording has none): `None` when it has
    /// output.
    pub fn without_output(&self) -> Option<String> {
        if !self.prints.is_empty() {
            return None;
        }
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for e in &self.events {
            match counts.iter_mut().find(|(kind, _)| *kind == e.event) {
                Some((_, n)) => *n += 1,
                None => counts.push((&e.event, 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let listed: Vec<String> = counts.iter().take(3).map(|(kind, n)| format!("{n} × {kind}")).collect();
        let more = if counts.len() > 3 { format!(" and {} other kinds", counts.len() - 3) } else { String::new() };
        let has = |prefix: &str| counts.iter().any(|(kind, _)| kind.starts_with(prefix));
        let what = if has("desktop.") || has("windows.desktop.") {
            ": a desktop session, whose screen this player does not draw"
        } else if has("db.") {
            ": a database session, whose queries are events of the audit log"
        } else {
            ""
        };
        Some(format!("no terminal output in this recording, only events ({}{more}){what}", listed.join(", ")))
    }
}

/// One write to the terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Print {
    pub at: Millis,
    /// Start of this print's bytes in [`Recording::output`].
    pub offset: usize,
    pub len: usize,
}

/// A non-print session event placed on the recording's clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionEvent {
    /// Between the prints it came between in the recording, and at least 1 ms after the print
    /// before it unless the next print is at that same millisecond: so among equal times, an
    /// event precedes the prints (except in that rare case).
    pub at: Millis,
    pub kind: EventKind,
    /// The `event` type as written (`session.join`, `resize`, …).
    pub event: String,
    /// A one-line human summary (`bob joined`, `/usr/bin/curl http://x`, …).
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    Start,
    Resize {
        cols: u16,
        rows: u16,
    },
    Join {
        user: String,
    },
    Leave {
        user: String,
    },
    /// Enhanced recording: a program was executed.
    Command {
        path: String,
        argv: Vec<String>,
        return_code: i32,
    },
    /// Enhanced recording: a file was opened.
    Disk {
        path: String,
    },
    /// Enhanced recording: a network connection; `denied` when the policy blocked it.
    Network {
        dst: String,
        denied: bool,
    },
    End,
    Other,
}

/// Who, where and when, as the recording itself says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionMeta {
    pub user: Option<String>,
    pub login: Option<String>,
    /// `server_hostname`, falling back to `server_id`.
    pub node: Option<String>,
    pub server_id: Option<String>,
    pub remote_addr: Option<String>,
    pub cluster: Option<String>,
    pub start: Option<Nanos>,
    pub end: Option<Nanos>,
    pub participants: Vec<String>,
}

/// Why a recording cannot be replayed at all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordingError {
    /// A ProtoStream V2 recording with the encrypted flag: only the auth server's keys open it.
    Encrypted,
    /// Nothing decodable: the reason says what was wrong, and where.
    Unreadable(String),
}

impl std::fmt::Display for RecordingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordingError::Encrypted => f.write_str(
                "encrypted recording — cannot be replayed here (only the Teleport auth server holds its keys)",
            ),
            RecordingError::Unreadable(why) => write!(f, "unreadable recording: {why}"),
        }
    }
}

impl std::error::Error for RecordingError {}
