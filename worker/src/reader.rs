//! The reader role: reads each file once, in slices (from a byte stream, into buffers the model
//! hands back to be read into again: see [`ByteStream`]), hashes it (SHA-256, as stored), and either
//! streams the slices to the model worker, or parses the file itself and streams its journal
//! (`review_core::ingest::Parser`): it parses while the model has enough queued to stay busy, so
//! that both cores parse. The model answers every slice and journal (`Took`), and the reader
//! keeps no more than [`READ_AHEAD`] bytes unanswered, so memory stays bounded however fast
//! reading is.
//!
//! Hashing waits until the load is parsed (hashing while parsing took a core, or a hyperthread,
//! from the parser: a quarter slower with the browser's digest, and with sha2 in wasm the
//! parser waited on the reader). Then each file read is hashed, one at a time: by the
//! browser's own SHA-256 (`crypto.subtle`, native code) where the page is a secure context
//! (https, localhost, file) and the file fits in memory at once; else by sha2 in wasm over a
//! second read, slice by slice.

use super::files::{finish_read_buffer, start_read, ByteStream, SLICE};
use super::pipe;
use js_sys::{Array, ArrayBuffer, Reflect, Uint8Array};
use review_core::ingest::{Flow, Parser};
use review_core::problem::FileId;
use review_protocol::{decode, Pipe};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, SubtleCrypto};

/// Bytes sent that the model has not yet taken: enough that it never waits for a read, and
/// few enough to bound memory.
const READ_AHEAD: u64 = 40 << 20;

/// The model's backlog (in bytes of text to parse) below which the reader sends it slices,
/// and up to which it does: about 60 and 120 ms of work, more than a slice the reader parses.
const BACKLOG_LOW: u64 = 8 << 20;
const BACKLOG_HIGH: u64 = 16 << 20;

/// How much more work a byte of gzip is than a byte of text (it holds about eight).
const GZIP_WORK: u64 = 8;

/// Applying a journal, against parsing its bytes: about 2 to 5 (measured natively).
const APPLY_WORK: (u64, u64) = (2, 5);

/// The work of parsing `bytes` of a file, in bytes of text.
fn work(gzip: bool, bytes: u64) -> u64 {
    if gzip {
        bytes.saturating_mul(GZIP_WORK)
    } else {
        bytes
    }
}

/// Buffers of a slice kept to read into again: as many as can be in flight, and two.
const POOL: usize = (READ_AHEAD / SLICE) as usize + 2;

/// Largest file the browser digests whole (it holds the file in memory while it does).
const WHOLE_FILE_DIGEST_MAX: u64 = 256 << 20;

struct Current {
    file: FileId,
    blob: Blob,
    offset: u64,
    size: u64,
    gzip: bool,
    /// The file as a stream from `offset` on (not while a read has it).
    stream: Option<ByteStream>,
}

