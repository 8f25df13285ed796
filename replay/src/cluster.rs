//! Combining characters.
//!
//! avt stores one `char` per cell, so a combining mark (U+0301, a variation selector, ZWJ …)
//! would take a cell of its own and push the rest of the line one column to the right. Instead,
//! a base character with its zero-width followers is stored in one cell as a stand-in character
//! from a private range, and the table here maps it back to the whole cluster for display.
//!
//! The grid follows `wcwidth`, as the recorded programs did: only zero-width characters join the
//! cell before them, and a cluster is as wide as its base.
//!
//! Stand-ins: narrow clusters use Plane 15 private use (U+F0000…), wide ones unassigned Plane 3
//! code points (U+34000…), which Unicode gives East Asian Width W, so avt sizes them as two
//! cells. A character in those ranges that really occurs in the output is stored as a
//! one-character cluster, so it is never mistaken for a stand-in.

use std::collections::HashMap;
use unicode_width::UnicodeWidthChar;

const NARROW_FIRST: u32 = 0xF0000;
const NARROW_END: u32 = 0xFFFFE;
const WIDE_FIRST: u32 = 0x34000;
const WIDE_END: u32 = 0x3FFFE;

/// Whether `ch` joins the cell before it (it has no width of its own).
pub fn joins_previous(ch: char) -> bool {
    ch.width() == Some(0)
}

/// Whether `ch` lies in the ranges used for stand-ins.
pub fn is_stand_in_range(ch: char) -> bool {
    let code = u32::from(ch);
    (NARROW_FIRST..NARROW_END).contains(&code) || (WIDE_FIRST..WIDE_END).contains(&code)
}

/// Maps clusters to stand-in characters: filled while indexing, read-only afterwards.
pub trait StandIns {
    /// The stand-in for `cluster`, or `None` when there is none (table full, or not interned).
    fn stand_in(&mut self, cluster: &str, wide: bool) -> Option<char>;

    /// The cluster a cell character stands for, if it is a stand-in.
    fn cluster(&self, ch: char) -> Option<&str>;
}

/// Clusters seen in a recording, in the order first seen.
#[derive(Clone, Debug, Default)]
pub struct ClusterTable {
    narrow: Vec<Box<str>>,
    wide: Vec<Box<str>>,
    index: HashMap<Box<str>, char>,
}

impl ClusterTable {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.narrow.len() + self.wide.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cluster a cell character stands for, if it is a stand-in.
    pub fn get(&self, ch: char) -> Option<&str> {
        let code = u32::from(ch);
        let (table, first) = if (NARROW_FIRST..NARROW_END).contains(&code) {
            (&self.narrow, NARROW_FIRST)
        } else if (WIDE_FIRST..WIDE_END).contains(&code) {
            (&self.wide, WIDE_FIRST)
        } else {
            return None;
        };
        table.get((code - first) as usize).map(|s| &**s)
    }

    /// Appends what a cell character displays as.
    pub fn push_display(&self, ch: char, out: &mut String) {
        match self.get(ch) {
            Some(cluster) => out.push_str(cluster),
            None => out.push(ch),
        }
    }

    /// Read-only view for replays after indexing: it never adds clusters.
    pub fn lookup(&self) -> Lookup<'_> {
        Lookup(self)
    }

    /// Approximate heap bytes held.
    pub fn memory(&self) -> usize {
        self.narrow.iter().chain(&self.wide).map(|s| 2 * s.len() + 48).sum()
    }
}

impl StandIns for ClusterTable {
    fn stand_in(&mut self, cluster: &str, wide: bool) -> Option<char> {
        if let Some(&ch) = self.index.get(cluster) {
            return Some(ch);
        }
        let (table, first, end) =
            if wide { (&mut self.wide, WIDE_FIRST, WIDE_END) } else { (&mut self.narrow, NARROW_FIRST, NARROW_END) };
        let code = first + u32::try_from(table.len()).ok()?;
        if code >= end {
            return None;
        }
        let ch = char::from_u32(code)?;
        table.push(cluster.into());
        self.index.insert(cluster.into(), ch);
        Some(ch)
    }

