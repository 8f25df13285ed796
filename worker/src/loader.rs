//! The model worker's side of loading: slices arrive from the reader worker, each is parsed as
//! its own task (so the page's requests are answered in between), credit is given back, files
//! are closed at their last slice, and when every file is read the model is finished off.

use super::files::bytes_view;
use super::{now, pipe, post, recordings, with_state, State};
use js_sys::Array;
use review_core::ingest::Flow;
use review_core::problem::FileId;
use review_protocol::{Pipe, Progress, Response};
use std::collections::HashMap;
use std::ops::Range;
use wasm_bindgen::JsValue;
use web_sys::Blob;

/// How often loading reports progress to the page.
const PROGRESS_EVERY_MS: f64 = 250.0;

/// A load under way (files dropped while one runs join it).
pub struct Loading {
    started: f64,
    progress: Progress,
    /// Files not yet closed, with their sizes.
    open: HashMap<FileId, u64>,
    parse_millis: f64,
    /// Bytes the reader parsed itself.
    reader_bytes: u64,
    /// Bytes read from the files' byte streams.
    streamed_bytes: u64,
    last_report: f64,
    finishing: bool,
    cancelled: bool,
}

pub fn load(paths: Vec<String>, handles: Vec<Blob>) {
    let started = with_state(|s| {
        let ids: Vec<FileId> = paths
            .iter()
            .zip(&handles)
            .map(|(path, blob)| {
                let file = s.ingest.open(path, blob.size() as u64);
                s.handles.insert(file, blob.clone());
                file
            })
            .collect();
        let loading = s.loading.get_or_insert_with(|| Loading {
            started: now(),
            progress: Progress::default(),
            open: HashMap::new(),
            parse_millis: 0.0,
            reader_bytes: 0,
            streamed_bytes: 0,
            last_report: 0.0,
            finishing: false,
            cancelled: false,
        });
        for (&file, blob) in ids.iter().zip(&handles) {
            let size = blob.size() as u64;
            loading.open.insert(file, size);
            loading.progress.bytes_total += size;
            loading.progress.files_total += 1;
        }
        let blobs: Array = handles.iter().collect();
        let read = Pipe::Read {
            files: ids.clone(),
            paths: paths.clone(),
            seed: s.ingest.dedup_seed(),
            options: s.ingest.options().clone(),
        };
        pipe(read, &blobs, &Array::new());
        ids.first().map(|&first| (first, ids.len() as u32))
    });
    if let Some((first_id, count)) = started {
        post(0, Response::Started { first_id, count });
    }
}

/// A slice and its round (or a read failure) from the reader.
pub fn received(file: FileId, read: Range<u64>, last: bool, streamed: bool, data: Result<(JsValue, u32), String>) {
    let Range { start, end } = read;
    let done = with_state(|s| {
        // Every slice is answered, even one of a file already finished (read ahead before the
        // reader heard) or of a load that ended: the reader counts what is in flight by these.
        let data = data.map(|(buffer, round)| took(round, &buffer));
        let Some(loading) = s.loading.as_mut() else { return false };
        let Some(&size) = loading.open.get(&file) else { return false };
        let mut close = last;
        match data {
            Ok(bytes) => {
                let parsing = now();
                let flow = s.ingest.push(file, &bytes);
                loading.parse_millis += now() - parsing;
                loading.progress.bytes_done += end - start;
                loading.streamed_bytes += if streamed { end - start } else { 0 };
                if last {
                    // The file may have ended before its size said (a read that came short).
                    loading.progress.bytes_done += size.saturating_sub(end);
                }
                if flow == Flow::Done && !last {
                    // The parser needs no more of this file (a recording kept by handle, or not a
                    // log): the reader reads no more of it, and hashes it once the load is parsed.
                    loading.progress.bytes_done += size.saturating_sub(end);
                    pipe(Pipe::HashOnly(file), &Array::new(), &Array::new());
                    close = true;
                }
            }
            Err(error) => {
                let path = s.ingest.model.file(file).path.clone();
                post(0, Response::Error(format!("{path}: the browser could not read this file: {error}")));
                loading.progress.bytes_done += size.saturating_sub(start);
                close = true;
            }
        }
        after_read(s, file, close)
    });
    finish_or_go_on(done);
}

/// A journal of a file the reader parses itself: applied to the model. Every journal of the
/// reader's parser is applied, in order, even for a file closed meanwhile (it carries strings
/// later journals refer to); only one written for a model since cleared is dropped.
pub fn journaled(file: FileId, read: Range<u64>, last: bool, streamed: bool, seed: u64, round: u32, journal: JsValue) {
    let Range { start, end } = read;
    let done = with_state(|s| {
        let bytes = took(round, &journal);
        if seed != s.ingest.dedup_seed() {
            return false;
        }
        let applying = now();
        s.ingest.apply(file, &bytes);
        let Some(loading) = s.loading.as_mut() else { return false };
        loading.parse_millis += now() - applying;
        let Some(&size) = loading.open.get(&file) else { return false };
        loading.progress.bytes_done += end - start;
        loading.reader_bytes += end - start;
        loading.streamed_bytes += if streamed { end - start } else { 0 };
        if last {
            // The parser may have needed no more of the file than this.
            loading.progress.bytes_done += size.saturating_sub(end);
        }
        after_read(s, file, last)
    });
    finish_or_go_on(done);
}

