#![no_main]
//! Push-driven tar splitting: the same bytes pushed whole and in slices (lengths drawn from the
//! input) must give the same entries, data and verdict. Input: slice-seed length byte n
//! (n % 32), n slice-seed bytes, then the archive.

use fuzz_support::{slice_lengths, Digest};
use libfuzzer_sys::fuzz_target;
use review_core::container::{TarEvent, TarSplitter};

fuzz_target!(|data: &[u8]| {
    let Some((&seed_len, rest)) = data.split_first() else {
        return;
    };
    let (seed, archive) = rest.split_at(usize::from(seed_len % 32).min(rest.len()));
    let whole = split(archive, std::iter::repeat(usize::MAX));
    let sliced = split(archive, slice_lengths(seed));
    assert_eq!(whole, sliced, "whole vs. sliced");
});

#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Entry { path: String, size: u64, data: Digest, ended: bool },
    Error(String),
}

fn split(archive: &[u8], mut lengths: impl Iterator<Item = usize>) -> Vec<Seen> {
    let mut seen = Vec::new();
    let mut emit = |event: TarEvent<'_>| match event {
        TarEvent::Entry { path, size } => seen.push(Seen::Entry { path, size, data: Digest::default(), ended: false }),
        TarEvent::Data(bytes) => match seen.last_mut() {
            Some(Seen::Entry { data, ended: false, size, .. }) => {
                data.add(bytes);
                assert!(data.len <= *size, "more data than the header's size");
            }
            _ => panic!("data outside an entry"),
        },
        TarEvent::End => match seen.last_mut() {
            Some(Seen::Entry { ended, .. }) if !*ended => *ended = true,
            _ => panic!("end outside an entry"),
        },
    };
    let mut split = TarSplitter::new();
    let mut rest = archive;
    while !rest.is_empty() {
        let (slice, tail) = rest.split_at(lengths.next().unwrap_or(1).min(rest.len()));
        // The ingest pipeline stops at the first error, without `finish`.
        if let Err(e) = split.push(slice, &mut emit) {
            seen.push(Seen::Error(e));
            return seen;
        }
        rest = tail;
    }
    if let Err(e) = split.finish(&mut emit) {
        seen.push(Seen::Error(e));
    }
    seen
}
