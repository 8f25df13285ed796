//! [`Expr`] + model → [`Filter`]: each term becomes a set of matching interned strings (found by
//! one scan of the dictionary), so that testing a row is a few integer lookups.

use super::parse::{parse, Expr, Op, ParseError, Term};
use crate::audit::Outcome;
use crate::model::{Event, Model, Session, Sym, TimeIndex, NO_TIME};
use crate::problem::FileId;
use crate::time::{parse_rfc3339, Nanos, NANOS_PER_SEC};
use chrono::NaiveDate;
use std::net::IpAddr;

/// Interned columns a term can address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Event,
    Code,
    User,
    Login,
    Node,
    Addr,
    Sid,
    Cluster,
    Method,
    Message,
}

/// Columns free text looks in.
const FREE_TEXT: [Column; 10] = [
    Column::User,
    Column::Login,
    Column::Node,
    Column::Addr,
    Column::Event,
    Column::Code,
    Column::Method,
    Column::Message,
    Column::Cluster,
    Column::Sid,
];

/// The field names the query language knows, with their aliases, for help and completion.
pub const FIELDS: &[(&str, &str)] = &[
    ("user", "Teleport user"),
    ("login", "OS login"),
    ("node", "node hostname, server id or address (alias: host)"),
    ("addr", "remote address; accepts CIDR, e.g. 10.0.0.0/8 (aliases: ip, addr.remote)"),
    ("event", "event type, e.g. user.login or session.* (alias: type)"),
    ("code", "event code, e.g. T1000W"),
    ("outcome", "success or failure"),
    ("success", "true or false"),
    ("method", "login method: local, github, oidc, saml, …"),
    ("error", "error or message text (alias: message)"),
    ("sid", "session id (alias: session)"),
    ("cluster", "cluster name"),
    ("time", "time bounds: time>=2024-02-23T10:00Z, time:2024-02-23"),
    ("file", "source file path"),
    ("finding", "the events behind a finding, by its number"),
];

/// The indexed column a field name (or alias) reads.
pub fn column_of(field: &str) -> Option<Column> {
    Some(match field {
        "event" | "type" => Column::Event,
        "code" => Column::Code,
        "user" => Column::User,
        "login" => Column::Login,
        "node" | "host" | "server" | "server_hostname" | "server_id" => Column::Node,
        "addr" | "ip" | "remote" | "addr.remote" => Column::Addr,
        "sid" | "session" => Column::Sid,
        "cluster" | "cluster_name" => Column::Cluster,
        "method" => Column::Method,
        "error" | "message" | "msg" => Column::Message,
        _ => return None,
    })
}

impl Column {
    /// This column's place in [`TimeIndex::columns`].
    pub fn slot(self) -> usize {
        match self {
            Column::Event => 0,
            Column::Code => 1,
            Column::User => 2,
            Column::Login => 3,
            Column::Node => 4,
            Column::Addr => 5,
            Column::Sid => 6,
            Column::Cluster => 7,
            Column::Method => 8,
            Column::Message => 9,
        }
    }

    fn of_event(self, e: &Event) -> Sym {
        match self {
            Column::Event => e.kind,
            Column::Code => e.code,
            Column::User => e.user,
            Column::Login => e.login,
            Column::Node => e.node,
            Column::Addr => e.remote,
            Column::Sid => e.sid,
            Column::Cluster => e.cluster,
            Column::Method => e.method,
            Column::Message => e.message,
        }
    }

    /// The session's own value for a column, where it has one.
    fn of_session(self, s: &Session) -> Option<Sym> {
        Some(match self {
            Column::User => s.user,
            Column::Login => s.login,
            Column::Node => s.node,
            Column::Addr => s.remote,
            Column::Sid => s.sid,
            Column::Cluster => s.cluster,
            _ => return None,
        })
    }
}

/// A bitset over interned strings.
#[derive(Clone, Debug)]
struct SymSet(Vec<u64>);

