//! What ran inside sessions: `network-denied` (enhanced recording's `session.network` with
//! action 1 = DENIED) and `watched-command` (`session.command` path/argv, and `exec` command
//! lines, against the watch list). Both read raw lines of just these event types and group
//! per session, so one compromised shell is one finding per rule.

use super::ctx::{Ctx, Group};
use super::fields::{self, Fields};
use super::finding::{list, when, Finding, Severity};
use super::watch::{only_loopback, Line, Pattern};
use crate::model::{EventId, Sym};
use foldhash::HashMap;

pub(super) const NETWORK: &str = "network-denied";
pub(super) const COMMAND: &str = "watched-command";

/// Per session (or per event when it has no session id), in order of first appearance.
struct Groups<T> {
    keys: Vec<(Sym, EventId)>,
    items: HashMap<(Sym, EventId), Vec<T>>,
}

impl<T> Groups<T> {
    fn new() -> Self {
        Groups { keys: Vec::new(), items: HashMap::default() }
    }

    fn push(&mut self, sid: Sym, id: EventId, item: T) {
        let key = (sid, if sid.is_none() { id } else { 0 });
        let v = self.items.entry(key).or_default();
        if v.is_empty() {
            self.keys.push(key);
        }
        v.push(item);
    }
}

/// `dave's session 2cce… on web-02` for explanations.
fn whose(cx: &Ctx<'_>, id: EventId) -> String {
    let e = cx.ev(id);
    let s = cx.m.sessions.get(e.sid).filter(|_| !e.sid.is_none());
    let user = cx.name(s.map(|s| s.user).filter(|u| !u.is_none()).unwrap_or(e.user));
    let node = cx.name(if e.node.is_none() { s.map_or(e.node, |s| s.node) } else { e.node });
    match s {
        Some(_) => format!("{user}'s session {} on {node}", cx.str(e.sid)),
        None => format!("{user} on {node}"),
    }
}

pub(super) fn network(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut groups: Groups<(EventId, String)> = Groups::new();
    for &id in cx.of(Group::Network) {
        let e = cx.ev(id);
        let Some(f) = cx.raw(id).as_deref().and_then(Fields::parse) else { continue };
        let denied = f.int("action") == Some(1) || f.str("action").is_some_and(|a| a.eq_ignore_ascii_case("denied"));
        if !denied {
            continue;
        }
        let dst = match (f.str("dst_addr"), f.int("dst_port")) {
            (Some(a), Some(p)) => format!("{a}:{p}"),
            (Some(a), None) => a.to_owned(),
            _ => "an unknown destination".to_owned(),
        };
        let program = f.str("program").map(|p| format!("{p} ")).unwrap_or_default();
        let pid = f.int("pid").map(|p| format!("(pid {p}) ")).unwrap_or_default();
        groups.push(e.sid, id, (id, format!("{program}{pid}to {dst} at {}", when(e.time))));
    }
    for key in groups.keys {
        let items = &groups.items[&key];
        let first = items[0].0;
        let lines: Vec<&str> = items.iter().map(|(_, l)| l.as_str()).collect();
        let explanation = format!(
            "Enhanced recording denied {} in {}: {}.",
            if items.len() == 1 { "a connection".to_owned() } else { format!("{} connections", items.len()) },
            whose(cx, first),
            list(&lines, 5)
        );
        let events = items.iter().map(|&(id, _)| id).collect();
        let title = format!("Network connection denied in {}", whose(cx, first));
        out.push(cx.finding(NETWORK, Severity::High, title, explanation, events));
    }
}

pub(super) fn commands(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let st = &cx.s.watch;
    let patterns: Vec<Pattern> = st.patterns.iter().filter_map(|p| Pattern::parse(p)).collect();
    if patterns.is_empty() {
        return;
    }
    let keys: Vec<memchr::memmem::Finder<'static>> =
        patterns.iter().map(|p| memchr::memmem::Finder::new(p.key().as_bytes()).into_owned()).collect();
    let mut groups: Groups<(EventId, String, Vec<usize>)> = Groups::new();
    for &id in cx.of(Group::Commands) {
        let e = cx.ev(id);
        if e.kind == cx.k.exec && !st.include_exec {
            continue;
        }
        let Some(raw) = cx.raw(id) else { continue };
        let Some(line) = fields::command_line(&raw, e.kind == cx.k.exec) else { continue };
        // Most command lines name no watched program at all.
        let lower = line.to_ascii_lowercase();
        if !keys.iter().any(|k| k.find(lower.as_bytes()).is_some()) {
            continue;
        }
        let line = Line::new(line);
        cx.step(line.segments.len() * patterns.len());
        let hits: Vec<usize> = patterns
            .iter()
            .enumerate()
            .filter(|(_, p)| match p.matches(&line) {
                Some(seg) => !(st.ignore_loopback && line.segments.get(seg).is_some_and(|s| only_loopback(&s.words))),
                None => false,
            })
            .map(|(i, _)| i)
            .collect();
        if !hits.is_empty() {
            groups.push(e.sid, id, (id, line.text, hits));
        }
    }
    for key in groups.keys {
        let items = &groups.items[&key];
        let first = items[0].0;
        let mut matched: Vec<usize> = items.iter().flat_map(|(_, _, h)| h.iter().copied()).collect();
        matched.sort_unstable();
        matched.dedup();
        let lines: Vec<String> = items
            .iter()
            .map(|(id, line, hits)| {
                let names: Vec<&str> = hits.iter().map(|&h| patterns[h].text.as_str()).collect();
                format!("{:?} at {} [{}]", line, when(cx.ev(*id).time), names.join(", "))
            })
            .collect();
        let explanation = format!(
            "{} ran {} matching the watch list: {}.",
            whose(cx, first),
            if items.len() == 1 { "a command".to_owned() } else { format!("{} commands", items.len()) },
            list(&lines, 6)
        );
        // Several different watched techniques in one session look like an intrusion.
        let severity = if matched.len() >= 2 { Severity::High } else { Severity::Medium };
        let events = items.iter().map(|(id, _, _)| *id).collect();
        let title = format!("Watched commands in {}", whose(cx, first));
        out.push(cx.finding(COMMAND, severity, title, explanation, events));
    }
}
