//! Sliding time windows over sorted event times, in one pass: the building block of the
//! "N things within M minutes" rules. Overlapping (or close) qualifying windows merge into one
//! burst, so a long attack is one finding, not thousands.

use crate::time::Nanos;
use std::ops::Range;

/// Merges qualifying windows `[j, i]` (indexes into sorted `times`) into bursts.
pub(super) struct Merger<'t> {
    times: &'t [Nanos],
    window: Nanos,
    cur: Option<(usize, usize)>,
    out: Vec<Range<usize>>,
}

impl<'t> Merger<'t> {
    pub fn new(times: &'t [Nanos], window: Nanos) -> Self {
        Merger { times, window, cur: None, out: Vec::new() }
    }

    /// The window `[j, i]` qualifies. Calls come with non-decreasing `i`.
    pub fn hit(&mut self, j: usize, i: usize) {
        match self.cur {
            // Sharing events, or closer than one window to the previous burst: the same burst.
            Some((s, e)) if j <= e || self.times[j] - self.times[e] <= self.window => self.cur = Some((s, i)),
            Some((s, e)) => {
                self.out.push(s..e + 1);
                self.cur = Some((j, i));
            }
            None => self.cur = Some((j, i)),
        }
    }

    pub fn finish(mut self) -> Vec<Range<usize>> {
        if let Some((s, e)) = self.cur {
            self.out.push(s..e + 1);
        }
        self.out
    }
}

/// Bursts of at least `n` times within `window`. Returns index ranges and the work done.
pub(super) fn bursts(times: &[Nanos], n: usize, window: Nanos) -> (Vec<Range<usize>>, usize) {
    let n = n.max(1);
    let mut merger = Merger::new(times, window);
    let mut j = 0;
    let mut steps = 0;
    for i in 0..times.len() {
        while times[i] - times[j] > window {
            j += 1;
            steps += 1;
        }
        if i + 1 - j >= n {
            merger.hit(j, i);
        }
    }
    (merger.finish(), steps + times.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_merges() {
        let t: Vec<Nanos> = vec![0, 1, 2, 3, 100, 101, 102, 103, 500];
        assert_eq!(bursts(&t, 4, 10).0, vec![0..4, 4..8]);
        assert_eq!(bursts(&t, 4, 200).0, vec![0..8]);
        assert_eq!(bursts(&t, 5, 10).0, Vec::<Range<usize>>::new());
        assert_eq!(bursts(&t, 1, 0).0, vec![0..1, 1..2, 2..3, 3..4, 4..5, 5..6, 6..7, 7..8, 8..9]);
    }
}
