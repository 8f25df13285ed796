//! [`Expr`] + model → [`Filter`]: each term becomes a set of matching interned strings (found by
//! one scan of the dictionary), so that testing a row is a few integer lookups.

use super::parse::{parse, Expr, Op, ParseError, Term};
use crate::audit::Outcome;
use crate::model::{Event, Model, Session, Sym, TimeIndex, NO_TIME};
use crate::problem::FileId;
use crate::time::{Nanos, NANOS_PER_SEC};
use chrono::{NaiveDate, NaiveDateTime};
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
    ("error", "error or message text, or the command run (alias: message)"),
    ("sid", "session id (alias: session)"),
    ("cluster", "cluster name"),
    ("time", "time bounds, UTC or with an offset: time>=2024-02-23T10:00, time:2024-02-23+02:00"),
    ("hour", "hour of day, UTC: hour:9, hour:22-5, hour>=9 (sessions: by their start)"),
    ("weekday", "weekday, UTC: weekday:sat, weekday:mon-fri (sessions: by their start)"),
    ("duration", "session length: duration>=10m, duration:10s-1m, duration:unknown (events: by their session's)"),
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

    /// Whether sessions have no value of their own for this column (they match it through
    /// their events).
    fn is_event_only(self) -> bool {
        matches!(self, Column::Event | Column::Code | Column::Method | Column::Message)
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

/// Below this many values, a column's values are tested one by one rather than searched for
/// through all the text (25 MB at 3 million events).
const FEW_VALUES: usize = 20_000;

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

    /// The symbols whose string contains `needle` (lowercase), as [`SymSet::build`] with
    /// [`contains_ignore_case`] finds them, but searched for through all strings at once:
    /// `None` when the needle does not allow that (see [`crate::model::Strings::each_containing`]).
    fn containing(model: &Model, columns: Option<&[Column]>, needle: &str) -> Option<Self> {
        let mut bits = vec![0u64; model.strings.len().div_ceil(64)];
        let searched = model.strings.each_containing(needle, |sym| bits[sym.index() / 64] |= 1 << (sym.index() % 64));
        if !searched {
            return None;
        }
        if let Some(columns) = columns {
            // Only the values the columns hold, as `build` would test.
            let ix = model.index();
            let mut held = vec![0u64; bits.len()];
            for c in columns {
                for (h, p) in held.iter_mut().zip(ix.present(c.slot())) {
                    *h |= p;
                }
            }
            for (b, h) in bits.iter_mut().zip(&held) {
                *b &= h;
            }
        }
        Some(SymSet(bits))
    }

    /// As [`SymSet::build`], testing only the strings that contain `part` (lowercase), which
    /// every string `test` passes must contain: found by one search through all the text
    /// rather than one test per string. A column's few values (a few thousand users) are quicker to test one by one.
    fn build_among(model: &Model, columns: Option<&[Column]>, part: &str, test: impl Fn(&str) -> bool) -> Self {
        let few = |columns: &[Column]| {
            let values: usize = columns
                .iter()
                .map(|c| model.index().present(c.slot()).iter().map(|w| w.count_ones() as usize).sum::<usize>())
                .sum();
            values < FEW_VALUES
        };
        let found = if columns.is_some_and(few) { None } else { Self::containing(model, columns, part) };
        let Some(SymSet(mut bits)) = found else {
            return Self::build(model, columns, test);
        };
        for (w, word) in bits.iter_mut().enumerate() {
            let mut rest = *word;
            while rest != 0 {
                let b = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                if !test(model.str(Sym((w * 64 + b) as u32))) {
                    *word &= !(1 << b);
                }
            }
        }
        SymSet(bits)
    }

    /// Whether any symbol of this set is in `other` (a bitset over the same symbols).
    fn meets(&self, other: &[u64]) -> bool {
        self.0.iter().zip(other).any(|(a, b)| a & b != 0)
    }

    /// The one symbol of a set of one.
    fn single(&self) -> Option<Sym> {
        let mut words = self.0.iter().enumerate().filter(|(_, w)| **w != 0);
        match (words.next(), words.next()) {
            (Some((i, w)), None) if w.count_ones() == 1 => Some(Sym((i * 64 + w.trailing_zeros() as usize) as u32)),
            _ => None,
        }
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
    /// Hours of the week (UTC) an event's time, or a session's start, falls in.
    Clock(Week),
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

    /// Selects nothing: what a query that does not compile selects.
    pub fn none() -> Self {
        Filter { node: Node::Not(Box::new(Node::All)), text: String::new() }
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

    /// Whether this is [`Filter::none`].
    pub fn is_none(&self) -> bool {
        matches!(&self.node, Node::Not(n) if matches!(**n, Node::All))
    }

    pub fn matches_event(&self, e: &Event) -> bool {
        event(&self.node, e)
    }

    /// Positions in the time index of the matching events, in time order; among the auth
    /// attempts only when `auth_only`. Time bounds at the top of the query are found by binary
    /// search first, then the columns are read straight through, one term at a time, into bit
    /// masks (each `AND` reads only the stretches its earlier terms left any match in).
    pub fn select(&self, ix: &TimeIndex, auth_only: bool) -> Vec<u32> {
        let range = match time_bounds(&self.node) {
            Some((start, end)) => ix.time_range(start, end),
            None => 0..ix.len(),
        };
        if auth_only {
            // Few positions, listed: test them one by one.
            let from = ix.auth.partition_point(|&p| (p as usize) < range.start);
            let to = ix.auth.partition_point(|&p| (p as usize) < range.end);
            ix.auth[from..to].iter().copied().filter(|&p| at(&self.node, ix, p as usize)).collect()
        } else if self.is_all() {
            (range.start as u32..range.end as u32).collect()
        } else {
            let mask = Scan { ix, start: range.start, len: range.len() }.node(&self.node, None);
            positions_set(&mask, range.start)
        }
    }

    /// Sessions match on their own fields (hour and weekday: of their start; duration: their
    /// length); event-only terms (type, code, outcome, method, message) match when any event of
    /// the session does.
    pub fn matches_session(&self, s: &Session, model: &Model) -> bool {
        session(&self.node, s, model, None)
    }

    /// Tests sessions as [`Filter::matches_session`] does, for many sessions at once: with a
    /// current index, the sessions having an event that matches a term only events have (type,
    /// code, outcome, message, file, free text) are found once per term, from the term's
    /// matches in the index, rather than by reading every session's events.
    pub fn sessions<'a>(&'a self, model: &'a Model) -> SessionMatcher<'a> {
        let mut found = Vec::new();
        if !model.index_is_stale() {
            event_terms(&self.node, model, &mut found);
        }
        SessionMatcher { node: &self.node, model, found }
    }
}

/// For each event-only term of a query (by address), the sessions with an event matching it
/// (a bit per index in the session list).
type SessionsByTerm = Vec<(*const Node, Vec<u64>)>;

/// See [`Filter::sessions`].
pub struct SessionMatcher<'a> {
    node: &'a Node,
    model: &'a Model,
    found: SessionsByTerm,
}

impl SessionMatcher<'_> {
    /// Whether session number `index` (`s`) matches.
    pub fn matches(&self, index: u32, s: &Session) -> bool {
        session(self.node, s, self.model, Some((index, &self.found)))
    }
}

/// The terms of `n` a session matches through its events, each with the sessions that do.
fn event_terms(n: &Node, m: &Model, found: &mut SessionsByTerm) {
    match n {
        Node::And(v) | Node::Or(v) => v.iter().for_each(|n| event_terms(n, m, found)),
        Node::Not(n) => event_terms(n, m, found),
        Node::In(c, _) if c.is_event_only() => found.push((n, sessions_with_event(n, m))),
        Node::Any(..) | Node::Outcome(_) | Node::File(_) => found.push((n, sessions_with_event(n, m))),
        _ => {}
    }
}

