#![no_main]
//! ProtoStream recordings (Teleport 4.4+): parts of `header | gzip(records) | padding`.
//! Input: a mode byte, then
//! - mode bit 0 set: named files as given (`name \n bytes` separated by `SEP`): headers,
//!   padding, gzip and upload-part names are fuzzed;
//! - otherwise: record bodies (`u32be size | OneOf`…) separated by `SEP`, each wrapped here as
//!   one part (V2 header when bit 1 is set), so that mutations reach the protobuf decoder
//!   instead of breaking gzip checksums.

use fuzz_support::recording::{decode_and_check, SID};
use fuzz_support::{named_files, protostream_file, split, MAX_PARTS};
use libfuzzer_sys::fuzz_target;
use review_recording::Part;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 1 {
        let files = named_files(rest);
        let parts: Vec<Part<'_>> = files.iter().map(|(name, bytes)| Part { path: name, bytes }).collect();
        let _ = decode_and_check(&parts);
    } else {
        let file = protostream_file(&split(rest, MAX_PARTS), mode & 2 == 2);
        let name = format!("{SID}.tar");
        let _ = decode_and_check(&[Part { path: &name, bytes: &file }]);
    }
});
