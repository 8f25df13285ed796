//! What a user does in the app, timed by the page itself (`window.__review`, see
//! src/ui/metrics.rs): open it, load files, type queries and sort, open a recording and seek.

use crate::chrome::{Browser, Result};
use crate::procs::{self, Sampled, Sampler};
use fantoccini::Locator;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Paint and readiness of a fresh page, in ms since navigation started.
#[derive(Clone, Copy, Debug, Default)]
pub struct Startup {
    pub first_paint: Option<f64>,
    pub first_contentful_paint: Option<f64>,
    pub largest_contentful_paint: Option<f64>,
    /// The first contentful paint or the end of the last main-thread frame over 50 ms,
    /// whichever is later, once the main thread has been quiet for a second.
    pub interactive: Option<f64>,
    /// The 1-minute load average before the page was opened.
    pub load_before: f64,
}

/// Waits until the app is drawn and the main thread has had no long animation frame (> 50
/// ms) for a second, then returns the paint entries and when the last long frame ended. Both
/// observers are buffered, so they see what happened before this script ran.
const STARTUP: &str = r#"
const done = arguments[arguments.length - 1];
const frames = [], lcp = [];
new PerformanceObserver(l => frames.push(...l.getEntries().map(e => e.startTime + e.duration)))
  .observe({type: 'long-animation-frame', buffered: true});
new PerformanceObserver(l => lcp.push(...l.getEntries().map(e => e.renderTime || e.startTime)))
  .observe({type: 'largest-contentful-paint', buffered: true});
const ready = () => document.querySelector('.header h1') && document.querySelector('input[type=file]');
(function wait() {
  const now = performance.now(), last = Math.max(0, ...frames);
  if ((ready() && now - last >= 1000) || now > 20000) {
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
    done({fp: paint['first-paint'] ?? null, fcp: paint['first-contentful-paint'] ?? null,
          lcp: lcp.length ? lcp[lcp.length - 1] : null, lastLongFrame: last, ready: !!ready()});
  } else setTimeout(wait, 50);
})();
"#;

pub async fn open_app(b: &Browser, url: &str) -> Result<Startup> {
    let load_before = crate::machine::load_average();
    b.client.goto(url).await?;
    let s = b.js_async(STARTUP, vec![]).await?;
    if s["ready"] != json!(true) {
        return Err("the app did not draw its header and file input within 20 s".into());
    }
    let fcp = s["fcp"].as_f64();
    Ok(Startup {
        first_paint: s["fp"].as_f64(),
        first_contentful_paint: fcp,
        largest_contentful_paint: s["lcp"].as_f64(),
        interactive: fcp.map(|f| f.max(s["lastLongFrame"].as_f64().unwrap_or(0.0))),
        load_before,
    })
}

/// A finished load, as the page and /proc saw it.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The worker's own time for the load (`__review.loads`).
    pub millis: f64,
    pub bytes: u64,
    pub events: u64,
    /// Chromium's memory while loading (sampled every 100 ms).
    pub memory: Sampled,
    /// Peak `performance.memory.usedJSHeapSize` of the page (main thread only).
    pub js_heap_peak: Option<u64>,
    /// Main-thread tasks over 50 ms while loading: the longest, and how many.
    pub longest_task: Option<f64>,
    pub long_tasks: usize,
    /// From the end of the load until every file's SHA-256 was shown.
    pub hashing_after: Option<f64>,
}

const METRICS: &str = "const r = window.__review; return {loads: r.loads.length, tables: r.tables.length, \
    seeks: r.seeks.length, now: performance.now(), \
    heap: performance.memory ? performance.memory.usedJSHeapSize : null};";

