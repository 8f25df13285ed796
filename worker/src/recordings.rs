//! Recordings in the worker: their parts are grouped by session, read back (from their files, or
//! from memory when they came out of an archive) and decoded.

use super::files::read_slice;
use super::with_state;
use review_core::model::{recording_groups, Model, RecordingSummary, Sym};
use review_recording::{decode, Part, Recording, RecordingError};
use std::collections::HashMap;
use std::sync::Arc;
use web_sys::Blob;

/// Where one part's bytes are.
enum Bytes {
    Kept(Arc<Vec<u8>>),
    File(Blob),
}

/// The parts of session `session`'s recording, if any was loaded.
pub fn of_session(session: u32) -> Option<Vec<usize>> {
    let sid = with_state(|s| s.ingest.model.sessions.list.get(session as usize).map(|x| x.sid))?;
    with_state(|s| by_sid(&s.ingest.model).remove(&sid))
}

/// Each recording's parts, by its session id (a recording whose id is not known is left out).
pub fn by_sid(m: &Model) -> HashMap<Sym, Vec<usize>> {
    let mut out = HashMap::new();
    for group in recording_groups(&m.recordings) {
        let sid = group.iter().find_map(|&i| m.recordings[i].sid.as_deref()).and_then(|sid| m.strings.lookup(sid));
        if let Some(sid) = sid {
            out.insert(sid, group);
        }
    }
    out
}

/// Reads and decodes the recording made of these parts.
pub async fn load(members: &[usize]) -> Result<Recording, RecordingError> {
    let sources: Vec<(String, Bytes)> = with_state(|s| {
        let m = &s.ingest.model;
        members
            .iter()
            .filter_map(|&i| {
                let part = m.recordings.get(i)?;
                let path = m.file(part.file).path.clone();
                let bytes = match &part.kept {
                    Some(kept) => Bytes::Kept(kept.clone()),
                    None => Bytes::File(s.handles.get(&part.file)?.clone()),
                };
                Some((path, bytes))
            })
            .collect()
    });
    let mut read: Vec<(String, Arc<Vec<u8>>)> = Vec::new();
    for (path, bytes) in sources {
        let data = match bytes {
            Bytes::Kept(k) => k,
            Bytes::File(blob) => Arc::new(
                read_slice(&blob, 0, blob.size() as u64)
                    .await
                    .map_err(|e| RecordingError::Unreadable(format!("{path}: {e}")))?,
            ),
        };
        read.push((path, data));
    }
    let parts: Vec<Part<'_>> = read.iter().map(|(path, data)| Part { path, bytes: data }).collect();
    decode(&parts)
}

/// What the recording says about its session, for the model.
pub fn summarize(sid: Option<String>, parts: usize, result: &Result<Recording, RecordingError>) -> RecordingSummary {
    let parts = parts as u32;
    match result {
        Ok(r) => RecordingSummary {
            sid: r.sid.clone().or(sid),
            parts,
            generation: r.generation,
            user: r.meta.user.clone(),
            login: r.meta.login.clone(),
            node: r.meta.node.clone(),
            server_id: r.meta.server_id.clone(),
            remote: r.meta.remote_addr.clone(),
            cluster: r.meta.cluster.clone(),
            start: r.meta.start.or(r.start_time),
            end: r.meta.end,
            participants: r.meta.participants.clone(),
            duration_ms: r.duration,
            prints: r.prints.len() as u64,
            error: None,
            problems: r.problems.clone(),
        },
        Err(e) => RecordingSummary { sid, parts, error: Some(e.to_string()), ..RecordingSummary::default() },
    }
}

/// Decodes every recording found, so that their sessions show who, where and when, and which
/// cannot be replayed.
pub async fn summarize_all() {
    let (groups, sids): (Vec<Vec<usize>>, Vec<Option<String>>) = with_state(|s| {
        let parts = &s.ingest.model.recordings;
        let groups = recording_groups(parts);
        let sids = groups.iter().map(|g| g.first().and_then(|&i| parts[i].sid.clone())).collect();
        (groups, sids)
    });
    for (members, sid) in groups.iter().zip(sids) {
        let done = sid
            .as_deref()
            .is_some_and(|sid| with_state(|s| s.ingest.model.recording_summarized(sid, members.len() as u32)));
        if done {
            continue;
        }
        let result = load(members).await;
        let summary = summarize(sid, members.len(), &result);
        with_state(|s| {
            // A part named without its session id learns it from the recording's own events.
            if let Some(found) = &summary.sid {
                for &i in members {
                    s.ingest.model.assign_recording_sid(i, found);
                }
            }
            s.ingest.model.add_recording_summary(summary);
        });
    }
}
