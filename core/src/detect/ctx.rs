//! What every rule reads: the model, the raw-line accessor, the settings, events in time
//! order, and the symbols of the event types rules look for.

use super::finding::{Finding, Severity, MAX_NAMES};
use super::settings::Settings;
use crate::audit::Outcome;
use crate::model::{Event, EventId, Model, Sym, NO_TIME};
use crate::time::{Nanos, NANOS_PER_SEC};
use std::cell::Cell;

pub(super) const MINUTE: Nanos = 60 * NANOS_PER_SEC;
pub(super) const DAY: Nanos = 86_400 * NANOS_PER_SEC;

/// The symbols of the event types rules look for. A type absent from the data gets a symbol
/// no event has.
pub(super) struct Kinds {
    pub session_start: Sym,
    pub session_end: Sym,
    pub session_join: Sym,
    pub session_leave: Sym,
    pub session_upload: Sym,
    pub session_data: Sym,
    pub resize: Sym,
    pub session_command: Sym,
    pub session_disk: Sym,
    pub session_network: Sym,
    pub exec: Sym,
    pub scp: Sym,
    pub sftp: Sym,
    pub port: Sym,
    pub port_local: Sym,
    pub port_remote: Sym,
    pub subsystem: Sym,
    pub x11: Sym,
    pub request_create: Sym,
    pub request_review: Sym,
    pub request_update: Sym,
}

/// Events rules iterate, gathered in the one pass over all events.
#[derive(Clone, Copy)]
pub(super) enum Group {
    SessionStart,
    /// Events that show a user reaching a node.
    Reach,
    /// Command lines: `session.command`, `exec`.
    Commands,
    Network,
    Requests,
}

impl Group {
    const ALL: [Group; 5] = [Group::SessionStart, Group::Reach, Group::Commands, Group::Network, Group::Requests];

    fn kinds(self, k: &Kinds) -> Vec<Sym> {
        match self {
            Group::SessionStart => vec![k.session_start],
            Group::Reach => {
                vec![k.session_start, k.exec, k.scp, k.sftp, k.port, k.port_local, k.port_remote, k.subsystem, k.x11]
            }
            Group::Commands => vec![k.session_command, k.exec],
            Group::Network => vec![k.session_network],
            Group::Requests => vec![k.request_create, k.request_review, k.request_update],
        }
    }
}

impl Kinds {
    fn new(m: &Model) -> Self {
        let k = |s: &str| m.strings.lookup(s).unwrap_or(Sym(u32::MAX));
        Kinds {
            session_start: k("session.start"),
            session_end: k("session.end"),
            session_join: k("session.join"),
            session_leave: k("session.leave"),
            session_upload: k("session.upload"),
            session_data: k("session.data"),
            resize: k("resize"),
            session_command: k("session.command"),
            session_disk: k("session.disk"),
            session_network: k("session.network"),
            exec: k("exec"),
            scp: k("scp"),
            sftp: k("sftp"),
            port: k("port"),
            port_local: k("port.local"),
            port_remote: k("port.remote"),
            subsystem: k("subsystem"),
            x11: k("x11-forward"),
            request_create: k("access_request.create"),
            request_review: k("access_request.review"),
            request_update: k("access_request.update"),
        }
    }
}

/// What every rule reads, gathered once per detection run in one pass over the events: a run
/// may take several tasks, one rule each (see [`super::Detection`]).
pub(super) struct Prepared {
    /// Events with a time, in time order (then file, line).
    order: Vec<EventId>,
    /// Authentication attempts with a time, in time order.
    auth: Vec<EventId>,
    /// Successful logins (authentication attempts and session starts), in time order.
    logins: Vec<EventId>,
    /// Events of each [`Group`], in time order (one pass here instead of one per rule).
    groups: Vec<Vec<EventId>>,
    k: Kinds,
    steps: Cell<u64>,
    /// Raw lines a rule needed and could not get.
    unreadable: Cell<u64>,
}

impl Prepared {
    pub fn new(m: &Model) -> Self {
        // The model's index is used when current; otherwise (the caller did not sort) sort here.
        let (by_time, _) = m.sorted();
        let mut order: Vec<EventId> = if by_time.len() == m.events.len() {
            by_time.to_vec()
        } else {
            let mut v: Vec<EventId> = (0..m.events.len() as EventId).collect();
            v.sort_by_key(|&i| {
                let e = &m.events[i as usize];
                (e.time, e.file, e.line)
            });
            v
        };
        let timed = order.partition_point(|&i| m.events[i as usize].time != NO_TIME);
        order.truncate(timed);
        let k = Kinds::new(m);
        // Symbol index → the groups (bits) an event of that type belongs to.
        let mut mask = vec![0u8; m.strings.len()];
        for (kinds, group) in Group::ALL.iter().map(|g| (g.kinds(&k), *g as u8)) {
            for sym in kinds {
                if let Some(x) = mask.get_mut(sym.index()) {
                    *x |= 1 << group;
                }
            }
        }
        let (mut auth, mut logins, mut groups) = (Vec::new(), Vec::new(), vec![Vec::new(); Group::ALL.len()]);
        for &id in order.iter() {
            let e = &m.events[id as usize];
            if e.is_auth {
                auth.push(id);
            }
            let session = e.kind == k.session_start && e.outcome != Outcome::Failure;
            if session || (e.is_auth && e.outcome == Outcome::Success) {
                logins.push(id);
            }
            let mut bits = mask.get(e.kind.index()).copied().unwrap_or(0);
            while bits != 0 {
                groups[bits.trailing_zeros() as usize].push(id);
                bits &= bits - 1;
            }
        }
        let steps = Cell::new(order.len() as u64);
        Prepared { order, auth, logins, groups, k, steps, unreadable: Cell::new(0) }
    }

