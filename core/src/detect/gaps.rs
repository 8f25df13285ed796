//! `log-gap`: a stretch without events that the log's own rhythm does not explain (possible
//! deleted or lost logs).
//!
//! Per log stream (the directory of the files: one auth server's log): a gap must exceed
//! `min_gap_minutes` and `median_factor` × the median gap, and be unlikely. Nights and weekends
//! are quiet in every log, so "unlikely" is judged per hour of the day: for each whole hour
//! inside the gap, the share of the same hour on other days of the same kind (workday or not)
//! that had events; the chance of the gap is the product of (1 − share), and it is reported
//! when below `max_chance`. A hole in busy hours has a tiny chance; a quiet night does not.

use super::ctx::{Ctx, MINUTE};
use super::finding::{duration, span, Finding, Severity};
use super::hours::Clock;
use crate::model::EventId;
use crate::time::Nanos;
use foldhash::HashMap;

pub(super) const RULE: &str = "log-gap";

const HOUR: Nanos = 60 * MINUTE;
/// Streams spanning more hours than this (bogus times) get no hourly profile.
const MAX_SLOTS: i64 = 24 * 366 * 30;

pub(super) fn run(cx: &Ctx<'_>, clock: &Clock, out: &mut Vec<Finding>) {
    let st = &cx.s.log_gap;
    // Streams by directory, events in time order.
    let mut stream_of_file: Vec<usize> = Vec::with_capacity(cx.m.files.len());
    let mut names: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::default();
    for f in &cx.m.files {
        let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
        let next = names.len();
        let i = *index.entry(dir.clone()).or_insert(next);
        if i == next {
            names.push(dir);
        }
        stream_of_file.push(i);
    }
    let mut streams: Vec<Vec<EventId>> = vec![Vec::new(); names.len()];
    for &id in cx.order.iter() {
        streams[stream_of_file[cx.ev(id).file as usize]].push(id);
    }
    for (s, ids) in streams.iter().enumerate() {
        if ids.len() >= st.min_events.max(3) as usize {
            stream(cx, clock, &names[s], ids, out);
        }
    }
}

fn stream(cx: &Ctx<'_>, clock: &Clock, name: &str, ids: &[EventId], out: &mut Vec<Finding>) {
    let st = &cx.s.log_gap;
    let times: Vec<Nanos> = ids.iter().map(|&i| cx.ev(i).time).collect();
    let mut gaps: Vec<Nanos> = times.windows(2).map(|w| w[1] - w[0]).collect();
    let mid = gaps.len() / 2;
    let median = *gaps.select_nth_unstable(mid).1;
    let threshold = (i64::from(st.min_gap_minutes) * MINUTE).max((median as f64 * st.median_factor) as Nanos);
    cx.step(gaps.len());
    let Some(profile) = Profile::new(clock, &times) else { return };
    cx.step(profile.steps);
    for i in 1..times.len() {
        let (a, b) = (times[i - 1], times[i]);
        if b - a <= threshold {
            continue;
        }
        let (chance, busy) = profile.chance(clock, a, b);
        cx.step(((b - a) / HOUR) as usize);
        if chance >= st.max_chance {
            continue;
        }
        let label = if name.is_empty() { "the log".to_owned() } else { format!("log {name}") };
        let explanation = format!(
            "No events in {label} for {} ({}), though {busy} of the hours it covers usually have events \
             (chance of such a quiet stretch ≈ {}; median gap between events {}).",
            duration(b - a),
            span(a, b),
            odds(chance),
            duration(median)
        );
        let title = format!("{} without events in {label}", duration(b - a));
        out.push(cx.finding(RULE, Severity::Medium, title, explanation, vec![ids[i - 1], ids[i]]));
    }
}

fn odds(p: f64) -> String {
    if p <= 0.0 {
        "0".into()
    } else if p < 1e-9 {
        "less than 1 in a billion".into()
    } else {
        format!("1 in {}", group_thousands((1.0 / p).round() as u64))
    }
}

fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// For each (workday?, hour of day): how many whole hours of the stream there were, and how
/// many had events.
struct Profile {
    seen: [[u32; 24]; 2],
    busy: [[u32; 24]; 2],
    steps: usize,
}

impl Profile {
    fn new(clock: &Clock, times: &[Nanos]) -> Option<Profile> {
        let slot = |t: Nanos| clock.local(t).day * 24 + i64::from(clock.local(t).minute / 60);
        let (first, last) = (slot(*times.first()?) + 1, slot(*times.last()?) - 1);
        if last - first > MAX_SLOTS {
            return None;
        }
        let mut p = Profile { seen: [[0; 24]; 2], busy: [[0; 24]; 2], steps: 0 };
        let mut next = 0;
        for s in first..=last {
            let (kind, hour) = p.class(clock, s);
            p.seen[kind][hour] += 1;
            // Advance through the (sorted) times to this slot.
            while next < times.len() && slot(times[next]) < s {
                next += 1;
            }
            if next < times.len() && slot(times[next]) == s {
                p.busy[kind][hour] += 1;
            }
        }
        p.steps = (last - first).max(0) as usize + times.len();
        Some(p)
    }

    fn class(&self, clock: &Clock, slot: i64) -> (usize, usize) {
        let day = slot.div_euclid(24);
        let weekday = (day + 3).rem_euclid(7) as usize;
        (usize::from(clock.is_workday(weekday)), slot.rem_euclid(24) as usize)
    }

    /// The chance of no events in the whole hours inside `(a, b)`, and how many of those hours
    /// had events on most other days.
    fn chance(&self, clock: &Clock, a: Nanos, b: Nanos) -> (f64, usize) {
        let slot = |t: Nanos| clock.local(t).day * 24 + i64::from(clock.local(t).minute / 60);
        let (mut p, mut busy) = (1.0f64, 0);
        for s in slot(a) + 1..slot(b) {
            let (kind, hour) = self.class(clock, s);
            let (n, k) = (self.seen[kind][hour], self.busy[kind][hour]);
            if n == 0 {
                continue;
            }
            // This hour is one of the `n` and is empty, so the share is over the others,
            // with one more empty hour assumed: never certainty from a handful of days.
            let share = f64::from(k) / f64::from(n);
            if share >= 0.5 {
                busy += 1;
            }
            p *= 1.0 - share;
            if p == 0.0 {
                break;
            }
        }
        (p, busy)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn odds_read_well() {
        assert_eq!(super::odds(0.00025), "1 in 4,000");
        assert_eq!(super::odds(1e-12), "less than 1 in a billion");
    }
}
