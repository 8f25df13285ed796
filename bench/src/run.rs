//! The order of the run: build figures, then each audit log set (native, jq, browser), then each
//! recording (native, browser), then startup. Every figure lands in the report with the load
//! average of its moment; a measurement that cannot be taken is reported and the run goes on.

use crate::args::Args;
use crate::chrome::Browser;
use crate::data::{self, LogSet};
use crate::machine::load_average;
use crate::queries::{self, Workload};
use crate::report::{Report, Section};
use crate::stats::{count, mb, ms, rate, secs, Spread};
use crate::web::{self, Startup};
use crate::{artifacts, jq, native, server};
use std::time::{Duration, Instant};

/// A 1-minute load average above this marks a figure as taken on a busy machine.
pub const BUSY: f64 = 1.2;

type Error = Box<dyn std::error::Error>;

/// What the sections of a run share.
struct Ctx<'a> {
    args: &'a Args,
    url: Option<String>,
    startups: Vec<Startup>,
    /// Time spent waiting for a quiet machine so far (bounded by --wait-max).
    waited: Duration,
}

impl Ctx<'_> {
    /// With --wait-load: waits until the machine is quiet enough, within the run's budget.
    fn wait_quiet(&mut self) {
        let Some(threshold) = self.args.wait_load else { return };
        let started = Instant::now();
        loop {
            let load = load_average();
            if load < threshold {
                break;
            }
            if self.waited + started.elapsed() >= self.args.wait_max {
                eprintln!("  load average still {load:.2}: the wait budget is spent, measuring anyway");
                break;
            }
            eprintln!("  load average {load:.2} ≥ {threshold}: waiting for a quieter machine");
            std::thread::sleep(Duration::from_secs(30));
        }
        self.waited += started.elapsed();
    }
}

pub async fn all(args: &Args) -> Report {
    let mut r = Report::default();
    if let Err(e) = std::fs::create_dir_all(&args.data) {
        r.failed(Section::Startup, "bench-data directory", &args.data.display().to_string(), &e);
        return r;
    }
    let url = if args.browser {
        match server::serve(args.dist.clone()) {
            Ok(url) if args.dist.join("index.html").exists() => Some(url),
            Ok(_) => {
                r.failed(
                    Section::Startup,
                    "the built app",
                    &args.dist.display().to_string(),
                    &"no index.html: run trunk build",
                );
                None
            }
            Err(e) => {
                r.failed(Section::Startup, "static server", "dist", &e);
                None
            }
        }
    } else {
        None
    };
    let mut cx = Ctx { args, url, startups: Vec::new(), waited: Duration::ZERO };
    sizes(&mut r, args);
    for (label, bytes) in &args.sizes {
        cx.wait_quiet();
        logs(&mut r, &mut cx, label, *bytes).await;
    }
    for (label, bytes) in &args.one_file {
        cx.wait_quiet();
        one_file(&mut r, &mut cx, label, *bytes).await;
    }
    if args.criterion {
        cx.wait_quiet();
        criterion(&mut r, args);
    }
    for (label, prints, hours) in &args.recordings {
        cx.wait_quiet();
        recording(&mut r, &mut cx, label, *prints, *hours).await;
    }
    startup(&mut r, &cx.startups);
    r
}

fn sizes(r: &mut Report, args: &Args) {
    r.begin();
    let dist = args.dist.display().to_string();
    match artifacts::wasm_sizes(&args.dist) {
        Ok(list) if !list.is_empty() => {
            for (name, raw, gz) in list {
                // File hashes change every build: name the file without it.
                let stem = name.trim_end_matches(".wasm").trim_end_matches("_bg");
                let role = stem
                    .rsplit_once('-')
                    .filter(|(_, hash)| hash.len() >= 8 && hash.chars().all(|c| c.is_ascii_hexdigit()))
                    .map_or(stem, |(role, _)| role);
                r.add(
                    Section::Startup,
                    format!("wasm size ({role})"),
                    &dist,
                    format!("{} raw · {} gzip -9", mb(raw), mb(gz)),
                    "≤ 1.5 MB download",
                );
            }
        }
        Ok(_) => r.failed(Section::Startup, "wasm size", &dist, &"no .wasm files: run trunk build"),
        Err(e) => r.failed(Section::Startup, "wasm size", &dist, &e),
    }
}

