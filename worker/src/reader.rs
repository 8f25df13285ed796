//! The reader role: reads each file once, in slices, hashes it (SHA-256, as stored), and streams
//! the slices to the model worker. It runs ahead only as far as the model worker has given
//! credit, so memory stays bounded however fast reading is.
//!
//! Hashing waits until the load is parsed (hashing while parsing took a core, or a hyperthread,
//! from the parser: a quarter slower with the browser's digest, and with sha2 in wasm the
//! parser waited on the reader). Then each file read is hashed, one at a time: by the
//! browser's own SHA-256 (`crypto.subtle`, native code) where the page is a secure context
//! (https, localhost, file) and the file fits in memory at once; else by sha2 in wasm over a
//! second read, slice by slice.

use super::files::{finish_read_buffer, start_read, SLICE};
use super::pipe;
use js_sys::{Array, ArrayBuffer, Reflect, Uint8Array};
use review_core::problem::FileId;
use review_protocol::{decode, Pipe, READ_AHEAD};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, SubtleCrypto};

/// Largest file the browser digests whole (it holds the file in memory while it does).
const WHOLE_FILE_DIGEST_MAX: u64 = 256 << 20;

struct Current {
    file: FileId,
    blob: Blob,
    offset: u64,
    size: u64,
}

struct Reader {
    queue: VecDeque<(FileId, Blob)>,
    current: Option<Current>,
    credits: u32,
    /// Files whose bytes the parser no longer needs: they are not read on, only hashed.
    hash_only: HashSet<FileId>,
    running: bool,
    /// Files read, waiting for the browser to digest them (one at a time, to bound memory).
    to_digest: VecDeque<(FileId, Blob)>,
    digesting: bool,
    /// A load is being parsed: digests wait (see the module's comment).
    parsing: bool,
    /// The model worker waits to hear that hashing is over (its exports list the hashes): the
    /// number of the `Parsed` to answer.
    owes_digested: Option<u32>,
    /// Counts Clears: a digest begun before one belongs to a file id since reused.
    epoch: u32,
}

thread_local! {
    static READER: RefCell<Option<Reader>> = const { RefCell::new(None) };
}

fn with_reader<R>(f: impl FnOnce(&mut Reader) -> R) -> Option<R> {
    READER.with(|r| r.borrow_mut().as_mut().map(f))
}

/// Whether this worker is the reader.
pub fn started() -> bool {
    READER.with(|r| r.borrow().is_some())
}

/// A message from the model worker.
pub fn piped(bytes: &[u8], extra: Array) {
    let Some(env) = decode::<Pipe>(bytes) else { return };
    with_reader(|r| match env.body {
        Pipe::Read { files } => {
            let blobs = extra.iter().map(|b| b.unchecked_into::<Blob>());
            r.queue.extend(files.into_iter().zip(blobs));
            r.parsing = true;
        }
        Pipe::Parsed(round) => {
            r.parsing = false;
            r.owes_digested = Some(round);
            digest_next(r);
            tell_if_hashed(r);
        }
        // Capped: each load starts by giving the full credit, which a load that ended
        // normally has already given back.
        Pipe::Credit(n) => r.credits = (r.credits + n).min(READ_AHEAD),
        Pipe::HashOnly(file) => {
            // Only for a file still being read: one read ahead to its end needs nothing.
            let reading = r.current.as_ref().is_some_and(|c| c.file == file) || r.queue.iter().any(|q| q.0 == file);
            if reading {
                r.hash_only.insert(file);
            }
        }
        Pipe::Stop { forget } => {
            r.queue.clear();
            r.current = None;
            r.credits = 0;
            r.hash_only.clear();
            r.parsing = false;
            // A cancelled load keeps the hashes of the files it read to their end.
            if forget {
                r.to_digest.clear();
                r.epoch = r.epoch.wrapping_add(1);
            }
        }
        _ => {}
    });
    kick();
}

/// Makes this worker the reader.
pub fn start() {
    READER.with(|r| {
        *r.borrow_mut() = Some(Reader {
            queue: VecDeque::new(),
            current: None,
            credits: 0,
            hash_only: HashSet::new(),
            running: false,
            to_digest: VecDeque::new(),
            digesting: false,
            parsing: false,
            owes_digested: None,
            epoch: 0,
        })
    });
}

/// Starts reading if there is work and it is not already going.
fn kick() {
    let go = with_reader(|r| !std::mem::replace(&mut r.running, true)).unwrap_or(false);
    if go {
        wasm_bindgen_futures::spawn_local(pump());
    }
}

/// The next slice to read: the current file's, or the next file's first.
fn next_slice(r: &mut Reader) -> Option<(FileId, Blob, u64, u64)> {
    if r.current.is_none() {
        let (file, blob) = r.queue.pop_front()?;
        let size = blob.size() as u64;
        r.current = Some(Current { file, blob, offset: 0, size });
    }
    let c = r.current.as_ref()?;
    if r.hash_only.remove(&c.file) {
        // The parser is done with it: no more slices; it is hashed whole later.
        if let Some(c) = r.current.take() {
            r.to_digest.push_back((c.file, c.blob));
        }
        return next_slice(r);
    }
    if r.credits == 0 {
        return None;
    }
    Some((c.file, c.blob.clone(), c.offset, (c.offset + SLICE).min(c.size)))
}

