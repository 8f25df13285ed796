//! Seek latency on realistic synthetic recordings: keyframe seek vs replay from the start.
//!
//! Builds a 2-hour recording (~20,000 prints, ~1.7 MB of output) and a 20-hour one (~200,000
//! prints, ~17 MB): a shell session with coloured prompts, typed commands echoed key by key,
//! command output (ls, logs, compiler messages, git), and bursts of full-screen programs (a
//! top-like display on the alternate screen, redrawn several times).
//!
//! Prints a table (indexing time, keyframe count and memory, seek p50/p95/max over random
//! targets for both methods, and per-frame playback cost), then runs criterion on the seek.
//!
//! `cargo bench -p review-replay --bench seek`; `SEEK_BENCH_QUICK=1` skips the 20-hour case,
//! `SEEK_BENCH_NAIVE_TARGETS=N` sets how many targets the slow replay-from-start method gets.

use criterion::Criterion;
use review_recording::{EventKind, Millis, Print, Recording, SessionEvent};
use review_replay::{Player, SearchOptions, DEFAULT_KEYFRAME_INTERVAL};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// xorshift64*: fixed, dependency-free randomness so every run builds the same recordings.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "kube", "deploy", "config", "auth", "proxy", "node", "cluster", "session", "audit", "token", "cert", "role",
    "user", "db", "backup", "nginx", "redis", "postgres", "worker", "api",
];
const COMMANDS: &[&str] = &[
    "ls -la --color=auto",
    "git status",
    "git log --oneline -n 20",
    "tail -n 40 /var/log/syslog",
    "cargo build --release",
    "kubectl get pods -A",
    "ps aux | grep nginx",
    "cat /etc/hosts",
    "df -h",
    "journalctl -u teleport -n 30",
    "sudo systemctl restart nginx",
    "vim /etc/nginx/nginx.conf",
    "top",
];

struct Builder {
    rng: Rng,
    output: Vec<u8>,
    prints: Vec<Print>,
    events: Vec<SessionEvent>,
    at: Millis,
    size: (u16, u16),
}

impl Builder {
    fn print(&mut self, delay: Millis, bytes: &[u8]) {
        self.at += delay;
        self.prints.push(Print { at: self.at, offset: self.output.len(), len: bytes.len() });
        self.output.extend_from_slice(bytes);
    }

