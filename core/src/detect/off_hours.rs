//! `off-hours`: sessions started outside working hours (hours, workdays and UTC offset from
//! the settings). A user with enough activity on other days is judged against their own usual
//! time of day too, so people in other time zones and night-shift bots stay quiet; only
//! sessions well outside both are reported. One finding per user and local day.

use super::ctx::{Ctx, Group, MINUTE};
use super::finding::{duration, list, Finding, Severity};
use super::hours::{Clock, Profiles};
use super::privileged::{session_events, PrivilegedLogins};
use crate::audit::Outcome;
use crate::model::{EventId, Sym};
use foldhash::HashMap;

pub(super) const RULE: &str = "off-hours";

/// A session start outside working hours, and how far outside the user's own hours (`None`:
/// no baseline).
type Flagged = (EventId, Option<u32>);

pub(super) fn run(cx: &Ctx<'_>, clock: &Clock, profiles: &Profiles, out: &mut Vec<Finding>) {
    let wh = &cx.s.working_hours;
    let privileged = PrivilegedLogins::new(cx);
    // (user, local day) → sessions, in time order.
    let mut groups: HashMap<(Sym, i64), Vec<Flagged>> = HashMap::default();
    let mut keys: Vec<(Sym, i64)> = Vec::new();
    for &id in cx.of(Group::SessionStart) {
        let e = cx.ev(id);
        if e.outcome == Outcome::Failure || e.user.is_none() || clock.working(e.time) {
            continue;
        }
        let distance = profiles.distance(cx, clock, e.user, e.time, wh.min_history);
        if distance.is_some_and(|d| d <= wh.slack_minutes) {
            continue;
        }
        let key = (e.user, clock.local(e.time).day);
        let g = groups.entry(key).or_default();
        if g.is_empty() {
            keys.push(key);
        }
        g.push((id, distance));
    }
    for key in keys {
        let g = &groups[&key];
        let user = cx.name(key.0);
        let mut severity = Severity::Low;
        let mut lines = Vec::new();
        let mut events = Vec::new();
        for &(id, distance) in g {
            let e = cx.ev(id);
            let is_privileged = privileged.get(cx, e.login).is_some();
            // Judged against the user's own hours: worth a look; also privileged: more so.
            if distance.is_some() {
                severity = severity.max(if is_privileged { Severity::High } else { Severity::Medium });
            }
            lines.push(format!(
                "{} as {:?} on {}{}",
                clock.show(e.time),
                cx.str(e.login),
                cx.name(e.node),
                match distance {
                    Some(d) => format!(", {} outside {user}'s usual hours", duration(i64::from(d) * MINUTE)),
                    None => String::new(),
                }
            ));
            events.extend(session_events(cx, id));
        }
        let baseline = if g.iter().all(|&(_, d)| d.is_none()) {
            format!(" ({user} has too little activity on other days for a personal baseline)")
        } else {
            String::new()
        };
        let explanation = format!(
            "{user} started {} outside working hours ({}){baseline}: {}.",
            if g.len() == 1 { "a session".to_owned() } else { format!("{} sessions", g.len()) },
            clock.hours(),
            list(&lines, 5)
        );
        let title = format!("{user} active outside working hours");
        out.push(cx.finding(RULE, severity, title, explanation, events));
    }
}
