//! Export of the rows a query selects, as CSV (for spreadsheets) or NDJSON (for tools), each
//! row with where it came from: the source file, the line, and that file's SHA-256.
//!
//! Rows are written in time order, a chunk at a time into a byte buffer: an export of
//! millions of rows holds their ids and one row's fields at a time, never a struct per row.
//!
//! - **CSV**: RFC 4180 (header row, CRLF, quotes where needed). Cells that a spreadsheet would
//!   run as a formula get a leading `'` (see [`super::csv_cell`] — reversible with
//!   [`super::restore_csv_cell`]); nothing else is changed.
//! - **NDJSON**: one JSON object per line with the same fields, text exactly as loaded. For
//!   events it also carries the original line when a `raw` accessor is given: `"raw"` (the line
//!   as a JSON string, byte for byte), or `"raw_base64"` if the line is not valid UTF-8, or
//!   `"raw": null` if the line cannot be had.

use super::csv_cell::push_csv_cell;
use super::matching::{compile_query, for_each_session, RowKind, SelectedEvents};
use super::rfc3339::Rfc3339;
use super::tables::{QueryError, Table};
use crate::audit::event_description;
use crate::detect::Finding;
use crate::model::{Event, EventId, Model, Session, NO_TIME};
use crate::problem::FileId;
use crate::time::{Nanos, NANOS_PER_SEC};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::io::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExportFormat {
    Csv,
    Ndjson,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Ndjson => "ndjson",
        }
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv;charset=utf-8",
            ExportFormat::Ndjson => "application/x-ndjson",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRequest {
    /// Events, Auth, Sessions or Recordings; other tables export no rows.
    pub table: Table,
    pub query: String,
    pub format: ExportFormat,
}

/// An event's original line, by id: natively `&|id| m.kept_raw(id).map(<[u8]>::to_vec)`; in the
/// browser, read back from the file where it is not kept.
pub type RawLines<'a> = &'a dyn Fn(EventId) -> Option<Vec<u8>>;

/// CSV header and NDJSON keys of event rows, in order.
pub const EVENT_COLUMNS: [&str; 17] = [
    "time", "event", "code", "title", "user", "login", "node", "addr", "port", "sid", "cluster", "method", "outcome",
    "message", "file", "line", "sha256",
];

/// CSV header and NDJSON keys of session rows, in order. `time` is the start; the source is the
/// session's earliest event.
pub const SESSION_COLUMNS: [&str; 21] = [
    "time",
    "end",
    "duration_seconds",
    "start_known",
    "sid",
    "user",
    "login",
    "node",
    "server_id",
    "addr",
    "cluster",
    "proto",
    "participants",
    "joins",
    "interactive",
    "terminal_size",
    "recording",
    "events",
    "file",
    "line",
    "sha256",
];

/// An export under way: the matching rows, and how far writing has got.
pub struct Export {
    kind: RowKind,
    format: ExportFormat,
    ids: Vec<u32>,
    next: usize,
    header_written: bool,
    error: Option<QueryError>,
}

impl Export {
    /// Selects and orders the rows (events by time, file, line; sessions by start). A query
    /// that does not parse exports every row and says so in [`Export::error`], as tables do.
    pub fn new(m: &Model, req: &ExportRequest) -> Self {
        let (filter, error) = compile_query(&req.query, m);
        let kind = RowKind::of(req.table);
        let ids = match kind {
            RowKind::Events { auth_only } => {
                let selected = SelectedEvents::new(m, auth_only, &filter);
                let in_time_order = selected.in_time_order();
                let mut ids = selected.into_ids();
                if !in_time_order {
                    ids.sort_by_key(|&id| event_order(&m.events[id as usize]));
                }
                ids
            }
            RowKind::Sessions { recorded_only } => {
                let mut ids = Vec::new();
                for_each_session(m, recorded_only, &filter, |i, _| ids.push(i));
                ids.sort_by_key(|&i| (m.sessions.list[i as usize].start_or_first(), i));
                ids
            }
            RowKind::Other => Vec::new(),
        };
        Export { kind, format: req.format, ids, next: 0, header_written: false, error }
    }

    pub fn error(&self) -> Option<&QueryError> {
        self.error.as_ref()
    }

    /// Rows to export.
    pub fn rows(&self) -> usize {
        self.ids.len()
    }

    pub fn rows_written(&self) -> usize {
        self.next
    }