impl SymSet {
    /// The symbols whose string passes `test`: among the values `columns` hold in the (current)
    /// index when given, else among every string loaded.
    fn build(model: &Model, columns: Option<&[Column]>, mut test: impl FnMut(&str) -> bool) -> Self {
        let mut bits = vec![0u64; model.strings.len().div_ceil(64)];
        let mut mark = |sym: Sym| bits[sym.index() / 64] |= 1 << (sym.index() % 64);
        let Some(columns) = columns else {
            for (sym, s) in model.strings.iter() {
                if test(s) {
                    mark(sym);
                }
            }
            return SymSet(bits);
        };
        {
            let ix = model.index();
            let mut seen = vec![0u64; model.strings.len().div_ceil(64)];
            for c in columns {
                for sym in ix.values(c.slot()) {
                    let (w, b) = (sym.index() / 64, 1u64 << (sym.index() % 64));
                    if sym.is_none() || seen[w] & b != 0 {
                        continue;
                    }
                    seen[w] |= b;
                    if test(model.str(sym)) {
                        mark(sym);
                    }
                }
            }
        }
        SymSet(bits)
    }

    /// Whether any symbol of this set is in `other` (a bitset over the same symbols).
    fn meets(&self, other: &[u64]) -> bool {
        self.0.iter().zip(other).any(|(a, b)| a & b != 0)
    }

    fn has(&self, sym: Sym) -> bool {
        self.0.get(sym.index() / 64).is_some_and(|w| w & (1 << (sym.index() % 64)) != 0)
    }
}

#[derive(Clone, Debug)]
enum Node {
    All,
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    In(Column, SymSet),
    /// Free text: any of the free-text columns (only those holding a matching value are read).
    Any(SymSet, Vec<Column>),
    Outcome(Outcome),
    /// `start <= time < end`.
    Time {
        start: Nanos,
        end: Nanos,
    },
    /// A set of files, as a bitset over file ids.
    File(Vec<bool>),
    /// A set of events, as a bitset over event ids (the events behind a finding).
    Ids(Vec<bool>),
}

/// A compiled query, ready to test rows.
#[derive(Clone, Debug)]
pub struct Filter {
    node: Node,
    pub text: String,
}

impl Filter {
    pub fn all() -> Self {
        Filter { node: Node::All, text: String::new() }
    }

    /// Parses and compiles `text` against every string loaded: right for events and sessions
    /// alike (a session known only from its recording has values no event has).
    pub fn new(text: &str, model: &Model) -> Result<Self, ParseError> {
        let expr = parse(text)?;
        Ok(Filter { node: compile(&expr, model, false)?, text: text.to_owned() })
    }

    /// Like [`Filter::new`], for testing events only: each term looks only at the values its
    /// column holds (with a current index), which is much less than every string loaded.
    pub fn for_events(text: &str, model: &Model) -> Result<Self, ParseError> {
        let expr = parse(text)?;
        Ok(Filter { node: compile(&expr, model, !model.index_is_stale())?, text: text.to_owned() })
    }

    pub fn is_all(&self) -> bool {
        matches!(self.node, Node::All)
    }

    pub fn matches_event(&self, e: &Event) -> bool {
        event(&self.node, e)
    }

    /// Positions in the time index of the matching events, in time order; among the auth
    /// attempts only when `auth_only`. Time bounds at the top of the query are found by binary
    /// search first, then the columns are read straight through.
    pub fn select(&self, ix: &TimeIndex, auth_only: bool) -> Vec<u32> {
        let range = match time_bounds(&self.node) {
            Some((start, end)) => ix.time_range(start, end),
            None => 0..ix.len(),
        };
        let keep = |p: u32| at(&self.node, ix, p as usize);
        if auth_only {
            let from = ix.auth.partition_point(|&p| (p as usize) < range.start);
            let to = ix.auth.partition_point(|&p| (p as usize) < range.end);
            ix.auth[from..to].iter().copied().filter(|&p| keep(p)).collect()
        } else if self.is_all() {
            (range.start as u32..range.end as u32).collect()
        } else {
            (range.start as u32..range.end as u32).filter(|&p| keep(p)).collect()
        }
    }

