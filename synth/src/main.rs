//! `synth`: writes Teleport audit logs — the app's demo data set, or big mixed-version sets for
//! benchmarks.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use synth::bulk::{self, BulkOptions};
use synth::demo;

const HELP: &str = "\
synth — writes Teleport audit logs of every generation (1.3 … 17)

USAGE:
    synth demo <outdir>
        The app's built-in demo data set (deterministic): four Teleport generations of one
        organisation with planted incidents, session recordings of a selection of sessions in
        each generation's format, plus manifest.json listing every file.

    synth logs --size <SIZE> [--seed <N>] [--gz-fraction <F>] [--threads <N>] <outdir>
        Mixed-version audit logs of about SIZE bytes on disk (e.g. 100MB, 1GB, 512MiB) for
        benchmarks. --seed (default 1) fixes the bytes; --gz-fraction (default 0.1) is the
        share of rotated day files gzipped; --threads (default: all cores) changes speed only.
        Prints one summary line: files, bytes, events.

    synth --help
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: {e} (see synth --help)");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        None | Some("--help" | "-h" | "help") => {
            let _ = std::io::stdout().write_all(HELP.as_bytes());
            Ok(())
        }
        Some("demo") => match &args[1..] {
            [out] => demo_cmd(Path::new(out)),
            _ => Err("demo takes one argument: the output directory".into()),
        },
        Some("logs") => logs_cmd(&args[1..]),
        Some(other) => Err(format!("unknown command {other:?}")),
    }
}

fn demo_cmd(out: &Path) -> Result<(), String> {
    let set = demo::build();
    set.write_to(out).map_err(|e| format!("writing {}: {e}", out.display()))?;
    let s = set.stats();
    say(format!(
        "demo: {} files, {} bytes, {} events ({} lines, {} HA copies) in {}",
        s.files,
        s.bytes,
        s.events,
        s.lines,
        s.duplicates(),
        out.display()
    ));
    for p in &set.planted {
        say(format!("  planted {}", p.summary()));
    }
    let recorded: Vec<&synth::OutFile> = set.files.iter().filter(|f| set.is_recording(&f.path)).collect();
    say(format!(
        "  and {} recordings: {} files, {} bytes",
        set.recordings.len(),
        recorded.len(),
        recorded.iter().map(|f| f.bytes.len()).sum::<usize>()
    ));
    for r in &set.recordings {
        say(format!("  recording {}", r.summary()));
    }
    Ok(())
}

/// Prints a line; a closed stdout (`synth … | head`) is not an error.
fn say(line: String) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

fn logs_cmd(args: &[String]) -> Result<(), String> {
    let mut opts = BulkOptions::default();
    let mut size = None;
    let mut out: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--size" => size = Some(bulk::parse_size(&value("--size")?).ok_or("--size: expected e.g. 100MB, 1GB")?),
            "--seed" => opts.seed = value("--seed")?.parse().map_err(|_| "--seed: expected a number")?,
            "--gz-fraction" => {
                let f: f64 = value("--gz-fraction")?.parse().map_err(|_| "--gz-fraction: expected a number")?;
                if !(0.0..=1.0).contains(&f) {
                    return Err("--gz-fraction must be between 0 and 1".into());
                }
                opts.gz_fraction = f;
            }
            "--threads" => opts.threads = value("--threads")?.parse().map_err(|_| "--threads: expected a number")?,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path if out.is_none() => out = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument {extra:?}")),
        }
    }
    opts.size = size.ok_or("logs needs --size")?;
    let out = out.ok_or("logs needs an output directory")?;
    let started = Instant::now();
    let mut sink = |f: synth::OutFile| -> std::io::Result<()> {
        let path = out.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &f.bytes)
    };
    let report = bulk::generate(&opts, &mut sink).map_err(|e| format!("writing {}: {e}", out.display()))?;
    let secs = started.elapsed().as_secs_f64();
    let s = report.stats;
    say(format!(
        "logs: {} files, {} bytes, {} events ({} lines, {} HA copies), {:.1} s, {:.0} MB/s, in {}",
        s.files,
        s.bytes,
        s.events,
        s.lines,
        s.duplicates(),
        secs,
        s.bytes as f64 / 1e6 / secs.max(1e-9),
        out.display()
    ));
    Ok(())
}
