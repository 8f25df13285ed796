//! Reading file handles from the worker: slices asynchronously while loading (so the worker
//! stays responsive), single lines synchronously for a detail view.

use js_sys::{ArrayBuffer, Promise, Uint8Array};
use review_core::problem::FileId;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, FileReaderSync, ReadableStreamByobReader};

/// Bytes read per step while loading (each read costs a round trip through the browser: 4 MiB
/// loaded 1 GB 5–7 % faster than 2 MiB).
pub const SLICE: u64 = 4 << 20;

pub async fn read_slice(blob: &Blob, start: u64, end: u64) -> Result<Vec<u8>, String> {
    finish_read(start_read(blob, start, end)).await
}

/// Starts reading a slice: the browser reads it off-thread while the worker parses others.
pub fn start_read(blob: &Blob, start: u64, end: u64) -> Result<Promise, String> {
    let part = blob.slice_with_f64_and_f64(start as f64, end as f64).map_err(describe)?;
    Ok(part.array_buffer())
}

/// The bytes of a read started with [`start_read`], in wasm memory.
pub async fn finish_read(read: Result<Promise, String>) -> Result<Vec<u8>, String> {
    Ok(Uint8Array::new(&finish_read_buffer(read).await?.into()).to_vec())
}

/// The bytes of a read started with [`start_read`], as the browser's buffer (to be hashed and
/// transferred to the other worker without copying).
pub async fn finish_read_buffer(read: Result<Promise, String>) -> Result<ArrayBuffer, String> {
    Ok(JsFuture::from(read?).await.map_err(describe)?.unchecked_into())
}

/// A file read front to back into buffers the caller gives and gets back, so that the browser
/// fills the same memory again and again. Each slice read into a new buffer (`Blob.arrayBuffer`)
/// landed on fresh pages: reading 1 GB so took 259 000 page faults and 1.0 s of the reading
/// worker's CPU, against 14 000 and 0.6 s (Chromium; the browser process also did less).
pub struct ByteStream {
    reader: ReadableStreamByobReader,
}

impl ByteStream {
    /// The file from byte `from` on; `None` where the browser's file streams are not byte
    /// streams (slices are read then).
    pub fn open(blob: &Blob, from: u64) -> Option<Self> {
        // The loop of reads is in worker_reads.js (a build without it reads slices), and an
        // older browser may have no `Blob.stream`.
        let has = |on: &JsValue, name: &str| js_sys::Reflect::has(on, &name.into()).unwrap_or(false);
        if !has(&js_sys::global(), "fillFrom") || !has(blob, "stream") {
            return None;
        }
        let part = blob.slice_with_f64(from as f64).ok()?;
        let reader = ReadableStreamByobReader::new(&part.stream()).ok()?;
        Some(ByteStream { reader })
    }

    /// Reads the next `len` bytes (fewer at the end of the file) into the start of `buffer`.
    /// Returns the buffer (each read takes it and gives it back) and how many bytes it holds.
    pub async fn read(&self, buffer: ArrayBuffer, len: u32) -> Result<(ArrayBuffer, u32), String> {
        let result = JsFuture::from(fill_from(&self.reader, buffer, len)).await.map_err(describe)?;
        let parts: js_sys::Array = result.unchecked_into();
        let filled = parts.get(1).as_f64().unwrap_or(0.0) as u32;
        Ok((parts.get(0).unchecked_into(), filled))
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// In `worker_reads.js`: the loop of reads that fills a buffer.
    #[wasm_bindgen(js_name = fillFrom)]
    fn fill_from(reader: &ReadableStreamByobReader, buffer: ArrayBuffer, len: u32) -> Promise;
}

impl Drop for ByteStream {
    /// A file left before its end (a load stopped, or its parser needs no more) is let go.
    fn drop(&mut self) {
        // Cancelling a stream that failed is refused: nothing to do then.
        IGNORE.with(|ignore| {
            let _ = self.reader.cancel().catch(ignore);
        });
    }
}

thread_local! {
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_| {});
}

/// The bytes a message carries: a view (what is read into a buffer of the reader's pool), or a
/// whole buffer.
pub fn bytes_view(value: &JsValue) -> Uint8Array {
    match value.dyn_ref::<Uint8Array>() {
        Some(view) => view.clone(),
        None => Uint8Array::new(value),
    }
}

/// One raw line, read back by offset (dedicated workers may read synchronously).
pub fn read_back(blob: &Blob, offset: u64, len: u32) -> Result<Vec<u8>, String> {
    let part = blob.slice_with_f64_and_f64(offset as f64, (offset + u64::from(len)) as f64).map_err(describe)?;
    let reader = FileReaderSync::new().map_err(describe)?;
    let buffer = reader.read_as_array_buffer(&part).map_err(describe)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Bytes of a file kept between reads of nearby lines.
pub struct Window {
    file: FileId,
    start: u64,
    bytes: Vec<u8>,
}

/// A raw line, read through `window`: a miss reads `size` bytes from the line on.
pub fn read_window(
    window: &mut Option<Window>,
    blob: &Blob,
    file: FileId,
    offset: u64,
    len: u32,
    size: u32,
) -> Option<Vec<u8>> {
    let end = offset + u64::from(len);
    let inside = |w: &Window| w.file == file && offset >= w.start && end <= w.start + w.bytes.len() as u64;
    if !window.as_ref().is_some_and(inside) {
        let read_end = (offset + u64::from(size)).min(blob.size() as u64).max(end);
        let bytes = read_back(blob, offset, u32::try_from(read_end - offset).ok()?).ok()?;
        *window = Some(Window { file, start: offset, bytes });
    }
    let w = window.as_ref()?;
    let from = usize::try_from(offset - w.start).ok()?;
    w.bytes.get(from..from + len as usize).map(<[u8]>::to_vec)
}

fn describe(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser could not read the file".to_owned())
}
