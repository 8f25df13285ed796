//! Keyframes: saved emulator states, so a seek replays only a short stretch of output.

use crate::vt::VtState;

/// Default spacing between keyframes, in units of work (output bytes, plus what costly
/// functions and resizes add). Replaying this much takes well under a millisecond natively;
/// see the seek benchmark.
pub const DEFAULT_INTERVAL: usize = 32 * 1024;

/// Keyframe memory allowed beyond twice the recording's output.
const MEMORY_ALLOWANCE: usize = 32 << 20;

/// The emulator state just before `step` (an index into the timeline).
#[derive(Clone, Debug)]
pub struct Keyframe {
    pub step: usize,
    pub state: VtState,
}

/// Decides when the indexing pass takes the next keyframe.
#[derive(Clone, Debug)]
pub struct KeyframePolicy {
    interval: usize,
    budget: usize,
    steps: usize,
    work: usize,
    memory: usize,
    last_memory: usize,
}

impl KeyframePolicy {
    /// For a recording of `steps` steps and `output` bytes in all.
    pub fn new(interval: usize, output: usize, steps: usize) -> Self {
        KeyframePolicy {
            interval: interval.max(1),
            budget: output.saturating_mul(2).saturating_add(MEMORY_ALLOWANCE),
            steps: steps.max(1),
            work: 0,
            memory: 0,
            last_memory: 0,
        }
    }

    pub fn record(&mut self, work: usize) {
        self.work = self.work.saturating_add(work);
    }

    /// Due before step `step` once `interval` units of work were done since the last keyframe.
    /// Keyframe memory is bounded by twice the output plus an allowance, spread evenly over the
    /// steps: output that redraws a huge screen every few bytes would otherwise make keyframes
    /// far larger than the recording, or spend the whole budget at the start.
    pub fn due(&self, step: usize) -> bool {
        let share = (self.budget as u128 * step.min(self.steps) as u128 / self.steps as u128)
            .max(MEMORY_ALLOWANCE as u128 / 64);
        self.work >= self.interval && (self.memory.saturating_add(self.last_memory) as u128) <= share
    }

    pub fn taken(&mut self, memory: usize) {
        self.work = 0;
        self.memory = self.memory.saturating_add(memory);
        self.last_memory = memory;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_after_interval_of_work() {
        let mut policy = KeyframePolicy::new(100, 1 << 20, 1000);
        policy.record(99);
        assert!(!policy.due(1));
        policy.record(1);
        assert!(policy.due(1));
        policy.taken(1000);
        assert!(!policy.due(2));
        policy.record(100);
        assert!(policy.due(2), "small keyframes only need the work");
    }

    #[test]
    fn big_keyframes_are_spread_within_the_budget() {
        // 1000 steps of hardly any output, each worth a keyframe of a quarter of the allowance.
        let steps = 1000;
        let big = MEMORY_ALLOWANCE / 4;
        let mut policy = KeyframePolicy::new(100, 1000, steps);
        let mut taken = Vec::new();
        for step in 1..steps {
            policy.record(1000);
            if policy.due(step) {
                policy.taken(big);
                taken.push(step);
            }
        }
        // About four fit in the budget, and they are not all at the start.
        assert!((3..=5).contains(&taken.len()), "{taken:?}");
        assert!(*taken.last().unwrap() > steps / 2, "{taken:?}");
    }
}
