//! A seeded, deterministic simulation of an organisation using Teleport: who logs in when,
//! which sessions and commands follow, what fails, and a few planted incidents. It produces
//! logical [`Event`]s for one version; [`crate::layout`] writes them as that version's files.

pub mod actions;
pub mod day;
pub mod incidents;
pub mod org;

use crate::event::{Event, Key, Kind, Text, Value};
use crate::rng::Rng;
use crate::timefmt::Nanos;
use crate::version::Version;
use org::{Node, Org, User};

/// What a recording of an interactive session would need: who, where, when, and what was typed.
/// The demo keeps these so that recordings matching the audit log can be added (see
/// [`crate::demo`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SessionSketch {
    pub sid: u128,
    pub user: String,
    pub login: String,
    pub hostname: String,
    pub server_id: u128,
    pub start: Nanos,
    /// `None` for sessions that never ended (the node crashed).
    pub end: Option<Nanos>,
    /// Terminal size at the start, columns × rows.
    pub size: (u16, u16),
    /// Commands typed, with when.
    pub commands: Vec<(Nanos, String)>,
    pub joiner: Option<String>,
    /// Enhanced recording was on: `session.command`/`session.network` events exist.
    pub enhanced: bool,
    /// The session's stream events exactly as logged (start, resizes, join/leave, enhanced
    /// events, end), in time order: a recording replays these at the same times.
    pub stream: Vec<Event>,
}

/// The simulation's state for one stretch of time of one cluster.
pub struct Sim<'a> {
    pub org: &'a Org,
    pub version: Version,
    pub rng: Rng,
    pub events: Vec<Event>,
    pub sessions: Vec<SessionSketch>,
    /// Sessions that started and never ended.
    pub crashed: Vec<u128>,
    /// Keep sketches of sessions (the demo wants them; the bulk path does not).
    pub keep_sketches: bool,
}

impl<'a> Sim<'a> {
    pub fn new(org: &'a Org, version: Version, rng: Rng) -> Self {
        Sim { org, version, rng, events: Vec::new(), sessions: Vec::new(), crashed: Vec::new(), keep_sketches: true }
    }

    /// A new event with a fresh uid.
    pub fn event(&mut self, kind: Kind, time: Nanos, code: &'static str) -> Event {
        Event::new(kind, time, self.rng.uuid(), code)
    }

    pub fn emit(&mut self, ev: Event) {
        self.events.push(ev);
    }

    /// Session ids were time-based UUIDs in older versions, random ones later.
    pub fn session_id(&mut self, t: Nanos) -> u128 {
        if self.version < Version::new(7, 0, 0) {
            self.rng.uuid_v1(t)
        } else {
            self.rng.uuid()
        }
    }

    pub fn ephemeral_port(&mut self) -> u16 {
        self.rng.range(32768, 61000) as u16
    }

    pub fn user(&self, u: usize) -> &'a User {
        &self.org.users[u]
    }

    pub fn node(&self, n: usize) -> &'a Node {
        &self.org.nodes[n]
    }
}

/// UserMetadata: `user`, `login`, `user_kind`.
pub fn user_meta(ev: &mut Event, user: &User, login: Option<&'static str>) {
    ev.push(Key::User, Value::Str(Text::Shared(user.name.clone())));
    if let Some(login) = login {
        ev.push(Key::Login, Value::str(login));
    }
    ev.push(Key::UserKind, Value::Int(if user.is_bot() { 2 } else { 1 }));
}

/// ServerMetadata: `namespace`, `server_id`, `server_hostname`, `server_addr`, `server_labels`.
pub fn server_meta(ev: &mut Event, node: &Node) {
    ev.push(Key::Namespace, Value::str("default"));
    ev.push(Key::ServerId, Value::Uuid(node.uuid));
    ev.push(Key::ServerHostname, Value::Str(Text::Shared(node.hostname.clone())));
    ev.push(Key::ServerAddr, Value::Addr(node.ip, 3022));
    ev.push(Key::ServerLabels, node.labels.clone());
}

/// ConnectionMetadata: `addr.local`, `addr.remote`, `proto`.
pub fn conn_meta(ev: &mut Event, node: &Node, client: ([u8; 4], u16), proto: &'static str) {
    ev.push(Key::AddrLocal, Value::Addr(node.ip, 3022));
    ev.push(Key::AddrRemote, Value::Addr(client.0, client.1));
    ev.push(Key::Proto, Value::str(proto));
}
