//! Gunzip with a size cap, and messages that name the file: Teleport's gzip files may hold
//! sync-flush blocks or several members (both handled by `review_core`'s push decoder), and a
//! cut file keeps everything decoded before the cut.

use review_core::container::GzipPush;

/// Compressed input is fed in pieces this big so the cap is checked often: one piece can
/// inflate to at most ~1000× its size.
const PIECE: usize = 16 * 1024;

/// Decompresses every member of `data`, keeping at most `cap` bytes. A damaged or cut stream
/// or a hit cap adds a message naming `what` (a file, or a part of one) to `problems`.
pub(crate) fn gunzip(what: &str, data: &[u8], cap: usize, problems: &mut Vec<String>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut gz = GzipPush::new();
    let over_cap = std::cell::Cell::new(false);
    let mut sink = |b: &[u8]| {
        let room = cap.saturating_sub(out.len());
        out.extend_from_slice(&b[..b.len().min(room)]);
        over_cap.set(over_cap.get() || b.len() > room);
    };
    let mut result = Ok(());
    for piece in data.chunks(PIECE) {
        result = gz.push(piece, &mut sink);
        if result.is_err() || over_cap.get() {
            break;
        }
    }
    if result.is_ok() && !over_cap.get() {
        result = gz.finish(&mut sink);
    }
    if over_cap.get() {
        problems.push(format!(
            "{what}: decompresses to more than {} MiB; only the first {} MiB were read",
            cap >> 20,
            cap >> 20
        ));
    } else if let Err(e) = result {
        problems.push(format!("{what}: {e}; kept the {} bytes decoded before that", out.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn whole_stream_decodes_without_problems() {
        let mut problems = Vec::new();
        let data = b"hello world\n".repeat(1000);
        assert_eq!(gunzip("f", &gz(&data), usize::MAX, &mut problems), data);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn cut_stream_keeps_the_start_and_names_the_file() {
        let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let packed = gz(&data);
        let mut problems = Vec::new();
        let out = gunzip("s-0.chunks.gz", &packed[..packed.len() / 2], usize::MAX, &mut problems);
        assert!(!out.is_empty() && out.len() < data.len());
        assert_eq!(out, data[..out.len()]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("s-0.chunks.gz: "), "{problems:?}");
        assert!(problems[0].contains("truncated"), "{problems:?}");
    }

    #[test]
    fn a_bomb_stops_at_the_cap() {
        let packed = gz(&vec![0u8; 50 << 20]);
        let mut problems = Vec::new();
        let out = gunzip("bomb.gz", &packed, 1 << 20, &mut problems);
        assert_eq!(out.len(), 1 << 20);
        assert!(problems[0].contains("more than 1 MiB"), "{problems:?}");
    }
}
