//! Writers of Teleport recording files of every generation, written from the format reference
//! (§3), not from this crate's decoders: tests decode what these write, and the demo-data
//! generator (crate `synth`) uses them.
//!
//! Describe a session once with [`Session`] (who, where, and a list of timed [`Event`]s), then
//! write it as:
//! - [`gen1`]: `<sid>.session.log` + `<sid>.session.bytes` (Teleport 1.0–2.4);
//! - [`gen2`] / [`gen2_tar`]: `<sid>.index` + `-N.events.gz` + `-N.chunks.gz` (+ enhanced
//!   `-N.session.command-events.gz` …), loose or as the `<sid>.tar` tarball (2.5–4.3);
//! - [`protostream`]: the ProtoStream `<sid>.tar` (4.4+), V1 or V2.
//!
//! ```
//! use review_recording::encode::{self, Event, Session};
//! let mut s = Session::new("5b2f0e36-0000-4000-8000-000000000001", "alice");
//! let t0 = 1_700_000_000_000_000_000; // nanoseconds since the Unix epoch
//! s.push(t0, Event::Start { cols: 80, rows: 25 });
//! s.push(t0 + 5_000_000, Event::Print(b"$ ".to_vec()));
//! s.push(t0 + 900_000_000, Event::End);
//! let (name, bytes) = encode::protostream(&s, &encode::ProtoOptions::default());
//! let r = review_recording::decode(&[review_recording::Part { path: &name, bytes: &bytes }]).unwrap();
//! assert_eq!(r.output, b"$ ");
//! ```

mod gen1;
mod gen2;
mod json;
mod protostream;
mod wire;

pub use gen1::{gen1, Gen1Timing};
pub use gen2::{gen2, gen2_tar, Gen2Options, GzipStyle};
pub use protostream::{protostream, ProtoOptions, ProtoVersion};

use crate::Nanos;

/// A written file: its name (a base name, as Teleport writes it) and its bytes.
pub type File = (String, Vec<u8>);

/// A session to write: who and where, and what happened when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Session id (a UUID in real recordings); names the files.
    pub sid: String,
    /// The Teleport user who started the session.
    pub user: String,
    /// The OS login.
    pub login: String,
    /// Host UUID of the node.
    pub server_id: String,
    /// Node host name; written where the format has it (gen 2 from v4.2, gen 3). Empty: not written.
    pub server_hostname: String,
    /// Node `host:port`.
    pub addr_local: String,
    /// Client `host:port`.
    pub addr_remote: String,
    /// `cluster_name` (gen 3, Teleport 6+). Empty: not written.
    pub cluster: String,
    /// Events in the order they happened.
    pub events: Vec<Timed>,
}

/// An event and when it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timed {
    /// Nanoseconds since the Unix epoch, UTC.
    pub time: Nanos,
    pub event: Event,
}

/// What happened in a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// `session.start` with the terminal size (`0:0` is written as given: old Teleport did).
    Start {
        cols: u16,
        rows: u16,
    },
    /// Terminal output. Gen 3 splits writes over 60,000 bytes into several prints, as
    /// Teleport keeps each message under 64 KiB.
    Print(Vec<u8>),
    Resize {
        cols: u16,
        rows: u16,
    },
    Join {
        user: String,
    },
    Leave {
        user: String,
    },
    /// Enhanced recording (not written in gen 1, which predates it).
    Command {
        path: String,
        argv: Vec<String>,
        return_code: i32,
    },
    /// Enhanced recording (not written in gen 1).
    Disk {
        path: String,
        return_code: i32,
    },
    /// Enhanced recording (not written in gen 1).
    Network {
        dst_addr: String,
        dst_port: u16,
        denied: bool,
    },
    /// `session.end`; participants are the starting user and everyone who joined.
    End,
    /// Any other event type. In gen 3 it is written under OneOf field `proto_tag` with only its
    /// Metadata (so field numbers this crate has no message for can be tested).
    Other {
        event: String,
        proto_tag: u32,
    },
}

