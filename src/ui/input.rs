//! Getting files in: drag and drop (files or whole folders, walked recursively), the file and
//! folder pickers, and the built-in demo data set. Every file keeps its relative path.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, DataTransfer, File, FilePropertyBag, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry,
    HtmlInputElement, Response,
};

/// Files with the paths they were dropped with (`log/auth-1/2024-01-01.00:00:00.log`).
pub type Dropped = Vec<(String, File)>;

/// Entries must be taken from the drop event before it returns; they are walked afterwards.
pub fn entries_of(dt: &DataTransfer) -> (Vec<FileSystemEntry>, Dropped) {
    let items = dt.items();
    let mut entries = Vec::new();
    let mut plain = Vec::new();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        match item.webkit_get_as_entry() {
            Ok(Some(entry)) => entries.push(entry),
            _ => {
                if let Ok(Some(f)) = item.get_as_file() {
                    plain.push((f.name(), f));
                }
            }
        }
    }
    if entries.is_empty() && plain.is_empty() {
        if let Some(files) = dt.files() {
            plain = (0..files.length()).filter_map(|i| files.get(i)).map(|f| (f.name(), f)).collect();
        }
    }
    (entries, plain)
}

/// Walks dropped entries, folders included, into files with their paths. `going` hears how
/// many files were found so far (a folder of thousands takes seconds) and stops the walk by
/// answering false: then `None`.
pub async fn walk(
    entries: Vec<FileSystemEntry>,
    mut going: impl FnMut(usize) -> bool,
) -> Result<Option<Dropped>, JsValue> {
    let mut out = Vec::new();
    let mut stack = entries;
    while let Some(entry) = stack.pop() {
        if !going(out.len()) {
            return Ok(None);
        }
        if entry.is_file() {
            let file_entry: FileSystemFileEntry = entry.unchecked_into();
            let path = file_entry.full_path().trim_start_matches('/').to_owned();
            let file =
                JsFuture::from(Promise::new(&mut |ok, err| file_entry.file_with_callback_and_callback(&ok, &err)))
                    .await?;
            out.push((path, file.unchecked_into()));
        } else if entry.is_directory() {
            let dir: FileSystemDirectoryEntry = entry.unchecked_into();
            let reader = dir.create_reader();
            // readEntries answers in batches; an empty batch ends the folder.
            loop {
                let batch = JsFuture::from(Promise::new(&mut |ok, err| {
                    let _ = reader.read_entries_with_callback_and_callback(&ok, &err);
                }))
                .await?;
                let batch: Array = batch.unchecked_into();
                if batch.length() == 0 {
                    break;
                }
                stack.extend(batch.iter().map(|e| e.unchecked_into::<FileSystemEntry>()));
            }
        }
    }
    // A stop during the last file's wait counts too.
    if !going(out.len()) {
        return Ok(None);
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Some(out))
}

/// Files chosen with an `<input type=file>` (with `webkitdirectory`, whole folders).
pub fn picked(input: &HtmlInputElement) -> Dropped {
    let Some(files) = input.files() else {
        return Vec::new();
    };
    let mut out: Dropped = (0..files.length())
        .filter_map(|i| files.get(i))
        .map(|f| {
            let rel = js_sys::Reflect::get(&f, &"webkitRelativePath".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            (if rel.is_empty() { f.name() } else { rel }, f)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The demo data set shipped with the app (`demo/manifest.json` lists its files).
pub async fn demo() -> Result<Dropped, String> {
    let manifest = fetch("demo/manifest.json").await?;
    let text = JsFuture::from(manifest.text().map_err(describe)?).await.map_err(describe)?;
    let text = text.as_string().unwrap_or_default();
    #[derive(serde::Deserialize)]
    struct Manifest {
        files: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        path: String,
    }
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| format!("demo/manifest.json: {e}"))?;
    let mut out = Vec::new();
    for entry in manifest.files {
        let response = fetch(&format!("demo/{}", encode_path(&entry.path))).await?;
        let blob: Blob = JsFuture::from(response.blob().map_err(describe)?).await.map_err(describe)?.unchecked_into();
        let name = entry.path.rsplit('/').next().unwrap_or(&entry.path).to_owned();
        let options = FilePropertyBag::new();
        let file = File::new_with_blob_sequence_and_options(&Array::of1(&blob), &name, &options).map_err(describe)?;
        out.push((format!("teleport-demo/{}", entry.path), file));
    }
    Ok(out)
}

async fn fetch(url: &str) -> Result<Response, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response: Response = JsFuture::from(window.fetch_with_str(url)).await.map_err(describe)?.unchecked_into();
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    Ok(response)
}

/// Paths hold `:` (Teleport's file names) which are fine in URLs, but not `#`/`?`/`%`.
fn encode_path(p: &str) -> String {
    p.split('/').map(|s| String::from(js_sys::encode_uri_component(s))).collect::<Vec<_>>().join("/")
}

fn describe(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
