//! Facets: for the rows a query selects, how many have each user, login, node, address, event
//! type, outcome and cluster — the top values with their counts, how many distinct values
//! there are, and how many rows the values beyond the top hold.
//!
//! One pass over the matching rows adds one to a count array per column, indexed by the
//! interned string ([`Sym`]); only the values actually seen are then sorted. No string is
//! touched per row.

use super::matching::{compile_for, matching_sessions, Col, RowKind, SelectedEvents};
use super::tables::{QueryError, Table};
use crate::audit::Outcome;
use crate::model::{split_host_port, Model, Sym};
use crate::query::Filter;
use foldhash::HashMap;
use serde::{Deserialize, Serialize};

/// A column the facets count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FacetField {
    User,
    Login,
    Node,
    Addr,
    Event,
    Outcome,
    Cluster,
}

impl FacetField {
    /// Every facet of events, in display order.
    pub const EVENTS: [FacetField; 7] = [
        FacetField::User,
        FacetField::Login,
        FacetField::Node,
        FacetField::Addr,
        FacetField::Event,
        FacetField::Outcome,
        FacetField::Cluster,
    ];

    /// Sessions have no type or outcome of their own.
    pub const SESSIONS: [FacetField; 5] =
        [FacetField::User, FacetField::Login, FacetField::Node, FacetField::Addr, FacetField::Cluster];

    /// The query field that selects a value of this facet: `user:alice`, `outcome:failure`.
    pub fn query_field(self) -> &'static str {
        match self {
            FacetField::User => "user",
            FacetField::Login => "login",
            FacetField::Node => "node",
            FacetField::Addr => "addr",
            FacetField::Event => "event",
            FacetField::Outcome => "outcome",
            FacetField::Cluster => "cluster",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FacetField::User => "User",
            FacetField::Login => "Login",
            FacetField::Node => "Node",
            FacetField::Addr => "Remote address",
            FacetField::Event => "Event type",
            FacetField::Outcome => "Outcome",
            FacetField::Cluster => "Cluster",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u32,
}

/// One column's counts. For every facet, `top` + `others` + `missing` add up to the rows counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    pub field: FacetField,
    /// The most frequent values, most frequent first (ties in text order).
    pub top: Vec<FacetValue>,
    /// Distinct values among the rows (not counting "no value").
    pub distinct: u32,
    /// Rows holding a value beyond the top.
    pub others: u32,
    /// Rows without a value in this column.
    pub missing: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub table: Table,
    /// Rows the query selects.
    pub total: u32,
    /// Empty for tables without facets (problems, files).
    pub facets: Vec<Facet>,
    /// The query did not parse: the facets are of every row, as the table shows.
    pub error: Option<QueryError>,
}

/// The facets of `table`'s rows matching `query`, with at most `top` values each.
pub fn facets(m: &Model, table: Table, query: &str, top: usize) -> Facets {
    let (filter, error) = compile_for(RowKind::of(table), query, m);
    let (total, facets) = facets_of(m, table, &filter, top);
    Facets { table, total, facets, error }
}

/// The same, for a filter already compiled: (rows counted, facets).
pub fn facets_of(m: &Model, table: Table, filter: &Filter, top: usize) -> (u32, Vec<Facet>) {
    match RowKind::of(table) {
        RowKind::Events { auth_only } => event_facets(m, auth_only, filter, top),
        RowKind::Sessions { recorded_only } => session_facets(m, recorded_only, filter, top),
        RowKind::Other => (0, Vec::new()),
    }
}

