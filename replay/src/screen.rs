//! What the UI draws: rows of styled runs, serialisable across the worker boundary.

use crate::cluster::ClusterTable;
use crate::size::TermSize;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Color {
    /// The theme's default foreground or background.
    #[default]
    Default,
    /// 0–15 are the ANSI colours (the theme decides them), 16–255 the xterm cube and greys.
    Indexed(u8),
    Rgb(u8, u8, u8),
}

impl Color {
    fn from_avt(color: Option<avt::Color>) -> Color {
        match color {
            None => Color::Default,
            Some(avt::Color::Indexed(index)) => Color::Indexed(index),
            Some(avt::Color::RGB(rgb)) => Color::Rgb(rgb.r, rgb.g, rgb.b),
        }
    }
}

/// SGR attributes of a run of cells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Style {
    pub fg: Color,
    pub bg: Color,
    pub bold: bool,
    pub faint: bool,
    pub italic: bool,
    pub underline: bool,
    pub strikethrough: bool,
    pub blink: bool,
    pub inverse: bool,
}

impl Style {
    pub fn from_pen(pen: &avt::Pen) -> Style {
        Style {
            fg: Color::from_avt(pen.foreground()),
            bg: Color::from_avt(pen.background()),
            bold: pen.is_bold(),
            faint: pen.is_faint(),
            italic: pen.is_italic(),
            underline: pen.is_underline(),
            strikethrough: pen.is_strikethrough(),
            blink: pen.is_blink(),
            inverse: pen.is_inverse(),
        }
    }
}

/// Consecutive cells with one style. `width` counts cells: a wide character takes two.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub col: u16,
    pub width: u16,
    pub text: String,
    pub style: Style,
}

/// One screen row. Trailing blank cells in the default style are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub runs: Vec<Run>,
}

impl Row {
    /// The row as plain text (trailing blanks left out).
    pub fn text(&self) -> String {
        self.runs.iter().map(|run| run.text.as_str()).collect()
    }

    /// Builds a row from avt cells, showing combining-character clusters in full.
    pub fn from_cells(cells: &[avt::Cell], clusters: &ClusterTable) -> Row {
        let end = cells.iter().rposition(|cell| !is_default_blank(cell)).map_or(0, |last| last + 1);
        let mut runs: Vec<Run> = Vec::new();
        for (col, cell) in cells[..end].iter().enumerate() {
            let width = u16::from(cell.width());
            if width == 0 {
                continue; // right half of a wide character
            }
            let style = Style::from_pen(cell.pen());
            let run = match runs.last_mut() {
                Some(run) if run.style == style => run,
                _ => {
                    runs.push(Run {
                        col: u16::try_from(col).unwrap_or(u16::MAX),
                        width: 0,
                        text: String::new(),
                        style,
                    });
                    let last = runs.len() - 1;
                    &mut runs[last]
                }
            };
            run.width += width;
            push_cell_char(cell.char(), clusters, &mut run.text);
        }
        Row { runs }
    }
}

fn is_default_blank(cell: &avt::Cell) -> bool {
    cell.char() == ' ' && cell.width() == 1 && cell.pen().is_default()
}

/// Appends what a cell shows. Control characters avt stores as printable (DEL) show as blanks.
pub(crate) fn push_cell_char(ch: char, clusters: &ClusterTable, out: &mut String) {
    if ch.is_control() {
        out.push(' ');
    } else {
        clusters.push_display(ch, out);
    }
}

/// Which screen buffer is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActiveScreen {
    #[default]
    Primary,
    /// The alternate screen of full-screen programs (vim, less, top).
    Alternate,
}

impl From<avt::ScreenKind> for ActiveScreen {
    fn from(kind: avt::ScreenKind) -> Self {
        match kind {
            avt::ScreenKind::Primary => ActiveScreen::Primary,
            avt::ScreenKind::Alternate => ActiveScreen::Alternate,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub col: u16,
    pub row: u16,
    pub visible: bool,
}

impl Cursor {
    pub(crate) fn from_avt(cursor: avt::Cursor, size: TermSize) -> Cursor {
        // After writing the last column avt keeps the cursor one past it (pending wrap).
        let col = cursor.col.min(usize::from(size.cols.max(1)) - 1);
        let row = cursor.row.min(usize::from(size.rows.max(1)) - 1);
        Cursor { col: col as u16, row: row as u16, visible: cursor.visible }
    }
}

/// The whole screen at a moment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenSnapshot {
    /// The time the player was last moved to.
    pub at: review_recording::Millis,
    pub size: TermSize,
    pub cursor: Cursor,
    pub screen: ActiveScreen,
    pub rows: Vec<Row>,
}

impl ScreenSnapshot {
    /// The visible text, one string per row.
    pub fn text(&self) -> Vec<String> {
        self.rows.iter().map(Row::text).collect()
    }
}

/// A row that changed since the previous update.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedRow {
    pub index: u16,
    pub row: Row,
}

/// What changed since the previous update: redraw `rows` (all of them when `full`), and move
/// the cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenUpdate {
    pub at: review_recording::Millis,
    pub size: TermSize,
    pub cursor: Cursor,
    pub screen: ActiveScreen,
    /// True when every row is included (first update, or the size changed).
    pub full: bool,
    pub rows: Vec<ChangedRow>,
}
