//! Hostile content end to end. Files may have been written by the person under investigation:
//! injection strings go into every field the app displays (user, login, node, command, error,
//! labels, cluster, address, method, event type), into file and folder names, and hostile
//! escape sequences into a recording's terminal output (OSC 8 links, OSC 52 clipboard writes,
//! title changes, DCS/APC/PM/SOS strings, huge CSI parameters, window operations, bells). The
//! app must show all of it as text: no script runs, no dialog, no navigation, no clipboard
//! write, no new element that could run or load anything, and nothing outside the terminal view
//! changes (title, location, the page around the player).

use crate::harness::{app_url, Browser, Result};
use crate::watch;
use review_recording::encode::{self, Event, ProtoOptions, Session};
use serde_json::json;
use std::path::Path;

/// Markup, script and URL injections, template syntax, and terminal escapes inside field text.
const PAYLOADS: &[&str] = &[
    "<img src=x onerror=alert('img')>",
    "<script>alert('script')</script>",
    "\"><svg onload=alert('svg')>",
    "'><iframe src=javascript:alert('iframe')></iframe>",
    "javascript:alert('href')",
    "<a href=\"https://evil.example/\">click</a>",
    "<meta http-equiv=refresh content=\"0;url=https://evil.example/\">",
    "<base href=\"https://evil.example/\">",
    "<style>*{display:none!important}</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<form action=https://evil.example/><button>go</button></form>",
    "{{constructor.constructor('alert(1)')()}} ${alert('template')} #{alert(1)}",
    "\u{1b}]0;PWNED-FIELD-TITLE\u{7}\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[31mred",
    "\u{202e}gol.exe \u{200b}zero\u{feff}width",
    "x\u{0}nul\u{8}\u{8}bs\r\nnewline",
    "%3Cscript%3Ealert(1)%3C/script%3E &lt;img src=x onerror=alert(1)&gt;",
];
const SID: &str = "0badc0de-1111-4222-8333-444455556666";
/// 2024-03-02T09:00:00Z
const T0: i64 = 1_709_370_000_000_000_000;
const MS: i64 = 1_000_000;

/// Every payload in every field: a failed login, a session start, a command, an unknown event.
fn audit_lines() -> String {
    let mut out = String::new();
    for (i, p) in PAYLOADS.iter().enumerate() {
        let time = format!("2024-03-02T09:{:02}:{:02}Z", i / 60, i % 60);
        let mut labels = serde_json::Map::new();
        labels.insert("env".into(), json!(p));
        labels.insert((*p).into(), json!("x"));
        let lines = [
            json!({"event": "user.login", "code": "T1000W", "uid": format!("l{i}"), "time": time, "success": false,
                   "user": p, "method": p, "error": p, "addr.remote": p, "user_agent": p}),
            json!({"event": "session.start", "code": "T2000I", "uid": format!("s{i}"), "time": time, "sid": format!("hostile-{i}"),
                   "user": p, "login": p, "server_hostname": p, "cluster_name": p, "namespace": p, "addr.remote": p,
                   "server_labels": labels, "size": "80:24"}),
            json!({"event": "exec", "code": "T3002I", "uid": format!("x{i}"), "time": time, "sid": format!("hostile-{i}"),
                   "user": p, "login": p, "server_hostname": p, "command": p, "exitError": p, "error": p}),
            json!({"event": p, "uid": format!("u{i}"), "time": time, "user": p}),
        ];
        for line in lines {
            out.push_str(&line.to_string());
            out.push('\n');
        }
    }
    // The recorded session, listed with hostile who-and-where.
    let start = json!({"event": "session.start", "code": "T2000I", "uid": "rec", "time": "2024-03-02T09:00:00Z", "sid": SID,
        "user": PAYLOADS[0], "login": PAYLOADS[2], "server_hostname": PAYLOADS[1], "cluster_name": PAYLOADS[5], "size": "100:30"});
    out.push_str(&start.to_string());
    out.push('\n');
    // Lines that cannot be read, quoting the payloads back in the Problems view.
    out.push_str(&format!("{}\n{{\"event\": {}\n", PAYLOADS[0], json!(PAYLOADS[1])));
    out
}