fn event_facets(m: &Model, auth_only: bool, filter: &Filter, top: usize) -> (u32, Vec<Facet>) {
    let selected = SelectedEvents::new(m, auth_only, filter);
    // One count array, reused column after column: one array's worth of memory to touch.
    let mut counts = SymCounts::new(m, selected.len());
    let mut column = |c: Col, field: FacetField| {
        counts.count_column(&selected, c);
        let facet = counts.facet(m, field, top);
        counts.clear();
        facet
    };
    let mut facets = vec![
        column(Col::User, FacetField::User),
        column(Col::Login, FacetField::Login),
        column(Col::Node, FacetField::Node),
        column(Col::Remote, FacetField::Addr),
        column(Col::Kind, FacetField::Event),
        column(Col::Cluster, FacetField::Cluster),
    ];
    let mut outcomes = [0u32; 3];
    selected.for_each_time(|_, o| outcomes[outcome_index(o)] += 1);
    facets.insert(5, outcome_facet(outcomes, top));
    (selected.len() as u32, facets)
}

fn session_facets(m: &Model, recorded_only: bool, filter: &Filter, top: usize) -> (u32, Vec<Facet>) {
    // One pass over the sessions (testing one can mean reading its events, and each is a
    // large struct) gathers the five columns compactly; then they are counted one by one.
    let fields = FacetField::SESSIONS;
    let rows: Vec<[Sym; 5]> = matching_sessions(m, recorded_only, filter)
        .map(|(_, s)| [s.user, s.login, s.node, s.remote, s.cluster])
        .collect();
    let mut counts = SymCounts::new(m, rows.len());
    let facets = (0..fields.len())
        .map(|c| {
            rows.iter().for_each(|r| counts.add(r[c]));
            let field = fields[c];
            let facet = if field == FacetField::Addr { counts.host_facet(m, top) } else { counts.facet(m, field, top) };
            counts.clear();
            facet
        })
        .collect();
    (rows.len() as u32, facets)
}

/// Counts per interned string, and which strings were seen.
///
/// Two ways to know what was seen, chosen by how many rows are counted: for few rows, a list
/// kept while counting (so nothing scales with the dictionary); for many, a bare increment per
/// row and one sequential scan of the counts afterwards — with hundreds of thousands of
/// addresses the count array is larger than the cache, and testing each loaded count would
/// wait for every miss.
pub(crate) struct SymCounts {
    counts: Vec<u32>,
    /// `Some` while the seen values are listed as they come.
    listed: Option<Vec<Sym>>,
}

impl SymCounts {
    /// Counts for about `rows` rows.
    pub(crate) fn new(m: &Model, rows: usize) -> Self {
        let symbols = m.strings.len().max(1);
        SymCounts { counts: vec![0; symbols], listed: (rows < symbols).then(Vec::new) }
    }

    /// Counts column `c` of the selected events.
    pub(crate) fn count_column(&mut self, selected: &SelectedEvents<'_>, c: Col) {
        // The choice is made once per column, so that each loop is branch-free but for it.
        if self.listed.is_some() {
            selected.for_each_sym(c, |s| self.add(s));
        } else {
            selected.for_each_sym(c, |s| self.add_unlisted(s));
        }
    }

    #[inline]
    pub(crate) fn add(&mut self, sym: Sym) {
        let Some(listed) = &mut self.listed else {
            self.add_unlisted(sym);
            return;
        };
        // Symbols come from this model's dictionary; one interned after `new` is ignored.
        if let Some(c) = self.counts.get_mut(sym.index()) {
            if *c == 0 && !sym.is_none() {
                listed.push(sym);
            }
            *c += 1;
        }
    }

    #[inline]
    fn add_unlisted(&mut self, sym: Sym) {
        if let Some(c) = self.counts.get_mut(sym.index()) {
            *c += 1;
        }
    }

    pub(crate) fn count(&self, sym: Sym) -> u32 {
        self.counts.get(sym.index()).copied().unwrap_or(0)
    }

    /// Rows without a value.
    fn missing(&self) -> u32 {
        self.counts[0]
    }

    /// The values seen, with their counts ("no value" left out).
    fn seen(&self) -> Vec<(Sym, u32)> {
        if let Some(listed) = &self.listed {
            return listed.iter().map(|&s| (s, self.counts[s.index()])).collect();
        }
        let values = self.counts.iter().enumerate().skip(1);
        values.filter(|(_, &n)| n > 0).map(|(i, &n)| (Sym(i as u32), n)).collect()
    }