    pub fn is_done(&self) -> bool {
        self.header_written && self.next >= self.ids.len()
    }

    /// Appends rows to `out` (the CSV header first) until it has grown by `chunk_bytes` or
    /// the rows run out. Returns true once everything is written.
    pub fn write_chunk(&mut self, m: &Model, raw: Option<RawLines<'_>>, out: &mut Vec<u8>, chunk_bytes: usize) -> bool {
        let limit = out.len().saturating_add(chunk_bytes);
        if !self.header_written {
            self.header_written = true;
            if self.format == ExportFormat::Csv {
                match self.kind {
                    RowKind::Events { .. } => csv_header(out, &EVENT_COLUMNS),
                    RowKind::Sessions { .. } => csv_header(out, &SESSION_COLUMNS),
                    RowKind::Other => {}
                }
            }
        }
        while self.next < self.ids.len() && out.len() < limit {
            let id = self.ids[self.next];
            self.next += 1;
            match (self.kind, self.format) {
                (RowKind::Events { .. }, ExportFormat::Csv) => EventFields::new(m, id).write_csv(out),
                (RowKind::Events { .. }, ExportFormat::Ndjson) => EventFields::new(m, id).write_json(out, raw),
                (RowKind::Sessions { .. }, ExportFormat::Csv) => SessionFields::new(m, id).write_csv(out),
                (RowKind::Sessions { .. }, ExportFormat::Ndjson) => SessionFields::new(m, id).write_json(out),
                (RowKind::Other, _) => {}
            }
        }
        self.is_done()
    }
}

/// The whole export at once (for tests and small exports): the bytes, and the query error if any.
pub fn export(m: &Model, req: &ExportRequest, raw: Option<RawLines<'_>>) -> (Vec<u8>, Option<QueryError>) {
    let mut export = Export::new(m, req);
    let mut out = Vec::new();
    while !export.write_chunk(m, raw, &mut out, 1 << 20) {}
    (out, export.error)
}

/// Same order as the model's time index.
fn event_order(e: &Event) -> (Nanos, FileId, u32) {
    (e.time, e.file, e.line)
}

fn csv_header(out: &mut Vec<u8>, columns: &[&str]) {
    out.extend_from_slice(columns.join(",").as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// The SHA-256 of the dropped file a row was read from: the file's own, or for an entry of an
/// archive, the archive's (whose path begins the entry's path). `None` while not yet hashed.
pub fn evidence_sha256(m: &Model, file: FileId) -> Option<&str> {
    let mut f = m.files.get(file as usize)?;
    // Archives nest only a few levels; the bound guards against a malformed parent chain.
    for _ in 0..16 {
        if let Some(h) = &f.sha256 {
            return Some(h);
        }
        f = m.files.get(f.parent? as usize)?;
    }
    None
}

/// The findings as NDJSON, one line per finding: what fired, why, and every event behind it
/// with the same fields (file, line, SHA-256 included) as an event export. Events of ids not in
/// the model are left out.
pub fn findings_ndjson(m: &Model, findings: &[Finding]) -> Vec<u8> {
    #[derive(Serialize)]
    struct Line<'a> {
        rule: &'a str,
        severity: &'a str,
        title: &'a str,
        explanation: &'a str,
        time_start: Option<Rfc3339>,
        time_end: Option<Rfc3339>,
        users: &'a [String],
        nodes: &'a [String],
        addrs: &'a [String],
        events: Vec<EventFields<'a>>,
    }
    let mut out = Vec::new();
    for f in findings {
        let line = Line {
            rule: &f.rule,
            severity: f.severity.label(),
            title: &f.title,
            explanation: &f.explanation,
            time_start: f.time_start.map(Rfc3339),
            time_end: f.time_end.map(Rfc3339),
            users: &f.users,
            nodes: &f.nodes,
            addrs: &f.addrs,
            events: f
                .events
                .iter()
                .filter(|&&id| (id as usize) < m.events.len())
                .map(|&id| EventFields::new(m, id))
                .collect(),
        };
        // Writing to a Vec cannot fail, and every field serializes.
        let _ = serde_json::to_writer(&mut out, &line);
        out.push(b'\n');
    }
    out
}

/// Where a row came from.
struct Source<'a> {
    file: &'a str,
    line: Option<u32>,
    sha256: Option<&'a str>,
}

impl<'a> Source<'a> {
    fn of(m: &'a Model, file: FileId, line: u32) -> Self {
        let path = m.files.get(file as usize).map_or("", |f| f.path.as_str());
        Source { file: path, line: Some(line), sha256: evidence_sha256(m, file) }
    }

