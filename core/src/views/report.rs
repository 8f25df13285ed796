//! The case report: one self-contained HTML document — what was loaded (names, sizes, SHA-256),
//! the query, the findings and the selected sessions with their events — to hand over, file
//! and print.
//!
//! It must be safe to open anywhere, offline, years later: no script at all, no external
//! resource (inline CSS only; a Content-Security-Policy forbids loading anything else should
//! a browser ever try), and every piece of log text goes through [`push_html_text`].

use super::export::evidence_sha256;
use super::html::push_html_text;
use super::matching::{compile_query, for_each_session, SelectedEvents};
use super::rows::EventRow;
use super::tables::problems_per_file;
use crate::audit::Outcome;
use crate::model::{EventId, FileKind, Model, NO_TIME};
use crate::time::{format_duration, format_utc_ms, Nanos};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// A finding as the report shows it (the detections' `Finding` converts to this field by field).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportFinding {
    pub title: String,
    /// `high`, `medium`, `low`, `info`.
    pub severity: String,
    pub explanation: String,
    pub time_start: Option<Nanos>,
    pub time_end: Option<Nanos>,
    pub users: Vec<String>,
    pub nodes: Vec<String>,
    pub addrs: Vec<String>,
    pub events: Vec<EventId>,
}

/// What the report says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportMeta {
    /// E.g. `Case 2024-117: suspected credential stuffing`; empty for "Case report".
    pub title: String,
    /// The tool and its version, e.g. `teleport-review 0.1.0 (2fb38f3)`.
    pub tool: String,
    /// When it was made (UTC nanoseconds).
    pub made_at: Nanos,
    /// The query of the views when it was made.
    pub query: String,
}

/// Events listed per finding; the rest are counted.
pub const MAX_FINDING_EVENTS: usize = 200;
/// Events listed per session; the rest are counted.
pub const MAX_SESSION_EVENTS: usize = 5_000;
/// Problems listed; the rest are counted (the overview has them all).
pub const MAX_PROBLEMS: usize = 500;
/// Findings detailed, the first ones given (callers give the most severe first); the rest are
/// counted by severity. A gigabyte of logs can raise tens of thousands (a 142 MB report at
/// 26 k): the findings export has every one.
pub const MAX_REPORT_FINDINGS: usize = 500;

/// The report as one HTML string.
pub fn case_report(m: &Model, meta: &ReportMeta, findings: &[ReportFinding], sessions: &[u32]) -> String {
    let mut h = Html(String::with_capacity(64 << 10));
    let title = if meta.title.trim().is_empty() { "Case report" } else { meta.title.as_str() };
    h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    h.raw("<meta name=\"referrer\" content=\"no-referrer\">\n");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    h.text(title);
    h.raw("</title>\n<style>");
    h.raw(STYLE);
    h.raw("</style>\n</head>\n<body>\n<header>\n<h1>");
    h.text(title);
    h.raw("</h1>\n<p class=\"meta\">Made ");
    h.time(Some(meta.made_at));
    h.raw(" by ");
    h.text(&meta.tool);
    h.raw(". All times are UTC.</p>\n</header>\n");
    summary(&mut h, m, meta, findings.len(), sessions.len());
    loaded(&mut h, m);
    problems(&mut h, m);
    findings_section(&mut h, m, findings);
    sessions_section(&mut h, m, sessions);
    h.raw("<footer><p>Each event names its source file and line; the SHA-256 of every loaded file is listed above, so that anyone can check the evidence with <code>sha256sum</code> and find each line in it. This document holds no script and loads nothing.</p></footer>\n</body>\n</html>\n");
    h.0
}

/// The document being written: markup we write, and text from anywhere else, always escaped.
struct Html(String);

impl Html {
    fn raw(&mut self, markup: &str) {
        self.0.push_str(markup);
    }

    fn text(&mut self, text: &str) {
        push_html_text(&mut self.0, text);
    }

    fn num(&mut self, n: impl std::fmt::Display) {
        let _ = write!(self.0, "{n}");
    }

