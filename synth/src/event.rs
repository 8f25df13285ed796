//! One logical audit event, independent of the version that writes it: its type, time, identity,
//! code (as in the newest table) and every field any version would write, in proto field order.
//! A [`crate::render::LineWriter`] decides which of them a version wrote and how.

use crate::timefmt::Nanos;
use crate::version::Version;
use std::fmt;
use std::sync::Arc;

macro_rules! kinds {
    ($($variant:ident = $name:literal since $since:expr, $stream:literal;)*) => {
        /// An event type (format reference §2.6), with the version that introduced it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($variant,)*
            /// Types this crate does not model: written as-is (unknown and future types), by
            /// versions from 10 on.
            Other(&'static str),
        }

        /// Dense numbers of the types, for tables.
        #[derive(Clone, Copy)]
        enum KindId {
            $($variant,)*
            Other,
        }

        impl Kind {
            /// How many [`Kind::index`] values there are.
            pub const COUNT: usize = KindId::Other as usize + 1;

            /// Every modelled type, then a stand-in for [`Kind::Other`], in [`Kind::index`] order.
            pub const ALL: [Kind; Kind::COUNT] = [$(Kind::$variant,)* Kind::Other("")];

            /// A dense number (every `Other` shares the last).
            pub fn index(self) -> usize {
                match self {
                    $(Kind::$variant => KindId::$variant as usize,)*
                    Kind::Other(_) => KindId::Other as usize,
                }
            }

            pub fn name(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)*
                    Kind::Other(name) => name,
                }
            }

            /// The first version that wrote this type to the audit log.
            pub fn since(self) -> Version {
                match self {
                    $(Kind::$variant => $since,)*
                    // Types the reader may not know are a trait of recent logs; older writers
                    // had a closed set.
                    Kind::Other(_) => Version::new(10, 0, 0),
                }
            }

            /// Part of a session's event stream (recorded with an index `ei`).
            pub fn in_session_stream(self) -> bool {
                match self {
                    $(Kind::$variant => $stream,)*
                    Kind::Other(_) => false,
                }
            }
        }
    };
}

const fn v(major: u16, minor: u16) -> Version {
    Version::new(major, minor, 0)
}

kinds! {
    SessionStart = "session.start" since v(1, 0), true;
    SessionJoin = "session.join" since v(1, 0), true;
    Resize = "resize" since v(1, 0), true;
    SessionLeave = "session.leave" since v(1, 0), true;
    SessionEnd = "session.end" since v(1, 0), true;
    SessionUpload = "session.upload" since v(2, 6), false;
    SessionData = "session.data" since v(4, 0), false;
    SessionCommand = "session.command" since v(4, 2), true;
    SessionDisk = "session.disk" since v(4, 2), true;
    SessionNetwork = "session.network" since v(4, 2), true;
    Exec = "exec" since v(1, 0), false;
    Scp = "scp" since v(1, 0), false;
    Sftp = "sftp" since v(11, 0), false;
    Port = "port" since v(1, 0), false;
    Subsystem = "subsystem" since v(2, 4), false;
    X11Forward = "x11-forward" since v(7, 0), false;
    ClientDisconnect = "client.disconnect" since v(2, 7), false;
    Auth = "auth" since v(1, 0), false;
    UserLogin = "user.login" since v(2, 4), false;
    MfaValidate = "mfa_auth_challenge.validate" since v(15, 0), false;
    UserCreate = "user.create" since v(4, 3), false;
    UserUpdate = "user.update" since v(4, 0), false;
    UserDelete = "user.delete" since v(4, 0), false;
    UserPasswordChange = "user.password_change" since v(4, 3), false;
    MfaAdd = "mfa.add" since v(6, 0), false;
    RoleCreated = "role.created" since v(4, 3), false;
    RoleUpdated = "role.updated" since v(15, 0), false;
    AccessRequestCreate = "access_request.create" since v(4, 2), false;
    AccessRequestReview = "access_request.review" since v(6, 0), false;
    AccessRequestUpdate = "access_request.update" since v(4, 2), false;
    CertCreate = "cert.create" since v(9, 0), false;
    KubeRequest = "kube.request" since v(5, 0), false;
    DbSessionStart = "db.session.start" since v(6, 0), true;
    DbSessionQuery = "db.session.query" since v(6, 0), true;
    DbSessionEnd = "db.session.end" since v(6, 0), true;
    LockCreated = "lock.created" since v(7, 0), false;
    BotJoin = "bot.join" since v(12, 0), false;
}