    /// Sessions match on their own fields; event-only terms (type, code, outcome, method,
    /// message) match when any event of the session does.
    pub fn matches_session(&self, s: &Session, model: &Model) -> bool {
        session(&self.node, s, model)
    }
}

fn event(n: &Node, e: &Event) -> bool {
    match n {
        Node::All => true,
        Node::And(v) => v.iter().all(|n| event(n, e)),
        Node::Or(v) => v.iter().any(|n| event(n, e)),
        Node::Not(n) => !event(n, e),
        Node::In(c, set) => set.has(c.of_event(e)),
        Node::Any(set, _) => FREE_TEXT.iter().any(|c| set.has(c.of_event(e))),
        Node::Outcome(o) => e.outcome == *o,
        Node::Time { start, end } => e.time != NO_TIME && *start <= e.time && e.time < *end,
        Node::File(files) => files.get(e.file as usize).copied().unwrap_or(false),
        // An event row does not know its id: event sets are tested by `select` and on sessions.
        Node::Ids(_) => false,
    }
}

/// The event at position `p` of the time index.
fn at(n: &Node, ix: &TimeIndex, p: usize) -> bool {
    match n {
        Node::All => true,
        Node::And(v) => v.iter().all(|n| at(n, ix, p)),
        Node::Or(v) => v.iter().any(|n| at(n, ix, p)),
        Node::Not(n) => !at(n, ix, p),
        Node::In(c, set) => set.has(ix.columns[c.slot()][p]),
        Node::Any(set, cols) => cols.iter().any(|c| set.has(ix.columns[c.slot()][p])),
        Node::Outcome(o) => ix.outcome[p] == *o,
        Node::Time { start, end } => {
            let t = ix.time[p];
            t != NO_TIME && *start <= t && t < *end
        }
        Node::File(files) => files.get(ix.file[p] as usize).copied().unwrap_or(false),
        Node::Ids(ids) => ids.get(ix.ids[p] as usize).copied().unwrap_or(false),
    }
}

/// The time window a query demands of every match, when its top level says so.
fn time_bounds(n: &Node) -> Option<(Nanos, Nanos)> {
    match n {
        Node::Time { start, end } => Some((*start, *end)),
        Node::And(v) => v.iter().filter_map(time_bounds).reduce(|(a, b), (c, d)| (a.max(c), b.min(d))),
        _ => None,
    }
}

fn session(n: &Node, s: &Session, m: &Model) -> bool {
    let any_event = |n: &Node| s.events.iter().any(|&id| m.events.get(id as usize).is_some_and(|e| event(n, e)));
    match n {
        Node::All => true,
        Node::And(v) => v.iter().all(|n| session(n, s, m)),
        Node::Or(v) => v.iter().any(|n| session(n, s, m)),
        Node::Not(n) => !session(n, s, m),
        Node::In(Column::User, set) => set.has(s.user) || s.participants.iter().any(|&p| set.has(p)),
        Node::In(c, set) => match c.of_session(s) {
            Some(sym) => set.has(sym),
            None => any_event(n),
        },
        Node::Any(set, _) => {
            FREE_TEXT.iter().any(|c| c.of_session(s).is_some_and(|sym| set.has(sym)))
                || s.participants.iter().any(|&p| set.has(p))
                || any_event(n)
        }
        Node::Time { start, end } => {
            // A session matches a time range it overlaps.
            let from = s.start_or_first();
            let to = s.end.unwrap_or(s.last_seen).max(from);
            from != NO_TIME && from < *end && to >= *start
        }
        Node::Outcome(_) | Node::File(_) => any_event(n),
        Node::Ids(ids) => s.events.iter().any(|&id| ids.get(id as usize).copied().unwrap_or(false)),
    }
}

