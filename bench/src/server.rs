//! The built app served on 127.0.0.1 for the life of the process, by the end-to-end tests' own
//! static server (one thread per connection: tiny_http's pool could leave a page's wasm request
//! waiting behind kept-alive connections, and the page then never drew).

#[path = "../../tests/e2e/serve.rs"]
#[allow(dead_code)] // the tests' request log and stop are not needed here
mod static_server;

use std::path::PathBuf;

/// Serves `root`; returns the base URL.
pub fn serve(root: PathBuf) -> std::io::Result<String> {
    let root = root.canonicalize()?;
    let server = static_server::Server::start(root, "/");
    let url = server.url.clone();
    // Dropping it would stop it; it serves until the benchmark exits.
    std::mem::forget(server);
    Ok(url)
}
