//! ProtoStream writer (§3c): parts of `header | gzip(records) | zero padding`, each record
//! `u32be size | OneOf`, with the field numbers of §3c.7.

use super::json::uid;
use super::wire::Message;
use super::{round_ms, Event, File, PrintClock, Session};
use crate::Nanos;
use flate2::{write::GzEncoder, Compression};
use std::io::Write;

/// The part header version.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProtoVersion {
    /// 24-byte header (Teleport 4.4+).
    #[default]
    V1,
    /// 32-byte header with a flags byte (2025; Teleport writes it for encrypted recordings).
    V2,
}

/// Options for [`protostream`]. The default is one V1 part without padding, as a short
/// session uploaded at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProtoOptions {
    pub version: ProtoVersion,
    /// Set the V2 encrypted flag (implies V2). The body is then not readable gzip: a stand-in
    /// for age ciphertext, which needs keys only the auth server has.
    pub encrypted: bool,
    /// Records per part; 0 = all in one part.
    pub events_per_part: usize,
    /// Pad every part but the last with zeros to this many bytes, header included (Teleport
    /// pads to 5 MiB, the S3 minimum part size); 0 = no padding.
    pub pad_to: u64,
    /// Put a zero-size, padding-only part before every part but the first.
    pub empty_parts: bool,
    /// Repeat the last this-many records of each part at the start of the next, as a resumed
    /// upload does (same `ei`: readers skip them).
    pub resend: usize,
    /// Event indices in nanoseconds since the first event (newer recorders) instead of 0, 1, 2, …
    pub nanosecond_ei: bool,
}

/// Largest print payload per record: Teleport keeps messages under 64 KiB.
const MAX_PRINT: usize = 60_000;
const FLAG_ENCRYPTED: u8 = 1;
/// Padding of a zero-size part when no `pad_to` is set.
const EMPTY_PART_PADDING: u64 = 64;

/// Writes the ProtoStream `<sid>.tar`.
pub fn protostream(s: &Session, options: &ProtoOptions) -> File {
    let records = records(s, options);
    let per_part = if options.events_per_part == 0 { records.len().max(1) } else { options.events_per_part };
    let groups: Vec<&[(i64, Vec<u8>)]> =
        if records.is_empty() { vec![&[]] } else { records.chunks(per_part).collect() };
    let version = if options.encrypted { ProtoVersion::V2 } else { options.version };
    let mut file = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        let mut body = Vec::new();
        if i > 0 {
            let previous = groups[i - 1];
            for (_, record) in &previous[previous.len().saturating_sub(options.resend)..] {
                body.extend_from_slice(record);
            }
            if options.empty_parts {
                let padding = options.pad_to.saturating_sub(header_len(version)).max(EMPTY_PART_PADDING);
                write_part(&mut file, version, 0, &[], padding);
            }
        }
        for (_, record) in group.iter() {
            body.extend_from_slice(record);
        }
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        let _ = gz.write_all(&body);
        let mut body = gz.finish().unwrap_or_default();
        if options.encrypted {
            body = pretend_encrypt(&body);
        }
        let last = i + 1 == groups.len();
        let used = header_len(version) + body.len() as u64;
        let padding = if last { 0 } else { options.pad_to.saturating_sub(used) };
        let flags = if options.encrypted { FLAG_ENCRYPTED } else { 0 };
        write_part(&mut file, version, flags, &body, padding);
    }
    (format!("{}.tar", s.sid), file)
}

fn header_len(version: ProtoVersion) -> u64 {
    match version {
        ProtoVersion::V1 => 24,
        ProtoVersion::V2 => 32,
    }
}

fn write_part(file: &mut Vec<u8>, version: ProtoVersion, flags: u8, body: &[u8], padding: u64) {
    file.extend_from_slice(&(if version == ProtoVersion::V1 { 1u64 } else { 2 }).to_be_bytes());
    file.extend_from_slice(&(body.len() as u64).to_be_bytes());
    file.extend_from_slice(&padding.to_be_bytes());
    if version == ProtoVersion::V2 {
        file.push(flags);
        file.extend_from_slice(&[0; 7]);
    }
    file.extend_from_slice(body);
    file.resize(file.len() + padding as usize, 0);
}

/// Not encryption: an age-like header and scrambled bytes, so the body is no gzip.
fn pretend_encrypt(body: &[u8]) -> Vec<u8> {
    let mut out = b"age-encryption.org/v1\n-> X25519 stand-in\n---\n".to_vec();
    out.extend(body.iter().enumerate().map(|(i, b)| b ^ (i as u8).wrapping_mul(31).wrapping_add(0x5a)));
    out
}

