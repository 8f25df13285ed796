//! Facets, the histogram's brush, the dashboard, exports and the case report, as a user meets
//! them: clicks and drags in the page, files as the browser would save them.

use crate::harness::{done_or, fixture, poll, Browser, Result};
use crate::{number, EXAMPLES};

/// Downloads are caught where the page hands them to the browser: the blob behind the link and
/// the link's name, exactly the bytes a user would get.
async fn catch_downloads(b: &Browser) -> Result {
    b.js(r#"
        window.__downloads = []; const blobs = new Map(), make = URL.createObjectURL;
        URL.createObjectURL = blob => { const url = make(blob); blobs.set(url, blob); return url; };
        HTMLAnchorElement.prototype.click = function () { if (this.download) window.__downloads.push({ name: this.download, blob: blobs.get(this.href) }); };
    "#)
    .await?;
    Ok(())
}

/// Waits for the `n`-th download (from 1) and returns its name and text.
async fn download(b: &Browser, n: usize) -> Result<(String, String)> {
    let got = async || b.js("return window.__downloads.length").await.map(|v| v.as_u64().unwrap_or(0) as usize);
    poll(std::time::Duration::from_secs(30), async || {
        done_or(got().await? >= n, || format!("download {n} never came"))
    })
    .await?;
    let i = n - 1;
    let name = b.js(&format!("return window.__downloads[{i}].name")).await?;
    let text = b
        .client
        .execute_async(
            &format!("const done = arguments[arguments.length - 1]; window.__downloads[{i}].blob.text().then(done, e => done('ERROR ' + e));"),
            vec![],
        )
        .await?;
    Ok((name.as_str().unwrap_or_default().to_owned(), text.as_str().unwrap_or_default().to_owned()))
}

/// RFC 4180 fields of one CSV record without quotes inside (enough for the columns checked).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut cur, mut quoted) = (String::new(), false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn facets_count_the_matching_rows_and_filter_by_a_click() -> Result {
    let b = Browser::app().await?;
    b.load_demo().await?;
    b.click_text(".rail button", "Auth").await?;
    let all = number(&b.wait_text(".count", "auth attempts").await?);
    // The first user listed, with its count: a click filters to exactly that many.
    let facet = b.wait_text(".facets[aria-busy=false]", "User").await?;
    assert!(facet.contains("distinct"), "{facet}");
    let (user, n) = {
        let v = b.js("const li = Array.from(document.querySelectorAll('.facet')).find(f => f.querySelector('h3').textContent.startsWith('User')).querySelector('li'); return [li.querySelector('.facet-text').textContent, li.querySelector('.facet-count').textContent]").await?;
        (v[0].as_str().unwrap_or_default().to_owned(), number(v[1].as_str().unwrap_or_default()))
    };
    assert!(n > 0 && n < all, "{user} {n} of {all}");
    b.click_text(".facet-value", &user).await?;
    b.wait_text(".count", &format!("{n} of {all} auth attempts match")).await?;
    let query = b.query().await?;
    assert!(query.contains(&format!("user:{user}")), "{query}");
    // The facets now count only those rows (once recounted: until then the previous counts
    // stay, marked busy): the user facet has that one user.
    b.wait_for(".facets[aria-busy=false]").await?;
    let users = b.js("return Array.from(document.querySelectorAll('.facet')).find(f => f.querySelector('h3').textContent.startsWith('User')).querySelectorAll('li').length").await?;
    assert_eq!(users, 1);
    // The − button excludes a value: the count drops by that value's rows.
    let (addr, m) = {
        let v = b.js("const li = Array.from(document.querySelectorAll('.facet')).find(f => f.querySelector('h3').textContent.startsWith('Remote')).querySelector('li'); li.querySelector('.facet-not').click(); return [li.querySelector('.facet-text').textContent, li.querySelector('.facet-count').textContent]").await?;
        (v[0].as_str().unwrap_or_default().to_owned(), number(v[1].as_str().unwrap_or_default()))
    };
    b.wait_text(".count", &format!("{} of {all} auth attempts match", n - m)).await?;
    let query = b.query().await?;
    assert!(query.contains(&format!("-addr:{addr}")), "{query}");
    // The user clicked again: that filter comes out, the exclusion stays.
    b.click_text(".facet-value", &user).await?;
    b.wait_text_gone(".count", &format!("{} of {all}", n - m)).await?;
    let query = b.query().await?;
    assert_eq!(query, format!("-addr:{addr}"));
    let count = number(&b.text(".count").await?);
    assert!(count > n - m, "more than that user's: {count}");
    Ok(())
}

