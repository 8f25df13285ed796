//! What a rule reports, and the words and numbers used in explanations.

use crate::model::EventId;
use crate::time::{format_duration, Nanos, NANOS_PER_SEC};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// One finding: what, how bad, why (one line naming who/what/when), and the exact events
/// behind it, in time order, so the UI can filter the views to them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule's stable id (see [`super::RULES`]).
    pub rule: String,
    pub severity: Severity,
    pub title: String,
    pub explanation: String,
    /// Earliest and latest time among the events (`None` when none has a time).
    pub time_start: Option<Nanos>,
    pub time_end: Option<Nanos>,
    /// Teleport users, nodes and remote addresses of the events, in order of appearance
    /// (at most [`MAX_NAMES`] each; the explanation gives totals).
    pub users: Vec<String>,
    pub nodes: Vec<String>,
    pub addrs: Vec<String>,
    pub events: Vec<EventId>,
}

pub const MAX_NAMES: usize = 50;

/// `2024-03-13 02:14:05 UTC`.
pub(super) fn when(t: Nanos) -> String {
    DateTime::<Utc>::from_timestamp_nanos(t).format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// `02:14:05` when on the same UTC day as `since`, else the full time.
pub(super) fn when_after(since: Nanos, t: Nanos) -> String {
    let day = |t: Nanos| t.div_euclid(86_400 * NANOS_PER_SEC);
    if day(since) == day(t) {
        DateTime::<Utc>::from_timestamp_nanos(t).format("%H:%M:%S").to_string()
    } else {
        when(t)
    }
}

/// `2024-03-13 02:14:05 – 02:20:47 UTC`.
pub(super) fn span(a: Nanos, b: Nanos) -> String {
    if a == b {
        return when(a);
    }
    let end = when_after(a, b);
    let start = DateTime::<Utc>::from_timestamp_nanos(a).format("%Y-%m-%d %H:%M:%S").to_string();
    if end.ends_with("UTC") {
        format!("{start} UTC – {end}")
    } else {
        format!("{start} – {end} UTC")
    }
}

pub(super) fn duration(ns: Nanos) -> String {
    format_duration(ns)
}

/// `a, b, c and 4 more`.
pub(super) fn list<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(AsRef::as_ref).collect();
    let mut s = shown.join(", ");
    if items.len() > max {
        s.push_str(&format!(" and {} more", items.len() - max));
    }
    s
}

/// `1 failed login`, `38 failed logins`.
pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The indexes of the findings of `rule` (all if `None`), most severe first, then by time: the
/// order the findings view and the case report list them in.
pub fn most_severe_first(findings: &[Finding], rule: Option<&str>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..findings.len()).filter(|&i| rule.is_none_or(|r| findings[i].rule == r)).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(findings[i].severity), findings[i].time_start, i));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, severity: Severity, time: Option<Nanos>) -> Finding {
        Finding {
            rule: rule.into(),
            severity,
            title: String::new(),
            explanation: String::new(),
            time_start: time,
            time_end: time,
            users: Vec::new(),
            nodes: Vec::new(),
            addrs: Vec::new(),
            events: Vec::new(),
        }
    }

    #[test]
    fn listed_most_severe_first_then_by_time_and_narrowed_by_rule() {
        let findings = [
            finding("a", Severity::Low, Some(1)),
            finding("b", Severity::High, Some(9)),
            finding("a", Severity::High, Some(5)),
            finding("b", Severity::Info, None),
            finding("a", Severity::High, None),
        ];
        // A finding without a time comes before those with one, as `None < Some` orders.
        assert_eq!(most_severe_first(&findings, None), [4, 2, 1, 0, 3]);
        assert_eq!(most_severe_first(&findings, Some("a")), [4, 2, 0]);
        assert_eq!(most_severe_first(&findings, Some("c")), Vec::<usize>::new());
    }
}
