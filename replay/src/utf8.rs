//! Streaming UTF-8 decoding across print boundaries.
//!
//! PTY output is bytes, and a character may be split between two prints. Invalid bytes become
//! U+FFFD; the byte that interrupts a sequence is decoded afresh rather than swallowed (plain
//! `utf8parse` drops it, which would let a stray lead byte hide the ESC that follows it).

use utf8parse::{Parser, Receiver};

/// Decoder state between two calls: at most a few bytes of an unfinished character.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Utf8Decoder {
    parser: Parser,
}

struct Sink<'a, F: FnMut(char)> {
    emit: &'a mut F,
    invalid: bool,
}

impl<F: FnMut(char)> Receiver for Sink<'_, F> {
    fn codepoint(&mut self, ch: char) {
        (self.emit)(ch);
    }

    fn invalid_sequence(&mut self) {
        self.invalid = true;
    }
}

impl Utf8Decoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// True between characters, false inside a multi-byte one.
    pub fn is_idle(&self) -> bool {
        self.parser == Parser::new()
    }

    /// Decodes `bytes`, continuing any character left unfinished by the previous call.
    pub fn decode(&mut self, bytes: &[u8], emit: &mut impl FnMut(char)) {
        for &byte in bytes {
            let idle = self.is_idle();
            if idle && byte < 0x80 {
                emit(char::from(byte));
                continue;
            }
            if self.advance(byte, emit) && !idle {
                // The byte broke an unfinished sequence: it may itself start something valid.
                self.advance(byte, emit);
            }
        }
    }

    /// Feeds one byte; returns whether it was rejected (U+FFFD already emitted).
    fn advance(&mut self, byte: u8, emit: &mut impl FnMut(char)) -> bool {
        let mut sink = Sink { emit, invalid: false };
        self.parser.advance(&mut sink, byte);
        let invalid = sink.invalid;
        if invalid {
            emit(char::REPLACEMENT_CHARACTER);
        }
        invalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in_parts(parts: &[&[u8]]) -> String {
        let mut decoder = Utf8Decoder::new();
        let mut out = String::new();
        for part in parts {
            decoder.decode(part, &mut |ch| out.push(ch));
        }
        out
    }

    #[test]
    fn characters_split_across_calls_are_joined() {
        let bytes = "aé界🦀z".as_bytes();
        for split in 0..=bytes.len() {
            let (left, right) = bytes.split_at(split);
            assert_eq!(decode_in_parts(&[left, right]), "aé界🦀z", "split at {split}");
        }
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(decode_in_parts(&singles), "aé界🦀z");
    }

    #[test]
    fn invalid_bytes_become_replacement_without_eating_the_next_byte() {
        assert_eq!(decode_in_parts(&[b"a\xffb"]), "a\u{fffd}b");
        // A truncated sequence followed by ESC: the ESC must survive.
        assert_eq!(decode_in_parts(&[b"\xe2\x82", b"\x1b[m"]), "\u{fffd}\x1b[m");
        // A broken sequence followed by a new valid one.
        assert_eq!(decode_in_parts(&[b"\xe2\xc3\xa9"]), "\u{fffd}é");
        assert_eq!(decode_in_parts(&[b"\xe0\x80"]), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn idle_only_between_characters() {
        let mut decoder = Utf8Decoder::new();
        assert!(decoder.is_idle());
        decoder.decode(b"\xe7\x95", &mut |_| {});
        assert!(!decoder.is_idle());
        let mut out = String::new();
        decoder.decode(b"\x8c", &mut |ch| out.push(ch));
        assert!(decoder.is_idle());
        assert_eq!(out, "界");
    }
}