    fn unknown() -> Self {
        Source { file: "", line: None, sha256: None }
    }
}

/// One event's exported fields, borrowed from the model.
#[derive(Serialize)]
struct EventFields<'a> {
    time: Option<Rfc3339>,
    event: &'a str,
    code: &'a str,
    title: Cow<'a, str>,
    user: &'a str,
    login: &'a str,
    node: &'a str,
    addr: &'a str,
    port: Option<u16>,
    sid: &'a str,
    cluster: &'a str,
    method: &'a str,
    outcome: &'static str,
    message: &'a str,
    file: &'a str,
    line: Option<u32>,
    sha256: Option<&'a str>,
    #[serde(skip)]
    id: EventId,
}

impl<'a> EventFields<'a> {
    fn new(m: &'a Model, id: EventId) -> Self {
        let e = &m.events[id as usize];
        let (event, code) = (m.str(e.kind), m.str(e.code));
        let source = Source::of(m, e.file, e.line);
        EventFields {
            time: (e.time != NO_TIME).then_some(Rfc3339(e.time)),
            event,
            code,
            title: event_description(event, (!code.is_empty()).then_some(code)),
            user: m.str(e.user),
            login: m.str(e.login),
            node: m.str(e.node),
            addr: m.str(e.remote),
            port: (e.remote_port != 0).then_some(e.remote_port),
            sid: m.str(e.sid),
            cluster: m.str(e.cluster),
            method: m.str(e.method),
            outcome: e.outcome.label(),
            message: m.str(e.message),
            file: source.file,
            line: source.line,
            sha256: source.sha256,
            id,
        }
    }

    fn write_csv(&self, out: &mut Vec<u8>) {
        let mut row = CsvRow::new(out);
        row.time(self.time);
        for text in [self.event, self.code, &self.title, self.user, self.login, self.node, self.addr] {
            row.text(text);
        }
        row.number(self.port);
        for text in [self.sid, self.cluster, self.method, self.outcome, self.message, self.file] {
            row.text(text);
        }
        row.number(self.line);
        row.text(self.sha256.unwrap_or(""));
        row.end();
    }

    fn write_json(&self, out: &mut Vec<u8>, raw: Option<RawLines<'_>>) {
        write_json_line(out, self);
        let Some(raw) = raw else { return };
        // The object just written ends in `}\n`: reopen it to add the original line last.
        if !out.ends_with(b"}\n") {
            return;
        }
        out.truncate(out.len() - 2);
        let line = raw(self.id);
        let appended = match line.as_deref().map(|b| (b, std::str::from_utf8(b))) {
            Some((_, Ok(text))) => append_json_field(out, "raw", &text),
            Some((bytes, Err(_))) => append_json_field(out, "raw_base64", &base64(bytes)),
            None => append_json_field(out, "raw", &None::<&str>),
        };
        debug_assert!(appended);
        out.extend_from_slice(b"}\n");
    }
}

/// `,"key":value` into an object being written.
fn append_json_field(out: &mut Vec<u8>, key: &str, value: &impl Serialize) -> bool {
    out.push(b',');
    serde_json::to_writer(&mut *out, key).is_ok() && {
        out.push(b':');
        serde_json::to_writer(&mut *out, value).is_ok()
    }
}

/// One session's exported fields.
#[derive(Serialize)]
struct SessionFields<'a> {
    time: Option<Rfc3339>,
    end: Option<Rfc3339>,
    duration_seconds: Option<Seconds>,
    start_known: bool,
    sid: &'a str,
    user: &'a str,
    login: &'a str,
    node: &'a str,
    server_id: &'a str,
    addr: &'a str,
    cluster: &'a str,
    proto: &'a str,
    participants: Vec<&'a str>,
    joins: u32,
    interactive: Option<bool>,
    terminal_size: &'a str,
    recording: &'static str,
    events: u32,
    file: &'a str,
    line: Option<u32>,
    sha256: Option<&'a str>,
}

