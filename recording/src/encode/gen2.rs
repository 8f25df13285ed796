//! Generation 2 writer: `<sid>.index`, `<sid>-<ei>.events.gz`, `<sid>-<offset>.chunks.gz` and
//! the v4.2 enhanced `<sid>-<ei>.session.<kind>-events.gz`, loose or as a tarball (§3b).

use super::json::{self, Era};
use super::{round_ms, Event, File, PrintClock, Session};
use flate2::{write::GzEncoder, Compression};
use serde_json::json;
use std::io::Write;

/// How the `.gz` files are compressed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GzipStyle {
    /// One gzip member per file.
    #[default]
    Single,
    /// One member with a sync-flush block after every event or print, as Teleport's writer
    /// flushed after each batch.
    SyncFlush,
    /// A new gzip member every few events, as a file reopened for appending has.
    MultiMember,
    /// Not compressed: the content as an app that already gunzipped it would hand it on,
    /// under the same (`.gz`) names.
    Uncompressed,
}

/// Options for [`gen2`] and [`gen2_tar`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gen2Options {
    pub gzip: GzipStyle,
    /// Start a new events file (and chunks file) after this many events, as after a reconnect
    /// or with HA auth servers; 0 = one of each.
    pub events_per_file: usize,
}

/// Events (or prints) per gzip member in [`GzipStyle::MultiMember`] files.
const EVENTS_PER_MEMBER: usize = 4;

/// A file being written: its index entry and its content as batches (one per event).
struct Out {
    name: String,
    kind: &'static str,
    batches: Vec<Vec<u8>>,
}

/// The files of one session as they are written.
#[derive(Default)]
struct Writer {
    index: Vec<u8>,
    events: Vec<Out>,
    enhanced: Vec<Out>,
    chunks: Vec<Out>,
}

impl Writer {
    /// Starts a file, with its index line (`index`: first event index; `offset`: first byte).
    fn open(&mut self, list: List, name: String, kind: &'static str, index: i64, offset: i64) {
        let entry = json!({"file_name": name, "type": kind, "index": index, "offset": offset});
        self.index.extend(serde_json::to_vec(&entry).unwrap_or_default());
        self.index.push(b'\n');
        self.list(list).push(Out { name, kind, batches: Vec::new() });
    }

    fn list(&mut self, list: List) -> &mut Vec<Out> {
        match list {
            List::Events => &mut self.events,
            List::Enhanced => &mut self.enhanced,
            List::Chunks => &mut self.chunks,
        }
    }

    /// Appends to the last file of `list` (or, for enhanced events, the file of `kind`).
    fn append(&mut self, list: List, kind: &str, batch: Vec<u8>) {
        let files = self.list(list);
        let file = if list == List::Enhanced { files.iter_mut().rfind(|o| o.kind == kind) } else { files.last_mut() };
        if let Some(file) = file {
            file.batches.push(batch);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Events,
    Enhanced,
    Chunks,
}

/// Writes the loose files: the index first, then events, enhanced events and chunks files.
pub fn gen2(s: &Session, options: &Gen2Options) -> Vec<File> {
    let mut w = Writer::default();
    let mut clock = PrintClock::default();
    let (mut offset, mut ci, mut in_segment) = (0i64, 0i64, 0usize);
    let (mut events_open, mut chunks_open) = (false, false);
    for (ei, e) in s.events.iter().enumerate() {
        let ei = ei as i64;
        if options.events_per_file > 0 && in_segment == options.events_per_file {
            (events_open, chunks_open, in_segment) = (false, false, 0);
        }
        in_segment += 1;
        let time = round_ms(e.time);
        let line = match &e.event {
            Event::Print(data) => {
                if !chunks_open {
                    w.open(List::Chunks, format!("{}-{offset}.chunks.gz", s.sid), "chunks", ei, offset);
                    chunks_open = true;
                }
                w.append(List::Chunks, "chunks", data.clone());
                let line = format!(
                    "{{\"time\":\"{}\",\"event\":\"print\",\"bytes\":{},\"ms\":{},\"offset\":{offset},\"ei\":{ei},\"ci\":{ci}}}\n",
                    json::rfc3339(time),
                    data.len(),
                    clock.next(time),
                );
                offset += data.len() as i64;
                ci += 1;
                line.into_bytes()
            }
            event => {
                let Some(mut f) = json::event_fields(s, event, Era::Gen2) else {
                    continue;
                };
                f.insert("ei", json!(ei));
                f.insert("time", json!(json::rfc3339(time)));
                f.insert("uid", json!(json::uid(&s.sid, ei)));
                json::line(&f)
            }
        };
        if let Some(kind) = enhanced_kind(&e.event) {
            if !w.enhanced.iter().any(|o| o.kind == kind) {
                w.open(List::Enhanced, format!("{}-{ei}.{kind}-events.gz", s.sid), kind, ei, 0);
            }
            w.append(List::Enhanced, kind, line);
        } else {
            if !events_open {
                w.open(List::Events, format!("{}-{ei}.events.gz", s.sid), "events", ei, 0);
                events_open = true;
            }
            w.append(List::Events, "events", line);
        }
    }
    let mut files = vec![(format!("{}.index", s.sid), w.index)];
    for out in w.events.into_iter().chain(w.enhanced).chain(w.chunks) {
        files.push((out.name, compress(&out.batches, options.gzip)));
    }
    files
}

/// Enhanced events go to their own files, typed by event (v4.2+).
fn enhanced_kind(event: &Event) -> Option<&'static str> {
    match event {
        Event::Command { .. } => Some("session.command"),
        Event::Disk { .. } => Some("session.disk"),
        Event::Network { .. } => Some("session.network"),
        _ => None,
    }
}

/// Writes the tarball `<sid>.tar` of the loose files (flat base names, index first), as the
/// node uploads it.
pub fn gen2_tar(s: &Session, options: &Gen2Options) -> File {
    let mut tar = tar::Builder::new(Vec::new());
    let mtime = s.events.first().map_or(0, |e| e.time.max(0) / 1_000_000_000) as u64;
    for (name, data) in gen2(s, options) {
        let mut header = tar::Header::new_ustar();
        header.set_size(data.len() as u64);
        header.set_mode(0o600);
        header.set_mtime(mtime);
        header.set_entry_type(tar::EntryType::Regular);
        // Writing to a Vec cannot fail, and the names are short base names.
        let _ = tar.append_data(&mut header, &name, data.as_slice());
    }
    (format!("{}.tar", s.sid), tar.into_inner().unwrap_or_default())
}

fn compress(batches: &[Vec<u8>], style: GzipStyle) -> Vec<u8> {
    let gz = |parts: &[Vec<u8>], flush_each: bool| {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        for p in parts {
            let _ = e.write_all(p);
            if flush_each {
                let _ = e.flush();
            }
        }
        e.finish().unwrap_or_default()
    };
    match style {
        GzipStyle::Single => gz(batches, false),
        GzipStyle::SyncFlush => gz(batches, true),
        GzipStyle::MultiMember => batches.chunks(EVENTS_PER_MEMBER).flat_map(|c| gz(c, false)).collect(),
        GzipStyle::Uncompressed => batches.concat(),
    }
}
