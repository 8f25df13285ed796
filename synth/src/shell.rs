//! A long synthetic shell session, the workload of the seek benchmarks (`review-bench` and
//! replay/benches/seek.rs): coloured prompts, commands typed key by key with typos, command
//! output in bursts, idle gaps, resizes, and top-like programs on the alternate screen.

use crate::rng::Rng;
use review_recording::encode::{Event, Session};

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

/// What happens at a moment (milliseconds from the start, before stretching).
enum Item {
    Print(Vec<u8>),
    Resize(u16, u16),
}

struct Builder {
    rng: Rng,
    items: Vec<(u64, Item)>,
    prints: usize,
    at: u64,
    size: (u16, u16),
}

impl Builder {
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.rng.below(high - low + 1)
    }

    fn word(&mut self) -> &'static str {
        let word: &&'static str = self.rng.pick(WORDS);
        word
    }

    fn print(&mut self, delay: u64, bytes: &[u8]) {
        self.at += delay;
        self.items.push((self.at, Item::Print(bytes.to_vec())));
        self.prints += 1;
    }

    fn prompt(&mut self) {
        let prompt = "\x1b[1;32malice@prod-web-03\x1b[0m:\x1b[1;34m~/srv/app\x1b[0m$ ";
        // Now and then the user is away from the keyboard.
        let delay = if self.rng.below(40) == 0 { self.range(60_000, 600_000) } else { self.range(1_000, 20_000) };
        self.print(delay, prompt.as_bytes());
    }

    fn type_command(&mut self, command: &str) {
        for byte in command.bytes() {
            let delay = self.range(60, 260);
            self.print(delay, &[byte]);
        }
        if self.rng.below(5) == 0 {
            let delay = self.range(60, 200);
            self.print(delay, b"x");
            let delay = self.range(150, 400);
            self.print(delay, b"\x08\x1b[K");
        }
        let delay = self.range(100, 400);
        self.print(delay, b"\r\n");
    }

    fn output_lines(&mut self, lines: usize, line: impl Fn(&mut Self, usize) -> String) {
        let mut chunk = String::new();
        for index in 0..lines {
            chunk.push_str(&line(self, index));
            chunk.push_str("\r\n");
            if chunk.len() > 1000 || self.rng.below(8) == 0 {
                let delay = self.range(1, 40);
                self.print(delay, chunk.as_bytes());
                chunk.clear();
            }
        }
        if !chunk.is_empty() {
            let delay = self.range(1, 40);
            self.print(delay, chunk.as_bytes());
        }
    }

    fn run(&mut self, command: &str) {
        self.type_command(command);
        let lines = self.range(2, 20) as usize;
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
        for redraw in 0..self.range(3, 12) {
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
            let delay = self.range(900, 3000);
            self.print(delay, frame.as_bytes());
        }
        self.print(200, b"\x1b[?25h\x1b[?1049l");
    }

    fn resize(&mut self) {
        self.size = if self.size.0 == 120 { (160, 48) } else { (120, 40) };
        self.items.push((self.at + 1, Item::Resize(self.size.0, self.size.1)));
    }
}

/// A session `sid` of about `prints` prints stretched over `hours`, starting at `start`
/// (nanoseconds since the Unix epoch).
pub fn session(sid: &str, prints: usize, hours: u64, seed: u64, start: i64) -> Session {
    let mut b = Builder { rng: Rng::new(seed), items: Vec::new(), prints: 0, at: 0, size: (120, 40) };
    while b.prints < prints {
        b.prompt();
        let command = *b.rng.pick(COMMANDS);
        b.run(command);
        if b.rng.below(150) == 0 {
            b.resize();
        }
    }
    // Stretch time to the wanted length.
    let last = b.items.last().map_or(1, |(at, _)| (*at).max(1));
    let length_ms = hours * 3_600_000;
    let nanos = |at: u64| start + (u128::from(at) * u128::from(length_ms) / u128::from(last)) as i64 * 1_000_000;
    let mut s = Session::new(sid, "alice");
    s.server_hostname = "prod-web-03".into();
    s.addr_remote = "10.0.3.7:51000".into();
    s.cluster = "prod".into();
    s.push(start, Event::Start { cols: 120, rows: 40 });
    for (at, item) in b.items {
        let event = match item {
            Item::Print(bytes) => Event::Print(bytes),
            Item::Resize(cols, rows) => Event::Resize { cols, rows },
        };
        s.push(nanos(at), event);
    }
    s.push(start + length_ms as i64 * 1_000_000, Event::End);
    s
}
