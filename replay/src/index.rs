//! The indexing pass: one replay of the whole recording that takes keyframes, keeps the rows
//! leaving the screen, and builds the search text.

use crate::cluster::ClusterTable;
use crate::keyframe::{Keyframe, KeyframePolicy};
use crate::lines::LineStore;
use crate::search::SearchText;
use crate::timeline::{StepKind, Timeline};
use crate::vt::{Vt, VtState};
use avt::parser::{DecMode, Function};
use avt::{Observation, Observer, Operation, ScreenKind};
use review_recording::{Millis, Recording};

/// What indexing found out about the recording.
pub struct Index {
    pub keyframes: Vec<Keyframe>,
    pub clusters: ClusterTable,
    /// Rows that left the primary screen (scrolled off, cleared, pushed out by a resize).
    pub scrollback: LineStore,
    /// Alternate-screen content as it was when a full-screen program left it (for the transcript).
    pub alternate: LineStore,
    /// The primary screen at the end.
    pub final_primary: LineStore,
    /// The alternate screen at the end, when a full-screen program was still running.
    pub final_alternate: LineStore,
    pub search: SearchText,
}

/// Watches the terminal during indexing.
struct Collector<'a> {
    at: Millis,
    scrollback: &'a mut LineStore,
    alternate: &'a mut LineStore,
}

impl Collector<'_> {
    fn capture_alternate(&mut self, context: &Observation<'_>) {
        let terminal = context.terminal();
        if terminal.active_screen_kind() != ScreenKind::Alternate {
            return;
        }
        capture_screen(terminal.screen(), self.at, self.alternate);
    }
}

/// Stores a screen's rows, without the blank ones at the bottom.
fn capture_screen(screen: avt::Screen<'_>, at: Millis, store: &mut LineStore) {
    let lines: Vec<&avt::Line> = screen.visible_lines().collect();
    let used = lines.iter().rposition(|line| line.chars().any(|ch| ch != ' ')).map_or(0, |last| last + 1);
    for line in &lines[..used] {
        store.push(at, line);
    }
}

fn leaves_alternate_screen(operation: &Operation) -> bool {
    match operation {
        Operation::Function(Function::Decrst(modes)) => modes
            .as_slice()
            .iter()
            .any(|mode| matches!(mode, DecMode::AltScreenBuffer | DecMode::SaveCursorAltScreenBuffer)),
        Operation::Function(Function::Ris) => true,
        _ => false,
    }
}

impl Observer for Collector<'_> {
    type Output = ();

    fn before(&mut self, context: &mut Observation<'_>, operation: &Operation) {
        if leaves_alternate_screen(operation) {
            self.capture_alternate(context);
        }
    }

    fn evicted(&mut self, _: &mut Observation<'_>, line: &avt::Line) {
        self.scrollback.push(self.at, line);
    }

    fn end(&mut self, _: &mut Observation<'_>) {}
}

/// Bytes of print `index`, clipped to the output (a damaged recording may point past it).
pub fn print_bytes(recording: &Recording, index: usize) -> &[u8] {
    let Some(print) = recording.prints.get(index) else {
        return &[];
    };
    let len = recording.output.len();
    let start = print.offset.min(len);
    let end = print.offset.saturating_add(print.len).min(len);
    &recording.output[start..end]
}

/// The state to keyframe, if restoring it gives back exactly this terminal. avt's dump misses
/// some corners (origin mode with the cursor saved outside shrunken margins, after a resize,
/// comes back off); such a moment is skipped and the keyframe taken at a later step. Checking
/// costs one restore per keyframe, a fraction of a percent of indexing.
fn faithful_state(vt: &Vt) -> Option<VtState> {
    let state = vt.save()?;
    let restored = Vt::restore(&state);
    (restored.terminal().dump() == *state.dump).then_some(state)
}

pub fn build(recording: &Recording, timeline: &Timeline, interval: usize) -> Index {
    let mut clusters = ClusterTable::new();
    let mut scrollback = LineStore::default();
    let mut alternate = LineStore::default();
    let mut search = SearchText::new();
    let mut vt = Vt::new(timeline.initial_size);
    let mut policy = KeyframePolicy::new(interval, recording.output.len(), timeline.steps.len());
    // The fresh state is always saveable; the first keyframe is the empty screen.
    let mut keyframes: Vec<Keyframe> = vt.save().map(|state| Keyframe { step: 0, state }).into_iter().collect();

    for (index, step) in timeline.steps.iter().enumerate() {
        if index > 0 && policy.due(index) {
            if let Some(state) = faithful_state(&vt) {
                policy.taken(state.memory());
                keyframes.push(Keyframe { step: index, state });
            }
        }
        let mut collector = Collector { at: step.at, scrollback: &mut scrollback, alternate: &mut alternate };
        match step.kind {
            StepKind::Print(print) => {
                let bytes = print_bytes(recording, print);
                search.start_print(print);
                let work = vt.feed(bytes, &mut clusters, &mut search, &mut collector);
                policy.record(work);
            }
            StepKind::Resize(size) => {
                let work = vt.resize(size, &mut collector);
                policy.record(work);
            }
        }
    }
    // A last keyframe after a long final stretch (one huge print, say) keeps seeks to the end
    // from replaying it.
    if policy.due(timeline.steps.len()) {
        if let Some(state) = faithful_state(&vt) {
            keyframes.push(Keyframe { step: timeline.steps.len(), state });
        }
    }

    let end = timeline.steps.last().map_or(recording.duration, |s| s.at.max(recording.duration));
    let terminal = vt.terminal();
    let mut final_alternate = LineStore::default();
    if terminal.active_screen_kind() == ScreenKind::Alternate {
        capture_screen(terminal.screen(), end, &mut final_alternate);
    }
    search.finish();
    scrollback.finish();
    alternate.finish();
    let mut final_primary = LineStore::default();
    capture_screen(terminal.primary_screen(), end, &mut final_primary);

    Index { keyframes, clusters, scrollback, alternate, final_primary, final_alternate, search }
}