    fn time(&mut self, t: Option<Nanos>) {
        match t.filter(|&t| t != NO_TIME) {
            Some(t) => {
                let _ = write!(self.0, "<time>{}</time>", format_utc_ms(t));
            }
            None => self.raw("<span class=\"none\">unknown</span>"),
        }
    }

    /// `<tr><th>name</th><td>text</td></tr>`.
    fn field(&mut self, name: &str, text: &str) {
        self.raw("<tr><th>");
        self.raw(name);
        self.raw("</th><td>");
        self.text(text);
        self.raw("</td></tr>\n");
    }

    /// A list of names, or a dash.
    fn names(&mut self, names: &[String]) {
        if names.is_empty() {
            self.raw("<span class=\"none\">—</span>");
        }
        for (i, n) in names.iter().enumerate() {
            if i > 0 {
                self.raw(", ");
            }
            self.raw("<span class=\"v\">");
            self.text(n);
            self.raw("</span>");
        }
    }
}

fn summary(h: &mut Html, m: &Model, meta: &ReportMeta, findings: usize, sessions: usize) {
    let (filter, error) = compile_query(&meta.query, m);
    let events = SelectedEvents::new(m, false, &filter).len();
    let auth = SelectedEvents::new(m, true, &filter).len();
    let mut matching_sessions = 0u64;
    for_each_session(m, false, &filter, |_, _| matching_sessions += 1);
    h.raw("<section id=\"summary\">\n<h2>Summary</h2>\n<table class=\"kv\">\n<tr><th>Query</th><td>");
    if meta.query.trim().is_empty() {
        h.raw("<span class=\"none\">none — every event</span>");
    } else {
        h.raw("<code>");
        h.text(&meta.query);
        h.raw("</code>");
    }
    if let Some(e) = error {
        h.raw("<br><span class=\"warn\">The query does not parse (");
        h.text(&e.message);
        let _ = write!(h.0, ", at character {}); the counts below are of every row.</span>", e.pos);
    }
    h.raw("</td></tr>\n<tr><th>Matching</th><td>");
    let _ = writeln!(h.0, "{events} events, {auth} of them auth attempts; {matching_sessions} sessions</td></tr>");
    let span = m.time_span();
    h.raw("<tr><th>Loaded</th><td>");
    let top_files = m.files.iter().filter(|f| f.parent.is_none()).count();
    let (files, events) = (m.files.len(), m.events.len());
    let _ = write!(h.0, "{top_files} files dropped ({files} counting archive entries), {events} events, ");
    let _ = write!(h.0, "{} sessions; ", m.sessions.len());
    h.time(span.map(|s| s.0));
    h.raw(" to ");
    h.time(span.map(|s| s.1));
    h.raw("</td></tr>\n<tr><th>In this report</th><td>");
    let _ = write!(h.0, "{findings} findings, {sessions} sessions</td></tr>\n</table>\n</section>\n");
}

fn loaded(h: &mut Html, m: &Model) {
    let problems = problems_per_file(m);
    h.raw("<section id=\"loaded\">\n<h2>What was loaded</h2>\n<table class=\"rows\">\n<thead><tr><th>File</th><th class=\"n\">Size</th><th>SHA-256</th><th>Kind</th><th class=\"n\">Events</th><th class=\"n\">Duplicates</th><th class=\"n\">Bad lines</th><th class=\"n\">Problems</th></tr></thead>\n<tbody>\n");
    for (i, f) in m.files.iter().enumerate() {
        h.raw("<tr><td class=\"path\">");
        h.text(&f.path);
        h.raw("</td><td class=\"n\">");
        h.raw(&grouped(f.size));
        h.raw("</td><td class=\"hash\">");
        match (&f.sha256, f.parent) {
            (Some(hash), _) => h.text(hash),
            (None, Some(_)) => h.raw("<span class=\"none\">inside the archive above</span>"),
            (None, None) => h.raw("<span class=\"warn\">not computed</span>"),
        }
        h.raw("</td><td>");
        h.raw(kind_label(f.kind));
        if f.compressed {
            h.raw(", compressed");
        }
        h.raw("</td><td class=\"n\">");
        h.num(f.events);
        h.raw("</td><td class=\"n\">");
        h.num(f.duplicates);
        h.raw("</td><td class=\"n\">");
        h.num(f.bad_lines);
        h.raw("</td><td class=\"n\">");
        h.num(problems.get(i).copied().unwrap_or(0));
        h.raw("</td></tr>\n");
    }
    h.raw("</tbody>\n</table>\n");
    let bytes: u64 = m.files.iter().filter(|f| f.parent.is_none()).map(|f| f.size).sum();
    let _ = write!(
        h.0,
        "<p>{} bytes dropped; {} duplicate events folded (same uid, identical line).</p>\n</section>\n",
        grouped(bytes),
        m.duplicates
    );
}

