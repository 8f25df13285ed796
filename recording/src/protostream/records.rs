//! A decompressed part body: records of `u32be size | protobuf OneOf`, and how a OneOf becomes
//! a print or a session event.

use super::proto::{self, AnyEvent, Metadata};
use crate::event_info::EventInfo;
use crate::Nanos;
use prost::encoding::{decode_key, decode_varint, WireType};
use prost::Message;

/// Walks the records of `body`, handing each message (with its number and byte offset) to
/// `each`. A defect ends the walk: the reason says where.
pub(crate) fn walk<'a>(body: &'a [u8], mut each: impl FnMut(usize, usize, &'a [u8]) -> bool) -> Result<(), String> {
    let mut at = 0usize;
    let mut number = 0usize;
    while let Some(rest) = body.get(at..).filter(|r| !r.is_empty()) {
        let Some(prefix) = rest.get(..4) else {
            return Err(format!("record {number} (decompressed byte {at}): cut inside its 4-byte size"));
        };
        let size = u32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]) as usize;
        if size == 0 {
            return Err(format!("record {number} (decompressed byte {at}): message size 0 (invalid)"));
        }
        let Some(message) = rest.get(4..).and_then(|r| r.get(..size)) else {
            return Err(format!(
                "record {number} (decompressed byte {at}): claims {size} bytes but only {} remain (cut)",
                rest.len() - 4
            ));
        };
        if !each(number, at, message) {
            return Ok(());
        }
        at += 4 + size;
        number += 1;
    }
    Ok(())
}

/// A record, decoded.
#[derive(Debug, PartialEq)]
pub(crate) enum Decoded {
    Print { ei: i64, ms: i64, time: Option<Nanos>, data: Vec<u8> },
    Event { ei: i64, info: Box<EventInfo> },
}

impl Decoded {
    pub fn ei(&self) -> i64 {
        match self {
            Decoded::Print { ei, .. } | Decoded::Event { ei, .. } => *ei,
        }
    }
}

/// Decodes a `OneOf` envelope. Its single field's number says the event class; classes without
/// a message here (and known ones that fail to decode) are kept through their `Metadata`.
pub(crate) fn decode(message: &[u8]) -> Result<Decoded, String> {
    let mut buf = message;
    let (tag, wire) = decode_key(&mut buf).map_err(|e| format!("not a protobuf OneOf ({e})"))?;
    if wire != WireType::LengthDelimited {
        return Err(format!("OneOf field {tag} is not a message (wire type {wire:?})"));
    }
    let len = decode_varint(&mut buf).map_err(|e| format!("OneOf field {tag}: bad length ({e})"))?;
    let body = usize::try_from(len).ok().and_then(|len| buf.get(..len));
    let body = body.ok_or_else(|| format!("OneOf field {tag} claims {len} bytes but only {} remain", buf.len()))?;
    match known(tag, body) {
        Some(Ok(decoded)) => Ok(decoded),
        Some(Err(e)) => generic(tag, body).map_err(|_| format!("event #{tag} does not decode ({e})")),
        None => generic(tag, body).map_err(|e| format!("event #{tag} does not decode ({e})")),
    }
}

fn ei(metadata: Option<&Metadata>) -> i64 {
    metadata.map_or(0, |m| m.index)
}

/// Canonical `event` names of the classes decoded here, used when Metadata leaves it empty.
fn named(mut info: EventInfo, name: &str) -> EventInfo {
    if info.event.is_empty() {
        info.event = name.to_owned();
    }
    info
}

