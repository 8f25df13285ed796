//! The reader role: reads each file once, in slices, hashes it (SHA-256, as stored), and streams
//! the slices to the model worker. It runs ahead only as far as the model worker has given
//! credit, so memory stays bounded however fast reading is.

use super::files::{finish_read_buffer, start_read, SLICE};
use super::{pipe, unpack};
use js_sys::{Array, Uint8Array};
use review_core::problem::FileId;
use review_protocol::{decode, Pipe};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, MessageEvent, MessagePort};

struct Current {
    file: FileId,
    blob: Blob,
    offset: u64,
    size: u64,
    hasher: Sha256,
}

struct Reader {
    port: MessagePort,
    queue: VecDeque<(FileId, Blob)>,
    current: Option<Current>,
    credits: u32,
    /// Files whose bytes the parser no longer needs: they are only hashed.
    hash_only: HashSet<FileId>,
    running: bool,
}

thread_local! {
    static READER: RefCell<Option<Reader>> = const { RefCell::new(None) };
}

fn with_reader<R>(f: impl FnOnce(&mut Reader) -> R) -> Option<R> {
    READER.with(|r| r.borrow_mut().as_mut().map(f))
}

pub fn start(port: MessagePort) {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        let (bytes, extra) = unpack(ev.data());
        let Some(env) = decode::<Pipe>(&bytes) else { return };
        with_reader(|r| match env.body {
            Pipe::Read { files } => {
                let blobs = extra.iter().map(|b| b.unchecked_into::<Blob>());
                r.queue.extend(files.into_iter().zip(blobs));
            }
            Pipe::Credit(n) => r.credits += n,
            Pipe::HashOnly(file) => {
                r.hash_only.insert(file);
            }
            Pipe::Stop => {
                r.queue.clear();
                r.current = None;
                r.credits = 0;
            }
            _ => {}
        });
        kick();
    });
    port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    READER.with(|r| {
        *r.borrow_mut() = Some(Reader {
            port,
            queue: VecDeque::new(),
            current: None,
            credits: 0,
            hash_only: HashSet::new(),
            running: false,
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
        r.current = Some(Current { file, blob, offset: 0, size, hasher: Sha256::new() });
    }
    let c = r.current.as_ref()?;
    // Bytes still wanted cost a credit; hashing alone does not.
    if !r.hash_only.contains(&c.file) && r.credits == 0 {
        return None;
    }
    Some((c.file, c.blob.clone(), c.offset, (c.offset + SLICE).min(c.size)))
}

async fn pump() {
    loop {
        let Some(Some((file, blob, start, end))) = with_reader(next_slice) else {
            with_reader(|r| r.running = false);
            return;
        };
        let read = finish_read_buffer(start_read(&blob, start, end)).await;
        with_reader(|r| {
            // A Stop (or a new plan) may have come while reading: only the current file counts.
            let Some(c) = r.current.as_mut().filter(|c| c.file == file && c.offset == start) else { return };
            match read {
                Ok(buffer) => {
                    // Forward first, hash after: the parser must not wait for the hash.
                    let bytes = Uint8Array::new(&buffer).to_vec();
                    c.offset = end;
                    let last = end >= c.size;
                    if !r.hash_only.contains(&file) {
                        r.credits = r.credits.saturating_sub(1);
                        let transfer = Array::of1(&buffer);
                        pipe(&r.port, Pipe::Slice { file, start, end, last }, &Array::of1(&buffer), &transfer);
                    }
                    c.hasher.update(&bytes);
                    if last {
                        let sha256 = hex(&std::mem::take(&mut c.hasher).finalize());
                        r.current = None;
                        r.hash_only.remove(&file);
                        pipe(&r.port, Pipe::Hashed { file, sha256 }, &Array::new(), &Array::new());
                    }
                }
                Err(error) => {
                    r.current = None;
                    pipe(&r.port, Pipe::Failed { file, error }, &Array::new(), &Array::new());
                }
            }
        });
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
