//! Property: seeking through keyframes shows exactly what replaying from the start shows —
//! cells, attributes, cursor, active screen and every mode avt can dump — for random
//! recordings full of escape sequences, split UTF-8, resizes and hostile input, and for any
//! order of seeks (restores, incremental steps forward, jumps back).

use proptest::prelude::*;
use review_recording::{EventKind, Millis, Print, Recording, SessionEvent};
use review_replay::Player;

/// Pieces of terminal output; recordings are random sequences of them, cut into prints at
/// random byte positions (so sequences and characters are split across prints).
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    let word = "[a-z ]{1,12}".prop_map(String::into_bytes);
    let fixed = prop::sample::select(vec![
        "\r\n",
        "\n",
        "\r",
        "\t",
        "\x08",
        "\x1b[K",
        "\x1b[2J",
        "\x1b[H",
        "\x1b[1J",
        "\x1b[0m",
        "\x1b[1;3;4;5;7;9m",
        "\x1b[2m",
        "\x1b[22;23;24;25;27;29m",
        "\x1b[?1049h",
        "\x1b[?1049l",
        "\x1b[?1047h",
        "\x1b[?1047l",
        "\x1b[?25l",
        "\x1b[?25h",
        "\x1b[?7l",
        "\x1b[?7h",
        "\x1b[?6h",
        "\x1b[?6l",
        "\x1b[4h",
        "\x1b[4l",
        "\x1b7",
        "\x1b8",
        "\x1b[s",
        "\x1b[u",
        "\x1bM",
        "\x1bD",
        "\x1bE",
        "\x1b[3L",
        "\x1b[2M",
        "\x1b[4@",
        "\x1b[2P",
        "\x1b[5X",
        "\x1b[3S",
        "\x1b[2T",
        "\x1b[2;5r",
        "\x1b[r",
        "\x1b(0lqk\x1b(B",
        "\x1b)0\x0eax\x0f",
        "\x1b[3g",
        "\x1bH",
        "\x1b[5b",
        "\x1b[65535b",
        "\x1b#8",
        "\x1bc",
        "\x1b[!p",
        "界",
        "e\u{301}",
        "a\u{300}\u{301}",
        "🦀",
        "\u{fe0f}",
        "\u{200d}",
        "日本語",
        "\x1b]0;title\x07",
        "\x1b]52;c;aGVsbG8=\x07",
        "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
        "\x1bPq#0;2;0;0;0\x1b\\",
        "\x1b[999999999;999999999H",
        "\x1b[6n",
        "\x1b[c",
        "\x1b[8;1000;1000t",
        "\x1b[38;5;196m",
        "\x1b[48;2;1;2;3m",
        "\x1b[31;42m",
        "\x1b[91m",
        "\x1b[",
        "\x1b",
        "\x1b]",
        "\u{9b}1m",
    ])
    .prop_map(|s: &str| s.as_bytes().to_vec());
    let cup = (1u16..30, 1u16..100).prop_map(|(r, c)| format!("\x1b[{r};{c}H").into_bytes());
    let invalid =
        prop::sample::select(vec![b"\xff".to_vec(), b"\xe2\x82".to_vec(), b"\xc3".to_vec(), b"\xf0\x9f".to_vec()]);
    prop_oneof![4 => word, 6 => fixed, 2 => cup, 1 => invalid]
}

#[derive(Debug, Clone)]
struct Case {
    recording: Recording,
    interval: usize,
    targets: Vec<Millis>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(fragment(), 1..120),
        prop::collection::vec(0usize..10_000, 0..60),
        prop::collection::vec(0u64..40, 60),
        prop::collection::vec((0u64..2000, 0u16..40, 0u16..14), 0..5),
        prop::option::of((1u16..60, 1u16..20)),
        1usize..400,
        prop::collection::vec(0u64..2100, 1..12),
    )
        .prop_map(|(fragments, cuts, gaps, resizes, initial, interval, targets)| {
            let output: Vec<u8> = fragments.concat();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (output.len() + 1)).collect();
            cuts.push(0);
            cuts.push(output.len());
            cuts.sort_unstable();
            cuts.dedup();
            let mut at = 0;
            let prints = cuts
                .windows(2)
                .enumerate()
                .map(|(i, pair)| {
                    at += gaps[i % gaps.len()];
                    Print { at, offset: pair[0], len: pair[1] - pair[0] }
                })
                .collect();
            let mut events: Vec<SessionEvent> = resizes
                .into_iter()
                .map(|(at, cols, rows)| SessionEvent {
                    at,
                    kind: EventKind::Resize { cols, rows },
                    event: "resize".into(),
                    summary: String::new(),
                })
                .collect();
            events.sort_by_key(|event| event.at);
            Case {
                recording: Recording {
                    output,
                    prints,
                    events,
                    initial_size: initial,
                    duration: 2000,
                    ..Recording::default()
                },
                interval,
                targets,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn keyframe_seek_equals_replay_from_start(case in case()) {
        let mut seeking = Player::with_keyframe_interval(case.recording.clone(), case.interval);
        let mut reference = Player::new(case.recording.clone());
        for &at in &case.targets {
            seeking.seek(at);
            reference.replay_from_start(at);
            prop_assert_eq!(seeking.snapshot(), reference.snapshot(), "at {}", at);
            prop_assert_eq!(seeking.terminal_dump(), reference.terminal_dump(), "at {}", at);
        }
        // Print by print forward (the incremental path), checking every few.
        for index in (0..case.recording.prints.len()).step_by(3) {
            seeking.seek_print(index);
            let at = case.recording.prints[index].at;
            // Same-millisecond prints after `index` are not shown by seek_print: compare
            // with the time-based reference only when `index` is the last print at `at`.
            if case.recording.prints.get(index + 1).is_none_or(|next| next.at != at) {
                reference.replay_from_start(at);
                prop_assert_eq!(seeking.snapshot().rows, reference.snapshot().rows, "print {}", index);
                prop_assert_eq!(seeking.terminal_dump(), reference.terminal_dump(), "print {}", index);
            }
        }
    }
}
