//! The service worker's list of files. After a build, every file of the app is known (Trunk has
//! hashed their names): the list is written into `sw.js`, with a version taken from the files'
//! contents, so a new build installs a new cache and a rebuild of the same sources does not.

use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// The service worker, with `"__VERSION__"` and `["__FILES__"]` to fill in.
const TEMPLATE: &str = include_str!("../web/sw.js");
pub const SERVICE_WORKER: &str = "sw.js";

/// Writes `sw.js` into `dir` (the build's output), listing every other file in it.
pub fn write_service_worker(dir: &Path) -> Result<usize, String> {
    let files = files(dir)?;
    let mut hasher = Sha256::new();
    for rel in &files {
        let bytes = fs::read(dir.join(rel)).map_err(|e| format!("{rel}: {e}"))?;
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let version: String = hasher.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    let urls: Vec<String> = files.iter().map(|rel| format!("\"./{}\"", url_path(rel))).collect();
    let script = fill(TEMPLATE, &version, &format!("[\n  {},\n]", urls.join(",\n  ")))?;
    fs::write(dir.join(SERVICE_WORKER), script).map_err(|e| format!("{SERVICE_WORKER}: {e}"))?;
    Ok(files.len())
}

fn fill(template: &str, version: &str, files: &str) -> Result<String, String> {
    for marker in ["\"__VERSION__\"", "[\"__FILES__\"]"] {
        if template.matches(marker).count() != 1 {
            return Err(format!("the service worker template must hold {marker} exactly once"));
        }
    }
    Ok(template.replace("\"__VERSION__\"", &format!("\"{version}\"")).replace("[\"__FILES__\"]", files))
}

/// Every file under `dir` but the service worker itself, as `/`-separated relative paths, sorted.
pub fn files(dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(dir).map_err(|e| e.to_string())?;
            let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            let rel = rel.join("/");
            if rel != SERVICE_WORKER {
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A relative path as the page asks for it: each segment encoded as JavaScript's
/// `encodeURIComponent` does (the demo loader does the same, and the cache matches URLs exactly).
pub fn url_path(rel: &str) -> String {
    rel.split('/').map(encode_component).collect::<Vec<_>>().join("/")
}

fn encode_component(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_encoded_like_encode_uri_component() {
        assert_eq!(url_path("demo/a b/2024-03-11.00:00:00.log"), "demo/a%20b/2024-03-11.00%3A00%3A00.log");
        assert_eq!(url_path("x\"y#z?é"), "x%22y%23z%3F%C3%A9");
    }

    #[test]
    fn the_worker_lists_every_file_but_itself_and_its_version_follows_the_contents() {
        let dir = std::env::temp_dir().join(format!("packager-precache-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("demo/x")).unwrap();
        fs::write(dir.join("index.html"), "<html>").unwrap();
        fs::write(dir.join("demo/x/1:2.log"), "{}").unwrap();
        fs::write(dir.join(SERVICE_WORKER), "old").unwrap();
        assert_eq!(write_service_worker(&dir).unwrap(), 2);
        let first = fs::read_to_string(dir.join(SERVICE_WORKER)).unwrap();
        assert!(first.contains("\"./demo/x/1%3A2.log\"") && first.contains("\"./index.html\""), "{first}");
        assert!(!first.contains("__VERSION__") && !first.contains("__FILES__"));
        write_service_worker(&dir).unwrap();
        assert_eq!(fs::read_to_string(dir.join(SERVICE_WORKER)).unwrap(), first, "same files, same worker");
        fs::write(dir.join("index.html"), "<html> changed").unwrap();
        write_service_worker(&dir).unwrap();
        assert_ne!(fs::read_to_string(dir.join(SERVICE_WORKER)).unwrap(), first, "new contents, new version");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_template_without_its_markers_is_refused() {
        assert!(fill("const VERSION = 1;", "v", "[]").is_err());
    }
}
