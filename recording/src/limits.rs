//! Caps on what hostile input can make the decoder hold: sizes in files are claims, not facts.

/// Resource limits for [`crate::decode_with`]. Input beyond a limit is dropped with a message in
/// [`crate::Recording::problems`]; what came before is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes one compressed file (or ProtoStream part) may inflate to.
    pub max_inflated: usize,
    /// Bytes of terminal output kept, all prints together.
    pub max_output: usize,
    /// Prints plus other session events kept.
    pub max_records: usize,
}

impl Default for Limits {
    /// Sized for a browser tab (a 32-bit address space): far above any real SSH session.
    fn default() -> Self {
        Limits { max_inflated: 1 << 30, max_output: 512 << 20, max_records: 10_000_000 }
    }
}
