//! `session-integrity`: sessions whose audit events contradict each other: a `session.end`
//! saying when the session started while the log covering that time has no `session.start`;
//! a recording uploaded (`session.upload`/`session.data`) without a `session.end`; two
//! different events claiming the same `ei`; events numbered after the session's end.
//!
//! Why not "any hole in `ei`": print events take indexes in the session stream but never go
//! to the audit log, so audit-log `ei` jump by design. Contiguity holds only in a recording;
//! comparing the two needs the recording's event indexes (not in the model yet).
//! `session.upload`/`session.data` use MaxInt32 and MaxInt32−1; newer recorders may use
//! nanoseconds since the start as `ei` (monotonic, not contiguous): both are handled.

use super::ctx::Ctx;
use super::fields;
use super::finding::{when, Finding, Severity};
use crate::model::{EventId, Session};
use foldhash::HashMap;

pub(super) const RULE: &str = "session-integrity";

/// `session.data` (MaxInt32−1) and `session.upload` (MaxInt32).
const SPECIAL_EI: i64 = 2_147_483_646;

pub(super) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // Where each log directory's coverage starts, for "the log covers the start time".
    let mut covers_from: HashMap<&str, i64> = HashMap::default();
    for f in &cx.m.files {
        if let Some(t) = f.first_time {
            let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d);
            let x = covers_from.entry(dir).or_insert(t);
            *x = (*x).min(t);
        }
    }
    let k = &cx.k;
    // Stream events that carry a real index (session.start is always ei 0: nothing to learn).
    let check_ei = cx.s.session_integrity.check_ei;
    let stream = [
        k.session_end,
        k.session_join,
        k.session_leave,
        k.resize,
        k.session_command,
        k.session_disk,
        k.session_network,
    ];
    for s in &cx.m.sessions.list {
        if s.events.is_empty() {
            continue;
        }
        cx.step(s.events.len());
        // One look at each event: what the checks below need.
        let (mut has_start, mut uploaded, mut end, mut indexed) = (false, false, None, Vec::new());
        for &i in &s.events {
            let kind = cx.ev(i).kind;
            has_start |= kind == k.session_start;
            uploaded |= kind == k.session_upload || kind == k.session_data;
            if kind == k.session_end && end.is_none() {
                end = Some(i);
            }
            if check_ei && stream.contains(&kind) {
                indexed.push(i);
            }
        }
        let label = || label(cx, s);
        if let (Some(end), Some(start), false) = (end, s.start, has_start) {
            let f = &cx.m.files[cx.ev(end).file as usize];
            let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d);
            if covers_from.get(dir).is_some_and(|&from| from < start) {
                let label = label();
                let explanation = format!(
                    "{label}: session.end says it started at {}, and the log it is in has events from before then, \
                     but there is no session.start.",
                    when(start)
                );
                out.push(cx.finding(
                    RULE,
                    Severity::Medium,
                    format!("session.start missing for {label}"),
                    explanation,
                    s.events.clone(),
                ));
            }
        }
        if end.is_none() && uploaded {
            let label = label();
            let explanation = format!(
                "{label}: its recording was uploaded (session.upload/session.data), which happens after a session \
                 ends, but there is no session.end."
            );
            out.push(cx.finding(
                RULE,
                Severity::Low,
                format!("session.end missing for {label}"),
                explanation,
                s.events.clone(),
            ));
        }
        if indexed.len() >= 2 {
            indexes(cx, &indexed, end, &label, out);
        }
    }
}

fn label(cx: &Ctx<'_>, s: &Session) -> String {
    format!("{}'s session {} on {}", cx.name(s.user), cx.str(s.sid), cx.name(s.node))
}

/// `ei` of the session's stream events (those that carry a real index).
fn indexes(
    cx: &Ctx<'_>,
    indexed: &[EventId],
    end: Option<EventId>,
    label: &dyn Fn() -> String,
    out: &mut Vec<Finding>,
) {
    let mut eis: Vec<(i64, EventId)> = Vec::new();
    for &i in indexed {
        if let Some(ei) = cx.raw(i).as_deref().and_then(fields::ei) {
            if (0..SPECIAL_EI).contains(&ei) {
                eis.push((ei, i));
            }
        }
    }
    // Before v4.4 audit events carry no `ei` (or all 0): nothing to compare.
    if eis.len() < 2 || eis.iter().all(|&(ei, _)| ei == 0) {
        return;
    }
    let label = label();
    eis.sort_unstable();
    let dups: Vec<EventId> =
        eis.windows(2).filter(|w| w[0].0 == w[1].0).flat_map(|w| [w[0].1, w[1].1]).collect::<Vec<_>>();
    if !dups.is_empty() {
        let same: Vec<String> = eis.windows(2).filter(|w| w[0].0 == w[1].0).map(|w| w[0].0.to_string()).collect();
        let explanation = format!(
            "{label}: different events claim the same ei ({}); a session stream numbers each event once.",
            same.join(", ")
        );
        out.push(cx.finding(RULE, Severity::Medium, format!("Conflicting ei in {label}"), explanation, dups));
    }
    if let Some(end) = end {
        let end_ei = eis.iter().find(|&&(_, i)| i == end).map(|&(ei, _)| ei);
        if let Some(end_ei) = end_ei {
            let after: Vec<EventId> = eis.iter().filter(|&&(ei, _)| ei > end_ei).map(|&(_, i)| i).collect();
            if !after.is_empty() {
                let explanation = format!(
                    "{label}: {} numbered after session.end (ei {end_ei}); nothing follows the end in a session stream.",
                    if after.len() == 1 { "1 event is".to_owned() } else { format!("{} events are", after.len()) }
                );
                let mut events = after;
                events.push(end);
                out.push(cx.finding(
                    RULE,
                    Severity::Medium,
                    format!("Events after the end of {label}"),
                    explanation,
                    events,
                ));
            }
        }
    }
}
