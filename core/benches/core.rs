//! Criterion benches of the core on 10 MB of mixed-version audit logs held in memory: ingest
//! throughput as the browser worker drives it, and filter/sort answers over the loaded model.
//!
//! The input is `bench-data/logs-10MB` (synth's seed 1, 10 % of day files gzipped), which
//! scripts/bench generates (or `cargo run --release -p synth -- logs --size 10MB
//! bench-data/logs-10MB`); `REVIEW_BENCH_LOGS=<dir>` picks another. Without it the bench says
//! so and measures nothing. `cargo bench -p review-core --bench core`; scripts/bench runs it
//! and puts the ingest figure in its table (from target/criterion/ingest/in-memory).

use criterion::{Criterion, Throughput};
use review_core::ingest::{Ingest, Options};
use review_core::model::Model;
use review_core::views::{Sort, SortKey, Table, TableRequest, Views};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Every file under `dir` (dot files aside) read into memory: (path, bytes), sorted.
fn read_dir(dir: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    synth::layout::files_under(dir)?
        .into_iter()
        .map(|path| Ok((path.strip_prefix(dir).unwrap_or(&path).display().to_string(), std::fs::read(&path)?)))
        .collect()
}

fn input_dir() -> PathBuf {
    std::env::var_os("REVIEW_BENCH_LOGS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench-data/logs-10MB"))
}

/// Loads every file as the worker does (plain files read back by offset, not kept).
fn load(files: &[(String, Vec<u8>)]) -> Model {
    let mut ingest = Ingest::new(Options { read_back_plain_files: true, ..Options::default() });
    for (path, bytes) in files {
        let id = ingest.open(path, bytes.len() as u64);
        for slice in bytes.chunks(2 << 20) {
            ingest.push(id, slice);
        }
        ingest.close(id);
    }
    ingest.finish()
}

fn request(table: Table, query: &str, sort: Sort) -> TableRequest {
    TableRequest { table, query: query.to_owned(), sort, offset: 0, limit: 100 }
}

fn main() {
    let dir = input_dir();
    let files = match read_dir(&dir) {
        Ok(files) if !files.is_empty() => files,
        _ => {
            eprintln!("no input at {}: run scripts/bench, or set REVIEW_BENCH_LOGS", dir.display());
            return;
        }
    };
    let bytes: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    let mut criterion =
        Criterion::default().sample_size(10).measurement_time(Duration::from_secs(5)).configure_from_args();

    let mut group = criterion.benchmark_group("ingest");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("in-memory", |b| b.iter(|| black_box(load(&files))));
    group.finish();

    let mut model = load(&files);
    let by_time = Sort::default();
    let by_user = Sort { key: SortKey::User, descending: false };
    let cases = [
        ("user", Table::Events, "user:alice", by_time),
        ("outcome-failure", Table::Events, "outcome:failure", by_time),
        ("cidr", Table::Events, "addr:10.0.0.0/8", by_time),
        ("free-text", Table::Events, "root", by_time),
        ("boolean", Table::Events, "(event:session.* OR outcome:failure) -login:root", by_time),
        ("auth-sort-user", Table::Auth, "", by_user),
    ];
    let mut group = criterion.benchmark_group("filter");
    for (name, table, query, sort) in cases {
        let mut views = Views::default();
        // A trailing space changes the text, not the filter: alternating the two makes every
        // answer a fresh computation instead of a cache hit.
        let (a, b) = (request(table, query, sort), request(table, &format!("{query} "), sort));
        let mut flip = false;
        group.bench_function(name, |bench| {
            bench.iter(|| {
                flip = !flip;
                black_box(views.page(&mut model, if flip { &a } else { &b }).total)
            })
        });
    }
    group.finish();
    criterion.final_summary();
}
