//! The pure core of teleport-review: bytes → records → model → views, with no web dependencies.
//!
//! Data flows one way. [`sniff`] tells what a file is from its bytes; [`container`] unpacks gzip
//! and tar as bytes are pushed in; [`audit`] turns audit-log lines into events; [`model`] keeps
//! them compactly and derives sessions and auth attempts; [`query`] filters them; [`views`]
//! answers the UI's paged table requests. Recordings are decoded by the `review-recording`
//! crate and replayed by `review-replay`.
//!
//! Everything here takes untrusted input: nothing panics on bytes, every rejected line or record
//! becomes a [`problem::Problem`] with its place, and the rest is kept.

pub mod audit;
pub mod container;
pub mod detect;
pub mod ingest;
pub mod lines;
pub mod model;
pub mod problem;
pub mod query;
pub mod sniff;
pub mod time;
pub mod views;
