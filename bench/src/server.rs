//! A static file server for the built app on 127.0.0.1 (as a user would serve `dist/`), on a
//! thread for the life of the process.

use std::path::{Path, PathBuf};

/// Serves `root`; returns the base URL.
pub fn serve(root: PathBuf) -> std::io::Result<String> {
    let server = tiny_http::Server::http("127.0.0.1:0").map_err(std::io::Error::other)?;
    let port = server.server_addr().to_ip().map(|a| a.port()).ok_or_else(|| std::io::Error::other("no port"))?;
    let root = root.canonicalize()?;
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = request.url().split(['?', '#']).next().unwrap_or("/").to_owned();
            let rel = percent_decode(path.trim_start_matches('/'));
            let file = if rel.is_empty() { root.join("index.html") } else { root.join(&rel) };
            // Only files inside the root.
            let inside = file.canonicalize().ok().filter(|f| f.starts_with(&root));
            let response = match inside.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
                Some((f, body)) => tiny_http::Response::from_data(body).with_header(
                    tiny_http::Header::from_bytes("Content-Type", content_type(&f)).expect("a valid header"),
                ),
                None => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    Ok(format!("http://127.0.0.1:{port}/"))
}

fn content_type(f: &Path) -> &'static str {
    match f.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
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
