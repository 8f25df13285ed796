//! The catalog of recording parts found among the loaded files, by session id.

use super::{FileKind, Model};
use crate::problem::{FileId, ProblemKind};
use crate::sniff::{folder_and_stem, part_name};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

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
    /// The part (an index in [`Model::recordings`]) this one was paired with when its name
    /// could not say (see [`Model::pair_renamed_output`]).
    #[serde(default)]
    pub with: Option<usize>,
}

/// The parts of each recording, as indexes in `parts`: those sharing a session id; a part whose
/// id is not known from its name (its own events may tell) with the parts paired with it.
pub fn recording_groups(parts: &[RecordingPart]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_sid: HashMap<&str, usize> = HashMap::new();
    // The group of each part so far (a partner always comes before the part paired with it).
    let mut group_of = Vec::with_capacity(parts.len());
    for (i, p) in parts.iter().enumerate() {
        let joined = match (p.with, p.sid.as_deref()) {
            (Some(partner), _) => group_of.get(partner).copied(),
            (None, Some(sid)) => by_sid.get(sid).copied(),
            (None, None) => None,
        };
        let g = joined.unwrap_or_else(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        if let Some(sid) = p.sid.as_deref() {
            by_sid.entry(sid).or_insert(g);
        }
        groups[g].push(i);
        group_of.push(g);
    }
    groups
}

impl Model {
    /// Terminal output kept beside its gen-2 events under another name than
    /// `<sid>-<offset>.chunks` (`npm.tty.stream` beside `npm.tty.events.json`) was not read:
    /// neither its name nor its bytes say what it is. An events file named without a session
    /// id takes the one unread file of its folder and name stem as its output, and that file's
    /// problem is gone (the decoder notes the pairing). Only loose files pair: an unread file
    /// inside an archive was not kept. A pairing made once stays, whatever a later load adds.
    pub fn pair_renamed_output(&mut self) {
        // The unread top-level files by folder and stem (`None` where several share them).
        let mut unread: HashMap<(&str, &str), Option<FileId>> = HashMap::new();
        for (id, f) in self.files.iter().enumerate() {
            if f.kind == FileKind::NotRead && f.parent.is_none() {
                unread.entry(folder_and_stem(&f.path)).and_modify(|e| *e = None).or_insert(Some(id as FileId));
            }
        }
        if unread.is_empty() {
            return;
        }
        // Only a file not read for what it holds (not a damaged or too large one) may be output.
        let mut kinds: HashMap<FileId, Vec<ProblemKind>> =
            unread.values().flatten().map(|&f| (f, Vec::new())).collect();
        for p in &self.problems {
            if let Some(k) = kinds.get_mut(&p.file) {
                k.push(p.kind);
            }
        }
        let paired: HashSet<usize> = self.recordings.iter().filter_map(|p| p.with).collect();
        let mut pairs = Vec::new();
        for (events, part) in self.recordings.iter().enumerate() {
            let file = self.file(part.file);
            let unnamed_events = matches!(part.role, PartRole::Gen2Events { .. })
                && file.parent.is_none()
                && part_name(&file.path).is_none()
                && !paired.contains(&events);
            if !unnamed_events {
                continue;
            }
            let Some(slot) = unread.get_mut(&folder_and_stem(&file.path)) else { continue };
            if let Some(output) = slot.take_if(|f| kinds[f] == [ProblemKind::NotAuditLog]) {
                pairs.push((events, output));
            }
        }
        if pairs.is_empty() {
            return;
        }
        let outputs: HashSet<FileId> = pairs.iter().map(|&(_, output)| output).collect();
        self.problems.retain(|p| !outputs.contains(&p.file));
        for (events, output) in pairs {
            let f = self.file_mut(output);
            (f.kind, f.lines, f.bad_lines, f.blank_lines) = (FileKind::Recording, 0, 0, 0);
            let role = PartRole::Gen2Chunks { first_offset: 0 };
            self.add_recording_part(RecordingPart { file: output, sid: None, role, kept: None, with: Some(events) });
        }
    }
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