/// `1234567` → `1,234,567`: sizes exact to the byte, readable.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn kind_label(k: FileKind) -> &'static str {
    match k {
        FileKind::Pending => "not classified",
        FileKind::AuditLog => "audit log",
        FileKind::Recording => "session recording",
        FileKind::Archive => "archive",
        FileKind::Empty => "empty",
        FileKind::NotRead => "not read",
    }
}

fn problems(h: &mut Html, m: &Model) {
    if m.problems.is_empty() {
        return;
    }
    let _ = write!(h.0, "<section id=\"problems\">\n<h2>Problems ({})</h2>\n", m.problems.len());
    h.raw("<table class=\"rows\">\n<thead><tr><th>File</th><th>Place</th><th>Kind</th><th>Detail</th></tr></thead>\n<tbody>\n");
    for p in m.problems.iter().take(MAX_PROBLEMS) {
        h.raw("<tr><td class=\"path\">");
        h.text(m.files.get(p.file as usize).map_or("", |f| f.path.as_str()));
        h.raw("</td><td>");
        h.text(&p.place.to_string());
        h.raw("</td><td>");
        h.text(p.kind.label());
        h.raw("</td><td>");
        h.text(&p.detail);
        h.raw("</td></tr>\n");
    }
    h.raw("</tbody>\n</table>\n");
    more(h, m.problems.len(), MAX_PROBLEMS, "problems");
    h.raw("</section>\n");
}

fn more(h: &mut Html, total: usize, shown: usize, what: &str) {
    if total > shown {
        let _ = writeln!(h.0, "<p class=\"more\">… and {} more {what} (listed in the tool).</p>", total - shown);
    }
}

fn findings_section(h: &mut Html, m: &Model, findings: &[ReportFinding]) {
    let _ = write!(h.0, "<section id=\"findings\">\n<h2>Findings ({})</h2>\n", findings.len());
    if findings.is_empty() {
        h.raw("<p class=\"none\">No findings were included.</p>\n");
    }
    for f in findings.iter().take(MAX_REPORT_FINDINGS) {
        let severity = severity_class(&f.severity);
        let _ = write!(h.0, "<article class=\"finding sev-{severity}\">\n<h3><span class=\"sev\">");
        h.text(&f.severity);
        h.raw("</span> ");
        h.text(&f.title);
        h.raw("</h3>\n<p>");
        h.text(&f.explanation);
        h.raw("</p>\n<table class=\"kv\">\n<tr><th>When</th><td>");
        h.time(f.time_start);
        if f.time_end.is_some() && f.time_end != f.time_start {
            h.raw(" to ");
            h.time(f.time_end);
        }
        h.raw("</td></tr>\n<tr><th>Users</th><td>");
        h.names(&f.users);
        h.raw("</td></tr>\n<tr><th>Nodes</th><td>");
        h.names(&f.nodes);
        h.raw("</td></tr>\n<tr><th>Addresses</th><td>");
        h.names(&f.addrs);
        let _ = write!(h.0, "</td></tr>\n<tr><th>Events</th><td>{}</td></tr>\n</table>\n", f.events.len());
        event_table(h, m, &f.events, MAX_FINDING_EVENTS);
        h.raw("</article>\n");
    }
    if let Some(rest) = findings.get(MAX_REPORT_FINDINGS..).filter(|r| !r.is_empty()) {
        let by_severity = ["high", "medium", "low", "info"]
            .map(|s| (s, rest.iter().filter(|f| severity_class(&f.severity) == s).count()))
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{n} {s}"))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            h.0,
            "<p class=\"more\">… and {} more findings ({by_severity}), not detailed here: the findings export \
             (NDJSON) has every one with its events.</p>",
            rest.len()
        );
    }
    h.raw("</section>\n");
}

