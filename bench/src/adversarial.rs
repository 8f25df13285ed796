//! Hostile shapes of input, each at three sizes doubling: the time per unit must stay flat
//! (a quadratic path doubles it at every step). Natively, through the same code the worker
//! runs: ingest + model + views + detections for audit logs, decode + index + seek + search for
//! recordings. Inputs are built in memory from the format encoders.

use review_core::detect::{self, Settings};
use review_core::ingest::{Ingest, Options};
use review_core::model::Model;
use review_core::views::{Table, Views};
use review_recording::encode::{self, Event, Gen1Timing, ProtoOptions, Session};
use review_recording::Part;
use review_replay::{Player, SearchOptions};
use std::time::Instant;

/// One hostile shape: how to build it at a scale, and what its unit is.
struct Shape {
    name: &'static str,
    unit: &'static str,
    /// Units at the smallest scale; the others are 2× and 4×.
    base: usize,
    run: fn(usize) -> Outcome,
}

/// What one run measured.
struct Outcome {
    seconds: f64,
    /// What the run produced, to show the input was really read (events, prints, problems).
    produced: String,
}

const SHAPES: &[Shape] = &[
    Shape { name: "tiny prints (ProtoStream, 1 byte each)", unit: "print", base: 1_000_000, run: tiny_prints },
    Shape { name: "one huge print (gen 1 `.session.bytes`)", unit: "MB", base: 25, run: one_huge_print },
    Shape { name: "deeply nested JSON lines (100,000 levels)", unit: "MB", base: 25, run: deep_json },
    Shape { name: "nested JSON within serde's limit (100 levels)", unit: "MB", base: 25, run: nested_json },
    Shape { name: "sessions of one event each", unit: "session", base: 100_000, run: one_event_sessions },
];

/// Runs every shape at 1×, 2× and 4× and prints a markdown table on stdout.
pub fn run() {
    println!("| shape | size | time | per unit | vs 1× | read |");
    println!("|---|---|---|---|---|---|");
    for shape in SHAPES {
        let mut first_per_unit = None;
        for scale in [1, 2, 4] {
            let units = shape.base * scale;
            eprintln!("  {} × {units}", shape.name);
            let outcome = (shape.run)(units);
            let per_unit = outcome.seconds / units as f64;
            let ratio = per_unit / *first_per_unit.get_or_insert(per_unit);
            println!(
                "| {} | {} {}{} | {:.2} s | {} | {ratio:.2} | {} |",
                shape.name,
                thousands(units),
                shape.unit,
                if shape.unit == "MB" { "" } else { "s" },
                outcome.seconds,
                per_unit_text(per_unit, shape.unit),
                outcome.produced
            );
        }
    }
}

