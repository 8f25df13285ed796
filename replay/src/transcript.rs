//! Plain-text transcript: what was on the screen, with times.
//!
//! Rows enter the transcript when they leave the primary screen (scrolled off, cleared, or
//! pushed out by a resize), stamped with that time; soft-wrapped rows are joined into one line.
//! Full-screen programs draw on the alternate screen, which never scrolls into history: its
//! content is taken as it was when the program left it. The screen as it was at the end closes
//! the transcript (the primary screen, then a full-screen program's if one was still running).

use crate::cluster::ClusterTable;
use crate::index::Index;
use crate::lines::LineStore;
use crate::screen::ActiveScreen;
use review_recording::Millis;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptLine {
    /// When the line left the screen (the end of the recording for what was still shown).
    pub at: Millis,
    pub screen: ActiveScreen,
    pub text: String,
}

/// Logical lines of a store: wrapped rows joined, trailing blanks trimmed.
fn logical_lines(store: &LineStore, screen: ActiveScreen, clusters: &ClusterTable) -> Vec<TranscriptLine> {
    let mut lines = Vec::new();
    let mut pending: Option<TranscriptLine> = None;
    for index in 0..store.len() {
        let Some(stored) = store.get(index, clusters) else {
            continue;
        };
        let row_text = stored.row.text();
        let line = pending.get_or_insert_with(|| TranscriptLine { at: stored.at, screen, text: String::new() });
        line.text.push_str(&row_text);
        if !stored.wrapped {
            let mut line = pending.take().unwrap_or_else(|| unreachable!());
            line.text.truncate(line.text.trim_end().len());
            lines.push(line);
        }
    }
    if let Some(mut line) = pending {
        line.text.truncate(line.text.trim_end().len());
        lines.push(line);
    }
    lines
}

pub fn build(index: &Index) -> Vec<TranscriptLine> {
    let clusters = &index.clusters;
    let scrolled = logical_lines(&index.scrollback, ActiveScreen::Primary, clusters);
    let alternate = logical_lines(&index.alternate, ActiveScreen::Alternate, clusters);
    let mut lines = Vec::with_capacity(scrolled.len() + alternate.len());
    let mut alternate = alternate.into_iter().peekable();
    for line in scrolled {
        while let Some(alt) = alternate.next_if(|alt| alt.at < line.at) {
            lines.push(alt);
        }
        lines.push(line);
    }
    // Captures of programs that ended came before the final screen.
    lines.extend(alternate);
    lines.extend(logical_lines(&index.final_primary, ActiveScreen::Primary, clusters));
    lines.extend(logical_lines(&index.final_alternate, ActiveScreen::Alternate, clusters));
    lines
}

/// `h:mm:ss.mmm` from the start of the recording.
pub fn format_time(at: Millis) -> String {
    let (ms, s) = (at % 1000, at / 1000);
    format!("{}:{:02}:{:02}.{:03}", s / 3600, s / 60 % 60, s % 60, ms)
}

/// One line per transcript line: `[time] text`; alternate-screen blocks get a header.
pub fn format(lines: &[TranscriptLine]) -> String {
    let mut out = String::new();
    let mut previous: Option<(Millis, ActiveScreen)> = None;
    for line in lines {
        if line.screen == ActiveScreen::Alternate && previous != Some((line.at, ActiveScreen::Alternate)) {
            let _ = writeln!(
                out,
                "[{}] --- full-screen program (alternate screen) as last shown ---",
                format_time(line.at)
            );
        }
        if line.screen == ActiveScreen::Primary && previous.is_some_and(|(_, screen)| screen == ActiveScreen::Alternate)
        {
            let _ = writeln!(out, "[{}] --- end of full-screen program ---", format_time(line.at));
        }
        let _ = writeln!(out, "[{}] {}", format_time(line.at), line.text);
        previous = Some((line.at, line.screen));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_formatted_from_the_start() {
        assert_eq!(format_time(0), "0:00:00.000");
        assert_eq!(format_time(3_723_004), "1:02:03.004");
        assert_eq!(format_time(20 * 3600 * 1000 + 59_999), "20:00:59.999");
    }
}
