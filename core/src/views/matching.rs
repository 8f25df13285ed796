//! The rows a query selects, for the aggregates and exports. Events are read from the model's
//! time index (one array per column, in time order: [`Filter::select`] scans it, and reading a
//! few columns of the matches touches little memory) when it is current, else from the event
//! rows themselves — so answers are right even while files are still arriving.

use super::tables::{QueryError, Table};
use crate::audit::Outcome;
use crate::model::{Event, EventId, Model, Session, Sym, TimeIndex, NO_TIME};
use crate::query::Filter;
use crate::time::Nanos;

/// Compiles `query`; a query that does not compile selects nothing and says why, as the tables
/// do: counts, charts and exports of everything, under a query the user meant to narrow them
/// (`usr:alice`), would be taken for that query's.
pub fn compile_query(query: &str, m: &Model) -> (Filter, Option<QueryError>) {
    compile_for(RowKind::Other, query, m)
}

/// As [`compile_query`], for rows of `kind`: terms testing events look only at the values
/// their column holds (see [`Filter::for_events`]).
pub(crate) fn compile_for(kind: RowKind, query: &str, m: &Model) -> (Filter, Option<QueryError>) {
    let compiled = match kind {
        RowKind::Events { .. } => Filter::for_events(query, m),
        _ => Filter::new(query, m),
    };
    match compiled {
        Ok(f) => (f, None),
        Err(e) => (Filter::none(), Some(QueryError { pos: e.pos, message: e.message })),
    }
}

/// The sessions with a recording that `query` selects (the Recordings view's rows), in the
/// model's order; a query that does not compile says why.
pub fn recorded_sessions(query: &str, m: &Model) -> Result<Vec<u32>, QueryError> {
    match compile_query(query, m) {
        (_, Some(error)) => Err(error),
        (filter, None) => Ok(matching_sessions(m, true, &filter).map(|(i, _)| i).collect()),
    }
}

/// What a table's rows are made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RowKind {
    Events {
        auth_only: bool,
    },
    Sessions {
        recorded_only: bool,
    },
    /// Problems and files: no events or sessions to aggregate.
    Other,
}

impl RowKind {
    pub(crate) fn of(table: Table) -> Self {
        match table {
            Table::Events => RowKind::Events { auth_only: false },
            Table::Auth => RowKind::Events { auth_only: true },
            Table::Sessions => RowKind::Sessions { recorded_only: false },
            Table::Recordings => RowKind::Sessions { recorded_only: true },
            Table::Problems | Table::Files => RowKind::Other,
        }
    }
}

/// The event columns aggregates read, with their slot in [`TimeIndex::columns`]
/// (kind, code, user, login, node, remote, sid, cluster, method, message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Col {
    Kind = 0,
    User = 2,
    Login = 3,
    Node = 4,
    Remote = 5,
    Cluster = 7,
}

/// One matching event, wherever it is read from.
#[derive(Clone, Copy)]
pub(crate) enum EventAt<'a> {
    Row(&'a Event),
    /// Position in the time index.
    Indexed(&'a TimeIndex, usize),
}

impl EventAt<'_> {
    #[inline]
    pub(crate) fn time(self) -> Nanos {
        match self {
            EventAt::Row(e) => e.time,
            EventAt::Indexed(ix, p) => ix.time[p],
        }
    }

    #[inline]
    pub(crate) fn outcome(self) -> Outcome {
        match self {
            EventAt::Row(e) => e.outcome,
            EventAt::Indexed(ix, p) => ix.outcome[p],
        }
    }

    #[inline]
    pub(crate) fn sym(self, c: Col) -> Sym {
        match self {
            EventAt::Row(e) => match c {
                Col::Kind => e.kind,
                Col::User => e.user,
                Col::Login => e.login,
                Col::Node => e.node,
                Col::Remote => e.remote,
                Col::Cluster => e.cluster,
            },
            EventAt::Indexed(ix, p) => ix.columns[c as usize][p],
        }
    }
}

/// The positions in the (current) time index of the events `filter` selects, among the auth
/// attempts only when `auth_only`: remembered by the model for the next asker.
pub(crate) fn selected(m: &Model, filter: &Filter, auth_only: bool) -> std::sync::Arc<Vec<u32>> {
    // Remembered by the query's text, which a query that did not compile shares with the
    // empty one.
    if filter.is_none() {
        return std::sync::Arc::default();
    }
    let key = format!("{} {}", if auth_only { "auth attempts matching" } else { "events matching" }, filter.text);
    m.derived(&key, || filter.select(m.index(), auth_only))
}

/// The events a filter selects: positions in the time index (in time order) when it is
/// current, else event ids (in arrival order).
pub(crate) struct SelectedEvents<'a> {
    m: &'a Model,
    items: Items,
}

enum Items {
    /// Every event: positions `0..len` of the index, not listed.
    Every,
    /// Every auth attempt: the index's own list of their positions.
    EveryAuth,
    /// Positions in the index, in time order.
    Positions(std::sync::Arc<Vec<u32>>),
    /// Event ids in arrival order: the index is stale.
    Ids(Vec<EventId>),
}

