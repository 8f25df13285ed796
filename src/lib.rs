//! teleport-review: the browser app. A thin layer over the core crates: the worker runs the
//! core off the main thread; the UI asks it for what to show.

pub mod axis;
pub mod palette;
pub mod permalink;
pub mod query_edit;
pub use review_protocol as protocol;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod ui;
