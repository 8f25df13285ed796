//! Figures from other tools: the core's criterion benches (core/benches/core.rs, run through
//! cargo, results read from target/criterion) and the sizes of the built app.

use std::path::Path;
use std::process::Command;

/// Runs `cargo bench -p review-core --bench core` over the log set in `input` (only the ingest
/// bench when `quick`, with shorter measurement); its output goes to `target/bench-core.log`.
pub fn run_criterion(workspace: &Path, target: &Path, input: &Path, quick: bool) -> Result<(), String> {
    let cargo = std::env::var("CARGO").ok().filter(|c| !c.is_empty()).unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(workspace)
        .env("REVIEW_BENCH_LOGS", input)
        .args(["bench", "-p", "review-core", "--bench", "core", "--"])
        .args(if quick { &["--warm-up-time", "1", "--measurement-time", "2", "ingest"][..] } else { &[] });
    let out = command.output().map_err(|e| format!("cargo bench: {e}"))?;
    let log = target.join("bench-core.log");
    let _ = std::fs::write(&log, [out.stdout.as_slice(), out.stderr.as_slice()].concat());
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("cargo bench -p review-core --bench core failed: see {}", log.display()))
    }
}

/// A criterion benchmark's median time per iteration and the bytes it declared per iteration.
pub struct Criterion {
    pub nanos: f64,
    pub bytes: Option<u64>,
}

/// Reads `target/criterion/<id>/new/` (the last `cargo bench` run).
pub fn criterion(target: &Path, id: &str) -> Option<Criterion> {
    let dir = target.join("criterion").join(id).join("new");
    let read =
        |name: &str| -> Option<serde_json::Value> { serde_json::from_slice(&std::fs::read(dir.join(name)).ok()?).ok() };
    let estimates = read("estimates.json")?;
    let nanos = estimates["median"]["point_estimate"].as_f64()?;
    let bytes = read("benchmark.json").and_then(|b| b["throughput"]["Bytes"].as_u64());
    Some(Criterion { nanos, bytes })
}

/// Every `.wasm` of the built app: name, raw size, `gzip -9` size.
pub fn wasm_sizes(dist: &Path) -> Result<Vec<(String, u64, u64)>, String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "wasm") {
            let raw = path.metadata().map_err(|e| e.to_string())?.len();
            let gz = Command::new("gzip").args(["-9", "-c"]).arg(&path).output().map_err(|e| format!("gzip: {e}"))?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            out.push((name, raw, gz.stdout.len() as u64));
        }
    }
    out.sort();
    Ok(out)
}
