//! What a page does, recorded from outside the app, so tests can prove what did *not* happen.
//!
//! - [`guard`] installs a watcher that runs before any of the page's own scripts (injected by
//!   Chrome DevTools, which the page's policy cannot block): Content-Security-Policy violations,
//!   every resource the page loads (Resource Timing), dialogs, clipboard writes, `window.open`,
//!   elements that could run script or load something, and a token that a navigation would lose.
//! - [`NetLog`] reads Chromium's own network log (`--log-net-log`), which sees every request of
//!   the browser: the page, both dedicated workers and the service worker alike.

use crate::harness::{Browser, Result};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Runs in the page before anything else. Records; never blocks or changes what the app does,
/// except that dialogs are recorded instead of shown (an alert would stall the test).
const GUARD: &str = r#"
(() => {
  if (window.__guard) return;
  const g = (window.__guard = {
    token: Math.random().toString(36).slice(2), violations: [], resources: [], dialogs: [],
    clipboard: [], opened: [], injected: [], errors: [], title: null, place: null,
  });
  window.addEventListener("error", (e) => g.errors.push(`${e.message} at ${e.filename}:${e.lineno}`));
  window.addEventListener("unhandledrejection", (e) => g.errors.push(`unhandled rejection: ${e.reason && (e.reason.stack || e.reason)}`));
  document.addEventListener("securitypolicyviolation", (e) =>
    g.violations.push(`${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
  new PerformanceObserver((list) => { for (const e of list.getEntries()) g.resources.push(e.name); })
    .observe({ type: "resource", buffered: true });
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { g.dialogs.push(`${name}(${args.join(", ")})`); };
  }
  window.open = (...args) => { g.opened.push(args.join(" ")); return null; };
  if (window.Clipboard) {
    for (const name of ["write", "writeText"]) {
      const original = Clipboard.prototype[name];
      Clipboard.prototype[name] = function (...args) { g.clipboard.push(`${name}: ${args[0]}`); return original.apply(this, args); };
    }
  }
  const execCommand = document.execCommand.bind(document);
  document.execCommand = (cmd, ...rest) => { if (/copy|cut/i.test(cmd)) g.clipboard.push(`execCommand ${cmd}`); return execCommand(cmd, ...rest); };
  for (const type of ["copy", "cut"]) document.addEventListener(type, () => g.clipboard.push(`${type} event`), true);
  // Anything that could run script or fetch, added after the page's own markup.
  const risky = "script,iframe,frame,object,embed,img,image,link,meta,base,style,audio,video,source,track,portal,svg";
  const check = (el, deep) => {
    if (el.nodeType !== 1) return;
    for (const e of deep ? [el, ...el.querySelectorAll("*")] : [el]) {
      const attrs = Array.from(e.attributes || []);
      const bad = e.matches(risky)
        || attrs.some((a) => a.name.startsWith("on") || (/href|src|action|data/i.test(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value)))
        || (e.matches("a[href]") && !/^blob:/.test(e.href));
      if (bad) g.injected.push(e.outerHTML.slice(0, 200));
    }
  };
  document.addEventListener("DOMContentLoaded", () => {
    g.title = document.title;
    g.place = location.origin + location.pathname + location.search;
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "attributes") check(r.target, false); else r.addedNodes.forEach((n) => check(n, true));
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
})();
"#;

/// Installs the guard for every page this browser opens from now on.
pub async fn guard(b: &Browser) -> Result {
    b.cdp("Page.addScriptToEvaluateOnNewDocument", serde_json::json!({ "source": GUARD })).await?;
    Ok(())
}

/// What the guard saw in the current page.
#[derive(Debug, serde::Deserialize)]
pub struct Record {
    pub token: String,
    pub violations: Vec<String>,
    pub resources: Vec<String>,
    pub dialogs: Vec<String>,
    pub clipboard: Vec<String>,
    pub opened: Vec<String>,
    pub injected: Vec<String>,
    pub errors: Vec<String>,
    pub title: Option<String>,
    pub place: Option<String>,
}

pub async fn record(b: &Browser) -> Result<Record> {
    let value = b.js("return window.__guard || null").await?;
    if value.is_null() {
        return Err("the page has no guard: install it (watch::guard) before opening the page".into());
    }
    Ok(serde_json::from_value(value)?)
}

/// Fails unless the page (still the same document) did nothing it should not: no policy
/// violation, no resource from anywhere but `own` (an origin or folder URL prefix), no dialog,
/// clipboard write, window, risky element, title change or navigation.
pub async fn assert_clean(b: &Browser, own: &str, first: &Record) -> Result<Record> {
    let now = record(b).await?;
    let mut problems = Vec::new();
    if now.token != first.token {
        problems.push("the page navigated away (a new document)".to_owned());
    }
    let list = |what: &str, items: &[String], problems: &mut Vec<String>| {
        if !items.is_empty() {
            problems.push(format!("{what}:\n    {}", items.join("\n    ")));
        }
    };
    list("Content-Security-Policy violations", &now.violations, &mut problems);
    let foreign: Vec<String> =
        now.resources.iter().filter(|r| !r.starts_with(own) && !r.starts_with("blob:")).cloned().collect();
    list("resources from elsewhere", &foreign, &mut problems);
    list("dialogs", &now.dialogs, &mut problems);
    list("clipboard writes", &now.clipboard, &mut problems);
    list("windows opened", &now.opened, &mut problems);
    list("elements that could run script or load something", &now.injected, &mut problems);
    list("uncaught errors", &now.errors, &mut problems);
    let title = b.js("return document.title").await?;
    if first.title.as_deref() != title.as_str() {
        problems.push(format!("the title changed from {:?} to {title}", first.title));
    }
    let place = b.js("return location.origin + location.pathname + location.search").await?;
    if first.place.as_deref() != place.as_str() {
        problems.push(format!("the location changed from {:?} to {place}", first.place));
    }
    b.assert_no_dialog().await?;
    if problems.is_empty() {
        Ok(now)
    } else {
        Err(format!("the page did what it must not:\n  {}", problems.join("\n  ")).into())
    }
}

/// `traffic_annotation` of everything Blink fetches for a page or worker: never the browser's own.
const BLINK_RESOURCE_LOADER: i64 = 101_845_102;

/// Chromium's network log, sorted into what the pages asked for and what the browser itself did.
#[derive(Debug, Default)]
pub struct NetLog {
    /// URLs requested on behalf of a page, a worker or a service worker.
    pub page: Vec<String>,
    /// URLs the browser requested for itself (component updates, time, sign-in), initiated by no
    /// page: they are reported, not held against the app.
    pub browser: Vec<String>,
    /// Any other network activity with a URL (connections, preconnects) to a host neither the
    /// pages nor the browser's own requests asked for.
    pub other: Vec<String>,
}

#[derive(Default)]
struct Request {
    url: Option<String>,
    initiator: Option<String>,
    annotation: Option<i64>,
}

impl NetLog {
    /// Reads a net log. Chromium writes one event per line; a log cut short (a browser that did
    /// not shut down cleanly) is read up to its last whole line.
    pub fn read(path: &Path) -> Result<NetLog> {
        Ok(NetLog::parse(&std::fs::read_to_string(path)?))
    }

    pub fn parse(text: &str) -> NetLog {
        let mut lines = text.lines();
        let constants: serde_json::Value = lines
            .next()
            .and_then(|l| serde_json::from_str(&format!("{}}}", l.trim().trim_end_matches(','))).ok())
            .unwrap_or_default();
        let url_request = constants["constants"]["logSourceType"]["URL_REQUEST"].as_i64();
        let mut requests: HashMap<i64, Request> = HashMap::new();
        let mut other = Vec::new();
        for line in lines {
            let Ok(event) = serde_json::from_str::<serde_json::Value>(line.trim().trim_end_matches(',')) else {
                continue;
            };
            let (source, params) = (&event["source"], &event["params"]);
            let url = params["url"].as_str().filter(|u| is_network(u)).map(str::to_owned);
            if source["type"].as_i64() == url_request && url_request.is_some() {
                let r = requests.entry(source["id"].as_i64().unwrap_or(-1)).or_default();
                r.url = r.url.take().or(url);
                r.initiator = r.initiator.take().or(params["initiator"].as_str().map(str::to_owned));
                r.annotation = r.annotation.or(params["traffic_annotation"].as_i64());
            } else if let Some(url) = url {
                other.push(url);
            }
        }
        let mut log = NetLog::default();
        for r in requests.into_values() {
            let Some(url) = r.url else { continue };
            let browsers_own =
                r.initiator.as_deref() == Some("not an origin") && r.annotation != Some(BLINK_RESOURCE_LOADER);
            if browsers_own {
                log.browser.push(url);
            } else {
                log.page.push(url);
            }
        }
        let known: BTreeSet<String> = log.page.iter().chain(&log.browser).map(|u| origin(u)).collect();
        log.other = other.into_iter().filter(|u| !known.contains(&origin(u))).collect();
        log.page.sort();
        log.browser.sort();
        log
    }

    /// Everything the pages asked for, or connected to, outside `own` (an origin or folder).
    pub fn outside(&self, own: &str) -> Vec<String> {
        self.page.iter().chain(&self.other).filter(|u| !u.starts_with(own)).cloned().collect()
    }
}

fn is_network(url: &str) -> bool {
    ["http:", "https:", "ws:", "wss:", "ftp:"].iter().any(|s| url.starts_with(s))
}

/// `scheme://host:port` of a URL.
pub fn origin(url: &str) -> String {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    let end = url[after_scheme..].find('/').map(|i| i + after_scheme).unwrap_or(url.len());
    url[..end].to_owned()
}

/// Waits until the page's `script` (a promise-returning JS expression) resolves; returns its value.
pub async fn until(b: &Browser, script: &str) -> Result<serde_json::Value> {
    let wrapped = format!("const done = arguments[arguments.length - 1]; Promise.resolve().then(() => {script}).then(done, (e) => done({{ error: String(e) }}));");
    let value = b.client.execute_async(&wrapped, vec![]).await?;
    match value.get("error") {
        Some(e) => Err(format!("{script}: {e}").into()),
        None => Ok(value),
    }
}

#[test]
fn the_net_log_tells_the_pages_requests_from_the_browsers_own() {
    // Lines as Chromium 156 writes them (trimmed): a page's fetch elsewhere, a page's fetch of its
    // own files, the browser's component updater, and a preconnect to a host nobody requested.
    let log = concat!(
        r#"{"constants":{"logSourceType":{"URL_REQUEST":1,"CONNECT_JOB":32}},"#,
        "\n\"events\": [\n",
        r#"{"params":{"priority":"MEDIUM","traffic_annotation":101845102,"url":"http://198.51.100.1/y"},"source":{"id":104,"type":1},"type":2},"#,
        "\n",
        r#"{"params":{"initiator":"http://127.0.0.1:4000","method":"GET","url":"http://198.51.100.1/y"},"source":{"id":104,"type":1},"type":136},"#,
        "\n",
        r#"{"params":{"priority":"LOW","traffic_annotation":101845102,"url":"http://127.0.0.1:4000/app/x.wasm"},"source":{"id":7,"type":1},"type":2},"#,
        "\n",
        r#"{"params":{"initiator":"http://127.0.0.1:4000","url":"http://127.0.0.1:4000/app/x.wasm"},"source":{"id":7,"type":1},"type":136},"#,
        "\n",
        r#"{"params":{"priority":"IDLE","traffic_annotation":54845618,"url":"https://update.googleapis.com/service/update2/json"},"source":{"id":32,"type":1},"type":2},"#,
        "\n",
        r#"{"params":{"initiator":"not an origin","url":"https://update.googleapis.com/service/update2/json"},"source":{"id":32,"type":1},"type":136},"#,
        "\n",
        r#"{"params":{"is_preconnect":false,"url":"https://update.googleapis.com/service/update2/json"},"source":{"id":33,"type":32},"type":196},"#,
        "\n",
        r#"{"params":{"is_preconnect":true,"url":"https://evil.example/"},"source":{"id":40,"type":32},"type":196},"#,
        "\n",
        r#"{"params":{"url":"data:text/html,x"},"source":{"id":41,"type":1},"type":2},"#,
        "\n",
        r#"{"params":{"initiator":"not an opening quote"#,
    );
    let n = NetLog::parse(log);
    assert_eq!(n.page, ["http://127.0.0.1:4000/app/x.wasm", "http://198.51.100.1/y"]);
    assert_eq!(n.browser, ["https://update.googleapis.com/service/update2/json"]);
    assert_eq!(n.other, ["https://evil.example/"]);
    assert_eq!(n.outside("http://127.0.0.1:4000/app/"), ["http://198.51.100.1/y", "https://evil.example/"]);
}
