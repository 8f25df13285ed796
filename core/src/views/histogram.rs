//! The histogram above the views: the rows a query selects, counted per time bucket and split
//! by outcome. The bucket size adapts to the range (1 ms … 10 years, in steps of about 2×): the
//! smallest size giving at most 120 buckets, which mostly gives 60–120 (35 at worst, where the
//! sizes are far apart: 2 days → 1 week). Buckets are aligned to round times (whole minutes,
//! hours, local midnights, Mondays, first days of months) so that their edges read well and a
//! brush snaps to them.
//!
//! From the time index, matching rows come in time order: the span is their first and last
//! time, and counting reads two columns straight through.

use super::facets::outcome_index;
use super::matching::{compile_for, matching_sessions, RowKind, SelectedEvents};
use super::tables::{QueryError, Table};
use crate::audit::Outcome;
use crate::model::{Model, NO_TIME};
use crate::query::Filter;
use crate::time::{Nanos, NANOS_PER_MS, NANOS_PER_SEC};
use chrono::{DateTime, Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Buckets wanted at most; the chosen size is the smallest that stays within it.
pub const MAX_BUCKETS: i64 = 120;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TimeUnit {
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    /// Calendar months: buckets start on the 1st and differ in length.
    Month,
}

/// A bucket size: `5 Minute`, `3 Month`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BucketSize {
    pub count: u32,
    pub unit: TimeUnit,
}

const fn size(count: u32, unit: TimeUnit) -> BucketSize {
    BucketSize { count, unit }
}

/// Every size offered, smallest first. Neighbours differ by 1.5–3.5×, so some size always gives
/// between about 35 and 120 buckets.
pub const BUCKET_SIZES: &[BucketSize] = {
    use TimeUnit::*;
    &[
        size(1, Millisecond),
        size(2, Millisecond),
        size(5, Millisecond),
        size(10, Millisecond),
        size(20, Millisecond),
        size(50, Millisecond),
        size(100, Millisecond),
        size(200, Millisecond),
        size(500, Millisecond),
        size(1, Second),
        size(2, Second),
        size(5, Second),
        size(10, Second),
        size(15, Second),
        size(30, Second),
        size(1, Minute),
        size(2, Minute),
        size(5, Minute),
        size(10, Minute),
        size(15, Minute),
        size(30, Minute),
        size(1, Hour),
        size(2, Hour),
        size(3, Hour),
        size(6, Hour),
        size(12, Hour),
        size(1, Day),
        size(2, Day),
        size(1, Week),
        size(2, Week),
        size(1, Month),
        size(3, Month),
        size(6, Month),
        size(12, Month),
        size(24, Month),
        size(60, Month),
        size(120, Month),
    ]
};

/// The mean Gregorian month, to estimate how many month buckets a range needs.
const MEAN_MONTH: Nanos = 2_629_746 * NANOS_PER_SEC;

impl BucketSize {
    /// The length of a bucket; a month's is its mean length (for choosing sizes only).
    pub fn approx_nanos(self) -> Nanos {
        let unit = match self.unit {
            TimeUnit::Millisecond => NANOS_PER_MS,
            TimeUnit::Second => NANOS_PER_SEC,
            TimeUnit::Minute => 60 * NANOS_PER_SEC,
            TimeUnit::Hour => 3600 * NANOS_PER_SEC,
            TimeUnit::Day => 86_400 * NANOS_PER_SEC,
            TimeUnit::Week => 7 * 86_400 * NANOS_PER_SEC,
            TimeUnit::Month => MEAN_MONTH,
        };
        unit * i64::from(self.count)
    }

    /// `5 min`, `1 h`, `3 months`, `1 year`.
    pub fn label(self) -> String {
        let n = self.count;
        let plural = |word: &str| if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") };
        match self.unit {
            TimeUnit::Millisecond => format!("{n} ms"),
            TimeUnit::Second => format!("{n} s"),
            TimeUnit::Minute => format!("{n} min"),
            TimeUnit::Hour => format!("{n} h"),
            TimeUnit::Day => plural("day"),
            TimeUnit::Week => plural("week"),
            TimeUnit::Month if n.is_multiple_of(12) => {
                let years = n / 12;
                if years == 1 {
                    "1 year".to_owned()
                } else {
                    format!("{years} years")
                }
            }
            TimeUnit::Month => plural("month"),
        }
    }
}