/// Hostile terminal output, each followed by a marker that must come out on the other side.
fn terminal_sequences() -> Vec<(&'static str, Vec<u8>)> {
    let many_params = format!("\x1b[{}m", "1;".repeat(10_000));
    vec![
        ("OSC 0 title", b"\x1b]0;PWNED-TITLE\x07".to_vec()),
        ("OSC 2 title", b"\x1b]2;PWNED-TITLE-2\x1b\\".to_vec()),
        ("OSC 8 javascript link", b"\x1b]8;;javascript:alert('osc8')\x1b\\click-me\x1b]8;;\x1b\\".to_vec()),
        ("OSC 8 remote link", b"\x1b]8;id=x;https://evil.example/\x07evil-link\x1b]8;;\x07".to_vec()),
        ("OSC 52 clipboard write", b"\x1b]52;c;cHduZWQtY2xpcGJvYXJk\x07".to_vec()),
        ("OSC 52 clipboard query", b"\x1b]52;c;?\x07".to_vec()),
        ("OSC 7 directory", b"\x1b]7;file://evil.example/etc/passwd\x07".to_vec()),
        ("OSC 9 / 777 notifications", b"\x1b]9;PWNED-NOTIFY\x07\x1b]777;notify;PWNED;body\x07".to_vec()),
        ("OSC 1337 inline file", b"\x1b]1337;File=inline=1:PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\x07".to_vec()),
        ("OSC 4/10/11 colours", b"\x1b]4;1;rgb:ff/00/00\x07\x1b]10;?\x07\x1b]11;#000000\x07".to_vec()),
        ("DCS request status", b"\x1bP$q\"p\x1b\\".to_vec()),
        ("DCS sixel", b"\x1bPq#0;2;0;0;0#1;2;100;100;0#1~~@@vv@@~~\x1b\\".to_vec()),
        ("DCS tmux passthrough", b"\x1bPtmux;\x1b\x1b]52;c;cHduZWQ=\x07\x1b\\".to_vec()),
        ("APC kitty graphics", b"\x1b_Gf=100,a=T;iVBORw0KGgo=\x1b\\".to_vec()),
        ("PM and SOS", b"\x1b^privacy message\x1b\\\x1bXstart of string\x1b\\".to_vec()),
        (
            "huge CSI parameters",
            b"\x1b[99999999999999999999999999A\x1b[4294967296;4294967296H\x1b[9999999999X\x1b[65535;65535r\x1b[r\x1b[H"
                .to_vec(),
        ),
        ("CSI repeat 65535", b"x\x1b[65535b\x1b[2J\x1b[H".to_vec()),
        ("window operations", b"\x1b[8;9999;9999t\x1b[3;-1;-1t\x1b[21t\x1b[20t\x1b[14t\x1b[9;1t".to_vec()),
        ("10,000 parameters", many_params.into_bytes()),
        ("status reports", b"\x1b[6n\x1b[5n\x1b[c\x1b[>c\x1b[?996n".to_vec()),
        ("printer", b"\x1b[5iPRINTED\x1b[4i\x1b[i".to_vec()),
        ("mouse and paste modes", b"\x1b[?1000h\x1b[?1003h\x1b[?1006h\x1b[?2004h".to_vec()),
        ("bells", vec![7; 500]),
        ("8-bit C1 controls", b"\x9b31m\x9d0;PWNED-C1\x9c\x90q\x9c".to_vec()),
        ("invalid UTF-8", b"\xff\xfe\xc0\x80\xed\xa0\x80".to_vec()),
        ("full reset", b"\x18\x1bc".to_vec()),
    ]
}

fn recording() -> Session {
    let mut s = Session::new(SID, PAYLOADS[0]);
    s.login = PAYLOADS[2].into();
    s.server_hostname = PAYLOADS[1].into();
    s.cluster = PAYLOADS[5].into();
    s.addr_remote = "203.0.113.9:40000".into();
    let mut t = T0;
    s.push(t, Event::Start { cols: 100, rows: 30 });
    for (i, (_, bytes)) in terminal_sequences().into_iter().enumerate() {
        t += 50 * MS;
        s.push(t, Event::Print(bytes));
        t += 10 * MS;
        s.push(t, Event::Print(format!("\r\nSEQ-{i:02}-OK\r\n").into_bytes()));
    }
    t += 50 * MS;
    let end = "\x1b[2J\x1b[H<img src=x onerror=alert('term')><script>alert('term')</script>\r\nHOSTILE-END\r\n";
    s.push(t, Event::Print(end.as_bytes().to_vec()));
    // A string that never ends: the recording stops inside it.
    s.push(t + 100 * MS, Event::Print(b"\x1b]0;PWNED-never-ends ".to_vec()));
    s.push(t + 500 * MS, Event::End);
    s
}

/// A folder with a hostile name holding an audit log and a recording with hostile names.
fn write_folder(dir: &Path) -> Result<std::path::PathBuf> {
    let root = dir.join("<svg onload=alert('dir')>");
    std::fs::create_dir_all(&root)?;
    std::fs::write(root.join("\"><img src=x onerror=alert('file')>.log"), audit_lines())?;
    std::fs::write(
        root.join("javascript:alert('name') & <b onclick=alert(1)>bold.log"),
        "not an audit line <script>alert(9)</script>\n",
    )?;
    let (name, bytes) = encode::protostream(&recording(), &ProtoOptions::default());
    std::fs::write(root.join(name), bytes)?;
    Ok(root)
}

