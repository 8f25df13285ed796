#![no_main]
//! The terminal feed: a recording made of fuzzed output (split into prints) and resizes,
//! indexed by the player, then seeks (checked against a replay from the start, so keyframes
//! are exact), screen updates, scrollback, transcript, search and the playback clock. Input
//! layout: see `fuzz_support::TerminalHeader`.

use fuzz_support::terminal_case;
use libfuzzer_sys::fuzz_target;
use review_replay::{Player, ScreenSnapshot, SearchOptions, TermSize, MAX_HITS};
use std::sync::Arc;

/// Keyframes may hold twice the output plus 32 MiB (see replay/src/keyframe.rs); one keyframe
/// of overshoot (two 1000×500 screens dumped) is allowed on top.
const KEYFRAME_SLACK: usize = 48 << 20;
/// Scrollback text is capped at 128 MiB (replay/src/lines.rs); rows and runs come on top.
const SCROLLBACK_BOUND: usize = 512 << 20;

fuzz_target!(|data: &[u8]| {
    let case = terminal_case(data);
    let recording = Arc::new(case.recording);
    let output = recording.output.len();
    let prints = recording.prints.len();
    let mut player = Player::with_keyframe_interval(recording, case.keyframe_interval);

    let stats = player.stats();
    assert!(
        stats.keyframe_bytes <= output * 2 + KEYFRAME_SLACK,
        "keyframes {} for {output} bytes",
        stats.keyframe_bytes
    );
    assert!(stats.scrollback_bytes <= SCROLLBACK_BOUND, "scrollback {} bytes", stats.scrollback_bytes);

    // A move forward (from the start or a keyframe) and one back (a keyframe restore), each
    // compared with replaying everything up to there (terminal dumps hold both screens,
    // cursor, modes and pen). Only two: each replays the whole output.
    let d = player.duration();
    for at in [d / 2 + 1, d / 3] {
        player.seek(at);
        let dump = player.terminal_dump();
        player.replay_from_start(at);
        assert_eq!(player.terminal_dump(), dump, "seek({at}) differs from replaying to {at}");
    }
    player.seek(u64::MAX);
    let screen = player.snapshot();
    check_screen(&screen);
    let update = player.update();
    assert!(update.full && update.size == screen.size, "the first update is the whole screen");
    for print in [0, prints / 2, prints + 1] {
        player.seek_print(print);
        let update = player.update();
        assert!(update.rows.len() <= usize::from(update.size.rows), "at most one change per row");
    }
    player.forget_shown();
    check_screen(&player.snapshot());

    let rows = player.scrollback_len(d);
    assert!(rows <= stats.scrollback_rows);
    let _ = player.scrollback(d, rows.saturating_sub(50)..rows + 1);
    let _ = player.scrollback(d / 2, 0..10);
    let _ = player.transcript_text();

    let options = SearchOptions { regex: case.regex, case_sensitive: case.case_sensitive };
    for pattern in [case.pattern.as_str(), "e", "\u{e9}"] {
        if let Ok(found) = player.search(pattern, options) {
            assert!(found.hits.len() <= MAX_HITS);
            for hit in &found.hits {
                assert!(hit.print < prints.max(1), "hit in print {} of {prints}", hit.print);
                assert!(hit.highlight.0 <= hit.highlight.1 && hit.highlight.1 <= hit.preview.len());
                assert!(hit.preview.is_char_boundary(hit.highlight.0) && hit.preview.is_char_boundary(hit.highlight.1));
            }
        }
    }

    for idle_cap in [None, Some(1), Some(2_000)] {
        let clock = player.clock(idle_cap);
        let shown = clock.display_duration();
        for at in [0, d / 2, d, shown, shown.saturating_add(5)] {
            let display = clock.to_display(at);
            assert!(display <= shown, "display time {display} past the display duration {shown}");
            let _ = clock.to_recording(at);
            let _ = clock.next_frame(at);
            let _ = clock.previous_frame(at);
            let _ = clock.next_activity(at);
        }
    }
});

fn check_screen(screen: &ScreenSnapshot) {
    assert!(screen.size.cols >= 1 && screen.size.cols <= TermSize::MAX.cols, "cols {}", screen.size.cols);
    assert!(screen.size.rows >= 1 && screen.size.rows <= TermSize::MAX.rows, "rows {}", screen.size.rows);
    assert_eq!(screen.rows.len(), usize::from(screen.size.rows), "one row per screen line");
}