/// Chooses `files` in the file input and waits (up to `timeout`) until the load has finished.
pub async fn load(b: &Browser, files: &[PathBuf], timeout: Duration) -> Result<Loaded> {
    let before = b.js(METRICS).await?;
    let loads_before = before["loads"].as_u64().unwrap_or(0);
    let t0 = before["now"].as_f64().unwrap_or(0.0);
    let root = b.driver_pid();
    let sampler = Sampler::start(root);
    let started = Instant::now();
    let mut heap_peak: Option<u64> = None;
    let outcome = async {
        b.upload(files).await?;
        loop {
            let m = b.js(METRICS).await?;
            if let Some(h) = m["heap"].as_u64() {
                heap_peak = Some(heap_peak.unwrap_or(0).max(h));
            }
            if m["loads"].as_u64().unwrap_or(0) > loads_before {
                return Ok::<_, Box<dyn std::error::Error>>(());
            }
            if started.elapsed() > timeout {
                return Err(format!("the load did not finish within {} s", timeout.as_secs()).into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    .await;
    let memory = sampler.finish();
    if std::env::var_os("BENCH_DEBUG").is_some() {
        eprintln!("  processes after the load: {}", procs::describe(root));
    }
    outcome?;
    let last = b.js("const l = window.__review.loads; return l[l.length - 1];").await?;
    let tasks = b
        .js_async(
            "const [t0, done] = arguments; \
             done(window.__review.longTasks.filter(t => t.start + t.duration >= t0).map(t => t.duration));",
            vec![json!(t0)],
        )
        .await?;
    let durations: Vec<f64> =
        tasks.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default();
    let loaded_at = Instant::now();
    let hashing_after = wait_hashed(b, timeout).await?.then(|| loaded_at.elapsed().as_secs_f64() * 1000.0);
    Ok(Loaded {
        millis: last["millis"].as_f64().unwrap_or(f64::NAN),
        bytes: last["bytes"].as_u64().unwrap_or(0),
        events: last["events"].as_u64().unwrap_or(0),
        memory,
        js_heap_peak: heap_peak,
        longest_task: durations.iter().copied().reduce(f64::max),
        long_tasks: durations.len(),
        hashing_after,
    })
}

/// Waits until the overview no longer says "hashing…" or "hashing N files…" (files are hashed
/// after the load, and would skew the query timings that follow). False on timeout.
async fn wait_hashed(b: &Browser, timeout: Duration) -> Result<bool> {
    b.wait_for(".cards", Duration::from_secs(60)).await?;
    let started = Instant::now();
    while started.elapsed() < timeout {
        let busy = b
            .js("return !!document.querySelector('.progress') || /hashing( [0-9\\s]+ files)?…/.test(document.body.innerText)")
            .await?;
        if busy == json!(false) {
            return Ok(true);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Ok(false)
}

/// One thing a reviewer does that makes a table answer again.
#[derive(Clone, Debug)]
pub enum Action {
    /// Types a query into the query box and presses Enter.
    Type(String),
    /// Clicks a column header (by its title) to sort by it.
    Sort(&'static str),
    /// Switches to a view with the left rail.
    View(&'static str),
}

/// Runs `actions`; returns the page's answer time (`__review.tables`) for each Type and Sort.
pub async fn interact(b: &Browser, actions: &[Action], per_answer: Duration) -> Result<Vec<f64>> {
    let mut times = Vec::new();
    for action in actions {
        let n = b.js(METRICS).await?["tables"].as_u64().unwrap_or(0);
        match action {
            Action::View(name) => b.click_text(".rail button", name).await?,
            Action::Sort(title) => b.click_text(".thead button.sort", title).await?,
            Action::Type(text) => {
                let input = b.client.find(Locator::Css("#query")).await?;
                input.clear().await?;
                // U+E007: WebDriver's Enter key.
                input.send_keys(&format!("{text}\u{E007}")).await?;
            }
        }
        let millis = wait_table(b, n, per_answer).await.map_err(|e| format!("{action:?}: {e}"))?;
        if !matches!(action, Action::View(_)) {
            times.push(millis);
        }
    }
    Ok(times)
}

/// Waits for table answer number `n` and returns its time.
async fn wait_table(b: &Browser, n: u64, within: Duration) -> Result<f64> {
    let started = Instant::now();
    loop {
        let v = b.js_async("const [n, done] = arguments; const t = window.__review.tables; done(t.length > n ? t[n].millis : null);", vec![json!(n)]).await?;
        if let Some(ms) = v.as_f64() {
            return Ok(ms);
        }
        if started.elapsed() > within {
            return Err(format!("no table answer within {} s", within.as_secs()).into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Opens the only recording from the Recordings view and waits for its first screen; returns
/// the wall time that took (decoding and indexing in the worker included).
pub async fn open_recording(b: &Browser, within: Duration) -> Result<f64> {
    b.click_text(".rail button", "Recordings").await?;
    let play = b.wait_for(".tbody .play-rec", Duration::from_secs(60)).await?;
    let n = b.js(METRICS).await?["seeks"].as_u64().unwrap_or(0);
    let started = Instant::now();
    play.click().await?;
    b.wait_for(".seekbar", within).await?;
    while b.js(METRICS).await?["seeks"].as_u64().unwrap_or(0) <= n {
        if started.elapsed() > within {
            return Err("the recording never drew its first screen".into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

/// Clicks the seek bar at `fraction` of its width (mousedown + mouseup at the computed x) and
/// returns the page's seek-to-drawn time, or None if nothing was drawn within 10 s.
const SEEK: &str = r#"
const [fraction, done] = arguments;
const bar = document.querySelector('.seekbar');
const r = bar.getBoundingClientRect();
const seeks = window.__review.seeks;
const n = seeks.length;
const at = {clientX: r.left + fraction * r.width, clientY: r.top + r.height / 2, bubbles: true, button: 0};
bar.dispatchEvent(new MouseEvent('mousedown', at));
bar.dispatchEvent(new MouseEvent('mouseup', at));
const t0 = performance.now();
(function wait() {
  if (seeks.length > n) done(seeks[n].millis);
  else if (performance.now() - t0 > 10000) done(null);
  else setTimeout(wait, 1);
})();
"#;

/// Seeks to each of `fractions`; returns the drawn times and how many seeks drew nothing.
pub async fn seeks(b: &Browser, fractions: &[f64]) -> Result<(Vec<f64>, usize)> {
    let mut times = Vec::new();
    let mut missed = 0;
    for &f in fractions {
        match b.js_async(SEEK, vec![json!(f)]).await?.as_f64() {
            Some(ms) => times.push(ms),
            None => missed += 1,
        }
    }
    Ok((times, missed))
}
