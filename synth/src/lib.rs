//! Writes Teleport audit logs of every generation from the format reference
//! (`/work/shared/docs/teleport-formats.md`):
//!
//! - [`render`]: one logical [`event::Event`] → the JSON line a given [`version::Version`] wrote
//!   (key order, fields, time precision, codes, `ei`);
//! - [`layout`]: day files, nearest-midnight names, per-auth-server and HA directories, gzip;
//! - [`scenario`]: a seeded simulation of an organisation using Teleport, with planted incidents;
//! - [`recordings`]: session recordings for the demo that agree with its logs;
//! - [`demo`]: the app's built-in demo data set; [`bulk`]: big mixed-version sets for benchmarks.
//!
//! Everything is deterministic: the same seed gives the same bytes.

pub mod bulk;
pub mod codes;
pub mod demo;
pub mod era;
pub mod event;
pub mod json;
pub mod layout;
pub mod recordings;
pub mod render;
pub mod rng;
pub mod scenario;
pub mod shell;
pub mod timefmt;
pub mod version;

pub use event::{Event, Key, Kind, Text, Value};
pub use layout::{LogDir, OutFile, Stats};
pub use render::LineWriter;
pub use version::Version;
