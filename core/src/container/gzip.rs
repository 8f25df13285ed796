//! Push-driven gzip decoding: multi-member files and sync-flush blocks (both written by
//! Teleport 2.5–4.3) decode as one stream; a corrupt or truncated stream keeps what came
//! before the damage and says where it was found.

use flate2::write::MultiGzDecoder;
use std::io::Write;

/// Input is fed to the decoder in pieces of this size, so one push can never inflate to more
/// than ~1000× this (deflate's maximum ratio) before the output is handed on.
const PIECE: usize = 16 * 1024;

pub struct GzipPush {
    decoder: MultiGzDecoder<Vec<u8>>,
    consumed: u64,
    failed: bool,
}

impl Default for GzipPush {
    fn default() -> Self {
        GzipPush { decoder: MultiGzDecoder::new(Vec::new()), consumed: 0, failed: false }
    }
}

impl GzipPush {
    pub fn new() -> Self {
        Self::default()
    }

    /// Compressed bytes accepted so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Decompresses `input`, handing output to `out` as it comes. After an error nothing more
    /// is decoded; the error says at which compressed byte it was found.
    pub fn push(&mut self, input: &[u8], out: &mut impl FnMut(&[u8])) -> Result<(), String> {
        if self.failed {
            return Ok(());
        }
        for piece in input.chunks(PIECE) {
            let result = self.decoder.write_all(piece);
            self.drain(out);
            if let Err(e) = result {
                return Err(self.fail(&e));
            }
            self.consumed += piece.len() as u64;
        }
        Ok(())
    }

    /// Ends the stream. An error here means the gzip data stopped before the end of a member
    /// (a truncated file) or its checksum does not match.
    pub fn finish(&mut self, out: &mut impl FnMut(&[u8])) -> Result<(), String> {
        if self.failed {
            return Ok(());
        }
        if self.consumed == 0 {
            self.failed = true;
            return Err("empty gzip file".to_owned());
        }
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
    fn garbage_is_an_error_not_a_panic() {
        let (out, err) = gunzip_all(b"\x1f\x8b\x08\x00garbage garbage garbage");
        assert!(out.is_empty());
        assert!(err.is_some());
        assert_eq!(gunzip_all(b"").1.as_deref(), Some("empty gzip file"));
    }
}
