//! One logical event → the JSON line a given Teleport version wrote (format reference §2.3–2.5):
//! which fields existed, key order (sorted maps before 4.4, proto order with Metadata first
//! after), time precision, `ei` rules, codes by version, `"success":"false"` strings in 2.x.

use crate::codes::code_for;
use crate::event::{Event, Key, Kind, Value};
use crate::json::{write_int, write_str, write_uuid};
use crate::timefmt::{write_rfc3339, Nanos, Precision, GO_ZERO_TIME};
use crate::version::Version;

/// `ei` of `session.upload` (`SessionUploadIndex` = math.MaxInt32).
pub const UPLOAD_INDEX: i64 = 2_147_483_647;
/// `ei` of `session.data` (`SessionDataIndex` = math.MaxInt32 - 1).
pub const DATA_INDEX: i64 = 2_147_483_646;

/// Writes events as one Teleport version of one cluster did.
#[derive(Clone, Debug)]
pub struct LineWriter {
    pub version: Version,
    /// Written from 6.0 on.
    pub cluster_name: String,
    /// [`field_since`] answered once per (type, key) for this version: lines are many.
    written: Vec<bool>,
}

impl LineWriter {
    pub fn new(version: Version, cluster_name: &str) -> Self {
        let written = Kind::ALL
            .iter()
            .flat_map(|&kind| Key::ALL.iter().map(move |&key| field_since(kind, key) <= version))
            .collect();
        LineWriter { version, cluster_name: cluster_name.to_owned(), written }
    }

    /// Whether this version wrote `key` on events of type `kind`.
    pub fn writes_field(&self, kind: Kind, key: Key) -> bool {
        self.written[kind.index() * Key::COUNT + key.index()]
    }

    /// Whether this version wrote this type of event at all.
    pub fn writes(&self, ev: &Event) -> bool {
        ev.kind.since() <= self.version
    }

