//! Loads every file under a directory through the core, as the browser worker does (2 MiB
//! slices), and prints throughput and what the model holds. `cargo run --release -p review-core
//! --example ingest_dir -- <dir>`
use review_core::ingest::{Ingest, Options};
use std::io::Read;
use std::time::Instant;

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("a directory");
    let mut paths = Vec::new();
    files(std::path::Path::new(&dir), &mut paths);
    paths.sort();
    let start = Instant::now();
    let mut ing = Ingest::new(Options { read_back_plain_files: true, ..Options::default() });
    let mut bytes = 0u64;
    let mut buf = vec![0u8; 2 << 20];
    for p in &paths {
        let mut f = std::fs::File::open(p).expect("open");
        let id = ing
            .open(&p.strip_prefix(&dir).unwrap_or(p).display().to_string(), f.metadata().map(|m| m.len()).unwrap_or(0));
        loop {
            let n = f.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            bytes += n as u64;
            ing.push(id, &buf[..n]);
        }
        ing.close(id);
    }
    let parsed = start.elapsed();
    let mut model = ing.finish();
    model.ensure_sorted();
    let total = start.elapsed();
    let mb = bytes as f64 / 1e6;
    println!(
        "{} files, {:.1} MB, {} events, {} duplicates, {} problems, {} sessions; parse {:.2} s ({:.0} MB/s), with index {:.2} s ({:.0} MB/s)",
        paths.len(), mb, model.events.len(), model.duplicates, model.problems.len(), model.sessions.len(),
        parsed.as_secs_f64(), mb / parsed.as_secs_f64(), total.as_secs_f64(), mb / total.as_secs_f64()
    );
}