/// Every record (`u32be size | OneOf`) with its event index.
fn records(s: &Session, options: &ProtoOptions) -> Vec<(i64, Vec<u8>)> {
    let first = s.events.first().map_or(0, |e| e.time);
    let mut ei = -1i64;
    let mut next_ei = |time: Nanos| {
        ei = if options.nanosecond_ei { time.saturating_sub(first).max(ei + 1) } else { ei + 1 };
        ei
    };
    let mut clock = PrintClock::default();
    let (mut offset, mut ci) = (0i64, 0i64);
    let mut out = Vec::new();
    for e in &s.events {
        let pieces: Vec<(u32, Message, i64)> = match &e.event {
            Event::Print(data) => {
                let time = round_ms(e.time);
                let chunks: Vec<&[u8]> = if data.is_empty() { vec![&[]] } else { data.chunks(MAX_PRINT).collect() };
                chunks
                    .into_iter()
                    .map(|piece| {
                        let ei = next_ei(e.time);
                        let mut m = Message::new();
                        m.message(1, metadata(s, ei, "print", None, time));
                        m.int(2, ci).bytes(3, piece).int(4, piece.len() as i64).int(5, clock.next(time)).int(6, offset);
                        ci += 1;
                        offset += piece.len() as i64;
                        (7, m.build(), ei)
                    })
                    .collect()
            }
            event => {
                let ei = next_ei(e.time);
                event_message(s, event, ei, e.time).map(|(tag, m)| (tag, m, ei)).into_iter().collect()
            }
        };
        for (tag, message, ei) in pieces {
            let oneof = Message::new().message(tag, message).build().0;
            let mut record = (oneof.len() as u32).to_be_bytes().to_vec();
            record.extend(oneof);
            out.push((ei, record));
        }
    }
    out
}

fn timestamp(t: Nanos) -> Message {
    Message::new().int(1, t.div_euclid(1_000_000_000)).int(2, t.rem_euclid(1_000_000_000)).build()
}

/// Metadata: 1 ei, 2 type, 3 uid, 4 code (prints have neither), 5 time, 6 cluster_name.
fn metadata(s: &Session, ei: i64, event: &str, code: Option<&str>, time: Nanos) -> Message {
    let mut m = Message::new();
    m.int(1, ei).string(2, event);
    if let Some(code) = code {
        m.string(3, &uid(&s.sid, ei)).string(4, code);
    }
    m.message(5, timestamp(time)).string(6, &s.cluster);
    m.build()
}

fn user(user: &str, login: &str) -> Message {
    Message::new().string(1, user).string(2, login).build()
}

fn session(s: &Session) -> Message {
    Message::new().string(1, &s.sid).build()
}

fn server(s: &Session) -> Message {
    Message::new().string(1, "default").string(2, &s.server_id).string(3, &s.server_hostname).build()
}

fn connection(s: &Session) -> Message {
    Message::new().string(1, &s.addr_local).string(2, &s.addr_remote).string(3, "ssh").build()
}

fn bpf(program: &str) -> Message {
    Message::new().uint(1, 4242).uint(2, 4_294_967_297).string(3, program).build()
}

/// OneOf field number and message of a session event (prints are written by [`records`]).
fn event_message(s: &Session, event: &Event, ei: i64, time: Nanos) -> Option<(u32, Message)> {
    let meta = |code: &str| metadata(s, ei, event.type_name(), Some(code), time);
    let mut m = Message::new();
    let tag = match event {
        Event::Print(_) => return None,
        Event::Start { cols, rows } => {
            m.message(1, meta("T2000I")).message(2, user(&s.user, &s.login)).message(3, session(s));
            m.message(4, server(s)).message(5, connection(s)).string(6, &format!("{cols}:{rows}"));
            5
        }
        Event::Join { user: joiner } => {
            m.message(1, meta("T2001I")).message(2, user(joiner, &s.login)).message(3, session(s));
            m.message(4, server(s)).message(5, connection(s));
            6
        }
        Event::Resize { cols, rows } => {
            // Connection is 4 and Server 5 here (swapped against SessionStart).
            m.message(1, meta("T2002I")).message(2, user(&s.user, &s.login)).message(3, session(s));
            m.message(4, connection(s)).message(5, server(s)).string(6, &format!("{cols}:{rows}"));
            9
        }
        Event::End => {
            m.message(1, meta("T2004I")).message(2, user(&s.user, &s.login)).message(3, session(s));
            m.message(4, connection(s)).message(5, server(s));
            m.bool(6, s.events.iter().any(|e| e.event.is_enhanced())).bool(7, true).strings(8, &s.participants());
            if let Some(start) = s.first_time(|e| matches!(e, Event::Start { .. })) {
                m.message(9, timestamp(start));
            }
            m.message(10, timestamp(time));
            10
        }
        Event::Command { path, argv, return_code } => {
            m.message(1, meta("T4000I")).message(2, user(&s.user, &s.login)).message(3, session(s));
            let program = path.rsplit('/').next().unwrap_or(path);
            m.message(4, server(s)).message(5, bpf(program)).uint(6, 1).string(7, path).strings(8, argv);
            m.int(9, i64::from(*return_code));
            11
        }
        Event::Disk { path, return_code } => {
            m.message(1, meta("T4001I")).message(2, user(&s.user, &s.login)).message(3, session(s));
            m.message(4, server(s)).message(5, bpf("cat")).string(6, path).int(8, i64::from(*return_code));
            12
        }
        Event::Network { dst_addr, dst_port, denied } => {
            m.message(1, meta("T4002I")).message(2, user(&s.user, &s.login)).message(3, session(s));
            m.message(4, server(s)).message(5, bpf("curl")).string(6, "10.0.0.2").string(7, dst_addr);
            m.int(8, i64::from(*dst_port)).int(9, 4).int(10, 0).int(11, i64::from(*denied));
            13
        }
        Event::Leave { user: leaver } => {
            m.message(1, meta("T2003I")).message(2, user(leaver, &s.login)).message(3, session(s));
            m.message(4, server(s)).message(5, connection(s));
            15
        }
        Event::Other { proto_tag, .. } => {
            m.message(1, meta(""));
            *proto_tag
        }
    };
    Some((tag, m.build()))
}