/// The criterion benches of core/benches/core.rs over the 10 MB set: run, then the ingest
/// figure read back.
fn criterion(r: &mut Report, args: &Args) {
    let what = "core ingest, native, in memory (criterion)";
    eprintln!("== criterion benches of the core (cargo bench -p review-core --bench core)");
    let set = match data::logs(&args.data, "10 MB", 10_000_000) {
        Ok(set) => set,
        Err(e) => return r.failed(Section::Ingest, what, "10 MB", &e),
    };
    let input = args.data.join("logs-10MB");
    r.begin();
    if let Err(e) = artifacts::run_criterion(&args.workspace, &args.target, &input, args.quick) {
        return r.failed(Section::Ingest, what, "10 MB", &e);
    }
    match artifacts::criterion(&args.target, "ingest/in-memory") {
        Some(c) => {
            let s = c.nanos / 1e9;
            let value = match c.bytes {
                Some(bytes) => format!("{} · {} (median)", secs(s), rate(bytes, set.events, s)),
                None => format!("{} per iteration", secs(s)),
            };
            let input = c.bytes.map_or("10 MB".into(), |b| format!("{} in memory", mb(b)));
            r.add(Section::Ingest, what, &input, value, "");
        }
        None => r.failed(Section::Ingest, what, "10 MB", &"no results under target/criterion/ingest/in-memory"),
    }
}

/// One audit log set: native ingest and filters, jq, then the app.
async fn logs(r: &mut Report, cx: &mut Ctx<'_>, label: &str, size: u64) {
    eprintln!("== {label} of audit logs");
    let set = match data::logs(&cx.args.data, label, size) {
        Ok(set) => set,
        Err(e) => {
            r.failed(Section::Ingest, "generate audit logs", label, &e);
            return;
        }
    };
    let input = format!("{label} ({} files)", set.files.len());
    let runs = if size <= 20_000_000 {
        5
    } else if size <= 200_000_000 {
        3
    } else {
        1
    };
    let root = cx.args.data.join(format!("logs-{}", label.replace(' ', "")));
    r.begin();
    let (native_s, events, workload) = match native::ingest(&root, &set.files, runs) {
        Ok(mut ing) => {
            let mut value = format!(
                "{} · {} (median of {})",
                secs(ing.seconds),
                rate(ing.bytes, ing.events, ing.seconds),
                ing.runs
            );
            // The generator's own count: a mismatch means events were lost or invented.
            if ing.events != set.events {
                value.push_str(&format!(" — {} events, the generator wrote {}", ing.events, set.events));
            }
            r.add(Section::Ingest, "core ingest, native, from disk in 4 MiB slices", &input, value, "");
            if let Some(peak) = ing.peak_rss {
                r.add(
                    Section::Memory,
                    "native peak RSS (core model of the whole set)",
                    &input,
                    format!("{} = {:.2}× input", mb(peak), peak as f64 / set.bytes as f64),
                    "",
                );
            }
            let workload = queries::typical(&mut ing.model);
            let filter_input = format!("{label} · {} events", count(ing.events as f64));
            match native::filter_latency(&mut ing.model, &workload.native, 3) {
                Some(spread) => r.add(
                    Section::Filter,
                    format!("filter/sort, native Views::page ({} queries × 3)", workload.native.len()),
                    &filter_input,
                    spread.text(),
                    "p95 ≤ 50 ms at 3 M events",
                ),
                None => r.failed(Section::Filter, "filter/sort, native", &filter_input, &"no samples"),
            }
            (Some(ing.seconds), Some(ing.events), Some(workload))
        }
        Err(e) => {
            r.failed(Section::Ingest, "core ingest, native", &input, &e);
            (None, None, None)
        }
    };
    let jq_s = if cx.args.jq { jq_row(r, cx.args, &set, &input, native_s, events) } else { None };
    if let (Some(url), Some(workload)) = (cx.url.clone(), workload) {
        let refs = Refs { native_s, jq_s };
        if let Err(e) = browser_logs(r, cx, &url, &set, &input, &workload, refs).await {
            r.failed(Section::Ingest, "app in Chromium", &input, &e);
        }
        if cx.args.firefox {
            if let Err(e) = firefox_load(r, cx, &url, &set, &input, refs).await {
                r.failed(Section::Ingest, "app in Firefox", &input, &e);
            }
        }
    }
}

