//! Programs that take over the terminal: `htop` (alternate screen, a frame every 1.5 s,
//! redrawn at the new size after a resize), `vim` editing a file, and `wget`'s progress bar,
//! redrawn in place with `\r`. The escape sequences are those ncurses, vim and wget emit.

use super::logs;
use super::programs::{crlf, TOP_PROCESSES};
use super::tty::Tty;
use crate::timefmt::{Nanos, MILLI, SECOND};

const ENTER_ALT: &str = "\x1b[?1049h\x1b[22;0;0t";
const LEAVE_ALT: &str = "\x1b[?1049l\x1b[23;0;0t";

/// `htop` from now until `quit` (the user presses `q`), following the terminal's size.
pub fn htop(tty: &mut Tty, quit: Nanos) {
    let (_, rows) = tty.size();
    tty.pause(40, 120);
    tty.out(format!(
        "{ENTER_ALT}\x1b[1;{rows}r\x1b(B\x1b[m\x1b[4l\x1b[?7h\x1b[?1h\x1b=\x1b[?25l\x1b[39;49m\x1b[?1000h\x1b[?1002h\x1b[?1006h"
    ));
    let mut drawn_size = None;
    let mut frame = 0u32;
    while tty.now < quit {
        let size = tty.size();
        let full = drawn_size != Some(size);
        let screen = htop_frame(tty, size, full, frame);
        tty.out(screen);
        drawn_size = Some(size);
        frame += 1;
        let next = tty.now + 1_500 * MILLI;
        // SIGWINCH: htop redraws at once rather than at its next tick.
        match tty.resize_after(tty.now) {
            Some(at) if at < next && at < quit => {
                let react = tty.rng.range(4, 25) * MILLI;
                tty.wait_until(at + react);
            }
            _ => tty.wait_until(next.min(quit)),
        }
    }
    let (_, rows) = tty.size();
    tty.out(format!(
        "\x1b[?1000l\x1b[?1002l\x1b[?1006l\x1b[39;49m\r\x1b[K\x1b[{rows};1H\x1b[?1049l\x1b[23;0;0t\r\x1b[?1l\x1b>\x1b[?25h"
    ));
}

