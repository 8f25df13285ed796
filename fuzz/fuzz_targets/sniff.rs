#![no_main]
//! Sniffing: what a file is from its first bytes and its name. Input: `name \n bytes`.

use libfuzzer_sys::fuzz_target;
use review_core::sniff::{part_name, sniff_content, sniff_layer, trim_line, HEAD_LEN};

fuzz_target!(|data: &[u8]| {
    let (name, bytes) = match data.iter().position(|&b| b == b'\n') {
        Some(nl) => (String::from_utf8_lossy(&data[..nl]).into_owned(), &data[nl + 1..]),
        None => (String::new(), data),
    };
    let head = &bytes[..bytes.len().min(HEAD_LEN)];
    let layer = sniff_layer(head);
    assert_eq!(layer, sniff_layer(bytes), "the layer is told by the head alone");
    let complete = head.len() == bytes.len();
    let content = sniff_content(&name, head, complete);
    let _ = content.is_recording_part();
    if let Some(part) = part_name(&name) {
        assert!(!part.sid.is_empty(), "a part name has a session id");
        assert!(name.contains(part.sid.as_str()), "the session id comes from the name");
    }
    for line in head.split(|&b| b == b'\n').take(100) {
        for array in [false, true] {
            let trimmed = trim_line(line, array);
            let within = line.as_ptr_range();
            assert!(trimmed.is_empty() || within.contains(&trimmed.as_ptr()), "trim_line returns a part of the line");
        }
    }
});
