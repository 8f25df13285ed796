//! `brute-force`: at least N failed logins for one user, or from one address, within M minutes.
//! One finding per burst (overlapping windows merge); a success for the same user/address
//! during or soon after the burst raises it to high.

use super::ctx::{Ctx, MINUTE};
use super::finding::{count, duration, list, span, when_after, Finding, Severity};
use super::window::bursts;
use crate::audit::Outcome;
use crate::model::{EventId, Sym};
use crate::time::Nanos;
use foldhash::{HashMap, HashSet};

pub(super) const RULE: &str = "brute-force";

#[derive(Clone, Copy, PartialEq)]
enum By {
    User,
    Addr,
}

/// Returns the successes reported as following a burst, so that `failure-then-success` does
/// not report them again.
pub(super) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) -> HashSet<EventId> {
    let st = &cx.s.brute_force;
    let window = i64::from(st.window_minutes) * MINUTE;
    let follow = i64::from(st.success_within_minutes) * MINUTE;
    let mut used = HashSet::default();
    // Failures already in an address's burst: a burst for a user made only of those is the
    // same attack seen from the other side, and is not reported twice.
    let mut covered: HashSet<EventId> = HashSet::default();
    for by in [By::Addr, By::User] {
        let (fails, oks) = by_key(cx, by);
        let mut keys: Vec<&Sym> = fails.keys().collect();
        keys.sort_unstable();
        for key in keys {
            let ids = &fails[key];
            if ids.len() < st.failures as usize {
                continue;
            }
            let times: Vec<Nanos> = ids.iter().map(|&i| cx.ev(i).time).collect();
            let (found, steps) = bursts(&times, st.failures as usize, window);
            cx.step(steps);
            for r in found {
                let events = ids[r.clone()].to_vec();
                if by == By::User && events.iter().all(|e| covered.contains(e)) {
                    continue;
                }
                if by == By::Addr {
                    covered.extend(events.iter().copied());
                }
                let (t0, t1) = (times[r.start], times[r.end - 1]);
                let success = oks.get(key).and_then(|v| {
                    let p = v.partition_point(|&s| cx.ev(s).time < t0);
                    v.get(p).copied().filter(|&s| cx.ev(s).time <= t1 + follow)
                });
                used.extend(success);
                out.push(report(cx, by, *key, events, (t0, t1), success));
            }
        }
    }
    used
}

type ByKey = HashMap<Sym, Vec<EventId>>;

/// Failures and successes per user or per address, in time order.
fn by_key(cx: &Ctx<'_>, by: By) -> (ByKey, ByKey) {
    let (mut fails, mut oks) = (ByKey::default(), ByKey::default());
    for &id in cx.auth {
        let e = cx.ev(id);
        let key = if by == By::User { e.user } else { e.remote };
        if key.is_none() {
            continue;
        }
        match e.outcome {
            Outcome::Failure => fails.entry(key).or_default().push(id),
            Outcome::Success => oks.entry(key).or_default().push(id),
            Outcome::None => {}
        }
    }
    (fails, oks)
}

fn report(
    cx: &Ctx<'_>,
    by: By,
    key: Sym,
    mut events: Vec<EventId>,
    (t0, t1): (Nanos, Nanos),
    success: Option<EventId>,
) -> Finding {
    let n = events.len();
    // The other side of the key: the names tried from an address, or the addresses a user was
    // tried from.
    let mut seen = HashSet::default();
    let others: Vec<String> = events
        .iter()
        .map(|&i| if by == By::User { cx.ev(i).remote } else { cx.ev(i).user })
        .filter(|&o| !o.is_none() && seen.insert(o))
        .map(|o| cx.name(o))
        .collect();
    cx.step(n);
    let name = cx.name(key);
    let failed = count(n, "failed login", "failed logins");
    let (mut title, mut explanation) = match by {
        By::User => {
            let from = if others.is_empty() {
                String::new()
            } else {
                format!(" from {} ({})", count(others.len(), "address", "addresses"), list(&others, 5))
            };
            (
                format!("Brute force against {name}"),
                format!("{failed} for {name} within {} ({}){from}", duration(t1 - t0), span(t0, t1)),
            )
        }
        By::Addr => (
            format!("Brute force from {name}"),
            format!(
                "{failed} from {name} within {} ({}) against {}: {}",
                duration(t1 - t0),
                span(t0, t1),
                count(others.len(), "user name", "user names"),
                list(&others, 8)
            ),
        ),
    };
    let mut severity = Severity::Medium;
    if let Some(s) = success {
        let e = cx.ev(s);
        let from = if e.remote.is_none() { String::new() } else { format!(" from {}", cx.str(e.remote)) };
        severity = Severity::High;
        title.push_str(", then a successful login");
        explanation.push_str(&format!(
            "; then {} logged in successfully{from} at {}",
            cx.name(e.user),
            when_after(t1, e.time)
        ));
        events.push(s);
    }
    explanation.push('.');
    cx.finding(RULE, severity, title, explanation, events)
}