/// One screen of htop: meters, the process table, the function-key bar.
fn htop_frame(tty: &mut Tty, (cols, rows): (u16, u16), full: bool, frame: u32) -> String {
    let cols = usize::from(cols);
    let mut out = String::new();
    if full {
        out.push_str("\x1b[H\x1b[2J");
    }
    // The screen's lines from the top; each is drawn at its row and cleared to its end.
    let mut lines: Vec<String> = Vec::new();
    let bar_width = cols.saturating_sub(14).max(10);
    for cpu in 0..4 {
        let user = tty.rng.range(2, 60) as usize;
        let system = tty.rng.range(0, 12) as usize;
        let pct = (user + system).min(100);
        let (u, s) = (user * bar_width / 100, system * bar_width / 100);
        let label = format!("{pct:>4}.{}%", tty.rng.below(10));
        let free = bar_width.saturating_sub(u + s + label.len());
        lines.push(format!(
            "\x1b[36m{:>3}\x1b[1;39m[\x1b[32m{}\x1b[31m{}\x1b[m{}\x1b[90m{label}\x1b[1;39m]\x1b[m",
            cpu,
            "|".repeat(u),
            "|".repeat(s),
            " ".repeat(free)
        ));
    }
    let used = 3_000 + tty.rng.range(0, 300);
    let mem_bars = used as usize * bar_width / 7_936;
    let mem_label = format!("{:.2}G/7.75G", used as f64 / 1024.0);
    lines.push(format!(
        "\x1b[36mMem\x1b[1;39m[\x1b[32m{}\x1b[34m{}\x1b[m{}\x1b[90m{mem_label}\x1b[1;39m]\x1b[m",
        "|".repeat(mem_bars * 2 / 3),
        "|".repeat(mem_bars / 3),
        " ".repeat(bar_width.saturating_sub(mem_bars * 2 / 3 + mem_bars / 3 + mem_label.len()))
    ));
    lines.push(format!(
        "\x1b[36mSwp\x1b[1;39m[\x1b[m{}\x1b[90m0K/0K\x1b[1;39m]\x1b[m",
        " ".repeat(bar_width.saturating_sub(5))
    ));
    lines.push(format!(
        "\x1b[36m  Tasks: \x1b[1;36m87\x1b[;36m, \x1b[1;32m312\x1b[;36m thr; \x1b[1;32m{}\x1b[;36m running\x1b[m",
        1 + frame % 3
    ));
    lines.push(format!("\x1b[36m  Load average: \x1b[1;39m0.{:02} \x1b[;36m0.38 0.40\x1b[m", tty.rng.below(100)));
    lines.push(format!(
        "\x1b[36m  Uptime: \x1b[1;39m41 days, 03:{:02}:{:02}\x1b[m",
        12 + frame / 40,
        frame * 3 / 2 % 60
    ));
    lines.push(String::new());
    let header = "    PID USER       PRI  NI  VIRT   RES   SHR S  CPU% MEM%   TIME+  Command";
    lines.push(format!("\x1b[30;42m{}\x1b[m", fit(header, cols)));
    let table_rows = usize::from(rows).saturating_sub(lines.len() + 1);
    for i in 0..table_rows.min(60) {
        let (pid, user, command) = process(i);
        // Sizes stay put between frames; CPU moves, and CPU time only grows.
        let seed = u64::from(pid).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40;
        let cpu = if i < 6 { tty.rng.below(250) as f64 / 10.0 } else { tty.rng.below(8) as f64 / 10.0 };
        let minutes = seed % 300 + u64::from(frame) / 40;
        let row = format!(
            "{pid:>7} {user:<9}   20   0 {:>5}M {:>4}M {:>4}M {} {cpu:>5.1} {:>4.1} {:>3}:{:02}.{:02} {command}",
            seed % 2_400 + 10,
            seed % 900 + 4,
            seed % 60 + 2,
            if i == 0 { 'R' } else { 'S' },
            (seed % 120) as f64 / 10.0,
            minutes,
            (seed / 7 + u64::from(frame) * 3 / 2) % 60,
            (seed / 3 + u64::from(frame) * 37) % 100
        );
        let row = fit(&row, cols);
        lines.push(if i == 0 { format!("\x1b[30;46m{row}\x1b[m") } else { row });
    }
    for (row, line) in lines.iter().enumerate() {
        out.push_str(&format!("\x1b[{};1H{line}\x1b[K", row + 1));
    }
    let keys = ["Help", "Setup", "Search", "Filter", "Tree", "SortBy", "Nice -", "Nice +", "Kill", "Quit"];
    let bar: String =
        keys.iter().enumerate().map(|(i, k)| format!("\x1b[mF{}\x1b[30;46m{k:<6}", i + 1)).collect::<Vec<_>>().concat();
    out.push_str(&format!("\x1b[{rows};1H{bar}\x1b[m\x1b[K"));
    out
}

/// The `i`-th process of the list: the busy ones, then kernel threads.
fn process(i: usize) -> (u32, &'static str, String) {
    match TOP_PROCESSES.get(i) {
        Some((pid, user, command)) => (*pid, user, (*command).to_owned()),
        None => {
            let n = i - TOP_PROCESSES.len();
            (4_000 + n as u32 * 37, "root", format!("kworker/{}:{}-events", n % 4, n / 4))
        }
    }
}

/// Cut or pad a plain (escape-free) line to exactly `cols` columns.
fn fit(text: &str, cols: usize) -> String {
    let mut s: String = text.chars().take(cols).collect();
    let width = s.chars().count();
    s.push_str(&" ".repeat(cols - width));
    s
}