/// A class name from our fixed set, never the text itself.
fn severity_class(s: &str) -> &'static str {
    match s.to_ascii_lowercase().as_str() {
        "high" | "critical" => "high",
        "medium" => "medium",
        "low" => "low",
        _ => "info",
    }
}

fn sessions_section(h: &mut Html, m: &Model, sessions: &[u32]) {
    let sessions: Vec<u32> = sessions.iter().copied().filter(|&i| (i as usize) < m.sessions.len()).collect();
    let _ = write!(h.0, "<section id=\"sessions\">\n<h2>Sessions ({})</h2>\n", sessions.len());
    if sessions.is_empty() {
        h.raw("<p class=\"none\">No sessions were included.</p>\n");
    }
    for &index in &sessions {
        let s = &m.sessions.list[index as usize];
        h.raw("<article class=\"session\">\n<h3>Session <span class=\"v\">");
        h.text(m.str(s.sid));
        h.raw("</span></h3>\n<table class=\"kv\">\n");
        h.field("User", m.str(s.user));
        h.field("Login", m.str(s.login));
        h.field("Node", m.str(s.node));
        h.field("Remote address", m.str(s.remote));
        h.field("Cluster", m.str(s.cluster));
        h.raw("<tr><th>Start</th><td>");
        let start = s.start_or_first();
        h.time(Some(start));
        if s.start.is_none() && start != NO_TIME {
            h.raw(" (first event seen; no start event)");
        }
        h.raw("</td></tr>\n<tr><th>End</th><td>");
        match s.end {
            Some(end) => {
                h.time(Some(end));
                if start != NO_TIME {
                    h.raw(" (");
                    h.text(&format_duration(end - start));
                    h.raw(")");
                }
            }
            None => h.raw("<span class=\"warn\">open, or its end was never logged</span>"),
        }
        h.raw("</td></tr>\n<tr><th>Participants</th><td>");
        let participants: Vec<String> = s.participants.iter().map(|&p| m.str(p).to_owned()).collect();
        h.names(&participants);
        h.raw("</td></tr>\n<tr><th>Recording</th><td>");
        h.raw(match (s.recording_parts > 0, s.uploaded) {
            (true, _) => "loaded",
            (false, true) => "uploaded, not among the loaded files",
            (false, false) => "none",
        });
        let _ = write!(h.0, "</td></tr>\n<tr><th>Events</th><td>{}</td></tr>\n</table>\n", s.events.len());
        let mut events = s.events.clone();
        // In time order whether or not the model's index is current.
        events.sort_by_key(|&id| m.events.get(id as usize).map(|e| (e.time, e.file, e.line)));
        event_table(h, m, &events, MAX_SESSION_EVENTS);
        h.raw("</article>\n");
    }
    h.raw("</section>\n");
}