async fn pump() {
    loop {
        let Some(Some((file, blob, start, end))) = with_reader(next_slice) else {
            with_reader(|r| {
                r.running = false;
                digest_next(r);
                tell_if_hashed(r);
            });
            return;
        };
        let read = finish_read_buffer(start_read(&blob, start, end)).await;
        with_reader(|r| {
            // A Stop (or a new plan) may have come while reading: only the current file counts.
            let Some(c) = r.current.as_mut().filter(|c| c.file == file && c.offset == start) else { return };
            match read {
                Ok(buffer) => {
                    c.offset = end;
                    let last = end >= c.size;
                    if !r.hash_only.contains(&file) {
                        r.credits = r.credits.saturating_sub(1);
                        let transfer = Array::of1(&buffer);
                        pipe(Pipe::Slice { file, start, end, last }, &Array::of1(&buffer), &transfer);
                    }
                    if last {
                        r.hash_only.remove(&file);
                        if let Some(c) = r.current.take() {
                            r.to_digest.push_back((file, c.blob));
                        }
                    }
                }
                Err(error) => {
                    r.current = None;
                    pipe(Pipe::Failed { file, error }, &Array::new(), &Array::new());
                }
            }
        });
    }
}

/// The browser's SHA-256, where the page may use it (a secure context).
fn subtle() -> Option<SubtleCrypto> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).ok()?;
    (!subtle.is_undefined() && !subtle.is_null()).then(|| subtle.unchecked_into())
}

/// Starts hashing the next file read, unless one is under way or a load is being parsed.
fn digest_next(r: &mut Reader) {
    if r.digesting || r.parsing {
        return;
    }
    let Some((file, blob)) = r.to_digest.pop_front() else { return };
    r.digesting = true;
    let epoch = r.epoch;
    wasm_bindgen_futures::spawn_local(async move {
        let result = sha256(&blob, epoch).await;
        with_reader(|r| {
            r.digesting = false;
            if r.epoch == epoch {
                match result {
                    Ok(sha256) => pipe(Pipe::Hashed { file, sha256 }, &Array::new(), &Array::new()),
                    // A load began: hashed again from the start once it is parsed.
                    Err(Hashing::Interrupted) => r.to_digest.push_front((file, blob)),
                    Err(Hashing::Failed(error)) => pipe(Pipe::HashFailed { file, error }, &Array::new(), &Array::new()),
                }
            }
            digest_next(r);
            tell_if_hashed(r);
        });
        kick();
    });
}

/// Says `Digested` once nothing is left to read or digest after a load was parsed.
fn tell_if_hashed(r: &mut Reader) {
    let idle = !r.parsing && !r.digesting && r.to_digest.is_empty() && r.queue.is_empty() && r.current.is_none();
    if let Some(round) = r.owes_digested.filter(|_| idle) {
        r.owes_digested = None;
        pipe(Pipe::Digested(round), &Array::new(), &Array::new());
    }
}

/// Why a file has no hash (yet).
enum Hashing {
    /// A load began (or everything was cleared) while it was hashed slice by slice.
    Interrupted,
    Failed(String),
}

/// The file's SHA-256: the browser's digest where it can, else sha2 over the file's slices.
async fn sha256(blob: &Blob, epoch: u32) -> Result<String, Hashing> {
    if blob.size() as u64 <= WHOLE_FILE_DIGEST_MAX {
        // E.g. no memory for the whole file at once: hashed slice by slice instead.
        if let Ok(sha256) = digest(blob).await {
            return Ok(sha256);
        }
    }
    let mut hasher = Sha256::new();
    let size = blob.size() as u64;
    let mut offset = 0;
    while offset < size {
        let end = (offset + SLICE).min(size);
        let buffer = finish_read_buffer(start_read(blob, offset, end)).await.map_err(Hashing::Failed)?;
        // Parsing comes first; a Clear forgets the file.
        if with_reader(|r| r.parsing || r.epoch != epoch).unwrap_or(true) {
            return Err(Hashing::Interrupted);
        }
        hasher.update(Uint8Array::new(&buffer).to_vec());
        offset = end;
    }
    Ok(hex(&hasher.finalize()))
}

/// The browser's digest of the whole file.
async fn digest(blob: &Blob) -> Result<String, String> {
    let describe = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let subtle = subtle().ok_or("no crypto.subtle")?;
    let bytes = JsFuture::from(blob.array_buffer()).await.map_err(describe)?;
    let hash = subtle.digest_with_str_and_buffer_source("SHA-256", &bytes.unchecked_into()).map_err(describe)?;
    let hash: ArrayBuffer = JsFuture::from(hash).await.map_err(describe)?.unchecked_into();
    Ok(hex(&Uint8Array::new(&hash).to_vec()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
