//! Push-driven gzip decoding: multi-member files and sync-flush blocks (both written by
//! Teleport 2.5–4.3) decode as one stream; a corrupt or truncated stream keeps what came
//! before the damage and says where it was found.

use flate2::write::MultiGzDecoder;
use std::io::Write;

/// Input is fed to the decoder in pieces of this size, so one push can never inflate to more
/// than ~1000× this (deflate's maximum ratio) before the output is handed on. The pieces start
/// at multiples of this size in the file, whatever the slices pushed: the decoder sees the same
/// calls however the input arrives, so an error is found, and reported, at the same byte.
const PIECE: usize = 16 * 1024;

pub struct GzipPush {
    decoder: MultiGzDecoder<Vec<u8>>,
    /// The start of the next piece, until it is whole (or the stream ends).
    pending: Vec<u8>,
    consumed: u64,
    failed: bool,
}

impl Default for GzipPush {
    fn default() -> Self {
        GzipPush { decoder: MultiGzDecoder::new(Vec::new()), pending: Vec::new(), consumed: 0, failed: false }
    }
}

impl GzipPush {
    pub fn new() -> Self {
        Self::default()
    }

    /// Compressed bytes the decoder accepted so far: after an error, the offset in the file
    /// of the decoder call that found it, which does not depend on how the input was pushed.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Decompresses `input`, handing output to `out` as it comes. After an error nothing more
    /// is decoded; the error says at which compressed byte it was found.
    pub fn push(&mut self, mut input: &[u8], out: &mut impl FnMut(&[u8])) -> Result<(), String> {
        if self.failed {
            return Ok(());
        }
        if !self.pending.is_empty() {
            let take = (PIECE - self.pending.len()).min(input.len());
            self.pending.extend_from_slice(&input[..take]);
            input = &input[take..];
            if self.pending.len() < PIECE {
                return Ok(());
            }
            let piece = std::mem::take(&mut self.pending);
            let result = self.feed(&piece, out);
            self.pending = piece;
            self.pending.clear();
            result?;
        }
        let whole = input.len() - input.len() % PIECE;
        for piece in input[..whole].chunks(PIECE) {
            self.feed(piece, out)?;
        }
        self.pending.extend_from_slice(&input[whole..]);
        Ok(())
    }

    /// Ends the stream. An error here means the gzip data stopped before the end of a member
    /// (a truncated file) or its checksum does not match.
    pub fn finish(&mut self, out: &mut impl FnMut(&[u8])) -> Result<(), String> {
        if self.failed {
            return Ok(());
        }
        if self.consumed == 0 && self.pending.is_empty() {
            self.failed = true;
            return Err("empty gzip file".to_owned());
        }
        let last = std::mem::take(&mut self.pending);
        self.feed(&last, out)?;
        let result = self.decoder.try_finish();
        self.drain(out);
        result.map_err(|_| {
            self.failed = true;
            format!(
                "gzip data ends early or is damaged at its end (after byte {}): the file is truncated",
                self.consumed
            )
        })
    }

    /// Writes one piece to the decoder, counting the bytes it accepts, and hands on its output.
    fn feed(&mut self, mut piece: &[u8], out: &mut impl FnMut(&[u8])) -> Result<(), String> {
        let mut result = Ok(());
        while !piece.is_empty() && result.is_ok() {
            result = match self.decoder.write(piece) {
                Ok(0) => Err(std::io::Error::new(std::io::ErrorKind::WriteZero, "the decoder accepts no more data")),
                Ok(n) => {
                    self.consumed += n as u64;
                    piece = &piece[n..];
                    Ok(())
                }
                Err(e) => Err(e),
            };
        }
        self.drain(out);
        result.map_err(|e| self.fail(&e))
    }

    fn fail(&mut self, e: &std::io::Error) -> String {
        self.failed = true;
        format!("gzip data is corrupt near byte {}: {e}", self.consumed)
    }

    fn drain(&mut self, out: &mut impl FnMut(&[u8])) {
        let buf = self.decoder.get_mut();
        if !buf.is_empty() {
            out(buf);
            buf.clear();
        }
    }
}

/// Decompresses a whole gzip buffer (all members). On damage returns what decoded before it,
/// with the error.
pub fn gunzip_all(input: &[u8]) -> (Vec<u8>, Option<String>) {
    let mut out = Vec::new();
    let mut gz = GzipPush::new();
    let mut sink = |b: &[u8]| out.extend_from_slice(b);
    let err = gz.push(input, &mut sink).err().or_else(|| gz.finish(&mut sink).err());
    (out, err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn multi_member_and_sync_flush_decode_as_one_stream() {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(b"first\n").unwrap();
        e.flush().unwrap(); // sync-flush block, as Teleport's writer does after each batch
        e.write_all(b"second\n").unwrap();
        let mut file = e.finish().unwrap();
        file.extend(gz(b"third member\n"));
        for piece in [1, 7, 4096] {
            let mut gzp = GzipPush::new();
            let mut out = Vec::new();
            for c in file.chunks(piece) {
                gzp.push(c, &mut |b: &[u8]| out.extend_from_slice(b)).unwrap();
            }
            gzp.finish(&mut |b: &[u8]| out.extend_from_slice(b)).unwrap();
            assert_eq!(out, b"first\nsecond\nthird member\n");
        }
    }

    #[test]
    fn truncated_gzip_keeps_what_came_before_and_says_so() {
        let data: Vec<u8> = (0..20_000u32).flat_map(|i| format!("line {i}\n").into_bytes()).collect();
        let file = gz(&data);
        let cut = &file[..file.len() / 2];
        let (out, err) = gunzip_all(cut);
        assert!(err.unwrap().contains("truncated"));
        assert!(out.len() > data.len() / 4, "most of the data before the cut survives");
        assert_eq!(out, data[..out.len()]);
    }

    #[test]
    fn a_damaged_checksum_is_reported_where_the_next_member_starts_however_sliced() {
        let data: Vec<u8> =
            (0..30_000u32).flat_map(|i| format!("line {}\n", i.wrapping_mul(2_654_435_761)).into_bytes()).collect();
        let mut file = gz(&data);
        let first = file.len();
        file[first - 8] ^= 0xff;
        file.extend(gz(b"second\n"));
        for slice in [1, 7, 4096, 20_000, file.len()] {
            let mut gzp = GzipPush::new();
            let mut err = None;
            for c in file.chunks(slice) {
                err = err.or(gzp.push(c, &mut |_: &[u8]| {}).err());
            }
            let err = err.or(gzp.finish(&mut |_: &[u8]| {}).err()).expect("an error");
            assert!(err.contains(&format!("near byte {first}:")), "{slice}: {err}");
            assert_eq!(gzp.consumed(), first as u64);
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let (out, err) = gunzip_all(b"\x1f\x8b\x08\x00garbage garbage garbage");
        assert!(out.is_empty());
        assert!(err.is_some());
        assert_eq!(gunzip_all(b"").1.as_deref(), Some("empty gzip file"));
    }
}
