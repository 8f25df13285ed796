//! An event's values as the model keeps them: its strings interned (by the model, or by the
//! thread that parsed it, into symbols of its own that the model maps to its own). What only its
//! session may need stays text, interned if the session takes it.

use super::split_host_port;
use super::strings::{Strings, Sym};
use crate::audit::{is_auth_attempt, Outcome, ParsedEvent};
use crate::time::Nanos;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Interned<'a> {
    pub time: Option<Nanos>,
    pub kind: Sym,
    pub code: Sym,
    pub user: Sym,
    pub login: Sym,
    pub node: Sym,
    /// Remote host (the address without its port).
    pub remote: Sym,
    pub remote_port: u16,
    pub sid: Sym,
    pub cluster: Sym,
    pub method: Sym,
    /// `error`, else `message`, else what was run.
    pub message: Sym,
    pub outcome: Outcome,
    pub is_auth: bool,
    /// Only for an event with a session id.
    pub session: Option<SessionText<'a>>,
}

/// Bytes of an [`Interned`]'s fixed part in a journal: the time (a flag and 8 bytes), ten
/// symbols of 4, the port, the outcome and the auth flag.
const FIXED: usize = 9 + 10 * 4 + 2 + 1 + 1;

impl Interned<'_> {
    /// The ten symbols, in the order of [`Interned::symbols_mut`] (a journal's order).
    fn symbols(&self) -> [Sym; 10] {
        [
            self.kind,
            self.code,
            self.user,
            self.login,
            self.node,
            self.remote,
            self.sid,
            self.cluster,
            self.method,
            self.message,
        ]
    }

    fn symbols_mut(&mut self) -> [&mut Sym; 10] {
        [
            &mut self.kind,
            &mut self.code,
            &mut self.user,
            &mut self.login,
            &mut self.node,
            &mut self.remote,
            &mut self.sid,
            &mut self.cluster,
            &mut self.method,
            &mut self.message,
        ]
    }
}

/// In a journal, the fixed part is one run of bytes: writing and reading a variable-length
/// integer per symbol, field by field, cost the two workers about a second of a 1 GB load.
impl Serialize for Interned<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut fixed = [0u8; FIXED];
        fixed[0] = u8::from(self.time.is_some());
        fixed[1..9].copy_from_slice(&self.time.unwrap_or(0).to_le_bytes());
        for (i, sym) in self.symbols().iter().enumerate() {
            fixed[9 + 4 * i..13 + 4 * i].copy_from_slice(&sym.0.to_le_bytes());
        }
        fixed[49..51].copy_from_slice(&self.remote_port.to_le_bytes());
        fixed[51] = match self.outcome {
            Outcome::None => 0,
            Outcome::Success => 1,
            Outcome::Failure => 2,
        };
        fixed[52] = u8::from(self.is_auth);
        (serde_bytes::Bytes::new(&fixed), &self.session).serialize(s)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Interned<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (fixed, session): (&'de serde_bytes::Bytes, Option<SessionText<'a>>) = Deserialize::deserialize(d)?;
        let fixed: &[u8; FIXED] = (**fixed)
            .try_into()
            .map_err(|_| serde::de::Error::invalid_length(fixed.len(), &"an event's fixed part"))?;
        let word = |at: usize| u32::from_le_bytes([fixed[at], fixed[at + 1], fixed[at + 2], fixed[at + 3]]);
        let mut time = [0u8; 8];
        time.copy_from_slice(&fixed[1..9]);
        let mut e = Interned {
            time: (fixed[0] != 0).then_some(i64::from_le_bytes(time)),
            remote_port: u16::from_le_bytes([fixed[49], fixed[50]]),
            outcome: match fixed[51] {
                1 => Outcome::Success,
                2 => Outcome::Failure,
                _ => Outcome::None,
            },
            is_auth: fixed[52] != 0,
            session,
            ..Interned::default()
        };
        for (i, sym) in e.symbols_mut().into_iter().enumerate() {
            *sym = Sym(word(9 + 4 * i));
        }
        Ok(e)
    }
}

/// What an event may tell its session beyond the event's own columns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct SessionText<'a> {
    pub role: SessionRole,
    pub server_id: Option<&'a str>,
    /// With its port.
    pub addr_remote: Option<&'a str>,
    pub size: Option<&'a str>,
    pub proto: Option<&'a str>,
    #[serde(borrow)]
    pub participants: Vec<&'a str>,
    pub session_start: Option<Nanos>,
    pub session_stop: Option<Nanos>,
    pub interactive: Option<bool>,
}

/// The events that change a session beyond being one of its events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum SessionRole {
    Start,
    Join,
    End,
    Upload,
    #[default]
    Other,
}

impl<'a> Interned<'a> {
    /// `e`'s values, interned into `strings` (in the order the model has always interned
    /// them, so that symbols come out the same either way).
    pub(crate) fn of(e: &'a ParsedEvent<'_>, strings: &mut Strings) -> Self {
        let s = strings;
        let (host, port) = split_host_port(e.addr_remote.as_deref().unwrap_or(""));
        let kind = s.intern(&e.event);
        let code = s.intern_opt(e.code.as_deref());
        let user = s.intern_opt(e.user.as_deref());
        let login = s.intern_opt(e.login.as_deref());
        let node = s.intern_opt(e.node());
        let remote = s.intern(host);
        let sid = s.intern_opt(e.sid.as_deref());
        let cluster = s.intern_opt(e.cluster.as_deref());
        let method = s.intern_opt(e.method.as_deref());
        let message = e.error.as_deref().filter(|m| !m.is_empty()).or(e.message.as_deref()).or(e.command.as_deref());
        let message = s.intern_opt(message);
        let session = (!sid.is_none()).then(|| SessionText {
            role: match &*e.event {
                "session.start" => SessionRole::Start,
                "session.join" => SessionRole::Join,
                "session.end" => SessionRole::End,
                "session.upload" => SessionRole::Upload,
                _ => SessionRole::Other,
            },
            server_id: e.server_id.as_deref(),
            addr_remote: e.addr_remote.as_deref(),
            size: e.size.as_deref(),
            proto: e.proto.as_deref(),
            participants: e.participants.iter().map(|p| &**p).collect(),
            session_start: e.session_start,
            session_stop: e.session_stop,
            interactive: e.interactive,
        });
        Interned {
            time: e.time,
            kind,
            code,
            user,
            login,
            node,
            remote,
            remote_port: port.unwrap_or(0),
            sid,
            cluster,
            method,
            message,
            outcome: e.outcome(),
            is_auth: is_auth_attempt(&e.event),
            session,
        }
    }

    /// Puts the symbols of another interner into the model's: `map[i]` is the model's symbol
    /// for the other's `Sym(i)`.
    pub(crate) fn remap(&mut self, map: &[Sym]) -> Result<(), String> {
        for sym in self.symbols_mut() {
            *sym = *map.get(sym.index()).ok_or_else(|| format!("no string {} in the journal", sym.0))?;
        }
        Ok(())
    }
}