    /// Appends the event's line (with its `\n`). Returns false, writing nothing, for a type the
    /// version did not have.
    pub fn write(&self, ev: &Event, out: &mut Vec<u8>) -> bool {
        if !self.writes(ev) {
            return false;
        }
        // Entries live on the stack: this runs for every line of gigabyte-sized sets.
        let needed = ev.fields.len() + 6;
        let mut stack = [Entry::EMPTY; STACK_ENTRIES];
        let mut heap = Vec::new();
        let entries: &mut [Entry<'_>] = if needed <= STACK_ENTRIES {
            &mut stack
        } else {
            heap.resize(needed, Entry::EMPTY);
            &mut heap
        };
        let n = self.collect(ev, entries);
        let entries = &mut entries[..n];
        if self.version.sorted_keys() {
            entries.sort_unstable_by(Entry::cmp_keys);
        }
        out.push(b'{');
        for (i, e) in entries.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(e.key.as_bytes());
            out.extend_from_slice(b"\":");
            self.write_slot(out, &e.slot);
        }
        out.extend_from_slice(b"}\n");
        true
    }

    /// Fills `entries` with what this version writes, Metadata first; returns how many.
    fn collect<'a>(&'a self, ev: &'a Event, entries: &mut [Entry<'a>]) -> usize {
        let v = self.version;
        let mut n = 0;
        let mut push = |key: &'static str, rank: u16, slot: Slot<'a>| {
            entries[n] = Entry { key, rank, slot };
            n += 1;
        };
        if let Some(ei) = ei_of(v, ev) {
            push("ei", META_RANKS[0], Slot::Int(ei));
        }
        push("event", META_RANKS[1], Slot::Str(ev.kind.name()));
        if v.has_uid() {
            push("uid", META_RANKS[2], Slot::Uuid(ev.uid));
        }
        if let Some(code) = code_for(v, ev.kind, ev.code) {
            push("code", META_RANKS[3], Slot::Str(code));
        }
        push("time", META_RANKS[4], Slot::Time(ev.time, time_precision(v, ev.kind)));
        if v.has_cluster_name() {
            push("cluster_name", META_RANKS[5], Slot::Str(&self.cluster_name));
        }
        for (key, value) in &ev.fields {
            if self.writes_field(ev.kind, *key) {
                push(key.name(), key.sort_rank(), Slot::Field(*key, value));
            }
        }
        n
    }

    /// The event's line without its newline, or `None` when the version did not write the type.
    pub fn line(&self, ev: &Event) -> Option<String> {
        let mut out = Vec::with_capacity(512);
        self.write(ev, &mut out).then(|| {
            out.pop();
            String::from_utf8(out).expect("writers emit UTF-8")
        })
    }

    fn write_slot(&self, out: &mut Vec<u8>, slot: &Slot<'_>) {
        match slot {
            Slot::Int(i) => write_int(out, *i),
            Slot::Str(s) => write_str(out, s),
            Slot::Uuid(u) => quoted_uuid(out, *u),
            Slot::Time(t, p) => quoted_time(out, *t, *p),
            Slot::Field(key, value) => self.write_value(out, *key, value),
        }
    }

    fn write_value(&self, out: &mut Vec<u8>, key: Key, value: &Value) {
        match value {
            Value::Str(s) => write_str(out, s),
            Value::Int(i) => write_int(out, *i),
            Value::Bool(b) if key == Key::Success && self.version.success_as_string() => {
                out.extend_from_slice(if *b { b"\"true\"" } else { b"\"false\"" })
            }
            Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Value::Uuid(u) => quoted_uuid(out, *u),
            Value::Addr(ip, port) => {
                out.push(b'"');
                write_ip(out, ip);
                out.push(b':');
                write_int(out, i64::from(*port));
                out.push(b'"');
            }
            Value::Ip(ip) => {
                out.push(b'"');
                write_ip(out, ip);
                out.push(b'"');
            }
            Value::Time(t) => {
                let precision = match key {
                    Key::SessionStart | Key::SessionStop => Precision::Nanos,
                    _ => Precision::Millis,
                };
                quoted_time(out, *t, precision);
            }
            Value::ZeroTime => {
                out.push(b'"');
                out.extend_from_slice(GO_ZERO_TIME.as_bytes());
                out.push(b'"');
            }
            Value::Size(w, h) => {
                out.push(b'"');
                write_int(out, i64::from(*w));
                out.push(b':');
                write_int(out, i64::from(*h));
                out.push(b'"');
            }
            Value::List(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(out, item);
                }
                out.push(b']');
            }
            Value::Map(pairs) => {
                out.push(b'{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(out, k);
                    out.push(b':');
                    write_str(out, v);
                }
                out.push(b'}');
            }
            Value::Raw(json) => out.extend_from_slice(json.as_bytes()),
        }
    }
}

/// Keys of the Metadata block, with their places among all known keys in sorted order.
const META_RANKS: [u16; 6] = [
    Key::meta_rank("ei"),
    Key::meta_rank("event"),
    Key::meta_rank("uid"),
    Key::meta_rank("code"),
    Key::meta_rank("time"),
    Key::meta_rank("cluster_name"),
];

const STACK_ENTRIES: usize = 48;

/// One key-value pair of a line being written.
#[derive(Clone, Copy)]
struct Entry<'a> {
    key: &'static str,
    /// Place of `key` among all known keys in byte order; [`Key::CUSTOM_RANK`] for others.
    rank: u16,
    slot: Slot<'a>,
}

impl Entry<'_> {
    const EMPTY: Entry<'static> = Entry { key: "", rank: 0, slot: Slot::Int(0) };

    /// Byte order of the keys, as Go sorts map keys; ranks spare the string comparisons.
    fn cmp_keys(a: &Self, b: &Self) -> std::cmp::Ordering {
        if a.rank != Key::CUSTOM_RANK && b.rank != Key::CUSTOM_RANK {
            a.rank.cmp(&b.rank)
        } else {
            a.key.as_bytes().cmp(b.key.as_bytes())
        }
    }
}