/// The sessions (a bit per index in the session list) with an event matching `n`.
fn sessions_with_event(n: &Node, m: &Model) -> Vec<u64> {
    let ix = m.index();
    let mask = Scan { ix, start: 0, len: ix.len() }.node(n, None);
    let sids = &ix.columns[Column::Sid.slot()];
    let mut sessions = vec![0u64; m.sessions.len().div_ceil(64)];
    each_set_bit(&mask, |p| {
        let sid = sids[p];
        if let Some(i) = (!sid.is_none()).then(|| m.sessions.index_of(sid)).flatten() {
            sessions[i as usize / 64] |= 1 << (i % 64);
        }
    });
    sessions
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
        Node::Clock(w) => w.has(e.time),
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
        Node::Clock(w) => w.has(ix.time[p]),
        Node::File(files) => files.get(ix.file[p] as usize).copied().unwrap_or(false),
        Node::Ids(ids) => ids.get(ix.ids[p] as usize).copied().unwrap_or(false),
    }
}

/// The positions set in a mask, in order, from `start` on: counted first, so that the list
/// (millions, for a broad query) is allocated once.
fn positions_set(mask: &[u64], start: usize) -> Vec<u32> {
    let mut list = Vec::with_capacity(mask.iter().map(|w| w.count_ones() as usize).sum());
    each_set_bit(mask, |p| list.push((start + p) as u32));
    list
}

/// Calls `f` with each position set in a mask, in order.
fn each_set_bit(mask: &[u64], mut f: impl FnMut(usize)) {
    for (w, &word) in mask.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            f(w * 64 + bits.trailing_zeros() as usize);
            bits &= bits - 1;
        }
    }
}

/// A stretch of the time index tested term by term: one bit per position, 64 to a word.
struct Scan<'a> {
    ix: &'a TimeIndex,
    start: usize,
    len: usize,
}

