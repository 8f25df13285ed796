//! Chromium's memory and CPU time, read from /proc: the processes under our ChromeDriver (never
//! anyone else's Chromium), sampled every 100 ms while a load runs. Web workers are threads of
//! the renderer process that runs the page, so the renderers' RSS is the tab's memory.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Resident memory of the process tree: the app's renderer and everything together.
#[derive(Clone, Copy, Debug, Default)]
pub struct Usage {
    /// The renderer process running the page (its web workers are threads in it).
    pub tab: u64,
    /// Every process under ChromeDriver (browser, GPU, utilities, every renderer).
    pub all: u64,
}

/// Parent of every process, from /proc/<pid>/stat.
fn parents() -> HashMap<u32, u32> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else { return out };
    for entry in dir.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // The command name is in parentheses and may hold spaces: the fields after it count.
        let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..]) else { continue };
        if let Some(ppid) = after.split_whitespace().nth(1).and_then(|s| s.parse().ok()) {
            out.insert(pid, ppid);
        }
    }
    out
}

fn descendants(root: u32) -> Vec<u32> {
    let parents = parents();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let p = found[i];
        found.extend(parents.iter().filter(|(_, &pp)| pp == p).map(|(&c, _)| c));
        i += 1;
    }
    found.remove(0);
    found
}

fn rss(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmRSS:"))?.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// CPU time (user and system) the process has used so far, in clock ticks (100 a second on
/// Linux, whatever the kernel's own tick).
fn cpu_ticks(pid: u32) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return 0 };
    let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..]) else { return 0 };
    // utime and stime: fields 14 and 15 of the line, 12th and 13th after the command name.
    after.split_whitespace().skip(11).take(2).filter_map(|f| f.parse::<u64>().ok()).sum()
}

/// CPU ticks of every process under `root`, by pid.
fn cpu_of(root: u32) -> HashMap<u32, u64> {
    descendants(root).into_iter().map(|pid| (pid, cpu_ticks(pid))).collect()
}

fn is_renderer(pid: u32) -> bool {
    // Zygote-forked processes rewrite their title: the arguments may be one space-separated
    // string rather than NUL-separated words.
    // Firefox's web content processes say -isForBrowser.
    let has = |c: &[u8], word: &[u8]| c.windows(word.len()).any(|w| w == word);
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|c| has(&c, b"--type=renderer") || has(&c, b"-isForBrowser"))
        .unwrap_or(false)
}

/// RSS of every process under `root` now, and whether it is a renderer.
fn snapshot(root: u32) -> Vec<(u32, u64, bool)> {
    descendants(root).into_iter().map(|pid| (pid, rss(pid), is_renderer(pid))).collect()
}

/// Chromium also keeps renderers that are not the page's (the first blank tab, a spare for
/// the next navigation): the page's renderer is the one that grows most during the load.
#[derive(Default)]
struct Peaks {
    /// pid → (first RSS seen, highest RSS seen), renderers only.
    renderers: HashMap<u32, (u64, u64)>,
    all: u64,
}

impl Peaks {
    fn add(&mut self, snapshot: &[(u32, u64, bool)]) {
        self.all = self.all.max(snapshot.iter().map(|p| p.1).sum());
        for &(pid, rss, _) in snapshot.iter().filter(|p| p.2) {
            let entry = self.renderers.entry(pid).or_insert((rss, rss));
            entry.1 = entry.1.max(rss);
        }
    }

    /// (peak, first) of the renderer that grew most.
    fn tab(&self) -> (u64, u64) {
        self.renderers
            .values()
            .max_by_key(|(first, peak)| peak.saturating_sub(*first))
            .map_or((0, 0), |&(first, peak)| (peak, first))
    }
}

/// One line per process under `root` (type and RSS), for checking what is summed.
pub fn describe(root: u32) -> String {
    descendants(root)
        .into_iter()
        .map(|pid| {
            let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            let kind = cmd.split_whitespace().find_map(|a| a.strip_prefix("--type=")).unwrap_or("browser/driver");
            format!("{pid} {kind} {} MB", rss(pid) / 1_000_000)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Samples the tree every 100 ms on a thread until stopped; keeps the peaks.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<(Peaks, usize)>,
    root: u32,
    cpu_before: HashMap<u32, u64>,
    started: std::time::Instant,
}

/// What a sampled load used: peaks, and the page's renderer before the load.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sampled {
    pub peak: Usage,
    pub tab_before: u64,
    pub samples: usize,
    /// CPU time every Chromium process used meanwhile, in seconds (of all cores together): a
    /// load that takes about cores × its time is bound by CPU, not by waiting.
    pub cpu_seconds: f64,
    /// From the start of sampling to its end.
    pub wall_seconds: f64,
}

impl Sampler {
    pub fn start(root: u32) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let cpu_before = cpu_of(root);
        // The first sample is taken now, before the load begins: the "before" figure.
        let mut peaks = Peaks::default();
        peaks.add(&snapshot(root));
        let thread = std::thread::spawn(move || {
            let mut samples = 1;
            // The process list is re-read each time: renderers come and go.
            while !flag.load(Ordering::Relaxed) {
                peaks.add(&snapshot(root));
                samples += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            (peaks, samples)
        });
        Sampler { stop, thread, root, cpu_before, started: std::time::Instant::now() }
    }

    pub fn finish(self) -> Sampled {
        self.stop.store(true, Ordering::Relaxed);
        // Processes that ended meanwhile are not counted: Chromium keeps its processes for a load.
        let used: u64 = cpu_of(self.root)
            .into_iter()
            .map(|(pid, now)| now.saturating_sub(self.cpu_before.get(&pid).copied().unwrap_or(0)))
            .sum();
        let (peaks, samples) = self.thread.join().unwrap_or_default();
        let (tab, tab_before) = peaks.tab();
        let (cpu_seconds, wall_seconds) = (used as f64 / 100.0, self.started.elapsed().as_secs_f64());
        Sampled { peak: Usage { tab, all: peaks.all }, tab_before, samples, cpu_seconds, wall_seconds }
    }
}