macro_rules! keys {
    ($($variant:ident = $name:literal,)*) => {
        /// A field's JSON key.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key {
            $($variant,)*
            /// A key of a type this crate does not model.
            Custom(&'static str),
        }

        /// Dense numbers of the keys, for tables.
        #[derive(Clone, Copy)]
        enum KeyId {
            $($variant,)*
            Custom,
        }

        impl Key {
            /// How many [`Key::index`] values there are.
            pub const COUNT: usize = KeyId::Custom as usize + 1;

            /// Every known key, then a stand-in for [`Key::Custom`], in [`Key::index`] order.
            pub const ALL: [Key; Key::COUNT] = [$(Key::$variant,)* Key::Custom("")];

            /// A dense number (every `Custom` shares the last).
            pub fn index(self) -> usize {
                match self {
                    $(Key::$variant => KeyId::$variant as usize,)*
                    Key::Custom(_) => KeyId::Custom as usize,
                }
            }

            /// Every known key name (fields, then the Metadata block's), in declaration order.
            const NAMES: &'static [&'static str] = &[$($name,)* "ei", "event", "uid", "code", "time", "cluster_name"];

            pub fn name(self) -> &'static str {
                match self {
                    $(Key::$variant => $name,)*
                    Key::Custom(name) => name,
                }
            }

            /// Place among all known key names in byte order (Go's map key order), so sorting
            /// compares numbers; [`Key::CUSTOM_RANK`] for custom keys.
            pub fn sort_rank(self) -> u16 {
                match self {
                    $(Key::$variant => const { rank_of($name) },)*
                    Key::Custom(_) => Key::CUSTOM_RANK,
                }
            }
        }
    };
}

/// Compile-time `a < b` for key names.
const fn bytes_less(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

/// How many known key names sort before `name`.
const fn rank_of(name: &str) -> u16 {
    let mut rank = 0;
    let mut i = 0;
    while i < Key::NAMES.len() {
        if bytes_less(Key::NAMES[i], name) {
            rank += 1;
        }
        i += 1;
    }
    rank
}

impl Key {
    pub const CUSTOM_RANK: u16 = u16::MAX;

    /// [`Key::sort_rank`] of a Metadata key (`ei`, `event`, `uid`, `code`, `time`, `cluster_name`).
    pub const fn meta_rank(name: &str) -> u16 {
        rank_of(name)
    }
}

keys! {
    User = "user",
    Login = "login",
    UserKind = "user_kind",
    RequiredPrivateKeyPolicy = "required_private_key_policy",
    Sid = "sid",
    PrivateKeyPolicy = "private_key_policy",
    Namespace = "namespace",
    ServerId = "server_id",
    ServerHostname = "server_hostname",
    ServerAddr = "server_addr",
    ServerLabels = "server_labels",
    AddrLocal = "addr.local",
    AddrRemote = "addr.remote",
    Proto = "proto",
    Size = "size",
    InitialCommand = "initial_command",
    SessionRecording = "session_recording",
    EnhancedRecording = "enhanced_recording",
    Interactive = "interactive",
    Participants = "participants",
    SessionStart = "session_start",
    SessionStop = "session_stop",
    Tx = "tx",
    Rx = "rx",
    Url = "url",
    Command = "command",
    ExitCode = "exitCode",
    ExitError = "exitError",
    Path = "path",
    Action = "action",
    WorkingDirectory = "working_directory",
    Addr = "addr",
    Success = "success",
    Error = "error",
    Message = "message",
    Method = "method",
    Attributes = "attributes",
    UserAgent = "user_agent",
    ChallengeScope = "challenge_scope",
    Pid = "pid",
    CgroupId = "cgroup_id",
    Program = "program",
    Ppid = "ppid",
    Argv = "argv",
    ReturnCode = "return_code",
    SrcAddr = "src_addr",
    DstAddr = "dst_addr",
    DstPort = "dst_port",
    TcpVersion = "version",
    Operation = "operation",
    Flags = "flags",
    KubernetesCluster = "kubernetes_cluster",
    KubernetesUsers = "kubernetes_users",
    KubernetesGroups = "kubernetes_groups",
    RequestPath = "request_path",
    Verb = "verb",
    ResponseCode = "response_code",
    ResourceApiGroup = "resource_api_group",
    ResourceKind = "resource_kind",
    ResourceName = "resource_name",
    ResourceNamespace = "resource_namespace",
    DbService = "db_service",
    DbProtocol = "db_protocol",
    DbUri = "db_uri",
    DbName = "db_name",
    DbUser = "db_user",
    DbQuery = "db_query",
    Name = "name",
    Expires = "expires",
    UpdatedBy = "updated_by",
    Roles = "roles",
    Connector = "connector",
    RequestId = "id",
    State = "state",
    Reason = "reason",
    Reviewer = "reviewer",
    ProposedState = "proposed_state",
    CertType = "cert_type",
    Identity = "identity",
    BotName = "bot_name",
    TokenName = "token_name",
    Target = "target",
}

/// A string that is static, shared with the organisation, or made for this event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    Static(&'static str),
    Shared(Arc<str>),
    Owned(Box<str>),
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Static(s) => s,
            Text::Shared(s) => s,
            Text::Owned(s) => s,
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Self {
        Text::Static(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Owned(s.into_boxed_str())
    }
}

impl From<&Arc<str>> for Text {
    fn from(s: &Arc<str>) -> Self {
        Text::Shared(s.clone())
    }
}

/// A field value. Numbers, addresses, UUIDs and times stay unformatted until written.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(Text),
    Int(i64),
    Bool(bool),
    Uuid(u128),
    /// `a.b.c.d:port`.
    Addr([u8; 4], u16),
    /// A bare `a.b.c.d`.
    Ip([u8; 4]),
    /// A timestamp: nanoseconds for `session_start`/`session_stop`, milliseconds otherwise.
    Time(Nanos),
    /// Go's zero time, `0001-01-01T00:00:00Z`.
    ZeroTime,
    /// A terminal size `cols:rows`.
    Size(u16, u16),
    List(Vec<Text>),
    /// A string map, written with sorted keys as Go writes maps.
    Map(Arc<[(Text, Text)]>),
    /// Already-rendered JSON (nested objects such as SSO claims).
    Raw(Text),
}

