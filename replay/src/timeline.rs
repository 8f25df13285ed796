//! What changes the screen, in order: prints and resizes on one clock.

use crate::size::TermSize;
use review_recording::{EventKind, Millis, Recording};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// Index into `Recording::prints`.
    Print(usize),
    Resize(TermSize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub at: Millis,
    pub kind: StepKind,
}

/// The recording's screen-changing steps in replay order, with monotonic times.
#[derive(Clone, Debug)]
pub struct Timeline {
    pub initial_size: TermSize,
    pub steps: Vec<Step>,
    /// For each print, the index of its step.
    pub print_steps: Vec<usize>,
    /// Resizes left out because their reflow would have exceeded [`RESIZE_BUDGET`].
    pub skipped_resizes: usize,
}

/// Total reflow work (see [`TermSize::reflow_cost`]) the recording's resizes may cost, about a
/// second of CPU. Real sessions resize a few dozen times and use a fraction of a percent; a
/// hostile storm of absurd resizes would otherwise keep the indexing pass busy for hours.
pub const RESIZE_BUDGET: usize = 200_000_000;

impl Timeline {
    pub fn new(recording: &Recording) -> Timeline {
        let initial_size = recording
            .initial_size
            .and_then(|(cols, rows)| TermSize::from_recorded(cols, rows))
            .unwrap_or(TermSize::DEFAULT);

        // Prints keep their order (it is the byte order of the output); a time that goes
        // backwards is raised to its predecessor so time lookups can bisect.
        let mut latest = 0;
        let prints = recording.prints.iter().enumerate().map(|(index, print)| {
            latest = latest.max(print.at);
            Step { at: latest, kind: StepKind::Print(index) }
        });
        let mut resizes: Vec<Step> = recording
            .events
            .iter()
            .filter_map(|event| match event.kind {
                EventKind::Resize { cols, rows } => {
                    Some(Step { at: event.at, kind: StepKind::Resize(TermSize::from_recorded(cols, rows)?) })
                }
                _ => None,
            })
            .collect();
        resizes.sort_by_key(|step| step.at);

        // Merge; at equal times a resize goes first: the output that follows a SIGWINCH is
        // drawn for the new size.
        let mut steps = Vec::with_capacity(recording.prints.len() + resizes.len());
        let mut resizes = resizes.into_iter().peekable();
        for print in prints {
            while let Some(resize) = resizes.next_if(|resize| resize.at <= print.at) {
                steps.push(resize);
            }
            steps.push(print);
        }
        steps.extend(resizes);

        let (steps, skipped_resizes) = drop_redundant_resizes(steps, initial_size);
        let mut print_steps = vec![0; recording.prints.len()];
        for (index, step) in steps.iter().enumerate() {
            if let StepKind::Print(print) = step.kind {
                print_steps[print] = index;
            }
        }
        Timeline { initial_size, steps, print_steps, skipped_resizes }
    }

    /// How many steps have happened at time `at` (all steps with `step.at <= at`).
    pub fn steps_until(&self, at: Millis) -> usize {
        self.steps.partition_point(|step| step.at <= at)
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }
}

