//! Exports and the case report in the worker. An export is written in chunks, one per request
//! from the page, so the worker answers other requests in between and the page can stop at any
//! time; lines not kept in memory are read back from their files through a window.

use super::files::read_window;
use super::{post, post_document, with_state, State};
use review_core::detect::{most_severe_first, Finding};
use review_core::model::EventId;
use review_core::views::{case_report, Export, ExportRequest, ReportFinding, ReportMeta, MAX_REPORT_FINDINGS};
use review_protocol::Response;
use std::cell::RefCell;

/// Bytes per chunk sent to the page.
const CHUNK: usize = 4 << 20;
/// Bytes read from a file at once when lines are read back (rows come in time order, which is
/// mostly file order, so the next line is usually in the same window).
const WINDOW: u32 = 1 << 20;

pub fn start(id: u32, req: ExportRequest) {
    with_state(|s| {
        s.ingest.model.ensure_sorted();
        s.export = Some(Export::new(&s.ingest.model, &req));
    });
    next(id);
}

pub fn next(id: u32) {
    let response = with_state(|s| {
        let State { export, ingest, handles, .. } = s;
        let Some(export) = export.as_mut() else {
            return Response::Error("no export is under way".into());
        };
        let m = &ingest.model;
        let window = RefCell::new(None);
        let raw = |id: EventId| -> Option<Vec<u8>> {
            if let Some(bytes) = m.kept_raw(id) {
                return Some(bytes.to_vec());
            }
            let e = m.events.get(id as usize)?;
            read_window(&mut window.borrow_mut(), handles.get(&e.file)?, e.file, e.raw.offset, e.raw.len, WINDOW)
        };
        let mut bytes = Vec::with_capacity(CHUNK + (64 << 10));
        let done = export.write_chunk(m, Some(&raw), &mut bytes, CHUNK);
        Response::ExportChunk {
            bytes,
            written: export.rows_written() as u32,
            rows: export.rows() as u32,
            done,
            error: export.error().cloned(),
        }
    });
    if matches!(response, Response::ExportChunk { done: true, .. }) {
        with_state(|s| s.export = None);
    }
    post(id, response);
}

/// The case report: every finding, the sessions their events belong to, and `sessions`.
pub fn report(id: u32, meta: ReportMeta, mut sessions: Vec<u32>) {
    let html = with_state(|s| {
        let m = &mut s.ingest.model;
        m.ensure_sorted();
        // Most severe first: the report details the first MAX_REPORT_FINDINGS, with the
        // sessions their events belong to, and counts the rest.
        let order: Vec<&Finding> = most_severe_first(&s.findings, None).into_iter().map(|i| &s.findings[i]).collect();
        for f in order.iter().take(MAX_REPORT_FINDINGS) {
            for &e in &f.events {
                let sid = m.events.get(e as usize).map(|e| e.sid);
                if let Some(index) = sid.and_then(|sid| m.sessions.index_of(sid)) {
                    sessions.push(index);
                }
            }
        }
        // In the order they were first named, each once.
        let mut seen = std::collections::HashSet::new();
        sessions.retain(|&i| seen.insert(i));
        let findings: Vec<ReportFinding> = order.into_iter().map(report_finding).collect();
        case_report(m, &meta, &findings, &sessions)
    });
    post_document(id, html.as_bytes());
}

fn report_finding(f: &Finding) -> ReportFinding {
    ReportFinding {
        title: f.title.clone(),
        severity: f.severity.label().to_owned(),
        explanation: f.explanation.clone(),
        time_start: f.time_start,
        time_end: f.time_end,
        users: f.users.clone(),
        nodes: f.nodes.clone(),
        addrs: f.addrs.clone(),
        events: f.events.clone(),
    }
}
