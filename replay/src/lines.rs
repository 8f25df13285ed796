//! Compact storage of styled rows that left the screen (scrollback, and alternate-screen
//! content kept for the transcript).
//!
//! One string holds all the text and one vector all the runs, with styles interned: a 20-hour
//! recording leaves hundreds of thousands of rows, which as `Row` values would cost several
//! times their text.

use crate::cluster::ClusterTable;
use crate::screen::{push_cell_char, Row, Run, Style};
use review_recording::Millis;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Text kept at most, in bytes. Output like `ESC # 8` (fill the screen) followed by line feeds
/// makes a screenful of text per few bytes; beyond this, rows are counted but not kept.
pub const DEFAULT_BUDGET: usize = 128 << 20;

#[derive(Clone, Copy, Debug)]
struct StoredLine {
    at: Millis,
    text_end: usize,
    runs_end: usize,
    wrapped: bool,
}

#[derive(Clone, Copy, Debug)]
struct StoredRun {
    /// Bytes of text (cell characters, stand-ins not yet resolved).
    bytes: u32,
    col: u16,
    width: u16,
    style: u32,
}

/// A stored row with the time it left the screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRow {
    pub at: Millis,
    pub row: Row,
    /// The row continues on the next one (soft wrap).
    pub wrapped: bool,
}

#[derive(Clone, Debug)]
pub struct LineStore {
    text: String,
    lines: Vec<StoredLine>,
    runs: Vec<StoredRun>,
    styles: Vec<Style>,
    style_ids: HashMap<Style, u32>,
    budget: usize,
    dropped: usize,
}

impl Default for LineStore {
    fn default() -> Self {
        Self::with_budget(DEFAULT_BUDGET)
    }
}

impl LineStore {
    pub fn with_budget(budget: usize) -> Self {
        LineStore {
            text: String::new(),
            lines: Vec::new(),
            runs: Vec::new(),
            styles: Vec::new(),
            style_ids: HashMap::new(),
            budget,
            dropped: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Rows not kept because the budget was spent.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Rows that had left by time `at`.
    pub fn len_until(&self, at: Millis) -> usize {
        self.lines.partition_point(|line| line.at <= at)
    }

    pub fn memory(&self) -> usize {
        self.text.capacity()
            + self.lines.capacity() * std::mem::size_of::<StoredLine>()
            + self.runs.capacity() * std::mem::size_of::<StoredRun>()
            + self.styles.capacity() * std::mem::size_of::<Style>() * 3
    }

    /// Storing is over: give back spare capacity.
    pub fn finish(&mut self) {
        self.text.shrink_to_fit();
        self.lines.shrink_to_fit();
        self.runs.shrink_to_fit();
    }

    pub fn push(&mut self, at: Millis, line: &avt::Line) {
        if self.text.len() >= self.budget {
            self.dropped += 1;
            return;
        }
        let cells = line.cells();
        // A soft-wrapped row continues on the next: blanks at its end are part of the text.
        let end = if line.is_wrapped() {
            cells.len()
        } else {
            cells
                .iter()
                .rposition(|cell| !(cell.char() == ' ' && cell.width() == 1 && cell.pen().is_default()))
                .map_or(0, |last| last + 1)
        };
        for (col, cell) in cells[..end].iter().enumerate() {
            let width = u16::from(cell.width());
            if width == 0 {
                continue;
            }
            let style = self.style_id(Style::from_pen(cell.pen()));
            let before = self.text.len();
            self.text.push(cell.char());
            let bytes = (self.text.len() - before) as u32;
            let line_has_runs = self.lines.last().map_or(0, |previous| previous.runs_end) < self.runs.len();
            match self.runs.last_mut() {
                Some(run) if line_has_runs && run.style == style => {
                    run.bytes += bytes;
                    run.width += width;
                }
                _ => self.runs.push(StoredRun { bytes, col: u16::try_from(col).unwrap_or(u16::MAX), width, style }),
            }
        }
        self.lines.push(StoredLine {
            at,
            text_end: self.text.len(),
            runs_end: self.runs.len(),
            wrapped: line.is_wrapped(),
        });
    }

    fn style_id(&mut self, style: Style) -> u32 {
        if let Some(&id) = self.style_ids.get(&style) {
            return id;
        }
        let id = self.styles.len() as u32;
        self.styles.push(style);
        self.style_ids.insert(style, id);
        id
    }

    /// Row `index` (0 = the first that left).
    pub fn get(&self, index: usize, clusters: &ClusterTable) -> Option<StoredRow> {
        let line = self.lines.get(index)?;
        let (mut text_start, runs_start) = match index.checked_sub(1) {
            Some(previous) => (self.lines[previous].text_end, self.lines[previous].runs_end),
            None => (0, 0),
        };
        let mut runs = Vec::with_capacity(line.runs_end - runs_start);
        for stored in &self.runs[runs_start..line.runs_end] {
            let text_end = text_start + stored.bytes as usize;
            let mut text = String::with_capacity(stored.bytes as usize);
            for ch in self.text[text_start..text_end].chars() {
                push_cell_char(ch, clusters, &mut text);
            }
            runs.push(Run { col: stored.col, width: stored.width, text, style: self.styles[stored.style as usize] });
            text_start = text_end;
        }
        Some(StoredRow { at: line.at, row: Row { runs }, wrapped: line.wrapped })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evicted(input: &str, cols: usize, rows: usize) -> Vec<avt::Line> {
        struct Keep(Vec<avt::Line>);
        impl avt::Observer for Keep {
            type Output = ();
            fn evicted(&mut self, _: &mut avt::Observation<'_>, line: &avt::Line) {
                self.0.push(line.clone());
            }
            fn end(&mut self, _: &mut avt::Observation<'_>) {}
        }
        let mut terminal = avt::Terminal::new(cols, rows).unwrap();
        let mut keep = Keep(Vec::new());
        terminal.feed_with(input, &mut keep);
        keep.0
    }

    #[test]
    fn stores_and_returns_styled_rows_in_order() {
        let clusters = ClusterTable::new();
        let mut store = LineStore::default();
        let lines = evicted("plain\r\n\x1b[31mred\x1b[m tail\r\nabcdefghij\r\n\r\nlast", 8, 1);
        for (at, line) in lines.iter().enumerate() {
            store.push(at as Millis * 10, line);
        }
        assert_eq!(store.len(), 5);
        let texts: Vec<String> = (0..store.len()).map(|i| store.get(i, &clusters).unwrap().row.text()).collect();
        assert_eq!(texts, ["plain", "red tail", "abcdefgh", "ij", ""]);
        let red = store.get(1, &clusters).unwrap();
        assert_eq!(red.at, 10);
        assert_eq!(red.row.runs.len(), 2);
        assert_eq!(red.row.runs[0].style.fg, crate::screen::Color::Indexed(1));
        assert_eq!(red.row.runs[1].col, 3);
        assert!(store.get(2, &clusters).unwrap().wrapped);
        assert_eq!(store.len_until(15), 2);
        assert!(store.get(5, &clusters).is_none());
    }

    #[test]
    fn budget_limits_what_is_kept() {
        let clusters = ClusterTable::new();
        let mut store = LineStore::with_budget(10);
        for line in evicted("aaaaaaaa\r\nbbbbbbbb\r\ncccccccc\r\n", 8, 1) {
            store.push(0, &line);
        }
        assert_eq!(store.len(), 2);
        assert_eq!(store.dropped(), 1);
        assert_eq!(store.get(1, &clusters).unwrap().row.text(), "bbbbbbbb");
    }
}
