//! Detections in the worker: run over the model (the lines they read were kept in memory at
//! load), one rule per task so that the page's requests are answered between rules (at 1 GB
//! the run takes ~1.6 s); findings kept for `finding:N` and the case report; the page hears
//! their counts and asks for them a page at a time, without their event lists.

use super::{handle, in_a_task, post, with_state, State};
use js_sys::Array;
use review_core::detect::{self, Detection, Settings};
use review_protocol::{FindingRow, FindingsSummary, Request, Response};

/// Starts a detection run with `settings` (else those in force), replacing one under way. The
/// page hears the findings' counts when it ends (a broadcast).
pub fn start(settings: Option<Settings>) {
    let idle = with_state(|s| {
        if let Some(settings) = settings {
            s.settings = settings;
        }
        s.ingest.model.ensure_sorted();
        let idle = s.detection.is_none();
        s.detection = Some(Detection::new(&s.ingest.model, s.settings.clone()));
        idle
    });
    if idle {
        in_a_task(step);
    }
}

/// Whether a run is under way (or one is to come, after the load under way): documents made
/// of the findings wait for its end.
pub fn running(s: &State) -> bool {
    s.detection.is_some() || (s.loading.is_some() && !s.after_detection.is_empty())
}

/// Applies the next rule; at the end, keeps the findings and tells the page.
fn step() {
    let ended = with_state(|s| {
        if s.loading.is_some() {
            // Files are being added: the run is dropped (its rules would see the model change
            // under them at every slice); the page asks for a new one when the load ends, and
            // documents held for this one wait for that.
            s.detection = None;
            return None;
        }
        let run = s.detection.as_mut()?;
        let m = &mut s.ingest.model;
        if !run.is_for(m) {
            // The model changed under the run (e.g. recordings summarized): it starts again.
            m.ensure_sorted();
            *run = Detection::new(m, run.settings().clone());
        }
        let m = &s.ingest.model;
        let raw = |id| m.kept_raw(id).map(<[u8]>::to_vec);
        let findings = run.step(m, &raw)?.findings;
        s.detection = None;
        s.ingest.model.set_findings(findings.iter().map(|f| f.events.clone()).collect());
        s.findings_run = s.findings_run.wrapping_add(1);
        let summary = FindingsSummary::new(s.findings_run, &findings);
        s.findings = findings;
        Some((
            Response::Findings { summary, settings: Box::new(s.settings.clone()) },
            std::mem::take(&mut s.after_detection),
        ))
    });
    match ended {
        None if with_state(|s| s.detection.is_some()) => in_a_task(step),
        None => {}
        Some((summary, waiting)) => {
            post(0, summary);
            for (id, req) in waiting {
                handle(id, req, Array::new());
            }
        }
    }
}

/// Holds a request for a document made of the findings until the run under way ends.
pub fn after_run(s: &mut State, id: u32, req: Request) {
    s.after_detection.push((id, req));
}

/// The first `limit` findings (of `rule`, if given) in the order the page lists them.
pub fn page(s: &State, rule: Option<&str>, limit: u32) -> Response {
    let order = detect::most_severe_first(&s.findings, rule);
    let rows = order.iter().take(limit as usize).map(|&i| FindingRow::new(i, &s.findings[i])).collect();
    Response::FindingsPage { run: s.findings_run, rows, matching: order.len() as u32 }
}
