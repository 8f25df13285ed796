//! No network, provably: everything the app does in one sitting — start, load the demo data,
//! read dropped and picked files, open a recording and play it, install its offline cache — and
//! every request the browser made meanwhile (Chromium's own net log: the page, both workers and
//! the service worker), none of which may leave the app's own origin. The page's
//! Content-Security-Policy must not have had to refuse anything either: a violation means the
//! app tried something the policy forbids (or the policy is too strict for the app).

use crate::harness::{app_url, Browser, Result};
use crate::recordings;
use crate::watch::{self, NetLog};

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn the_app_requests_nothing_outside_its_own_origin() -> Result {
    let tmp = tempfile::tempdir()?;
    let net_log = tmp.path().join("net-log.json");
    let b = Browser::chromium_with(&[format!("--log-net-log={}", net_log.display())]).await?;
    watch::guard(&b).await?;
    b.open_app("").await?;
    let first = watch::record(&b).await?;
    let own = watch::origin(app_url());

    // The demo data set (fetched from demo/), then dropped and picked files (read locally).
    b.load_demo().await?;
    b.js(r#"
        const dt = new DataTransfer();
        dt.items.add(new File(['{"event":"user.login","user":"dropped","success":true,"code":"T1000I"}\n'], '2024-05-05.00:00:00.log'));
        document.querySelector('.app').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    "#)
    .await?;
    b.wait_loaded().await?;
    b.load(&[recordings::audit_log(tmp.path()), recordings::protostream(tmp.path())]).await?;

    // A recording: opened, played for a moment, and seeked to its end.
    b.click_text(".rail button", "Recordings").await?;
    b.click(".tbody .play-rec").await?;
    b.wait_for(".term-frame .trow").await?;
    b.click(".controls .play").await?;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let time = b.text(".controls .time").await?;
    assert!(!time.starts_with("0:00 "), "time advances while playing: {time}");
    b.js("const s = document.querySelector('.seekbar'); s.focus(); s.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));").await?;

    // The offline cache has installed (its requests belong in the log too).
    watch::until(&b, "navigator.serviceWorker.ready.then(r => r.active.state)").await?;
    let seen = watch::assert_clean(&b, &own, &first).await?;
    assert!(seen.resources.iter().any(|r| r.contains("demo/manifest.json")), "the page's record is not empty");

    // Chromium shuts down cleanly and the net log is complete.
    b.quit().await?;
    drop(b);
    let log = NetLog::read(&net_log)?;
    let outside = log.outside(&own);
    assert!(outside.is_empty(), "requests outside {own}:\n  {}", outside.join("\n  "));
    // The log really saw the page, the workers and the service worker.
    for (what, needle) in [
        ("the page", "/demo/manifest.json"),
        ("the workers", "/worker_bg.wasm"),
        ("the service worker", "/sw.js"),
        ("the offline cache filling", "/demo/acme-2024-teleport-15/"),
    ] {
        assert!(
            log.page.iter().any(|u| u.contains(needle)),
            "no request by {what} ({needle}) in the net log: {:?}",
            log.page
        );
    }
    if !log.browser.is_empty() {
        eprintln!("(the browser's own requests, made by no page: {:?})", log.browser);
    }
    Ok(())
}

/// The policy is enforced, and a refused request is seen: a fetch elsewhere, a remote image and
/// an inline script, attempted from inside the page, are refused and reported.
#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn the_policy_refuses_what_the_app_must_never_do() -> Result {
    let b = Browser::chromium().await?;
    watch::guard(&b).await?;
    b.open_app("").await?;
    let fetched =
        b.js("return fetch('https://example.com/x').then(() => 'fetched', (e) => 'refused: ' + e.message)").await?;
    assert!(fetched.as_str().unwrap_or_default().starts_with("refused"), "{fetched}");
    b.js("const i = document.createElement('img'); i.src = 'https://example.com/x.png'; document.body.append(i); i.remove();").await?;
    b.js("const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.append(s);")
        .await?;
    assert_eq!(b.js("return window.__ran === true").await?, false, "an inline script ran");
    let record = watch::until(&b, "new Promise(r => setTimeout(() => r(window.__guard.violations), 300))").await?;
    let violations = record.to_string();
    for directive in ["connect-src", "img-src", "script-src-elem"] {
        assert!(violations.contains(directive), "no {directive} violation reported: {violations}");
    }
    Ok(())
}
