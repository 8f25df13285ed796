//! The core and the replay engine natively, on the same files the browser reads: ingest
//! throughput (files read in 4 MiB slices, as the worker does), filter latency over the loaded
//! model, and seek latency on the decoded recordings.

use crate::data::RecordingSet;
use crate::queries::Query;
use crate::stats::Spread;
use review_core::ingest::{Ingest, Options};
use review_core::model::Model;
use review_core::views::{Table, TableRequest, Views};
use review_replay::Player;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub struct Ingested {
    /// Median wall time of the runs.
    pub seconds: f64,
    pub runs: usize,
    pub bytes: u64,
    pub events: u64,
    /// Peak resident memory of this process during the last run.
    pub peak_rss: Option<u64>,
    pub model: Model,
}

/// Loads `files` `runs` times; keeps the last model for the filter measurements.
pub fn ingest(root: &Path, files: &[PathBuf], runs: usize) -> std::io::Result<Ingested> {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        // Drop the previous model first: peak memory is one model's.
        drop(last.take());
        reset_peak_rss();
        let started = Instant::now();
        let (model, bytes) = load(root, files)?;
        times.push(started.elapsed().as_secs_f64());
        last = Some((model, bytes, peak_rss()));
    }
    let (mut model, bytes, peak_rss) = last.expect("at least one run");
    times.sort_by(f64::total_cmp);
    let events = Views::default().page(&mut model, &request(Table::Events, "", 0)).unfiltered.into();
    Ok(Ingested { seconds: times[times.len() / 2], runs: times.len(), bytes, events, peak_rss, model })
}

fn load(root: &Path, files: &[PathBuf]) -> std::io::Result<(Model, u64)> {
    // Plain files are read back by offset for the detail view, as in the browser.
    let mut ingest = Ingest::new(Options { read_back_plain_files: true, ..Options::default() });
    let mut buf = vec![0u8; 4 << 20];
    let mut bytes = 0;
    for path in files {
        let mut file = std::fs::File::open(path)?;
        let name = path.strip_prefix(root).unwrap_or(path).display().to_string();
        let id = ingest.open(&name, file.metadata()?.len());
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            bytes += n as u64;
            ingest.push(id, &buf[..n]);
        }
        ingest.close(id);
    }
    Ok((ingest.finish(), bytes))
}

pub fn request(table: Table, query: &str, offset: u32) -> TableRequest {
    TableRequest { table, query: query.to_owned(), sort: Default::default(), offset, limit: 100 }
}

/// Latency of `Views::page` for each query, `rounds` times over. Consecutive queries differ,
/// so every answer is computed, never served from the view's cache.
pub fn filter_latency(model: &mut Model, queries: &[Query], rounds: usize) -> Option<Spread> {
    let mut views = Views::default();
    // The first answer also ranks the strings for sorting, once per model: not a filter cost.
    views.page(model, &request(Table::Events, "warm-up", 0));
    let mut samples = Vec::new();
    let mut slowest = vec![0f64; queries.len()];
    for _ in 0..rounds {
        for (q, worst) in queries.iter().zip(&mut slowest) {
            let req = TableRequest { sort: q.sort, ..request(q.table, &q.text, 0) };
            let started = Instant::now();
            std::hint::black_box(views.page(model, &req));
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            *worst = worst.max(ms);
            samples.push(ms);
        }
    }
    // Which queries set the p95: the ones to work on.
    let mut ranked: Vec<(f64, &Query)> = slowest.into_iter().zip(queries).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, q) in ranked.iter().take(8) {
        eprintln!("    {ms:7.1} ms  {:?} {:?} sorted by {:?}", q.table, q.text, q.sort);
    }
    Spread::of(&samples)
}

pub struct Seeks {
    pub prints: usize,
    pub output_bytes: u64,
    pub decode_ms: f64,
    pub indexing_ms: f64,
    pub keyframe: Option<Spread>,
    pub from_start: Option<Spread>,
}

/// Seek + snapshot at random targets: keyframe seek (what the app does) and replay from the
/// start (what a player without an index does), on the recording file the browser loads.
pub fn seeks(set: &RecordingSet, targets: usize, from_start_targets: usize) -> Result<Seeks, String> {
    let bytes = std::fs::read(&set.tar).map_err(|e| e.to_string())?;
    let name = set.tar.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let started = Instant::now();
    let recording = review_recording::decode(&[review_recording::Part { path: &name, bytes: &bytes }])
        .map_err(|e| format!("{e:?}"))?;
    let decode_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (prints, output_bytes) = (recording.prints.len(), recording.output.len() as u64);
    let started = Instant::now();
    let mut player = Player::new(recording);
    let indexing_ms = started.elapsed().as_secs_f64() * 1000.0;
    let duration = player.duration();
    let mut rng = synth::rng::Rng::new(7);
    let at: Vec<u64> = (0..targets).map(|_| rng.below(duration + 1)).collect();
    let mut time = |n: usize, seek: &mut dyn FnMut(&mut Player, u64)| {
        let samples: Vec<f64> = at[..n.min(at.len())]
            .iter()
            .map(|&t| {
                let started = Instant::now();
                seek(&mut player, t);
                std::hint::black_box(player.snapshot());
                started.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        Spread::of(&samples)
    };
    let keyframe = time(targets, &mut |p, t| p.seek(t));
    let from_start = time(from_start_targets, &mut |p, t| p.replay_from_start(t));
    Ok(Seeks { prints, output_bytes, decode_ms, indexing_ms, keyframe, from_start })
}

/// Resets this process's peak RSS (VmHWM) so the next reading covers only what follows.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.split_whitespace().next()?.parse().ok()?;
    Some(kb * 1024)
}