impl Value {
    pub fn str(s: impl Into<Text>) -> Value {
        Value::Str(s.into())
    }

    pub fn list<T: Into<Text>>(items: impl IntoIterator<Item = T>) -> Value {
        Value::List(items.into_iter().map(Into::into).collect())
    }

    /// A map; keys are sorted here once, not at every write.
    pub fn map<K: Into<Text>, V: Into<Text>>(pairs: impl IntoIterator<Item = (K, V)>) -> Value {
        let mut pairs: Vec<(Text, Text)> = pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        Value::Map(pairs.into())
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// One audit event before any version has written it.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub kind: Kind,
    pub time: Nanos,
    pub uid: u128,
    /// The code in the newest table (`T1000W`); writers translate or drop it per version.
    /// Empty for types without a code.
    pub code: &'static str,
    /// Position in the session's stream, prints included (the `ei` of stream events).
    pub index: i64,
    /// Every field any version would write, in proto field order.
    pub fields: Vec<(Key, Value)>,
}

impl Event {
    pub fn new(kind: Kind, time: Nanos, uid: u128, code: &'static str) -> Self {
        Event { kind, time, uid, code, index: 0, fields: Vec::with_capacity(24) }
    }

    #[inline]
    pub fn push(&mut self, key: Key, value: Value) -> &mut Self {
        self.fields.push((key, value));
        self
    }

    pub fn with(mut self, key: Key, value: Value) -> Self {
        self.fields.push((key, value));
        self
    }

    pub fn get(&self, key: Key) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn str(&self, key: Key) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_follow_byte_order_of_names() {
        let mut by_rank: Vec<(u16, &str)> =
            [Key::User, Key::AddrLocal, Key::AddrRemote, Key::ExitCode, Key::Tx, Key::SessionStart, Key::Size]
                .into_iter()
                .map(|k| (k.sort_rank(), k.name()))
                .chain(["ei", "event", "uid", "code", "time", "cluster_name"].map(|m| (Key::meta_rank(m), m)))
                .collect();
        by_rank.sort();
        let names: Vec<&str> = by_rank.iter().map(|(_, n)| *n).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(Key::Custom("zz").sort_rank(), Key::CUSTOM_RANK);
    }
}
