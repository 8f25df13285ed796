#![no_main]
//! One audit-log line: parsed, then every accessor the model and views use on the result; and
//! read the same by the quick pass as by serde_json alone.

use libfuzzer_sys::fuzz_target;
use review_core::audit::{
    event_description, is_auth_attempt, is_session_lifecycle, parse_line, parse_line_with_serde_only,
};

fuzz_target!(|data: &[u8]| {
    assert_eq!(parse_line(data), parse_line_with_serde_only(data), "the quick pass and serde_json disagree");
    match parse_line(data) {
        Ok(event) => {
            assert!(!event.event.is_empty(), "an event always has a type");
            let _ = event.outcome().label();
            let _ = event.node();
            let _ = event_description(&event.event, event.code.as_deref());
            let _ = is_auth_attempt(&event.event);
            let _ = is_session_lifecycle(&event.event);
        }
        Err(e) => assert!(!e.detail.is_empty(), "a rejected line says why"),
    }
});