struct Reader {
    queue: VecDeque<(FileId, String, Blob)>,
    /// The file being read for the model to parse, and the one the reader parses itself.
    current: [Option<Current>; 2],
    /// The model is being sent slices (its backlog fell low, and is not yet high again).
    feeding: bool,
    /// Each slice and journal sent that the model has not yet taken, in order: its bytes, and
    /// its work to the model (in bytes of text to parse).
    in_flight: VecDeque<(u64, u64)>,
    /// Their bytes (memory, bounded by [`READ_AHEAD`]) and their work (the model's backlog).
    bytes_in_flight: u64,
    backlog: u64,
    /// The parser for the model of this seed.
    parser: Option<(u64, Parser)>,
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
    /// Counts Stops: what was sent before one is no longer counted in flight.
    round: u32,
    /// Buffers back from the model, to read into or write journals into again.
    pool: Vec<ArrayBuffer>,
    /// Files are read as byte streams (until the browser says it cannot).
    streams: bool,
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
        Pipe::Read { files, paths, seed, options } => {
            let blobs = extra.iter().map(|b| b.unchecked_into::<Blob>());
            r.queue.extend(files.into_iter().zip(paths).zip(blobs).map(|((f, p), b)| (f, p, b)));
            r.parsing = true;
            if r.parser.as_ref().is_none_or(|(s, p)| *s != seed || *p.options() != options) {
                r.parser = Some((seed, Parser::new(options, seed)));
            }
        }
        Pipe::Took(round) => {
            if let Ok(buffer) = extra.get(0).dyn_into::<ArrayBuffer>() {
                keep(r, buffer);
            }
            if round == r.round {
                let (bytes, work) = r.in_flight.pop_front().unwrap_or_default();
                r.bytes_in_flight = r.bytes_in_flight.saturating_sub(bytes);
                r.backlog = r.backlog.saturating_sub(work);
            }
        }
        Pipe::Parsed(round) => {
            // The buffers go with the load.
            r.pool.clear();
            r.parsing = false;
            r.owes_digested = Some(round);
            digest_next(r);
            tell_if_hashed(r);
        }
        Pipe::HashOnly(file) => {
            // Only for a file still being read: one read ahead to its end needs nothing.
            let reading = r.current[0].as_ref().is_some_and(|c| c.file == file) || r.queue.iter().any(|q| q.0 == file);
            if reading {
                r.hash_only.insert(file);
            }
        }
        Pipe::Stop { forget } => {
            r.pool.clear();
            r.round = r.round.wrapping_add(1);
            r.queue.clear();
            r.current = [None, None];
            r.bytes_in_flight = 0;
            r.in_flight.clear();
            r.backlog = 0;
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
            current: [None, None],
            feeding: true,
            bytes_in_flight: 0,
            in_flight: VecDeque::new(),
            backlog: 0,
            parser: None,
            hash_only: HashSet::new(),
            running: false,
            to_digest: VecDeque::new(),
            digesting: false,
            parsing: false,
            owes_digested: None,
            epoch: 0,
            round: 0,
            pool: Vec::new(),
            streams: true,
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

/// The next slice to read, and whether the reader parses it: of the file the model is sent
/// while it has too little to do, else of the file the reader parses itself.
fn next_slice(r: &mut Reader) -> Option<(FileId, Blob, u64, u64, bool)> {
    if r.bytes_in_flight >= READ_AHEAD {
        return None;
    }
    // Fed until it has plenty, so that it never waits while the reader parses a slice.
    if r.backlog < BACKLOG_LOW || r.parser.is_none() {
        r.feeding = true;
    } else if r.backlog >= BACKLOG_HIGH {
        r.feeding = false;
    }
    let order = if r.feeding { [false, true] } else { [true, false] };
    order.into_iter().find_map(|parse| slice_of(r, parse))
}

/// The next slice of the file read for the model (`parse` false) or for the reader's parser,
/// starting the next file in the queue if there is none.
fn slice_of(r: &mut Reader, parse: bool) -> Option<(FileId, Blob, u64, u64, bool)> {
    let slot = usize::from(parse);
    if r.current[slot].is_none() {
        if parse && r.parser.is_none() {
            return None;
        }
        let (file, path, blob) = r.queue.pop_front()?;
        let size = blob.size() as u64;
        if let Some((_, parser)) = r.parser.as_mut().filter(|_| parse) {
            parser.open(&path, size);
        }
        let gzip = path.ends_with(".gz");
        r.current[slot] = Some(Current { file, blob, offset: 0, size, gzip, stream: None });
    }
    let c = r.current[slot].as_ref()?;
    if !parse && r.hash_only.remove(&c.file) {
        // The model is done with it: no more slices; it is hashed whole later.
        if let Some(c) = r.current[slot].take() {
            r.to_digest.push_back((c.file, c.blob));
        }
        return slice_of(r, parse);
    }
    // Parsed here, gzip is read in smaller slices (each holds as much text as a plain one), so
    // that the model is not left waiting while one is parsed.
    let slice = if parse && c.gzip { SLICE / GZIP_WORK } else { SLICE };
    Some((c.file, c.blob.clone(), c.offset, (c.offset + slice).min(c.size), parse))
}

async fn pump() {
    loop {
        let Some(Some((file, blob, start, end, parse))) = with_reader(next_slice) else {
            with_reader(|r| {
                r.running = false;
                digest_next(r);
                tell_if_hashed(r);
            });
            return;
        };
        let slot = usize::from(parse);
        let by_stream = with_reader(|r| stream_and_buffer(r, slot, &blob, start, end)).flatten();
        let (read, stream) = read(by_stream, &blob, start, end).await;
        with_reader(|r| {
            // A Stop (or a new plan) may have come while reading: only the current file counts.
            let Some(c) = r.current[slot].as_mut().filter(|c| c.file == file && c.offset == start) else {
                if let Ok((buffer, _)) = read {
                    keep(r, buffer);
                }
                return;
            };
            let streamed = stream.is_some();
            c.stream = stream;
            // A read that came short met the end of the file.
            let (end, short) = match &read {
                Ok((_, n)) => (start + u64::from(*n), u64::from(*n) < end - start),
                Err(_) => (end, false),
            };
            c.offset = end;
            let (gzip, size) = (c.gzip, c.size);
            let last = match read {
                Ok((buffer, n)) if parse => {
                    let Some((seed, parser)) = r.parser.as_mut() else { return };
                    let flow = parser.push(&Uint8Array::new_with_byte_offset_and_length(&buffer, 0, n).to_vec());
                    let last = end >= size || short || flow == Flow::Done;
                    if last {
                        parser.close();
                    }
                    let journal = parser.take();
                    let journal_of = Pipe::Journal { file, start, end, last, seed: *seed, round: r.round, streamed };
                    keep(r, buffer);
                    send(r, journal_of, &journal);
                    sent(r, journal.len() as u64, work(gzip, end - start) * APPLY_WORK.0 / APPLY_WORK.1);
                    last
                }
                Ok((buffer, n)) => {
                    let last = end >= size || short;
                    if r.hash_only.contains(&file) {
                        keep(r, buffer);
                    } else {
                        let view = Uint8Array::new_with_byte_offset_and_length(&buffer, 0, n);
                        let slice = Pipe::Slice { file, start, end, last, round: r.round, streamed };
                        pipe(slice, &Array::of1(&view), &Array::of1(&buffer));
                        sent(r, end - start, work(gzip, end - start));
                    }
                    if last {
                        r.hash_only.remove(&file);
                    }
                    last
                }
                Err(error) => {
                    r.current[slot] = None;
                    // What the parser read of the file is ended and sent first, as the model
                    // ends a file it parses when a read fails.
                    if let Some((seed, parser)) = r.parser.as_mut().filter(|_| parse) {
                        parser.close();
                        let journal = parser.take();
                        let journal_of = Pipe::Journal {
                            file,
                            start,
                            end: start,
                            last: false,
                            seed: *seed,
                            round: r.round,
                            streamed,
                        };
                        send(r, journal_of, &journal);
                        sent(r, journal.len() as u64, 0);
                    }
                    pipe(Pipe::Failed { file, error }, &Array::new(), &Array::new());
                    false
                }
            };
            if last {
                if let Some(c) = r.current[slot].take() {
                    r.to_digest.push_back((file, c.blob));
                }
            }
        });
    }
}

/// The stream to read slot `slot`'s file with (opened at `start` if need be), and a buffer to
/// read into; `None` where files are read by slices.
fn stream_and_buffer(
    r: &mut Reader,
    slot: usize,
    blob: &Blob,
    start: u64,
    end: u64,
) -> Option<(ByteStream, ArrayBuffer)> {
    let c = r.current[slot].as_mut().filter(|_| r.streams)?;
    let Some(stream) = c.stream.take().or_else(|| ByteStream::open(blob, start)) else {
        r.streams = false;
        return None;
    };
    Some((stream, buffer_for(r, (end - start) as u32)))
}

/// Reads `start..end` of `blob`, by its stream if it has one (given back), else by a slice: the
/// buffer read into and how many bytes it holds.
async fn read(
    by_stream: Option<(ByteStream, ArrayBuffer)>,
    blob: &Blob,
    start: u64,
    end: u64,
) -> (Result<(ArrayBuffer, u32), String>, Option<ByteStream>) {
    match by_stream {
        Some((stream, buffer)) => {
            let read = stream.read(buffer, (end - start) as u32).await;
            (read, Some(stream))
        }
        None => {
            let read = finish_read_buffer(start_read(blob, start, end)).await;
            (read.map(|buffer| (buffer.clone(), buffer.byte_length())), None)
        }
    }
}

/// A buffer for `len` bytes: one of the pool for nearly a slice, else one of its own (a
/// slice's buffer carrying a small file or journal would hold its memory while in flight, where
/// only the bytes are counted).
fn buffer_for(r: &mut Reader, len: u32) -> ArrayBuffer {
    match u64::from(len) {
        n if (SLICE / 2..=SLICE).contains(&n) => r.pool.pop().unwrap_or_else(|| ArrayBuffer::new(SLICE as u32)),
        _ => ArrayBuffer::new(len),
    }
}

/// Keeps a slice's `buffer` to be read or written into again, if the pool has room.
fn keep(r: &mut Reader, buffer: ArrayBuffer) {
    if u64::from(buffer.byte_length()) == SLICE && r.pool.len() < POOL {
        r.pool.push(buffer);
    }
}

/// Sends a journal, its bytes transferred.
fn send(r: &mut Reader, message: Pipe, journal: &[u8]) {
    let len = journal.len() as u32;
    let buffer = buffer_for(r, len);
    let view = Uint8Array::new_with_byte_offset_and_length(&buffer, 0, len);
    view.copy_from(journal);
    pipe(message, &Array::of1(&view), &Array::of1(&buffer));
}

/// A slice or journal of `bytes`, `work` to the model, was sent.
fn sent(r: &mut Reader, bytes: u64, work: u64) {
    r.in_flight.push_back((bytes, work));
    r.bytes_in_flight += bytes;
    r.backlog += work;
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
    let idle = !r.parsing
        && !r.digesting
        && r.to_digest.is_empty()
        && r.queue.is_empty()
        && r.current.iter().all(Option::is_none);
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
