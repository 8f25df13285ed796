//! What the recording targets share: limits scaled to a fuzz run, and what every decoded
//! recording must satisfy however damaged its input (as `recording/tests/never_panics.rs`).

use review_recording::{decode_with, Limits, Part, Recording, RecordingError};

/// The session id the targets name files with.
pub const SID: &str = "6a7b2c3d-1111-4222-8333-944455556666";

/// The default limits scaled down, so that reaching them is cheap and exceeding them shows as
/// an out-of-memory finding (libFuzzer's `-rss_limit_mb`).
pub const LIMITS: Limits = Limits { max_inflated: 64 << 20, max_output: 16 << 20, max_records: 1 << 20 };

/// Decodes and checks the result.
pub fn decode_and_check(parts: &[Part<'_>]) -> Result<Recording, RecordingError> {
    let result = decode_with(parts, &LIMITS);
    match &result {
        Ok(r) => holds_together(r),
        Err(RecordingError::Unreadable(why)) => assert!(!why.is_empty(), "an unreadable recording says why"),
        Err(RecordingError::Encrypted) => {}
    }
    result
}

pub fn holds_together(r: &Recording) {
    assert!((1..=3).contains(&r.generation), "generation {}", r.generation);
    for p in &r.prints {
        assert!(p.offset.checked_add(p.len).is_some_and(|end| end <= r.output.len()), "print slice out of output");
    }
    assert!(r.prints.windows(2).all(|w| w[0].at <= w[1].at), "prints in time order");
    assert!(r.events.windows(2).all(|w| w[0].at <= w[1].at), "events in time order");
    let last = r.prints.iter().map(|p| p.at).chain(r.events.iter().map(|e| e.at)).max().unwrap_or(0);
    assert!(r.duration >= last, "duration covers everything");
    assert!(r.events.iter().all(|e| !e.summary.contains('\n')), "summaries are one line");
    assert!(r.output.len() <= LIMITS.max_output, "output within its limit: {}", r.output.len());
    assert!(r.prints.len() + r.events.len() <= LIMITS.max_records, "records within their limit");
}
