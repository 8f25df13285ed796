//! `session-join`: someone joins a session another user opened (watching or typing into
//! someone else's shell). One finding per session and joiner; one pass over each session.

use super::ctx::Ctx;
use super::finding::{when, Finding, Severity};
use crate::model::{EventId, Sym};
use foldhash::{HashMap, HashSet};

pub(super) const RULE: &str = "session-join";

pub(super) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let k = &cx.k;
    for s in &cx.m.sessions.list {
        if s.joins == 0 || s.user.is_none() {
            continue;
        }
        cx.step(s.events.len());
        // Per joiner (in order of joining): their first join, and their own events.
        let mut joiners: Vec<(Sym, EventId)> = Vec::new();
        let mut joined: HashSet<Sym> = HashSet::default();
        let mut theirs: HashMap<Sym, Vec<EventId>> = HashMap::default();
        let mut starts: Vec<EventId> = Vec::new();
        // In time order, so that "first join" means first (events arrive in file order).
        let mut ids = s.events.clone();
        cx.sort_by_time(&mut ids);
        for i in ids {
            let e = cx.ev(i);
            if e.kind == k.session_start {
                starts.push(i);
            } else if e.user != s.user && !e.user.is_none() && e.kind != k.session_end {
                if e.kind == k.session_join && joined.insert(e.user) {
                    joiners.push((e.user, i));
                }
                theirs.entry(e.user).or_default().push(i);
            }
        }
        for (user, join) in joiners {
            let e = cx.ev(join);
            let mut events = theirs.remove(&user).unwrap_or_default();
            events.extend(&starts);
            let (joiner, owner) = (cx.name(user), cx.name(s.user));
            let node = cx.name(if s.node.is_none() { e.node } else { s.node });
            let explanation = format!(
                "{joiner} joined {owner}'s session {} on {node} (as {:?}) at {}{}.",
                cx.str(s.sid),
                cx.str(s.login),
                when(e.time),
                if e.remote.is_none() { String::new() } else { format!(" from {}", cx.str(e.remote)) }
            );
            out.push(cx.finding(
                RULE,
                Severity::Low,
                format!("{joiner} joined {owner}'s session on {node}"),
                explanation,
                events,
            ));
        }
    }
}