fn compile(e: &Expr, m: &Model, by_column: bool) -> Result<Node, ParseError> {
    Ok(match e {
        Expr::All => Node::All,
        Expr::And(v) => Node::And(v.iter().map(|e| compile(e, m, by_column)).collect::<Result<_, _>>()?),
        Expr::Or(v) => Node::Or(v.iter().map(|e| compile(e, m, by_column)).collect::<Result<_, _>>()?),
        Expr::Not(e) => Node::Not(Box::new(compile(e, m, by_column)?)),
        Expr::Term(t) => term(t, m, by_column)?,
    })
}

fn err(t: &Term, message: String) -> ParseError {
    ParseError { pos: t.pos, message }
}

fn term(t: &Term, m: &Model, by_column: bool) -> Result<Node, ParseError> {
    let Some(field) = t.field.as_deref() else {
        let needle = t.value.to_lowercase();
        let set = SymSet::build(m, by_column.then_some(&FREE_TEXT[..]), |s| contains_ignore_case(s, &needle));
        let cols = if !by_column {
            FREE_TEXT.to_vec()
        } else {
            FREE_TEXT.iter().copied().filter(|c| set.meets(&m.index().present[c.slot()])).collect()
        };
        return Ok(Node::Any(set, cols));
    };
    if field == "time" {
        return time_term(t);
    }
    if t.op != Op::Is {
        return Err(err(t, format!("'{field}' takes ':' — only time has >, >=, <, <=")));
    }
    if let Some(c) = column_of(field) {
        if c == Column::Addr {
            if let Some(net) = Cidr::parse(&t.value) {
                return Ok(Node::In(c, SymSet::build(m, by_column.then_some(&[c][..]), |s| net.contains(s))));
            }
        }
        let pattern = Glob::new(&t.value);
        return Ok(Node::In(c, SymSet::build(m, by_column.then_some(&[c][..]), |s| pattern.matches(s))));
    }
    match field {
        "outcome" | "result" => match t.value.to_ascii_lowercase().as_str() {
            "success" | "ok" | "succeeded" => Ok(Node::Outcome(Outcome::Success)),
            "failure" | "fail" | "failed" => Ok(Node::Outcome(Outcome::Failure)),
            "none" => Ok(Node::Outcome(Outcome::None)),
            _ => Err(err(t, "outcome is success, failure or none".into())),
        },
        "success" => match t.value.to_ascii_lowercase().as_str() {
            "true" => Ok(Node::Outcome(Outcome::Success)),
            "false" => Ok(Node::Outcome(Outcome::Failure)),
            _ => Err(err(t, "success is true or false".into())),
        },
        "finding" => {
            let n: usize = t.value.parse().map_err(|_| err(t, "finding takes the number of a finding".into()))?;
            let events = m.findings.get(n).ok_or_else(|| err(t, format!("there is no finding {n}")))?;
            let mut ids = vec![false; m.events.len()];
            for &id in events {
                if let Some(slot) = ids.get_mut(id as usize) {
                    *slot = true;
                }
            }
            Ok(Node::Ids(ids))
        }
        "file" => {
            let pattern = Glob::new(&t.value);
            let needle = t.value.to_lowercase();
            let files = (0..m.files.len() as FileId)
                .map(|f| {
                    let path = &m.file(f).path;
                    pattern.matches(path) || pattern.matches(m.file(f).name()) || contains_ignore_case(path, &needle)
                })
                .collect();
            Ok(Node::File(files))
        }
        _ => {
            let known: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
            Err(err(t, format!("unknown field '{field}'; fields are {}", known.join(", "))))
        }
    }
}

fn time_term(t: &Term) -> Result<Node, ParseError> {
    let Some((start, end)) = time_span(&t.value) else {
        return Err(err(
            t,
            format!("expected a UTC time like 2024-02-23, 2024-02-23T10:00Z or an RFC 3339 time, found {:?}", t.value),
        ));
    };
    let (lo, hi) = match t.op {
        Op::Is => (start, end),
        Op::Ge => (start, Nanos::MAX),
        Op::Gt => (end, Nanos::MAX),
        Op::Lt => (Nanos::MIN, start),
        Op::Le => (Nanos::MIN, end),
    };
    Ok(Node::Time { start: lo, end: hi })
}