impl<'a> SessionFields<'a> {
    fn new(m: &'a Model, index: u32) -> Self {
        let s = &m.sessions.list[index as usize];
        let start = s.start_or_first();
        let first = s.events.iter().filter_map(|&id| m.events.get(id as usize)).min_by_key(|e| event_order(e));
        SessionFields {
            time: (start != NO_TIME).then_some(Rfc3339(start)),
            end: s.end.map(Rfc3339),
            duration_seconds: if start == NO_TIME { None } else { s.duration().map(Seconds) },
            start_known: s.start.is_some(),
            sid: m.str(s.sid),
            user: m.str(s.user),
            login: m.str(s.login),
            node: m.str(s.node),
            server_id: m.str(s.server_id),
            addr: m.str(s.remote),
            cluster: m.str(s.cluster),
            proto: m.str(s.proto),
            participants: s.participants.iter().map(|&p| m.str(p)).collect(),
            joins: s.joins,
            interactive: s.interactive,
            terminal_size: m.str(s.terminal_size),
            recording: recording_label(s),
            events: s.events.len() as u32,
            file: "",
            line: None,
            sha256: None,
        }
        .with_source(first.map_or_else(Source::unknown, |e| Source::of(m, e.file, e.line)))
    }

    fn with_source(mut self, source: Source<'a>) -> Self {
        (self.file, self.line, self.sha256) = (source.file, source.line, source.sha256);
        self
    }

    fn write_csv(&self, out: &mut Vec<u8>) {
        let mut row = CsvRow::new(out);
        row.time(self.time);
        row.time(self.end);
        row.display(self.duration_seconds);
        row.display(Some(self.start_known));
        for text in [
            self.sid,
            self.user,
            self.login,
            self.node,
            self.server_id,
            self.addr,
            self.cluster,
            self.proto,
            // One cell; names are separated by ", ".
            &self.participants.join(", "),
        ] {
            row.text(text);
        }
        row.number(Some(self.joins));
        row.display(self.interactive);
        row.text(self.terminal_size);
        row.text(self.recording);
        row.number(Some(self.events));
        row.text(self.file);
        row.number(self.line);
        row.text(self.sha256.unwrap_or(""));
        row.end();
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        write_json_line(out, self);
    }
}

fn recording_label(s: &Session) -> &'static str {
    match (s.recording_parts > 0, s.uploaded) {
        (true, _) => "loaded",
        (false, true) => "uploaded, not loaded",
        (false, false) => "",
    }
}

/// A length in seconds, exactly: `5400`, `0.5`, `-3.25` (clock skew).
#[derive(Clone, Copy)]
struct Seconds(Nanos);

impl std::fmt::Display for Seconds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, frac) = (abs / NANOS_PER_SEC as u64, abs % NANOS_PER_SEC as u64);
        if frac == 0 {
            return write!(f, "{sign}{whole}");
        }
        let digits = format!("{frac:09}");
        write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
    }
}

impl Serialize for Seconds {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // A JSON number with the same digits as the CSV cell.
        let text = self.to_string();
        let n: serde_json::Number = text.parse().map_err(serde::ser::Error::custom)?;
        n.serialize(s)
    }
}

/// Cells of one CSV line, comma-separated, ended by CRLF.
struct CsvRow<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> CsvRow<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        CsvRow { out, first: true }
    }

    fn sep(&mut self) {
        if !std::mem::replace(&mut self.first, false) {
            self.out.push(b',');
        }
    }

    /// Log text: quoted and neutralized as needed.
    fn text(&mut self, value: &str) {
        self.sep();
        push_csv_cell(self.out, value);
    }

    fn time(&mut self, t: Option<Rfc3339>) {
        self.display(t);
    }

    fn number(&mut self, n: Option<impl Into<u64>>) {
        self.display(n.map(Into::into));
    }

    /// Values we format ourselves (times, numbers, booleans): never quoted, but a negative
    /// number still gets the formula guard like any cell.
    fn display(&mut self, v: Option<impl std::fmt::Display>) {
        self.sep();
        let Some(v) = v else { return };
        let start = self.out.len();
        let _ = write!(self.out, "{v}");
        if self.out.get(start) == Some(&b'-') {
            self.out.insert(start, b'\'');
        }
    }

    fn end(self) {
        self.out.extend_from_slice(b"\r\n");
    }
}

fn write_json_line(out: &mut Vec<u8>, value: &impl Serialize) {
    // Serializing borrowed strings and numbers into a Vec cannot fail.
    if serde_json::to_writer(&mut *out, value).is_ok() {
        out.push(b'\n');
    } else {
        let _ = writeln!(out, "{{\"error\":\"row could not be serialized\"}}");
    }
}

/// Standard base64 with padding, for lines that are not UTF-8.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}