fn per_unit_text(seconds: f64, unit: &str) -> String {
    if seconds >= 1e-3 {
        format!("{:.1} ms/{unit}", seconds * 1e3)
    } else {
        format!("{:.0} ns/{unit}", seconds * 1e9)
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

const T0: i64 = 1_709_251_200_000_000_000; // 2024-03-01T00:00:00Z in nanoseconds

fn tiny_prints(prints: usize) -> Outcome {
    let mut s = Session::new("00000000-0000-4000-8000-00000000000a", "mallory");
    s.push(T0, Event::Start { cols: 80, rows: 25 });
    for i in 0..prints {
        // A character, or a newline every 80, so the screen scrolls as real output does.
        let byte = if i % 80 == 79 { b'\n' } else { b'a' + (i % 26) as u8 };
        s.push(T0 + (i as i64 + 1) * 1_000_000, Event::Print(vec![byte]));
    }
    s.push(T0 + (prints as i64 + 2) * 1_000_000, Event::End);
    let (name, bytes) = encode::protostream(&s, &ProtoOptions { events_per_part: 100_000, ..ProtoOptions::default() });
    drop(s);
    replay(&[(name, bytes)])
}

fn one_huge_print(megabytes: usize) -> Outcome {
    let mut output = Vec::with_capacity(megabytes << 20);
    let mut line = 0u64;
    while output.len() < megabytes << 20 {
        line += 1;
        output.extend_from_slice(
            format!("{line:>9} drwxr-xr-x root root 4096 /var/lib/data/{:x}\r\n", line * 2654435761).as_bytes(),
        );
    }
    output.truncate(megabytes << 20);
    let mut s = Session::new("00000000-0000-4000-8000-00000000000b", "mallory");
    s.push(T0, Event::Start { cols: 120, rows: 40 });
    s.push(T0 + 1_000_000_000, Event::Print(output));
    s.push(T0 + 2_000_000_000, Event::End);
    replay(&encode::gen1(&s, Gen1Timing::LoggerRelative))
}

/// Decodes the recording, indexes it, seeks to the middle and the end, and searches it for a
/// word that is not there (a full scan).
fn replay(files: &[(String, Vec<u8>)]) -> Outcome {
    let parts: Vec<Part> = files.iter().map(|(path, bytes)| Part { path, bytes }).collect();
    let started = Instant::now();
    let recording = match review_recording::decode(&parts) {
        Ok(r) => r,
        Err(e) => return Outcome { seconds: started.elapsed().as_secs_f64(), produced: format!("not decoded: {e}") },
    };
    let mut player = Player::new(recording);
    let end = player.duration();
    player.seek(end / 2);
    let _ = player.snapshot();
    player.seek(end);
    let _ = player.snapshot();
    let hits = player.search("zzzz", SearchOptions::default()).map_or(0, |r| r.hits.len());
    let seconds = started.elapsed().as_secs_f64();
    let stats = player.stats();
    Outcome {
        seconds,
        produced: format!(
            "{} prints, {} MB output, {} keyframes, {hits} hits",
            thousands(stats.prints),
            player.recording().output.len() >> 20,
            stats.keyframes
        ),
    }
}

/// Lines of `[` × depth … `]` × depth inside an event, up to `megabytes`.
fn nested_lines(megabytes: usize, depth: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(megabytes << 20);
    let mut i = 0u64;
    while out.len() < megabytes << 20 {
        i += 1;
        out.extend_from_slice(
            format!(r#"{{"event":"user.login","uid":"deep-{i}","time":"2024-03-01T10:00:00Z","user":"u","a":"#)
                .as_bytes(),
        );
        out.extend(std::iter::repeat_n(b'[', depth));
        out.extend(std::iter::repeat_n(b']', depth));
        out.extend_from_slice(b"}\n");
    }
    out
}

fn deep_json(megabytes: usize) -> Outcome {
    audit(&[("deep.log", nested_lines(megabytes, 100_000))])
}

fn nested_json(megabytes: usize) -> Outcome {
    audit(&[("nested.log", nested_lines(megabytes, 100))])
}

fn one_event_sessions(sessions: usize) -> Outcome {
    let mut log = Vec::new();
    for i in 0..sessions {
        let second = i % 86_400;
        log.extend_from_slice(
            format!(
                r#"{{"event":"session.start","code":"T2000I","uid":"u-{i}","time":"2024-03-{:02}T{:02}:{:02}:{:02}Z","sid":"00000000-0000-4000-8000-{i:012}","user":"user{}","login":"root","server_id":"node-{}","addr.remote":"10.{}.{}.{}:4000"}}"#,
                1 + i / 86_400 % 28,
                second / 3600,
                second / 60 % 60,
                second % 60,
                i % 500,
                i % 300,
                i % 200,
                i / 200 % 250,
                i % 250
            )
            .as_bytes(),
        );
        log.push(b'\n');
    }
    audit(&[("sessions.log", log)])
}

/// Ingests the files in 4 MiB slices, then answers the first page of every table and runs the
/// detections, as the worker does after a load.
fn audit(files: &[(&str, Vec<u8>)]) -> Outcome {
    let started = Instant::now();
    let mut ingest = Ingest::new(Options::default());
    for (name, bytes) in files {
        let id = ingest.open(name, bytes.len() as u64);
        for slice in bytes.chunks(4 << 20) {
            ingest.push(id, slice);
        }
        ingest.close(id);
    }
    let mut model: Model = ingest.finish();
    let mut views = Views::default();
    let mut events = 0;
    for table in [Table::Events, Table::Auth, Table::Sessions, Table::Problems] {
        let page = views.page(&mut model, &crate::native::request(table, "", 0));
        if table == Table::Events {
            events = page.unfiltered;
        }
    }
    let sessions = views.page(&mut model, &crate::native::request(Table::Sessions, "", 0)).unfiltered;
    let findings = detect::run(&model, &|id| model.kept_raw(id).map(<[u8]>::to_vec), &Settings::default());
    let seconds = started.elapsed().as_secs_f64();
    let problems = model.problems.len();
    Outcome {
        seconds,
        produced: format!(
            "{} events, {} sessions, {} problems, {} findings",
            thousands(events as usize),
            thousands(sessions as usize),
            thousands(problems),
            findings.len()
        ),
    }
}