    fn word(&mut self) -> &'static str {
        self.rng.pick(WORDS)
    }

    fn prompt(&mut self) {
        let prompt = "\x1b[1;32malice@prod-web-03\x1b[0m:\x1b[1;34m~/srv/app\x1b[0m$ ";
        let delay = if self.rng.below(40) == 0 {
            self.rng.range(60_000, 600_000) // away from the keyboard
        } else {
            self.rng.range(1_000, 20_000)
        };
        self.print(delay, prompt.as_bytes());
    }

    fn type_command(&mut self, command: &str) {
        for byte in command.bytes() {
            let delay = self.rng.range(60, 260);
            self.print(delay, &[byte]);
        }
        if self.rng.below(5) == 0 {
            // A typo corrected with backspace.
            let delay = self.rng.range(60, 200);
            self.print(delay, b"x");
            let delay = self.rng.range(150, 400);
            self.print(delay, b"\x08\x1b[K");
        }
        let delay = self.rng.range(100, 400);
        self.print(delay, b"\r\n");
    }

    fn output_lines(&mut self, lines: usize, line: impl Fn(&mut Self, usize) -> String) {
        let mut chunk = String::new();
        for index in 0..lines {
            chunk.push_str(&line(self, index));
            chunk.push_str("\r\n");
            if chunk.len() > 1000 || self.rng.below(8) == 0 {
                let delay = self.rng.range(1, 40);
                self.print(delay, chunk.as_bytes());
                chunk.clear();
            }
        }
        if !chunk.is_empty() {
            let delay = self.rng.range(1, 40);
            self.print(delay, chunk.as_bytes());
        }
    }

    fn run(&mut self, command: &str) {
        self.type_command(command);
        let lines = self.rng.range(2, 20) as usize;
        match command.split(' ').next().unwrap_or("") {
            "ls" => self.output_lines(lines, |b, i| {
                let (color, name) = match i % 4 {
                    0 => ("\x1b[01;34m", b.word().to_string()),
                    1 => ("\x1b[01;32m", format!("{}.sh", b.word())),
                    2 => ("\x1b[38;5;208m", format!("{}-{}.tar.gz", b.word(), i)),
                    _ => ("\x1b[0m", format!("{}_{}.yaml", b.word(), b.word())),
                };
                format!(
                    "-rw-r--r-- 1 alice staff {:>8} Mar {:>2} 12:{:02} {color}{name}\x1b[0m",
                    b.rng.below(1 << 20),
                    1 + b.rng.below(28),
                    b.rng.below(60)
                )
            }),
            "cargo" => self.output_lines(lines, |b, i| {
                if i % 7 == 6 {
                    format!(
                        "\x1b[1m\x1b[33mwarning\x1b[0m\x1b[1m: unused variable: `{}`\x1b[0m\r\n  \x1b[1m\x1b[38;2;90;160;255m-->\x1b[0m src/{}.rs:{}:9",
                        b.word(),
                        b.word(),
                        b.rng.below(400)
                    )
                } else {
                    format!(
                        "   \x1b[1m\x1b[32mCompiling\x1b[0m {}-{} v0.{}.{}",
                        b.word(),
                        b.word(),
                        b.rng.below(20),
                        b.rng.below(10)
                    )
                }
            }),
            "git" => self.output_lines(lines, |b, _| {
                format!(
                    "\x1b[33m{:07x}\x1b[m fix {} handling in {} {}",
                    b.rng.below(1 << 28),
                    b.word(),
                    b.word(),
                    b.word()
                )
            }),
            "vim" | "top" => self.full_screen(),
            _ => self.output_lines(lines, |b, _| {
                format!(
                    "Mar 14 12:{:02}:{:02} prod-web-03 {}[{}]: {} {} request from 10.0.{}.{} took {} ms",
                    b.rng.below(60),
                    b.rng.below(60),
                    b.word(),
                    b.rng.below(30_000),
                    b.word(),
                    b.word(),
                    b.rng.below(256),
                    b.rng.below(256),
                    b.rng.below(2000)
                )
            }),
        }
    }

    /// A top-like program on the alternate screen, redrawn a few times.
    fn full_screen(&mut self) {
        let (cols, rows) = self.size;
        self.print(30, b"\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J");
        for redraw in 0..self.rng.range(3, 12) {
            let mut frame = String::from("\x1b[H");
            frame.push_str(&format!(
                "\x1b[7mtop - 12:{:02}:{:02} up 41 days, load average: 0.{:02}, 0.{:02}{}\x1b[0m",
                self.rng.below(60),
                self.rng.below(60),
                self.rng.below(100),
                self.rng.below(100),
                " ".repeat(usize::from(cols).saturating_sub(60))
            ));
            for row in 2..rows {
                // The first frame draws everything; later ones only rows that changed.
                if redraw > 0 && self.rng.below(6) != 0 {
                    continue;
                }
                frame.push_str(&format!(
                    "\x1b[{row};1H\x1b[{}m{:>6} alice  20  0 {:>8} {:>6} S {:>4}.{} {:>4}.{} {}\x1b[K\x1b[0m",
                    if row % 5 == 0 { "1;31" } else { "0" },
                    self.rng.below(40_000),
                    self.rng.below(1 << 22),
                    self.rng.below(1 << 16),
                    self.rng.below(100),
                    self.rng.below(10),
                    self.rng.below(100),
                    self.rng.below(10),
                    self.word()
                ));
            }
            let delay = self.rng.range(900, 3000);
            self.print(delay, frame.as_bytes());
        }
        self.print(200, b"\x1b[?25h\x1b[?1049l");
    }

    fn resize(&mut self) {
        self.size = if self.size.0 == 120 { (160, 48) } else { (120, 40) };
        self.events.push(SessionEvent {
            at: self.at + 1,
            kind: EventKind::Resize { cols: self.size.0, rows: self.size.1 },
            event: "resize".into(),
            summary: String::new(),
        });
    }
}

