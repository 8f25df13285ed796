//! How one fuzz input (a byte string) stands for what the parsers take: several named files, a
//! ProtoStream file assembled around raw records, or a recording's terminal output with its
//! resizes. The seed generator writes inputs with the same functions, so seeds and targets
//! cannot drift apart.

use flate2::{write::GzEncoder, Compression};
use review_recording::{EventKind, Millis, Print, Recording, SessionEvent};
use std::io::Write;

/// Between the files (or prints) of one input. Binary, so that it does not occur in the text
/// formats by chance, and short enough for the fuzzer to insert (it is in the dictionaries).
pub const SEP: &[u8] = b"\xff\x00PART\x00\xff";

/// Files in one input at most: more only costs time.
pub const MAX_PARTS: usize = 16;

/// Longest file name taken from an input.
const MAX_NAME: usize = 256;

/// The pieces of `data` between separators; the last piece keeps any further separators.
pub fn split(data: &[u8], max: usize) -> Vec<&[u8]> {
    let mut pieces = Vec::new();
    let mut rest = data;
    while pieces.len() + 1 < max {
        match find(rest, SEP) {
            Some(at) => {
                pieces.push(&rest[..at]);
                rest = &rest[at + SEP.len()..];
            }
            None => break,
        }
    }
    pieces.push(rest);
    pieces
}

/// The inverse of [`split`].
pub fn join<T: AsRef<[u8]>>(pieces: &[T]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(SEP);
        }
        out.extend_from_slice(piece.as_ref());
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Named files: each piece is `name \n bytes` (a piece without a newline in its first
/// [`MAX_NAME`] bytes is all bytes, named `unnamed`).
pub fn named_files(data: &[u8]) -> Vec<(String, &[u8])> {
    split(data, MAX_PARTS)
        .into_iter()
        .map(|piece| match piece.iter().take(MAX_NAME).position(|&b| b == b'\n') {
            Some(nl) => (String::from_utf8_lossy(&piece[..nl]).into_owned(), &piece[nl + 1..]),
            None => ("unnamed".to_owned(), piece),
        })
        .collect()
}

/// The inverse of [`named_files`].
pub fn join_named<N: AsRef<str>, B: AsRef<[u8]>>(files: &[(N, B)]) -> Vec<u8> {
    let pieces: Vec<Vec<u8>> = files
        .iter()
        .map(|(name, bytes)| {
            let mut piece = name.as_ref().as_bytes().to_vec();
            piece.push(b'\n');
            piece.extend_from_slice(bytes.as_ref());
            piece
        })
        .collect();
    join(&pieces)
}

/// A ProtoStream file with one part per body: `version | size | padding [| flags, 7 zero
/// bytes]` then the gzipped body. Lets the fuzzer work on the records themselves rather than
/// on compressed bytes, where nearly every mutation only breaks the gzip checksum.
pub fn protostream_file<B: AsRef<[u8]>>(bodies: &[B], v2: bool) -> Vec<u8> {
    let mut file = Vec::new();
    for body in bodies {
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        let _ = gz.write_all(body.as_ref());
        let gz = gz.finish().unwrap_or_default();
        file.extend_from_slice(&(if v2 { 2u64 } else { 1u64 }).to_be_bytes());
        file.extend_from_slice(&(gz.len() as u64).to_be_bytes());
        file.extend_from_slice(&0u64.to_be_bytes());
        if v2 {
            file.extend_from_slice(&[0; 8]);
        }
        file.extend_from_slice(&gz);
    }
    file
}

/// Terminal fuzz input, before the output:
///
/// | byte | meaning |
/// |---|---|
/// | 0 | bit 0: search is a regex; bit 1: case-sensitive; bits 2–7: ms between prints |
/// | 1 | keyframe interval: 256 << (b % 8) units of work |
/// | 2–5 | initial size: cols, rows (u16 little-endian; 0 means unknown) |
/// | 6 | resizes r (b % 9), then r × 5 bytes: print number (u8), cols, rows (u16 LE) |
/// | then | search pattern length p (b % 33), then p bytes |
///
/// The rest is the output, one print per piece between [`SEP`]s.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TerminalHeader {
    pub regex: bool,
    pub case_sensitive: bool,
    pub ms_per_print: u8,
    pub keyframe_shift: u8,
    pub size: (u16, u16),
    /// (print number, cols, rows).
    pub resizes: Vec<(u8, u16, u16)>,
    pub pattern: Vec<u8>,
}

/// A recording built from a terminal fuzz input, with what to do with it.
pub struct TerminalCase {
    pub recording: Recording,
    pub keyframe_interval: usize,
    pub pattern: String,
    pub regex: bool,
    pub case_sensitive: bool,
}