impl<'a> SelectedEvents<'a> {
    /// Matching events, among the auth attempts only when `auth_only`.
    pub(crate) fn new(m: &'a Model, auth_only: bool, filter: &Filter) -> Self {
        let items = match (m.index_is_stale(), filter.is_all(), auth_only) {
            (false, true, false) => Items::Every,
            (false, true, true) => Items::EveryAuth,
            (false, false, _) => Items::Positions(selected(m, filter, auth_only)),
            (true, all, _) => Items::Ids(
                (0..m.events.len() as EventId)
                    .filter(|&id| {
                        let e = &m.events[id as usize];
                        (!auth_only || e.is_auth) && (all || filter.matches_event(e))
                    })
                    .collect(),
            ),
        };
        SelectedEvents { m, items }
    }

    pub(crate) fn len(&self) -> usize {
        match &self.items {
            Items::Every => self.m.index().len(),
            Items::EveryAuth => self.m.index().auth.len(),
            Items::Positions(v) => v.len(),
            Items::Ids(v) => v.len(),
        }
    }

    /// The listed positions, for the kinds of selection that list them.
    fn position_list(&self) -> Option<&[u32]> {
        match &self.items {
            Items::EveryAuth => Some(&self.m.index().auth),
            Items::Positions(v) => Some(v),
            Items::Every | Items::Ids(_) => None,
        }
    }

    /// Calls `f` with each index position (when reading from the index). Each kind of
    /// selection has its own tight loop, so that `f` is inlined into it.
    #[inline(always)]
    fn each_position(&self, mut f: impl FnMut(usize)) {
        match self.position_list() {
            Some(list) => list.iter().for_each(|&p| f(p as usize)),
            None if matches!(self.items, Items::Every) => (0..self.m.index().len()).for_each(f),
            None => {}
        }
    }

    fn ids(&self) -> Option<&[EventId]> {
        match &self.items {
            Items::Ids(v) => Some(v),
            _ => None,
        }
    }

    /// Calls `f` with the value of column `c` of each. One column at a time keeps the reads
    /// sequential and one count array hot.
    #[inline]
    pub(crate) fn for_each_sym(&self, c: Col, mut f: impl FnMut(Sym)) {
        if let Some(ids) = self.ids() {
            ids.iter().for_each(|&id| f(EventAt::Row(&self.m.events[id as usize]).sym(c)));
            return;
        }
        let col = &self.m.index().columns[c as usize];
        self.each_position(|p| f(col[p]));
    }

    /// Calls `f` with the time and outcome of each.
    #[inline]
    pub(crate) fn for_each_time(&self, mut f: impl FnMut(Nanos, Outcome)) {
        if let Some(ids) = self.ids() {
            ids.iter().map(|&id| &self.m.events[id as usize]).for_each(|e| f(e.time, e.outcome));
            return;
        }
        let ix = self.m.index();
        self.each_position(|p| f(ix.time[p], ix.outcome[p]));
    }

    /// Calls `f` for each, for reading several columns of few rows.
    pub(crate) fn for_each(&self, mut f: impl FnMut(EventAt<'_>)) {
        if let Some(ids) = self.ids() {
            ids.iter().for_each(|&id| f(EventAt::Row(&self.m.events[id as usize])));
            return;
        }
        let ix = self.m.index();
        self.each_position(|p| f(EventAt::Indexed(ix, p)));
    }

    /// Earliest and latest time among them (events without a time left out).
    pub(crate) fn time_span(&self) -> Option<(Nanos, Nanos)> {
        if self.ids().is_none() {
            // In time order, and events without a time sort last.
            let ix = self.m.index();
            let time = |i: usize| ix.time[self.position_list().map_or(i, |l| l[i] as usize)];
            let n = self.len();
            let first = (n > 0).then(|| time(0)).filter(|&t| t != NO_TIME)?;
            let last = (0..n).rev().map(time).find(|&t| t != NO_TIME)?;
            return Some((first, last));
        }
        let mut span: Option<(Nanos, Nanos)> = None;
        self.for_each_time(|t, _| {
            if t != NO_TIME {
                span = Some(span.map_or((t, t), |(a, b)| (a.min(t), b.max(t))));
            }
        });
        span
    }

    /// Event ids, in the order of [`SelectedEvents::for_each`].
    pub(crate) fn into_ids(self) -> Vec<EventId> {
        let ix = self.m.index();
        match self.items {
            Items::Every => ix.ids.clone(),
            Items::EveryAuth => ix.auth_ids.clone(),
            Items::Positions(v) => v.iter().map(|&p| ix.ids[p as usize]).collect(),
            Items::Ids(v) => v,
        }
    }

    /// Whether [`SelectedEvents::into_ids`] gives time order.
    pub(crate) fn in_time_order(&self) -> bool {
        self.ids().is_none()
    }
}

/// Calls `f` for every session matching `filter` (only those with recording files when
/// `recorded_only`), in the model's order.
pub(crate) fn for_each_session(m: &Model, recorded_only: bool, filter: &Filter, mut f: impl FnMut(u32, &Session)) {
    for (i, s) in matching_sessions(m, recorded_only, filter) {
        f(i, s);
    }
}

/// The sessions matching `filter`, with their index.
pub(crate) fn matching_sessions<'a>(
    m: &'a Model,
    recorded_only: bool,
    filter: &'a Filter,
) -> impl Iterator<Item = (u32, &'a Session)> + Clone + 'a {
    let all = filter.is_all();
    let matcher = std::rc::Rc::new(filter.sessions(m));
    m.sessions.list.iter().enumerate().filter_map(move |(i, s)| {
        let keep = (!recorded_only || s.recording_parts > 0) && (all || matcher.matches(i as u32, s));
        keep.then_some((i as u32, s))
    })
}