fn event_table(h: &mut Html, m: &Model, ids: &[EventId], max: usize) {
    let ids: Vec<EventId> = ids.iter().copied().filter(|&id| (id as usize) < m.events.len()).collect();
    if ids.is_empty() {
        return;
    }
    h.raw("<table class=\"rows events\">\n<thead><tr><th>Time</th><th>Type</th><th>User</th><th>Outcome</th><th>Summary</th><th>Source</th></tr></thead>\n<tbody>\n");
    for &id in ids.iter().take(max) {
        let r = EventRow::new(m, id);
        let class = match r.outcome {
            Outcome::Failure => " class=\"fail\"",
            _ => "",
        };
        let _ = write!(h.0, "<tr{class}><td>");
        h.time(r.time);
        h.raw("</td><td>");
        h.text(&r.event);
        if !r.code.is_empty() {
            h.raw(" <span class=\"code\">");
            h.text(&r.code);
            h.raw("</span>");
        }
        h.raw("</td><td>");
        h.text(&r.user);
        h.raw("</td><td>");
        h.raw(r.outcome.label());
        h.raw("</td><td>");
        summary_cell(h, &r);
        h.raw("</td><td class=\"path\">");
        h.text(&r.file);
        let _ = write!(h.0, ":{}", r.line);
        if let Some(hash) = evidence_sha256(m, m.events[id as usize].file) {
            h.raw("<br><span class=\"hash\">sha256 ");
            h.text(hash.get(..12).unwrap_or(hash));
            h.raw("…</span>");
        }
        h.raw("</td></tr>\n");
    }
    h.raw("</tbody>\n</table>\n");
    more(h, ids.len(), max, "events");
}

/// The event in words: its title, then what it says about where and why.
fn summary_cell(h: &mut Html, r: &EventRow) {
    h.text(&r.title);
    let parts = [("login", &r.login), ("node", &r.node), ("from", &r.addr), ("method", &r.method)];
    for (label, value) in parts {
        if !value.is_empty() {
            h.raw(" · ");
            h.raw(label);
            h.raw(" <span class=\"v\">");
            h.text(value);
            h.raw("</span>");
        }
    }
    if !r.message.is_empty() {
        h.raw(" · <span class=\"msg\">");
        h.text(&r.message);
        h.raw("</span>");
    }
}

/// Inline, print-friendly, light only (a report is printed and archived).
const STYLE: &str = r#"
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; background: #fff; margin: 24px auto; max-width: 1200px; padding: 0 16px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.25em; border-bottom: 2px solid #d0d7de; padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 1.05em; margin: 0 0 6px; }
.meta, .more, .none { color: #57606a; }
.warn { color: #9a3412; font-weight: 600; }
code, .hash, .path, .code, .v, time { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
.hash, .path { word-break: break-all; }
td, .v, .msg, code { unicode-bidi: isolate; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 3px 8px; border-bottom: 1px solid #e5e7eb; }
thead th { background: #f3f4f6; border-bottom: 1px solid #d0d7de; }
table.kv { width: auto; }
table.kv th { color: #57606a; font-weight: 600; white-space: nowrap; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td { background: #fef2f2; }
.cc { font-family: ui-monospace, monospace; font-size: 0.8em; color: #9a3412; background: #fff7ed; border: 1px solid #fdba74; border-radius: 3px; padding: 0 2px; }
article { border: 1px solid #d0d7de; border-left-width: 6px; border-radius: 4px; padding: 10px 14px; margin: 12px 0; }
.sev { display: inline-block; text-transform: uppercase; font-size: 0.75em; letter-spacing: 0.04em; padding: 1px 6px; border-radius: 3px; background: #e5e7eb; margin-right: 6px; }
.sev-high { border-left-color: #b91c1c; } .sev-high .sev { background: #b91c1c; color: #fff; }
.sev-medium { border-left-color: #c2410c; } .sev-medium .sev { background: #c2410c; color: #fff; }
.sev-low { border-left-color: #a16207; } .sev-low .sev { background: #fde68a; }
.sev-info { border-left-color: #6b7280; }
.session { border-left-color: #1d4ed8; }
footer { margin-top: 40px; color: #57606a; font-size: 0.9em; border-top: 1px solid #d0d7de; }
@page { margin: 14mm 12mm; }
@media print {
  body { font-size: 9pt; margin: 0; max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  tr, .kv { break-inside: avoid; }
  thead { display: table-header-group; }
  article { break-inside: auto; }
  tr.fail td, thead th, .cc, .sev { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;