/// A set's plain logs as one file: native ingest, then the app's load (no filters: the events
/// are those of the set).
async fn one_file(r: &mut Report, cx: &mut Ctx<'_>, label: &str, size: u64) {
    eprintln!("== {label} of audit logs, as one file");
    let set = match data::logs(&cx.args.data, label, size).and_then(|set| data::one_file(&cx.args.data, &set)) {
        Ok(set) => set,
        Err(e) => {
            r.failed(Section::Ingest, "join audit logs into one file", label, &e);
            return;
        }
    };
    let input = format!("{} ({} MB)", set.label, set.bytes / 1_000_000);
    let root = set.files[0].parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    r.begin();
    let native_s = match native::ingest(&root, &set.files, 1) {
        Ok(ing) => {
            let value = format!("{} · {}", secs(ing.seconds), rate(ing.bytes, ing.events, ing.seconds));
            r.add(Section::Ingest, "core ingest, native, from disk in 4 MiB slices", &input, value, "");
            Some(ing.seconds)
        }
        Err(e) => {
            r.failed(Section::Ingest, "core ingest, native", &input, &e);
            None
        }
    };
    let Some(url) = cx.url.clone() else { return };
    let timeout = Duration::from_secs(1200);
    let outcome = async {
        let b = Browser::open(&cx.args.chromedriver, &cx.args.chromium).await?;
        let loaded = async {
            web::open_app(&b, &url).await?;
            web::load(&b, &set.files, timeout).await
        }
        .await;
        b.quit().await;
        loaded
    }
    .await;
    match outcome {
        Ok(loaded) => load_rows(r, &set, &input, &loaded, &Refs { native_s, jq_s: None }),
        Err(e) => r.failed(Section::Ingest, "app in Chromium", &input, &e),
    }
}

fn jq_row(
    r: &mut Report,
    args: &Args,
    set: &LogSet,
    input: &str,
    native_s: Option<f64>,
    events: Option<u64>,
) -> Option<f64> {
    let runs = if set.bytes <= 20_000_000 {
        5
    } else if set.bytes <= 200_000_000 {
        3
    } else {
        2
    };
    r.begin();
    match jq::run(&args.data, set, runs) {
        Ok(j) => {
            let mut value = format!(
                "{} · {:.0} MB/s of JSON ({} once the .gz are unpacked)",
                secs(j.seconds),
                j.json_bytes as f64 / 1e6 / j.seconds,
                mb(j.json_bytes)
            );
            if let Some(e) = events {
                value.push_str(&format!(" · {} events/s", count(e as f64 / j.seconds)));
            }
            if let Some(n) = native_s {
                value.push_str(&format!(" · native core {:.1}× faster", j.seconds / n));
            }
            value.push_str(&format!(" (median of {})", j.runs));
            r.add(Section::Ingest, "jq -c . (Debian jq, hyperfine)", input, value, "");
            Some(j.seconds)
        }
        Err(e) => {
            r.failed(Section::Ingest, "jq -c .", input, &e);
            None
        }
    }
}

/// The references the browser's load time is compared with.
#[derive(Clone, Copy)]
struct Refs {
    native_s: Option<f64>,
    jq_s: Option<f64>,
}

async fn browser_logs(
    r: &mut Report,
    cx: &mut Ctx<'_>,
    url: &str,
    set: &LogSet,
    input: &str,
    workload: &Workload,
    refs: Refs,
) -> Result<(), Error> {
    let timeout = load_timeout(set);
    r.begin();
    let b = Browser::open(&cx.args.chromedriver, &cx.args.chromium).await?;
    let outcome = async {
        cx.startups.push(web::open_app(&b, url).await?);
        let loaded = web::load(&b, &set.files, timeout).await?;
        load_rows(r, set, input, &loaded, &refs);
        let times = web::interact(&b, &workload.browser, Duration::from_secs(120)).await?;
        // Which actions set the p95 (the view switches have no time of their own).
        let timed = workload.browser.iter().filter(|a| !matches!(a, web::Action::View(_)));
        let mut ranked: Vec<(f64, &web::Action)> = times.iter().copied().zip(timed).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (ms, action) in ranked.iter().take(8) {
            eprintln!("    {ms:7.1} ms  {action:?}");
        }
        let filter_input = format!("{} · {} events", set.label, count(loaded.events as f64));
        match Spread::of(&times) {
            Some(s) => r.add(
                Section::Filter,
                format!("filter/sort in the app ({} typed queries and header clicks → rows)", times.len()),
                &filter_input,
                s.text(),
                "p95 ≤ 50 ms at 3 M events",
            ),
            None => r.failed(Section::Filter, "filter/sort in the app", &filter_input, &"no answers"),
        }
        Ok::<_, Error>(())
    }
    .await;
    b.quit().await;
    outcome
}

