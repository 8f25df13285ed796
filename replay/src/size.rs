//! Terminal sizes. Recordings state them, and hostile ones lie: every size goes through here.

use serde::{Deserialize, Serialize};

/// Reflow cost (see [`TermSize::reflow_cost`]) above which a narrowing is done in steps. avt
/// splits a row with `Vec::split_off`, so each row cut from a wider one keeps the capacity of
/// what was left of it: narrowing `c` columns to `n` holds about `c²/2n` cells per row at once,
/// some 8 bytes per unit of cost. Below this, a resize holds at most ~32 MB while it reflows;
/// real resizes (even 400×100 to 20 columns) cost a fifth of it or less.
const DIRECT_REFLOW_LIMIT: usize = 4_000_000;

/// A terminal size in character cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TermSize {
    pub cols: u16,
    pub rows: u16,
}

impl TermSize {
    /// Used when the recording names no size.
    pub const DEFAULT: TermSize = TermSize { cols: 80, rows: 24 };
    /// Larger sizes are clamped to this, so a hostile `resize 100000:100000` cannot exhaust memory.
    pub const MAX: TermSize = TermSize { cols: 1000, rows: 500 };

    /// A size as the recording states it: `None` when it says nothing usable (Teleport writes
    /// `0:0` when the client did not know), clamped to [`TermSize::MAX`] otherwise.
    pub fn from_recorded(cols: u16, rows: u16) -> Option<TermSize> {
        if cols == 0 || rows == 0 {
            return None;
        }
        Some(TermSize { cols: cols.min(Self::MAX.cols), rows: rows.min(Self::MAX.rows) })
    }

    pub fn cells(self) -> usize {
        usize::from(self.cols) * usize::from(self.rows)
    }

    /// Estimated cost of resizing from `self` to `to` in one reflow, in cell operations. avt
    /// reflows the primary screen: narrowing splits every row into `old/new` rows, so a full
    /// 1000×500 screen squeezed to 3 columns costs about as much as replaying megabytes of
    /// output. A resize is charged this (against the reflow budget, and in keyframe spacing)
    /// even when it is done in steps (see [`TermSize::reflow_path`]), which costs less.
    pub fn reflow_cost(self, to: TermSize) -> usize {
        let narrowing = usize::from(self.cols).div_ceil(usize::from(to.cols.max(1)));
        self.cells() * narrowing.max(1) + to.cells()
    }

    /// The sizes a resize from `self` to `to` goes through, ending with `to`. A full 1000×500
    /// screen narrowed to 3 columns in one reflow would hold 1.3 GB at once (see
    /// [`DIRECT_REFLOW_LIMIT`]); a narrowing that costly is done in halvings instead, each
    /// cheap and small, through widths that are `to.cols` times a power of two. Every place an
    /// intermediate width cuts a row is a place the final width cuts it too, so the screen
    /// comes out as one reflow leaves it (rows pushed out on the way are cut at the width of
    /// their step). The height changes with the last step.
    pub fn reflow_path(self, to: TermSize) -> Vec<TermSize> {
        if self.reflow_cost(to) <= DIRECT_REFLOW_LIMIT {
            return vec![to];
        }
        let (from_cols, to_cols) = (usize::from(self.cols), usize::from(to.cols.max(1)));
        let mut widths = Vec::new();
        let mut width = to_cols * 2;
        while width < from_cols {
            widths.push(width);
            width *= 2;
        }
        let rows = self.rows;
        let mut path: Vec<TermSize> =
            widths.iter().rev().filter_map(|&cols| Some(TermSize { cols: u16::try_from(cols).ok()?, rows })).collect();
        path.push(to);
        path
    }
}

impl Default for TermSize {
    fn default() -> Self {
        TermSize::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_means_unknown_and_huge_is_clamped() {
        assert_eq!(TermSize::from_recorded(0, 24), None);
        assert_eq!(TermSize::from_recorded(80, 0), None);
        assert_eq!(TermSize::from_recorded(100, 40), Some(TermSize { cols: 100, rows: 40 }));
        assert_eq!(TermSize::from_recorded(u16::MAX, u16::MAX), Some(TermSize::MAX));
    }

    #[test]
    fn only_extreme_narrowings_go_in_steps() {
        let size = |cols, rows| TermSize { cols, rows };
        // Real resizes are one reflow.
        for (from, to) in [
            (size(80, 24), size(200, 60)),
            (size(200, 60), size(80, 24)),
            (size(400, 100), size(20, 100)),
            (size(1000, 500), size(500, 250)),
            (size(1000, 500), size(200, 500)),
            (size(3, 500), TermSize::MAX),
        ] {
            assert_eq!(from.reflow_path(to), [to]);
        }
        let from = TermSize::MAX;
        let to = size(3, 400);
        let path = from.reflow_path(to);
        let widths: Vec<u16> = path.iter().map(|s| s.cols).collect();
        assert_eq!(widths, [768, 384, 192, 96, 48, 24, 12, 6, 3]);
        assert!(path[..path.len() - 1].iter().all(|s| s.rows == 500));
        assert_eq!(path.last(), Some(&to));
        // Every step at most halves the width, and is cheap.
        let mut at = from;
        for step in path {
            assert!(step.cols * 2 >= at.cols, "{at:?} to {step:?}");
            assert!(at.reflow_cost(step) <= DIRECT_REFLOW_LIMIT / 2, "{at:?} to {step:?}");
            at = step;
        }
    }
}
