//! Paged tables: a request names the table, the query, the sort and a window of rows; the answer
//! holds the total number of matching rows and just that window. The matching, sorted id list is
//! kept per table, so scrolling through it costs only the window.

use super::overview::FileRow;
use super::rows::{EventRow, ProblemRow, SessionRow};
use crate::audit::Outcome;
use crate::model::{Event, Model, Session, NO_TIME};
use crate::query::Filter;
use serde::{Deserialize, Serialize};

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
    /// Model size when computed: more events invalidate it.
    events: usize,
    sessions: usize,
    ids: Vec<u32>,
    unfiltered: u32,
}

/// The tables' state: the last result of each table, kept for paging.
#[derive(Default)]
pub struct Views {
    cached: Vec<Cached>,
    ranks: Vec<u32>,
    ranks_for: usize,
}

impl Views {
    pub fn page(&mut self, m: &mut Model, req: &TableRequest) -> Page {
        m.ensure_sorted();
        let (events, sessions) = (m.events.len(), m.sessions.len());
        let fresh = |c: &Cached| {
            c.table == req.table
                && c.query == req.query
                && c.sort == req.sort
                && c.events == events
                && c.sessions == sessions
        };
        let mut error = None;
        if !self.cached.iter().any(fresh) {
            let filter = match Filter::new(&req.query, m) {
                Ok(f) => f,
                Err(e) => {
                    error = Some(QueryError { pos: e.pos, message: e.message });
                    Filter::all()
                }
            };
            let (ids, unfiltered) = self.compute(m, req.table, &filter, req.sort);
            self.cached.retain(|c| c.table != req.table);
            self.cached.push(Cached {
                table: req.table,
                query: req.query.clone(),
                sort: req.sort,
                events,
                sessions,
                ids,
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
        let start = (req.offset as usize).min(c.ids.len());
        let end = start.saturating_add(req.limit as usize).min(c.ids.len());
        let window = &c.ids[start..end];
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
            total: c.ids.len() as u32,
            unfiltered: c.unfiltered,
            offset: start as u32,
            rows,
            error,
        }
    }

    /// Ids of every row of `table` matching `filter`, in `sort` order.
    fn compute(&mut self, m: &Model, table: Table, filter: &Filter, sort: Sort) -> (Vec<u32>, u32) {
        if self.ranks_for != m.strings.len() {
            self.ranks = m.strings.ranks();
            self.ranks_for = m.strings.len();
        }
        let rank = |s: crate::model::Sym| self.ranks.get(s.index()).copied().unwrap_or(0);
        let (by_time, auth_by_time) = m.sorted();
        match table {
            Table::Events | Table::Auth => {
                let base = if table == Table::Auth { auth_by_time } else { by_time };
                let mut ids: Vec<u32> = if filter.is_all() {
                    base.to_vec()
                } else {
                    base.iter().copied().filter(|&id| filter.matches_event(&m.events[id as usize])).collect()
                };
                // `ids` is in time order; a stable sort by another key keeps time order within it.
                let key = |e: &Event| -> u64 {
                    match sort.key {
                        SortKey::Event => rank(e.kind).into(),
                        SortKey::Code => rank(e.code).into(),
                        SortKey::User => rank(e.user).into(),
                        SortKey::Login => rank(e.login).into(),
                        SortKey::Node => rank(e.node).into(),
                        SortKey::Addr => rank(e.remote).into(),
                        SortKey::Method => rank(e.method).into(),
                        SortKey::Message => rank(e.message).into(),
                        SortKey::Cluster => rank(e.cluster).into(),
                        SortKey::Outcome => outcome_rank(e.outcome),
                        SortKey::File => (u64::from(e.file) << 32) | u64::from(e.line),
                        _ => 0,
                    }
                };
                if sort.key != SortKey::Time {
                    ids.sort_by_key(|&id| key(&m.events[id as usize]));
                }
                if sort.descending {
                    ids.reverse();
                }
                (ids, base.len() as u32)
            }
            Table::Sessions | Table::Recordings => {
                let recorded_only = table == Table::Recordings;
                let keep = |s: &Session| !recorded_only || s.recording_parts > 0;
                let all = m.sessions.list.iter().filter(|s| keep(s)).count() as u32;
                let mut ids: Vec<u32> = (0..m.sessions.list.len() as u32)
                    .filter(|&i| {
                        let s = &m.sessions.list[i as usize];
                        keep(s) && filter.matches_session(s, m)
                    })
                    .collect();
                let key = |s: &Session| -> (u64, i64) {
                    let start = s.start_or_first();
                    let k = match sort.key {
                        SortKey::User => rank(s.user).into(),
                        SortKey::Login => rank(s.login).into(),
                        SortKey::Node => rank(s.node).into(),
                        SortKey::Addr => rank(s.remote).into(),
                        SortKey::Cluster => rank(s.cluster).into(),
                        SortKey::End => s.end.map_or(u64::MAX, |t| t as u64),
                        SortKey::Duration => s.duration().map_or(u64::MAX, |d| d.max(0) as u64),
                        SortKey::Participants => s.participants.len() as u64,
                        SortKey::Recording => u64::from(s.has_recording()),
                        _ => 0,
                    };
                    (k, if start == NO_TIME { i64::MAX } else { start })
                };
                ids.sort_by_key(|&i| key(&m.sessions.list[i as usize]));
                if sort.descending {
                    ids.reverse();
                }
                (ids, all)
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
                (ids, all)
            }
            Table::Problems => {
                let all = m.problems.len() as u32;
                let needle = filter.text.to_lowercase();
                let ids = (0..all)
                    .filter(|&i| {
                        let p = &m.problems[i as usize];
                        needle.is_empty()
                            || p.detail.to_lowercase().contains(&needle)
                            || m.file(p.file).path.to_lowercase().contains(&needle)
                            || p.kind.label().contains(&needle)
                    })
                    .collect();
                (ids, all)
            }
        }
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