    /// Forgets the counts, keeping the array.
    pub(crate) fn clear(&mut self) {
        match &mut self.listed {
            Some(listed) => {
                for s in listed.drain(..) {
                    self.counts[s.index()] = 0;
                }
                self.counts[0] = 0;
            }
            None => self.counts.fill(0),
        }
    }

    fn facet(&self, m: &Model, field: FacetField, top: usize) -> Facet {
        let seen = self.seen();
        let (distinct, total) = (seen.len() as u32, self.missing() + seen.iter().map(|v| v.1).sum::<u32>());
        let values = top_of(seen, m, top).into_iter().map(|(s, n)| (m.str(s).to_owned(), n));
        facet_from(field, values, distinct, total, self.missing(), top)
    }

    /// Sessions keep the remote address with its port; the facet counts hosts, like events do.
    fn host_facet(&self, m: &Model, top: usize) -> Facet {
        // Merging happens over the distinct values seen, never per row.
        let seen = self.seen();
        let total = self.missing() + seen.iter().map(|v| v.1).sum::<u32>();
        let mut by_host: HashMap<&str, u32> = HashMap::default();
        for (s, n) in seen {
            *by_host.entry(split_host_port(m.str(s)).0).or_default() += n;
        }
        let distinct = by_host.len() as u32;
        let order = |a: &(&str, u32), b: &(&str, u32)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
        let mut hosts: Vec<(&str, u32)> = by_host.into_iter().collect();
        if top < hosts.len() {
            hosts.select_nth_unstable_by(top, order);
            hosts.truncate(top);
        }
        hosts.sort_unstable_by(order);
        let ranked = hosts.into_iter().map(|(h, n)| (h.to_owned(), n));
        facet_from(FacetField::Addr, ranked, distinct, total, self.missing(), top)
    }

    /// The `top` most frequent values, most frequent first (ties in text order).
    pub(crate) fn top_ranked(&self, m: &Model, top: usize) -> Vec<(Sym, u32)> {
        top_of(self.seen(), m, top)
    }
}

/// The `top` most frequent, without sorting every distinct value (there can be hundreds of
/// thousands of addresses).
fn top_of(mut v: Vec<(Sym, u32)>, m: &Model, top: usize) -> Vec<(Sym, u32)> {
    let order = |a: &(Sym, u32), b: &(Sym, u32)| b.1.cmp(&a.1).then_with(|| m.str(a.0).cmp(m.str(b.0)));
    if top < v.len() {
        v.select_nth_unstable_by(top, order);
        v.truncate(top);
    }
    v.sort_unstable_by(order);
    v
}

/// Builds a facet from values already in rank order.
fn facet_from(
    field: FacetField,
    ranked: impl Iterator<Item = (String, u32)>,
    distinct: u32,
    total: u32,
    missing: u32,
    top: usize,
) -> Facet {
    let top: Vec<FacetValue> = ranked.take(top).map(|(value, count)| FacetValue { value, count }).collect();
    let shown: u32 = top.iter().map(|v| v.count).sum();
    Facet { field, top, distinct, others: total - missing - shown, missing }
}

pub(crate) fn outcome_index(o: Outcome) -> usize {
    match o {
        Outcome::Failure => 0,
        Outcome::Success => 1,
        Outcome::None => 2,
    }
}

/// Outcomes as the query spells them (`outcome:none` selects events without one), so a click
/// can write the term.
fn outcome_facet(counts: [u32; 3], top: usize) -> Facet {
    let mut values: Vec<(String, u32)> = ["failure", "success", "none"]
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(v, n)| ((*v).to_owned(), n))
        .collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let distinct = values.len() as u32;
    facet_from(FacetField::Outcome, values.into_iter(), distinct, counts.iter().sum(), 0, top)
}
