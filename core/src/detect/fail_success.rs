//! `failure-then-success`: a successful login right after failed ones for the same user or
//! from the same address (a guessed password, or a sprayed one). Successes already reported
//! by `brute-force` are left to it.

use super::ctx::{Ctx, MINUTE};
use super::finding::{count, list, when, Finding, Severity};
use crate::audit::Outcome;
use crate::model::{EventId, Sym};
use foldhash::{HashMap, HashSet};
use std::collections::VecDeque;

pub(super) const RULE: &str = "failure-then-success";

pub(super) fn run(cx: &Ctx<'_>, reported: &HashSet<EventId>, out: &mut Vec<Finding>) {
    let st = &cx.s.failure_then_success;
    let window = i64::from(st.window_minutes) * MINUTE;
    // Failures since the last success, per user and per address, no older than the window.
    let mut by_user: HashMap<Sym, VecDeque<EventId>> = HashMap::default();
    let mut by_addr: HashMap<Sym, VecDeque<EventId>> = HashMap::default();
    for &id in cx.auth {
        let e = cx.ev(id);
        match e.outcome {
            Outcome::Failure => {
                for (map, k) in [(&mut by_user, e.user), (&mut by_addr, e.remote)] {
                    if k.is_none() {
                        continue;
                    }
                    let q = map.entry(k).or_default();
                    while q.front().is_some_and(|&f| e.time - cx.ev(f).time > window) {
                        q.pop_front();
                        cx.step(1);
                    }
                    q.push_back(id);
                }
            }
            Outcome::Success => {
                let mut fails: Vec<EventId> = Vec::new();
                for (map, k) in [(&mut by_user, e.user), (&mut by_addr, e.remote)] {
                    if let Some(q) = map.remove(&k) {
                        cx.step(q.len());
                        fails.extend(q.into_iter().filter(|&f| e.time - cx.ev(f).time <= window));
                    }
                }
                fails.sort_unstable();
                fails.dedup();
                if fails.len() < st.failures.max(1) as usize || reported.contains(&id) {
                    continue;
                }
                out.push(report(cx, id, fails));
            }
            Outcome::None => {}
        }
    }
}

fn report(cx: &Ctx<'_>, success: EventId, fails: Vec<EventId>) -> Finding {
    let e = cx.ev(success);
    let user = cx.name(e.user);
    let distinct = |f: fn(&crate::model::Event) -> Sym| {
        let mut seen = HashSet::default();
        fails.iter().map(|&i| f(cx.ev(i))).filter(|&s| !s.is_none() && seen.insert(s)).map(|s| cx.name(s)).collect()
    };
    let names: Vec<String> = distinct(|e| e.user);
    let addrs: Vec<String> = distinct(|e| e.remote);
    // Failures for other names from the success's address: a sprayed password that worked.
    let sprayed = names.iter().any(|n| *n != user);
    let first = fails.iter().map(|&f| cx.ev(f).time).min().unwrap_or(e.time);
    let from = if e.remote.is_none() { String::new() } else { format!(" from {}", cx.str(e.remote)) };
    let explanation = format!(
        "{} ({}{}) in the {} before {user} logged in successfully{from} at {}.",
        count(fails.len(), "failed login", "failed logins"),
        if sprayed { format!("for {}", list(&names, 5)) } else { format!("for {user}") },
        if addrs.is_empty() { String::new() } else { format!(" from {}", list(&addrs, 3)) },
        super::finding::duration(e.time - first),
        when(e.time)
    );
    let mut events = fails;
    events.push(success);
    cx.finding(
        RULE,
        if sprayed { Severity::High } else { Severity::Medium },
        format!("Failed logins, then success for {user}"),
        explanation,
        events,
    )
}