    pub fn steps(&self) -> u64 {
        self.steps.get()
    }

    pub fn unreadable(&self) -> u64 {
        self.unreadable.get()
    }
}

pub(super) struct Ctx<'a> {
    pub m: &'a Model,
    raw: &'a dyn Fn(EventId) -> Option<Vec<u8>>,
    pub s: &'a Settings,
    /// Events with a time, in time order (then file, line).
    pub order: &'a [EventId],
    /// Authentication attempts with a time, in time order.
    pub auth: &'a [EventId],
    /// Successful logins (authentication attempts and session starts), in time order.
    pub logins: &'a [EventId],
    groups: &'a [Vec<EventId>],
    pub k: &'a Kinds,
    steps: &'a Cell<u64>,
    /// Raw lines a rule needed and could not get.
    pub unreadable: &'a Cell<u64>,
}

impl<'a> Ctx<'a> {
    /// The model `p` was prepared from, as it still is.
    pub fn new(m: &'a Model, raw: &'a dyn Fn(EventId) -> Option<Vec<u8>>, s: &'a Settings, p: &'a Prepared) -> Self {
        Ctx {
            m,
            raw,
            s,
            order: &p.order,
            auth: &p.auth,
            logins: &p.logins,
            groups: &p.groups,
            k: &p.k,
            steps: &p.steps,
            unreadable: &p.unreadable,
        }
    }

    /// Events of a group, in time order.
    pub fn of(&self, group: Group) -> &[EventId] {
        &self.groups[group as usize]
    }

    pub fn ev(&self, id: EventId) -> &'a Event {
        &self.m.events[id as usize]
    }

    pub fn str(&self, sym: Sym) -> &'a str {
        self.m.strings.get(sym)
    }

    /// A name for people: the string, or `(unknown)`.
    pub fn name(&self, sym: Sym) -> String {
        if sym.is_none() {
            "(unknown)".into()
        } else {
            self.str(sym).to_owned()
        }
    }

    /// The event's line, if it can be had.
    pub fn raw(&self, id: EventId) -> Option<Vec<u8>> {
        let r = (self.raw)(id);
        if r.is_none() {
            self.unreadable.set(self.unreadable.get() + 1);
        }
        r
    }

    /// Counts work done in inner loops, so tests can bound it.
    pub fn step(&self, n: usize) {
        self.steps.set(self.steps.get() + n as u64);
    }

    /// Sorts ids as the model's time index does.
    pub fn sort_by_time(&self, ids: &mut [EventId]) {
        let m = self.m;
        ids.sort_unstable_by_key(|&i| {
            let e = &m.events[i as usize];
            (e.time, e.file, e.line, i)
        });
    }

    /// A finding over `events`; times and names are taken from the events.
    pub fn finding(
        &self,
        rule: &str,
        severity: Severity,
        title: String,
        explanation: String,
        mut events: Vec<EventId>,
    ) -> Finding {
        let m = self.m;
        self.sort_by_time(&mut events);
        events.dedup();
        self.step(events.len());
        let times = || events.iter().map(|&i| m.events[i as usize].time).filter(|&t| t != NO_TIME);
        let (mut users, mut nodes, mut addrs) = (Names::default(), Names::default(), Names::default());
        for &i in &events {
            let e = &m.events[i as usize];
            users.add(e.user, m);
            nodes.add(e.node, m);
            addrs.add(e.remote, m);
        }
        Finding {
            rule: rule.to_owned(),
            severity,
            title,
            explanation,
            time_start: times().min(),
            time_end: times().max(),
            users: users.list,
            nodes: nodes.list,
            addrs: addrs.list,
            events,
        }
    }
}

/// Distinct names in order of appearance, at most [`MAX_NAMES`].
#[derive(Default)]
struct Names {
    seen: Vec<Sym>,
    list: Vec<String>,
}

impl Names {
    fn add(&mut self, sym: Sym, m: &Model) {
        if sym.is_none() || self.list.len() >= MAX_NAMES || self.seen.contains(&sym) {
            return;
        }
        self.seen.push(sym);
        self.list.push(m.str(sym).to_owned());
    }
}
