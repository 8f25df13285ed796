//! Seek latency on realistic synthetic recordings: keyframe seek vs replay from the start.
//!
//! Builds a 2-hour recording (~20,000 prints, ~1.7 MB of output) and a 20-hour one (~200,000
//! prints, ~17 MB): a shell session with coloured prompts, typed commands echoed key by key,
//! command output (ls, logs, compiler messages, git), and bursts of full-screen programs (a
//! top-like display on the alternate screen, redrawn several times).
//!
//! Prints a table (indexing time, keyframe count and memory, seek p50/p95/max over random
//! targets for both methods, and per-frame playback cost), then runs criterion on the seek.
//!
//! `cargo bench -p review-replay --bench seek`; `SEEK_BENCH_QUICK=1` skips the 20-hour case,
//! `SEEK_BENCH_NAIVE_TARGETS=N` sets how many targets the slow replay-from-start method gets.

use criterion::Criterion;
use review_recording::encode::ProtoOptions;
use review_recording::{Millis, Part, Recording};
use review_replay::{Player, SearchOptions, DEFAULT_KEYFRAME_INTERVAL};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};
use synth::rng::Rng;

/// The shared shell-session workload (crate `synth`), `prints` prints stretched over `hours`,
/// written as ProtoStream and decoded as the player gets it.
fn synthetic(prints: usize, hours: u64, seed: u64) -> Recording {
    let session = synth::shell::session("00000000-0000-4000-8000-00000000beef", prints, hours, seed, 0);
    let (name, bytes) = review_recording::encode::protostream(&session, &ProtoOptions::default());
    review_recording::decode(&[Part { path: &name, bytes: &bytes }]).expect("the encoder's output decodes")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

fn ms(duration: Duration) -> String {
    format!("{:.3}", duration.as_secs_f64() * 1000.0)
}

struct Latencies {
    p50: Duration,
    p95: Duration,
    max: Duration,
    count: usize,
}

fn measure(targets: &[Millis], mut seek: impl FnMut(Millis)) -> Latencies {
    let mut times: Vec<Duration> = targets
        .iter()
        .map(|&at| {
            let start = Instant::now();
            seek(at);
            start.elapsed()
        })
        .collect();
    times.sort();
    Latencies {
        p50: percentile(&times, 0.5),
        p95: percentile(&times, 0.95),
        max: times.last().copied().unwrap_or_default(),
        count: times.len(),
    }
}

fn random_targets(count: usize, duration: Millis, seed: u64) -> Vec<Millis> {
    let mut rng = Rng::new(seed);
    (0..count).map(|_| rng.below(duration + 1)).collect()
}

fn report(name: &str, recording: Arc<Recording>, naive_targets: usize) -> Player {
    let started = Instant::now();
    let mut player = Player::new(recording.clone());
    let indexing = started.elapsed();
    let stats = player.stats();
    let duration = player.duration();
    let targets = random_targets(1000, duration, 7);

    // Seek plus building the snapshot the UI draws: "screen ready".
    let keyframe = measure(&targets, |at| {
        player.seek(at);
        black_box(player.snapshot());
    });
    let naive = measure(&targets[..naive_targets.min(targets.len())], |at| {
        player.replay_from_start(at);
        black_box(player.snapshot());
    });
    // Playback: 60 frames a second at 1x through 2000 consecutive frames from a random start.
    let start = random_targets(1, duration.saturating_sub(40_000), 9)[0];
    player.seek(start);
    let frames: Vec<Millis> = (1..=2000).map(|frame| start + frame * 16).collect();
    let playback = measure(&frames, |at| {
        player.seek(at);
        black_box(player.update());
    });

    let mb = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    println!();
    println!("## {name}");
    println!(
        "output {:.2} MB, {} prints, duration {:.1} h; indexing {} ms",
        mb(recording.output.len()),
        recording.prints.len(),
        duration as f64 / 3_600_000.0,
        ms(indexing)
    );
    println!(
        "keyframes {} (every {} KiB of output), {:.2} MB; scrollback {} rows {:.2} MB; search text {:.2} MB",
        stats.keyframes,
        DEFAULT_KEYFRAME_INTERVAL / 1024,
        mb(stats.keyframe_bytes),
        stats.scrollback_rows,
        mb(stats.scrollback_bytes),
        mb(stats.search_text_bytes)
    );
    println!("| method | targets | p50 ms | p95 ms | max ms |");
    println!("|---|---:|---:|---:|---:|");
    for (method, latencies) in [
        ("keyframe seek + snapshot", &keyframe),
        ("replay from start + snapshot", &naive),
        ("playback frame (seek +16 ms + update)", &playback),
    ] {
        println!(
            "| {method} | {} | {} | {} | {} |",
            latencies.count,
            ms(latencies.p50),
            ms(latencies.p95),
            ms(latencies.max)
        );
    }
    let timed = |what: &str, run: &mut dyn FnMut() -> usize| {
        let started = Instant::now();
        let count = run();
        println!("{what}: {} ms ({count} results)", ms(started.elapsed()));
    };
    let plain = SearchOptions::default();
    let exact = SearchOptions { regex: false, case_sensitive: true };
    let regex = SearchOptions { regex: true, case_sensitive: true };
    let count = |found: Result<review_replay::SearchResults, String>| found.map_or(0, |results| results.hits.len());
    timed("search \"nginx\" (case-sensitive)", &mut || count(player.search("nginx", exact)));
    timed("search \"NGINX\" (any case, first: builds the folded copy)", &mut || count(player.search("NGINX", plain)));
    timed("search \"NGINX\" (any case, again)", &mut || count(player.search("NGINX", plain)));
    timed("search regex `from 10\\.0\\.1\\d\\.\\d+ took 19\\d\\d`", &mut || {
        count(player.search(r"from 10\.0\.1\d\.\d+ took 19\d\d", regex))
    });
    timed("transcript", &mut || player.transcript().len());
    player
}

fn main() {
    let quick = std::env::var_os("SEEK_BENCH_QUICK").is_some();
    let naive_targets: usize =
        std::env::var("SEEK_BENCH_NAIVE_TARGETS").ok().and_then(|n| n.parse().ok()).unwrap_or(1000);

    let two_hours = Arc::new(synthetic(20_000, 2, 0x5eed_0002));
    let mut short = report("2 h recording", two_hours, naive_targets);
    let mut long = (!quick).then(|| {
        let twenty_hours = Arc::new(synthetic(200_000, 20, 0x5eed_0020));
        report("20 h recording", twenty_hours, naive_targets)
    });
    println!();

    let mut criterion =
        Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3)).configure_from_args();
    let mut rng = Rng::new(11);
    let duration = short.duration();
    criterion.bench_function("seek 2h random + snapshot", |b| {
        b.iter(|| {
            short.seek(rng.below(duration));
            black_box(short.snapshot())
        })
    });
    if let Some(long) = long.as_mut() {
        let duration = long.duration();
        criterion.bench_function("seek 20h random + snapshot", |b| {
            b.iter(|| {
                long.seek(rng.below(duration));
                black_box(long.snapshot())
            })
        });
    }
    criterion.final_summary();
}
