//! The access dashboard (the SIEM's SSH dashboard, offline): for the auth attempts and sessions
//! a query selects — logins over time by outcome, top users, source addresses and nodes,
//! session durations, and when attempts happen (hour of day × weekday).

use super::facets::{FacetValue, SymCounts};
use super::histogram::{build, Histogram};
use super::matching::{compile_query, for_each_session, Col, SelectedEvents};
use super::tables::{QueryError, Table};
use crate::audit::Outcome;
use crate::model::{Model, Session, NO_TIME};
use crate::query::{Filter, Op};
use crate::time::{Nanos, NANOS_PER_SEC};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardRequest {
    pub query: String,
    /// Values per top list.
    pub top: usize,
    /// Offset from UTC for the heatmap and the day buckets (0: UTC).
    pub utc_offset_minutes: i32,
}

/// A value of a top list with its auth attempts and how many of them failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptCount {
    pub value: String,
    pub attempts: u32,
    pub failures: u32,
}

/// Session lengths in powers of about ten, plus the sessions whose length is not known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DurationBucket {
    Under10s,
    Under1m,
    Under10m,
    Under1h,
    Under8h,
    AtLeast8h,
    /// Still open, or its end (or start) was never logged.
    OpenOrUnknown,
}

impl DurationBucket {
    /// The `duration` term selecting exactly this bucket's sessions.
    pub fn query(self) -> (Op, &'static str) {
        match self {
            DurationBucket::Under10s => (Op::Lt, "10s"),
            DurationBucket::Under1m => (Op::Is, "10s-1m"),
            DurationBucket::Under10m => (Op::Is, "1m-10m"),
            DurationBucket::Under1h => (Op::Is, "10m-1h"),
            DurationBucket::Under8h => (Op::Is, "1h-8h"),
            DurationBucket::AtLeast8h => (Op::Ge, "8h"),
            DurationBucket::OpenOrUnknown => (Op::Is, "unknown"),
        }
    }

    pub const ALL: [DurationBucket; 7] = [
        DurationBucket::Under10s,
        DurationBucket::Under1m,
        DurationBucket::Under10m,
        DurationBucket::Under1h,
        DurationBucket::Under8h,
        DurationBucket::AtLeast8h,
        DurationBucket::OpenOrUnknown,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DurationBucket::Under10s => "< 10 s",
            DurationBucket::Under1m => "< 1 min",
            DurationBucket::Under10m => "< 10 min",
            DurationBucket::Under1h => "< 1 h",
            DurationBucket::Under8h => "< 8 h",
            DurationBucket::AtLeast8h => "≥ 8 h",
            DurationBucket::OpenOrUnknown => "open / unknown",
        }
    }

    /// The bucket of a session lasting `duration` (`None`: open or unknown). A negative length
    /// (clock skew between servers) counts as the shortest.
    pub fn of(duration: Option<Nanos>) -> Self {
        let Some(d) = duration else { return DurationBucket::OpenOrUnknown };
        let secs = d / NANOS_PER_SEC;
        match d {
            _ if secs < 10 => DurationBucket::Under10s,
            _ if secs < 60 => DurationBucket::Under1m,
            _ if secs < 600 => DurationBucket::Under10m,
            _ if secs < 3600 => DurationBucket::Under1h,
            _ if secs < 8 * 3600 => DurationBucket::Under8h,
            _ => DurationBucket::AtLeast8h,
        }
    }

    /// A session's bucket: a session without any time has no known length, whatever its end says.
    pub fn of_session(s: &Session) -> Self {
        if s.start_or_first() == NO_TIME {
            return DurationBucket::OpenOrUnknown;
        }
        DurationBucket::of(s.duration())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DurationCount {
    pub bucket: DurationBucket,
    pub label: String,
    pub sessions: u32,
}

/// Auth attempts by weekday (0 = Monday … 6 = Sunday) and hour (0–23), in local time for
/// `utc_offset_minutes`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heatmap {
    pub utc_offset_minutes: i32,
    pub attempts: [[u32; 24]; 7],
    pub failures: [[u32; 24]; 7],
    /// Attempts without a time (in no cell).
    pub without_time: u32,
}

