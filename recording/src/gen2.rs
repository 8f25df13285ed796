//! Generation 2 (Teleport 2.5–4.3): `<sid>.index` + `<sid>-<ei>.events.gz` +
//! `<sid>-<offset>.chunks.gz` (+ v4.2 enhanced `<sid>-<ei>.session.<kind>-events.gz`), loose or
//! from a tarball, already unpacked by [`crate::parts`]. A session may have several events and
//! chunks files (HA auth servers, reconnects): events are merged by `ei`, and a print's bytes
//! come from the chunks file with the largest start offset not after the print's offset.

use crate::chunks::{self, ByteFile, ByteFiles};
use crate::json_events::{self, JsonRecord, Located};
use crate::parts::Named;
use crate::timeline::Builder;
use crate::{Limits, Recording, RecordingError};
use review_core::sniff::{self, Content};
use serde::Deserialize;

/// A line of `<sid>.index`.
#[derive(Debug, Deserialize)]
struct IndexEntry {
    file_name: String,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    index: i64,
    #[serde(default)]
    offset: i64,
}

pub(crate) fn decode(
    files: Vec<Named<'_>>,
    limits: &Limits,
    mut problems: Vec<String>,
) -> Result<Recording, RecordingError> {
    let index = read_index(&files, &mut problems);
    let entry_for = |name: &str| index.iter().find(|e| base(&e.file_name) == base(name));
    for entry in &index {
        if !files.iter().any(|f| base(&f.name) == base(&entry.file_name)) {
            problems.push(format!("the index lists {} ({}), which was not given", entry.file_name, entry.kind));
        }
    }

    let (chunk_files, files): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| f.content == Content::Gen2Chunks);

    // Events files in the order of their first event index, then their lines.
    let mut event_files: Vec<&Named<'_>> =
        files.iter().filter(|f| matches!(f.content, Content::Gen2Events | Content::Gen2Enhanced)).collect();
    let first_index = |f: &Named<'_>| entry_for(&f.name).map(|e| e.index).or_else(|| name_number(&f.name)).unwrap_or(0);
    event_files.sort_by_key(|f| first_index(f));
    let mut records: Vec<(&str, Located)> = Vec::new();
    for f in &event_files {
        let name = base(&f.name);
        records.extend(json_events::parse(name, &f.data, &mut problems).into_iter().map(|r| (name, r)));
    }
    if records.iter().all(|(_, r)| r.ei.is_some()) {
        records.sort_by_key(|(_, r)| r.ei);
        drop_duplicates(&mut records, &mut problems);
    }

    let chunk_files = chunk_files
        .into_iter()
        .map(|f| {
            let offset = entry_for(&f.name).map(|e| e.offset).or_else(|| name_number(&f.name)).unwrap_or(0);
            ByteFile { name: base(&f.name).to_owned(), offset: offset.max(0) as u64, data: f.data }
        })
        .collect();
    let bytes = ByteFiles::new(chunk_files, ".chunks");
    let mut builder = Builder::new(limits, problems);
    chunks::feed(records, &bytes, &mut builder);
    builder.finish(2)
}

fn read_index(files: &[Named<'_>], problems: &mut Vec<String>) -> Vec<IndexEntry> {
    let mut entries = Vec::new();
    for f in files.iter().filter(|f| f.content == Content::Gen2Index) {
        for (i, line) in f.data.split(|&b| b == b'\n').enumerate() {
            let line = line.trim_ascii();
            if line.is_empty() {
                continue;
            }
            match serde_json::from_slice::<IndexEntry>(line) {
                Ok(entry) => entries.push(entry),
                Err(e) => {
                    problems.push(format!("{}, line {}: not an index entry ({e}); skipped", base(&f.name), i + 1))
                }
            }
        }
    }
    entries
}

/// Resumed writers and enhanced files can repeat an event: the same `ei` and type twice.
fn drop_duplicates(records: &mut Vec<(&str, Located)>, problems: &mut Vec<String>) {
    let before = records.len();
    records.dedup_by(|(_, b), (_, a)| a.ei == b.ei && same_kind(&a.record, &b.record));
    let dropped = before - records.len();
    if dropped > 0 {
        problems.push(format!("{dropped} events appear twice (same ei and type); each was kept once"));
    }
}

fn same_kind(a: &JsonRecord, b: &JsonRecord) -> bool {
    match (a, b) {
        (JsonRecord::Print(_), JsonRecord::Print(_)) => true,
        (JsonRecord::Event(a), JsonRecord::Event(b)) => a.event == b.event,
        _ => false,
    }
}

fn base(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// `N` of `<sid>-N.events.gz` / `<sid>-N.chunks.gz`.
fn name_number(path: &str) -> Option<i64> {
    sniff::part_name(path)?.number.and_then(|n| i64::try_from(n).ok())
}
