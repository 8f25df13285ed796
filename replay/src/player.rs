//! The player: a recording indexed once, then seekable anywhere.

use crate::clock::Clock;
use crate::index::{self, print_bytes, Index};
use crate::keyframe::DEFAULT_INTERVAL;
use crate::lines::StoredRow;
use crate::screen::{ChangedRow, Cursor, Row, ScreenSnapshot, ScreenUpdate};
use crate::search::{SearchOptions, SearchResults};
use crate::size::TermSize;
use crate::timeline::{StepKind, Timeline};
use crate::transcript::{self, TranscriptLine};
use crate::vt::Vt;
use review_recording::{Millis, Recording};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

/// A row of scrollback with the time it left the screen.
pub type ScrollbackLine = StoredRow;

/// Sizes of what indexing built.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexStats {
    pub prints: usize,
    /// Prints and resizes.
    pub steps: usize,
    pub keyframes: usize,
    /// Heap bytes held by keyframes.
    pub keyframe_bytes: usize,
    pub scrollback_rows: usize,
    /// Rows not kept because the scrollback budget was spent (hostile output).
    pub scrollback_dropped: usize,
    pub scrollback_bytes: usize,
    pub search_text_bytes: usize,
    /// Distinct combining-character clusters.
    pub clusters: usize,
    /// Resizes left out because a storm of them exceeded the reflow budget (hostile input).
    pub skipped_resizes: usize,
}

/// What the UI was last sent, to report only rows that changed since.
struct Shown {
    size: TermSize,
    lines: Vec<avt::Line>,
}

pub struct Player {
    recording: Arc<Recording>,
    timeline: Timeline,
    index: Index,
    vt: Vt,
    /// Timeline steps applied to `vt`.
    position: usize,
    at: Millis,
    shown: Option<Shown>,
}

impl Player {
    /// Indexes the recording (one pass over all output) and shows its start.
    pub fn new(recording: impl Into<Arc<Recording>>) -> Player {
        Player::with_keyframe_interval(recording, DEFAULT_INTERVAL)
    }

    /// As [`Player::new`], with keyframes every `interval` units of work (≈ output bytes).
    pub fn with_keyframe_interval(recording: impl Into<Arc<Recording>>, interval: usize) -> Player {
        let recording = recording.into();
        let timeline = Timeline::new(&recording);
        let index = index::build(&recording, &timeline, interval);
        let vt = Vt::new(timeline.initial_size);
        Player { recording, timeline, index, vt, position: 0, at: 0, shown: None }
    }

    pub fn recording(&self) -> &Recording {
        &self.recording
    }

    /// Length in recording time: the recording's duration, or its last print if later.
    pub fn duration(&self) -> Millis {
        let last = self.timeline.steps.last().map_or(0, |step| step.at);
        self.recording.duration.max(last)
    }

    /// The size before any resize.
    pub fn initial_size(&self) -> TermSize {
        self.timeline.initial_size
    }

    /// A playback clock; `idle_cap: None` is real time.
    pub fn clock(&self, idle_cap: Option<Millis>) -> Clock {
        Clock::from_timeline(&self.timeline, self.recording.duration, idle_cap)
    }

    pub fn stats(&self) -> IndexStats {
        IndexStats {
            prints: self.recording.prints.len(),
            steps: self.timeline.len(),
            keyframes: self.index.keyframes.len(),
            keyframe_bytes: self
                .index
                .keyframes
                .iter()
                .map(|keyframe| keyframe.state.memory() + std::mem::size_of_val(keyframe))
                .sum(),
            scrollback_rows: self.index.scrollback.len(),
            scrollback_dropped: self.index.scrollback.dropped(),
            scrollback_bytes: self.index.scrollback.memory(),
            search_text_bytes: self.index.search.memory(),
            clusters: self.index.clusters.len(),
            skipped_resizes: self.timeline.skipped_resizes,
        }
    }

    /// The time the player was last moved to.
    pub fn at(&self) -> Millis {
        self.at
    }

    /// Shows the screen as it was at `at`: every print and resize at or before it applied.
    /// Moving forward a little replays just the gap; anything else restores the nearest
    /// keyframe and replays from there.
    pub fn seek(&mut self, at: Millis) {
        self.at = at;
        self.go_to(self.timeline.steps_until(at));
    }

    /// Shows the screen right after print `index` (also between prints of the same millisecond).
    pub fn seek_print(&mut self, index: usize) {
        match self.timeline.print_steps.get(index) {
            Some(&step) => {
                self.at = self.timeline.steps[step].at;
                self.go_to(step + 1);
            }
            None => self.seek(self.duration()),
        }
    }

    /// Reference path for tests and benchmarks: like [`Player::seek`], but always replays from
    /// the very start without keyframes (what a player without an index has to do).
    pub fn replay_from_start(&mut self, at: Millis) {
        self.at = at;
        self.vt = Vt::new(self.timeline.initial_size);
        self.position = 0;
        self.replay_to(self.timeline.steps_until(at));
    }