/// A shell session of `prints` prints stretched over `hours`.
fn synthetic(prints: usize, hours: u64, seed: u64) -> Recording {
    let mut builder =
        Builder { rng: Rng(seed), output: Vec::new(), prints: Vec::new(), events: Vec::new(), at: 0, size: (120, 40) };
    while builder.prints.len() < prints {
        builder.prompt();
        let command = builder.rng.pick(COMMANDS);
        builder.run(command);
        if builder.rng.below(150) == 0 {
            builder.resize();
        }
    }
    builder.prints.truncate(prints);
    let end = builder.prints.last().map_or(0, |p| p.offset + p.len);
    builder.output.truncate(end);
    // Stretch or squeeze time to the wanted length.
    let last = builder.prints.last().map_or(1, |p| p.at.max(1));
    let target = hours * 3600 * 1000;
    let scale = |at: Millis| (u128::from(at) * u128::from(target) / u128::from(last)) as Millis;
    for print in &mut builder.prints {
        print.at = scale(print.at);
    }
    for event in &mut builder.events {
        event.at = scale(event.at).min(target);
    }
    Recording {
        generation: 3,
        output: builder.output,
        prints: builder.prints,
        events: builder.events,
        initial_size: Some((120, 40)),
        duration: target,
        ..Recording::default()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

fn ms(duration: Duration) -> String {
    format!("{:.3}", duration.as_secs_f64() * 1000.0)
}

struct Latencies {
    p50: Duration,
    p95: Duration,
    max: Duration,
    count: usize,
}

fn measure(targets: &[Millis], mut seek: impl FnMut(Millis)) -> Latencies {
    let mut times: Vec<Duration> = targets
        .iter()
        .map(|&at| {
            let start = Instant::now();
            seek(at);
            start.elapsed()
        })
        .collect();
    times.sort();
    Latencies {
        p50: percentile(&times, 0.5),
        p95: percentile(&times, 0.95),
        max: times.last().copied().unwrap_or_default(),
        count: times.len(),
    }
}

fn random_targets(count: usize, duration: Millis, seed: u64) -> Vec<Millis> {
    let mut rng = Rng(seed);
    (0..count).map(|_| rng.below(duration + 1)).collect()
}

fn report(name: &str, recording: Arc<Recording>, naive_targets: usize) -> Player {
    let started = Instant::now();
    let mut player = Player::new(recording.clone());
    let indexing = started.elapsed();
    let stats = player.stats();
    let duration = player.duration();
    let targets = random_targets(1000, duration, 7);

    // Seek plus building the snapshot the UI draws: "screen ready".
    let keyframe = measure(&targets, |at| {
        player.seek(at);
        black_box(player.snapshot());
    });
    let naive = measure(&targets[..naive_targets.min(targets.len())], |at| {
        player.replay_from_start(at);
        black_box(player.snapshot());
    });
    // Playback: 60 frames a second at 1x through 2000 consecutive frames from a random start.
    let start = random_targets(1, duration.saturating_sub(40_000), 9)[0];
    player.seek(start);
    let frames: Vec<Millis> = (1..=2000).map(|frame| start + frame * 16).collect();
    let playback = measure(&frames, |at| {
        player.seek(at);
        black_box(player.update());
    });

    let mb = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    println!();
    println!("## {name}");
    println!(
        "output {:.2} MB, {} prints, duration {:.1} h; indexing {} ms",
        mb(recording.output.len()),
        recording.prints.len(),
        duration as f64 / 3_600_000.0,
        ms(indexing)
    );
    println!(
        "keyframes {} (every {} KiB of output), {:.2} MB; scrollback {} rows {:.2} MB; search text {:.2} MB",
        stats.keyframes,
        DEFAULT_KEYFRAME_INTERVAL / 1024,
        mb(stats.keyframe_bytes),
        stats.scrollback_rows,
        mb(stats.scrollback_bytes),
        mb(stats.search_text_bytes)
    );
    println!("| method | targets | p50 ms | p95 ms | max ms |");
    println!("|---|---:|---:|---:|---:|");
    for (method, latencies) in [
        ("keyframe seek + snapshot", &keyframe),
        ("replay from start + snapshot", &naive),
        ("playback frame (seek +16 ms + update)", &playback),
    ] {
        println!(
            "| {method} | {} | {} | {} | {} |",
            latencies.count,
            ms(latencies.p50),
            ms(latencies.p95),
            ms(latencies.max)
        );
    }
    let timed = |what: &str, run: &mut dyn FnMut() -> usize| {
        let started = Instant::now();
        let count = run();
        println!("{what}: {} ms ({count} results)", ms(started.elapsed()));
    };
    let plain = SearchOptions::default();
    let exact = SearchOptions { regex: false, case_sensitive: true };
    let regex = SearchOptions { regex: true, case_sensitive: true };
    let count = |found: Result<review_replay::SearchResults, String>| found.map_or(0, |results| results.hits.len());
    timed("search \"nginx\" (case-sensitive)", &mut || count(player.search("nginx", exact)));
    timed("search \"NGINX\" (any case, first: builds the folded copy)", &mut || count(player.search("NGINX", plain)));
    timed("search \"NGINX\" (any case, again)", &mut || count(player.search("NGINX", plain)));
    timed("search regex `from 10\\.0\\.1\\d\\.\\d+ took 19\\d\\d`", &mut || {
        count(player.search(r"from 10\.0\.1\d\.\d+ took 19\d\d", regex))
    });
    timed("transcript", &mut || player.transcript().len());
    player
}

fn main() {
    let quick = std::env::var_os("SEEK_BENCH_QUICK").is_some();
    let naive_targets: usize =
        std::env::var("SEEK_BENCH_NAIVE_TARGETS").ok().and_then(|n| n.parse().ok()).unwrap_or(1000);

    let two_hours = Arc::new(synthetic(20_000, 2, 0x5eed_0002));
    let mut short = report("2 h recording", two_hours, naive_targets);
    let mut long = (!quick).then(|| {
        let twenty_hours = Arc::new(synthetic(200_000, 20, 0x5eed_0020));
        report("20 h recording", twenty_hours, naive_targets)
    });
    println!();

    let mut criterion =
        Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3)).configure_from_args();
    let mut rng = Rng(11);
    let duration = short.duration();
    criterion.bench_function("seek 2h random + snapshot", |b| {
        b.iter(|| {
            short.seek(rng.below(duration));
            black_box(short.snapshot())
        })
    });
    if let Some(long) = long.as_mut() {
        let duration = long.duration();
        criterion.bench_function("seek 20h random + snapshot", |b| {
            b.iter(|| {
                long.seek(rng.below(duration));
                black_box(long.snapshot())
            })
        });
    }
    criterion.final_summary();
}