impl Event {
    /// The `event` type string Teleport writes.
    pub fn type_name(&self) -> &str {
        match self {
            Event::Start { .. } => "session.start",
            Event::Print(_) => "print",
            Event::Resize { .. } => "resize",
            Event::Join { .. } => "session.join",
            Event::Leave { .. } => "session.leave",
            Event::Command { .. } => "session.command",
            Event::Disk { .. } => "session.disk",
            Event::Network { .. } => "session.network",
            Event::End => "session.end",
            Event::Other { event, .. } => event,
        }
    }

    /// True for the BPF events of enhanced recording.
    pub fn is_enhanced(&self) -> bool {
        matches!(self, Event::Command { .. } | Event::Disk { .. } | Event::Network { .. })
    }
}

impl Session {
    /// A session of `user` (who is also the login) on a node with made-up but well-formed
    /// addresses, and no events yet.
    pub fn new(sid: &str, user: &str) -> Self {
        Session {
            sid: sid.to_owned(),
            user: user.to_owned(),
            login: user.to_owned(),
            server_id: "d1d92452-06b8-4828-abad-c1fb7ef947b3".to_owned(),
            server_hostname: "node-1".to_owned(),
            addr_local: "10.0.0.2:3022".to_owned(),
            addr_remote: "10.0.0.9:51942".to_owned(),
            cluster: "example.teleport.sh".to_owned(),
            events: Vec::new(),
        }
    }

    /// Appends an event at `time` (nanoseconds since the Unix epoch).
    pub fn push(&mut self, time: Nanos, event: Event) -> &mut Self {
        self.events.push(Timed { time, event });
        self
    }

    /// The starting user, then everyone who joined, once each.
    pub fn participants(&self) -> Vec<String> {
        let mut users = vec![self.user.clone()];
        for e in &self.events {
            if let Event::Join { user } = &e.event {
                if !users.contains(user) {
                    users.push(user.clone());
                }
            }
        }
        users
    }

    fn first_time(&self, pick: impl Fn(&Event) -> bool) -> Option<Nanos> {
        self.events.iter().find(|e| pick(&e.event)).map(|e| e.time)
    }
}

const NANOS_PER_MS: i64 = 1_000_000;

/// Go's `t.Round(time.Millisecond)`: halves round away from zero.
fn round_ms(t: Nanos) -> Nanos {
    round(t, NANOS_PER_MS)
}

fn round(t: Nanos, unit: i64) -> Nanos {
    let rem = t.rem_euclid(unit);
    let down = t - rem;
    if rem * 2 >= unit {
        down.saturating_add(unit)
    } else {
        down
    }
}

/// Print timing as Teleport's writers set it (gen 2 `forward.go`, gen 3 `preparer.go`, gen 1
/// v2.4): `ms` is the previous print's plus the time since it, never negative; the first is 0.
#[derive(Default)]
struct PrintClock {
    last: Option<(Nanos, i64)>,
}

impl PrintClock {
    /// `ms` for a print at `time` (rounded to the millisecond first).
    fn next(&mut self, time: Nanos) -> i64 {
        let time = round_ms(time);
        let ms = match self.last {
            None => 0,
            Some((last_time, last_ms)) => {
                last_ms.saturating_add((time.saturating_sub(last_time) / NANOS_PER_MS).max(0))
            }
        };
        self.last = Some((time, ms));
        ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_rounding() {
        assert_eq!(round_ms(1_499_999), 1_000_000);
        assert_eq!(round_ms(1_500_000), 2_000_000);
        assert_eq!(round(5_936_000_000, 1_000_000_000), 6_000_000_000);
    }

    #[test]
    fn print_clock_accumulates_and_never_goes_back() {
        let mut c = PrintClock::default();
        let ms = [0, 4_828, 4_991, 4_000, 5_098].map(|t| c.next(t * NANOS_PER_MS));
        assert_eq!(ms, [0, 4_828, 4_991, 4_991, 6_089]);
    }
}
