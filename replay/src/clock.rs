//! Playback clock: recording time ↔ display time with idle gaps capped, and frame stepping.
//!
//! With a cap, every quiet stretch longer than the cap plays as `cap` milliseconds. Recording
//! time is mapped so that every moment a print or resize happens keeps its own display time;
//! inside a long gap the time stops one millisecond before the next step, so
//! `to_recording(to_display(t))` always shows the same screen as `t`, and
//! `to_display(to_recording(d)) == d`.

use crate::timeline::{StepKind, Timeline};
use review_recording::{Millis, Recording};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    idle_cap: Option<Millis>,
    /// Recording times where the screen may change, with 0 first and the end last.
    anchors: Vec<Millis>,
    /// Display time of each anchor.
    display: Vec<Millis>,
    /// Distinct print times.
    prints: Vec<Millis>,
    /// Distinct times of prints and resizes.
    activity: Vec<Millis>,
}

impl Clock {
    /// `idle_cap: None` plays in real time; `Some(ms)` caps each idle gap (at least 1 ms).
    pub fn new(recording: &Recording, idle_cap: Option<Millis>) -> Clock {
        Clock::from_timeline(&Timeline::new(recording), recording.duration, idle_cap)
    }

    pub(crate) fn from_timeline(timeline: &Timeline, duration: Millis, idle_cap: Option<Millis>) -> Clock {
        let idle_cap = idle_cap.map(|cap| cap.max(1));
        let last_step = timeline.steps.last().map_or(0, |step| step.at);
        let duration = duration.max(last_step);
        let mut anchors = vec![0];
        let mut prints = Vec::new();
        let mut activity: Vec<Millis> = Vec::new();
        for step in &timeline.steps {
            if activity.last() != Some(&step.at) {
                activity.push(step.at);
            }
            if anchors.last() != Some(&step.at) {
                anchors.push(step.at);
            }
            if matches!(step.kind, StepKind::Print(_)) && prints.last() != Some(&step.at) {
                prints.push(step.at);
            }
        }
        if anchors.last() != Some(&duration) {
            anchors.push(duration);
        }
        let mut display = Vec::with_capacity(anchors.len());
        let mut shown = 0;
        display.push(0);
        for pair in anchors.windows(2) {
            let gap = pair[1] - pair[0];
            shown += idle_cap.map_or(gap, |cap| gap.min(cap));
            display.push(shown);
        }
        Clock { idle_cap, anchors, display, prints, activity }
    }

    pub fn idle_cap(&self) -> Option<Millis> {
        self.idle_cap
    }

    /// Length of the recording in recording time.
    pub fn duration(&self) -> Millis {
        self.anchors.last().copied().unwrap_or(0)
    }

    /// Length of the recording as played.
    pub fn display_duration(&self) -> Millis {
        self.display.last().copied().unwrap_or(0)
    }

    pub fn to_display(&self, at: Millis) -> Millis {
        let at = at.min(self.duration());
        let j = self.anchors.partition_point(|&a| a <= at).saturating_sub(1);
        let Some(&next) = self.anchors.get(j + 1) else {
            return self.display[j];
        };
        let offset = at - self.anchors[j];
        let gap = next - self.anchors[j];
        self.display[j]
            + match self.idle_cap {
                Some(cap) if gap > cap => offset.min(cap - 1),
                _ => offset,
            }
    }

    pub fn to_recording(&self, display: Millis) -> Millis {
        let display = display.min(self.display_duration());
        let j = self.display.partition_point(|&d| d <= display).saturating_sub(1);
        self.anchors[j] + (display - self.display[j])
    }

    /// The next moment a print happens, after `at`.
    pub fn next_frame(&self, at: Millis) -> Option<Millis> {
        let after = self.prints.partition_point(|&p| p <= at);
        self.prints.get(after).copied()
    }

    /// The moment of the frame before the one shown at `at`: stepping back one print.
    pub fn previous_frame(&self, at: Millis) -> Option<Millis> {
        let shown = self.prints.partition_point(|&p| p <= at);
        let previous = shown.checked_sub(2)?;
        self.prints.get(previous).copied()
    }

    /// The next time the screen changes after `at` (print or resize): "skip inactivity".
    pub fn next_activity(&self, at: Millis) -> Option<Millis> {
        let after = self.activity.partition_point(|&a| a <= at);
        self.activity.get(after).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use review_recording::Print;

    fn recording(times: &[Millis], duration: Millis) -> Recording {
        Recording {
            output: vec![b'x'; times.len()],
            prints: times.iter().enumerate().map(|(offset, &at)| Print { at, offset, len: 1 }).collect(),
            duration,
            ..Recording::default()
        }
    }

    #[test]
    fn real_time_is_identity() {
        let clock = Clock::new(&recording(&[0, 5000, 60_000], 61_000), None);
        assert_eq!(clock.display_duration(), 61_000);
        for t in [0, 1, 4999, 5000, 30_000, 61_000] {
            assert_eq!(clock.to_display(t), t);
            assert_eq!(clock.to_recording(t), t);
        }
    }

    #[test]
    fn idle_gaps_are_capped_and_round_trip() {
        let times = [100, 300, 10_000, 10_500, 100_000];
        let clock = Clock::new(&recording(&times, 200_000), Some(2000));
        // 0→100, 100→300, 300→2300 (capped), +500, +2000 (capped), +2000 (end gap capped)
        assert_eq!(clock.display_duration(), 100 + 200 + 2000 + 500 + 2000 + 2000);
        assert_eq!(clock.to_display(10_000), 2300);
        assert_eq!(clock.to_display(9_999), 2299);
        assert_eq!(clock.to_display(5_000), 2299);
        assert_eq!(clock.to_display(1_000), 1000);
        for d in 0..=clock.display_duration() {
            assert_eq!(clock.to_display(clock.to_recording(d)), d, "display {d}");
        }
        let screen = |t: Millis| times.iter().filter(|&&p| p <= t).count();
        for t in (0..=200_000).step_by(7) {
            let back = clock.to_recording(clock.to_display(t));
            assert!(back <= t);
            assert_eq!(screen(back), screen(t), "recording {t} came back as {back}");
        }
        for &p in &times {
            assert_eq!(clock.to_recording(clock.to_display(p)), p);
        }
    }

    #[test]
    fn frame_steps_and_inactivity() {
        let clock = Clock::new(&recording(&[100, 100, 300, 9000], 9500), Some(1000));
        assert_eq!(clock.next_frame(0), Some(100));
        assert_eq!(clock.next_frame(100), Some(300));
        assert_eq!(clock.next_frame(9000), None);
        assert_eq!(clock.previous_frame(350), Some(100));
        assert_eq!(clock.previous_frame(300), Some(100));
        assert_eq!(clock.previous_frame(150), None);
        assert_eq!(clock.next_activity(400), Some(9000));
        assert_eq!(clock.next_activity(9000), None);
        assert_eq!(clock.duration(), 9500);
    }
}
