//! Paged tables: a request names the table, the query, the sort and a window of rows; the answer
//! holds the total number of matching rows and just that window. The matching, sorted id list is
//! kept per table, so scrolling through it costs only the window.

use super::overview::{EventTally, FileRow, Overview};
use super::rows::{EventRow, ProblemRow, SessionRow};
use crate::audit::Outcome;
use crate::model::{Model, Session, Sym, NO_TIME};
use crate::query::Filter;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Table {
    Events,
    Auth,
    Sessions,
    /// Sessions with recording files among the loaded ones.
    Recordings,
    Problems,
    /// The files read (and the entries of archives).
    Files,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SortKey {
    Time,
    Event,
    Code,
    User,
    Login,
    Node,
    Addr,
    Method,
    Outcome,
    Message,
    Cluster,
    File,
    /// Sessions: end time, duration, number of participants, recording.
    End,
    Duration,
    Participants,
    Recording,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort { key: SortKey::Time, descending: true }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TableRequest {
    pub table: Table,
    pub query: String,
    pub sort: Sort,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryError {
    pub pos: usize,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Rows {
    Events(Vec<EventRow>),
    Sessions(Vec<SessionRow>),
    Problems(Vec<ProblemRow>),
    Files(Vec<FileRow>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub table: Table,
    /// Rows matching the query (the whole list, not this window).
    pub total: u32,
    /// Rows of this table before any query.
    pub unfiltered: u32,
    pub offset: u32,
    pub rows: Rows,
    pub error: Option<QueryError>,
}

struct Cached {
    table: Table,
    query: String,
    sort: Sort,
    /// Model size when computed: more events, sessions, files or problems invalidate it.
    size: [u64; 5],
    rows: Listed,
    unfiltered: u32,
}

/// A table's matching rows, in the order shown.
enum Listed {
    Ids(Vec<u32>),
    /// Events by time: their positions in the time index, shared with the model's memo of
    /// what the query selects, read from the end when descending. A broad query selects
    /// millions: they are neither copied nor mapped to ids beyond the rows asked for.
    ByTime {
        positions: Arc<Vec<u32>>,
        descending: bool,
    },
}

impl Listed {
    fn len(&self) -> usize {
        match self {
            Listed::Ids(ids) => ids.len(),
            Listed::ByTime { positions, .. } => positions.len(),
        }
    }

    /// The id of row `i` (< `len`).
    fn id(&self, m: &Model, i: usize) -> u32 {
        match self {
            Listed::Ids(ids) => ids[i],
            Listed::ByTime { positions, descending } => {
                let at = if *descending { positions.len() - 1 - i } else { i };
                m.index().ids[positions[at] as usize]
            }
        }
    }
}

/// The tables' state: the last result of each table, kept for paging.
#[derive(Default)]
pub struct Views {
    cached: Vec<Cached>,
    /// Text ranks of the values of the column last sorted by, for that table kind, key and
    /// model size.
    ranks: Vec<u32>,
    ranks_for: Option<(bool, SortKey, [u64; 5], usize)>,
    /// The overview's counts of the events seen so far.
    tally: EventTally,
}

impl Views {
    /// The overview of `m`, which must be the model every other call was given.
    pub fn overview(&mut self, m: &Model) -> Overview {
        Overview::counted(m, &mut self.tally)
    }

    pub fn page(&mut self, m: &mut Model, req: &TableRequest) -> Page {
        // Files and problems are listed from the model itself: asking for them while a load
        // runs (as each file is hashed) must not rebuild the time index of every event.
        if !matches!(req.table, Table::Files | Table::Problems) {
            m.ensure_sorted();
        }
        let size = m.version();
        let fresh = |c: &Cached| c.table == req.table && c.query == req.query && c.sort == req.sort && c.size == size;
        let mut error = None;
        if !self.cached.iter().any(fresh) {
            let compiled = match req.table {
                Table::Events | Table::Auth => Filter::for_events(&req.query, m),
                _ => Filter::new(&req.query, m),
            };
            let filter = match compiled {
                Ok(f) => f,
                // Nothing, rather than everything under a query meant to narrow it.
                Err(e) => {
                    error = Some(QueryError { pos: e.pos, message: e.message });
                    Filter::none()
                }
            };
            let (rows, unfiltered) = self.compute(m, req.table, &filter, req.sort);
            self.cached.retain(|c| c.table != req.table);
            self.cached.push(Cached {
                table: req.table,
                query: req.query.clone(),
                sort: req.sort,
                size,
                rows,
                unfiltered,
            });
        }
        let Some(c) = self.cached.iter().find(|c| fresh(c)) else {
            return Page {
                table: req.table,
                total: 0,
                unfiltered: 0,
                offset: 0,
                rows: Rows::Events(Vec::new()),
                error,
            };
        };
        let start = (req.offset as usize).min(c.rows.len());
        let end = start.saturating_add(req.limit as usize).min(c.rows.len());
        let window: Vec<u32> = (start..end).map(|i| c.rows.id(m, i)).collect();
        let rows = match req.table {
            Table::Events | Table::Auth => Rows::Events(window.iter().map(|&id| EventRow::new(m, id)).collect()),
            Table::Sessions | Table::Recordings => {
                Rows::Sessions(window.iter().map(|&i| SessionRow::new(m, i)).collect())
            }
            Table::Problems => {
                Rows::Problems(window.iter().map(|&i| ProblemRow::new(m, &m.problems[i as usize])).collect())
            }
            Table::Files => {
                let problems = problems_per_file(m);
                Rows::Files(window.iter().map(|&i| FileRow::new(m, i, problems[i as usize])).collect())
            }
        };
        Page {
            table: req.table,
            total: c.rows.len() as u32,
            unfiltered: c.unfiltered,
            offset: start as u32,
            rows,
            error,
        }
    }

    /// The row (offset in the sorted result of `req`) of the next failure after `from`, or
    /// before it when `forward` is false: `e`/`E` in the UI. Events and auth attempts only.
    pub fn next_failure(&mut self, m: &mut Model, req: &TableRequest, from: u32, forward: bool) -> Option<u32> {
        if !matches!(req.table, Table::Events | Table::Auth) {
            return None;
        }
        self.page(m, &TableRequest { offset: 0, limit: 0, ..req.clone() });
        let rows = &self.cached.iter().find(|c| c.table == req.table)?.rows;
        let failed = |i: &usize| m.events.get(rows.id(m, *i) as usize).is_some_and(|e| e.outcome == Outcome::Failure);
        let from = from as usize;
        let found = if forward {
            (from.saturating_add(1)..rows.len()).find(failed)
        } else {
            (0..from.min(rows.len())).rev().find(failed)
        };
        found.map(|i| i as u32)
    }

    /// Ranks put strings in text order; only sorting events or sessions by a text column needs
    /// them, and then only of the values that column holds (a few thousand users, say, where
    /// every string loaded can be a million).
    fn rank_column(&mut self, m: &Model, table: Table, key: SortKey) {
        let sessions = matches!(table, Table::Sessions | Table::Recordings);
        let wanted = Some((sessions, key, m.version(), m.strings.len()));
        if self.ranks_for == wanted {
            return;
        }
        self.ranks = match (table, event_text_column(key), session_text(key)) {
            (Table::Events | Table::Auth, Some(slot), _) => m.strings.ranks_of(m.index().values(slot)),
            (Table::Sessions | Table::Recordings, _, Some(text)) => {
                m.strings.ranks_of(m.sessions.list.iter().map(text))
            }
            _ => return,
        };
        self.ranks_for = wanted;
    }

    /// Ids of every row of `table` matching `filter`, in `sort` order.
    fn compute(&mut self, m: &Model, table: Table, filter: &Filter, sort: Sort) -> (Listed, u32) {
        self.rank_column(m, table, sort.key);
        let rank = |s: Sym| self.ranks.get(s.index()).copied().unwrap_or(0);
        match table {
            Table::Events | Table::Auth => {
                let ix = m.index();
                let auth_only = table == Table::Auth;
                let all = if auth_only { ix.auth.len() } else { ix.len() } as u32;
                // Positions in time order; another sort key is applied stably on top of it.
                let selected = super::matching::selected(m, filter, auth_only);
                if sort.key == SortKey::Time {
                    return (Listed::ByTime { positions: selected, descending: sort.descending }, all);
                }
                let mut positions = selected.to_vec();
                let column = |slot: usize| {
                    let col = &ix.columns[slot];
                    move |p: u32| rank(col[p as usize])
                };
                // Rows without the value sorted by (a blank user…) come last either way.
                let mut blank = 0;
                match (sort.key, event_text_column(sort.key)) {
                    (_, Some(slot)) => {
                        radix_sort_by(&mut positions, column(slot));
                        let col = &ix.columns[slot];
                        blank = positions.partition_point(|&p| rank(col[p as usize]) == 0);
                        positions.rotate_left(blank);
                    }
                    (SortKey::Outcome, _) => {
                        radix_sort_by(&mut positions, |p| outcome_rank(ix.outcome[p as usize]) as u32)
                    }
                    (SortKey::File, _) => positions.sort_by_key(|&p| {
                        let e = &m.events[ix.ids[p as usize] as usize];
                        (e.file, e.line)
                    }),
                    _ => {}
                }
                let mut ids: Vec<u32> = positions.iter().map(|&p| ix.ids[p as usize]).collect();
                if sort.descending {
                    let valued = ids.len() - blank;
                    ids[..valued].reverse();
                }
                (Listed::Ids(ids), all)
            }
            Table::Sessions | Table::Recordings => {
                let recorded_only = table == Table::Recordings;
                let keep = |s: &Session| !recorded_only || s.recording_parts > 0;
                let all = m.sessions.list.iter().filter(|s| keep(s)).count() as u32;
                let matcher = filter.sessions(m);
                let mut ids: Vec<u32> = (0..m.sessions.list.len() as u32)
                    .filter(|&i| {
                        let s = &m.sessions.list[i as usize];
                        keep(s) && matcher.matches(i, s)
                    })
                    .collect();
                let text = session_text(sort.key);
                // (without the value, the value, the start): sessions without the value sorted
                // by (no end logged, a blank user…) come last either way.
                let key = |s: &Session| -> (bool, u64, i64) {
                    let start = s.start_or_first();
                    let k = match (sort.key, text) {
                        (_, Some(text)) => Some(rank(text(s)).into()).filter(|&r| r != 0),
                        (SortKey::End, _) => s.end.map(|t| t as u64),
                        (SortKey::Duration, _) => s.duration().map(|d| d.max(0) as u64),
                        (SortKey::Participants, _) => Some(s.participants.len() as u64),
                        (SortKey::Recording, _) => Some(u64::from(s.has_recording())),
                        _ => Some(0),
                    };
                    (k.is_none(), k.unwrap_or(0), if start == NO_TIME { i64::MAX } else { start })
                };
                ids.sort_by_key(|&i| key(&m.sessions.list[i as usize]));
                if sort.descending {
                    let valued = ids.partition_point(|&i| !key(&m.sessions.list[i as usize]).0);
                    ids[..valued].reverse();
                }
                (Listed::Ids(ids), all)
            }
            Table::Files => {
                let all = m.files.len() as u32;
                let needle = filter.text.to_lowercase();
                let mut ids: Vec<u32> = (0..all)
                    .filter(|&i| needle.is_empty() || m.file(i).path.to_lowercase().contains(&needle))
                    .collect();
                match sort.key {
                    SortKey::Outcome => {
                        let problems = problems_per_file(m);
                        let bad = |i: u32| u64::from(problems[i as usize]) + m.file(i).bad_lines;
                        ids.sort_by_key(|&i| std::cmp::Reverse(bad(i)));
                    }
                    SortKey::Time => ids.sort_by_key(|&i| m.file(i).first_time.unwrap_or(i64::MAX)),
                    _ => ids.sort_by(|&a, &b| m.file(a).path.cmp(&m.file(b).path)),
                }
                if sort.descending {
                    ids.reverse();
                }
                (Listed::Ids(ids), all)
            }
            Table::Problems => {
                let all = m.problems.len() as u32;
                let needle = filter.text.to_lowercase();
                let ids: Vec<u32> = (0..all)
                    .filter(|&i| {
                        let p = &m.problems[i as usize];
                        needle.is_empty()
                            || p.detail.to_lowercase().contains(&needle)
                            || m.file(p.file).path.to_lowercase().contains(&needle)
                            || p.kind.label().contains(&needle)
                    })
                    .collect();
                (Listed::Ids(ids), all)
            }
        }
    }
}

/// The time-index column whose text a sort key sorts events by, if it sorts by text.
fn event_text_column(key: SortKey) -> Option<usize> {
    Some(match key {
        SortKey::Event => 0,
        SortKey::Code => 1,
        SortKey::User => 2,
        SortKey::Login => 3,
        SortKey::Node => 4,
        SortKey::Addr => 5,
        SortKey::Cluster => 7,
        SortKey::Method => 8,
        SortKey::Message => 9,
        _ => return None,
    })
}

/// The text a sort key sorts sessions by, if it sorts them by text.
fn session_text(key: SortKey) -> Option<fn(&Session) -> Sym> {
    let text: fn(&Session) -> Sym = match key {
        SortKey::User => |s| s.user,
        SortKey::Login => |s| s.login,
        SortKey::Node => |s| s.node,
        SortKey::Addr => |s| s.remote,
        SortKey::Cluster => |s| s.cluster,
        _ => return None,
    };
    Some(text)
}

/// Sorts stably by a 32-bit key in two passes of counting sort (16 bits each): linear time,
/// where a comparison sort of millions of rows would take hundreds of milliseconds.
fn radix_sort_by(items: &mut [u32], key: impl Fn(u32) -> u32) {
    let mut pairs: Vec<(u32, u32)> = items.iter().map(|&i| (key(i), i)).collect();
    let mut out = vec![(0u32, 0u32); pairs.len()];
    let wide = pairs.iter().any(|&(k, _)| k > 0xffff);
    for &shift in if wide { &[0u32, 16][..] } else { &[0u32][..] } {
        let mut counts = vec![0usize; 1 << 16];
        for &(k, _) in &pairs {
            counts[((k >> shift) & 0xffff) as usize] += 1;
        }
        let mut next = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = next;
            next += n;
        }
        for &pair in &pairs {
            let slot = &mut counts[((pair.0 >> shift) & 0xffff) as usize];
            out[*slot] = pair;
            *slot += 1;
        }
        std::mem::swap(&mut pairs, &mut out);
    }
    for (item, (_, i)) in items.iter_mut().zip(pairs) {
        *item = i;
    }
}

/// How many problems are listed for each file.
pub(crate) fn problems_per_file(m: &Model) -> Vec<u32> {
    let mut n = vec![0u32; m.files.len()];
    for p in &m.problems {
        if let Some(c) = n.get_mut(p.file as usize) {
            *c += 1;
        }
    }
    n
}

/// Failures first when sorting by outcome ascending.
fn outcome_rank(o: Outcome) -> u64 {
    match o {
        Outcome::Failure => 0,
        Outcome::Success => 1,
        Outcome::None => 2,
    }
}