impl Scan<'_> {
    /// The positions matching `n`, among those set in `within` (every position when `None`).
    fn node(&self, n: &Node, within: Option<&[u64]>) -> Vec<u64> {
        let ix = self.ix;
        match n {
            Node::All => within.map_or_else(|| self.every(), <[u64]>::to_vec),
            Node::And(parts) => {
                let mut mask = within.map(<[u64]>::to_vec);
                for part in parts {
                    mask = Some(self.node(part, mask.as_deref()));
                }
                mask.unwrap_or_else(|| self.every())
            }
            Node::Or(parts) => {
                let mut mask = vec![0u64; self.words()];
                for part in parts {
                    for (m, p) in mask.iter_mut().zip(self.node(part, within)) {
                        *m |= p;
                    }
                }
                mask
            }
            Node::Not(part) => {
                let inner = self.node(part, within);
                let outer = within.map_or_else(|| self.every(), <[u64]>::to_vec);
                outer.iter().zip(inner).map(|(o, i)| o & !i).collect()
            }
            Node::In(c, set) => self.in_column(within, &ix.columns[c.slot()], set),
            Node::Any(set, cols) => {
                // A column at a time: each pass is one straight read.
                let mut mask = vec![0u64; self.words()];
                for c in cols {
                    for (m, p) in mask.iter_mut().zip(self.in_column(within, &ix.columns[c.slot()], set)) {
                        *m |= p;
                    }
                }
                mask
            }
            Node::Outcome(o) => self.equal_in(within, &ix.outcome, *o),
            Node::Time { start, end } => self.test(within, |p| {
                let t = ix.time[p];
                t != NO_TIME && *start <= t && t < *end
            }),
            Node::Clock(w) => self.test(within, |p| w.has(ix.time[p])),
            Node::File(files) => self.test(within, |p| files.get(ix.file[p] as usize).copied().unwrap_or(false)),
            Node::Ids(ids) => self.test(within, |p| ids.get(ix.ids[p] as usize).copied().unwrap_or(false)),
        }
    }

    fn words(&self) -> usize {
        self.len.div_ceil(64)
    }

    /// Every position of the stretch.
    fn every(&self) -> Vec<u64> {
        let mut mask = vec![u64::MAX; self.words()];
        if let Some(last) = mask.last_mut() {
            let tail = self.len % 64;
            if tail != 0 {
                *last = (1 << tail) - 1;
            }
        }
        mask
    }

    /// The positions whose value in `col` is in `set`, among those of `within`.
    fn in_column(&self, within: Option<&[u64]>, col: &[Sym], set: &SymSet) -> Vec<u64> {
        match set.single() {
            Some(only) => self.equal_in(within, col, only),
            None => self.values_kept(within, col, |_| true, |v| set.has(v)),
        }
    }

    /// The positions whose value in `col` is `only` (`user:alice`, `outcome:failure`), among
    /// those of `within`. Most stretches of 64 hold no match: that is found by a test without
    /// branches, which the compiler vectorizes, before any bit is set.
    fn equal_in<T: PartialEq + Copy>(&self, within: Option<&[u64]>, col: &[T], only: T) -> Vec<u64> {
        let any = |values: &[T]| values.iter().fold(false, |any, &v| any | (v == only));
        self.values_kept(within, col, any, |v| v == only)
    }

    /// As [`Scan::test`], reading the stretch's part of one column 64 values to a word, and
    /// skipping the words whose values `may_keep` rules out.
    #[inline(always)]
    fn values_kept<T: Copy>(
        &self,
        within: Option<&[u64]>,
        col: &[T],
        may_keep: impl Fn(&[T]) -> bool,
        keep: impl Fn(T) -> bool,
    ) -> Vec<u64> {
        let mut mask = vec![0u64; self.words()];
        let values = col[self.start..self.start + self.len].chunks(64);
        for (w, (word, values)) in mask.iter_mut().zip(values).enumerate() {
            let allowed = within.map_or(u64::MAX, |m| m[w]);
            if allowed == 0 || !may_keep(values) {
                continue;
            }
            let mut bits = 0u64;
            for (j, &v) in values.iter().enumerate() {
                bits |= u64::from(keep(v)) << j;
            }
            *word = bits & allowed;
        }
        mask
    }

    /// `keep` of each position, skipping the words of `within` with no position set.
    #[inline(always)]
    fn test(&self, within: Option<&[u64]>, keep: impl Fn(usize) -> bool) -> Vec<u64> {
        let mut mask = vec![0u64; self.words()];
        for (w, word) in mask.iter_mut().enumerate() {
            let allowed = within.map_or(u64::MAX, |m| m[w]);
            if allowed == 0 {
                continue;
            }
            let base = self.start + w * 64;
            let end = (base + 64).min(self.start + self.len);
            let mut bits = 0u64;
            for (j, p) in (base..end).enumerate() {
                bits |= u64::from(keep(p)) << j;
            }
            *word = bits & allowed;
        }
        mask
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

/// Whether session `s` matches `n`; `found`: its index, and the sessions found for each
/// event-only term ([`Filter::sessions`]).
fn session(n: &Node, s: &Session, m: &Model, found: Option<(u32, &SessionsByTerm)>) -> bool {
    let any_event = |n: &Node| {
        let known = found.and_then(|(i, found)| {
            let (_, sessions) = found.iter().find(|(term, _)| std::ptr::eq(*term, n))?;
            Some(sessions.get(i as usize / 64).is_some_and(|w| w & (1 << (i % 64)) != 0))
        });
        known.unwrap_or_else(|| s.events.iter().any(|&id| m.events.get(id as usize).is_some_and(|e| event(n, e))))
    };
    match n {
        Node::All => true,
        Node::And(v) => v.iter().all(|n| session(n, s, m, found)),
        Node::Or(v) => v.iter().any(|n| session(n, s, m, found)),
        Node::Not(n) => !session(n, s, m, found),
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
        Node::Clock(w) => w.has(s.start_or_first()),
        Node::Outcome(_) | Node::File(_) => any_event(n),
        Node::Ids(ids) => s.events.iter().any(|&id| ids.get(id as usize).copied().unwrap_or(false)),
    }
}

fn compile(e: &Expr, m: &Model, by_column: bool) -> Result<Node, ParseError> {
    Ok(match e {
        Expr::All => Node::All,
        Expr::And(v) => {
            let parts = v.iter().map(|e| compile(e, m, by_column)).collect::<Result<_, _>>()?;
            one_or(merge_clocks(parts, Week::and), Node::And)
        }
        Expr::Or(v) => {
            let parts = v.iter().map(|e| compile(e, m, by_column)).collect::<Result<_, _>>()?;
            one_or(merge_clocks(parts, Week::or), Node::Or)
        }
        Expr::Not(e) => Node::Not(Box::new(compile(e, m, by_column)?)),
        Expr::Term(t) => term(t, m, by_column)?,
    })
}

/// The only node of `parts`, else `parts` joined by `join`.
fn one_or(mut parts: Vec<Node>, join: fn(Vec<Node>) -> Node) -> Node {
    if parts.len() == 1 {
        parts.pop().unwrap_or(Node::All)
    } else {
        join(parts)
    }
}

/// `parts` with their clock terms combined into one (in the place of the first): a heatmap cell
/// `weekday:mon hour:9`, or several cells joined by OR, cost one test per row. Exact, since a
/// clock term never matches a row without a time whichever way it is combined.
fn merge_clocks(parts: Vec<Node>, combine: fn(Week, Week) -> Week) -> Vec<Node> {
    let mut out = Vec::with_capacity(parts.len());
    let mut first: Option<(usize, Week)> = None;
    for n in parts {
        match (n, &mut first) {
            (Node::Clock(w), Some((_, acc))) => *acc = combine(*acc, w),
            (Node::Clock(w), None) => {
                first = Some((out.len(), w));
                out.push(Node::Clock(w));
            }
            (n, _) => out.push(n),
        }
    }
    if let Some((i, w)) = first {
        out[i] = Node::Clock(w);
    }
    out
}

fn err(t: &Term, message: String) -> ParseError {
    ParseError { pos: t.pos, message }
}

fn term(t: &Term, m: &Model, by_column: bool) -> Result<Node, ParseError> {
    let Some(field) = t.field.as_deref() else {
        let needle = t.value.to_lowercase();
        let columns = by_column.then_some(&FREE_TEXT[..]);
        let set = SymSet::containing(m, columns, &needle)
            .unwrap_or_else(|| SymSet::build(m, columns, |s| contains_ignore_case(s, &needle)));
        let cols = if !by_column {
            FREE_TEXT.to_vec()
        } else {
            FREE_TEXT.iter().copied().filter(|c| set.meets(m.index().present(c.slot()))).collect()
        };
        return Ok(Node::Any(set, cols));
    };
    match field {
        "time" => return time_term(t),
        "hour" => return hour_term(t),
        "weekday" => return weekday_term(t),
        "duration" => return duration_term(t, m),
        _ => {}
    }
    if t.op != Op::Is {
        return Err(err(t, format!("'{field}' takes ':' — only time, hour and duration have >, >=, <, <=")));
    }
    if let Some(c) = column_of(field) {
        if c == Column::Addr {
            if let Some(net) = Cidr::parse(&t.value) {
                return Ok(Node::In(c, SymSet::build(m, by_column.then_some(&[c][..]), |s| net.contains(s))));
            }
        }
        let pattern = Glob::new(&t.value);
        let column = [c];
        let columns = by_column.then_some(&column[..]);
        return Ok(Node::In(c, SymSet::build_among(m, columns, pattern.longest_part(), |s| pattern.matches(s))));
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
            format!(
                "expected a time like 2024-02-23, 2024-02-23T10:00 or an RFC 3339 time (UTC unless it ends in an offset like +02:00), found {:?}",
                t.value
            ),
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

/// The time range twice as wide as the one `query` selects (`time>=` … `time<`), about the same
/// middle, in whole seconds: what "widen" does to a chart's range. A bound the query does not
/// give is taken from `shown` (the span the chart draws). `None` when there is no range to widen.
pub fn widened_time_range(query: &str, shown: Option<(Nanos, Nanos)>) -> Option<(Nanos, Nanos)> {
    let bound = |op, pick: fn((Nanos, Nanos)) -> Nanos| {
        super::term_value(query, "time", op).and_then(|v| time_span(&v)).map(pick)
    };
    let start = bound(Op::Ge, |s| s.0).or(shown.map(|s| s.0))?;
    let end = bound(Op::Lt, |s| s.0).or(shown.map(|s| s.1))?;
    let width = end.saturating_sub(start).max(NANOS_PER_SEC);
    let (start, end) = (start.saturating_sub(width / 2), end.saturating_add(width / 2));
    Some((
        start.div_euclid(NANOS_PER_SEC) * NANOS_PER_SEC,
        (end.saturating_add(NANOS_PER_SEC - 1)).div_euclid(NANOS_PER_SEC) * NANOS_PER_SEC,
    ))
}

/// The interval a written time covers: a date is a day, `T10:00Z` a minute, seconds a second,
/// and a time with a fraction an instant. Any of them may end in `Z` or an offset (`+02:00`);
/// without one it is UTC.
pub fn time_span(v: &str) -> Option<(Nanos, Nanos)> {
    let (body, offset) = split_zone(v.trim());
    let (start, len) = naive_span(body)?;
    let start = start.and_utc().timestamp_nanos_opt()?.checked_sub(i64::from(offset.unwrap_or(0)) * NANOS_PER_SEC)?;
    Some((start, start.checked_add(len)?))
}

/// `value` with the offset from UTC (in seconds) that `offset_at` gives for the local time it
/// writes (`Z` for none), when it is a time without a zone; `None` when it has one, is not a
/// time, or would not be one with that offset. This is how a time typed while the page shows
/// local time is made to mean what the user sees.
pub fn with_local_offset(value: &str, offset_at: impl Fn(NaiveDateTime) -> i32) -> Option<String> {
    let body = value.trim();
    if split_zone(body).1.is_some() {
        return None;
    }
    // A time that is not one as UTC stays as it is (whether a query compiles must not change).
    time_span(body)?;
    let (local, _) = naive_span(body)?;
    let offset = offset_at(local);
    // Real zones are within ±14 hours, in whole minutes since 1900.
    if offset.unsigned_abs() >= 86_400 || offset % 60 != 0 {
        return None;
    }
    let (sign, abs) = if offset < 0 { ('-', -offset) } else { ('+', offset) };
    let zoned = match offset {
        0 => format!("{body}Z"),
        _ => format!("{body}{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60),
    };
    time_span(&zoned).map(|_| zoned)
}

/// `query` with each `time` value written without a zone given the offset `offset_at` says
/// (see [`with_local_offset`]), unless `before` (the query as it was) has that same term: a
/// value already there was written as UTC, or came so from a link. The rest of the text stays.
pub fn localize_times(query: &str, before: &str, offset_at: impl Fn(NaiveDateTime) -> i32) -> String {
    let kept = super::parse::values_of(before, "time");
    super::parse::rewrite_values(query, "time", |op, v| {
        if kept.iter().any(|(o, k)| *o == op && k == v) {
            return None;
        }
        with_local_offset(v, &offset_at)
    })
}

/// A written time's text and its offset from UTC in seconds, if it ends in `Z` or `±HH:MM`.
fn split_zone(v: &str) -> (&str, Option<i32>) {
    if let Some(body) = v.strip_suffix(['Z', 'z']) {
        return (body, Some(0));
    }
    // `±HH:MM` at the end (`2024-02-23-05:00`: the date's own dashes come before it).
    let b = v.as_bytes();
    let n = b.len();
    if n > 6 && matches!(b[n - 6], b'+' | b'-') && b[n - 3] == b':' {
        let digits =
            |r: std::ops::Range<usize>| v.get(r).filter(|d| d.bytes().all(|c| c.is_ascii_digit()))?.parse().ok();
        if let (Some(h), Some(m)) = (digits(n - 5..n - 3), digits(n - 2..n)) {
            let (h, m): (i32, i32) = (h, m);
            if h < 24 && m < 60 {
                let secs = h * 3600 + m * 60;
                return (&v[..n - 6], Some(if b[n - 6] == b'-' { -secs } else { secs }));
            }
        }
    }
    (v, None)
}

/// A time written without a zone: where it starts and how long it lasts (a day, an hour, a
/// minute, a second, or an instant when it has a fraction).
fn naive_span(body: &str) -> Option<(NaiveDateTime, Nanos)> {
    if let Ok(d) = NaiveDate::parse_from_str(body, "%Y-%m-%d") {
        return Some((d.and_hms_opt(0, 0, 0)?, 86_400 * NANOS_PER_SEC));
    }
    // `T`, `t` or a space between date and time (`2024-2-3 10:05` too).
    let body: std::borrow::Cow<'_, str> = match body.find(['t', ' ']) {
        Some(i) => format!("{}T{}", &body[..i], &body[i + 1..]).into(),
        None => body.into(),
    };
    let parse = |text: &str, fmt| NaiveDateTime::parse_from_str(text, fmt).ok();
    let spans = [
        (parse(&format!("{body}:00"), "%Y-%m-%dT%H:%M"), 3600 * NANOS_PER_SEC),
        (parse(&body, "%Y-%m-%dT%H:%M"), 60 * NANOS_PER_SEC),
        (parse(&body, "%Y-%m-%dT%H:%M:%S"), NANOS_PER_SEC),
        (parse(&body, "%Y-%m-%dT%H:%M:%S%.f"), 1),
    ];
    spans.into_iter().find_map(|(t, len)| Some((t?, len)))
}

const NANOS_PER_HOUR: Nanos = 3600 * NANOS_PER_SEC;

/// A set of the 168 hours of a week, UTC: bit `24 × weekday + hour`, Monday = 0 (as in
/// [`Heatmap::cell`](crate::views::Heatmap::cell)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Week([u64; 3]);

impl Week {
    const EMPTY: Week = Week([0; 3]);

    fn with(mut self, weekday: usize, hour: usize) -> Self {
        let slot = weekday * 24 + hour;
        self.0[slot / 64] |= 1 << (slot % 64);
        self
    }

    /// Every day at the hours of `hours` (bit `h` for hour `h`).
    fn hours(hours: u32) -> Self {
        (0..7)
            .flat_map(|d| (0..24).map(move |h| (d, h)))
            .filter(|&(_, h)| hours & (1 << h) != 0)
            .fold(Week::EMPTY, |w, (d, h)| w.with(d, h))
    }

    /// Every hour of the days of `days` (bit `d` for weekday `d`, Monday = 0).
    fn days(days: u32) -> Self {
        (0..7)
            .filter(|d| days & (1 << d) != 0)
            .flat_map(|d| (0..24).map(move |h| (d, h)))
            .fold(Week::EMPTY, |w, (d, h)| w.with(d, h))
    }

    fn and(self, o: Week) -> Week {
        Week([self.0[0] & o.0[0], self.0[1] & o.0[1], self.0[2] & o.0[2]])
    }

    fn or(self, o: Week) -> Week {
        Week([self.0[0] | o.0[0], self.0[1] | o.0[1], self.0[2] | o.0[2]])
    }

    /// Whether time `t` falls in one of the hours; never for [`NO_TIME`]. A division and a
    /// remainder by constants (multiplications and shifts) and a bit test.
    #[inline]
    fn has(&self, t: Nanos) -> bool {
        // 1970-01-01 was a Thursday: hour 0 of the epoch is hour 72 of its week.
        let slot = (t.div_euclid(NANOS_PER_HOUR) + 72).rem_euclid(168) as usize;
        t != NO_TIME && self.0[slot / 64] & (1 << (slot % 64)) != 0
    }
}

/// `hour:9`, `hour:22-5` (inclusive, wrapping past midnight), `hour:9-12,14`; `hour>=9` etc.
fn hour_term(t: &Term) -> Result<Node, ParseError> {
    let one = |v: &str| -> Option<u32> {
        let v = v.trim();
        let h: u32 = (matches!(v.len(), 1 | 2) && v.bytes().all(|c| c.is_ascii_digit())).then(|| v.parse().ok())??;
        (h < 24).then_some(h)
    };
    let bits = |from: u32, to: u32| (from..=to).fold(0u32, |b, h| b | 1 << h);
    let hours = if t.op == Op::Is {
        ranges(&t.value, 24, one)
    } else {
        one(&t.value).map(|h| match t.op {
            Op::Ge => bits(h, 23),
            Op::Gt => bits(h + 1, 23),
            Op::Lt => h.checked_sub(1).map_or(0, |h| bits(0, h)),
            Op::Le => bits(0, h),
            Op::Is => bits(h, h),
        })
    };
    let Some(hours) = hours else {
        let expected = if t.op == Op::Is {
            "an hour of the day 0–23 (UTC), a range like 9-17 or 22-5, or a list like 9-12,14"
        } else {
            "an hour of the day 0–23 (UTC)"
        };
        return Err(err(t, format!("expected {expected}, found {:?}", t.value)));
    };
    Ok(Node::Clock(Week::hours(hours)))
}

/// `weekday:mon`, `weekday:Saturday`, `weekday:mon-fri` (inclusive, wrapping past Sunday),
/// `weekday:sat,sun`.
fn weekday_term(t: &Term) -> Result<Node, ParseError> {
    if t.op != Op::Is {
        return Err(err(t, "'weekday' takes ':' and a day or a range: weekday:sat, weekday:mon-fri".into()));
    }
    let Some(days) = ranges(&t.value, 7, weekday) else {
        return Err(err(
            t,
            format!(
                "expected a weekday (mon, tue, wed, thu, fri, sat, sun or the full name), a range like \
                 mon-fri or a list like sat,sun, found {:?}",
                t.value
            ),
        ));
    };
    Ok(Node::Clock(Week::days(days)))
}

const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Monday = 0 … Sunday = 6, from a day's English name or its first three (or more) letters, in
/// any case.
fn weekday(v: &str) -> Option<u32> {
    let v = v.trim().to_ascii_lowercase();
    if v.len() < 3 {
        return None;
    }
    WEEKDAYS.iter().position(|d| d.starts_with(&v)).map(|d| d as u32)
}

/// The bitset of a `,`-separated list of values and inclusive `a-b` ranges among `0..n`, where
/// `a > b` wraps round (`22-5`: 22, 23, 0, …, 5).
fn ranges(v: &str, n: u32, one: impl Fn(&str) -> Option<u32>) -> Option<u32> {
    let mut bits = 0u32;
    for item in v.split(',') {
        let (from, to) = match item.split_once('-') {
            Some((a, b)) => (one(a)?, one(b)?),
            None => (one(item)?, one(item)?),
        };
        let mut i = from;
        loop {
            bits |= 1 << i;
            if i == to {
                break;
            }
            i = (i + 1) % n;
        }
    }
    Some(bits)
}

/// `duration>=10m`, `duration<1h30m`, `duration:10s-1m` (from inclusive, to exclusive: the
/// dashboard's length buckets), `duration:90s` (exactly), `duration:unknown` (open, or its end
/// or start never logged). Compiled to the set of sessions that qualify, by sid: a session
/// matches on its own length, an event on its session's length, at the cost of a `sid:` term.
fn duration_term(t: &Term, m: &Model) -> Result<Node, ParseError> {
    let v = t.value.trim();
    let test: Box<dyn Fn(Option<Nanos>) -> bool> = match t.op {
        Op::Is if v.eq_ignore_ascii_case("unknown") => Box::new(|d| d.is_none()),
        Op::Is => match v.split_once('-') {
            Some((a, b)) => {
                let (Some(a), Some(b)) = (parse_duration(a), parse_duration(b)) else {
                    return Err(bad_duration(t));
                };
                if b <= a {
                    return Err(err(t, format!("the range {v:?} is empty: its end must be longer than its start")));
                }
                Box::new(move |d| d.is_some_and(|d| a <= d && d < b))
            }
            None => {
                let a = parse_duration(v).ok_or_else(|| bad_duration(t))?;
                Box::new(move |d| d == Some(a))
            }
        },
        op => {
            let a = parse_duration(v).ok_or_else(|| bad_duration(t))?;
            Box::new(move |d| {
                d.is_some_and(|d| match op {
                    Op::Ge => d >= a,
                    Op::Gt => d > a,
                    Op::Lt => d < a,
                    Op::Le => d <= a,
                    Op::Is => d == a,
                })
            })
        }
    };
    let mut bits = vec![0u64; m.strings.len().div_ceil(64)];
    for s in &m.sessions.list {
        if !s.sid.is_none() && test(known_duration(s)) {
            if let Some(w) = bits.get_mut(s.sid.index() / 64) {
                *w |= 1 << (s.sid.index() % 64);
            }
        }
    }
    Ok(Node::In(Column::Sid, SymSet(bits)))
}

fn bad_duration(t: &Term) -> ParseError {
    let expected = if t.op == Op::Is {
        "a session length like 90s, 10m, 1h30m or 1.5h (units ms, s, m or min, h, d; a bare number is \
         seconds), a range like 10s-1m, or unknown"
    } else {
        "a session length like 90s, 10m, 1h30m or 1.5h (units ms, s, m or min, h, d; a bare number is seconds)"
    };
    err(t, format!("expected {expected}, found {:?}", t.value))
}

/// A session's length when both ends are known (the dashboard's buckets see the same).
fn known_duration(s: &Session) -> Option<Nanos> {
    if s.start_or_first() == NO_TIME {
        return None;
    }
    s.duration()
}

/// Nanoseconds of `90`, `90s`, `1.5h`, `1h30m`, `250ms`: numbers (with an optional fraction)
/// each followed by a unit (ms, s, m or min, h, d, in any case), or one bare number of seconds.
fn parse_duration(v: &str) -> Option<Nanos> {
    let b = v.trim().as_bytes();
    if b.is_empty() {
        return None;
    }
    let (mut i, mut total) = (0, 0i128);
    while i < b.len() {
        // A number: digits, then optionally a '.' and more digits.
        let (mut mantissa, mut scale, mut digits) = (0i128, 1i128, 0);
        let mut fraction = false;
        while i < b.len() && (b[i].is_ascii_digit() || (b[i] == b'.' && !fraction && digits > 0)) {
            if b[i] == b'.' {
                fraction = true;
            } else {
                digits += 1;
                if digits > 24 {
                    return None;
                }
                mantissa = mantissa * 10 + i128::from(b[i] - b'0');
                if fraction {
                    scale *= 10;
                }
            }
            i += 1;
        }
        if digits == 0 || b[i - 1] == b'.' {
            return None;
        }
        let unit_start = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit = match b[unit_start..i].to_ascii_lowercase().as_slice() {
            // A bare number is seconds, when it is the whole length.
            b"" if !b.iter().any(u8::is_ascii_alphabetic) => NANOS_PER_SEC,
            b"ms" => NANOS_PER_SEC / 1000,
            b"s" => NANOS_PER_SEC,
            b"m" | b"min" => 60 * NANOS_PER_SEC,
            b"h" => NANOS_PER_HOUR,
            b"d" => 24 * NANOS_PER_HOUR,
            _ => return None,
        };
        total += mantissa * i128::from(unit) / scale;
        if total > i128::from(Nanos::MAX) {
            return None;
        }
    }
    Nanos::try_from(total).ok()
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
        // ASCII (nearly every value) is folded in place; other text is lowercased once. Bytes
        // are compared, not `str`s: a part's length may end inside a character of `s`.
        let lowered;
        let s = if s.is_ascii() {
            s.as_bytes()
        } else {
            lowered = s.to_lowercase();
            lowered.as_bytes()
        };
        let eq = |a: &str, b: &[u8]| a.len() == b.len() && a.as_bytes().eq_ignore_ascii_case(b);
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
            match find_ignore_case(rest, mid.as_bytes()) {
                Some(i) => rest = &rest[i + mid.len()..],
                None => return false,
            }
        }
        true
    }

    /// The longest run of the pattern without a `*`: every match contains it (lowercased).
    fn longest_part(&self) -> &str {
        self.parts.iter().max_by_key(|p| p.len()).map_or("", String::as_str)
    }
}

/// Where `needle` (lowercase) first occurs in `hay`, ignoring ASCII case. Both are UTF-8, so a
/// match starts on a character boundary.
fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
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

    #[test]
    fn widening_doubles_the_query_range_about_its_middle_in_whole_seconds() {
        let t = |v: &str| time_span(v).unwrap().0;
        let q = "user:a time>=2024-02-01 time<2024-04-01";
        // The chart draws only the span of the matches (narrower): the query's range counts.
        let shown = Some((t("2024-03-10"), t("2024-03-17")));
        let (a, b) = widened_time_range(q, shown).unwrap();
        let width = t("2024-04-01") - t("2024-02-01");
        assert_eq!((a, b), (t("2024-02-01") - width / 2, t("2024-04-01") + width / 2));
        assert_eq!((a % NANOS_PER_SEC, b % NANOS_PER_SEC), (0, 0), "no fraction of a second");
        // Wider each time.
        let text =
            |t: Nanos| chrono::DateTime::from_timestamp_nanos(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let q2 = super::super::with_term(q, "time", Op::Ge, Some(&text(a)));
        let q2 = super::super::with_term(&q2, "time", Op::Lt, Some(&text(b)));
        let (a2, b2) = widened_time_range(&q2, shown).unwrap();
        assert!(a2 < a && b2 > b, "{q2}");
        // Without a range in the query, from what the chart shows; with neither, nothing.
        let (a3, b3) = widened_time_range("user:a", shown).unwrap();
        assert!(a3 < t("2024-03-10") && b3 > t("2024-03-17"));
        assert_eq!(widened_time_range("user:a", None), None);
    }

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
        // The same instants written with an offset.
        assert_eq!(count("time>=2024-02-23T12:00+02:00"), 4);
        assert_eq!(count("time:2024-02-23T05:00:30-05:00"), 1);
    }

    #[test]
    fn every_form_of_time_may_carry_a_zone() {
        let utc = |v: &str| time_span(v).unwrap_or_else(|| panic!("{v}"));
        let forms = [
            ("2024-02-23", 86_400 * NANOS_PER_SEC),
            ("2024-02-23T10", 3600 * NANOS_PER_SEC),
            ("2024-02-23T10:05", 60 * NANOS_PER_SEC),
            ("2024-02-23 10:05", 60 * NANOS_PER_SEC),
            ("2024-02-23t10:05:07", NANOS_PER_SEC),
            ("2024-02-23T10:05:07.25", 1),
        ];
        for (form, len) in forms {
            let (start, end) = utc(form);
            assert_eq!(end - start, len, "{form}");
            assert_eq!(utc(&format!("{form}Z")), (start, end), "{form}Z");
            for (zone, secs) in [("+02:00", 7200), ("-05:30", -19_800), ("+00:00", 0)] {
                let shifted = start - secs * NANOS_PER_SEC;
                assert_eq!(utc(&format!("{form}{zone}")), (shifted, shifted + len), "{form}{zone}");
            }
        }
        assert_eq!(utc("2024-02-23T10:05:07.25"), utc("2024-02-23T10:05:07.250000000Z"));
        for bad in ["2024-02-23+24:00", "2024-02-23+02", "2024-02-23T25:00", "2024-02-23T10:00+02:0x", "+02:00", "2024"]
        {
            assert_eq!(time_span(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_typed_in_local_time_get_the_offset_of_that_local_time() {
        // A zone at +01:00 in winter and +02:00 from April (a summer time).
        use chrono::Datelike;
        let offset_at = |t: NaiveDateTime| if t.month() >= 4 { 7200 } else { 3600 };
        let local = |q: &str| localize_times(q, "", offset_at);
        assert_eq!(local("time>=2024-02-23 user:time"), "time>=2024-02-23+01:00 user:time");
        assert_eq!(local("time:2024-06-01T10:00"), "time:2024-06-01T10:00+02:00");
        assert_eq!(
            local(r#"-time:"2024-06-01 10:00" OR (TIME<2024-01-02T03:04:05.5 x)"#),
            r#"-time:"2024-06-01 10:00+02:00" OR (time<2024-01-02T03:04:05.5+01:00 x)"#
        );
        // Times with a zone, values that are not times, other fields and unlexable queries stay.
        for same in
            ["time>=2024-06-01T10:00Z", "time<2024-06-01-05:00", "time:yesterday", "user:2024-06-01", "time:\"x"]
        {
            assert_eq!(local(same), same);
        }
        assert_eq!(local("  time>=2024-02-23\u{a0}ü "), "  time>=2024-02-23+01:00\u{a0}ü ");
        // Localizing twice is localizing once, and the result means the local instant.
        let once = local("time>=2024-06-01T10:00");
        assert_eq!(local(&once), once);
        assert_eq!(count(&local("time>=2024-02-23T11:00")), count("time>=2024-02-23T10:00Z"));
        // A quoted value stays quoted: the quote may be what ends it.
        assert_eq!(local(r#"time:"2024-02-23"x"#), r#"time:"2024-02-23+01:00"x"#);
        // Short dates and a space separator, as accepted before.
        assert_eq!(local("time:2024-2-3"), "time:2024-2-3+01:00");
        assert!(time_span("2024-2-3 10:05").is_some() && time_span("2024-2-3+01:00").is_some());
        // UTC gets a Z; offsets in seconds (before 1900) and results out of range are left.
        assert_eq!(localize_times("time:2024-02-23", "", |_| 0), "time:2024-02-23Z");
        assert_eq!(localize_times("time:1800-01-01", "", |_| 3_601), "time:1800-01-01");
        assert_eq!(localize_times("time>2262-04-11T23", "", |_| -5 * 3600), "time>2262-04-11T23");
        assert_eq!(localize_times("time>=2262-04-11T23:47:16", "", |_| 11 * 3600), "time>=2262-04-11T23:47:16");
    }

    #[test]
    fn only_times_new_to_the_query_are_read_as_local() {
        // Typed before local time was shown, or from a link: UTC, and left so.
        let before = "time>=2024-02-23T10:00 user:a";
        let after = "time>=2024-02-23T10:00 user:a time<2024-02-24";
        assert_eq!(localize_times(after, before, |_| 3600), "time>=2024-02-23T10:00 user:a time<2024-02-24+01:00");
        assert_eq!(localize_times(before, before, |_| 3600), before, "Enter again changes nothing");
        // The same value under another operator is new.
        assert_eq!(localize_times("time<2024-02-23T10:00", before, |_| 3600), "time<2024-02-23T10:00+01:00");
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
        assert!(Filter::new("time>=yesterday", &m).unwrap_err().message.contains("expected a time like"));
        assert!(Filter::new("user>=a", &m).is_err());
    }

    /// Events labelled by their user, at the edges of hours, days and weeks; sessions of known,
    /// open and unknown length.
    fn clock_model() -> Model {
        let lines = [
            r#"{"event":"user.login","user":"sun23","time":"2024-02-25T23:59:59.999999999Z"}"#,
            r#"{"event":"user.login","user":"mon0","time":"2024-02-26T00:00:00Z"}"#,
            r#"{"event":"user.login","user":"mon5","time":"2024-02-26T05:59:59Z"}"#,
            r#"{"event":"user.login","user":"mon6","time":"2024-02-26T06:00:00Z"}"#,
            r#"{"event":"user.login","user":"fri22","time":"2024-02-23T22:30:00Z"}"#,
            r#"{"event":"user.login","user":"sat12","time":"2024-02-24T12:00:00Z"}"#,
            r#"{"event":"user.login","user":"wed23","time":"1969-12-31T23:00:00Z"}"#,
            r#"{"event":"user.login","user":"untimed"}"#,
            // a: exactly 10 minutes, from Monday 09:00.
            r#"{"event":"session.start","sid":"a","user":"s10m","time":"2024-02-26T09:00:00Z"}"#,
            r#"{"event":"session.end","sid":"a","user":"s10m","time":"2024-02-26T09:10:00Z"}"#,
            // b: a nanosecond short of 10 minutes, from Tuesday 09:00.
            r#"{"event":"session.start","sid":"b","user":"sshort","time":"2024-02-27T09:00:00Z"}"#,
            r#"{"event":"session.end","sid":"b","user":"sshort","time":"2024-02-27T09:09:59.999999999Z"}"#,
            // c: open, from Wednesday 22:00.
            r#"{"event":"session.start","sid":"c","user":"sopen","time":"2024-02-28T22:00:00Z"}"#,
            // d: an end without any time of its own or a start: length unknown, no start time.
            r#"{"event":"session.end","sid":"d","user":"snotime","session_stop":"2024-02-28T10:00:00Z"}"#,
            // e: zero length, Thursday (a leap day) at midnight.
            r#"{"event":"session.start","sid":"e","user":"szero","time":"2024-02-29T00:00:00Z"}"#,
            r#"{"event":"session.end","sid":"e","user":"szero","time":"2024-02-29T00:00:00Z"}"#,
        ];
        let mut ing = Ingest::new(Options::default());
        ing.add_bytes("a.log", (lines.join("\n") + "\n").as_bytes());
        let mut m = ing.finish();
        m.ensure_sorted();
        m
    }

    /// The users of the matching events in arrival order, checking that `select` (with either
    /// compilation, among all events and among auth attempts) agrees with `matches_event`.
    fn users(m: &Model, q: &str) -> Vec<String> {
        let f = Filter::new(q, m).unwrap_or_else(|e| panic!("{q}: {e}"));
        let ids: Vec<usize> = (0..m.events.len()).filter(|&i| f.matches_event(&m.events[i])).collect();
        let ix = m.index();
        for g in [&f, &Filter::for_events(q, m).unwrap()] {
            let mut selected: Vec<usize> = g.select(ix, false).iter().map(|&p| ix.ids[p as usize] as usize).collect();
            selected.sort_unstable();
            assert_eq!(selected, ids, "{q}: select and matches_event differ");
            let mut auth: Vec<usize> = g.select(ix, true).iter().map(|&p| ix.ids[p as usize] as usize).collect();
            auth.sort_unstable();
            let want: Vec<usize> = ids.iter().copied().filter(|&i| m.events[i].is_auth).collect();
            assert_eq!(auth, want, "{q}: auth attempts");
        }
        ids.iter().map(|&i| m.str(m.events[i].user).to_owned()).collect()
    }

    fn sessions(m: &Model, q: &str) -> Vec<String> {
        let f = Filter::new(q, m).unwrap_or_else(|e| panic!("{q}: {e}"));
        m.sessions.list.iter().filter(|s| f.matches_session(s, m)).map(|s| m.str(s.sid).to_owned()).collect()
    }

    #[test]
    fn hours_of_the_day_with_edges_and_wrapping() {
        let m = clock_model();
        let u = |q: &str| users(&m, q);
        assert_eq!(u("hour:0"), ["mon0", "szero", "szero"]);
        assert_eq!(u("hour:00"), u("hour:0"));
        assert_eq!(u("hour:23"), ["sun23", "wed23"], "the last nanosecond of a day; a time before 1970");
        assert_eq!(u("hour:5"), ["mon5"]);
        assert_eq!(u("hour:22-5"), ["sun23", "mon0", "mon5", "fri22", "wed23", "sopen", "szero", "szero"]);
        assert_eq!(u("hour:22-5"), u("hour:22,23,0-5"));
        assert_eq!(u("hour:6-6"), ["mon6"]);
        assert_eq!(u("hour>=22"), ["sun23", "fri22", "wed23", "sopen"]);
        assert_eq!(u("hour>22"), ["sun23", "wed23"]);
        assert_eq!(u("hour<1"), ["mon0", "szero", "szero"]);
        assert_eq!(u("hour<=0"), u("hour<1"));
        assert!(u("hour<0").is_empty());
        assert!(u("hour>23").is_empty());
        assert_eq!(u("hour>=9 hour<18"), ["sat12", "s10m", "s10m", "sshort", "sshort"]);
        // Events without a time are in no hour, and in every negation.
        let timed = u("hour:0-23");
        assert_eq!(timed.len(), m.events.len() - 2);
        assert!(!timed.iter().any(|u| u == "untimed" || u == "snotime"));
        assert_eq!(u("hour:0-23"), u("hour:5-4"), "a range ending just before it starts is the whole day");
        assert_eq!(u("-hour:0-23"), ["untimed", "snotime"]);
        assert_eq!(u("-hour:5").len(), m.events.len() - 1);
    }

    #[test]
    fn weekdays_with_edges_and_wrapping() {
        let m = clock_model();
        let u = |q: &str| users(&m, q);
        assert_eq!(u("weekday:sun"), ["sun23"]);
        assert_eq!(u("weekday:mon"), ["mon0", "mon5", "mon6", "s10m", "s10m"]);
        for same in ["weekday:Monday", "weekday:MON", "weekday:mond", "weekday:mon-mon", "weekday:\"mon\""] {
            assert_eq!(u(same), u("weekday:mon"), "{same}");
        }
        assert_eq!(u("weekday:wed"), ["wed23", "sopen"], "1969-12-31 was a Wednesday");
        assert_eq!(u("weekday:thu"), ["szero", "szero"], "2024-02-29");
        assert_eq!(u("weekday:sat-mon"), ["sun23", "mon0", "mon5", "mon6", "sat12", "s10m", "s10m"]);
        assert_eq!(u("weekday:sat,sun"), ["sun23", "sat12"]);
        assert_eq!(u("weekday:mon-fri").len(), m.events.len() - 4, "neither the weekend nor untimed events");
        assert_eq!(u("weekday:mon-sun"), u("hour:0-23"));
        assert_eq!(u("weekday:tue-mon"), u("hour:0-23"));
        assert_eq!(u("-weekday:mon-sun"), ["untimed", "snotime"]);
        // A heatmap cell, and several of them.
        assert_eq!(u("weekday:mon hour:0"), ["mon0"]);
        assert_eq!(u("weekday:sun hour:0"), Vec::<String>::new());
        assert_eq!(u("(weekday:mon hour:0) OR (weekday:sun hour:23) OR user:sat12"), ["sun23", "mon0", "sat12"]);
        // Every event lands in the heatmap's cell.
        for e in m.events.iter().filter(|e| e.time != NO_TIME) {
            let (d, h) = crate::views::Heatmap::cell(e.time, 0);
            let q = format!("weekday:{} hour:{h}", &WEEKDAYS[d][..3]);
            assert!(Filter::new(&q, &m).unwrap().matches_event(e), "{q}: {}", m.str(e.user));
        }
    }

    #[test]
    fn clock_terms_keep_time_bounds_and_merge() {
        let m = clock_model();
        let f = Filter::new("time>=2024-02-26 hour:9 weekday:tue", &m).unwrap();
        assert_eq!(time_bounds(&f.node).map(|b| b.0), time_span("2024-02-26").map(|s| s.0));
        let Node::And(parts) = &f.node else { panic!("{:?}", f.node) };
        assert_eq!(parts.len(), 2, "hour and weekday make one test: {parts:?}");
        assert_eq!(users(&m, "time>=2024-02-26 hour:9 weekday:tue"), ["sshort", "sshort"]);
        assert_eq!(users(&m, "time<2024-02-26 hour:23"), ["sun23", "wed23"]);
        let f = Filter::new("(weekday:mon hour:9) OR (weekday:tue hour:9)", &m).unwrap();
        assert!(matches!(f.node, Node::Clock(_)), "{:?}", f.node);
    }

    #[test]
    fn sessions_by_start_time_and_length() {
        let m = clock_model();
        let s = |q: &str| sessions(&m, q);
        assert_eq!(s("hour:9"), ["a", "b"]);
        assert_eq!(s("hour:22"), ["c"]);
        assert_eq!(s("weekday:thu hour:0"), ["e"]);
        assert_eq!(s("hour:0-23"), ["a", "b", "c", "e"], "d has no start time");
        assert_eq!(s("-weekday:mon-sun"), ["d"]);
        assert_eq!(s("duration>=10m"), ["a"]);
        assert_eq!(s("duration>=600"), ["a"], "plain seconds");
        assert_eq!(s("duration>10m"), Vec::<String>::new());
        assert_eq!(s("duration>9m59s"), ["a", "b"]);
        assert_eq!(s("duration<10m"), ["b", "e"]);
        assert_eq!(s("duration<=10m"), ["a", "b", "e"]);
        assert_eq!(s("duration:10m"), ["a"]);
        assert_eq!(s("duration:0s"), ["e"]);
        assert_eq!(s("duration:0s-10m"), ["b", "e"], "to is exclusive");
        assert_eq!(s("duration:10m-1h"), ["a"], "from is inclusive");
        assert_eq!(s("duration:unknown"), ["c", "d"]);
        assert_eq!(s("duration:UNKNOWN"), ["c", "d"]);
        assert_eq!(s("-duration>=10m"), ["b", "c", "d", "e"]);
        assert_eq!(s("duration<1h hour:9"), ["a", "b"]);
        // Events go by their session's length; events outside sessions never match.
        let u = |q: &str| users(&m, q);
        assert_eq!(u("duration>=10m"), ["s10m", "s10m"]);
        assert_eq!(u("duration:unknown"), ["sopen", "snotime"]);
        assert_eq!(u("duration<10m"), ["sshort", "sshort", "szero", "szero"]);
        assert_eq!(u("-duration>=0s").len(), 8 + 2, "events outside sessions, and those of c and d");
    }

    #[test]
    fn durations_are_written_with_units() {
        let (s, m, h) = (NANOS_PER_SEC, 60 * NANOS_PER_SEC, NANOS_PER_HOUR);
        for (v, want) in [
            ("90", 90 * s),
            ("90s", 90 * s),
            ("0", 0),
            ("250ms", s / 4),
            ("10m", 10 * m),
            ("10min", 10 * m),
            ("10MIN", 10 * m),
            ("1.5h", 90 * m),
            ("1h30m", 90 * m),
            ("2d", 48 * h),
            ("0.5s", s / 2),
            ("1.000000001s", s + 1),
        ] {
            assert_eq!(parse_duration(v), Some(want), "{v}");
        }
        for v in ["", "h", "1x", "1h30", "30 m", ".5s", "5.s", "1..5s", "1.5.2", "-5s", "+5s", "99999999999d", "1e3s"] {
            assert_eq!(parse_duration(v), None, "{v}");
        }
    }

    #[test]
    fn invalid_clock_and_length_values_are_errors_at_their_term() {
        let m = clock_model();
        for (q, pos, says) in [
            ("user:x hour:25", 7, "expected an hour of the day 0–23"),
            ("hour:24", 0, "expected an hour"),
            ("hour:-1", 0, "expected an hour"),
            ("hour:9-", 0, "expected an hour"),
            ("hour:9,", 0, "expected an hour"),
            ("hour:nine", 0, "expected an hour"),
            ("x hour>=9-17", 2, "expected an hour of the day 0–23 (UTC), found"),
            ("hour<24", 0, "expected an hour"),
            ("hour:9 weekday:xyz", 7, "expected a weekday"),
            ("weekday:mo", 0, "expected a weekday"),
            ("weekday:mon-", 0, "expected a weekday"),
            ("weekday:1", 0, "expected a weekday"),
            ("weekday>=mon", 0, "'weekday' takes ':'"),
            ("duration>=abc", 0, "expected a session length"),
            ("(a OR duration:5s-1s)", 6, "is empty"),
            ("duration:1h-", 0, "expected a session length"),
            ("duration<open", 0, "expected a session length"),
            ("user>=a", 0, "only time, hour and duration have"),
        ] {
            let e = Filter::new(q, &m).unwrap_err();
            assert_eq!(e.pos, pos, "{q}: {e}");
            assert!(e.message.contains(says), "{q}: {e}");
            assert_eq!(Filter::for_events(q, &m).unwrap_err(), e);
        }
    }

    #[test]
    fn clock_and_length_terms_print_and_parse_back() {
        use crate::query::{term_value, with_term};
        for q in [
            "hour:9",
            "hour:22-5",
            "hour:9-12,14 -hour:13",
            "hour>=9 hour<18",
            "weekday:mon-fri",
            "weekday:Saturday,sun",
            "weekday:mon hour:9 OR weekday:tue hour:10",
            "duration>=10m duration<1h30m",
            "duration:10s-1m OR duration:unknown",
            "duration>0.5s",
        ] {
            let e = parse(q).unwrap();
            let printed = e.to_string();
            assert_eq!(parse(&printed).unwrap(), e, "{q} → {printed}");
            assert_eq!(printed, q, "already canonical");
        }
        let q = with_term("user:alice", "hour", Op::Is, Some("22-5"));
        let q = with_term(&q, "weekday", Op::Is, Some("mon-fri"));
        let q = with_term(&q, "duration", Op::Ge, Some("10m"));
        assert_eq!(q, "user:alice hour:22-5 weekday:mon-fri duration>=10m");
        assert_eq!(term_value(&q, "hour", Op::Is).as_deref(), Some("22-5"));
        assert!(Filter::new(&q, &clock_model()).is_ok());
    }

    /// `*` as any run of characters, over the lowercased texts: the plain definition.
    fn glob_by_definition(pattern: &str, value: &str) -> bool {
        fn go(p: &[char], v: &[char]) -> bool {
            match p.split_first() {
                None => v.is_empty(),
                Some(('*', rest)) => (0..=v.len()).any(|i| go(rest, &v[i..])),
                Some((c, rest)) => v.first() == Some(c) && go(rest, &v[1..]),
            }
        }
        let (p, v): (Vec<char>, Vec<char>) =
            (pattern.to_lowercase().chars().collect(), value.to_lowercase().chars().collect());
        go(&p, &v)
    }

    /// Field values are matched by pattern without panicking on any text (a part may end
    /// inside a character of the value), as the plain definition says, and finding the
    /// candidates through the text first changes no answer.
    #[test]
    fn field_patterns_match_any_text_as_defined_and_search_finds_the_same() {
        let values = [
            "éa",
            "aé",
            "xé",
            "éx",
            "x",
            "ÉCOLE",
            "école",
            "alice",
            "ALICE@acme.io",
            "al",
            "a",
            "",
            "KELVIN \u{212A}",
            "İstanbul",
            "session.start",
            "session.end",
            "sessions",
            "日本語",
            "ab*c",
            "abc",
            "aXbXc",
        ];
        let mut m = Model::default();
        for v in values {
            m.strings.intern(v);
        }
        let patterns = [
            "x*",
            "*x",
            "é*",
            "*é",
            "*a*",
            "école",
            "*",
            "**",
            "a*c",
            "a*b*c",
            "k*",
            "*k",
            "i*",
            "session.*",
            "*.start",
            "al*ce",
            "*@acme.io",
            "日*",
            "*語",
            "本",
            "ab*",
            "*c",
            "xé",
        ];
        for p in patterns {
            let g = Glob::new(p);
            for v in values {
                assert_eq!(g.matches(v), glob_by_definition(p, v), "{p:?} against {v:?}");
            }
            let searched = SymSet::build_among(&m, None, g.longest_part(), |s| g.matches(s));
            let tested = SymSet::build(&m, None, |s| g.matches(s));
            assert_eq!(searched.0, tested.0, "{p:?}");
        }
    }

    /// Over a column of more values than are tested one by one, patterns are found through the
    /// text and select the events the plain definition does.
    #[test]
    fn patterns_over_a_column_of_many_values_select_as_defined() {
        let mut log = String::new();
        for i in 0..FEW_VALUES + 5_000 {
            let user = match i % 3 {
                0 => format!("svc-{i}"),
                1 => format!("Alice{i}@Acme.io"),
                _ => format!("érika-{i}"),
            };
            log += &format!(r#"{{"event":"user.login","user":"{user}","time":"2024-01-01T00:00:00Z"}}"#);
            log.push('\n');
        }
        let mut ing = Ingest::new(Options::default());
        ing.add_bytes("many-users.log", log.as_bytes());
        let m = ing.finish();
        assert!(m.index().values(Column::User.slot()).count() > FEW_VALUES);
        for pattern in ["svc-1*", "*@acme.io", "alice12*", "ÉRIKA-2*", "*-24999", "svc-9", "*1*2*"] {
            let filter = Filter::for_events(&format!("user:{pattern}"), &m).unwrap();
            let expected = m.events.iter().filter(|e| glob_by_definition(pattern, m.str(e.user))).count();
            assert!(expected > 0, "{pattern}");
            assert_eq!(filter.select(m.index(), false).len(), expected, "{pattern}");
        }
    }
}
