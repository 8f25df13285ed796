#![no_main]
//! Push-driven gzip: the same bytes pushed whole and in slices (lengths drawn from the input)
//! must decode to the same output with the same verdict, and `gunzip_all` must agree.
//! Input: slice-seed length byte n (n % 32), n slice-seed bytes, then the gzip data.

use fuzz_support::{slice_lengths, Digest};
use libfuzzer_sys::fuzz_target;
use review_core::container::{gunzip_all, GzipPush};

fuzz_target!(|data: &[u8]| {
    let Some((&seed_len, rest)) = data.split_first() else {
        return;
    };
    let (seed, gz) = rest.split_at(usize::from(seed_len % 32).min(rest.len()));

    let whole = decode(gz, std::iter::repeat(usize::MAX));
    let sliced = decode(gz, slice_lengths(seed));
    assert_eq!(whole.1, sliced.1, "whole vs. sliced: verdict");
    if !whole.1 {
        assert_eq!(whole.0, sliced.0, "whole vs. sliced: output of a sound stream");
    }
    let (out, err) = gunzip_all(gz);
    let mut all = Digest::default();
    all.add(&out);
    assert_eq!(err.is_some(), whole.1, "gunzip_all vs. push: verdict");
    assert_eq!(all, whole.0, "gunzip_all vs. push: output");
});

/// Output fingerprint, and whether an error was reported (pushing stops at the first, as the
/// ingest pipeline does).
fn decode(gz: &[u8], mut lengths: impl Iterator<Item = usize>) -> (Digest, bool) {
    let mut out = Digest::default();
    let mut push = GzipPush::new();
    let mut rest = gz;
    while !rest.is_empty() {
        let (slice, tail) = rest.split_at(lengths.next().unwrap_or(1).min(rest.len()));
        if push.push(slice, &mut |b: &[u8]| out.add(b)).is_err() {
            return (out, true);
        }
        rest = tail;
    }
    let failed = push.finish(&mut |b: &[u8]| out.add(b)).is_err();
    (out, failed)
}
