//! The catalog of recording parts found among the loaded files, by session id.

use crate::problem::FileId;
use serde::{Deserialize, Serialize};

/// What part of which recording generation a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartRole {
    /// Generation 1: `<sid>.session.log`.
    Gen1Log,
    /// Generation 1: `<sid>.session.bytes`.
    Gen1Bytes,
    /// Generation 2: `<sid>.index`.
    Gen2Index,
    /// Generation 2: `<sid>-<first ei>.events.gz`.
    Gen2Events { first_index: u64 },
    /// Generation 2: `<sid>-<first offset>.chunks.gz`.
    Gen2Chunks { first_offset: u64 },
    /// Generation 2 enhanced-recording events.
    Gen2Enhanced,
    /// Generation 2: a whole `<sid>.tar` tarball.
    Gen2Tar,
    /// Generation 3: a ProtoStream `<sid>.tar`.
    ProtoStream { version: u8, encrypted: bool },
}

impl PartRole {
    pub fn generation(self) -> u8 {
        match self {
            PartRole::Gen1Log | PartRole::Gen1Bytes => 1,
            PartRole::ProtoStream { .. } => 3,
            _ => 2,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PartRole::Gen1Log => "session log (gen 1)",
            PartRole::Gen1Bytes => "session bytes (gen 1)",
            PartRole::Gen2Index => "index (gen 2)",
            PartRole::Gen2Events { .. } => "events (gen 2)",
            PartRole::Gen2Chunks { .. } => "chunks (gen 2)",
            PartRole::Gen2Enhanced => "enhanced events (gen 2)",
            PartRole::Gen2Tar => "tarball (gen 2)",
            PartRole::ProtoStream { encrypted: true, .. } => "ProtoStream, encrypted (gen 3)",
            PartRole::ProtoStream { .. } => "ProtoStream (gen 3)",
        }
    }
}

/// One recording part. Its bytes are either the file itself (`kept` is `None`: the host reads
/// them back from its file handle) or were unpacked from an archive and kept.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordingPart {
    pub file: FileId,
    pub sid: Option<String>,
    pub role: PartRole,
    #[serde(skip)]
    pub kept: Option<std::sync::Arc<Vec<u8>>>,
}

/// What a decoded recording says about its session, for sessions known only (or better) from
/// their recordings. Filled in by the host after decoding; the core does not decode recordings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingSummary {
    pub sid: Option<String>,
    /// How many part files it was decoded from.
    pub parts: u32,
    pub generation: u8,
    pub user: Option<String>,
    pub login: Option<String>,
    pub node: Option<String>,
    pub server_id: Option<String>,
    pub remote: Option<String>,
    pub cluster: Option<String>,
    pub start: Option<crate::time::Nanos>,
    pub end: Option<crate::time::Nanos>,
    pub participants: Vec<String>,
    /// Milliseconds of terminal activity.
    pub duration_ms: u64,
    pub prints: u64,
    /// Why it cannot be replayed (encrypted, unreadable), if so.
    pub error: Option<String>,
    /// Problems met while decoding what could be decoded.
    pub problems: Vec<String>,
}