/// How long a load of `set` may take before the bench gives up on it.
fn load_timeout(set: &LogSet) -> Duration {
    Duration::from_secs(if set.bytes > 200_000_000 { 1200 } else { 300 })
}

/// The same load in Firefox: its time and memory, for the reviewers who use it (the targets
/// are measured in Chromium; Firefox has no long-task observer or `performance.memory`).
async fn firefox_load(
    r: &mut Report,
    cx: &mut Ctx<'_>,
    url: &str,
    set: &LogSet,
    input: &str,
    refs: Refs,
) -> Result<(), Error> {
    let timeout = load_timeout(set);
    cx.wait_quiet();
    r.begin();
    let b = Browser::open_firefox(&cx.args.geckodriver, &cx.args.firefox_bin).await?;
    let outcome = async {
        web::open_app(&b, url).await?;
        let l = web::load(&b, &set.files, timeout).await?;
        let version = b.js("return navigator.userAgent.match(/Firefox\\/[0-9.]+/)[0]").await?;
        let version = version.as_str().unwrap_or("Firefox").replace('/', " ");
        r.add(
            Section::Ingest,
            format!("app load in {version} (worker time, __review.loads)"),
            input,
            load_value(set, &l, &refs),
            "",
        );
        r.add(
            Section::Memory,
            format!("peak tab memory in {version}: RSS of the page's content process, every 100 ms"),
            input,
            format!("{} = {:.2}× input", mb(l.memory.peak.tab), l.memory.peak.tab as f64 / set.bytes as f64),
            "",
        );
        Ok::<_, Error>(())
    }
    .await;
    b.quit().await;
    outcome
}

/// A load's time and speed, against the native core and jq.
fn load_value(set: &LogSet, l: &web::Loaded, refs: &Refs) -> String {
    let s = l.millis / 1000.0;
    let mut value = format!("{} · {}", secs(s), rate(l.bytes, l.events, s));
    if let Some(n) = refs.native_s {
        value.push_str(&format!(" · {:.2}× native speed", n / s));
    }
    if let Some(j) = refs.jq_s {
        value.push_str(&format!(" · {:.1}× jq", j / s));
    }
    if l.bytes != set.bytes {
        value.push_str(&format!(" (read {} of {} bytes)", l.bytes, set.bytes));
    }
    value
}

fn load_rows(r: &mut Report, set: &LogSet, input: &str, l: &web::Loaded, refs: &Refs) {
    r.add(
        Section::Ingest,
        "app load in Chromium (worker time, __review.loads)",
        input,
        load_value(set, l, refs),
        "1 GB: ≤ 6 s, ≥ 170 MB/s",
    );
    r.add(
        Section::Memory,
        "peak tab memory: RSS of the page's renderer (with its workers), every 100 ms",
        input,
        format!(
            "{} = {:.2}× input (+{} over the {} before loading; all Chromium processes {}; {} samples)",
            mb(l.memory.peak.tab),
            l.memory.peak.tab as f64 / set.bytes as f64,
            mb(l.memory.peak.tab.saturating_sub(l.memory.tab_before)),
            mb(l.memory.tab_before),
            mb(l.memory.peak.all),
            l.memory.samples
        ),
        "≤ 1.5× input",
    );
    let cpu = &l.memory;
    r.add(
        Section::Ingest,
        "CPU time of all Chromium processes during the load (user + system, /proc)",
        input,
        format!(
            "{:.1} s in {:.1} s = {:.2} cores busy on average",
            cpu.cpu_seconds,
            cpu.wall_seconds,
            cpu.cpu_seconds / cpu.wall_seconds.max(f64::EPSILON)
        ),
        "",
    );
    r.add(
        Section::Memory,
        "performance.memory used JS heap, peak (page main thread only)",
        input,
        l.js_heap_peak.map_or("not available".into(), mb),
        "",
    );
    let tasks = match l.longest_task {
        Some(t) => format!("{} ({} tasks over 50 ms)", ms(t), l.long_tasks),
        None => "none over 50 ms (the long-task observer sees only tasks > 50 ms)".into(),
    };
    r.add(Section::Responsiveness, "longest main-thread task while loading", input, tasks, "≤ 50 ms");
    r.add(
        Section::Responsiveness,
        "SHA-256 of every file shown, after the load ended",
        input,
        l.hashing_after.map_or("not finished in time".into(), ms),
        "",
    );
}