/// A file vim edits: its lines, the word to change and what to put instead.
pub struct Edit<'a> {
    pub name: &'a str,
    pub lines: &'a [&'a str],
    pub search: &'a str,
    pub replace: &'a str,
}

/// vim opens the file, the user searches, changes a word (`ciw`), and saves with `:wq`.
pub fn vim(tty: &mut Tty, edit: &Edit<'_>) {
    let (cols, rows) = tty.size();
    let bytes: usize = edit.lines.iter().map(|l| l.len() + 1).sum();
    tty.pause(60, 180);
    let mut screen = format!("{ENTER_ALT}\x1b[>4;2m\x1b[?1h\x1b=\x1b[H\x1b[2J\x1b[?25l");
    for r in 1..rows {
        screen.push_str(&format!("\x1b[{r};1H"));
        match edit.lines.get(usize::from(r) - 1) {
            Some(line) => screen.push_str(&yaml_colour(line)),
            None => screen.push_str("\x1b[94m~\x1b[0m"),
        }
    }
    let status = format!("\"{}\" {}L, {bytes}B", edit.name, edit.lines.len());
    screen.push_str(&format!("\x1b[{rows};1H{status}\x1b[{rows};{}H1,1           All\x1b[1;1H\x1b[?25h", cols - 18));
    tty.out(screen);

    // `/word` Return: the command line echoes, the cursor lands on the match.
    tty.pause(900, 2_000);
    tty.out(format!("\x1b[{rows};1H\x1b[K/"));
    tty.type_text(edit.search);
    let (row, line) =
        edit.lines.iter().enumerate().find(|(_, l)| l.contains(edit.search)).map_or((0, ""), |(i, l)| (i, *l));
    let col = line.find(edit.search).unwrap_or(0);
    let (r, c) = (row + 1, col + 1);
    tty.pause(150, 400);
    tty.out(format!(
        "\x1b[?25l\x1b[{rows};1H\x1b[K/{}\x1b[{rows};{}H{r},{c}           All\x1b[{r};{c}H\x1b[?25h",
        edit.search,
        cols - 18
    ));
    // `w` to the value, `ciw`: the word goes, INSERT shows.
    let value_col = line.find(": ").map_or(c, |i| i + 3);
    tty.pause(400, 900);
    tty.out(format!("\x1b[{r};{value_col}H"));
    tty.pause(300, 700);
    tty.out(format!(
        "\x1b[?25l\x1b[{r};{value_col}H\x1b[K\x1b[{rows};1H\x1b[1m-- INSERT --\x1b[0m\x1b[{r};{value_col}H\x1b[?25h"
    ));
    tty.type_text(edit.replace);
    // Escape, then `:wq`.
    tty.pause(500, 1_100);
    tty.out(format!("\x1b[{rows};1H\x1b[K\x1b[{r};{}H", value_col + edit.replace.len() - 1));
    tty.pause(500, 1_000);
    tty.out(format!("\x1b[{rows};1H\x1b[K:"));
    tty.type_text("wq");
    tty.pause(80, 200);
    let written = bytes + edit.replace.len() - value_word(line).len();
    tty.out(format!("\r\x1b[?25l\"{}\" {}L, {written}B written\x1b[?25h", edit.name, edit.lines.len()));
    tty.pause(10, 40);
    tty.out(format!("\x1b[{rows};1H\x1b[K\x1b[?1l\x1b>\x1b[>4;m{LEAVE_ALT}"));
}

/// The value after `key: `.
fn value_word(line: &str) -> &str {
    line.split_once(": ").map_or("", |(_, v)| v)
}

/// vim's YAML colours: comments blue, keys yellow, numbers magenta.
fn yaml_colour(line: &str) -> String {
    if line.trim_start().starts_with('#') {
        return format!("\x1b[94m{line}\x1b[0m");
    }
    match line.split_once(':') {
        Some((key, value)) => {
            let value =
                if value.trim().parse::<f64>().is_ok() { format!("\x1b[95m{value}\x1b[0m") } else { value.to_owned() };
            format!("\x1b[93m{key}\x1b[0m:{value}")
        }
        None => line.to_owned(),
    }
}

