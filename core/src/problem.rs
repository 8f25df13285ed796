//! What could not be read, and where: every rejected line, record or file becomes one [`Problem`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// Index of an input file (or of an entry inside a container) in the model's file list.
pub type FileId = u32;

/// Where in a file a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Place {
    /// The whole file.
    File,
    /// A 1-based line of the (decompressed) text.
    Line(u64),
    /// A byte offset in the file as stored (compressed bytes for gzip).
    Offset(u64),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File => Ok(()),
            Place::Line(n) => write!(f, "line {n}"),
            Place::Offset(o) => write!(f, "byte {o}"),
        }
    }
}

/// The class of a problem, for counting and grouping; the detail says the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ProblemKind {
    /// The line is not valid JSON (truncated, garbage, bad escapes, duplicate keys).
    InvalidJson,
    /// The line holds bytes that are not UTF-8.
    InvalidUtf8,
    /// Valid JSON, but not an object.
    NotAnObject,
    /// A JSON object without a string `event` field.
    MissingEvent,
    /// A line longer than the limit; skipped without being buffered.
    LineTooLong,
    /// A gzip stream that is corrupt or ends early.
    BadGzip,
    /// A tar archive that is corrupt or ends early.
    BadTar,
    /// A whole file that is not a Teleport audit log (and not a recording).
    NotAuditLog,
    /// A file or entry larger than a stated limit.
    TooLarge,
    /// A session recording that could not be (fully) decoded.
    BadRecording,
}

impl ProblemKind {
    pub fn label(self) -> &'static str {
        match self {
            ProblemKind::InvalidJson => "invalid JSON",
            ProblemKind::InvalidUtf8 => "invalid UTF-8",
            ProblemKind::NotAnObject => "not a JSON object",
            ProblemKind::MissingEvent => "no \"event\" field",
            ProblemKind::LineTooLong => "line too long",
            ProblemKind::BadGzip => "bad gzip",
            ProblemKind::BadTar => "bad tar",
            ProblemKind::NotAuditLog => "not an audit log",
            ProblemKind::TooLarge => "too large",
            ProblemKind::BadRecording => "bad recording",
        }
    }
}

/// One thing that could not be read: which file, where in it, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub file: FileId,
    pub place: Place,
    pub kind: ProblemKind,
    pub detail: String,
}