    fn go_to(&mut self, target: usize) {
        let target = target.min(self.timeline.len());
        let keyframes = &self.index.keyframes;
        let keyframe =
            keyframes.partition_point(|keyframe| keyframe.step <= target).checked_sub(1).map(|k| &keyframes[k]);
        let keyframe_step = keyframe.map_or(0, |keyframe| keyframe.step);
        // Going forward from the current state beats a restore when no keyframe lies between.
        if self.position > target || self.position < keyframe_step {
            self.vt = match keyframe {
                Some(keyframe) => Vt::restore(&keyframe.state),
                None => Vt::new(self.timeline.initial_size),
            };
            self.position = keyframe_step;
        }
        self.replay_to(target);
    }

    fn replay_to(&mut self, target: usize) {
        let mut stand_ins = self.index.clusters.lookup();
        for step in &self.timeline.steps[self.position..target] {
            match step.kind {
                StepKind::Print(print) => {
                    let bytes = print_bytes(&self.recording, print);
                    self.vt.feed(bytes, &mut stand_ins, &mut (), &mut ());
                }
                StepKind::Resize(size) => {
                    self.vt.resize(size, &mut ());
                }
            }
        }
        self.position = target;
    }

    /// The whole screen as it is now.
    pub fn snapshot(&self) -> ScreenSnapshot {
        let terminal = self.vt.terminal();
        let size = self.vt.size();
        ScreenSnapshot {
            at: self.at,
            size,
            cursor: Cursor::from_avt(terminal.cursor(), size),
            screen: terminal.active_screen_kind().into(),
            rows: terminal
                .screen()
                .visible_lines()
                .map(|line| Row::from_cells(line.cells(), &self.index.clusters))
                .collect(),
        }
    }

    /// What changed since the previous call: only rows that differ (all rows the first time
    /// and after a size change), found by comparing cells, so it is exact after any seek.
    pub fn update(&mut self) -> ScreenUpdate {
        let terminal = self.vt.terminal();
        let size = self.vt.size();
        let lines: Vec<avt::Line> = terminal.screen().visible_lines().cloned().collect();
        let previous = self.shown.take().filter(|shown| shown.size == size);
        let full = previous.is_none();
        let rows = lines
            .iter()
            .enumerate()
            .filter(|(index, line)| previous.as_ref().is_none_or(|shown| shown.lines.get(*index) != Some(*line)))
            .map(|(index, line)| ChangedRow {
                index: u16::try_from(index).unwrap_or(u16::MAX),
                row: Row::from_cells(line.cells(), &self.index.clusters),
            })
            .collect();
        let update = ScreenUpdate {
            at: self.at,
            size,
            cursor: Cursor::from_avt(terminal.cursor(), size),
            screen: terminal.active_screen_kind().into(),
            full,
            rows,
        };
        self.shown = Some(Shown { size, lines });
        update
    }

    /// Makes the next [`Player::update`] send every row (the UI lost its copy).
    pub fn forget_shown(&mut self) {
        self.shown = None;
    }

    /// Text or regex search over everything the session printed, each hit with its time.
    pub fn search(&self, pattern: &str, options: SearchOptions) -> Result<SearchResults, String> {
        let at_of_print =
            |print: usize| self.timeline.print_steps.get(print).map_or(0, |&step| self.timeline.steps[step].at);
        self.index.search.search(pattern, options, at_of_print)
    }

    /// How many rows had scrolled off the primary screen by `at`.
    pub fn scrollback_len(&self, at: Millis) -> usize {
        self.index.scrollback.len_until(at)
    }

    /// Scrollback rows `range` as of `at` (0 = the oldest), clipped to what had left by then.
    pub fn scrollback(&self, at: Millis, range: Range<usize>) -> Vec<ScrollbackLine> {
        let len = self.scrollback_len(at);
        (range.start.min(len)..range.end.min(len))
            .filter_map(|index| self.index.scrollback.get(index, &self.index.clusters))
            .collect()
    }

    /// All scrollback as of `at`, oldest first.
    pub fn scrollback_at(&self, at: Millis) -> Vec<ScrollbackLine> {
        self.scrollback(at, 0..usize::MAX)
    }

    pub fn transcript(&self) -> Vec<TranscriptLine> {
        transcript::build(&self.index)
    }

    /// The transcript as text, one `[h:mm:ss.mmm] line` per line.
    pub fn transcript_text(&self) -> String {
        transcript::format(&self.transcript())
    }

    /// avt's dump of the current state, to compare two players exactly (tests).
    #[doc(hidden)]
    pub fn terminal_dump(&self) -> String {
        self.vt.terminal().dump()
    }

    /// The search text (tests and diagnostics).
    #[doc(hidden)]
    pub fn search_text(&self) -> &str {
        self.index.search.text()
    }
}
