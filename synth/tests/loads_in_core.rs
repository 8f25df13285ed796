//! What synth writes loads through review-core's ingest with zero problems, the counts agree
//! (HA copies are folded as duplicates), and sessions pair up.

use review_core::ingest::{Ingest, Options};
use review_core::model::{FileKind, Model};
use synth::bulk::{self, BulkOptions};
use synth::{demo, json, OutFile, Stats};

fn load(files: &[OutFile]) -> Model {
    let mut ing = Ingest::new(Options::default());
    for f in files {
        ing.add_bytes(&f.path, &f.bytes);
    }
    ing.finish()
}

/// Loads `files`; those `is_recording` names must be read as recordings, the rest as logs.
fn assert_loads_cleanly(
    files: &[OutFile],
    stats: &Stats,
    crashed: &[String],
    is_recording: impl Fn(&str) -> bool,
) -> Model {
    let model = load(files);
    let problems: Vec<String> =
        model.problems.iter().take(5).map(|p| format!("{p:?} in {}", model.files[p.file as usize].path)).collect();
    assert!(problems.is_empty(), "problems: {problems:#?}");
    for f in &model.files {
        let kind = if is_recording(&f.path) { FileKind::Recording } else { FileKind::AuditLog };
        assert_eq!(f.kind, kind, "{} read as {:?}", f.path, f.kind);
        assert!(f.counts_add_up(), "{}", f.path);
    }
    assert_eq!(model.events.len() as u64, stats.events, "distinct events");
    assert_eq!(model.duplicates, stats.duplicates(), "HA copies folded");
    assert_eq!(model.files.iter().map(|f| f.lines).sum::<u64>(), stats.lines, "lines");
    // Every session that started also ended, except those the generator crashed.
    let open: Vec<String> = model
        .sessions
        .list
        .iter()
        .filter(|s| s.start.is_some() && s.end.is_none())
        .map(|s| model.str(s.sid).to_owned())
        .collect();
    let mut open_sorted = open.clone();
    open_sorted.sort();
    let mut crashed_sorted = crashed.to_vec();
    crashed_sorted.sort();
    assert_eq!(open_sorted, crashed_sorted, "unended sessions are exactly the crashed ones");
    let ended = model.sessions.list.iter().filter(|s| s.start.is_some() && s.end.is_some()).count();
    assert!(ended > 0);
    model
}

#[test]
fn demo_set_loads_with_zero_problems() {
    let set = demo::build();
    let crashed: Vec<String> = set.eras.iter().flat_map(|e| e.crashed.iter().map(|&s| json::uuid_string(s))).collect();
    assert!(!crashed.is_empty(), "the demo has sessions that never ended");
    let model = assert_loads_cleanly(&set.files, &set.stats(), &crashed, |path| set.is_recording(path));
    assert!(model.duplicates > 0, "the 4.0 HA pair wrote copies");
    // Every recording's parts are filed under its session, which the log knows.
    for r in &set.recordings {
        let session = model.sessions.list.iter().find(|s| model.str(s.sid) == r.sid);
        let session = session.unwrap_or_else(|| panic!("{}: no session {} in the log", r.label, r.sid));
        assert_eq!(session.recording_parts as usize, r.paths.len(), "{}", r.label);
        assert_eq!(model.str(session.user), r.user, "{}", r.label);
    }
}

#[test]
fn five_megabyte_logs_load_with_zero_problems() {
    let opts = BulkOptions { size: 5_000_000, seed: 7, gz_fraction: 0.3, threads: 2 };
    let mut files = Vec::new();
    let report = bulk::generate(&opts, &mut |f| {
        files.push(f);
        Ok(())
    })
    .unwrap();
    let on_disk: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
    assert_eq!(on_disk, report.stats.bytes);
    assert!((4_000_000..6_500_000).contains(&on_disk), "about 5 MB, got {on_disk}");
    assert!(files.iter().any(|f| f.path.ends_with(".gz")));
    let model = load(&files);
    assert!(model.files.iter().all(|f| f.kind == FileKind::AuditLog));
    assert!(model.problems.is_empty(), "{:?}", &model.problems[..model.problems.len().min(3)]);
    assert_eq!(model.events.len() as u64, report.stats.events);
    assert_eq!(model.duplicates, report.stats.duplicates());
    let open = model.sessions.list.iter().filter(|s| s.start.is_some() && s.end.is_none()).count() as u64;
    assert_eq!(open, report.crashed);
}