/// Reads a terminal input; missing header bytes read as zero.
pub fn terminal_case(data: &[u8]) -> TerminalCase {
    let mut at = 0;
    let mut byte = || {
        let b = data.get(at).copied().unwrap_or(0);
        at += 1;
        b
    };
    let flags = byte();
    let keyframe_shift = byte() % 8;
    let mut word = || u16::from_le_bytes([byte(), byte()]);
    let size = (word(), word());
    let count = byte() % 9;
    let mut resizes = Vec::new();
    for _ in 0..count {
        let print = byte();
        let mut word = || u16::from_le_bytes([byte(), byte()]);
        resizes.push((print, word(), word()));
    }
    let pattern_len = usize::from(byte() % 33);
    let start = at.min(data.len());
    let end = (at + pattern_len).min(data.len());
    let pattern = String::from_utf8_lossy(&data[start..end]).into_owned();
    let output = &data[end..];

    let ms = Millis::from(flags >> 2);
    let mut recording = Recording { generation: 3, initial_size: Some(size), ..Recording::default() };
    for (i, piece) in split(output, usize::MAX).into_iter().enumerate() {
        recording.prints.push(Print { at: i as Millis * ms, offset: recording.output.len(), len: piece.len() });
        recording.output.extend_from_slice(piece);
    }
    recording.events = resizes
        .into_iter()
        .map(|(print, cols, rows)| SessionEvent {
            at: Millis::from(print) * ms,
            kind: EventKind::Resize { cols, rows },
            event: "resize".to_owned(),
            summary: format!("{cols}:{rows}"),
        })
        .collect();
    // What the decoders guarantee: events in time order, and a duration that covers everything.
    recording.events.sort_by_key(|e| e.at);
    let last_print = recording.prints.last().map_or(0, |p| p.at);
    let last_event = recording.events.last().map_or(0, |e| e.at);
    recording.duration = last_print.max(last_event);
    TerminalCase {
        recording,
        keyframe_interval: 256 << keyframe_shift,
        pattern,
        regex: flags & 1 == 1,
        case_sensitive: flags & 2 == 2,
    }
}

/// The inverse of [`terminal_case`]: a header and prints as one input.
pub fn terminal_input<B: AsRef<[u8]>>(header: &TerminalHeader, prints: &[B]) -> Vec<u8> {
    let mut out = vec![
        u8::from(header.regex) | u8::from(header.case_sensitive) << 1 | header.ms_per_print << 2,
        header.keyframe_shift,
    ];
    out.extend_from_slice(&header.size.0.to_le_bytes());
    out.extend_from_slice(&header.size.1.to_le_bytes());
    let resizes = &header.resizes[..header.resizes.len().min(8)];
    out.push(resizes.len() as u8);
    for (print, cols, rows) in resizes {
        out.push(*print);
        out.extend_from_slice(&cols.to_le_bytes());
        out.extend_from_slice(&rows.to_le_bytes());
    }
    let pattern = &header.pattern[..header.pattern.len().min(32)];
    out.push(pattern.len() as u8);
    out.extend_from_slice(pattern);
    out.extend(join(prints));
    out
}

/// Cheap fingerprint of a byte stream, the same however the stream is cut into calls to
/// [`Digest::add`], so that differential checks need not keep outputs (a gzip bomb's).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Digest {
    pub len: u64,
    hash: u64,
    /// Bytes of an unfinished 8-byte word.
    pending: u64,
}

impl Digest {
    pub fn add(&mut self, mut bytes: &[u8]) {
        // Finish the pending word byte by byte, then take whole words (8× fewer steps).
        while !self.len.is_multiple_of(8) {
            let Some((&b, rest)) = bytes.split_first() else {
                return;
            };
            self.push_byte(b);
            bytes = rest;
        }
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.mix(u64::from_le_bytes(word.try_into().unwrap_or_default()));
            self.len += 8;
        }
        for &b in words.remainder() {
            self.push_byte(b);
        }
    }

    fn push_byte(&mut self, b: u8) {
        self.pending |= u64::from(b) << (8 * (self.len % 8));
        self.len += 1;
        if self.len.is_multiple_of(8) {
            let word = std::mem::take(&mut self.pending);
            self.mix(word);
        }
    }

    fn mix(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(23) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Slice lengths for pushing bytes in pieces, drawn from `seed` bytes (1..=4096, with many small
/// ones so that block and line boundaries fall everywhere).
pub fn slice_lengths(seed: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let cycle: Vec<usize> = if seed.is_empty() {
        vec![1]
    } else {
        seed.chunks(2)
            .map(|c| {
                let v = usize::from(c[0]) | usize::from(c.get(1).copied().unwrap_or(0)) << 8;
                1 + if v & 0x8000 != 0 { v & 0xfff } else { v & 0x3f }
            })
            .collect()
    };
    cycle.into_iter().cycle()
}

pub mod ingest;
pub mod recording;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_files_round_trip() {
        let input = join_named(&[("a.log", &b"x\ny"[..]), ("b", b"")]);
        assert_eq!(named_files(&input), vec![("a.log".to_owned(), &b"x\ny"[..]), ("b".to_owned(), &b""[..])]);
    }

    #[test]
    fn digest_does_not_depend_on_the_cuts() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let mut whole = Digest::default();
        whole.add(&data);
        for cut in [1, 3, 8, 13, 999] {
            let mut pieces = Digest::default();
            data.chunks(cut).for_each(|c| pieces.add(c));
            assert_eq!(pieces, whole, "cut every {cut}");
        }
        let mut other = Digest::default();
        other.add(&data[1..]);
        assert_ne!(other, whole);
    }

    #[test]
    fn terminal_round_trip() {
        let header = TerminalHeader {
            regex: true,
            ms_per_print: 7,
            size: (80, 24),
            resizes: vec![(1, 100, 30)],
            pattern: b"ls".to_vec(),
            ..TerminalHeader::default()
        };
        let case = terminal_case(&terminal_input(&header, &[&b"a"[..], b"bc"]));
        assert_eq!(case.recording.output, b"abc");
        assert_eq!(case.recording.prints.len(), 2);
        assert_eq!(case.recording.prints[1].at, 7);
        assert_eq!(case.recording.events[0].kind, EventKind::Resize { cols: 100, rows: 30 });
        assert_eq!(case.pattern, "ls");
        assert!(case.regex && !case.case_sensitive);
    }
}