/// Keeps only the last of consecutive resizes (nothing was drawn between them), drops resizes
/// to the current size, and skips those that would overrun the reflow budget. Returns the
/// steps and how many resizes were skipped for the budget.
fn drop_redundant_resizes(steps: Vec<Step>, initial: TermSize) -> (Vec<Step>, usize) {
    let mut coalesced: Vec<Step> = Vec::with_capacity(steps.len());
    for step in steps {
        let both_resizes = matches!(step.kind, StepKind::Resize(_))
            && coalesced.last().is_some_and(|last| matches!(last.kind, StepKind::Resize(_)));
        if both_resizes {
            coalesced.pop();
        }
        coalesced.push(step);
    }

    let mut size = initial;
    let mut budget = RESIZE_BUDGET;
    let mut skipped = 0;
    coalesced.retain(|step| {
        let StepKind::Resize(new_size) = step.kind else {
            return true;
        };
        if new_size == size {
            return false;
        }
        let cost = size.reflow_cost(new_size);
        if cost > budget {
            skipped += 1;
            return false;
        }
        budget -= cost;
        size = new_size;
        true
    });
    (coalesced, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use review_recording::{Print, SessionEvent};

    fn resize(at: Millis, cols: u16, rows: u16) -> SessionEvent {
        SessionEvent { at, kind: EventKind::Resize { cols, rows }, event: "resize".into(), summary: String::new() }
    }

    fn print(at: Millis, offset: usize) -> Print {
        Print { at, offset, len: 1 }
    }

    fn kinds(timeline: &Timeline) -> Vec<(Millis, StepKind)> {
        timeline.steps.iter().map(|s| (s.at, s.kind)).collect()
    }

    #[test]
    fn merges_resizes_before_prints_at_the_same_time() {
        let recording = Recording {
            output: b"abc".to_vec(),
            prints: vec![print(0, 0), print(10, 1), print(20, 2)],
            events: vec![resize(10, 100, 30), resize(25, 0, 0)],
            initial_size: Some((0, 0)),
            ..Recording::default()
        };
        let timeline = Timeline::new(&recording);
        assert_eq!(timeline.initial_size, TermSize::DEFAULT);
        let big = TermSize { cols: 100, rows: 30 };
        assert_eq!(
            kinds(&timeline),
            [(0, StepKind::Print(0)), (10, StepKind::Resize(big)), (10, StepKind::Print(1)), (20, StepKind::Print(2)),]
        );
        assert_eq!(timeline.print_steps, [0, 2, 3]);
        assert_eq!(timeline.steps_until(9), 1);
        assert_eq!(timeline.steps_until(10), 3);
        assert_eq!(timeline.steps_until(1000), 4);
    }

    #[test]
    fn coalesces_resize_storms_and_clamps_sizes() {
        let recording = Recording {
            output: b"ab".to_vec(),
            prints: vec![print(0, 0), print(50, 1)],
            events: vec![resize(1, 100, 30), resize(2, 60_000, 60_000), resize(3, 120, 40), resize(60, 80, 24)],
            initial_size: Some((80, 24)),
            ..Recording::default()
        };
        let timeline = Timeline::new(&recording);
        assert_eq!(
            kinds(&timeline),
            [
                (0, StepKind::Print(0)),
                (3, StepKind::Resize(TermSize { cols: 120, rows: 40 })),
                (50, StepKind::Print(1)),
                (60, StepKind::Resize(TermSize::DEFAULT)),
            ]
        );
        let hostile = Recording { events: vec![resize(0, 60_000, 60_000)], ..Recording::default() };
        assert_eq!(kinds(&Timeline::new(&hostile)), [(0, StepKind::Resize(TermSize::MAX))]);
    }

    #[test]
    fn resize_storms_stop_at_the_budget() {
        let n = 400;
        let recording = Recording {
            output: vec![b'x'; n],
            prints: (0..n).map(|i| print(i as Millis * 10, i)).collect(),
            events: (0..n)
                .map(|i| {
                    let (cols, rows) = if i % 2 == 0 { (1000, 500) } else { (3, 2) };
                    resize(i as Millis * 10 + 5, cols, rows)
                })
                .collect(),
            initial_size: Some((80, 24)),
            ..Recording::default()
        };
        let timeline = Timeline::new(&recording);
        let resizes = timeline.steps.len() - n;
        assert!(resizes < 10, "{resizes} resizes kept");
        assert!(timeline.skipped_resizes > 150);
        // Ordinary resizes are never skipped.
        let ordinary = Recording {
            events: (0..1000).map(|i| resize(i, 80 + (i % 2) as u16 * 40, 24 + (i % 3) as u16)).collect(),
            initial_size: Some((80, 24)),
            ..Recording::default()
        };
        assert_eq!(Timeline::new(&ordinary).skipped_resizes, 0);
    }

    #[test]
    fn times_going_backwards_are_raised() {
        let recording =
            Recording { output: b"ab".to_vec(), prints: vec![print(100, 0), print(40, 1)], ..Recording::default() };
        let timeline = Timeline::new(&recording);
        assert_eq!(kinds(&timeline), [(100, StepKind::Print(0)), (100, StepKind::Print(1))]);
    }
}
