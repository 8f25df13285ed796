//! How values are shown: times in UTC (or local) with milliseconds, sizes, durations, and log
//! text with control characters made visible rather than acted upon.

use chrono::{DateTime, Local, LocalResult, NaiveDateTime, TimeZone, Utc};
use review_core::time::Nanos;

pub use crate::text::{bytes, count, visible};

pub fn time(t: Option<Nanos>, local: bool) -> String {
    let Some(t) = t else { return "—".into() };
    let utc = DateTime::<Utc>::from_timestamp_nanos(t);
    if local {
        utc.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S%.3f").to_string()
    } else {
        utc.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
    }
}

/// Seconds east of UTC of this browser's zone at the local time `t` (a time skipped by a
/// change to summer time gets the offset of the instant it would be in UTC).
pub fn local_offset(t: NaiveDateTime) -> i32 {
    match Local.offset_from_local_datetime(&t) {
        LocalResult::Single(o) | LocalResult::Ambiguous(o, _) => o.local_minus_utc(),
        LocalResult::None => Local.offset_from_utc_datetime(&t).local_minus_utc(),
    }
}

pub fn date(t: Option<Nanos>, local: bool) -> String {
    let Some(t) = t else { return "—".into() };
    let utc = DateTime::<Utc>::from_timestamp_nanos(t);
    if local {
        utc.with_timezone(&Local).format("%Y-%m-%d").to_string()
    } else {
        utc.format("%Y-%m-%d").to_string()
    }
}

pub fn zone(local: bool) -> &'static str {
    if local {
        "local"
    } else {
        "UTC"
    }
}

/// "1 hit", "2 hits".
pub fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

pub fn duration(n: Option<Nanos>) -> String {
    n.map_or("—".into(), review_core::time::format_duration)
}
