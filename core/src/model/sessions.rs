//! Sessions reconstructed from `session.start/join/leave/end/upload/data` (and every other event
//! carrying a `sid`), in any order, across files and auth servers.

use super::interned::{Interned, SessionRole};
use super::strings::{Strings, Sym};
use super::EventId;
use crate::time::Nanos;

#[derive(Clone, Debug, Default)]
pub struct Session {
    pub sid: Sym,
    /// Who opened it: the user of `session.start`, else the first user seen.
    pub user: Sym,
    pub login: Sym,
    pub node: Sym,
    pub server_id: Sym,
    pub remote: Sym,
    pub cluster: Sym,
    pub proto: Sym,
    /// Time of `session.start`, else `session_start` of `session.end`.
    pub start: Option<Nanos>,
    /// Time of `session.end`, else its `session_stop`. `None`: still open or end unknown.
    pub end: Option<Nanos>,
    pub first_seen: Nanos,
    pub last_seen: Nanos,
    /// Everyone who took part: the opener, joiners, and `session.end` participants.
    pub participants: Vec<Sym>,
    pub joins: u32,
    pub interactive: Option<bool>,
    pub terminal_size: Sym,
    /// A `session.upload` event says a recording was stored.
    pub uploaded: bool,
    /// Recording parts found among the loaded files for this session.
    pub recording_parts: u32,
    pub events: Vec<EventId>,
    start_from_event: bool,
}

impl Session {
    /// Best known start: the start event, else the earliest event seen.
    pub fn start_or_first(&self) -> Nanos {
        self.start.unwrap_or(self.first_seen)
    }

    pub fn duration(&self) -> Option<Nanos> {
        Some(self.end? - self.start_or_first())
    }

    pub fn has_recording(&self) -> bool {
        self.uploaded || self.recording_parts > 0
    }
}

#[derive(Default)]
pub struct Sessions {
    /// Session index + 1 by session id symbol (0: none). Symbols are small dense integers, so
    /// an array finds a session in one read, where a hash map would hash every event's sid.
    by_sid: Vec<u32>,
    pub list: Vec<Session>,
}

impl Sessions {
    pub fn get(&self, sid: Sym) -> Option<&Session> {
        self.index_of(sid).map(|i| &self.list[i as usize])
    }

    pub fn index_of(&self, sid: Sym) -> Option<u32> {
        self.by_sid.get(sid.index()).and_then(|&i| i.checked_sub(1))
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub(crate) fn entry(&mut self, sid: Sym, time: Nanos) -> &mut Session {
        if self.by_sid.len() <= sid.index() {
            self.by_sid.resize(sid.index() + 1, 0);
        }
        let slot = &mut self.by_sid[sid.index()];
        if *slot == 0 {
            self.list.push(Session { sid, first_seen: time, last_seen: time, ..Session::default() });
            *slot = self.list.len() as u32;
        }
        &mut self.list[*slot as usize - 1]
    }

    /// Folds one event into its session; what only the session needs is interned here, if it
    /// is taken. Order-independent: the result is the same whatever order files and lines
    /// arrive in.
    pub(crate) fn add(&mut self, id: EventId, e: &Interned<'_>, strings: &mut Strings) {
        let Some(text) = e.session.as_ref().filter(|_| !e.sid.is_none()) else {
            return;
        };
        let (sid, user) = (e.sid, e.user);
        let time = e.time;
        let t = time.unwrap_or(Nanos::MAX);
        let s = self.entry(sid, t);
        s.events.push(id);
        if time.is_some() {
            if s.first_seen == Nanos::MAX || t < s.first_seen {
                s.first_seen = t;
            }
            if s.last_seen == Nanos::MAX || t > s.last_seen {
                s.last_seen = t;
            }
        }
        add_participant(s, user);
        match text.role {
            SessionRole::Start => {
                // With several start events (HA duplicates, clock skew), the earliest wins.
                let earlier = !s.start_from_event || time.is_some_and(|t| s.start.is_none_or(|st| t < st));
                if earlier {
                    s.start_from_event = true;
                    s.start = time.or(s.start);
                    s.user = user;
                    s.login = e.login;
                    s.node = e.node;
                    s.server_id = strings.intern_opt(text.server_id);
                    s.remote = strings.intern_opt(text.addr_remote);
                    s.terminal_size = strings.intern_opt(text.size);
                }
            }
            SessionRole::Join => s.joins += 1,
            SessionRole::End => {
                if let Some(t) = time.or(text.session_stop) {
                    s.end = Some(s.end.map_or(t, |end| end.max(t)));
                }
                if !s.start_from_event {
                    if let Some(st) = text.session_start {
                        s.start = Some(s.start.map_or(st, |x| x.min(st)));
                    }
                }
                if text.interactive.is_some() {
                    s.interactive = text.interactive;
                }
                for p in &text.participants {
                    let p = strings.intern(p);
                    add_participant(s, p);
                }
            }
            SessionRole::Upload => s.uploaded = true,
            SessionRole::Other => {}
        }
        // Fill what is still unknown from any event of the session.
        if s.user.is_none() {
            s.user = user;
        }
        if s.login.is_none() {
            s.login = e.login;
        }
        if s.node.is_none() {
            s.node = e.node;
        }
        if s.server_id.is_none() {
            s.server_id = strings.intern_opt(text.server_id);
        }
        if s.remote.is_none() {
            s.remote = strings.intern_opt(text.addr_remote);
        }
        if s.cluster.is_none() {
            s.cluster = e.cluster;
        }
        if s.proto.is_none() {
            s.proto = strings.intern_opt(text.proto);
        }
    }
}

fn add_participant(s: &mut Session, user: Sym) {
    if !user.is_none() && !s.participants.contains(&user) {
        s.participants.push(user);
    }
}
