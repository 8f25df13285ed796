//! The protobuf messages of a ProtoStream recording that the timeline uses, hand-written from
//! the format reference §3c.7 (package `events`). Fields not listed here are skipped by prost.

use crate::event_info::EventInfo;
use crate::Nanos;

#[derive(Clone, PartialEq, prost::Message)]
pub struct Timestamp {
    #[prost(int64, tag = "1")]
    pub seconds: i64,
    #[prost(int32, tag = "2")]
    pub nanos: i32,
}

impl Timestamp {
    /// `None` for Go's zero time and anything else outside what `Nanos` holds.
    pub fn nanos(&self) -> Option<Nanos> {
        self.seconds.checked_mul(1_000_000_000)?.checked_add(i64::from(self.nanos))
    }
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Metadata {
    #[prost(int64, tag = "1")]
    pub index: i64,
    #[prost(string, tag = "2")]
    pub r#type: String,
    #[prost(string, tag = "3")]
    pub id: String,
    #[prost(string, tag = "4")]
    pub code: String,
    #[prost(message, optional, tag = "5")]
    pub time: Option<Timestamp>,
    #[prost(string, tag = "6")]
    pub cluster_name: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct SessionMetadata {
    #[prost(string, tag = "1")]
    pub session_id: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct UserMetadata {
    #[prost(string, tag = "1")]
    pub user: String,
    #[prost(string, tag = "2")]
    pub login: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ServerMetadata {
    #[prost(string, tag = "1")]
    pub namespace: String,
    #[prost(string, tag = "2")]
    pub server_id: String,
    #[prost(string, tag = "3")]
    pub server_hostname: String,
    #[prost(string, tag = "4")]
    pub server_addr: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ConnectionMetadata {
    #[prost(string, tag = "1")]
    pub local_addr: String,
    #[prost(string, tag = "2")]
    pub remote_addr: String,
    #[prost(string, tag = "3")]
    pub protocol: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct BpfMetadata {
    #[prost(uint64, tag = "1")]
    pub pid: u64,
    #[prost(uint64, tag = "2")]
    pub cgroup_id: u64,
    #[prost(string, tag = "3")]
    pub program: String,
}

/// Any event: field 1 is `Metadata` in every event message.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnyEvent {
    #[prost(message, optional, tag = "1")]
    pub metadata: Option<Metadata>,
}

/// OneOf 5.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SessionStart {
    #[prost(message, optional, tag = "1")]
    pub metadata: Option<Metadata>,
    #[prost(message, optional, tag = "2")]
    pub user: Option<UserMetadata>,
    #[prost(message, optional, tag = "3")]
    pub session: Option<SessionMetadata>,
    #[prost(message, optional, tag = "4")]
    pub server: Option<ServerMetadata>,
    #[prost(message, optional, tag = "5")]
    pub connection: Option<ConnectionMetadata>,
    #[prost(string, tag = "6")]
    pub terminal_size: String,
}

/// OneOf 6.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SessionJoin {
    #[prost(message, optional, tag = "1")]
    pub metadata: Option<Metadata>,
    #[prost(message, optional, tag = "2")]
    pub user: Option<UserMetadata>,
    #[prost(message, optional, tag = "3")]
    pub session: Option<SessionMetadata>,
    #[prost(message, optional, tag = "4")]
    pub server: Option<ServerMetadata>,
    #[prost(message, optional, tag = "5")]
    pub connection: Option<ConnectionMetadata>,
}

/// OneOf 7.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SessionPrint {
    #[prost(message, optional, tag = "1")]
    pub metadata: Option<Metadata>,
    #[prost(int64, tag = "2")]
    pub chunk_index: i64,
    #[prost(bytes = "vec", tag = "3")]
    pub data: Vec<u8>,
    #[prost(int64, tag = "4")]
    pub bytes: i64,
    #[prost(int64, tag = "5")]
    pub delay_milliseconds: i64,
    #[prost(int64, tag = "6")]
    pub offset: i64,
}

/// OneOf 9. Connection and Server are 4 and 5 here, swapped against SessionStart.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Resize {
    #[prost(message, optional, tag = "1")]
    pub metadata: Option<Metadata>,
    #[prost(message, optional, tag = "2")]
    pub user: Option<UserMetadata>,
    #[prost(message, optional, tag = "3")]
    pub session: Option<SessionMetadata>,
    #[prost(message, optional, tag = "4")]
    pub connection: Option<ConnectionMetadata>,
    #[prost(message, optional, tag = "5")]
    pub server: Option<ServerMetadata>,
    #[prost(string, tag = "6")]
    pub terminal_size: String,
}

/// OneOf 10.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SessionEnd {
    #[prost(message, optional, tag = "1")]
    pub metadata: Option<Metadata>,
    #[prost(message, optional, tag = "2")]
    pub user: Option<UserMetadata>,
    #[prost(message, optional, tag = "3")]
    pub session: Option<SessionMetadata>,
    #[prost(message, optional, tag = "4")]
    pub connection: Option<ConnectionMetadata>,
    #[prost(message, optional, tag = "5")]
    pub server: Option<ServerMetadata>,
    #[prost(bool, tag = "6")]
    pub enhanced_recording: bool,
    #[prost(bool, tag = "7")]
    pub interactive: bool,
    #[prost(string, repeated, tag = "8")]
    pub participants: Vec<String>,
    #[prost(message, optional, tag = "9")]
    pub start_time: Option<Timestamp>,
    #[prost(message, optional, tag = "10")]
    pub end_time: Option<Timestamp>,
}