#[derive(Clone, Copy)]
enum Slot<'a> {
    Int(i64),
    Str(&'a str),
    Uuid(u128),
    Time(Nanos, Precision),
    Field(Key, &'a Value),
}

fn quoted_uuid(out: &mut Vec<u8>, u: u128) {
    out.push(b'"');
    write_uuid(out, u);
    out.push(b'"');
}

fn quoted_time(out: &mut Vec<u8>, t: Nanos, precision: Precision) {
    out.push(b'"');
    write_rfc3339(out, t, precision);
    out.push(b'"');
}

fn write_ip(out: &mut Vec<u8>, ip: &[u8; 4]) {
    for (i, octet) in ip.iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        write_int(out, i64::from(*octet));
    }
}

/// The event index a version wrote: none before 2.5; on session-stream events from 2.5; on every
/// event from 4.4 (0 for audit-only ones); the fixed huge values for upload and data.
pub fn ei_of(v: Version, ev: &Event) -> Option<i64> {
    match ev.kind {
        Kind::SessionUpload => Some(UPLOAD_INDEX),
        Kind::SessionData => Some(DATA_INDEX),
        k if k.in_session_stream() && v.ei_on_session_events() => Some(ev.index),
        _ if v.ei_on_all() => Some(0),
        _ => None,
    }
}

/// Before 4.4 main-log events were cut to whole seconds and session events (which came through
/// the session logger) to milliseconds; from 4.4 every event has milliseconds.
pub fn time_precision(v: Version, kind: Kind) -> Precision {
    if v.sorted_keys() && !kind.in_session_stream() {
        Precision::Seconds
    } else {
        Precision::Millis
    }
}

/// The first version that wrote `key` on `kind` (format reference §2.4–2.5; where the reference
/// is silent the field arrives with the 4.4 proto message that carries it).
pub fn field_since(kind: Kind, key: Key) -> Version {
    use Key as K;
    use Kind as T;
    let v = |major, minor| Version::new(major, minor, 0);
    match (kind, key) {
        (T::SessionStart, K::ServerHostname | K::ServerLabels) => v(4, 2),
        (T::SessionEnd, K::ServerHostname | K::ServerLabels | K::ServerAddr) => v(4, 3),
        // session.end was `sid, user` (+ namespace) until the 4.4 proto; leave lacked login.
        (T::SessionEnd, K::Login | K::ServerId | K::AddrLocal | K::AddrRemote | K::Proto) => v(4, 4),
        (T::SessionLeave, K::Login | K::AddrLocal | K::AddrRemote | K::Proto) => v(4, 4),
        (T::Resize, K::ServerId | K::AddrLocal | K::AddrRemote | K::Proto) => v(4, 4),
        // Commands outside session streams gained session and server metadata with the protos.
        (T::Exec | T::Scp | T::Port | T::Subsystem | T::ClientDisconnect, K::Sid | K::ServerId) => v(4, 4),
        (T::Scp, K::Command | K::ExitCode | K::ExitError) => v(4, 4),
        (T::SessionData, K::Namespace) => v(4, 4),
        // Approximation: web logins recorded the client address from about v8.
        (T::UserLogin, K::AddrLocal | K::AddrRemote) => v(8, 0),
        (_, K::ServerHostname | K::ServerAddr | K::ServerLabels) => v(4, 4),
        (_, K::Namespace) => v(2, 0),
        (_, K::Proto | K::Message) => v(3, 0),
        (_, K::Method) => v(2, 4),
        (_, K::Url) => v(2, 6),
        (_, K::Tx | K::Rx) => v(4, 0),
        (_, K::EnhancedRecording | K::Interactive | K::Participants) => v(4, 2),
        (_, K::SessionStart | K::SessionStop) => v(4, 3),
        (_, K::InitialCommand) => v(5, 0),
        (_, K::KubernetesCluster | K::KubernetesUsers | K::KubernetesGroups) => v(5, 0),
        (_, K::Attributes) => v(6, 0),
        (_, K::SessionRecording) => v(6, 2),
        (_, K::UserAgent) => v(8, 0),
        (_, K::RequiredPrivateKeyPolicy | K::PrivateKeyPolicy | K::WorkingDirectory) => v(11, 0),
        (_, K::UserKind | K::ChallengeScope) => v(15, 0),
        _ => v(1, 0),
    }
}