fn known(tag: u32, body: &[u8]) -> Option<Result<Decoded, prost::DecodeError>> {
    let event = |m: Option<&Metadata>, info: EventInfo| Decoded::Event { ei: ei(m), info: Box::new(info) };
    Some(match tag {
        5 => proto::SessionStart::decode(body).map(|e| {
            let mut info = proto::info(e.metadata.as_ref(), e.user.as_ref(), e.session.as_ref(), e.server.as_ref());
            info.remote_addr = proto::remote_addr(e.connection.as_ref());
            info.size = Some(e.terminal_size);
            event(e.metadata.as_ref(), named(info, "session.start"))
        }),
        6 => proto::SessionJoin::decode(body).map(|e| {
            let mut info = proto::info(e.metadata.as_ref(), e.user.as_ref(), e.session.as_ref(), e.server.as_ref());
            info.remote_addr = proto::remote_addr(e.connection.as_ref());
            event(e.metadata.as_ref(), named(info, "session.join"))
        }),
        7 => proto::SessionPrint::decode(body).map(|p| Decoded::Print {
            ei: ei(p.metadata.as_ref()),
            ms: p.delay_milliseconds,
            time: p.metadata.as_ref().and_then(|m| m.time.as_ref()).and_then(proto::Timestamp::nanos),
            data: p.data,
        }),
        9 => proto::Resize::decode(body).map(|e| {
            let mut info = proto::info(e.metadata.as_ref(), e.user.as_ref(), e.session.as_ref(), e.server.as_ref());
            info.size = Some(e.terminal_size);
            event(e.metadata.as_ref(), named(info, "resize"))
        }),
        10 => proto::SessionEnd::decode(body).map(|e| {
            let mut info = proto::info(e.metadata.as_ref(), e.user.as_ref(), e.session.as_ref(), e.server.as_ref());
            info.remote_addr = proto::remote_addr(e.connection.as_ref());
            info.participants = e.participants;
            info.session_start = e.start_time.as_ref().and_then(proto::Timestamp::nanos);
            info.session_stop = e.end_time.as_ref().and_then(proto::Timestamp::nanos);
            event(e.metadata.as_ref(), named(info, "session.end"))
        }),
        11 => proto::SessionCommand::decode(body).map(|e| {
            let mut info = proto::info(e.metadata.as_ref(), e.user.as_ref(), e.session.as_ref(), e.server.as_ref());
            info.program = proto::program(e.bpf.as_ref());
            info.path = Some(e.path);
            info.argv = e.argv;
            info.return_code = Some(e.return_code);
            event(e.metadata.as_ref(), named(info, "session.command"))
        }),
        12 => proto::SessionDisk::decode(body).map(|e| {
            let mut info = proto::info(e.metadata.as_ref(), e.user.as_ref(), e.session.as_ref(), e.server.as_ref());
            info.program = proto::program(e.bpf.as_ref());
            info.path = Some(e.path);
            info.return_code = Some(e.return_code);
            event(e.metadata.as_ref(), named(info, "session.disk"))
        }),
        13 => proto::SessionNetwork::decode(body).map(|e| {
            let mut info = proto::info(e.metadata.as_ref(), e.user.as_ref(), e.session.as_ref(), e.server.as_ref());
            info.program = proto::program(e.bpf.as_ref());
            info.dst_addr = Some(e.dst_addr);
            info.dst_port = Some(i64::from(e.dst_port));
            info.denied = e.action == 1;
            event(e.metadata.as_ref(), named(info, "session.network"))
        }),
        15 => proto::SessionLeave::decode(body).map(|e| {
            let mut info = proto::info(e.metadata.as_ref(), e.user.as_ref(), e.session.as_ref(), e.server.as_ref());
            info.remote_addr = proto::remote_addr(e.connection.as_ref());
            event(e.metadata.as_ref(), named(info, "session.leave"))
        }),
        _ => return None,
    })
}

/// Any event class, through the `Metadata` in its field 1.
fn generic(tag: u32, body: &[u8]) -> Result<Decoded, prost::DecodeError> {
    let e = AnyEvent::decode(body)?;
    let mut info = proto::info(e.metadata.as_ref(), None, None, None);
    info.proto_tag = Some(tag);
    Ok(Decoded::Event { ei: ei(e.metadata.as_ref()), info: Box::new(info) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(message: &[u8]) -> Vec<u8> {
        [&(message.len() as u32).to_be_bytes()[..], message].concat()
    }

    #[test]
    fn walks_records_and_stops_at_defects() {
        let body = [record(b"ab"), record(b"c")].concat();
        let mut seen = Vec::new();
        walk(&body, |n, at, m| {
            seen.push((n, at, m.to_vec()));
            true
        })
        .unwrap();
        assert_eq!(seen, [(0, 0, b"ab".to_vec()), (1, 6, b"c".to_vec())]);

        let zero = [record(b"ab"), vec![0, 0, 0, 0, 9]].concat();
        assert_eq!(
            walk(&zero, |_, _, _| true),
            Err("record 1 (decompressed byte 6): message size 0 (invalid)".to_owned())
        );
        let cut = [record(b"ab"), record(b"cdef")].concat();
        assert_eq!(
            walk(&cut[..cut.len() - 1], |_, _, _| true),
            Err("record 1 (decompressed byte 6): claims 4 bytes but only 3 remain (cut)".to_owned())
        );
        assert!(walk(&cut[..8], |_, _, _| true).unwrap_err().contains("cut inside its 4-byte size"));
    }

    #[test]
    fn unknown_classes_keep_their_metadata() {
        let metadata = Metadata { index: 7, r#type: "mcp.session.start".into(), ..Default::default() };
        let event = AnyEvent { metadata: Some(metadata) }.encode_to_vec();
        // OneOf field 216, length-delimited: key = 216 << 3 | 2.
        let mut oneof = Vec::new();
        prost::encoding::encode_key(216, WireType::LengthDelimited, &mut oneof);
        prost::encoding::encode_varint(event.len() as u64, &mut oneof);
        oneof.extend(&event);
        let Decoded::Event { ei, info } = decode(&oneof).unwrap() else { panic!("not an event") };
        assert_eq!((ei, info.event.as_str(), info.proto_tag), (7, "mcp.session.start", Some(216)));
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(decode(b"\x08\x01").unwrap_err().contains("not a message"));
        assert!(decode(b"\x3a\x10ab").unwrap_err().contains("claims 16 bytes"));
        assert!(decode(b"\xff\xff").is_err());
    }
}
