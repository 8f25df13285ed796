//! A fresh headless Chromium (new profile, cold cache) under its own ChromeDriver, or Firefox
//! under geckodriver, driven over WebDriver, as in tests/e2e. `quit` ends the session so the
//! browser exits with it.

#[path = "../../tests/e2e/chromium_flags.rs"]
mod chromium_flags;

use chromium_flags::HEADLESS_CHROMIUM;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

pub struct Browser {
    pub client: Client,
    driver: Child,
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Browser {
    pub async fn open(chromedriver: &str, chromium: &str) -> Result<Browser> {
        // performance.memory with real (not bucketed) numbers.
        let args: Vec<&str> = HEADLESS_CHROMIUM.iter().copied().chain(["--enable-precise-memory-info"]).collect();
        let options = serde_json::json!({ "args": args, "binary": chromium });
        Browser::start(chromedriver, "goog:chromeOptions", options).await
    }

    pub async fn open_firefox(geckodriver: &str, firefox: &str) -> Result<Browser> {
        let options = serde_json::json!({ "args": ["-headless", "--width=1400", "--height=900"], "binary": firefox });
        Browser::start(geckodriver, "moz:firefoxOptions", options).await
    }

    async fn start(driver: &str, options_key: &str, options: serde_json::Value) -> Result<Browser> {
        let port = free_port()?;
        let mut driver =
            Command::new(driver).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
        let mut caps = serde_json::Map::new();
        caps.insert(options_key.into(), options);
        match connect(port, caps).await {
            Ok(client) => Ok(Browser { client, driver }),
            Err(e) => {
                let _ = driver.kill();
                let _ = driver.wait();
                Err(e)
            }
        }
    }

    /// The driver's process id: the browser and its renderers are below it.
    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    pub async fn quit(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    pub async fn js(&self, script: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Runs an async script: its last argument is the callback that returns the value.
    pub async fn js_async(&self, script: &str, args: Vec<serde_json::Value>) -> Result<serde_json::Value> {
        Ok(self.client.execute_async(script, args).await?)
    }

    pub async fn wait_for(&self, css: &str, within: Duration) -> Result<fantoccini::elements::Element> {
        Ok(self.client.wait().at_most(within).for_element(Locator::Css(css)).await?)
    }

    /// Clicks the first `css` element whose text contains `text`.
    pub async fn click_text(&self, css: &str, text: &str) -> Result {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            for el in self.client.find_all(Locator::Css(css)).await? {
                if el.text().await.unwrap_or_default().contains(text) {
                    el.click().await?;
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("no {css:?} with text {text:?}").into())
    }

    /// Chooses files through the page's `<input type=file multiple>`, as a file picker would.
    pub async fn upload(&self, files: &[PathBuf]) -> Result {
        let input = self.client.find(Locator::Css("input[type=file]:not([webkitdirectory])")).await?;
        let paths: Vec<String> = files
            .iter()
            .map(|p| p.canonicalize().map(|p| p.display().to_string()))
            .collect::<std::result::Result<_, _>>()?;
        input.send_keys(&paths.join("\n")).await?;
        Ok(())
    }
}

/// A WebDriver session with a fresh headless browser, once its driver answers.
async fn connect(port: u16, caps: serde_json::Map<String, serde_json::Value>) -> Result<Client> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let client = loop {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(e) if Instant::now() > deadline => {
                return Err(format!("the browser's driver did not start: {e}").into())
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(150)).await,
        }
    };
    client.set_window_size(1400, 900).await?;
    // Long loads: allow slow scripts (the page is polled, not blocked).
    client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(120)),
            Some(Duration::from_secs(120)),
            Some(Duration::ZERO),
        ))
        .await?;
    Ok(client)
}
