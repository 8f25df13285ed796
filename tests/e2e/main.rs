//! End to end in headless Chromium: the built app, real file input, real worker, what a user
//! sees. These need `dist/` (run through `scripts/test`, which builds it first).

mod chromium_flags;
mod harness;

use flate2::{write::GzEncoder, Compression};
use harness::{done_or, fixture, poll, Browser, Result};
use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::Duration;

const EXAMPLES: &str = "teleport/audit-event-examples/webapps-Audit-fixtures-events.jsonl";

/// A `.log.gz` written at test time: two logins (one failed) and an exec.
fn gz_log(dir: &std::path::Path) -> PathBuf {
    let text = concat!(
        r#"{"event":"user.login","uid":"g1","code":"T1000W","success":false,"user":"gz-user","method":"local","error":"bad password","addr.remote":"192.0.2.7:3000","time":"2024-03-03T08:00:00Z"}"#,
        "\n",
        r#"{"event":"user.login","uid":"g2","code":"T1000I","success":true,"user":"gz-user","method":"local","addr.remote":"192.0.2.7:3001","time":"2024-03-03T08:00:05Z"}"#,
        "\n",
        r#"{"event":"exec","uid":"g3","code":"T3002I","user":"gz-user","command":"uptime","time":"2024-03-03T08:01:00Z"}"#,
        "\n",
    );
    let path = dir.join("2024-03-03.00:00:00.log.gz");
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(text.as_bytes()).unwrap();
    std::fs::write(&path, e.finish().unwrap()).unwrap();
    path
}