/// Presses the left button at 75 % of `css`'s width and releases it below the element, with
/// real input (WebDriver's actions, through the browser, not events made in the page): a hand
/// that overshoots.
async fn drag_out_of(b: &Browser, css: &str) -> Result {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    let r = b.js(&format!("const r = document.querySelector('{css}').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]")).await?;
    let v = |i: usize| r[i].as_f64().unwrap_or(0.0);
    let (x0, y0) = (v(0) + v(2) * 0.75, v(1) + v(3) / 2.0);
    let (x1, y1) = (v(0) + v(2) * 0.95, v(1) + v(3) + 120.0);
    let step = Some(std::time::Duration::from_millis(20));
    let mut hand = MouseActions::new("hand".into())
        .then(PointerAction::MoveTo { duration: None, x: x0.round(), y: y0.round() })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT });
    for i in 1..=4 {
        let f = f64::from(i) / 4.0;
        let (x, y) = ((x0 + (x1 - x0) * f).round(), (y0 + (y1 - y0) * f).round());
        hand = hand.then(PointerAction::MoveTo { duration: step, x, y });
    }
    hand = hand.then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    b.client.perform_actions(hand).await?;
    b.client.release_actions().await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn a_drag_that_ends_outside_the_histogram_or_the_timeline_still_counts() -> Result {
    let b = Browser::app().await?;
    b.load(&[fixture(EXAMPLES)]).await?;
    // The session timeline's axis zooms in.
    b.click_text(".rail button", "Sessions").await?;
    let ticks = "return [...document.querySelectorAll('.axis .tick')].map(t => t.textContent).join(' ')";
    b.wait_for(".axis .tick").await?;
    let before = b.js(ticks).await?;
    drag_out_of(&b, ".axis").await?;
    poll(std::time::Duration::from_secs(5), async || {
        let now = b.js(ticks).await?;
        done_or(now != before, || format!("the axis still reads {now}"))
    })
    .await?;
    // The histogram narrows the query's time range.
    b.click_text(".rail button", "Events").await?;
    b.wait_text(".count", "events").await?;
    b.wait_for(".hist-bars .hbar").await?;
    drag_out_of(&b, ".hist-bars").await?;
    poll(std::time::Duration::from_secs(5), async || {
        let q = b.query().await?;
        done_or(q.contains("time>="), || format!("query {q:?}"))
    })
    .await
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn dragging_across_the_histogram_narrows_the_time_range() -> Result {
    let b = Browser::app().await?;
    b.load(&[fixture(EXAMPLES)]).await?;
    b.click_text(".rail button", "Events").await?;
    let all = number(&b.wait_text(".count", "events").await?);
    b.wait_for(".hist-bars .hbar").await?;
    // Press on the last quarter of the bars and drag to the end.
    b.js(r#"
        const bars = document.querySelector('.hist-bars'), r = bars.getBoundingClientRect(), y = r.top + r.height / 2;
        const at = (type, x) => bars.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: y, button: 0, bubbles: true }));
        at('pointerdown', r.left + r.width * 0.75); at('pointermove', r.left + r.width * 0.9); at('pointermove', r.right - 1); at('pointerup', r.right - 1);
    "#)
    .await?;
    let count = b.wait_text(".count", "events match").await?;
    let n = number(&count);
    assert!(n > 0 && n < all, "a part of the events: {count}");
    let query = b.query().await?;
    assert!(query.contains("time>=") && query.contains("time<"), "{query}");
    // A double-click widens the range again.
    b.js("document.querySelector('.hist-bars').dispatchEvent(new MouseEvent('dblclick', { bubbles: true }))").await?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let wider = loop {
        let c = number(&b.text(".count").await?);
        if c > n || std::time::Instant::now() > deadline {
            break c;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(wider > n, "a double-click widens the range: {wider} vs {n}");
    // From the range brushed (not the narrower span of its matches): it holds that range.
    let widened = b.query().await?;
    let bound =
        |q: &str, op: &str| q.split(' ').find_map(|t| t.strip_prefix(op)).map(str::to_owned).unwrap_or_default();
    assert!(bound(&widened, "time>=") < bound(&query, "time>="), "{widened} vs {query}");
    assert!(bound(&widened, "time<") > bound(&query, "time<"), "{widened} vs {query}");
    assert!(!bound(&widened, "time>=").contains('.'), "whole seconds: {widened}");
    // The histogram now spans only that range; clearing it brings every event back.
    b.click_text(".histogram button", "Clear time range").await?;
    b.wait_text(".count", &format!("{all} events")).await?;
    let query = b.query().await?;
    assert!(!query.contains("time"), "{query}");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn an_export_holds_the_matching_rows_with_file_line_and_hash() -> Result {
    let b = Browser::app().await?;
    b.load(&[fixture(EXAMPLES)]).await?;
    b.click_text(".rail button", "Auth").await?;
    b.js("const s = document.querySelector('.filters select'); s.value = 'failure'; s.dispatchEvent(new Event('change', {bubbles: true}));").await?;
    let count = b.wait_text(".count", "auth attempts match").await?;
    let n = number(&count) as usize;
    catch_downloads(&b).await?;
    b.click_text(".export button", "CSV").await?;
    let (name, csv) = download(&b, 1).await?;
    assert!(name.starts_with("teleport-auth-") && name.ends_with(".csv"), "{name}");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), n + 1, "a header and one line per matching row:\n{csv}");
    let header = fields(lines[0]);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name} in {header:?}"));
    let (outcome, file, line, sha) = (col("outcome"), col("file"), col("line"), col("sha256"));
    // The hash is the file's, as sha256sum computes it; each line number points at the line.
    let out = std::process::Command::new("sha256sum").arg(fixture(EXAMPLES)).output()?;
    let expected = String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap_or_default().to_owned();
    let source = std::fs::read_to_string(fixture(EXAMPLES))?;
    for row in &lines[1..] {
        let f = fields(row);
        assert_eq!(f[outcome], "failure", "{row}");
        assert!(f[file].ends_with("webapps-Audit-fixtures-events.jsonl"), "{row}");
        assert_eq!(f[sha], expected, "{row}");
        let at: usize = f[line].parse()?;
        let original = source.lines().nth(at - 1).unwrap_or_default();
        assert!(
            original.contains("\"success\":false") || original.contains("T1000W") || original.contains("W\""),
            "line {at} is a failure: {original}"
        );
    }
    // NDJSON carries the original line itself.
    b.click_text(".export button", "NDJSON").await?;
    let (name, ndjson) = download(&b, 2).await?;
    assert!(name.ends_with(".ndjson"), "{name}");
    let records: Vec<serde_json::Value> =
        ndjson.lines().map(serde_json::from_str).collect::<std::result::Result<_, _>>()?;
    assert_eq!(records.len(), n);
    for r in &records {
        let at = r["line"].as_u64().unwrap_or(0) as usize;
        assert_eq!(r["raw"].as_str(), source.lines().nth(at - 1), "the raw line is the file's line {at}");
    }
    // The files' hashes in sha256sum format: `sha256sum -c` would accept them beside the file.
    b.click_text(".rail button", "Overview").await?;
    b.click_text("button", "SHA-256 sums").await?;
    let (name, sums) = download(&b, 3).await?;
    assert!(name.ends_with(".sha256"), "{name}");
    assert_eq!(sums, format!("{expected}  webapps-Audit-fixtures-events.jsonl\n"));
    Ok(())
}