/// One recording: native keyframe seek vs replay from the start, then the app.
async fn recording(r: &mut Report, cx: &mut Ctx<'_>, label: &str, prints: usize, hours: u64) {
    eprintln!("== {label} recording");
    let set = match data::recording(&cx.args.data, label, prints, hours) {
        Ok(set) => set,
        Err(e) => {
            r.failed(Section::Seek, "write recording", label, &e);
            return;
        }
    };
    let mut input = format!("{label} recording");
    r.begin();
    match native::seeks(&set, 200, 20) {
        Ok(s) => {
            input = format!("{label} · {} prints · {} output", count(s.prints as f64), mb(s.output_bytes));
            r.add(
                Section::Seek,
                "native: decode + index (keyframes)",
                &input,
                format!("{} + {}", ms(s.decode_ms), ms(s.indexing_ms)),
                "",
            );
            if let Some(k) = s.keyframe {
                r.add(Section::Seek, "seek, native keyframe seek + snapshot", &input, k.text(), "p95 ≤ 10 ms");
            }
            if let Some(f) = s.from_start {
                r.add(Section::Seek, "seek, native replay from start + snapshot", &input, f.text(), "");
            }
        }
        Err(e) => r.failed(Section::Seek, "seek, native", &input, &e),
    }
    if let Some(url) = cx.url.clone() {
        if let Err(e) = browser_seeks(r, cx, &url, &set, &input).await {
            r.failed(Section::Seek, "seek in the app", &input, &e);
        }
    }
}

async fn browser_seeks(
    r: &mut Report,
    cx: &mut Ctx<'_>,
    url: &str,
    set: &data::RecordingSet,
    input: &str,
) -> Result<(), Error> {
    r.begin();
    let b = Browser::open(&cx.args.chromedriver, &cx.args.chromium).await?;
    let outcome = async {
        cx.startups.push(web::open_app(&b, url).await?);
        web::load(&b, &set.files, Duration::from_secs(300)).await?;
        let opened = web::open_recording(&b, Duration::from_secs(300)).await?;
        r.add(Section::Seek, "open in the app (decode, index, first screen; wall time)", input, ms(opened), "");
        let mut rng = synth::rng::Rng::new(11);
        let fractions: Vec<f64> = (0..200).map(|_| 0.005 + 0.99 * rng.unit()).collect();
        let (times, missed) = web::seeks(&b, &fractions).await?;
        let mut value = Spread::of(&times).map_or("no seek drew".into(), |s| s.text());
        if missed > 0 {
            value.push_str(&format!("; {missed} clicks drew nothing within 10 s"));
        }
        r.add(
            Section::Seek,
            "seek in the app (seek-bar click → screen drawn, __review.seeks)",
            input,
            value,
            "p95 ≤ 10 ms",
        );
        Ok::<_, Error>(())
    }
    .await;
    b.quit().await;
    outcome
}

/// First paint and readiness over every fresh browser session of the run.
fn startup(r: &mut Report, startups: &[Startup]) {
    if startups.is_empty() {
        return;
    }
    let input = format!("fresh profile, local static server, {} page loads", startups.len());
    let loads: Vec<f64> = startups.iter().map(|s| s.load_before).collect();
    r.begin_at(Spread::of(&loads).map_or(f64::NAN, |s| s.p50));
    let pick = |f: fn(&Startup) -> Option<f64>| -> String {
        let v: Vec<f64> = startups.iter().filter_map(f).collect();
        Spread::of(&v).map_or("not reported".into(), |s| format!("p50 {} · max {}", ms(s.p50), ms(s.max)))
    };
    r.add(Section::Startup, "first paint", &input, pick(|s| s.first_paint), "≤ 1 s");
    r.add(Section::Startup, "first contentful paint", &input, pick(|s| s.first_contentful_paint), "≤ 1 s");
    r.add(Section::Startup, "largest contentful paint", &input, pick(|s| s.largest_contentful_paint), "");
    r.add(
        Section::Startup,
        "time to interactive (FCP or end of the last frame > 50 ms, then 1 s quiet)",
        &input,
        pick(|s| s.interactive),
        "",
    );
}
