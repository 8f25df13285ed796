//! Terminal sizes. Recordings state them, and hostile ones lie: every size goes through here.

use serde::{Deserialize, Serialize};

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

    /// Estimated cost of resizing from `self` to `to`, in cell operations. avt reflows the
    /// primary screen: narrowing splits every row into `old/new` rows, so a full 1000×500
    /// screen squeezed to 3 columns costs about as much as replaying megabytes of output.
    pub fn reflow_cost(self, to: TermSize) -> usize {
        let narrowing = usize::from(self.cols).div_ceil(usize::from(to.cols.max(1)));
        self.cells() * narrowing.max(1) + to.cells()
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
}
