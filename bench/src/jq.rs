//! The tool a user would reach for: Debian's `jq -c .` over the same audit logs, timed with
//! hyperfine. jq cannot read gzip, so the `.gz` files are decompressed once into a cache
//! beside the set (not timed); jq then reads the same events as the core.

use crate::data::LogSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct JqRun {
    pub seconds: f64,
    pub runs: usize,
    /// Bytes of JSON jq read (the `.gz` files decompressed).
    pub json_bytes: u64,
}

/// Plain copies of the set's files for jq: plain files as they are, `.gz` decompressed.
fn plain_inputs(root: &Path, set: &LogSet) -> Result<Vec<PathBuf>, String> {
    let cache = root.join("jq").join(set.label.replace(' ', "")).join("plain");
    let mut out = Vec::new();
    for (i, f) in set.files.iter().enumerate() {
        if f.extension().is_some_and(|e| e == "gz") {
            let plain = cache.join(format!("{i:05}.log"));
            if !plain.exists() {
                std::fs::create_dir_all(&cache).map_err(|e| e.to_string())?;
                let tmp = plain.with_extension("part");
                let file = std::fs::File::create(&tmp).map_err(|e| e.to_string())?;
                let ok = Command::new("gzip").arg("-dc").arg(f).stdout(file).status().map_err(|e| e.to_string())?;
                if !ok.success() {
                    return Err(format!("gzip -dc {} failed", f.display()));
                }
                std::fs::rename(&tmp, &plain).map_err(|e| e.to_string())?;
            }
            out.push(plain);
        } else {
            out.push(f.clone());
        }
    }
    Ok(out)
}

/// Runs `jq -c . <files> >/dev/null` `runs` times under hyperfine; median wall time.
pub fn run(root: &Path, set: &LogSet, runs: usize) -> Result<JqRun, String> {
    let inputs = plain_inputs(root, set)?;
    let json_bytes = inputs.iter().map(|f| f.metadata().map_or(0, |m| m.len())).sum();
    // The file list goes through xargs: thousands of paths would not fit one command line.
    let dir = root.join("jq").join(set.label.replace(' ', ""));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let list = dir.join("files.txt");
    let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    std::fs::write(&list, names.join("\n")).map_err(|e| e.to_string())?;
    let export = dir.join("hyperfine.json");
    let command = format!("xargs -d '\\n' -a '{}' jq -c . > /dev/null", list.display());
    // One warm-up run fills the page cache, as the core's runs find it filled.
    let out = Command::new("hyperfine")
        .args(["--warmup", "1", "--runs", &runs.max(2).to_string(), "--style", "none", "--export-json"])
        .arg(&export)
        .arg(&command)
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("hyperfine: {e}"))?;
    if !out.status.success() {
        return Err(format!("hyperfine failed on {command}: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&export).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let result = &json["results"][0];
    let seconds = result["median"].as_f64().ok_or("no median in hyperfine's export")?;
    let runs = result["times"].as_array().map_or(0, Vec::len);
    Ok(JqRun { seconds, runs, json_bytes })
}
