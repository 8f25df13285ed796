//! Inputs the fuzzers found (fuzz/, run by `scripts/fuzz`), kept so that they stay fixed.

use review_recording::{EventKind, Print, Recording, SessionEvent};
use review_replay::Player;

/// Peak resident memory of this process so far (Linux), in MiB.
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? >> 10)
}

/// A 3-byte print and one resize made indexing allocate 1.3 GB (and take ~1 s natively).
/// `ESC # 8` fills the 1000×500 screen; narrowing it to 3 columns reflows every row into 334
/// rows, and avt's `Line::contract` splits with `Vec::split_off`, so each new row keeps the
/// capacity of the row it came from: memory grows with rows × cols² / new cols, about 8 bytes
/// per unit of the reflow cost that `RESIZE_BUDGET` (200 M) allows. Found by the `terminal`
/// fuzz target (out of memory at 2 GiB under ASan).
#[test]
fn narrowing_a_full_wide_screen_stays_small() {
    let output = b"\x1b#8".to_vec();
    let recording = Recording {
        generation: 3,
        initial_size: Some((1000, 500)),
        prints: vec![Print { at: 0, offset: 0, len: output.len() }],
        output,
        events: vec![SessionEvent {
            at: 1,
            kind: EventKind::Resize { cols: 3, rows: 500 },
            event: "resize".into(),
            summary: String::new(),
        }],
        duration: 1,
        ..Recording::default()
    };
    let mut player = Player::new(recording);
    player.seek(1);
    let _ = player.snapshot();
    if let Some(peak) = peak_rss_mib() {
        assert!(peak < 256, "peak memory {peak} MiB for a 3-byte recording");
    }
}

/// `CSI n b` (REP) repeats the last character n times: 8 bytes print 65,535 characters, so
/// indexing cost grows with the repeat counts, not the output. 800 KB of `ESC [ 65535 b` on an
/// 80×24 screen took 11.8 s to index natively (release build, loaded 2-core machine; 80 KB took
/// 1.6 s; on a 1000×500 screen 80 KB took 17 s), and 208 MB of scrollback. Found by the
/// `terminal` fuzz target (a 10 KB input over its 10 s timeout under ASan). Indexing must stay
/// proportional to the output, whatever it asks the terminal to do.
#[test]
fn repeated_character_storm_indexes_quickly() {
    let mut output = b"x".to_vec();
    output.extend(b"\x1b[65535b".repeat(100_000));
    let recording = Recording {
        generation: 3,
        initial_size: Some((80, 24)),
        prints: vec![Print { at: 0, offset: 0, len: output.len() }],
        output,
        ..Recording::default()
    };
    let started = std::time::Instant::now();
    let player = Player::new(recording);
    let took = started.elapsed();
    assert!(took.as_secs() < 10, "indexing 800 KB took {took:?}: {:?}", player.stats());
}
