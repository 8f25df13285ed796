//! Containers unpacked as bytes are pushed in (sans-io), so that the browser worker can read a
//! file in slices, yield between them, and never hold more than a slice plus state.

mod gzip;
mod tar_split;

pub use gzip::{gunzip_all, GzipPush};
pub use tar_split::{TarEvent, TarSplitter};
