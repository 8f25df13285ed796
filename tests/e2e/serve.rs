//! A static file server for the built app, as any static host serves it: GET a file under a path
//! prefix (`/` or e.g. `/some/deep/path/`), a folder's URL answers with its index.html, nothing
//! else is added (no headers beyond the content type). It records every path asked for and can
//! be stopped, after which connections are refused: the network going away.
//!
//! One thread per connection and `Connection: close` on every answer: a request can never wait
//! behind another connection (tiny_http's pool could leave a new connection unserved behind
//! kept-alive ones, and a page then hung on its wasm), and no kept-alive connection outlives
//! `stop`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub struct Server {
    /// The app's URL: `http://127.0.0.1:<port><prefix>`.
    pub url: String,
    requests: Arc<Mutex<Vec<String>>>,
    stopped: Arc<AtomicBool>,
    port: u16,
}

impl Server {
    /// Serves `root` under `prefix` on a free port of 127.0.0.1.
    pub fn start(root: PathBuf, prefix: &str) -> Server {
        assert!(prefix.starts_with('/') && prefix.ends_with('/'), "a prefix is a folder: {prefix}");
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port for the static server");
        let port = listener.local_addr().expect("its address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stopped = Arc::new(AtomicBool::new(false));
        let site = Arc::new(Site { root, prefix: prefix.to_owned(), log: requests.clone() });
        let stop = stopped.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break; // the listener closes as this thread ends
                }
                if let Ok(stream) = stream {
                    let site = site.clone();
                    std::thread::spawn(move || site.answer(stream));
                }
            }
        });
        Server { url: format!("http://127.0.0.1:{port}{prefix}"), requests, stopped, port }
    }

    /// Every path asked for so far (without query), in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("request log").clone()
    }

    /// Stops serving: connections to the port are refused from now on.
    pub fn stop(self) {}
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        // Wakes the accepting thread so that it sees the flag and closes the port.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

struct Site {
    root: PathBuf,
    prefix: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Site {
    /// Reads one request (its line and headers) and answers it.
    fn answer(&self, stream: TcpStream) {
        let mut reader = BufReader::new(&stream);
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut header = String::new();
        while reader.read_line(&mut header).unwrap_or(0) > 2 {
            header.clear();
        }
        let target = line.split_whitespace().nth(1).unwrap_or("/");
        let path = target.split(['?', '#']).next().unwrap_or("/").to_owned();
        self.log.lock().expect("request log").push(path.clone());
        let found = path.strip_prefix(&self.prefix).and_then(|rel| read_inside(&self.root, rel));
        let (status, kind, body) = match found {
            Some((file, body)) => ("200 OK", content_type(&file), body),
            None => ("404 Not Found", "text/plain", b"not found".to_vec()),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let mut out = &stream;
        let _ = out.write_all(head.as_bytes()).and_then(|_| out.write_all(&body)).and_then(|_| out.flush());
    }
}

/// The file at `rel` (percent-encoded, relative to the prefix) if it is inside `root`; a folder
/// gives its index.html.
fn read_inside(root: &Path, rel: &str) -> Option<(PathBuf, Vec<u8>)> {
    let rel = percent_decode(rel);
    let file = if rel.is_empty() || rel.ends_with('/') { root.join(&rel).join("index.html") } else { root.join(&rel) };
    let file = file.canonicalize().ok().filter(|f| f.starts_with(root.canonicalize().unwrap_or_default()))?;
    std::fs::read(&file).ok().map(|body| (file, body))
}

fn content_type(f: &Path) -> &'static str {
    match f.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