    fn cluster(&self, ch: char) -> Option<&str> {
        self.get(ch)
    }
}

/// A read-only [`StandIns`] over a finished table.
pub struct Lookup<'a>(&'a ClusterTable);

impl StandIns for Lookup<'_> {
    fn stand_in(&mut self, cluster: &str, _wide: bool) -> Option<char> {
        self.0.index.get(cluster).copied()
    }

    fn cluster(&self, ch: char) -> Option<&str> {
        self.0.get(ch)
    }
}

/// Holds back the last printed character until it is clear whether marks follow it.
#[derive(Clone, Debug, Default)]
pub struct Joiner {
    base: Option<char>,
    marks: String,
    scratch: String,
}

impl Joiner {
    /// Takes one printed character; whatever is ready to print goes to `out`.
    pub fn print(&mut self, ch: char, stand_ins: &mut impl StandIns, out: &mut impl FnMut(char)) {
        if self.base.is_some() && joins_previous(ch) {
            self.marks.push(ch);
            return;
        }
        self.flush(stand_ins, out);
        self.base = Some(ch);
    }

    /// Prints the held cluster, if any.
    pub fn flush(&mut self, stand_ins: &mut impl StandIns, out: &mut impl FnMut(char)) {
        let Some(base) = self.base.take() else {
            return;
        };
        if self.marks.is_empty() && !is_stand_in_range(base) {
            out(base);
            return;
        }
        self.scratch.clear();
        self.scratch.push(base);
        self.scratch.push_str(&self.marks);
        let wide = base.width() == Some(2) || (WIDE_FIRST..WIDE_END).contains(&u32::from(base));
        match stand_ins.stand_in(&self.scratch, wide) {
            Some(stand_in) => out(stand_in),
            // Table full: a genuine private-range character cannot be kept apart from the
            // stand-ins, and marks fall back to a cell each (what avt would do anyway).
            None if self.marks.is_empty() => out(char::REPLACEMENT_CHARACTER),
            None => {
                out(base);
                self.marks.chars().for_each(&mut *out);
            }
        }
        self.marks.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(text: &str, table: &mut ClusterTable) -> Vec<char> {
        let mut joiner = Joiner::default();
        let mut out = Vec::new();
        for ch in text.chars() {
            joiner.print(ch, table, &mut |c| out.push(c));
        }
        joiner.flush(table, &mut |c| out.push(c));
        out
    }

    #[test]
    fn marks_join_their_base_and_display_back() {
        let mut table = ClusterTable::new();
        let out = join("ae\u{301}x", &mut table);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0], 'a');
        assert_eq!(table.get(out[1]), Some("e\u{301}"));
        assert_eq!(out[2], 'x');
        // The same cluster gets the same stand-in again.
        assert_eq!(join("e\u{301}", &mut table), vec![out[1]]);
        assert_eq!(table.len(), 1);
    }

    #[test]
    fn wide_base_gets_a_wide_stand_in() {
        let mut table = ClusterTable::new();
        let out = join("界\u{301}", &mut table);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].width(), Some(2));
        assert_eq!(table.get(out[0]), Some("界\u{301}"));
    }

    #[test]
    fn genuine_private_range_characters_round_trip() {
        let mut table = ClusterTable::new();
        let genuine = char::from_u32(NARROW_FIRST).unwrap();
        let out = join(&genuine.to_string(), &mut table);
        let mut shown = String::new();
        table.push_display(out[0], &mut shown);
        assert_eq!(shown, genuine.to_string());
    }

    #[test]
    fn lookup_never_adds() {
        let table = ClusterTable::new();
        let mut lookup = table.lookup();
        assert_eq!(lookup.stand_in("e\u{301}", false), None);
        let mut joiner = Joiner::default();
        let mut out = Vec::new();
        for ch in "e\u{301}".chars() {
            joiner.print(ch, &mut lookup, &mut |c| out.push(c));
        }
        joiner.flush(&mut lookup, &mut |c| out.push(c));
        assert_eq!(out, vec!['e', '\u{301}']);
    }
}
