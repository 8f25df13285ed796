//! Detections in the worker: run over the model (the lines they read were kept in memory at
//! load), findings kept for `finding:N`, sent to the page without their event lists.

use super::{post, with_state, State};
use review_core::detect::{self, Settings};
use review_protocol::{FindingRow, Response};

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
    let rows = findings.iter().enumerate().map(|(i, f)| FindingRow::new(i, f)).collect();
    m.set_findings(findings.iter().map(|f| f.events.clone()).collect());
    s.findings = findings;
    Response::Findings { findings: rows, settings: Box::new(s.settings.clone()) }
}
