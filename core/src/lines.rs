//! Splits pushed bytes into lines, whatever the chunk boundaries, with a hard cap on line length
//! so that one hostile line cannot take the memory: past the cap the rest of the line is
//! counted, not kept.

/// One line as it comes out of the splitter.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// A complete line without its `\n` (and without a `\r` before it).
    Text { number: u64, offset: u64, bytes: &'a [u8] },
    /// A line longer than the limit; `len` is its full length.
    TooLong { number: u64, offset: u64, len: u64 },
}

/// Incremental line splitter: push chunks, receive complete lines.
pub struct LineSplitter {
    limit: usize,
    partial: Vec<u8>,
    /// Bytes of the current line seen so far when it has gone over the limit.
    overflow: Option<u64>,
    next_number: u64,
    /// Offset (in the text) where the current line starts.
    line_start: u64,
    /// Offset (in the text) of the next byte to be pushed.
    position: u64,
}

impl LineSplitter {
    pub fn new(limit: usize) -> Self {
        LineSplitter { limit, partial: Vec::new(), overflow: None, next_number: 1, line_start: 0, position: 0 }
    }

    /// Number of complete lines emitted so far.
    pub fn lines_seen(&self) -> u64 {
        self.next_number - 1
    }

    pub fn push(&mut self, mut chunk: &[u8], emit: &mut impl FnMut(Line<'_>)) {
        while !chunk.is_empty() {
            match memchr::memchr(b'\n', chunk) {
                Some(nl) => {
                    let (head, rest) = (&chunk[..nl], &chunk[nl + 1..]);
                    self.position += nl as u64 + 1;
                    if let Some(seen) = self.overflow.take() {
                        self.emit_too_long(seen + nl as u64, emit);
                    } else if self.partial.is_empty() {
                        if head.len() > self.limit {
                            self.emit_too_long(head.len() as u64, emit);
                        } else {
                            self.emit_text(head, emit);
                        }
                    } else {
                        let mut line = std::mem::take(&mut self.partial);
                        if line.len() + head.len() > self.limit {
                            self.emit_too_long((line.len() + head.len()) as u64, emit);
                        } else {
                            line.extend_from_slice(head);
                            self.emit_text(&line, emit);
                        }
                        line.clear();
                        self.partial = line; // keep the allocation for the next partial line
                    }
                    chunk = rest;
                }
                None => {
                    self.position += chunk.len() as u64;
                    match &mut self.overflow {
                        Some(seen) => *seen += chunk.len() as u64,
                        None if self.partial.len() + chunk.len() > self.limit => {
                            self.overflow = Some((self.partial.len() + chunk.len()) as u64);
                            self.partial.clear();
                        }
                        None => self.partial.extend_from_slice(chunk),
                    }
                    chunk = &[];
                }
            }
        }
    }

    /// Emits the last line when the text does not end with `\n`.
    pub fn finish(&mut self, emit: &mut impl FnMut(Line<'_>)) {
        if let Some(seen) = self.overflow.take() {
            self.emit_too_long(seen, emit);
        } else if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.emit_text(&line, emit);
        }
    }

    fn emit_text(&mut self, mut bytes: &[u8], emit: &mut impl FnMut(Line<'_>)) {
        if let [rest @ .., b'\r'] = bytes {
            bytes = rest;
        }
        let (number, offset) = self.advance();
        emit(Line::Text { number, offset, bytes });
    }

    fn emit_too_long(&mut self, len: u64, emit: &mut impl FnMut(Line<'_>)) {
        let (number, offset) = self.advance();
        emit(Line::TooLong { number, offset, len });
    }

    fn advance(&mut self) -> (u64, u64) {
        let number = self.next_number;
        let offset = self.line_start;
        self.next_number += 1;
        self.line_start = self.position;
        (number, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]], limit: usize) -> Vec<String> {
        let mut s = LineSplitter::new(limit);
        let mut out = Vec::new();
        let mut emit = |l: Line<'_>| {
            out.push(match l {
                Line::Text { number, offset, bytes } => format!("{number}@{offset}:{}", String::from_utf8_lossy(bytes)),
                Line::TooLong { number, offset, len } => format!("{number}@{offset}:too long {len}"),
            })
        };
        for c in chunks {
            s.push(c, &mut emit);
        }
        s.finish(&mut emit);
        out
    }

    #[test]
    fn lines_survive_any_chunking() {
        let text = b"ab\r\ncd\n\nef";
        let want = vec!["1@0:ab", "2@4:cd", "3@7:", "4@8:ef"];
        for cut in 0..text.len() {
            assert_eq!(split(&[&text[..cut], &text[cut..]], 100), want, "cut at {cut}");
        }
        let bytewise: Vec<&[u8]> = text.chunks(1).collect();
        assert_eq!(split(&bytewise, 100), want);
    }

    #[test]
    fn long_lines_are_reported_not_kept() {
        let mut text = vec![b'x'; 50];
        text.extend_from_slice(b"\nok\n");
        text.extend(vec![b'y'; 30]);
        let chunks: Vec<&[u8]> = text.chunks(7).collect();
        assert_eq!(split(&chunks, 20), vec!["1@0:too long 50", "2@51:ok", "3@54:too long 30"]);
        assert_eq!(split(&[&text], 20), vec!["1@0:too long 50", "2@51:ok", "3@54:too long 30"]);
    }
}