async fn view(b: &Browser, name: &str, css: &str, needle: &str) -> Result<String> {
    b.click_text(".rail button", name).await?;
    b.wait_text(css, needle).await.map_err(|e| format!("{name}: {e}").into())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn hostile_fields_file_names_and_terminal_output_stay_text() -> Result {
    let tmp = tempfile::tempdir()?;
    let folder = write_folder(tmp.path())?;
    let b = Browser::chromium().await?;
    watch::guard(&b).await?;
    b.open_app("").await?;
    let first = watch::record(&b).await?;
    let own = watch::origin(app_url());
    // A sentinel on the clipboard (where the browser lets the page read it back).
    let _ = b
        .cdp("Browser.grantPermissions", json!({ "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"] }))
        .await;
    let sentinel = watch::until(&b, "navigator.clipboard.writeText('clipboard-sentinel').then(() => navigator.clipboard.readText()).catch(() => 'unreadable')").await?;
    b.js("window.__guard.clipboard.length = 0").await?;

    let input = b.client.find(fantoccini::Locator::Css("input[webkitdirectory]")).await?;
    input.send_keys(&folder.display().to_string()).await?;
    b.wait_loaded().await?;

    // Every view shows the payloads as text.
    let files = b.wait_text(".files-table .tbody", "onerror=alert('file')").await?;
    assert!(
        files.contains("<svg onload=alert('dir')>/")
            && files.contains("javascript:alert('name') & <b onclick=alert(1)>bold.log"),
        "{files}"
    );
    view(&b, "Sessions", ".tbody", PAYLOADS[0]).await?;
    view(&b, "Auth", ".tbody", PAYLOADS[1]).await?;
    // Newest first: the last payloads are on screen.
    let events = view(&b, "Events", ".tbody", PAYLOADS[15]).await?;
    assert!(events.contains('␛'), "escape characters in fields are made visible: {events}");
    b.click(".tbody .tr .td:first-child").await?;
    b.wait_text(".drawer", "onerror").await?;
    view(&b, "Problems", ".tbody", "<b onclick=alert(1)>bold").await?;
    view(&b, "Findings", "body", "").await?;
    view(&b, "Dashboard", ".dashboard", "onerror=alert('img')").await?;
    watch::assert_clean(&b, &own, &first).await?;

    // The recording: listed with hostile names, played through every sequence to its end.
    let listed = view(&b, "Recordings", ".tbody", PAYLOADS[0]).await?;
    assert!(listed.contains(PAYLOADS[1]), "{listed}");
    let around = "return ['.header', '.rail'].map(s => document.querySelector(s)?.outerHTML ?? '').join('\\n')";
    let page_before = b.js(around).await?;
    b.click(".tbody .play-rec").await?;
    b.wait_for(".term-frame .trow").await?;
    b.click(".controls .play").await?;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    b.js("const s = document.querySelector('.seekbar'); s.focus(); s.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));").await?;
    let screen = crate::wait_screen(&b, "HOSTILE-END").await?;
    assert!(screen.contains("<img src=x onerror=alert('term')><script>alert('term')</script>"), "{screen}");
    // Every sequence went through the terminal and was followed by its marker.
    b.click_text(".player-side [role=tab]", "Search").await?;
    b.type_into(".search input[name=pattern]", "-OK").await?;
    b.click(".search button[type=submit]").await?;
    let n = terminal_sequences().len();
    b.wait_text(".player-side .count", &format!("{n} hits")).await?;

    let links = b.js("return document.querySelectorAll('.term-frame a, .term-frame [href]').length").await?;
    assert_eq!(links, 0, "terminal output made a link");
    let leaked = b
        .js("return Array.from(document.querySelectorAll('body *')).filter(e => !e.closest('.term-frame') && e.children.length === 0 && /PWNED|evil-link|click-me/.test(e.textContent)).map(e => e.outerHTML)")
        .await?;
    assert_eq!(leaked, json!([]), "terminal output reached the page outside the terminal");
    assert_eq!(b.js(around).await?, page_before, "the page around the player changed");
    watch::assert_clean(&b, &own, &first).await?;
    let clipboard = watch::until(&b, "navigator.clipboard.readText().catch(() => 'unreadable')").await?;
    assert_eq!(clipboard, sentinel, "the clipboard changed");
    eprintln!("clipboard read back: {clipboard}");

    // Files dropped with names no file system allows: path separators, controls, long names.
    b.click_text(".player-head button", "Back").await?;
    b.click_text(".rail button", "Overview").await?;
    b.js(r#"
        const dt = new DataTransfer();
        const line = '{"event":"user.login","user":"dropped","success":false,"code":"T1000W"}\n';
        for (const name of ['../../<img src=x onerror=alert("drop")>.log', 'a/b\\c\u202etxt.log', '\u0000\u001b]0;PWNED-DROP\u0007.log', 'x'.repeat(5000) + '.log']) {
          dt.items.add(new File([line], name));
        }
        document.querySelector('.app').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    "#)
    .await?;
    b.wait_loaded().await?;
    view(&b, "Overview", ".files-table .tbody", "onerror=alert(\"drop\")").await?;
    watch::assert_clean(&b, &own, &first).await?;
    Ok(())
}