fn number(text: &str) -> u64 {
    text.chars()
        .take_while(|c| !c.is_alphabetic())
        .filter(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn audit_logs_chosen_with_the_file_input_are_read_and_counted() -> Result {
    let tmp = tempfile::tempdir()?;
    let b = Browser::app().await?;
    b.load(&[
        fixture(EXAMPLES),
        fixture("audit/bad-lines.log"),
        fixture("audit/hostile-names.log"),
        fixture("audit/notes.txt"),
        gz_log(tmp.path()),
    ])
    .await?;
    // 165 real examples + 3 valid lines around the damage + 3 hostile + 3 from the .gz.
    let balance = b.wait_text(".balance", "events 174").await?;
    assert!(balance.contains("unreadable 4"), "{balance}");
    assert!(b.text(".header .loaded").await?.contains("5 files · 174 events"));
    // The files are hashed once the load is parsed; the overview then stops saying "hashing".
    b.wait_text_gone(".overview", "hashing").await?;
    assert!(!b.text(".files-table").await?.contains("hashing"));
    // Everything that could not be read, with its file and line.
    b.click_text(".rail button", "Problems").await?;
    let problems = b.wait_text(".tbody", "notes.txt").await?;
    for (place, kind) in [
        ("line 2", "invalid JSON"),
        ("line 3", "invalid UTF-8"),
        ("line 4", "not a JSON object"),
        ("line 5", "no \"event\" field"),
    ] {
        let row = problems.lines().collect::<Vec<_>>().join(" ");
        assert!(row.contains(place) && row.contains(kind), "{place} {kind} missing in: {problems}");
    }
    assert!(problems.contains("whole file"), "notes.txt is one problem for the whole file");
    b.assert_no_dialog().await
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn auth_table_filters_and_counts_failures() -> Result {
    let tmp = tempfile::tempdir()?;
    let b = Browser::app().await?;
    b.load(&[
        fixture(EXAMPLES),
        fixture("audit/bad-lines.log"),
        fixture("audit/hostile-names.log"),
        gz_log(tmp.path()),
    ])
    .await?;
    b.click_text(".rail button", "Auth").await?;
    b.wait_text(".count", "15 auth attempts").await?;
    // An attempt without a method shows its event type instead, told apart (muted, titled).
    let typed = b.js("return [...document.querySelectorAll('.tbody span.muted[title^=\"no method in this event\"]')].map(s => s.textContent)").await?;
    assert!(typed.as_array().is_some_and(|a| a.iter().any(|v| v == "recovery_code.used")), "{typed}");
    // Choose "failures" in the outcome filter: the query and the count follow.
    b.js("const s = document.querySelector('.filters select'); s.value = 'failure'; s.dispatchEvent(new Event('change', {bubbles: true}));").await?;
    b.wait_text(".count", "7 of 15 auth attempts match").await?;
    assert_eq!(b.query().await?, "outcome:failure");
    let rows = b.text(".tbody").await?;
    assert!(rows.contains("gz-user") && rows.contains("valid-after"), "{rows}");
    assert!(!rows.contains("valid-before"), "a success is filtered out: {rows}");
    // A failure is marked by an icon and a word, not color alone.
    assert!(rows.contains("✕") && rows.contains("failure"));
    // Clicking an address filters by it (the query is in the URL too).
    b.click_text(".tbody .pivot", "192.0.2.7").await?;
    b.wait_text(".count", "1 of 15 auth attempts match").await?;
    let url = b.client.current_url().await?;
    assert!(url.fragment().unwrap_or_default().contains("auth?q="), "{url}");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn sessions_are_drawn_on_the_timeline_and_open_ones_say_so() -> Result {
    let b = Browser::app().await?;
    b.load(&[fixture(EXAMPLES), fixture("audit/hostile-names.log")]).await?;
    b.click_text(".rail button", "Sessions").await?;
    b.wait_text(".count", "25 sessions").await?;
    let bars = b.js("return document.querySelectorAll('.tbody .bar').length").await?;
    assert!(bars.as_u64().unwrap_or(0) >= 10, "bars drawn: {bars}");
    let open = b.js("return document.querySelectorAll('.tbody .bar.open').length").await?;
    assert!(open.as_u64().unwrap_or(0) >= 1, "sessions without end are drawn as open");
    // Hover details are in the bar's title.
    let title = b.js("return document.querySelector('.tbody .bar').getAttribute('title')").await?;
    assert!(title.as_str().unwrap_or_default().contains(" on "), "{title}");
    // Open a session: its events are listed in the drawer.
    b.click(".tbody .tr .td:first-child").await?;
    b.wait_text(".drawer", "Events (").await?;
    Ok(())
}

/// Says where two labels of the session timeline's axis overlap, or one is cut by the column's
/// edges; empty when every label can be read.
const AXIS_LABEL_CLASHES: &str = r#"
    const axis = document.querySelector('.axis');
    if (!axis) return ['no axis'];
    const cell = axis.closest('.th').getBoundingClientRect();
    const ticks = [...axis.querySelectorAll('.tick')].map(t => [t.textContent, t.getBoundingClientRect()]);
    const clashes = [];
    if (ticks.length === 0) clashes.push('no labels');
    ticks.forEach(([label, r], i) => {
        if (r.left < cell.left - 0.5 || r.right > cell.right + 0.5) clashes.push(`${label} is cut by the column's edge`);
        const next = ticks[i + 1];
        if (next && r.right > next[1].left) clashes.push(`${label} overlaps ${next[0]}`);
    });
    return clashes;
"#;

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn the_timeline_fits_the_matching_sessions() -> Result {
    let b = Browser::app().await?;
    // Sessions from 2019 to 2023; alice's after June 2022 span four months of them.
    b.load(&[fixture(EXAMPLES)]).await?;
    b.click_text(".rail button", "Sessions").await?;
    b.type_into("#query", "user:alice time>=2022-06-01\u{E007}").await?;
    b.wait_text(".count", "of 24 sessions match").await?;
    let spread = "const xs = [...document.querySelectorAll('.tbody .bar')].map(e => parseFloat(e.style.left)); return xs.length > 1 ? Math.max(...xs) - Math.min(...xs) : 0";
    poll(Duration::from_secs(5), async || {
        let spread = b.js(spread).await?.as_f64().unwrap_or(0.0);
        done_or(spread > 50.0, || format!("the bars spread over {spread:.1} % of the axis"))
    })
    .await
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn a_recording_without_terminal_output_says_what_it_holds() -> Result {
    // A desktop session's recording: frames, no prints.
    let tmp = tempfile::tempdir()?;
    let sid = "5eed0000-1111-4222-8333-444455556666";
    let log = (0..3)
        .map(|i| {
            format!(
                "{{\"event\":\"desktop.recording\",\"sid\":\"{sid}\",\"ms\":{},\"time\":\"2024-05-01T10:00:0{i}Z\"}}\n",
                i * 1000
            )
        })
        .collect::<String>();
    let path = tmp.path().join(format!("{sid}.session.log"));
    std::fs::write(&path, log)?;
    let b = Browser::app().await?;
    b.load(&[path]).await?;
    b.click_text(".rail button", "Recordings").await?;
    b.click(".tbody .play-rec").await?;
    let notice = b.wait_text(".player .notices [role=note]", "no terminal output").await?;
    assert!(notice.contains("3 × desktop.recording") && notice.contains("a desktop session"), "{notice}");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn a_recording_published_under_other_names_plays_from_its_stream() -> Result {
    // The real gen-2 recording as published: `npm.tty.events.json` + `npm.tty.stream`.
    let dir = "teleport/gen2-recording-npm";
    let b = Browser::app().await?;
    b.load(&[fixture(&format!("{dir}/npm.tty.events.json")), fixture(&format!("{dir}/npm.tty.stream"))]).await?;
    let cards = b.wait_text(".overview .cards", "sessions, from 2 files").await?;
    assert!(cards.contains("0 lines · 0 files"), "the stream is not reported unreadable: {cards}");
    b.click_text(".rail button", "Recordings").await?;
    let row = b.wait_text(".tbody", "rjones").await?;
    assert!(!row.contains("damaged"), "a pairing is not damage: {row}");
    b.click(".tbody .play-rec").await?;
    let notice = b.wait_text(".player .notices [role=note]", "npm.tty.stream").await?;
    assert!(notice.contains("read as the terminal output"), "{notice}");
    b.js("const s = document.querySelector('.seekbar'); s.focus(); s.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));").await?;
    let end = wait_screen(&b, "added 1397 packages").await?;
    assert!(end.contains("Connection to localhost closed."), "{end}");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn in_a_narrow_window_the_terminal_takes_the_width_and_stays_legible() -> Result {
    let b = Browser::open().await?;
    b.client.set_window_size(800, 900).await?;
    b.open_app("").await?;
    b.load_demo().await?;
    b.click_text(".rail button", "Recordings").await?;
    b.click(".tbody .play-rec").await?;
    b.wait_for(".term .trow").await?;
    let fits = "const f = document.querySelector('.term-frame').getBoundingClientRect(); \
        return [f.width / innerWidth, parseFloat(getComputedStyle(document.querySelector('.term')).fontSize)]";
    poll(Duration::from_secs(5), async || {
        let v = b.js(fits).await?;
        let (share, px) = (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0));
        done_or(share > 0.9 && px >= 8.0, || {
            format!("the terminal takes {:.0} % of the width, its text {px} px", share * 100.0)
        })
    })
    .await
}

/// Waits until the timeline's axis labels fit (see [`AXIS_LABEL_CLASHES`]), else fails.
async fn axis_labels_fit(b: &Browser, when: &str) -> Result {
    poll(Duration::from_secs(5), async || {
        let clashes = b.js(AXIS_LABEL_CLASHES).await?;
        let fit = clashes.as_array().is_some_and(|c| c.is_empty());
        done_or(fit, || format!("{when}: {clashes}"))
    })
    .await
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn the_timeline_axis_labels_fit_the_column_however_wide() -> Result {
    let b = Browser::app().await?;
    // Sessions from 2019 to 2023: years of dates to label in the timeline's column.
    b.load(&[fixture(EXAMPLES)]).await?;
    b.click_text(".rail button", "Sessions").await?;
    b.wait_for(".tbody .bar").await?;
    axis_labels_fit(&b, "at 1400 px").await?;
    // A narrower window, then the drawer taking room beside the table: the labels follow.
    b.client.set_window_size(1000, 900).await?;
    axis_labels_fit(&b, "at 1000 px").await?;
    b.client.set_window_size(1400, 900).await?;
    b.click(".tbody .tr .td:first-child").await?;
    b.wait_text(".drawer", "Events (").await?;
    axis_labels_fit(&b, "with the drawer open").await
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn a_kubernetes_pod_log_loads_with_its_split_event_whole() -> Result {
    let b = Browser::app().await?;
    b.load(&[fixture("audit/pod-log-split-lines.log")]).await?;
    // Two events; two stderr lines of Teleport's own log and a piece whose rest is elsewhere.
    let balance = b.wait_text(".balance", "events 2").await?;
    assert!(balance.contains("unreadable 3"), "{balance}");
    b.click_text(".rail button", "Events").await?;
    // Each event's JSON as Teleport wrote it: read back from its place in the file (alice's),
    // or joined from the runtime's pieces (bob's).
    for (user, fields) in
        [("alice", ["\"uid\": \"u1\"", "\"success\": true"]), ("bob", ["\"uid\": \"u2\"", "\"sid\": \"s1\""])]
    {
        // The row's time cell: other cells hold values that filter when clicked.
        b.js(&format!("[...document.querySelectorAll('.tbody .tr')].find(r => r.textContent.includes('{user}')).querySelector('.td').click()")).await?;
        let raw = b.wait_text(".drawer pre.json", user).await?;
        assert!(fields.iter().all(|f| raw.contains(f)) && !raw.contains("stdout"), "{user}: {raw}");
    }
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn hostile_log_text_is_shown_as_text_and_runs_nothing() -> Result {
    let b = Browser::app().await?;
    b.load(&[fixture("audit/hostile-names.log")]).await?;
    b.click_text(".rail button", "Events").await?;
    let rows = b.wait_text(".tbody", "<img src=x onerror=alert(1)>").await?;
    assert!(rows.contains("root␛[31m"), "the escape character is made visible: {rows}");
    // And drawn, not a box: few system fonts have the control pictures, the app brings its own.
    assert_eq!(b.symbols_font().await?, "loaded");
    assert!(rows.contains("<b onmouseover=alert(3)>node</b>"), "{rows}");
    b.click(".tbody .tr .td:first-child").await?;
    b.wait_text(".drawer pre.json", "onerror").await?;
    let injected = b.js("return document.querySelectorAll('img, b, iframe, object, embed').length + document.querySelectorAll('[onerror],[onmouseover]').length").await?;
    assert_eq!(injected, 0, "no element was made from log text");
    b.assert_no_dialog().await
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn demo_data_is_one_click_away() -> Result {
    let b = Browser::app().await?;
    b.load_demo().await?;
    let events = number(&b.wait_text(".cards .card:nth-child(2)", "events").await?);
    assert!(events > 100, "demo events: {events}");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn dropped_files_are_read() -> Result {
    let b = Browser::app().await?;
    // WebDriver cannot drag from the desktop; a drop event with real File objects exercises the
    // same handler. It is dropped the moment the page appears, before the worker has started.
    b.js(r#"
        const dt = new DataTransfer();
        dt.items.add(new File(['{"event":"user.login","user":"dropped","success":false,"code":"T1000W"}\n'], '2024-05-05.00:00:00.log'));
        dt.items.add(new File(['just text\n'], 'readme.txt'));
        const app = document.querySelector('.app');
        app.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
        app.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    "#)
    .await?;
    b.wait_loaded().await?;
    let files = b.wait_text(".files-table .tbody", "readme.txt").await?;
    assert!(files.contains("2024-05-05.00:00:00.log") && files.contains("not read"), "{files}");
    b.wait_text(".cards", "1\nevents").await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn thousands_of_files_show_their_handoff_and_a_cancel_there_reads_none() -> Result {
    let tmp = tempfile::tempdir()?;
    let files: Vec<PathBuf> = (0..3000)
        .map(|i| {
            let path = tmp.path().join(format!("{i:04}.log"));
            let line = format!(
                r#"{{"event":"user.login","uid":"h{i}","code":"T1000I","success":true,"user":"u{i}","time":"2024-03-03T08:00:00Z"}}"#
            );
            std::fs::write(&path, line + "\n").map(|_| path)
        })
        .collect::<std::io::Result<_>>()?;
    let b = Browser::chromium_app().await?;
    // The handoff costs the page ~0.25 ms a file; slowed tenfold it lasts long enough to stop.
    b.cdp("Emulation.setCPUThrottlingRate", serde_json::json!({ "rate": 10 })).await?;
    b.upload(&files).await?;
    let shown = b.wait_text(".progress", "Handing the files to the reader").await?;
    let of: String = shown.split(" of ").nth(1).unwrap_or("").chars().filter(char::is_ascii_digit).collect();
    assert_eq!(of, "3000", "{shown}");
    b.click_text(".progress button", "Cancel").await?;
    b.cdp("Emulation.setCPUThrottlingRate", serde_json::json!({ "rate": 1 })).await?;
    // Said by the handoff itself, once it has stopped.
    b.wait_text(".notices", "while 3000 files were handed over: none of them was read").await?;
    // Nothing of the drop is read, then or later.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(b.js("return document.querySelector('.progress') === null").await? == serde_json::json!(true));
    assert_eq!(b.text(".header .loaded").await?, "nothing loaded");
    // The page goes on: the next drop is read, and only it.
    b.upload(&files[..3]).await?;
    b.wait_loaded().await?;
    b.wait_text(".header .loaded", "3 events").await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn a_dropped_folder_is_walked_with_a_count_and_a_cancel_there_reads_none() -> Result {
    let tmp = tempfile::tempdir()?;
    let root = tmp.path().join("logs");
    for i in 0..3000 {
        let dir = root.join(format!("auth-{}", i % 30));
        std::fs::create_dir_all(&dir)?;
        let line = format!(
            r#"{{"event":"user.login","uid":"w{i}","code":"T1000W","success":false,"user":"u{i}","time":"2024-03-03T08:00:00Z"}}"#
        );
        std::fs::write(dir.join(format!("{i:04}.log")), line + "\n")?;
    }
    let b = Browser::chromium_app().await?;
    // A real drop of a folder from outside the page, as the browser delivers one. It is let go
    // once the page has taken the drag over, as a hand would be: the browser drops only where
    // the page said it accepts, and a page slowed down may not have said so yet.
    let drop = async || -> Result {
        let data = serde_json::json!({ "items": [], "files": [root.display().to_string()], "dragOperationsMask": 1 });
        let drag = async |kind: &str| {
            b.cdp("Input.dispatchDragEvent", serde_json::json!({ "type": kind, "x": 400, "y": 300, "data": data }))
                .await
        };
        drag("dragEnter").await?;
        poll(Duration::from_secs(20), async || {
            drag("dragOver").await?;
            let taken =
                b.js("return document.querySelector('.app.dragging') !== null").await? == serde_json::json!(true);
            done_or(taken, || "the page never took the drag".into())
        })
        .await?;
        drag("dragOver").await?;
        drag("drop").await?;
        Ok(())
    };
    // Emulated drags are sometimes lost between the last dragover and the drop (seen once in CI
    // with the page slowed tenfold): a drop the page shows no sign of (no bar, no new load) is
    // made again, as a hand would, at most three times.
    let drop = async || -> Result {
        let before = b.js("return (window.__review && window.__review.loads.length) || 0").await?;
        let sign = format!(
            "return document.querySelector('.progress') !== null || ((window.__review && window.__review.loads.length) || 0) > {before}"
        );
        let mut tries = 0;
        loop {
            tries += 1;
            drop().await?;
            let took = poll(Duration::from_secs(8), async || {
                let seen = b.js(&sign).await? == serde_json::json!(true);
                done_or(seen, || "the page shows no sign of the drop".into())
            })
            .await;
            if took.is_ok() || tries == 3 {
                return took;
            }
        }
    };
    // Walking thousands of files takes the page seconds when slowed tenfold.
    b.cdp("Emulation.setCPUThrottlingRate", serde_json::json!({ "rate": 10 })).await?;
    drop().await?;
    b.wait_text(".progress", "Looking through the dropped folders").await?;
    b.click_text(".progress button", "Cancel").await?;
    b.cdp("Emulation.setCPUThrottlingRate", serde_json::json!({ "rate": 1 })).await?;
    b.wait_text(".notices", "while the dropped folders were looked through").await?;
    assert!(b.text(".notices").await?.contains("none of them was read"));
    // Nothing of the drop is read, then or later.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(b.js("return document.querySelector('.progress') === null").await? == serde_json::json!(true));
    assert_eq!(b.text(".header .loaded").await?, "nothing loaded");
    // Dropped again, every file of every subfolder is read; from the walk's bar to the handoff's
    // to the loading bar, there is always one (a watcher notes each change of the bar's text).
    b.js(r#"
        window.__bars = [];
        const note = () => { const p = document.querySelector('.progress span'); const t = p ? p.textContent.split(':')[0].split(' ')[0] : 'none';
            if (window.__bars[window.__bars.length - 1] !== t) window.__bars.push(t); };
        new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
    "#)
    .await?;
    drop().await?;
    b.wait_loaded().await?;
    let bars = b.js("return window.__bars.join(' ')").await?;
    let bars = bars.as_str().unwrap_or_default();
    assert!(
        bars.trim_start_matches("none ").starts_with("Looking Handing Reading"),
        "one bar after another, never none between: {bars}"
    );
    b.wait_text(".header .loaded", "3\u{202f}000 files · 3\u{202f}000 events").await?;
    // A Clear during a walk stops it too: what was loaded goes, and nothing of the drop comes.
    b.cdp("Emulation.setCPUThrottlingRate", serde_json::json!({ "rate": 10 })).await?;
    drop().await?;
    b.wait_text(".progress", "Looking through the dropped folders").await?;
    b.click_text(".header button", "Clear").await?;
    b.cdp("Emulation.setCPUThrottlingRate", serde_json::json!({ "rate": 1 })).await?;
    b.wait_text(".header .loaded", "nothing loaded").await?;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(b.js("return document.querySelector('.progress') === null").await? == serde_json::json!(true));
    assert_eq!(b.text(".header .loaded").await?, "nothing loaded");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn an_open_event_stays_on_screen_while_more_is_loaded_and_the_detections_run_again() -> Result {
    let tmp = tempfile::tempdir()?;
    let b = Browser::app().await?;
    b.load(&[fixture(EXAMPLES)]).await?;
    b.click_text(".rail button", "Events").await?;
    b.click(".tbody .tr").await?;
    b.wait_text(".drawer", "Raw event").await?;
    let heading = b.text(".drawer h2").await?;
    // A watcher notes whether the drawer ever goes blank ("Loading…") from now on.
    b.js(r#"
        window.__blank = false; const d = document.querySelector('.drawer');
        new MutationObserver(() => { if (d.textContent.includes('Loading…')) window.__blank = true; })
            .observe(d, { subtree: true, childList: true, characterData: true });
    "#)
        .await?;
    // More files, then the detections over everything: the data the drawer shows changed
    // version twice; the event it shows did not change.
    b.upload(&[gz_log(tmp.path())]).await?;
    b.wait_text(".header .loaded", "2 files").await?;
    b.wait_text(".rail", "Findings").await?;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(b.js("return window.__blank").await?, serde_json::json!(false), "the drawer went blank");
    assert_eq!(b.text(".drawer h2").await?, heading);
    assert!(b.text(".drawer").await?.contains("Raw event"));
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn a_folder_of_auth_servers_merges_and_folds_duplicates() -> Result {
    let tmp = tempfile::tempdir()?;
    let root = tmp.path().join("log");
    let line = r#"{"event":"user.login","uid":"same-uid","code":"T1000I","success":true,"user":"ha","time":"2024-06-01T00:00:00Z"}"#;
    for (server, extra) in
        [("auth-a", r#"{"event":"exec","uid":"x1","user":"ha","time":"2024-06-01T00:00:01Z"}"#), ("auth-b", "")]
    {
        std::fs::create_dir_all(root.join(server))?;
        std::fs::write(root.join(server).join("2024-06-01.00:00:00.log"), format!("{line}\n{extra}\n"))?;
    }
    let b = Browser::chromium_app().await?;
    let input = b.client.find(fantoccini::Locator::Css("input[webkitdirectory]")).await?;
    input.send_keys(&root.display().to_string()).await?;
    b.wait_loaded().await?;
    let files = b.wait_text(".files-table .tbody", "auth-b").await?;
    assert!(files.contains("log/auth-a/2024-06-01.00:00:00.log"), "relative paths are kept: {files}");
    b.wait_text(".cards", "+1 duplicates folded").await?;
    b.wait_text(".balance", "events 2 + duplicates folded 1").await?;
    Ok(())
}

/// The reader worker parses files too, but only while the model worker has megabytes to do
/// (gzip, which the model takes longest over, makes sure it has): a load like this is shared,
/// and counts what the core counts natively on the same files.
#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn a_big_load_is_parsed_by_both_workers_and_counts_what_the_core_does() -> Result {
    let load = a_big_load_counts_what_the_core_does(&Browser::app().await?).await?;
    assert_eq!(load["streamedBytes"], load["bytes"], "every byte came from the files' byte streams: {load}");
    Ok(())
}

/// Files are read as byte streams into buffers used again; where the browser has no byte
/// streams (`ReadableStreamBYOBReader`), they are read by slices, and count the same.
#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn without_byte_streams_files_are_read_by_slices_and_count_the_same() -> Result {
    let site = tempfile::tempdir()?;
    // The built app with its worker's boot script changed; the rest linked.
    for entry in std::fs::read_dir(harness::dist())? {
        let entry = entry?;
        let to = site.path().join(entry.file_name());
        match entry.file_type()?.is_file() {
            true => std::fs::copy(entry.path(), to).map(drop)?,
            false => std::os::unix::fs::symlink(entry.path(), to)?,
        }
    }
    let boot = site.path().join("worker_boot.js");
    let script = std::fs::read_to_string(&boot)?;
    std::fs::write(&boot, format!("delete self.ReadableStreamBYOBReader;\n{script}"))?;
    let server = harness::Server::start(site.path().to_owned(), "/");
    let b = Browser::open().await?;
    b.open_app_at(&server.url).await?;
    let load = a_big_load_counts_what_the_core_does(&b).await?;
    assert_eq!(load["streamedBytes"], 0.0, "every byte came from slices: {load}");
    Ok(())
}

/// Loads generated logs and checks the counts against the core's; returns the load's figures.
async fn a_big_load_counts_what_the_core_does(b: &Browser) -> Result<serde_json::Value> {
    let tmp = tempfile::tempdir()?;
    let mut paths = Vec::new();
    let mut native = review_core::ingest::Ingest::new(review_core::ingest::Options::default());
    let opts = synth::bulk::BulkOptions { size: 8 << 20, seed: 5, gz_fraction: 1.0, ..Default::default() };
    synth::bulk::generate(&opts, &mut |f| {
        native.add_bytes(&f.path, &f.bytes);
        let path = tmp.path().join(f.path.replace('/', "_"));
        std::fs::write(&path, &f.bytes)?;
        paths.push(path);
        Ok(())
    })?;
    let native = native.finish();
    b.load(&paths).await?;
    b.wait_loaded().await?;
    let (events, duplicates) = (native.events.len(), native.duplicates);
    let balance: String = b.text(".balance").await?.chars().filter(|c| !c.is_whitespace()).collect();
    let expected = format!("events{events}+duplicatesfolded{duplicates}+unreadable0");
    assert!(balance.contains(&expected), "{balance} lacks {expected}");
    // Every byte arrived: a gzip stream cut short is reported even when its lines all came.
    assert!(native.problems.is_empty(), "{:?}", native.problems);
    let problems = b.js("return document.querySelector('.problems-summary')?.textContent ?? ''").await?;
    assert_eq!(problems, "", "no problems are reported");
    let load = b.js("return window.__review.loads.at(-1)").await?;
    let reader = load["readerBytes"].as_f64().unwrap_or(0.0);
    let bytes = load["bytes"].as_f64().unwrap_or(0.0);
    assert!(reader > bytes / 10.0 && reader < bytes, "the reader parsed {reader} of {bytes} bytes");
    Ok(load)
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn the_same_files_added_again_change_no_count() -> Result {
    // The real sample mixes events with a uid and old ones without: all fold the second time.
    let b = Browser::app().await?;
    b.load(&[fixture(EXAMPLES)]).await?;
    b.wait_text(".balance", "events 165 + duplicates folded 0").await?;
    let findings_button = "return [...document.querySelectorAll('.rail button')].find(b => b.textContent.startsWith('Findings')).textContent";
    let findings = b.js(findings_button).await?;
    assert_ne!(findings, serde_json::json!("Findings"), "the sample raises findings");
    b.upload(&[fixture(EXAMPLES)]).await?;
    b.wait_text(".balance", "events 165 + duplicates folded 165").await?;
    b.wait_text(".cards", "+165 duplicates folded").await?;
    // The findings run again over the same events: as many as before.
    poll(Duration::from_secs(10), async || {
        let now = b.js(findings_button).await?;
        done_or(now == findings, || format!("{now} vs {findings}"))
    })
    .await
}

mod fonts;
mod insights;
mod recordings;

/// The visible text of the terminal.
async fn screen_text(b: &Browser) -> Result<String> {
    Ok(b.js("return Array.from(document.querySelectorAll('.term-frame .trow')).map(r => r.textContent).join('\\n')")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

async fn wait_screen(b: &Browser, needle: &str) -> Result<String> {
    poll(Duration::from_secs(20), async || {
        let last = screen_text(b).await?;
        Ok(if last.contains(needle) {
            ControlFlow::Break(last)
        } else {
            ControlFlow::Continue(format!("the terminal never showed {needle:?}; it shows:\n{last}"))
        })
    })
    .await
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn a_recording_plays_seeks_and_is_searched() -> Result {
    let tmp = tempfile::tempdir()?;
    let b = Browser::app().await?;
    b.upload(&[recordings::audit_log(tmp.path()), recordings::protostream(tmp.path())]).await?;
    b.wait_loaded().await?;
    b.click_text(".rail button", "Recordings").await?;
    b.wait_text(".count", "1 recorded sessions").await?;
    b.click(".tbody .play-rec").await?;
    // The first screen: the prompt, in colour.
    wait_screen(&b, "carol@db-9:~#").await?;
    // The end of the recording: scrolled, with the last prompt.
    b.js("const s = document.querySelector('.seekbar'); s.focus(); s.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));").await?;
    let end = wait_screen(&b, "done$").await?;
    assert!(end.contains("line 59 of the long listing"), "{end}");
    assert!(!end.contains("TOP-LIKE"), "the alternate screen was left");
    // Idle gaps are capped: ten idle minutes play as two seconds, so the bar is short; the
    // times written are the recording's (as in the transcript), and the tooltip tells both.
    let played = b.js("return +document.querySelector('.seekbar').getAttribute('aria-valuemax')").await?;
    let played = played.as_i64().unwrap_or(-1);
    assert!((7000..10_000).contains(&played), "capped length: {played} ms");
    let time = b.wait_for(".controls .time").await?;
    let (total, tip) = (time.text().await?, time.attr("title").await?.unwrap_or_default());
    let length = total.rsplit("/ ").next().unwrap_or("");
    assert!(length.starts_with("10:"), "the recording's length, ten idle minutes in it: {total}");
    assert!(tip.ends_with(&format!("plays in 0:0{}", played / 1000)), "{tip}");
    // Search the whole recording, and jump to the hit.
    b.click_text(".player-side [role=tab]", "Search").await?;
    b.type_into(".search input[name=pattern]", "needle").await?;
    b.click(".search button[type=submit]").await?;
    b.wait_text(".player-side .count", "2 hits").await?;
    // Hits are stamped with their time in the recording, after the ten idle minutes, as the
    // transcript stamps them (not with the capped time they play at).
    let stamps = b.js("return [...document.querySelectorAll('ol.hits .mono')].map(e => e.textContent)").await?;
    assert_eq!(stamps, serde_json::json!(["10:02", "10:04"]), "hit times");
    b.click_text("ol.hits button", "echo needle").await?;
    let at_hit = wait_screen(&b, "echo needle").await?;
    assert!(!at_hit.contains("done$"), "the screen is at the hit, not the end: {at_hit}");
    // A colour: ERROR.log is red (ANSI 1 of the terminal palette).
    b.click_text("ol.hits button", "needle-in-haystack").await?;
    let color = b.js("const s = Array.from(document.querySelectorAll('.term-frame span')).find(s => s.textContent === 'ERROR.log'); return s ? getComputedStyle(s).color : 'missing'").await?;
    assert_eq!(color, "rgb(204, 102, 102)");
    // Wide characters were drawn.
    b.js("const s = document.querySelector('.seekbar'); s.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));").await?;
    wait_screen(&b, "done$").await?;
    // Playing moves time forward.
    b.js(
        "document.querySelector('.seekbar').dispatchEvent(new KeyboardEvent('keydown', {key: 'Home', bubbles: true}))",
    )
    .await?;
    b.click(".controls .play").await?;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let t = b.text(".controls .time").await?;
    assert!(!t.starts_with("0:00 "), "time advances while playing: {t}");
    wait_screen(&b, "ls --color").await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn a_text_is_found_inside_the_recordings_and_a_hit_opens_the_player_there() -> Result {
    let tmp = tempfile::tempdir()?;
    let b = Browser::app().await?;
    b.load_demo().await?;
    b.load(&[recordings::audit_log(tmp.path()), recordings::protostream(tmp.path())]).await?;
    b.click_text(".rail button", "Recordings").await?;
    let recorded = number(&b.wait_text(".count", "recorded sessions").await?);
    let search = async |pattern: &str, regex: bool| -> Result<String> {
        b.js(&format!("document.querySelector('.inside input[name=regex]').checked = {regex}")).await?;
        let field = b.wait_for(".inside input[name=pattern]").await?;
        field.clear().await?;
        field.send_keys(pattern).await?;
        b.click(".inside button[type=submit]").await?;
        poll(Duration::from_secs(30), async || {
            let status = b.text(".inside p").await?;
            done_or(!status.starts_with("Searching"), || format!("still {status:?}"))
        })
        .await?;
        b.text(".inside p").await
    };
    // Every recording is searched; only carol's printed the needle, twice.
    let status = search("needle", false).await?;
    assert_eq!(status, format!("2 hits in 1 of {recorded} recordings"));
    let found = b.text(".inside-found").await?;
    assert!(found.contains("carol") && found.contains("10:02") && found.contains("echo needle"), "{found}");
    // A hit opens the player at that moment, with the search run there too.
    b.click_text(".inside-found ol.hits button", "10:04").await?;
    b.wait_text(".player-side .count", "2 hits").await?;
    assert_eq!(b.js("return document.querySelector('.player-side input[name=pattern]').value").await?, "needle");
    let time = b.text(".controls .time").await?;
    assert!(time.starts_with("10:04"), "the player opens at the hit: {time}");
    // From then on the form is the user's: what is typed and ticked stays as results come.
    let field = b.wait_for(".player-side input[name=pattern]").await?;
    field.clear().await?;
    field.send_keys(r"echo ne+dle").await?;
    b.click(".player-side input[name=regex]").await?;
    b.click(".player-side .search button[type=submit]").await?;
    b.wait_text(".player-side .count", "1 hit").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let form = b
        .js("const f = document.querySelector('.player-side .search'); return [f.pattern.value, f.regex.checked]")
        .await?;
    assert_eq!(form, serde_json::json!([r"echo ne+dle", true]));
    b.click_text(".player-head button", "Back").await?;
    // Back in the list, the form says what was searched for.
    let pattern = b.js("return document.querySelector('.inside input[name=pattern]').value").await?;
    assert_eq!(pattern, "needle");
    // The query says which recordings are searched; a pattern that is not a regex says so.
    b.type_into("#query", "user:carol\u{E007}").await?;
    b.wait_text(".count", "1 of").await?;
    assert_eq!(search("needle", false).await?, "2 hits in 1 of 1 recording selected by user:carol");
    let error = search("needle(", true).await?;
    assert!(error.contains("not a regular expression"), "the regex's error is shown: {error}");
    Ok(())
}

/// Presses `k` as a key typed on the page (not into a field).
async fn press(b: &Browser, k: &str) -> Result {
    b.js(&format!(
        "document.body.dispatchEvent(new KeyboardEvent('keydown', {{key: '{k}', bubbles: true, cancelable: true}}))"
    ))
    .await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn a_time_typed_while_local_time_is_shown_means_local_time() -> Result {
    // Berlin: +01:00 in January, +02:00 in July.
    let b = Browser::app_in_time_zone("Europe/Berlin").await?;
    b.load(&[fixture(EXAMPLES)]).await?;
    press(&b, "5").await?;
    // The last four events of the sample were at 2023-01-12T21:31:29Z: 22:31 in Berlin.
    let typed = "time>=2023-01-12T22:31 time<2023-07-01";
    b.type_into("#query", &format!("{typed}\u{E007}")).await?;
    b.wait_text(".count", "0 of 165 events match").await?;
    assert_eq!(b.query().await?, typed, "in UTC the text stays as typed");
    press(&b, "t").await?;
    b.wait_text("button[aria-pressed]", "Local time").await?;
    // What was typed as UTC stays UTC when Enter is pressed again.
    b.type_into("#query", "\u{E007}").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(b.query().await?, typed, "times typed before stay as they were");
    assert!(b.text(".count").await?.contains("0 of 165 events match"), "and select what they did");
    b.click_text(".querybar button", "Clear filter").await?;
    b.wait_text_gone(".count", "match").await?;
    b.type_into("#query", &format!("{typed}\u{E007}")).await?;
    b.wait_text(".count", "4 of 165 events match").await?;
    assert_eq!(b.query().await?, "time>=2023-01-12T22:31+01:00 time<2023-07-01+02:00");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn the_page_and_the_player_answer_their_keys() -> Result {
    let tmp = tempfile::tempdir()?;
    let b = Browser::app().await?;
    b.load(&[recordings::audit_log(tmp.path()), recordings::protostream(tmp.path())]).await?;
    // The page: digits pick views, t switches UTC and local time, ? opens the help.
    press(&b, "5").await?;
    b.wait_text(".count", "events").await?;
    press(&b, "t").await?;
    b.wait_text("button[aria-pressed]", "Local time").await?;
    press(&b, "t").await?;
    b.wait_text("button[aria-pressed]", "UTC").await?;
    press(&b, "?").await?;
    b.wait_text("body", "this help").await?;
    press(&b, "Escape").await?;
    b.wait_text_gone("body", "this help").await?;
    press(&b, "6").await?;
    b.wait_text(".count", "1 recorded sessions").await?;
    b.click(".tbody .play-rec").await?;
    wait_screen(&b, "carol@db-9:~#").await?;
    // The player: digits seek to tenths, arrows by five seconds, Escape closes it.
    let at = async || -> Result<(i64, i64)> {
        let v = b.js("const s = document.querySelector('.seekbar'); return [+s.getAttribute('aria-valuenow'), +s.getAttribute('aria-valuemax')]").await?;
        Ok((v[0].as_i64().unwrap_or(-1), v[1].as_i64().unwrap_or(-1)))
    };
    let seeks_to = async |key: &str, want: &dyn Fn(i64, i64) -> bool| -> Result {
        press(&b, key).await?;
        poll(Duration::from_secs(5), async || {
            let (pos, dur) = at().await?;
            done_or(want(pos, dur), || format!("after {key}: at {pos} of {dur} ms"))
        })
        .await
    };
    seeks_to("5", &|pos, dur| dur > 0 && (pos - dur / 2).abs() <= 1).await?;
    seeks_to("ArrowLeft", &|pos, dur| (pos - (dur / 2 - 5000).max(0)).abs() <= 1).await?;
    seeks_to("9", &|pos, dur| (pos - dur * 9 / 10).abs() <= 1).await?;
    seeks_to("0", &|pos, _| pos == 0).await?;
    // The page's digits do not switch views while the player has them.
    assert!(b.js("return !!document.querySelector('.term')").await?.as_bool().unwrap_or(false), "still playing");
    press(&b, "Escape").await?;
    b.wait_text(".count", "1 recorded sessions").await?;
    assert!(!b.js("return !!document.querySelector('.term')").await?.as_bool().unwrap_or(true), "the player closed");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn an_encrypted_recording_says_so() -> Result {
    let tmp = tempfile::tempdir()?;
    let b = Browser::app().await?;
    b.load(&[recordings::audit_log(tmp.path()), recordings::encrypted(tmp.path())]).await?;
    b.click_text(".rail button", "Recordings").await?;
    let row = b.wait_text(".tbody", "encrypted").await?;
    assert!(row.contains("cannot be replayed here") && row.contains("dave"), "{row}");
    b.assert_no_dialog().await
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn findings_lead_to_exactly_their_events() -> Result {
    let b = Browser::app().await?;
    b.load_demo().await?;
    b.click_text(".rail button", "Findings").await?;
    let list = b.wait_text(".finding-list", "Brute force from 185.220.101.47").await?;
    assert!(list.contains("HIGH") || list.contains("high"), "{list}");
    // The brute-force finding's events: its button says how many, the Events view shows them.
    let button = b.js("const f = Array.from(document.querySelectorAll('.finding')).find(f => f.textContent.includes('Brute force from 185.220.101.47')); const btn = f.querySelector('button:not(.pivot)'); btn.click(); return btn.textContent").await?;
    let n =
        button.as_str().unwrap_or_default().split_whitespace().find_map(|w| w.parse::<u32>().ok()).expect("a count");
    let count = b.wait_text(".count", &format!("{n} of")).await?;
    assert!(count.contains("events match"), "{count}");
    assert!(b.query().await?.starts_with("finding:"));
    // Back in Findings under that query, the view says the query does not filter it.
    b.click_text(".rail button", "Findings").await?;
    b.wait_text(".findings [role=note]", "does not filter findings").await?;
    Ok(())
}

/// Waits (up to 10 s) until `n` findings are drawn.
async fn cards_become(b: &Browser, n: u64) -> Result {
    poll(Duration::from_secs(10), async || {
        let drawn = b.js("return document.querySelectorAll('.finding').length").await?;
        done_or(drawn.as_u64() == Some(n), || format!("{drawn} findings drawn, not {n}"))
    })
    .await
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn many_findings_are_drawn_a_page_at_a_time_and_narrowed_by_rule() -> Result {
    // 250 users, each opening one root shell: a root session that is not routine for its user
    // is a finding, so there are hundreds.
    let tmp = tempfile::tempdir()?;
    let path = tmp.path().join("2024-03-05.00:00:00.log");
    let lines: String = (0..250)
        .map(|i| {
            format!(
                r#"{{"event":"session.start","uid":"r{i}","code":"T2000I","user":"user{i}","login":"root","sid":"s{i}","server_hostname":"node{}","addr.remote":"10.0.{}.{}:4000","time":"2024-03-05T{:02}:{:02}:00Z"}}"#,
                i % 7,
                i / 200,
                i % 200 + 1,
                9 + i / 60,
                i % 60
            ) + "\n"
        })
        .collect();
    std::fs::write(&path, lines)?;
    let b = Browser::app().await?;
    b.load(&[path]).await?;
    b.click_text(".rail button", "Findings").await?;
    let total = number(b.wait_text(".findings .count", "findings").await?.split(' ').rev().nth(1).unwrap_or(""));
    assert!(total > 100, "findings: {total}");
    cards_become(&b, 100).await?; // the first page only
    b.wait_text(".findings .more", &format!("100 of {total} shown")).await?;
    b.click_text(".findings .more button", "Show").await?;
    cards_become(&b, total.min(200)).await?;
    // The rule with the most findings narrows the list to its own.
    let rule = b
        .js("const bs = [...document.querySelectorAll('.by-rule button')]; const n = b => Number(b.querySelector('.n').textContent.replace(/\\D/g, '')); const top = bs.sort((a, c) => n(c) - n(a))[0]; top.click(); return n(top)")
        .await?;
    let narrowed = rule.as_u64().unwrap_or(0);
    assert!(narrowed > 0, "{rule:?}");
    cards_become(&b, narrowed.min(100)).await?;
    let rules = b.js("return [...new Set([...document.querySelectorAll('.finding .small')].map(s => s.textContent.split('·')[0]))]").await?;
    assert_eq!(rules.as_array().map(Vec::len), Some(1), "every finding shown is of the rule picked: {rules}");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn the_keyboard_moves_through_rows_and_failures() -> Result {
    let b = Browser::app().await?;
    b.load(&[fixture(EXAMPLES), fixture("audit/bad-lines.log")]).await?;
    b.click_text(".rail button", "Auth").await?;
    b.wait_text(".count", "auth attempts").await?;
    async fn key(b: &Browser, k: &str) -> Result {
        b.js(&format!("document.body.dispatchEvent(new KeyboardEvent('keydown', {{key: '{k}', bubbles: true}}))"))
            .await?;
        Ok(())
    }
    key(&b, "j").await?;
    key(&b, "j").await?;
    let row = b.wait_for(".tr.cursor").await?.attr("aria-rowindex").await?;
    assert_eq!(row.as_deref(), Some("3"), "two j: the second row");
    // e: the next failure from the cursor; the cursor row then shows a failure.
    key(&b, "e").await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let text = b.text(".tr.cursor").await?;
    assert!(text.contains("failure"), "{text}");
    key(&b, "Enter").await?;
    let opened = b.wait_text(".drawer", "Raw event").await?;
    // With the drawer open, j moves to the next row and the drawer follows it.
    key(&b, "j").await?;
    poll(Duration::from_secs(5), async || {
        let now = b.text(".drawer").await?;
        done_or(now != opened && now.contains("Raw event"), || "the drawer still shows the row the cursor left".into())
    })
    .await?;
    let row = b.wait_for(".tr.cursor").await?.attr("aria-selected").await?;
    assert_eq!(row.as_deref(), Some("true"), "the cursor's row is the one shown");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn back_and_forward_step_through_views_and_queries_and_leaving_asks_first() -> Result {
    let b = Browser::app().await?;
    b.load(&[fixture(EXAMPLES)]).await?;
    let at = async |b: &Browser| -> Result<(String, String)> {
        let view = b.text(".rail [aria-current=page]").await.unwrap_or_default();
        let query = b.js("return (document.getElementById('query') || {}).value || ''").await?;
        Ok((
            view.split_whitespace().next().unwrap_or_default().to_owned(),
            query.as_str().unwrap_or_default().to_owned(),
        ))
    };
    let expect = async |b: &Browser, view: &str, query: &str| {
        poll(Duration::from_secs(5), async || {
            let now = at(b).await?;
            done_or(now == (view.to_owned(), query.to_owned()), || format!("at {now:?}, not {view} {query:?}"))
        })
        .await
    };
    b.click_text(".rail button", "Events").await?;
    b.type_into("#query", "user:alice\u{E007}").await?;
    b.wait_text(".count", "events match").await?;
    b.click_text(".rail button", "Auth").await?;
    expect(&b, "Auth", "user:alice").await?;
    b.client.back().await?;
    expect(&b, "Events", "user:alice").await?;
    b.client.back().await?;
    expect(&b, "Events", "").await?;
    b.client.forward().await?;
    expect(&b, "Events", "user:alice").await?;
    // A link pasted into the tab is followed too.
    b.js("location.hash = '#/findings'").await?;
    expect(&b, "Findings", "").await?;
    // Leaving with evidence loaded has the browser ask first (the page cancels `beforeunload`,
    // which is what makes it ask; WebDriver answers such questions itself); once cleared, not.
    let leaving =
        "const e = new Event('beforeunload', { cancelable: true }); dispatchEvent(e); return e.defaultPrevented";
    assert_eq!(b.js(leaving).await?, true, "loaded: the browser asks");
    b.click_text(".header button", "Clear").await?;
    b.wait_for(".empty").await?;
    assert_eq!(b.js(leaving).await?, false, "nothing loaded: it does not");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn a_permalink_brings_back_the_view_selection_and_moment() -> Result {
    let tmp = tempfile::tempdir()?;
    let files = [recordings::audit_log(tmp.path()), recordings::protostream(tmp.path())];
    let b = Browser::app().await?;
    b.load(&files).await?;
    // Replay, jump to a search hit: the URL names the session and the moment.
    b.click_text(".rail button", "Recordings").await?;
    b.click(".tbody .play-rec").await?;
    wait_screen(&b, "carol@db-9:~#").await?;
    b.click_text(".player-side [role=tab]", "Search").await?;
    b.type_into(".search input[name=pattern]", "needle").await?;
    b.click(".search button[type=submit]").await?;
    b.wait_text(".player-side .count", "2 hits").await?;
    b.click_text("ol.hits button", "echo needle").await?;
    wait_screen(&b, "echo needle").await?;
    let time_before = b.text(".controls .time").await?;
    let url = b.client.current_url().await?;
    let fragment = url.fragment().unwrap_or_default().to_owned();
    assert!(fragment.contains("s=") && fragment.contains("t=") && fragment.contains("play=1"), "{fragment}");
    // A fresh page at that URL, the same files: the player is back at the same moment.
    let again = Browser::open().await?;
    again.open_app(&format!("#{fragment}")).await?;
    again.upload(&files).await?;
    let screen = wait_screen(&again, "echo needle").await?;
    assert!(!screen.contains("done$"), "at the moment, not the end: {screen}");
    assert_eq!(again.text(".controls .time").await?, time_before);
    // Back from a player opened from the list: nothing is open, and the link names nothing.
    b.click_text(".player-head button", "Back").await?;
    let fragment_of = async |b: &Browser| -> Result<String> {
        Ok(b.client.current_url().await?.fragment().unwrap_or_default().to_owned())
    };
    let named = |f: &str| f.split(['?', '&']).any(|p| p.starts_with("s="));
    assert!(!named(&fragment_of(&b).await?), "{}", fragment_of(&b).await?);
    // Opened from the session's drawer, Back returns to that drawer; closing it unnames it.
    b.click_text(".rail button", "Sessions").await?;
    b.click(".tbody .tr .td:first-child").await?;
    b.wait_text(".drawer", "Play recording").await?;
    b.click_text(".drawer button", "Play recording").await?;
    wait_screen(&b, "carol@db-9:~#").await?;
    b.click_text(".player-head button", "Back").await?;
    b.wait_text(".drawer", "Play recording").await?;
    assert!(named(&fragment_of(&b).await?), "{}", fragment_of(&b).await?);
    b.click(".drawer .close").await?;
    poll(Duration::from_secs(5), async || {
        let f = fragment_of(&b).await?;
        Ok(if named(&f) {
            ControlFlow::Continue(format!("the closed drawer's session stays in {f}"))
        } else {
            ControlFlow::Break(())
        })
    })
    .await?;
    // An event opened in the Events view is named by file and line, and comes back too.
    b.click_text(".rail button", "Events").await?;
    b.click(".tbody .tr").await?;
    let opened = b.wait_text(".drawer", "Raw event").await?;
    let heading = b.text(".drawer h2").await?;
    let fragment = b.client.current_url().await?.fragment().unwrap_or_default().to_owned();
    assert!(fragment.starts_with("/events") && fragment.contains("e="), "{fragment}");
    let third = Browser::open().await?;
    third.open_app(&format!("#{fragment}")).await?;
    third.upload(&files).await?;
    let reopened = third.wait_text(".drawer", "Raw event").await?;
    assert_eq!(third.text(".drawer h2").await?, heading);
    assert_eq!(reopened, opened, "the same event, file and line");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn a_file_too_big_to_digest_whole_is_hashed_slice_by_slice_once_loaded() -> Result {
    use sha2::{Digest, Sha256};
    // Over the 256 MiB the browser digests whole: once the load is parsed, the reader reads it
    // again and hashes it slice by slice (sha2); here a file the parser leaves after its first
    // slice (not a log), so that the reader's first read stopped there.
    // Each MiB holds one byte, its number modulo 251, so that no two 4 MiB slices are alike:
    // a slice hashed twice, skipped or out of order gives another hash.
    const MIBS: u32 = 300;
    let tmp = tempfile::tempdir()?;
    let big = tmp.path().join("capture.bin");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&big)?);
    let mut expected = Sha256::new();
    for i in 0..MIBS {
        let mib = vec![(i % 251) as u8; 1 << 20];
        expected.update(&mib);
        std::io::Write::write_all(&mut file, &mib)?;
    }
    std::io::Write::flush(&mut file)?;
    drop(file);
    let expected: String = expected.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let b = Browser::app().await?;
    b.load(&[big, fixture(EXAMPLES)]).await?;
    b.wait_text(".balance", "events 165").await?;
    b.wait_text_gone(".overview", "hashing").await?;
    let hashes = b.js("return [...document.querySelectorAll('.files-table .mono[title]')].map(e => e.title)").await?;
    let is_hash = |h: &&str| h.len() == 64 && h.bytes().all(|c| c.is_ascii_hexdigit());
    let hashes: Vec<&str> =
        hashes.as_array().ok_or("hashes")?.iter().filter_map(|h| h.as_str()).filter(is_hash).collect();
    assert_eq!(hashes.len(), 2, "both files hashed: {hashes:?}");
    assert!(hashes.contains(&expected.as_str()), "{expected} not among {hashes:?}");
    b.assert_no_dialog().await
}

mod hostile;
mod network;
mod offline;
mod serve;
mod watch;
