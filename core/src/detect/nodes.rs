//! `node-spread`: one user reaching many distinct nodes within a few minutes (lateral
//! movement, or a stolen identity sweeping the fleet). One pass per user with a sliding window
//! that counts nodes in it.

use super::ctx::{Ctx, Group, MINUTE};
use super::finding::{count, duration, list, span, Finding, Severity};
use super::window::Merger;
use crate::audit::Outcome;
use crate::model::{EventId, Sym};
use crate::time::Nanos;
use foldhash::{HashMap, HashSet};

pub(super) const RULE: &str = "node-spread";

pub(super) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let st = &cx.s.node_spread;
    let mut by_user: HashMap<Sym, Vec<EventId>> = HashMap::default();
    for &id in cx.of(Group::Reach) {
        let e = cx.ev(id);
        if !e.user.is_none() && !e.node.is_none() && e.outcome != Outcome::Failure {
            by_user.entry(e.user).or_default().push(id);
        }
    }
    let need = st.nodes.max(1) as usize;
    let window = i64::from(st.window_minutes) * MINUTE;
    for (user, ids) in by_user {
        let times: Vec<Nanos> = ids.iter().map(|&i| cx.ev(i).time).collect();
        let mut merger = Merger::new(&times, window);
        let mut in_window: HashMap<Sym, u32> = HashMap::default();
        let mut j = 0;
        for i in 0..ids.len() {
            *in_window.entry(cx.ev(ids[i]).node).or_default() += 1;
            while times[i] - times[j] > window {
                let n = cx.ev(ids[j]).node;
                if let Some(c) = in_window.get_mut(&n) {
                    *c -= 1;
                    if *c == 0 {
                        in_window.remove(&n);
                    }
                }
                j += 1;
                cx.step(1);
            }
            if in_window.len() >= need {
                merger.hit(j, i);
            }
        }
        cx.step(ids.len());
        for r in merger.finish() {
            let events = ids[r.clone()].to_vec();
            let mut seen: HashSet<Sym> = HashSet::default();
            let nodes: Vec<Sym> = events.iter().map(|&i| cx.ev(i).node).filter(|&n| seen.insert(n)).collect();
            let names: Vec<String> = nodes.iter().map(|&n| cx.name(n)).collect();
            let (t0, t1) = (times[r.start], times[r.end - 1]);
            let user = cx.name(user);
            let explanation = format!(
                "{user} reached {} within {} ({}): {}.",
                count(names.len(), "distinct node", "distinct nodes"),
                duration(t1 - t0),
                span(t0, t1),
                list(&names, 8)
            );
            let title = format!("{user} reached {} nodes in {}", names.len(), duration(t1 - t0));
            out.push(cx.finding(RULE, Severity::Medium, title, explanation, events));
        }
    }
}