/// The smallest size giving at most [`MAX_BUCKETS`] buckets over `span` nanoseconds.
pub fn choose_bucket_size(span: Nanos) -> BucketSize {
    let span = span.max(1);
    let buckets = |s: &BucketSize| (span - 1) / s.approx_nanos() + 1;
    BUCKET_SIZES.iter().copied().find(|s| buckets(s) <= MAX_BUCKETS).unwrap_or(BUCKET_SIZES[BUCKET_SIZES.len() - 1])
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// `start <= time < end`, UTC nanoseconds.
    pub start: Nanos,
    pub end: Nanos,
    pub failure: u32,
    pub success: u32,
    /// Rows without an outcome (most events; every session).
    pub none: u32,
}

impl Bucket {
    pub fn total(&self) -> u32 {
        self.failure + self.success + self.none
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistogramRequest {
    pub table: Table,
    pub query: String,
    /// `start <= time < end`: the range drawn (a brush, a zoom). `None` (or an empty range): the
    /// span of the matching rows.
    pub range: Option<(Nanos, Nanos)>,
    /// Days, weeks and months start at local midnight for this offset from UTC (0: UTC).
    pub utc_offset_minutes: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Histogram {
    pub table: Table,
    pub size: BucketSize,
    /// The range counted: the one asked for, or the span of the matching rows (`None` when no
    /// matching row has a time).
    pub range: Option<(Nanos, Nanos)>,
    /// Consecutive buckets covering `range`; the first and last may reach beyond it (they are
    /// aligned), but only rows inside `range` are counted.
    pub buckets: Vec<Bucket>,
    /// Rows counted (matching, with a time inside `range`).
    pub total: u32,
    /// Matching rows with a time outside `range`.
    pub outside: u32,
    /// Matching rows without a readable time: no bucket can hold them.
    pub without_time: u32,
    pub error: Option<QueryError>,
}

impl Histogram {
    /// The time range of buckets `first..=last` (indexes into `buckets`), for a brush.
    pub fn brush_range(&self, first: usize, last: usize) -> Option<(Nanos, Nanos)> {
        let (a, b) = (first.min(last), first.max(last));
        Some((self.buckets.get(a)?.start, self.buckets.get(b)?.end))
    }
}

pub fn histogram(m: &Model, req: &HistogramRequest) -> Histogram {
    let (filter, error) = compile_for(RowKind::of(req.table), &req.query, m);
    Histogram { error, ..histogram_of(m, req.table, &filter, req.range, req.utc_offset_minutes) }
}

/// The same, for a filter already compiled.
pub fn histogram_of(
    m: &Model,
    table: Table,
    filter: &Filter,
    range: Option<(Nanos, Nanos)>,
    utc_offset_minutes: i32,
) -> Histogram {
    let offset = i64::from(utc_offset_minutes) * 60 * NANOS_PER_SEC;
    match RowKind::of(table) {
        RowKind::Events { auth_only } => build(table, range, offset, &SelectedEvents::new(m, auth_only, filter)),
        RowKind::Sessions { recorded_only } => {
            build(table, range, offset, &SessionStarts::new(m, recorded_only, filter))
        }
        RowKind::Other => build(table, range, offset, &NoRows),
    }
}

/// Rows as the histogram sees them: a time and an outcome each. A trait rather than a boxed
/// closure so that the per-row call is inlined (millions of rows).
pub(crate) trait TimedRows {
    fn each(&self, f: impl FnMut(Nanos, Outcome));

    /// Earliest and latest time (rows without a time left out).
    fn span(&self) -> Option<(Nanos, Nanos)> {
        let mut span: Option<(Nanos, Nanos)> = None;
        self.each(|t, _| {
            if t != NO_TIME {
                span = Some(span.map_or((t, t), |(a, b)| (a.min(t), b.max(t))));
            }
        });
        span
    }
}

impl TimedRows for SelectedEvents<'_> {
    fn each(&self, f: impl FnMut(Nanos, Outcome)) {
        self.for_each_time(f);
    }

    fn span(&self) -> Option<(Nanos, Nanos)> {
        self.time_span()
    }
}

/// Sessions at their start (the start event, else their first event). Collected once: testing
/// a session against a query can mean reading its events.
struct SessionStarts(Vec<Nanos>);

impl SessionStarts {
    fn new(m: &Model, recorded_only: bool, filter: &Filter) -> Self {
        SessionStarts(matching_sessions(m, recorded_only, filter).map(|(_, s)| s.start_or_first()).collect())
    }
}

impl TimedRows for SessionStarts {
    fn each(&self, mut f: impl FnMut(Nanos, Outcome)) {
        for &t in &self.0 {
            f(t, Outcome::None);
        }
    }
}

struct NoRows;

impl TimedRows for NoRows {
    fn each(&self, _: impl FnMut(Nanos, Outcome)) {}
}

/// Counts the rows into buckets over `range`, or over the rows' own span.
pub(crate) fn build(table: Table, range: Option<(Nanos, Nanos)>, offset: Nanos, rows: &impl TimedRows) -> Histogram {
    let mut without_time = 0u32;
    // Half-open: the latest row is inside.
    let range = range.filter(|(a, b)| a < b).or_else(|| rows.span().map(|(a, b)| (a, b.saturating_add(1))));
    let Some((start, end)) = range else {
        rows.each(|_, _| without_time += 1);
        return Histogram {
            table,
            size: BUCKET_SIZES[0],
            range: None,
            buckets: Vec::new(),
            total: 0,
            outside: 0,
            without_time,
            error: None,
        };
    };
    let size = choose_bucket_size(end.saturating_sub(start));
    let mut buckets = bucket_grid(start, end, size, offset);
    let (mut total, mut outside) = (0u32, 0u32);
    // Rows mostly arrive in time order: remember the last bucket hit and search only on a miss.
    let mut hit = 0usize;
    rows.each(|t, outcome| {
        if t == NO_TIME {
            without_time += 1;
            return;
        }
        if t < start || t >= end {
            outside += 1;
            return;
        }
        if !buckets.get(hit).is_some_and(|b| b.start <= t && t < b.end) {
            hit = buckets.partition_point(|b| b.end <= t);
        }
        // The grid covers the range, so the bucket exists; a miss is only counted.
        let Some(b) = buckets.get_mut(hit) else {
            outside += 1;
            return;
        };
        match outcome_index(outcome) {
            0 => b.failure += 1,
            1 => b.success += 1,
            _ => b.none += 1,
        }
        total += 1;
    });
    Histogram { table, size, range: Some((start, end)), buckets, total, outside, without_time, error: None }
}

/// Empty buckets of `size` covering `start..end`, aligned to round local times.
pub fn bucket_grid(start: Nanos, end: Nanos, size: BucketSize, utc_offset: Nanos) -> Vec<Bucket> {
    let mut buckets = Vec::new();
    let mut at = align_down(start, size, utc_offset);
    while at < end && buckets.len() <= 4 * MAX_BUCKETS as usize {
        let next = step(at, size, utc_offset);
        buckets.push(Bucket { start: at, end: next, ..Bucket::default() });
        if next == at {
            break;
        }
        at = next;
    }
    buckets
}

/// 1970-01-05 was a Monday: weeks are counted from there.
const MONDAY: Nanos = 4 * 86_400 * NANOS_PER_SEC;

/// The start of the bucket holding `t`.
fn align_down(t: Nanos, size: BucketSize, utc_offset: Nanos) -> Nanos {
    if size.unit == TimeUnit::Month {
        let local = DateTime::from_timestamp_nanos(t.saturating_add(utc_offset)).date_naive();
        let months = i64::from(local.year()) * 12 + i64::from(local.month0());
        let first = months - months.rem_euclid(i64::from(size.count));
        return month_start(first, utc_offset);
    }
    let len = i128::from(size.approx_nanos());
    let origin = if size.unit == TimeUnit::Week { i128::from(MONDAY) } else { 0 };
    let local = i128::from(t) + i128::from(utc_offset) - origin;
    clamp(local.div_euclid(len) * len + origin - i128::from(utc_offset))
}

/// The start of the bucket after the one starting at `at`.
fn step(at: Nanos, size: BucketSize, utc_offset: Nanos) -> Nanos {
    if size.unit == TimeUnit::Month {
        let local = DateTime::from_timestamp_nanos(at.saturating_add(utc_offset)).date_naive();
        let months = i64::from(local.year()) * 12 + i64::from(local.month0());
        return month_start(months + i64::from(size.count), utc_offset);
    }
    at.saturating_add(size.approx_nanos())
}

/// Local midnight of the first day of month number `months` (year × 12 + month0), in UTC.
fn month_start(months: i64, utc_offset: Nanos) -> Nanos {
    let (year, month0) = (months.div_euclid(12), months.rem_euclid(12));
    let date = i32::try_from(year).ok().and_then(|y| NaiveDate::from_ymd_opt(y, month0 as u32 + 1, 1));
    let Some(midnight) = date.and_then(|d| d.and_hms_opt(0, 0, 0)) else {
        return if months < 0 { Nanos::MIN } else { Nanos::MAX };
    };
    let utc = midnight.and_utc().timestamp();
    clamp(i128::from(utc) * i128::from(NANOS_PER_SEC) - i128::from(utc_offset))
}

fn clamp(v: i128) -> Nanos {
    v.clamp(i128::from(Nanos::MIN), i128::from(Nanos::MAX)) as Nanos
}
