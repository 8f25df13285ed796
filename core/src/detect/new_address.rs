//! `new-address`: a user's successful login from an address not seen for them before.
//!
//! Baseline, so that normal traffic stays quiet: the user must have `min_history` earlier
//! logins (no one's first day is flagged); an address they go on to use on `regular_days`
//! distinct days is a new regular address (a new home), and one that is a regular address of
//! `shared_users` other users is the organisation's (office NAT, VPN). Logins are successful
//! authentication attempts and session starts.

use super::ctx::{Ctx, DAY, MINUTE};
use super::finding::{count, list, when, Finding, Severity};
use crate::audit::Outcome;
use crate::model::{EventId, Sym};
use foldhash::{HashMap, HashSet};

pub(super) const RULE: &str = "new-address";

#[derive(Default)]
struct Pair {
    logins: Vec<EventId>,
    days: u32,
    last_day: Option<i64>,
}

pub(super) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let st = &cx.s.new_address;
    let mut pairs: HashMap<(Sym, Sym), Pair> = HashMap::default();
    let mut failures: HashMap<(Sym, Sym), Vec<EventId>> = HashMap::default();
    for &id in cx.auth {
        let e = cx.ev(id);
        if e.outcome == Outcome::Failure && !e.user.is_none() && !e.remote.is_none() {
            failures.entry((e.user, e.remote)).or_default().push(id);
        }
    }
    let logins: Vec<EventId> =
        cx.logins.iter().copied().filter(|&i| !cx.ev(i).user.is_none() && !cx.ev(i).remote.is_none()).collect();
    for &id in &logins {
        let e = cx.ev(id);
        {
            let p = pairs.entry((e.user, e.remote)).or_default();
            p.logins.push(id);
            let day = e.time.div_euclid(DAY);
            if p.last_day != Some(day) {
                p.days += 1;
                p.last_day = Some(day);
            }
        }
    }
    // Addresses that are regular for several users.
    let mut regulars: HashMap<Sym, u32> = HashMap::default();
    for (&(_, addr), p) in &pairs {
        if p.days >= st.regular_days.max(1) {
            *regulars.entry(addr).or_default() += 1;
        }
    }
    let shared = |addr: Sym| regulars.get(&addr).is_some_and(|&n| n >= st.shared_users.max(1));
    let mut seen: HashMap<Sym, Seen> = HashMap::default();
    for id in logins {
        let e = cx.ev(id);
        let s = seen.entry(e.user).or_default();
        if s.addrs.insert(e.remote) {
            let p = &pairs[&(e.user, e.remote)];
            if s.logins >= st.min_history && p.days < st.regular_days.max(1) && !shared(e.remote) {
                out.push(report(cx, id, s, p, failures.get(&(e.user, e.remote))));
            }
            if s.first.len() < 5 {
                s.first.push(e.remote);
            }
        }
        s.logins += 1;
    }
}

/// Per user: the addresses seen so far (the first few in order, for explanations) and how
/// many logins.
#[derive(Default)]
struct Seen {
    addrs: HashSet<Sym>,
    first: Vec<Sym>,
    logins: u32,
}

fn report(cx: &Ctx<'_>, id: EventId, seen: &Seen, p: &Pair, fails: Option<&Vec<EventId>>) -> Finding {
    let st = &cx.s.new_address;
    let e = cx.ev(id);
    let (user, addr) = (cx.name(e.user), cx.name(e.remote));
    // Failed attempts for the user from that address shortly before: someone trying
    // credentials from a new place.
    let within = i64::from(st.failures_within_minutes) * MINUTE;
    let fails: Vec<EventId> = fails
        .map(|v| v.iter().copied().filter(|&f| (0..=within).contains(&(e.time - cx.ev(f).time))).collect())
        .unwrap_or_default();
    let shown: Vec<String> = seen.first.iter().map(|&s| cx.name(s)).collect();
    let others = seen.addrs.len() - 1;
    let how = if e.kind == cx.k.session_start {
        format!("a session on {}", cx.name(e.node))
    } else {
        format!("a successful {}", cx.str(e.kind))
    };
    let explanation = format!(
        "{user} logged in from {addr} ({how}) at {}, an address not seen for them before: their {} came from {} ({}); \
         {addr} is not used by {user} on any other day{}.",
        when(e.time),
        count(seen.logins as usize, "earlier login", "earlier logins"),
        count(others, "other address", "other addresses"),
        if others > shown.len() { format!("{} …", shown.join(", ")) } else { list(&shown, 5) },
        if fails.is_empty() {
            String::new()
        } else {
            format!(", and {} from it came just before", count(fails.len(), "failed attempt", "failed attempts"))
        }
    );
    let severity = if fails.is_empty() { Severity::Medium } else { Severity::High };
    let mut events = p.logins.clone();
    events.extend(fails);
    cx.finding(RULE, severity, format!("{user} from a new address {addr}"), explanation, events)
}