/// The interval a written time covers: a date is a day, `T10:00Z` a minute, seconds a second,
/// and a time with a fraction an instant.
pub fn time_span(v: &str) -> Option<(Nanos, Nanos)> {
    let v = v.trim();
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        let start = d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_nanos_opt()?;
        return Some((start, start + 86_400 * NANOS_PER_SEC));
    }
    let body = v.strip_suffix('Z').or_else(|| v.strip_suffix('z')).unwrap_or(v);
    for (fmt, len) in [("%Y-%m-%dT%H:%M", 60), ("%Y-%m-%dT%H", 3600), ("%Y-%m-%d %H:%M", 60)] {
        let full = if len == 3600 { format!("{body}:00") } else { body.to_owned() };
        let f = if len == 3600 { "%Y-%m-%dT%H:%M" } else { fmt };
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(&full, f) {
            let start = t.and_utc().timestamp_nanos_opt()?;
            return Some((start, start + len * NANOS_PER_SEC));
        }
    }
    let with_zone = if v.ends_with(['Z', 'z']) || v.rfind(['+', '-']).is_some_and(|i| i > 10) {
        v.to_owned()
    } else {
        format!("{v}Z")
    };
    let t = parse_rfc3339(&with_zone)?;
    let span = if with_zone.contains('.') { 1 } else { NANOS_PER_SEC };
    Some((t, t + span))
}

fn contains_ignore_case(hay: &str, needle_lower: &str) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    if hay.is_ascii() && needle_lower.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle_lower.as_bytes());
        return h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    hay.to_lowercase().contains(needle_lower)
}

/// Case-insensitive equality with `*` standing for any run of characters.
struct Glob {
    parts: Vec<String>,
    wild: bool,
}

impl Glob {
    fn new(p: &str) -> Self {
        let lower = p.to_lowercase();
        Glob { wild: lower.contains('*'), parts: lower.split('*').map(str::to_owned).collect() }
    }

    fn matches(&self, s: &str) -> bool {
        // ASCII (nearly every value) is folded in place; other text is lowercased once.
        let lowered;
        let s = if s.is_ascii() {
            s
        } else {
            lowered = s.to_lowercase();
            &lowered
        };
        let eq = |a: &str, b: &str| a.len() == b.len() && a.as_bytes().eq_ignore_ascii_case(b.as_bytes());
        if !self.wild {
            return self.parts.first().is_some_and(|p| eq(p, s));
        }
        let (first, last) = (&self.parts[0], &self.parts[self.parts.len() - 1]);
        if s.len() < first.len() + last.len() || !eq(first, &s[..first.len()]) || !eq(last, &s[s.len() - last.len()..])
        {
            return false;
        }
        let mut rest = &s[first.len()..s.len() - last.len()];
        for mid in &self.parts[1..self.parts.len() - 1] {
            match find_ignore_case(rest, mid) {
                Some(i) => rest = &rest[i + mid.len()..],
                None => return false,
            }
        }
        true
    }
}

/// Where `needle` (lowercase) first occurs in `hay`, ignoring ASCII case.
fn find_ignore_case(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n) && hay.is_char_boundary(i))
}

/// An IPv4 or IPv6 network in CIDR notation.
struct Cidr {
    net: IpAddr,
    bits: u8,
}

impl Cidr {
    fn parse(v: &str) -> Option<Self> {
        let (ip, bits) = v.split_once('/')?;
        let net: IpAddr = ip.parse().ok()?;
        let bits: u8 = bits.parse().ok()?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        (bits <= max).then_some(Cidr { net, bits })
    }

