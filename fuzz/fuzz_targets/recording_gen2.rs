#![no_main]
//! Generation-2 recordings: `<sid>.index`, `-N.events[.gz]`, `-N.chunks[.gz]`, enhanced events,
//! loose or in a `<sid>.tar` tarball. Input: named files (`name \n bytes`, separated by `SEP`),
//! so names (which carry event indices and chunk offsets) are fuzzed too.

use fuzz_support::named_files;
use fuzz_support::recording::decode_and_check;
use libfuzzer_sys::fuzz_target;
use review_recording::Part;

fuzz_target!(|data: &[u8]| {
    let files = named_files(data);
    let parts: Vec<Part<'_>> = files.iter().map(|(name, bytes)| Part { path: name, bytes }).collect();
    let _ = decode_and_check(&parts);
});
