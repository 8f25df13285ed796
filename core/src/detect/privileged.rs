//! `privileged-login`: sessions as root/administrator, and denied attempts to become them.
//!
//! Admins open root shells all day, so a privileged session is reported when it is not routine
//! for that user (privileged sessions on fewer than `routine_days` other days), or when it
//! starts outside working hours *and* well outside the user's own usual hours.

use super::ctx::{Ctx, Group, MINUTE};
use super::finding::{count, duration, span, Finding, Severity};
use super::hours::{Clock, Profiles};
use super::window::bursts;
use crate::audit::Outcome;
use crate::model::{EventId, Sym};
use crate::time::Nanos;
use foldhash::{HashMap, HashSet};

pub(super) const RULE: &str = "privileged-login";

/// Which login symbols are privileged, by their normalized name.
pub(super) struct PrivilegedLogins {
    names: Vec<String>,
    cache: std::cell::RefCell<HashMap<Sym, Option<String>>>,
}

impl PrivilegedLogins {
    pub fn new(cx: &Ctx<'_>) -> Self {
        let names = cx.s.privileged.logins.iter().map(|l| normalize(l)).filter(|l| !l.is_empty()).collect();
        PrivilegedLogins { names, cache: Default::default() }
    }

    /// The privileged name `login` stands for, if it is one.
    pub fn get(&self, cx: &Ctx<'_>, login: Sym) -> Option<String> {
        if login.is_none() {
            return None;
        }
        self.cache
            .borrow_mut()
            .entry(login)
            .or_insert_with(|| {
                let n = normalize(cx.str(login));
                self.names.contains(&n).then_some(n)
            })
            .clone()
    }
}

/// Lower case, without terminal escape sequences and control characters: `ESC[31mroot` is a
/// way of asking for root too.
fn normalize(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                while let Some(&d) = chars.peek() {
                    chars.next();
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
            continue;
        }
        if !c.is_control() {
            out.extend(c.to_lowercase());
        }
    }
    out.trim().to_owned()
}

pub(super) fn run(cx: &Ctx<'_>, clock: &Clock, profiles: &Profiles, out: &mut Vec<Finding>) {
    let logins = PrivilegedLogins::new(cx);
    sessions(cx, clock, profiles, &logins, out);
    denied(cx, &logins, out);
}

fn sessions(cx: &Ctx<'_>, clock: &Clock, profiles: &Profiles, logins: &PrivilegedLogins, out: &mut Vec<Finding>) {
    let wh = &cx.s.working_hours;
    let mut starts: Vec<(EventId, String)> = Vec::new();
    let mut days: HashMap<(Sym, String), HashSet<i64>> = HashMap::default();
    for &id in cx.of(Group::SessionStart) {
        let e = cx.ev(id);
        if e.outcome == Outcome::Failure {
            continue;
        }
        if let Some(name) = logins.get(cx, e.login) {
            days.entry((e.user, name.clone())).or_default().insert(clock.local(e.time).day);
            starts.push((id, name));
        }
    }
    for (id, name) in starts {
        let e = cx.ev(id);
        let on = &days[&(e.user, name.clone())];
        let other_days = on.len() - usize::from(on.contains(&clock.local(e.time).day));
        let routine = other_days >= cx.s.privileged.routine_days as usize;
        let working = clock.working(e.time);
        let distance = if working { Some(0) } else { profiles.distance(cx, clock, e.user, e.time, wh.min_history) };
        let odd_hour = !working && distance.is_none_or(|d| d > wh.slack_minutes);
        if routine && !odd_hour {
            continue;
        }
        let (user, login, node) = (cx.name(e.user), cx.name(e.login), cx.name(e.node));
        let mut why = Vec::new();
        if odd_hour {
            why.push(match distance {
                Some(d) => format!(
                    "outside working hours ({}) and {} away from the hours {user} is active on other days",
                    clock.hours(),
                    duration(i64::from(d) * MINUTE)
                ),
                None => format!("outside working hours ({})", clock.hours()),
            });
        }
        why.push(if routine {
            format!("{name} is routine for {user} (used on {other_days} other days)")
        } else if other_days == 0 {
            format!("{user} has no other day with a {name} session in the loaded logs")
        } else {
            format!("{user} opened {name} sessions on only {other_days} other days")
        });
        let explanation =
            format!("{user} opened a session as {login:?} on {node} at {}: {}.", clock.show(e.time), why.join("; "));
        let events = session_events(cx, id);
        let severity = if odd_hour { Severity::High } else { Severity::Medium };
        out.push(cx.finding(RULE, severity, format!("{name} session by {user} on {node}"), explanation, events));
    }
}

/// The session's events when it is known, else just the event.
pub(super) fn session_events(cx: &Ctx<'_>, id: EventId) -> Vec<EventId> {
    let e = cx.ev(id);
    match cx.m.sessions.get(e.sid) {
        Some(s) if !e.sid.is_none() && s.events.contains(&id) => s.events.clone(),
        _ => vec![id],
    }
}

/// Repeated denied attempts to log in as a privileged login, per user.
fn denied(cx: &Ctx<'_>, logins: &PrivilegedLogins, out: &mut Vec<Finding>) {
    let st = &cx.s.privileged;
    let mut by_user: HashMap<Sym, Vec<EventId>> = HashMap::default();
    for &id in cx.auth {
        let e = cx.ev(id);
        if e.outcome == Outcome::Failure && !e.user.is_none() && logins.get(cx, e.login).is_some() {
            by_user.entry(e.user).or_default().push(id);
        }
    }
    let window = i64::from(st.denied_window_minutes) * MINUTE;
    for (user, ids) in by_user {
        let times: Vec<Nanos> = ids.iter().map(|&i| cx.ev(i).time).collect();
        let (found, steps) = bursts(&times, st.denied_attempts as usize, window);
        cx.step(steps);
        for r in found {
            let (t0, t1) = (times[r.start], times[r.end - 1]);
            let events = ids[r].to_vec();
            let mut seen = HashSet::default();
            let names: Vec<String> = events
                .iter()
                .map(|&i| cx.ev(i).login)
                .filter(|&l| seen.insert(l))
                .map(|l| format!("{:?}", cx.str(l)))
                .collect();
            let user = cx.name(user);
            let explanation = format!(
                "{} for {user} to log in as {} within {} ({}).",
                count(events.len(), "denied attempt", "denied attempts"),
                super::finding::list(&names, 5),
                duration(t1 - t0),
                span(t0, t1)
            );
            out.push(cx.finding(
                RULE,
                Severity::Medium,
                format!("Denied privileged logins by {user}"),
                explanation,
                events,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn normalizes_escapes() {
        assert_eq!(super::normalize("\u{1b}[2J\u{1b}[31mroot"), "root");
        assert_eq!(super::normalize(" Administrator "), "administrator");
    }
}
