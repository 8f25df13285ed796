//! Gen 1 and 2 keep print bytes apart from the events: gen 1 in one `.session.bytes`, gen 2 in
//! `-N.chunks.gz` files that each start at byte N of the session's output. This finds each
//! print's bytes and feeds the records, in order, to the timeline.

use crate::json_events::{JsonRecord, Located};
use crate::timeline::Builder;
use std::borrow::Cow;

/// A file of raw terminal output starting at `offset` of the session's byte stream.
pub(crate) struct ByteFile<'a> {
    pub name: String,
    pub offset: u64,
    pub data: Cow<'a, [u8]>,
}

/// The session's output files, by start offset.
pub(crate) struct ByteFiles<'a> {
    files: Vec<ByteFile<'a>>,
    /// Says what is missing when no file was given at all.
    kind: &'static str,
}

impl<'a> ByteFiles<'a> {
    /// `kind` names the files in messages (`.session.bytes`, `.chunks`).
    pub fn new(mut files: Vec<ByteFile<'a>>, kind: &'static str) -> Self {
        files.sort_by_key(|f| f.offset);
        ByteFiles { files, kind }
    }

    /// Bytes `offset .. offset + len` of the session output, from the file with the largest
    /// start offset not after `offset`. The error says what is missing.
    fn slice(&self, offset: u64, len: u64) -> Result<&[u8], String> {
        let wanted = format!("bytes {offset}..{}", offset.saturating_add(len));
        let after = self.files.partition_point(|f| f.offset <= offset);
        let Some(file) = after.checked_sub(1).and_then(|i| self.files.get(i)) else {
            return Err(match self.files.first() {
                None => format!("wants {wanted} of the output, but no {} file was given", self.kind),
                Some(f) => {
                    format!("wants {wanted}, but the first {} file {} starts at byte {}", self.kind, f.name, f.offset)
                }
            });
        };
        let start = offset - file.offset;
        let end = start.saturating_add(len);
        let available = file.data.len() as u64;
        if end > available {
            return Err(format!(
                "wants {wanted}, but {} holds only bytes {}..{} (it is {} bytes long)",
                file.name,
                file.offset,
                file.offset + available,
                available
            ));
        }
        // Both bounds are within the file's length, so they fit in usize.
        Ok(file.data.get(start as usize..end as usize).unwrap_or_default())
    }
}

/// Feeds `records` to `builder` in order, looking up each print's bytes. A print whose bytes
/// are not there stops the prints (later prints would be out of step with the screen); the
/// other events are still fed. Each record comes with the name of its file, for messages.
pub(crate) fn feed<'s>(
    records: impl IntoIterator<Item = (&'s str, Located)>,
    bytes: &ByteFiles<'_>,
    builder: &mut Builder,
) {
    let mut next_offset: i64 = 0;
    let mut prints_seen = 0usize;
    let mut stopped = false;
    for (source, located) in records {
        match located.record {
            JsonRecord::Event(info) => {
                if !builder.event(*info) {
                    return;
                }
            }
            JsonRecord::Print(print) => {
                let number = prints_seen;
                prints_seen += 1;
                if stopped {
                    continue;
                }
                let place = match located.ei {
                    Some(ei) => {
                        format!("print #{number} ({source}, line {}, ei {ei})", located.line)
                    }
                    None => format!("print #{number} ({source}, line {})", located.line),
                };
                let offset = print.offset.unwrap_or(next_offset);
                if print.bytes < 0 || offset < 0 {
                    builder.problem(format!("{place} has no valid \"bytes\"/\"offset\"; skipped"));
                    continue;
                }
                next_offset = offset.saturating_add(print.bytes);
                match bytes.slice(offset as u64, print.bytes as u64) {
                    Ok(data) => {
                        if !builder.print(print.ms, print.time, data) {
                            return;
                        }
                    }
                    Err(why) => {
                        builder.problem(format!("{place} {why}: prints stop here"));
                        stopped = true;
                    }
                }
            }
        }
    }
    let not_shown = prints_seen - builder.print_count();
    if stopped && not_shown > 0 {
        builder.problem(format!("{not_shown} prints have no output and are not shown"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> ByteFiles<'static> {
        let f =
            |name: &str, offset, data: &'static [u8]| ByteFile { name: name.into(), offset, data: Cow::Borrowed(data) };
        ByteFiles::new(vec![f("s-10.chunks", 10, b"klmno"), f("s-0.chunks", 0, b"abcdefghij")], ".chunks")
    }

    #[test]
    fn slices_come_from_the_file_starting_at_or_before_the_offset() {
        let f = files();
        assert_eq!(f.slice(0, 3).unwrap(), b"abc");
        assert_eq!(f.slice(9, 1).unwrap(), b"j");
        assert_eq!(f.slice(10, 5).unwrap(), b"klmno");
        assert_eq!(f.slice(12, 0).unwrap(), b"");
    }

    #[test]
    fn short_files_say_what_is_missing() {
        let f = files();
        let e = f.slice(12, 4).unwrap_err();
        assert_eq!(e, "wants bytes 12..16, but s-10.chunks holds only bytes 10..15 (it is 5 bytes long)");
        assert!(f.slice(u64::MAX - 1, u64::MAX).is_err(), "huge claims are refused, not allocated");
        let none = ByteFiles::new(Vec::new(), ".session.bytes");
        assert!(none.slice(0, 1).unwrap_err().contains("no .session.bytes file was given"));
    }
}
