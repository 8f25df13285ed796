#![no_main]
//! Generation-1 recordings: `<sid>.session.log` (JSON lines) and `<sid>.session.bytes` (raw
//! output). Input: the log, then optionally `SEP` and the bytes.

use fuzz_support::recording::{decode_and_check, SID};
use fuzz_support::split;
use libfuzzer_sys::fuzz_target;
use review_recording::Part;

fuzz_target!(|data: &[u8]| {
    let pieces = split(data, 2);
    let log = format!("{SID}.session.log");
    let bytes = format!("{SID}.session.bytes");
    let mut parts = vec![Part { path: &log, bytes: pieces[0] }];
    if let Some(raw) = pieces.get(1) {
        parts.push(Part { path: &bytes, bytes: raw });
    }
    let _ = decode_and_check(&parts);
});
