//! A terminal being written to over time: a clock, the size the log says it had, and the prints
//! so far. Everything a recording shows goes through here, so timing stays in one place.

use crate::rng::Rng;
use crate::timefmt::{Nanos, MILLI};

/// The Backspace key in text given to [`Tty::type_text`].
pub const BACKSPACE: char = '\x7f';

/// Most a PTY read hands over at once: longer output arrives as several prints.
const READ_SIZE: usize = 4096;

pub struct Tty {
    /// When the next print happens.
    pub now: Nanos,
    pub rng: Rng,
    prints: Vec<(Nanos, Vec<u8>)>,
    /// Size at the start, then every logged resize (time, cols, rows), in time order.
    sizes: Vec<(Nanos, u16, u16)>,
}

impl Tty {
    pub fn new(start: Nanos, size: (u16, u16), resizes: Vec<(Nanos, u16, u16)>, rng: Rng) -> Self {
        let mut sizes = vec![(start, size.0, size.1)];
        sizes.extend(resizes);
        Tty { now: start, rng, prints: Vec::new(), sizes }
    }

    /// Columns and rows now, as the session's resizes left them.
    pub fn size(&self) -> (u16, u16) {
        self.size_at(self.now)
    }

    pub fn size_at(&self, t: Nanos) -> (u16, u16) {
        let (_, cols, rows) = self.sizes.iter().take_while(|s| s.0 <= t).last().copied().unwrap_or(self.sizes[0]);
        (cols, rows)
    }

    /// The next resize after `t`, if any.
    pub fn resize_after(&self, t: Nanos) -> Option<Nanos> {
        self.sizes.iter().skip(1).map(|s| s.0).find(|&at| at > t)
    }

    /// Prints `bytes` now, as one write.
    pub fn out(&mut self, bytes: impl AsRef<[u8]>) {
        let bytes = bytes.as_ref();
        if !bytes.is_empty() {
            self.prints.push((self.now, bytes.to_vec()));
        }
    }

    /// Prints a lot of output as a program writes it: PTY-sized reads a few milliseconds apart,
    /// cut after a line where one ends near the limit.
    pub fn out_stream(&mut self, bytes: impl AsRef<[u8]>) {
        let mut rest = bytes.as_ref();
        while !rest.is_empty() {
            let mut take = rest.len().min(READ_SIZE);
            if take < rest.len() {
                if let Some(nl) = rest[..take].iter().rposition(|&b| b == b'\n') {
                    take = nl + 1;
                }
            }
            self.out(&rest[..take]);
            rest = &rest[take..];
            if !rest.is_empty() {
                self.pause(1, 6);
            }
        }
    }

    /// Lets between `lo` and `hi` milliseconds pass.
    pub fn pause(&mut self, lo: i64, hi: i64) {
        self.now += self.rng.range(lo, hi + 1) * MILLI;
    }

    pub fn wait(&mut self, d: Nanos) {
        self.now += d;
    }

    /// Waits until `t` (never goes back).
    pub fn wait_until(&mut self, t: Nanos) {
        self.now = self.now.max(t);
    }

    /// Keystrokes echoed one by one, 80–200 ms apart, a little longer after a word. `\x7f`
    /// is Backspace, which readline echoes as "back one, erase to the end of the line".
    pub fn type_text(&mut self, text: &str) {
        let delays = self.keystroke_delays(text);
        self.type_with(text, &delays);
    }

    /// The time before each key.
    pub fn keystroke_delays(&mut self, text: &str) -> Vec<Nanos> {
        text.chars()
            .map(|c| {
                let (lo, hi) = if c == ' ' { (120, 380) } else { (80, 200) };
                self.rng.range(lo, hi + 1) * MILLI
            })
            .collect()
    }

    /// Types `text` with the given time before each key.
    pub fn type_with(&mut self, text: &str, delays: &[Nanos]) {
        for (c, delay) in text.chars().zip(delays) {
            self.wait(*delay);
            if c == BACKSPACE {
                self.out("\x08\x1b[K");
            } else {
                let mut buf = [0; 4];
                self.out(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }

    /// The prints so far, in time order.
    pub fn into_prints(self) -> Vec<(Nanos, Vec<u8>)> {
        self.prints
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_resizes_and_long_output_is_split() {
        let mut t = Tty::new(0, (80, 24), vec![(10, 120, 40)], Rng::new(1));
        assert_eq!(t.size_at(9), (80, 24));
        assert_eq!(t.size_at(10), (120, 40));
        assert_eq!(t.resize_after(0), Some(10));
        t.out_stream(vec![b'x'; 10_000]);
        t.type_text("ab");
        let prints = t.into_prints();
        assert_eq!(prints.len(), 5);
        assert_eq!(prints.iter().map(|p| p.1.len()).take(3).sum::<usize>(), 10_000);
        assert!(prints.windows(2).all(|w| w[0].0 <= w[1].0));
    }
}
