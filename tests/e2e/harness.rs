//! The built app (`dist/`, from `trunk build`) served on 127.0.0.1, and headless Chromium (and
//! Firefox, for what every user does) driven over WebDriver: what a user sees, checked in a
//! real browser.

use crate::chromium_flags::HEADLESS_CHROMIUM;
pub use crate::serve::Server;
use fantoccini::error::NewSessionError;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::net::TcpListener;
use std::ops::ControlFlow;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A [`poll`] step that is done when `done`, and otherwise says what it saw.
pub fn done_or(done: bool, seen: impl FnOnce() -> String) -> Result<ControlFlow<(), String>> {
    Ok(if done { ControlFlow::Break(()) } else { ControlFlow::Continue(seen()) })
}

/// Asks `probe` every 100 ms, for up to `within`, until it answers `Break(value)`; on timeout,
/// fails with what its last `Continue` said.
pub async fn poll<T>(within: Duration, mut probe: impl AsyncFnMut() -> Result<ControlFlow<T, String>>) -> Result<T> {
    let deadline = Instant::now() + within;
    let mut last = String::from("nothing was checked");
    while Instant::now() < deadline {
        match probe().await? {
            ControlFlow::Break(value) => return Ok(value),
            ControlFlow::Continue(seen) => last = seen,
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(last.into())
}

/// The directory of the built app: `E2E_DIST`, else `dist/` at the workspace root.
pub fn dist() -> PathBuf {
    let dir = std::env::var_os("E2E_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(
        dir.join("index.html").exists(),
        "no built app at {}: run `trunk build --release --offline` first (scripts/test does)",
        dir.display()
    );
    dir
}

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Serves `dist/` once for all tests; returns the base URL.
pub fn app_url() -> &'static str {
    static SERVER: OnceLock<Server> = OnceLock::new();
    &SERVER.get_or_init(|| serve("/")).url
}

/// Serves `dist/` on a server of its own, under `prefix` (e.g. `/some/deep/path/`).
pub fn serve(prefix: &str) -> Server {
    Server::start(dist(), prefix)
}

/// The browsers the app is tested in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Engine {
    Chromium,
    Firefox,
}

impl Engine {
    /// `E2E_BROWSER=firefox` runs the tests in Firefox; otherwise they run in Chromium. Tests
    /// that need Chromium's DevTools open Chromium whatever this says (scripts/test skips them
    /// in its Firefox run).
    pub fn of_this_run() -> Engine {
        match std::env::var("E2E_BROWSER").as_deref() {
            Ok("firefox") => Engine::Firefox,
            Ok("chromium") | Ok("") | Err(_) => Engine::Chromium,
            Ok(other) => panic!("E2E_BROWSER={other:?}: chromium or firefox"),
        }
    }
}

/// A headless browser with its WebDriver server; both end when this is dropped.
pub struct Browser {
    pub client: Client,
    _driver: Driver,
}

/// A WebDriver server, in a process group of its own with the browser it starts.
struct Driver(Child);