    fn contains(&self, host: &str) -> bool {
        let Ok(ip) = host.parse::<IpAddr>() else {
            return false;
        };
        match (self.net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                prefix_eq(u128::from(u32::from(n)) << 96, u128::from(u32::from(a)) << 96, self.bits)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(u128::from(n), u128::from(a), self.bits),
            _ => false,
        }
    }
}

fn prefix_eq(a: u128, b: u128, bits: u8) -> bool {
    bits == 0 || (a ^ b) >> (128 - u32::from(bits)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Ingest, Options};

    fn model() -> Model {
        let log = concat!(
            r#"{"event":"user.login","user":"alice","method":"local","success":false,"code":"T1000W","error":"invalid password","addr.remote":"203.0.113.9:5555","time":"2024-02-23T09:59:00Z"}"#,
            "\n",
            r#"{"event":"user.login","user":"alice","method":"github","success":true,"code":"T1001I","addr.remote":"10.1.2.3:4000","time":"2024-02-23T10:00:30Z"}"#,
            "\n",
            r#"{"event":"session.start","user":"bob","login":"root","sid":"s1","server_hostname":"db-1","addr.remote":"10.9.9.9:1","time":"2024-02-23T11:00:00Z"}"#,
            "\n",
            r#"{"event":"session.join","user":"alice","sid":"s1","time":"2024-02-23T11:05:00Z"}"#,
            "\n",
            r#"{"event":"exec","user":"bob","sid":"s1","code":"T3002E","time":"2024-02-24T00:00:00Z"}"#,
            "\n",
        );
        let mut ing = Ingest::new(Options::default());
        ing.add_bytes("a.log", log.as_bytes());
        ing.finish()
    }

    fn count(q: &str) -> usize {
        let m = model();
        let f = Filter::new(q, &m).unwrap_or_else(|e| panic!("{q}: {e}"));
        m.events.iter().filter(|e| f.matches_event(e)).count()
    }

    #[test]
    fn fields_free_text_and_logic() {
        assert_eq!(count(""), 5);
        assert_eq!(count("user:alice"), 3);
        assert_eq!(count("user:ALICE success:false"), 1);
        assert_eq!(count("outcome:failure"), 2);
        assert_eq!(count("event:session.*"), 2);
        assert_eq!(count("user:a*"), 3);
        assert_eq!(count("-user:alice"), 2);
        assert_eq!(count("user:alice OR login:root"), 4);
        assert_eq!(count("db-1"), 1, "free text finds the node hostname");
        assert_eq!(count("password"), 1, "free text finds the error");
        assert_eq!(count("code:T1000W"), 1);
    }

    #[test]
    fn addresses_and_times() {
        assert_eq!(count("addr:10.0.0.0/8"), 2);
        assert_eq!(count("addr:203.0.113.9"), 1);
        assert_eq!(count("time>=2024-02-23T10:00Z"), 4);
        assert_eq!(count("time<2024-02-23T10:00Z"), 1);
        assert_eq!(count("time:2024-02-23"), 4);
        assert_eq!(count("time>2024-02-23"), 1, "after the whole day");
        assert_eq!(count("time:2024-02-23T10:00:30Z"), 1);
    }

    #[test]
    fn sessions_match_on_their_own_fields_and_events() {
        let m = model();
        let s = &m.sessions.list[0];
        let q = |q: &str| Filter::new(q, &m).unwrap().matches_session(s, &m);
        assert!(q("user:alice"), "participants count");
        assert!(q("node:db-1 login:root"));
        assert!(q("code:T3002E"), "an event of the session matches");
        assert!(!q("user:carol"));
        assert!(q("time:2024-02-23T11:03Z"), "open session overlaps");
    }

    #[test]
    fn compile_errors_point_at_the_term() {
        let m = model();
        let e = Filter::new("user:x colour:red", &m).unwrap_err();
        assert_eq!(e.pos, 7);
        assert!(e.message.contains("unknown field 'colour'"));
        assert!(Filter::new("time>=yesterday", &m).unwrap_err().message.contains("expected a UTC time"));
        assert!(Filter::new("user>=a", &m).is_err());
    }
}
