//! `review-bench`: the figures of issue 3 in one table — the core natively (criterion and timed
//! runs), `jq -c .` as the reference a user would reach for, and the built app in headless
//! Chromium (load, memory, long tasks, filter latency, startup, seek), each with the load
//! average at the time. Benchmarks print figures; they never fail on a slow one. The run
//! fails only when a measurement could not be taken.
//!
//! Run through `scripts/bench [--quick]`, which installs what is missing and builds the app
//! first. Options: see `USAGE`.

mod adversarial;
mod args;
mod artifacts;
mod chrome;
mod data;
mod jq;
mod machine;
mod native;
mod procs;
mod queries;
mod report;
mod run;
mod server;
mod stats;
mod web;

use std::process::ExitCode;

const USAGE: &str = "\
review-bench --adversarial
review-bench [--quick] [--sizes 10MB,100MB,1GB] [--one-file 1GB] [--recordings 2h,20h]
             [--no-browser] [--no-firefox] [--no-jq] [--no-criterion]
             [--wait-load <avg>] [--wait-max <min>] [--data <dir>] [--dist <dir>] [--target <dir>]

  --adversarial   only the hostile shapes (tiny prints, one huge print, deep JSON, one-event
                  sessions) at three sizes each, natively: time per unit must stay flat
  --quick         10 MB and the 2 h recording only, no single file (a smoke run of minutes)
  --sizes         audit log sets to measure (default 10MB,100MB,1GB)
  --one-file      sets whose plain logs are also loaded joined into one file (default 1GB;
                  none with --quick or an empty list)
  --recordings    recordings to seek in (default 2h,20h)
  --no-browser, --no-jq, --no-criterion
                  skip the app in Chromium, jq, or the core's criterion benches
  --no-firefox    skip loading each log set in Firefox too (its figures are not targets)
  --wait-load X   before each log set and recording, wait for a 1-minute load average below X
                  (a shared machine skews every figure)
  --wait-max M    wait at most M minutes in all for that (default 60)
  --data          where inputs are generated and reused (default <workspace>/bench-data)
  --dist          the built app (default <workspace>/dist)
  --target        cargo's target dir, for criterion's results (default <workspace>/target)
  CHROMIUM, CHROMEDRIVER: the browser and its driver (default /usr/bin/chromium, /usr/bin/chromedriver)
  FIREFOX, GECKODRIVER: the other browser and its driver (default /usr/bin/firefox-esr, geckodriver)
";

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::args().any(|a| a == "--help" || a == "-h") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if std::env::args().any(|a| a == "--adversarial") {
        adversarial::run();
        return ExitCode::SUCCESS;
    }
    let args = match args::Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("review-bench: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let report = run::all(&args).await;
    let machine = machine::Machine::probe(&args.chromium);
    report.print(&machine, run::BUSY);
    if report.failures().is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("\nreview-bench: {} measurement(s) could not be taken:", report.failures().len());
        for f in report.failures() {
            eprintln!("  {f}");
        }
        ExitCode::FAILURE
    }
}