impl Drop for Driver {
    /// Ends the driver *and* the browser it started: killing only the driver leaves the browser
    /// running, so the whole process group goes.
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Browser {
    /// A browser on the app's first page.
    pub async fn app() -> Result<Browser> {
        Browser::open().await?.on_first_page().await
    }

    /// A browser on the app's first page whose local time is `zone` (an IANA name): Chromium's
    /// by its DevTools, Firefox's by the `TZ` its process starts with.
    pub async fn app_in_time_zone(zone: &str) -> Result<Browser> {
        match Engine::of_this_run() {
            Engine::Chromium => {
                let b = Browser::chromium_app().await?;
                b.cdp("Emulation.setTimezoneOverride", serde_json::json!({ "timezoneId": zone })).await?;
                Ok(b)
            }
            Engine::Firefox => Browser::firefox_with_env(&[("TZ", zone)]).await?.on_first_page().await,
        }
    }

    async fn on_first_page(self) -> Result<Browser> {
        self.open_app("").await?;
        Ok(self)
    }

    /// Chooses `files` through the file input and waits until they are read.
    pub async fn load(&self, files: &[PathBuf]) -> Result {
        self.upload(files).await?;
        self.wait_loaded().await
    }

    /// Loads the built-in demo data and waits until it is read.
    pub async fn load_demo(&self) -> Result {
        self.click_text(".empty button", "Load demo data").await?;
        self.wait_loaded().await
    }

    /// A browser of the engine this run tests (see [`Engine::of_this_run`]).
    pub async fn open() -> Result<Browser> {
        match Engine::of_this_run() {
            Engine::Chromium => Browser::chromium().await,
            Engine::Firefox => Browser::firefox().await,
        }
    }

    /// A headless Chromium, whatever this run's engine: for tests that need its DevTools.
    pub async fn chromium() -> Result<Browser> {
        Browser::chromium_with(&[]).await
    }

    /// [`Browser::chromium`] on the app's first page.
    pub async fn chromium_app() -> Result<Browser> {
        Browser::chromium().await?.on_first_page().await
    }

    /// A headless Chromium started with extra command-line switches (e.g. `--log-net-log=<file>`).
    pub async fn chromium_with(extra_args: &[String]) -> Result<Browser> {
        let args: Vec<String> =
            HEADLESS_CHROMIUM.iter().map(|a| a.to_string()).chain(extra_args.iter().cloned()).collect();
        let mut chrome = serde_json::json!({ "args": args });
        if let Ok(bin) = std::env::var("CHROME_BIN") {
            chrome["binary"] = bin.into();
        }
        let driver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        Browser::start(&driver, &[], "goog:chromeOptions", chrome).await
    }

    /// A headless Firefox (Debian's ESR unless `FIREFOX_BIN` says otherwise) with geckodriver.
    pub async fn firefox() -> Result<Browser> {
        Browser::firefox_with_env(&[]).await
    }

    /// [`Browser::firefox`] with these environment variables. Firefox inherits the driver's
    /// (the `env` capability did not reach its time zone).
    async fn firefox_with_env(env: &[(&str, &str)]) -> Result<Browser> {
        let binary = std::env::var("FIREFOX_BIN").unwrap_or_else(|_| "/usr/bin/firefox-esr".into());
        let options = serde_json::json!({ "binary": binary, "args": ["-headless", "--width=1400", "--height=900"] });
        let driver = std::env::var("GECKODRIVER").unwrap_or_else(|_| "geckodriver".into());
        Browser::start(&driver, env, "moz:firefoxOptions", options).await
    }

    /// Starts `driver` (with `env`) on a free port and opens a session with the browser's `options`.
    async fn start(
        driver: &str,
        env: &[(&str, &str)],
        options_key: &str,
        options: serde_json::Value,
    ) -> Result<Browser> {
        let port = free_port();
        let process = Command::new(driver)
            .envs(env.iter().copied())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("{driver} could not start (scripts/setup --browser installs it): {e}"))?;
        let process = Driver(process);
        let mut caps = serde_json::Map::new();
        caps.insert(options_key.into(), options);
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => break c,
                // Not listening yet: asked again. Anything else (no such browser, say) is final.
                Err(NewSessionError::Failed(_) | NewSessionError::FailedC(_)) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(150)).await
                }
                Err(e) => return Err(format!("{driver} did not open a browser: {e}").into()),
            }
        };
        client.set_window_size(1400, 900).await?;
        Ok(Browser { client, _driver: process })
    }

    /// Opens the app and waits until its first page is drawn.
    pub async fn open_app(&self, hash: &str) -> Result {
        self.open_app_at(&format!("{}{hash}", app_url())).await
    }

    /// Opens the app at `url` (another server, a sub-path, a file:// page) and waits until its
    /// first page is drawn.
    pub async fn open_app_at(&self, url: &str) -> Result {
        self.client.goto(url).await?;
        self.wait_for(".header h1").await?;
        Ok(())
    }

    /// Runs a Chrome DevTools Protocol command on the page, through ChromeDriver.
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> Result<serde_json::Value> {
        let command = Cdp { cmd: cmd.to_owned(), params };
        self.client.issue_cmd(command).await.map_err(|e| {
            format!("{cmd}: {e} (DevTools are Chromium's: a test that needs them is listed in scripts/test's CHROMIUM_ONLY)")
                .into()
        })
    }

    /// Ends the session the polite way, so that Chromium shuts down and writes out what it
    /// records (e.g. a net log); dropping the Browser afterwards ends what is left.
    pub async fn quit(&self) -> Result {
        self.client.clone().close().await?;
        Ok(())
    }

    pub async fn wait_for(&self, css: &str) -> Result<fantoccini::elements::Element> {
        Ok(self.client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(css)).await?)
    }

    /// Waits until `css`'s text contains `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> Result<String> {
        poll(Duration::from_secs(20), async || {
            let last = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            Ok(if last.contains(needle) {
                ControlFlow::Break(last)
            } else {
                ControlFlow::Continue(format!("{css:?} never contained {needle:?}; last text: {last:?}"))
            })
        })
        .await
    }

    /// The text of the element matching `css` (read again if the page redrew it meanwhile).
    pub async fn text(&self, css: &str) -> Result<String> {
        poll(Duration::from_secs(20), async || {
            let read = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.text().await,
                Err(e) => Err(e),
            };
            match read {
                Ok(text) => Ok(ControlFlow::Break(text)),
                Err(e) if e.is_stale_element_reference() => {
                    Ok(ControlFlow::Continue(format!("{css:?} kept being redrawn")))
                }
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    /// Types `keys` into the element matching `css` (found again if the page redrew it).
    pub async fn type_into(&self, css: &str, keys: &str) -> Result {
        poll(Duration::from_secs(20), async || match self.client.find(Locator::Css(css)).await {
            Ok(el) => match el.send_keys(keys).await {
                Ok(()) => Ok(ControlFlow::Break(())),
                Err(e) if e.is_stale_element_reference() => Ok(ControlFlow::Continue(format!("{css:?} was redrawn"))),
                Err(e) => Err(e.into()),
            },
            Err(e) if e.is_no_such_element() => Ok(ControlFlow::Continue(format!("no {css:?}"))),
            Err(e) => Err(e.into()),
        })
        .await
    }

    pub async fn click(&self, css: &str) -> Result {
        poll(Duration::from_secs(20), async || match self.client.find(Locator::Css(css)).await {
            Ok(el) => clicked(el.click().await, css),
            Err(e) if e.is_no_such_element() => Ok(ControlFlow::Continue(format!("no {css:?}"))),
            Err(e) => Err(e.into()),
        })
        .await
    }

    /// Clicks the first element matching `css` whose text contains `text`.
    pub async fn click_text(&self, css: &str, text: &str) -> Result {
        poll(Duration::from_secs(20), async || {
            for el in self.client.find_all(Locator::Css(css)).await? {
                if el.text().await.unwrap_or_default().contains(text) {
                    return clicked(el.click().await, css);
                }
            }
            Ok(ControlFlow::Continue(format!("no {css:?} with text {text:?}")))
        })
        .await
    }

    /// Chooses files through the real `<input type=file>`, as a user's file picker would.
    pub async fn upload(&self, files: &[PathBuf]) -> Result {
        let paths: Vec<String> = files
            .iter()
            .map(|p| p.canonicalize().map(|p| p.display().to_string()))
            .collect::<std::result::Result<_, _>>()?;
        self.type_into("input[type=file]:not([webkitdirectory])", &paths.join("\n")).await
    }

    /// Waits (up to 20 s) until the element matching `css` no longer contains `needle`.
    pub async fn wait_text_gone(&self, css: &str, needle: &str) -> Result {
        poll(Duration::from_secs(20), async || {
            let last = self.text(css).await?;
            Ok(if last.contains(needle) {
                ControlFlow::Continue(format!("{css:?} still contains {needle:?}; last text: {last:?}"))
            } else {
                ControlFlow::Break(())
            })
        })
        .await
    }

    /// Runs JavaScript in the page and returns its value.
    pub async fn js(&self, script: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// The text in the query bar.
    pub async fn query(&self) -> Result<String> {
        let q = self.js("return document.getElementById('query').value").await?;
        Ok(q.as_str().unwrap_or_default().to_owned())
    }

    /// The state of the app's own font for control pictures (static/app.css): "loaded" once it
    /// was fetched and used, "error" if the page's policy or the server refused it.
    pub async fn symbols_font(&self) -> Result<String> {
        let status = self
            .js("return document.fonts.ready.then(() => [...document.fonts].filter(f => f.family.replace(/\"/g, '') === 'Review Symbols').map(f => f.status).join(' '))")
            .await?;
        Ok(status.as_str().unwrap_or_default().to_owned())
    }

    /// Fails if an alert, confirm or prompt is open: log text must never run script.
    pub async fn assert_no_dialog(&self) -> Result {
        match self.client.get_alert_text().await {
            Ok(text) => Err(format!("a dialog opened: {text:?}").into()),
            Err(_) => Ok(()),
        }
    }

    /// Waits until loading has finished (the progress bar is gone and the overview is drawn).
    pub async fn wait_loaded(&self) -> Result {
        self.wait_for(".cards").await?;
        poll(Duration::from_secs(60), async || {
            Ok(match self.client.find(Locator::Css(".progress")).await {
                Err(_) => ControlFlow::Break(()),
                Ok(_) => ControlFlow::Continue("loading did not finish within 60 s".into()),
            })
        })
        .await
    }
}

/// ChromeDriver's `goog/cdp/execute` endpoint: one DevTools command on the current page.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> std::result::Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(serde_json::json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}

/// A click's outcome for [`poll`]: an element the page redrew between being found and being
/// clicked (a view refreshed as findings or hashes came) is looked for again, as a user would.
fn clicked(result: std::result::Result<(), fantoccini::error::CmdError>, css: &str) -> Result<ControlFlow<(), String>> {
    match result {
        Ok(()) => Ok(ControlFlow::Break(())),
        Err(e) if e.is_stale_element_reference() => {
            Ok(ControlFlow::Continue(format!("{css:?} was redrawn as it was clicked")))
        }
        Err(e) => Err(e.into()),
    }
}