/// The bytes of a slice or journal, copied into wasm memory; its buffer goes back to the
/// reader with the answer (`Took`), to be read into again.
fn took(round: u32, value: &JsValue) -> Vec<u8> {
    let view = bytes_view(value);
    let bytes = view.to_vec();
    let buffer = view.buffer();
    pipe(Pipe::Took(round), &Array::of1(&buffer), &Array::of1(&buffer));
    bytes
}

/// After a slice or journal: finishes the load when every file is read, else checks memory.
fn finish_or_go_on(done: bool) {
    if done {
        wasm_bindgen_futures::spawn_local(finish());
    } else {
        check_memory();
    }
}

/// After a slice or journal of `file`: closes it if `close`, reports progress now and then.
/// Whether every file is now read (the load is to be finished).
fn after_read(s: &mut State, file: FileId, close: bool) -> bool {
    let Some(loading) = s.loading.as_mut() else { return false };
    if close {
        loading.open.remove(&file);
        s.ingest.close(file);
        loading.progress.files_done += 1;
    }
    loading.progress.current = s.ingest.model.file(file).path.clone();
    if now() - loading.last_report > PROGRESS_EVERY_MS {
        loading.last_report = now();
        report(s);
    }
    let loading = s.loading.as_mut().expect("loading");
    let done = loading.open.is_empty() && !loading.finishing;
    if done {
        loading.finishing = true;
    }
    done
}

/// Memory the model may grow to while loading. A web page's wasm memory ends at 4 GiB and the
/// index built after loading needs room of its own: past this, loading stops with a message and
/// what was read stays usable, instead of the tab crashing.
const MEMORY_CEILING: usize = 2 << 30;

/// Stops loading if memory is nearly full, saying so.
fn check_memory() {
    let used = memory_used();
    if used < MEMORY_CEILING {
        return;
    }
    let (done, total) =
        with_state(|s| s.loading.as_ref().map_or((0, 0), |l| (l.progress.bytes_done, l.progress.bytes_total)));
    let message = format!(
        "Loading stopped after {} MB of {} MB: this tab's memory is nearly full ({} MB of the 4096 MB a web page \
         may use). What was read is shown; to see the rest, load fewer files at a time (e.g. a shorter time range).",
        done >> 20,
        total >> 20,
        used >> 20
    );
    post(0, Response::Error(message));
    cancel();
}

/// Bytes of wasm memory in use (0 off wasm, where the worker only builds for lints and tests).
fn memory_used() -> usize {
    #[cfg(target_arch = "wasm32")]
    return core::arch::wasm32::memory_size(0) * 65536;
    #[cfg(not(target_arch = "wasm32"))]
    return 0;
}

/// Stops loading: files not yet read are closed with what they gave.
pub fn cancel() {
    let done = with_state(|s| {
        let Some(loading) = s.loading.as_mut() else { return false };
        loading.cancelled = true;
        let open: Vec<FileId> = loading.open.drain().map(|(f, _)| f).collect();
        for file in open {
            s.ingest.close(file);
        }
        stop_reading(false);
        let loading = s.loading.as_mut().expect("loading");
        !std::mem::replace(&mut loading.finishing, true)
    });
    if done {
        wasm_bindgen_futures::spawn_local(finish());
    }
}

/// Tells the reader to stop.
pub fn stop_reading(forget: bool) {
    pipe(Pipe::Stop { forget }, &Array::new(), &Array::new());
}

/// Every file is read: summarize the recordings, index the model, tell the page.
async fn finish() {
    // A cancelled load leaves renamed output unpaired (and reported) until a load ends: paired
    // but not summarized, it would show in neither Problems nor Recordings.
    let cancelled = with_state(|s| s.loading.as_ref().is_some_and(|l| l.cancelled));
    if !cancelled {
        with_state(|s| {
            if let Some(l) = s.loading.as_mut() {
                l.progress.current = "recordings".into();
            }
            s.ingest.model.pair_renamed_output();
            report(s);
        });
        recordings::summarize_all().await;
    }
    let ended = with_state(|s| {
        // Files dropped meanwhile keep the load going; their last slice finishes it.
        if s.loading.as_ref().is_some_and(|l| !l.open.is_empty()) {
            if let Some(l) = s.loading.as_mut() {
                l.finishing = false;
            }
            return None;
        }
        s.ingest.model.ensure_sorted();
        report(s);
        let l = s.loading.take()?;
        Some(Response::Loaded {
            cancelled: l.cancelled,
            millis: now() - l.started,
            bytes: l.progress.bytes_done,
            events: s.ingest.model.events.len() as u64,
            parse_millis: l.parse_millis,
            read_millis: (now() - l.started - l.parse_millis).max(0.0),
            reader_bytes: l.reader_bytes,
            streamed_bytes: l.streamed_bytes,
        })
    });
    if let Some(loaded) = ended {
        post(0, loaded);
        super::later::warm_up();
        with_state(|s| {
            pipe(Pipe::Parsed(s.gate.parsed()), &Array::new(), &Array::new());
        });
        // The detections follow when the page asks (`Request::Detect`).
    }
}

fn report(s: &mut State) {
    let (events, problems) = (s.ingest.model.events.len() as u64, s.ingest.model.problems.len() as u64);
    if let Some(l) = s.loading.as_mut() {
        l.progress.events = events;
        l.progress.problems = problems;
        l.progress.millis = now() - l.started;
        post(0, Response::Progress(l.progress.clone()));
    }
}