/// The worker reads lines with helpers written for wasm's vector instructions, which the native
/// tests cannot run: strings with a quote, a backslash or an escape at every place around 16
/// bytes, and lines with raw control characters, read in the browser, give the events, users,
/// logins and messages the core reads natively from the same lines.
#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn tricky_strings_read_in_the_browser_as_the_core_reads_them() -> Result {
    let mut text = String::new();
    for k in 0..40 {
        for (p, piece) in
            [r#"\""#, r"\\", r"\n", r"\u00e9", r"\/", "é", r"\ud83d\ude00", "\t", "\u{1}"].iter().enumerate()
        {
            let value = format!("{}{piece}{}", "a".repeat(k), "b".repeat(40 - k));
            let short = format!("{}{piece}", "l".repeat(k % 17));
            text.push_str(&format!(
                r#"{{"event":"user.login","uid":"u-{k}-{p}","time":"2024-03-01T10:{k:02}:{p:02}Z","user":"{value}","login":"{short}","x":"{value}","error":"{short}{value}"}}"#
            ));
            text.push('\n');
        }
    }
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("tricky.log");
    std::fs::write(&path, &text)?;
    let expected: Vec<_> = text.lines().filter_map(|l| review_core::audit::parse_line(l.as_bytes()).ok()).collect();
    assert!(expected.len() > 200 && expected.len() < 360, "some lines are events, some not: {}", expected.len());

    let b = Browser::app().await?;
    b.load(&[path]).await?;
    b.wait_loaded().await?;
    b.click_text(".rail button", "Events").await?;
    b.wait_text(".count", &format!("{} events", expected.len())).await?;
    catch_downloads(&b).await?;
    b.click_text(".export button", "NDJSON").await?;
    let (_, ndjson) = download(&b, 1).await?;
    let records: Vec<serde_json::Value> =
        ndjson.lines().map(serde_json::from_str).collect::<std::result::Result<_, _>>()?;
    assert_eq!(records.len(), expected.len());
    for r in &records {
        let raw = r["raw"].as_str().unwrap_or_default();
        let e = review_core::audit::parse_line(raw.as_bytes()).map_err(|e| format!("{raw}: {e:?}"))?;
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        assert_eq!(text(&r["user"]), e.user.as_deref().unwrap_or_default(), "{raw}");
        assert_eq!(text(&r["login"]), e.login.as_deref().unwrap_or_default(), "{raw}");
        assert_eq!(text(&r["message"]), e.error.as_deref().unwrap_or_default(), "{raw}");
    }
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn the_dashboard_counts_agree_with_the_tables_and_lead_to_them() -> Result {
    let b = Browser::app().await?;
    b.load_demo().await?;
    b.click_text(".rail button", "Dashboard").await?;
    let cards = b.wait_text(".dashboard .cards", "failed").await?;
    let failed = b.js("return Array.from(document.querySelectorAll('.dashboard .card')).find(c => c.textContent.includes('failed')).querySelector('.value').textContent").await?;
    let failed = number(failed.as_str().unwrap_or_default());
    assert!(failed > 0, "{cards}");
    // The failures card leads to the auth table, filtered to exactly those.
    b.click_text(".dashboard .card", "failed").await?;
    b.wait_text(".count", &format!("{failed} of")).await?;
    // The heatmap has a cell per weekday and hour.
    b.click_text(".rail button", "Dashboard").await?;
    b.wait_for("table.heatmap").await?;
    let cells = b.js("return document.querySelectorAll('table.heatmap td').length").await?;
    assert_eq!(cells, 7 * 24);
    // A cell leads to exactly its attempts; a session-length bar to exactly its sessions.
    let label = b.js("const c = Array.from(document.querySelectorAll('table.heatmap td button')).find(b => !b.getAttribute('aria-label').includes(': 0 attempts')); c.click(); return c.getAttribute('aria-label')").await?;
    let label = label.as_str().unwrap_or_default().to_owned();
    let attempts = number(label.split(": ").nth(1).unwrap_or_default());
    b.wait_text(".count", &format!("{attempts} of")).await?;
    let query = b.query().await?;
    assert!(query.contains("weekday:") && query.contains("hour:"), "{query} for {label}");
    b.click_text(".querybar button", "Clear filter").await?;
    b.click_text(".rail button", "Dashboard").await?;
    // The dashboard is asked for afresh: wait for its answer before reading it.
    b.wait_text(".dashboard", "< 10 min").await?;
    let bar = b.js("const r = Array.from(document.querySelectorAll('.dashboard table.top tr')).find(r => r.textContent.includes('< 10 min')); const n = r.querySelector('.num').textContent; r.querySelector('button').click(); return n").await?;
    let sessions = number(bar.as_str().unwrap_or_default());
    b.wait_text(".count", &format!("{sessions} of")).await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn the_case_report_is_one_inert_html_file_with_the_findings_and_hashes() -> Result {
    let b = Browser::app().await?;
    b.load_demo().await?;
    b.wait_text(".rail", "Findings").await?;
    b.click_text(".rail button", "Findings").await?;
    b.wait_text(".finding-list", "Brute force from 185.220.101.47").await?;
    catch_downloads(&b).await?;
    b.click_text(".header button", "Case report").await?;
    let (name, html) = download(&b, 1).await?;
    assert!(name.starts_with("teleport-case-report-") && name.ends_with(".html"), "{name}");
    assert!(html.contains("Brute force from 185.220.101.47"), "the findings are in it");
    assert!(!html.to_ascii_lowercase().contains("<script"), "no script at all");
    assert!(html.contains("default-src 'none'"), "and a policy that loads nothing");
    let hashes = html.matches(|c: char| c.is_ascii_hexdigit()).count();
    assert!(hashes > 64, "the files' SHA-256 are listed");
    // The findings on their own, as NDJSON: one line each, every event with its file, line, hash.
    let shown = b.js("return document.querySelectorAll('.finding').length").await?.as_u64().unwrap_or(0) as usize;
    b.click_text(".findings button", "Export findings").await?;
    let (name, ndjson) = download(&b, 2).await?;
    assert!(name.ends_with(".ndjson"), "{name}");
    let findings: Vec<serde_json::Value> =
        ndjson.lines().map(serde_json::from_str).collect::<std::result::Result<_, _>>()?;
    assert_eq!(findings.len(), shown);
    for f in &findings {
        let events = f["events"].as_array().ok_or("events")?;
        assert!(!events.is_empty(), "{f}");
        for e in events {
            assert!(e["file"].as_str().is_some_and(|p| !p.is_empty()), "{e}");
            assert!(
                e["line"].as_u64().is_some_and(|l| l > 0) && e["sha256"].as_str().is_some_and(|h| h.len() == 64),
                "{e}"
            );
        }
    }
    // The overview's two documents: the files' hashes as `sha256sum -c` reads them, and the
    // file list as CSV, one row per file of the overview's table.
    b.click_text(".rail button", "Overview").await?;
    // The files table's heading says how many rows it has ("14 shown").
    let files = number(&b.wait_text(".overview h2 .small", "shown").await?);
    b.click_text(".overview button", "SHA-256 sums").await?;
    let (name, sums) = download(&b, 3).await?;
    assert!(name.ends_with(".sha256"), "{name}");
    let lines: Vec<&str> = sums.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let (hash, path) = line.split_once("  ").ok_or(format!("not `hash  path`: {line}"))?;
        assert!(hash.len() == 64 && hash.bytes().all(|c| c.is_ascii_hexdigit()) && !path.is_empty(), "{line}");
    }
    b.click_text(".overview button", "Export file list").await?;
    let (name, csv) = download(&b, 4).await?;
    assert!(name.ends_with(".csv"), "{name}");
    assert!(csv.lines().next().is_some_and(|h| h.contains("sha256")), "a header naming the hash column");
    assert!(files > 0);
    assert_eq!(csv.lines().count() - 1, files as usize, "one row per file of the overview's table");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn the_query_bar_completes_fields_and_values_and_points_at_errors() -> Result {
    let b = Browser::app().await?;
    b.load_demo().await?;
    b.click_text(".rail button", "Auth").await?;
    let all = number(&b.wait_text(".count", "auth attempts").await?);
    let input = b.client.find(fantoccini::Locator::Css("#query")).await?;
    // A field name completes with Tab.
    input.send_keys("us").await?;
    b.wait_text(".completions", "user:").await?;
    input.send_keys("\u{E004}").await?; // Tab
    let q = b.query().await?;
    assert_eq!(q, "user:");
    // Then the values of that field in the loaded data, with their counts.
    input.send_keys("fr").await?;
    let list = b.wait_text(".completions", "frank@acme.io").await?;
    assert!(list.contains("events"), "{list}");
    input.send_keys("\u{E015}\u{E007}").await?; // ArrowDown, Enter: choose it
    let q = b.query().await?;
    assert_eq!(q.trim_end(), "user:frank@acme.io");
    input.send_keys("\u{E007}").await?; // Enter: apply
    let count = b.wait_text(".count", "auth attempts match").await?;
    assert!(number(&count) < all, "{count}");
    // A syntax error is shown under the query, at its place, with what was expected.
    input.send_keys(" (outcome:").await?;
    let error = b.wait_text(".query-error", "expected").await?;
    assert!(error.contains("at "), "{error}");
    assert_eq!(b.js("return document.getElementById('query').getAttribute('aria-invalid')").await?, "true");
    // Applied, a query that names no field shows nothing, not everything, and says why; its
    // export is refused rather than made of every row.
    input.send_keys("\u{E009}a\u{E009}\u{E003}usr:frank\u{E007}").await?; // Ctrl+A, Backspace, type, Enter
    b.wait_text(".count.error", "Nothing is shown until it is fixed").await?;
    b.wait_text(".tbody", "No rows match.").await?;
    b.click_text(".tools button", "CSV").await?;
    b.wait_text("body", "Nothing was exported: the query has an error").await?;
    Ok(())
}