/// `wget URL`: the request, then a progress bar redrawn with `\r` about five times a second.
pub fn wget(tty: &mut Tty, url: &str, size: u64) {
    let file = url.rsplit('/').next().unwrap_or(url);
    let host = url.split('/').nth(2).unwrap_or("");
    let start = tty.now;
    let head = format!(
        "--{}--  {url}\nResolving {host} ({host})... 140.82.121.3\nConnecting to {host} ({host})|140.82.121.3|:443... connected.\n\
         HTTP request sent, awaiting response... 200 OK\nLength: {size} ({}M) [application/octet-stream]\nSaving to: ‘{file}’\n\n",
        logs::plain_time(start),
        size >> 20
    );
    tty.pause(20, 60);
    tty.out(crlf(&head));
    let (cols, _) = tty.size();
    let bar = (usize::from(cols).saturating_sub(file.len().min(30) + 42)).clamp(10, 60);
    let mut got = 0u64;
    let mut elapsed = 0i64;
    while got < size {
        tty.pause(180, 230);
        elapsed += 200;
        got = (got + size / 28 + tty.rng.below(size / 40)).min(size);
        let pct = got * 100 / size;
        let filled = bar * pct as usize / 100;
        let arrow = if filled < bar { ">" } else { "=" };
        let rate = got as f64 / 1_048_576.0 / (elapsed as f64 / 1000.0);
        let tail = if got < size {
            format!("{:.2}MB/s    eta {}s  ", rate, ((size - got) as f64 / 1_048_576.0 / rate) as u64 + 1)
        } else {
            format!("{rate:.2}MB/s    in {:.1}s  ", elapsed as f64 / 1000.0)
        };
        tty.out(format!(
            "\r{:<30} {pct:>3}%[{}{arrow}{}] {:>6.2}M  {tail}",
            &file[..file.len().min(30)],
            "=".repeat(filled.saturating_sub(1)),
            " ".repeat(bar - filled.max(1)),
            got as f64 / 1_048_576.0
        ));
    }
    let rate = size as f64 / 1_048_576.0 / (elapsed as f64 / 1000.0);
    tty.pause(2, 10);
    tty.out(crlf(&format!(
        "\n\n{} ({rate:.2} MB/s) - ‘{file}’ saved [{size}/{size}]\n\n",
        logs::plain_time(start + elapsed * MILLI + SECOND)
    )));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn text(tty: Tty) -> String {
        String::from_utf8(tty.into_prints().into_iter().flat_map(|p| p.1).collect()).unwrap()
    }

    #[test]
    fn htop_uses_the_alternate_screen_and_redraws_after_a_resize() {
        let mut tty = Tty::new(0, (100, 30), vec![(5 * SECOND, 140, 45)], Rng::new(1));
        htop(&mut tty, 9 * SECOND);
        let out = text(tty);
        assert!(out.starts_with("\x1b[?1049h"));
        assert!(out.ends_with("\x1b[?25h"));
        assert_eq!(out.matches("\x1b[H\x1b[2J").count(), 2, "drawn at 100×30, then again at 140×45");
        assert!(out.contains("\x1b[45;1H"), "the function-key bar moves to the new last row");
    }

    #[test]
    fn wget_redraws_its_bar_in_place() {
        let mut tty = Tty::new(0, (80, 24), Vec::new(), Rng::new(1));
        wget(&mut tty, "https://example.org/f.tar.gz", 20 << 20);
        let out = text(tty);
        assert!(out.matches("\r f.tar.gz").count() == 0);
        assert!(out.matches("\rf.tar.gz").count() > 10);
        assert!(out.contains("100%[") && out.contains("saved [20971520/20971520]"));
    }
}