/// Weekdays as the query's `weekday` field names them, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Heatmap {
    /// The query's `weekday` and `hour` (UTC, as the query reads them) of the cell (`weekday`,
    /// `hour`) drawn at `utc_offset_minutes`: exact for whole-hour offsets; for others, the UTC
    /// hour holding the cell's start.
    pub fn cell_query(weekday: usize, hour: usize, utc_offset_minutes: i32) -> (&'static str, u8) {
        const WEEK: i64 = 7 * 24 * 60;
        let local = ((weekday % 7) * 24 + hour % 24) as i64 * 60;
        let utc = (local - i64::from(utc_offset_minutes)).rem_euclid(WEEK);
        (WEEKDAYS[(utc / 1440) as usize], ((utc % 1440) / 60) as u8)
    }

    /// (weekday, hour) of `t` at `utc_offset_minutes` from UTC; Monday is 0.
    pub fn cell(t: Nanos, utc_offset_minutes: i32) -> (usize, usize) {
        let local_secs = t.div_euclid(NANOS_PER_SEC) + i64::from(utc_offset_minutes) * 60;
        let days = local_secs.div_euclid(86_400);
        let hour = local_secs.rem_euclid(86_400) / 3600;
        // 1970-01-01 was a Thursday (3 days after a Monday).
        let weekday = (days + 3).rem_euclid(7);
        (weekday as usize, hour as usize)
    }

    fn add(&mut self, t: Nanos, outcome: Outcome) {
        if t == NO_TIME {
            self.without_time += 1;
            return;
        }
        let (day, hour) = Heatmap::cell(t, self.utc_offset_minutes);
        self.attempts[day][hour] += 1;
        if outcome == Outcome::Failure {
            self.failures[day][hour] += 1;
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub auth_attempts: u32,
    pub auth_failures: u32,
    pub sessions: u32,
    /// Auth attempts over the span of the matching ones, by outcome.
    pub logins: Histogram,
    /// Auth attempts per Teleport user.
    pub top_users: Vec<AttemptCount>,
    /// Auth attempts per source address (host, without port).
    pub top_addrs: Vec<AttemptCount>,
    /// Sessions per node: auth attempts seldom name the node, sessions always try to.
    pub top_nodes: Vec<FacetValue>,
    /// Sessions per length, every bucket listed (zeros included) in [`DurationBucket::ALL`] order.
    pub durations: Vec<DurationCount>,
    pub heatmap: Heatmap,
    pub error: Option<QueryError>,
}

pub fn dashboard(m: &Model, req: &DashboardRequest) -> Dashboard {
    let (filter, error) = compile_query(&req.query, m);
    Dashboard { error, ..dashboard_of(m, &filter, req.top, req.utc_offset_minutes) }
}

/// The same, for a filter already compiled.
pub fn dashboard_of(m: &Model, filter: &Filter, top: usize, utc_offset_minutes: i32) -> Dashboard {
    let attempts = SelectedEvents::new(m, true, filter);
    let rows = attempts.len();
    let (mut users, mut user_failures) = (SymCounts::new(m, rows), SymCounts::new(m, rows));
    let (mut addrs, mut addr_failures) = (SymCounts::new(m, rows), SymCounts::new(m, rows));
    let mut heatmap = Heatmap { utc_offset_minutes, ..Heatmap::default() };
    let (mut auth_attempts, mut auth_failures) = (0u32, 0u32);
    attempts.for_each(|e| {
        let (user, addr, outcome) = (e.sym(Col::User), e.sym(Col::Remote), e.outcome());
        auth_attempts += 1;
        users.add(user);
        addrs.add(addr);
        if outcome == Outcome::Failure {
            auth_failures += 1;
            user_failures.add(user);
            addr_failures.add(addr);
        }
        heatmap.add(e.time(), outcome);
    });
    let offset = i64::from(utc_offset_minutes) * 60 * NANOS_PER_SEC;
    let logins = build(Table::Auth, None, offset, &attempts);

    let mut nodes = SymCounts::new(m, if filter.is_all() { m.sessions.len() } else { 0 });
    let mut durations = [0u32; 7];
    let mut sessions = 0u32;
    for_each_session(m, false, filter, |_, s| {
        sessions += 1;
        nodes.add(s.node);
        durations[DurationBucket::of_session(s) as usize] += 1;
    });
    Dashboard {
        auth_attempts,
        auth_failures,
        sessions,
        logins,
        top_users: with_failures(m, &users, &user_failures, top),
        top_addrs: with_failures(m, &addrs, &addr_failures, top),
        top_nodes: top_nodes(m, &nodes, top),
        durations: DurationBucket::ALL
            .iter()
            .map(|&bucket| DurationCount {
                bucket,
                label: bucket.label().to_owned(),
                sessions: durations[bucket as usize],
            })
            .collect(),
        heatmap,
        error: None,
    }
}

fn with_failures(m: &Model, attempts: &SymCounts, failures: &SymCounts, top: usize) -> Vec<AttemptCount> {
    attempts
        .top_ranked(m, top)
        .into_iter()
        .map(|(sym, n)| AttemptCount { value: m.str(sym).to_owned(), attempts: n, failures: failures.count(sym) })
        .collect()
}

/// Nodes exactly as the sessions name them, so that a click can filter on the same value.
fn top_nodes(m: &Model, nodes: &SymCounts, top: usize) -> Vec<FacetValue> {
    nodes
        .top_ranked(m, top)
        .into_iter()
        .map(|(sym, count)| FacetValue { value: m.str(sym).to_owned(), count })
        .collect()
}
