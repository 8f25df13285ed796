//! Benchmark inputs under bench-data/: synthetic audit log sets of a given size and long session
//! recordings with the audit lines that list them. Each set is written once and reused while its
//! marker file says it was made with the same parameters.

use review_recording::encode::{self, ProtoOptions};
use std::io;
use std::path::{Path, PathBuf};
use synth::bulk::{self, BulkOptions};
use synth::layout::files_under;
use synth::shell;
use synth::timefmt::{rfc3339, utc, Precision};

const SEED: u64 = 1;
const GZ_FRACTION: f64 = 0.1;

/// An audit log set on disk.
pub struct LogSet {
    /// "10 MB", "1 GB": how the table names it.
    pub label: String,
    pub files: Vec<PathBuf>,
    /// Bytes on disk (compressed size for the `.gz` files).
    pub bytes: u64,
    /// Distinct events the generator wrote.
    pub events: u64,
}

/// Writes (or reuses) `root/logs-<label>` of about `size` bytes.
pub fn logs(root: &Path, label: &str, size: u64) -> io::Result<LogSet> {
    let dir = root.join(format!("logs-{}", label.replace(' ', "")));
    let marker = dir.join(".bench-set");
    let wanted = format!("size={size} seed={SEED} gz_fraction={GZ_FRACTION}");
    let events = match read_marker(&marker, &wanted) {
        Some(events) => events,
        None => {
            eprintln!("  generating {label} of audit logs into {}", dir.display());
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir)?;
            let opts = BulkOptions { size, seed: SEED, gz_fraction: GZ_FRACTION, ..BulkOptions::default() };
            let out = dir.clone();
            let mut sink = move |f: synth::OutFile| -> io::Result<()> {
                let path = out.join(&f.path);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(path, &f.bytes)
            };
            let report = bulk::generate(&opts, &mut sink)?;
            std::fs::write(&marker, format!("{wanted}\nevents={}\n", report.stats.events))?;
            report.stats.events
        }
    };
    let files = files_under(&dir)?;
    let bytes = files.iter().map(|f| f.metadata().map_or(0, |m| m.len())).sum();
    Ok(LogSet { label: label.to_owned(), files, bytes, events })
}

/// `set`'s plain logs joined into one file (`logs-<label>-one/all.log`, written once), as a
/// busy cluster's single daily log is: one big file is read and hashed otherwise than many.
/// Its compressed files are left out.
pub fn one_file(root: &Path, set: &LogSet) -> io::Result<LogSet> {
    let dir = root.join(format!("logs-{}-one", set.label.replace(' ', "")));
    let path = dir.join("all.log");
    let plain: Vec<&PathBuf> = set.files.iter().filter(|f| f.extension().is_some_and(|e| e == "log")).collect();
    let bytes: u64 = plain.iter().map(|f| f.metadata().map_or(0, |m| m.len())).sum();
    if path.metadata().map_or(true, |m| m.len() != bytes) {
        eprintln!("  joining the {} set's plain logs into {}", set.label, path.display());
        std::fs::create_dir_all(&dir)?;
        let mut out = io::BufWriter::new(std::fs::File::create(&path)?);
        for f in plain {
            io::copy(&mut std::fs::File::open(f)?, &mut out)?;
        }
        io::Write::flush(&mut out)?;
    }
    // The events are counted natively (the generator's count includes the compressed files').
    Ok(LogSet { label: format!("{} in one file", set.label), files: vec![path], bytes, events: 0 })
}

/// The event count a marker records, if it was written for `wanted`.
fn read_marker(marker: &Path, wanted: &str) -> Option<u64> {
    let text = std::fs::read_to_string(marker).ok()?;
    let mut lines = text.lines();
    if lines.next()? != wanted {
        return None;
    }
    lines.next()?.strip_prefix("events=")?.parse().ok()
}

/// A recording on disk with the audit log that names its session.
pub struct RecordingSet {
    /// The audit log, then the ProtoStream `<sid>.tar`.
    pub files: Vec<PathBuf>,
    pub tar: PathBuf,
}

/// 2024-04-01T08:00:00Z: the session starts here.
fn start() -> i64 {
    utc(2024, 4, 1, 8, 0, 0)
}

/// Writes (or reuses) `root/rec-<label>`: a ProtoStream recording of `hours` with about
/// `prints` prints, and its `session.start`/`session.end` audit lines.
pub fn recording(root: &Path, label: &str, prints: usize, hours: u64) -> io::Result<RecordingSet> {
    let dir = root.join(format!("rec-{}", label.replace(' ', "")));
    let sid = format!("b3c4d5e6-0000-4000-8000-{:012}", hours);
    let marker = dir.join(".bench-set");
    let wanted = format!("prints={prints} hours={hours} sid={sid}");
    let audit = dir.join("2024-04-01.00:00:00.log");
    let tar = dir.join(format!("{sid}.tar"));
    if read_marker(&marker, &wanted).is_none() || !tar.exists() {
        eprintln!("  writing the {label} recording into {}", dir.display());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let session = shell::session(&sid, prints, hours, 0x5eed_0000 + hours, start());
        let printed = session.events.iter().filter(|e| e.event.type_name() == "print").count();
        // Several parts, as an upload of a long session is.
        let options = ProtoOptions { events_per_part: 5_000, ..ProtoOptions::default() };
        let (name, bytes) = encode::protostream(&session, &options);
        std::fs::write(dir.join(name), bytes)?;
        std::fs::write(&audit, audit_lines(&sid, hours))?;
        std::fs::write(&marker, format!("{wanted}\nevents={printed}\n"))?;
    }
    Ok(RecordingSet { files: vec![audit, tar.clone()], tar })
}

/// The audit lines Teleport 15 writes for the session, so that the Recordings view lists it.
fn audit_lines(sid: &str, hours: u64) -> String {
    let t0 = start();
    let t1 = t0 + hours as i64 * 3_600_000_000_000;
    let (at0, at1) = (rfc3339(t0, Precision::Seconds), rfc3339(t1, Precision::Seconds));
    let common = format!(
        r#""cluster_name":"prod","user":"alice","login":"alice","sid":"{sid}","server_id":"d1d92452-06b8-4828-abad-c1fb7ef947b3","server_hostname":"prod-web-03","addr.remote":"10.0.3.7:51000""#
    );
    format!(
        concat!(
            r#"{{"ei":0,"event":"session.start","uid":"bench-{sid}-start","code":"T2000I","time":"{at0}",{common},"size":"120:40","session_recording":"node"}}"#,
            "\n",
            r#"{{"ei":1,"event":"session.end","uid":"bench-{sid}-end","code":"T2004I","time":"{at1}",{common},"participants":["alice"],"session_start":"{at0}","session_stop":"{at1}","interactive":true}}"#,
            "\n",
        ),
        sid = sid,
        at0 = at0,
        at1 = at1,
        common = common
    )
}