/// OneOf 11.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SessionCommand {
    #[prost(message, optional, tag = "1")]
    pub metadata: Option<Metadata>,
    #[prost(message, optional, tag = "2")]
    pub user: Option<UserMetadata>,
    #[prost(message, optional, tag = "3")]
    pub session: Option<SessionMetadata>,
    #[prost(message, optional, tag = "4")]
    pub server: Option<ServerMetadata>,
    #[prost(message, optional, tag = "5")]
    pub bpf: Option<BpfMetadata>,
    #[prost(uint64, tag = "6")]
    pub ppid: u64,
    #[prost(string, tag = "7")]
    pub path: String,
    #[prost(string, repeated, tag = "8")]
    pub argv: Vec<String>,
    #[prost(int32, tag = "9")]
    pub return_code: i32,
}

/// OneOf 12.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SessionDisk {
    #[prost(message, optional, tag = "1")]
    pub metadata: Option<Metadata>,
    #[prost(message, optional, tag = "2")]
    pub user: Option<UserMetadata>,
    #[prost(message, optional, tag = "3")]
    pub session: Option<SessionMetadata>,
    #[prost(message, optional, tag = "4")]
    pub server: Option<ServerMetadata>,
    #[prost(message, optional, tag = "5")]
    pub bpf: Option<BpfMetadata>,
    #[prost(string, tag = "6")]
    pub path: String,
    #[prost(int32, tag = "7")]
    pub flags: i32,
    #[prost(int32, tag = "8")]
    pub return_code: i32,
}

/// OneOf 13.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SessionNetwork {
    #[prost(message, optional, tag = "1")]
    pub metadata: Option<Metadata>,
    #[prost(message, optional, tag = "2")]
    pub user: Option<UserMetadata>,
    #[prost(message, optional, tag = "3")]
    pub session: Option<SessionMetadata>,
    #[prost(message, optional, tag = "4")]
    pub server: Option<ServerMetadata>,
    #[prost(message, optional, tag = "5")]
    pub bpf: Option<BpfMetadata>,
    #[prost(string, tag = "6")]
    pub src_addr: String,
    #[prost(string, tag = "7")]
    pub dst_addr: String,
    #[prost(int32, tag = "8")]
    pub dst_port: i32,
    #[prost(int32, tag = "9")]
    pub tcp_version: i32,
    /// CONNECT = 0, SEND = 1.
    #[prost(int32, tag = "10")]
    pub operation: i32,
    /// OBSERVED = 0, DENIED = 1.
    #[prost(int32, tag = "11")]
    pub action: i32,
}

/// OneOf 15.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SessionLeave {
    #[prost(message, optional, tag = "1")]
    pub metadata: Option<Metadata>,
    #[prost(message, optional, tag = "2")]
    pub user: Option<UserMetadata>,
    #[prost(message, optional, tag = "3")]
    pub session: Option<SessionMetadata>,
    #[prost(message, optional, tag = "4")]
    pub server: Option<ServerMetadata>,
    #[prost(message, optional, tag = "5")]
    pub connection: Option<ConnectionMetadata>,
}

fn text(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// The common fields every event message has, as an [`EventInfo`].
pub fn info(
    metadata: Option<&Metadata>,
    user: Option<&UserMetadata>,
    session: Option<&SessionMetadata>,
    server: Option<&ServerMetadata>,
) -> EventInfo {
    EventInfo {
        event: metadata.map(|m| m.r#type.clone()).unwrap_or_default(),
        time: metadata.and_then(|m| m.time.as_ref()).and_then(Timestamp::nanos),
        cluster: metadata.and_then(|m| text(&m.cluster_name)),
        user: user.and_then(|u| text(&u.user)),
        login: user.and_then(|u| text(&u.login)),
        sid: session.and_then(|s| text(&s.session_id)),
        server_id: server.and_then(|s| text(&s.server_id)),
        server_hostname: server.and_then(|s| text(&s.server_hostname)),
        ..EventInfo::default()
    }
}

pub fn remote_addr(connection: Option<&ConnectionMetadata>) -> Option<String> {
    connection.and_then(|c| text(&c.remote_addr))
}

pub fn program(bpf: Option<&BpfMetadata>) -> Option<String> {
    bpf.and_then(|b| text(&b.program))
}
