//! Detections in the worker: run over the model (the lines they read were kept in memory at
//! load), findings kept for `finding:N` and the case report; the page hears their counts and
//! asks for them a page at a time, without their event lists.

use super::{post, with_state, State};
use review_core::detect::{self, Settings};
use review_protocol::{FindingRow, FindingsSummary, Response};

/// Runs the detections with `settings` and sends the findings to the page (`id` 0: broadcast).
pub fn run(id: u32, settings: Option<Settings>) {
    let response = with_state(|s| {
        if let Some(settings) = settings {
            s.settings = settings;
        }
        answer(s)
    });
    post(id, response);
}

fn answer(s: &mut State) -> Response {
    let m = &mut s.ingest.model;
    m.ensure_sorted();
    let raw = |id| m.kept_raw(id).map(<[u8]>::to_vec);
    let findings = detect::run(m, &raw, &s.settings);
    m.set_findings(findings.iter().map(|f| f.events.clone()).collect());
    let summary = FindingsSummary::new(&findings);
    s.findings = findings;
    Response::Findings { summary, settings: Box::new(s.settings.clone()) }
}

/// The first `limit` findings (of `rule`, if given) in the order the page lists them.
pub fn page(s: &State, rule: Option<&str>, limit: u32) -> Response {
    let order = detect::most_severe_first(&s.findings, rule);
    let rows = order.iter().take(limit as usize).map(|&i| FindingRow::new(i, &s.findings[i])).collect();
    Response::FindingsPage { rows, matching: order.len() as u32 }
}
