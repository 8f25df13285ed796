//! Offline and static hosting: the built app from a deep sub-path of a plain static server, the
//! installed app with the server gone, and the single self-contained HTML file from disk.

use crate::harness::{serve, Browser, Result};
use crate::recordings;
use crate::watch;
use std::path::{Path, PathBuf};

/// Loads the demo data set and waits for it: the number of events read.
async fn load_demo(b: &Browser) -> Result<u64> {
    b.load_demo().await?;
    let card = b.wait_text(".cards .card:nth-child(2)", "events").await?;
    Ok(card.chars().take_while(|c| !c.is_alphabetic()).filter(char::is_ascii_digit).collect::<String>().parse()?)
}

/// Reads the test recording through the file input, opens it and plays it to its end.
async fn replay_a_picked_recording(b: &Browser, dir: &Path) -> Result {
    // Counted on top of what is loaded already (the demo data, in some tests).
    let before = b.text(".header .loaded").await?;
    let files: u32 = before.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    b.load(&[recordings::audit_log(dir), recordings::protostream(dir)]).await?;
    let counts = b.wait_text(".header .loaded", &format!("{} files", files + 2)).await?;
    assert!(files > 0 || counts.starts_with("2 files · 2 events"), "{counts}");
    b.click_text(".rail button", "Recordings").await?;
    b.wait_text(".tbody", "carol").await?;
    b.click(".tbody .play-rec").await?;
    crate::wait_screen(b, "carol@db-9:~#").await?;
    b.click(".controls .play").await?;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let time = b.text(".controls .time").await?;
    assert!(!time.starts_with("0:00 "), "time advances while playing: {time}");
    b.js("const s = document.querySelector('.seekbar'); s.focus(); s.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));").await?;
    crate::wait_screen(b, "done$").await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn the_app_works_from_a_deep_sub_path() -> Result {
    let server = serve("/some/deep/path/");
    let tmp = tempfile::tempdir()?;
    let b = Browser::chromium().await?;
    watch::guard(&b).await?;
    b.open_app_at(&server.url).await?;
    let first = watch::record(&b).await?;
    assert!(load_demo(&b).await? > 100);
    replay_a_picked_recording(&b, tmp.path()).await?;
    // The offline cache belongs to the sub-path too.
    let scope = watch::until(&b, "navigator.serviceWorker.ready.then(r => r.scope)").await?;
    assert_eq!(scope, server.url.as_str());
    watch::assert_clean(&b, &server.url, &first).await?;
    // Nothing was asked for outside the app's folder (no /favicon.ico, no /sw.js, no /demo/).
    let outside: Vec<String> = server.requests().into_iter().filter(|p| !p.starts_with("/some/deep/path/")).collect();
    assert!(outside.is_empty(), "requests outside the app's folder: {outside:?}");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app: run scripts/test"]
async fn the_installed_app_works_with_the_network_off() -> Result {
    let server = serve("/review/");
    let url = server.url.clone();
    let tmp = tempfile::tempdir()?;
    let b = Browser::chromium().await?;
    watch::guard(&b).await?;
    b.open_app_at(&url).await?;
    // First visit: the service worker installs and caches every file of the build, and the
    // page is installable (a manifest with a relative start URL, an icon, offline support).
    watch::until(&b, "navigator.serviceWorker.ready.then(r => r.active.state)").await?;
    let cached = watch::until(&b, "caches.keys().then(k => Promise.all(k.map(n => caches.open(n).then(c => c.keys())))).then(l => l.flat().length)").await?;
    let files = count_files(&crate::harness::dist())?;
    assert_eq!(cached.as_u64(), Some(files - 1), "every file of dist/ but sw.js is cached");
    let manifest = b.cdp("Page.getAppManifest", serde_json::json!({})).await?;
    assert_eq!(manifest["errors"].as_array().map(Vec::len), Some(0), "manifest errors: {manifest}");
    let installability = b.cdp("Page.getInstallabilityErrors", serde_json::json!({})).await?;
    assert_eq!(installability["installabilityErrors"], serde_json::json!([]), "not installable");

    // The network goes away: the server stops, and the page is told it is offline.
    server.stop();
    b.cdp("Network.enable", serde_json::json!({})).await?;
    b.cdp(
        "Network.emulateNetworkConditions",
        serde_json::json!({ "offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
    )
    .await?;
    let refused =
        b.js("return fetch('./sw.js?bypass', {cache: 'no-store'}).then(() => 'answered', () => 'refused')").await?;
    assert_eq!(refused, "refused", "the network is really off");

    // A fresh start of the app, from the cache alone: demo data, a picked file, a replay.
    b.client.goto(&url).await?;
    b.wait_for(".header h1").await?;
    let first = watch::record(&b).await?;
    let controlled = b.js("return navigator.serviceWorker.controller !== null").await?;
    assert_eq!(controlled, true, "the page is served by the offline cache");
    assert!(load_demo(&b).await? > 100, "the demo data set works offline");
    replay_a_picked_recording(&b, tmp.path()).await?;
    watch::assert_clean(&b, &url, &first).await?;
    Ok(())
}

fn count_files(dir: &Path) -> Result<u64> {
    let mut n = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        n += if path.is_dir() { count_files(&path)? } else { 1 };
    }
    Ok(n)
}

/// The single-file build: `E2E_SINGLE`, else `dist-single/teleport-review.html`.
fn single_file() -> PathBuf {
    let file = std::env::var_os("E2E_SINGLE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("dist-single/teleport-review.html"));
    assert!(file.exists(), "no single-file build at {}: run scripts/single-file (scripts/test does)", file.display());
    file
}

fn file_url(path: &Path) -> Result<String> {
    Ok(url::Url::from_file_path(path.canonicalize()?).map_err(|_| "not an absolute path")?.to_string())
}

#[tokio::test]
#[ignore = "needs the single-file build: run scripts/test"]
async fn the_single_file_opens_from_disk_and_replays_a_recording() -> Result {
    let page = file_url(&single_file())?;
    let tmp = tempfile::tempdir()?;
    let b = Browser::chromium().await?;
    watch::guard(&b).await?;
    b.open_app_at(&page).await?;
    let first = watch::record(&b).await?;
    replay_a_picked_recording(&b, tmp.path()).await?;
    watch::assert_clean(&b, "file://", &first).await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the single-file build: run scripts/test"]
async fn the_single_file_holds_the_demo_data() -> Result {
    let page = file_url(&single_file())?;
    let b = Browser::chromium().await?;
    watch::guard(&b).await?;
    b.open_app_at(&page).await?;
    let first = watch::record(&b).await?;
    assert!(load_demo(&b).await? > 100);
    watch::assert_clean(&b, "file://", &first).await?;
    Ok(())
}

/// The single file from disk and the app from a deep sub-path, in whichever browser this run
/// tests (the tests above watch the network and switch it off through Chromium's DevTools;
/// this one is what Firefox can be asked): each reads the demo data and replays a picked
/// recording, and nothing is asked of the server outside the app's folder.
#[tokio::test]
#[ignore = "needs the built app and the single-file build: run scripts/test"]
async fn the_single_file_and_a_sub_path_serve_the_demo_and_a_replay() -> Result {
    let tmp = tempfile::tempdir()?;
    let b = Browser::open().await?;
    b.open_app_at(&file_url(&single_file())?).await?;
    assert!(load_demo(&b).await? > 100);
    assert_eq!(b.symbols_font().await?, "loaded", "the single file holds its font too");
    replay_a_picked_recording(&b, tmp.path()).await?;
    let server = serve("/some/deep/path/");
    b.open_app_at(&server.url).await?;
    assert!(load_demo(&b).await? > 100);
    assert_eq!(b.symbols_font().await?, "loaded");
    replay_a_picked_recording(&b, tmp.path()).await?;
    let outside: Vec<String> = server.requests().into_iter().filter(|p| !p.starts_with("/some/deep/path/")).collect();
    assert!(outside.is_empty(), "requests outside the app's folder: {outside:?}");
    Ok(())
}
