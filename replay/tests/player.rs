//! The player's behaviour on small hand-made recordings.

use review_recording::{EventKind, Millis, Print, Recording, SessionEvent};
use review_replay::{ActiveScreen, Color, Player, ScreenSnapshot, SearchOptions, Style, TermSize};

fn recording(prints: &[(Millis, &[u8])]) -> Recording {
    let mut output = Vec::new();
    let prints = prints
        .iter()
        .map(|(at, bytes)| {
            let print = Print { at: *at, offset: output.len(), len: bytes.len() };
            output.extend_from_slice(bytes);
            print
        })
        .collect();
    Recording { output, prints, ..Recording::default() }
}

fn sized(mut recording: Recording, cols: u16, rows: u16) -> Recording {
    recording.initial_size = Some((cols, rows));
    recording
}

fn resize(at: Millis, cols: u16, rows: u16) -> SessionEvent {
    SessionEvent { at, kind: EventKind::Resize { cols, rows }, event: "resize".into(), summary: String::new() }
}

fn screen_at(player: &mut Player, at: Millis) -> ScreenSnapshot {
    player.seek(at);
    player.snapshot()
}

#[test]
fn colors_16_256_and_truecolor() {
    let mut player = Player::new(recording(&[(
        0,
        b"\x1b[31mA\x1b[91mB\x1b[38;5;200mC\x1b[38;2;1;2;3mD\x1b[44mE\x1b[48;5;17mF\x1b[48;2;9;8;7mG\x1b[0mH",
    )]));
    let screen = screen_at(&mut player, 0);
    let runs = &screen.rows[0].runs;
    let colors: Vec<(&str, Color, Color)> =
        runs.iter().map(|run| (run.text.as_str(), run.style.fg, run.style.bg)).collect();
    let rgb = Color::Rgb(1, 2, 3);
    assert_eq!(
        colors,
        [
            ("A", Color::Indexed(1), Color::Default),
            ("B", Color::Indexed(9), Color::Default),
            ("C", Color::Indexed(200), Color::Default),
            ("D", rgb, Color::Default),
            ("E", rgb, Color::Indexed(4)),
            ("F", rgb, Color::Indexed(17)),
            ("G", rgb, Color::Rgb(9, 8, 7)),
            ("H", Color::Default, Color::Default),
        ]
    );
    assert_eq!(runs[3].col, 3);
}

#[test]
fn sgr_attributes_set_and_reset() {
    let mut player = Player::new(recording(&[(
        0,
        b"\x1b[1ma\x1b[22;2mb\x1b[22;3mc\x1b[23;4md\x1b[24;5me\x1b[25;7mf\x1b[27;9mg\x1b[29mh",
    )]));
    let screen = screen_at(&mut player, 0);
    let style_of = |text: &str| screen.rows[0].runs.iter().find(|run| run.text == text).map(|run| run.style).unwrap();
    let plain = Style::default();
    assert_eq!(style_of("a"), Style { bold: true, ..plain });
    assert_eq!(style_of("b"), Style { faint: true, ..plain });
    assert_eq!(style_of("c"), Style { italic: true, ..plain });
    assert_eq!(style_of("d"), Style { underline: true, ..plain });
    assert_eq!(style_of("e"), Style { blink: true, ..plain });
    assert_eq!(style_of("f"), Style { inverse: true, ..plain });
    assert_eq!(style_of("g"), Style { strikethrough: true, ..plain });
    assert_eq!(style_of("h"), plain);
}

#[test]
fn alternate_screen_comes_and_goes() {
    let mut player = Player::new(sized(
        recording(&[(0, b"$ vim notes\r\n"), (100, b"\x1b[?1049h\x1b[H\x1b[2J~ editing"), (200, b"\x1b[?1049l$ ")]),
        20,
        4,
    ));
    let shell = screen_at(&mut player, 50);
    assert_eq!(shell.screen, ActiveScreen::Primary);
    assert_eq!(shell.text()[0], "$ vim notes");

    let vim = screen_at(&mut player, 150);
    assert_eq!(vim.screen, ActiveScreen::Alternate);
    assert_eq!(vim.text()[0], "~ editing");
    assert!(vim.text()[1..].iter().all(String::is_empty));

    let back = screen_at(&mut player, 250);
    assert_eq!(back.screen, ActiveScreen::Primary);
    assert_eq!(back.text()[..2], ["$ vim notes", "$"]);
    assert_eq!(back.cursor.row, 1);
    assert_eq!(back.cursor.col, 2);
    assert_eq!(player.scrollback_len(250), 0, "alternate content is not scrollback");
}

#[test]
fn wide_and_combining_characters_take_the_right_cells() {
    let mut player =
        Player::new(sized(recording(&[(0, "界a e\u{301}x 日\u{301}y\r\n\x1b[31mo\u{308}\x1b[0m".as_bytes())]), 20, 3));
    let screen = screen_at(&mut player, 0);
    assert_eq!(screen.text()[0], "界a e\u{301}x 日\u{301}y");
    let run = &screen.rows[0].runs[0];
    // 界(2) a(1) ' '(1) é(1) x(1) ' '(1) 日́(2) y(1)
    assert_eq!(run.width, 10);
    assert_eq!(screen.rows[1].runs[0].text, "o\u{308}");
    assert_eq!(screen.rows[1].runs[0].style.fg, Color::Indexed(1));
    assert_eq!((screen.cursor.col, screen.cursor.row), (1, 1));
    // The search text shows the clusters, not their stand-ins.
    let hits = player.search("e\u{301}x 日\u{301}", SearchOptions { case_sensitive: true, regex: false }).unwrap().hits;
    assert_eq!(hits.len(), 1);
}

#[test]
fn utf8_split_across_prints_and_across_a_keyframe() {
    let rec = recording(&[(0, b"ab\xe7"), (10, b"\x95"), (20, b"\x8c!"), (30, b"\xf0\x9f"), (40, b"\xa6\x80")]);
    // Interval 1: a keyframe before every print, so restores land inside the characters.
    let mut player = Player::with_keyframe_interval(rec, 1);
    assert!(player.stats().keyframes >= 4);
    assert_eq!(screen_at(&mut player, 0).text()[0], "ab");
    assert_eq!(screen_at(&mut player, 10).text()[0], "ab");
    assert_eq!(screen_at(&mut player, 20).text()[0], "ab界!");
    assert_eq!(screen_at(&mut player, 40).text()[0], "ab界!🦀");
    // Backwards, then forward from a keyframe taken between the bytes of 界.
    assert_eq!(screen_at(&mut player, 10).text()[0], "ab");
    assert_eq!(screen_at(&mut player, 25).text()[0], "ab界!");
    assert_eq!(player.search_text(), "ab界!🦀");
}

#[test]
fn resize_mid_recording_and_absurd_sizes_are_clamped() {
    let mut rec = sized(recording(&[(0, b"hello"), (200, b"\r\nafter"), (400, b"!")]), 40, 10);
    rec.events = vec![resize(100, 60, 20), resize(300, 65_535, 65_535)];
    let mut player = Player::new(rec);
    let before = screen_at(&mut player, 50);
    assert_eq!(before.size, TermSize { cols: 40, rows: 10 });
    assert_eq!(before.rows.len(), 10);
    let after = screen_at(&mut player, 250);
    assert_eq!(after.size, TermSize { cols: 60, rows: 20 });
    assert_eq!(after.rows.len(), 20);
    assert_eq!(after.text()[..2], ["hello", "after"]);
    let huge = screen_at(&mut player, 400);
    assert_eq!(huge.size, TermSize::MAX);
    assert_eq!(huge.rows.len(), usize::from(TermSize::MAX.rows));
    assert_eq!(huge.text()[1], "after!");
    // And back: a seek before the resizes restores the small screen.
    assert_eq!(screen_at(&mut player, 0).size, TermSize { cols: 40, rows: 10 });
}

#[test]
fn default_size_without_one_recorded() {
    let mut player = Player::new(recording(&[(0, b"x")]));
    assert_eq!(screen_at(&mut player, 0).size, TermSize { cols: 80, rows: 24 });
    let mut zero = sized(recording(&[(0, b"x")]), 0, 0);
    zero.events = vec![resize(0, 0, 0)];
    let mut player = Player::new(zero);
    assert_eq!(screen_at(&mut player, 0).size, TermSize::DEFAULT);
}

#[test]
fn search_hits_carry_the_time_of_their_print() {
    let mut player = Player::new(recording(&[
        (0, b"$ "),
        (1_000, b"ls\r\n"),
        (1_500, b"\x1b[34mfoo.txt\x1b[0m  bar.log\r\n$ "),
        (60_000, b"cat foo.txt\r\nsecret=42\r\n"),
    ]));
    let results = player.search("foo.txt", SearchOptions::default()).unwrap();
    let times: Vec<Millis> = results.hits.iter().map(|hit| hit.at).collect();
    assert_eq!(times, [1_500, 60_000]);
    assert_eq!(results.hits[1].print, 3);
    assert_eq!(results.hits[1].preview, "$ cat foo.txt");
    assert_eq!(results.hits[1].highlight, (6, 13));
    // Seeking to a hit shows it.
    let hit = &results.hits[0];
    let screen = screen_at(&mut player, hit.at);
    assert!(screen.text().iter().any(|row| row.contains("foo.txt")));
    let regex = SearchOptions { regex: true, case_sensitive: true };
    let hits = player.search(r"secret=\d+", regex).unwrap().hits;
    assert_eq!((hits.len(), hits[0].at), (1, 60_000));
    assert!(player.search("[", regex).is_err());
}

#[test]
fn scrollback_holds_what_left_the_screen_by_then() {
    let lines: Vec<(Millis, Vec<u8>)> =
        (1..=6).map(|n| (n * 100, format!("\x1b[3{n}mline{n}\x1b[0m\r\n").into_bytes())).collect();
    let prints: Vec<(Millis, &[u8])> = lines.iter().map(|(at, b)| (*at, b.as_slice())).collect();
    let player = Player::new(sized(recording(&prints), 10, 3));
    let texts = |at| -> Vec<String> { player.scrollback_at(at).iter().map(|line| line.row.text()).collect() };
    assert!(texts(250).is_empty());
    assert_eq!(texts(300), ["line1"]);
    assert_eq!(texts(450), ["line1", "line2"]);
    assert_eq!(texts(600), ["line1", "line2", "line3", "line4"]);
    let scrolled = player.scrollback_at(600);
    assert_eq!(scrolled[1].at, 400);
    assert_eq!(scrolled[1].row.runs[0].style.fg, Color::Indexed(2));
    assert_eq!(player.scrollback_len(600), 4);
    let page: Vec<String> = player.scrollback(600, 2..10).iter().map(|l| l.row.text()).collect();
    assert_eq!(page, ["line3", "line4"]);
    // Cleared screens go to scrollback too (as in xterm).
    let cleared = Player::new(sized(recording(&[(0, b"one\r\ntwo"), (50, b"\x1b[H\x1b[2J")]), 10, 3));
    let texts: Vec<String> = cleared.scrollback_at(50).iter().map(|l| l.row.text()).collect();
    assert_eq!(texts, ["one", "two"]);
}

#[test]
fn transcript_lines_with_times() {
    let player = Player::new(sized(
        recording(&[
            (0, b"$ echo a-very-long-line\r\n"),
            (1_000, b"a-very-long-line\r\n$ top\r\n"),
            (2_000, b"\x1b[?1049h\x1b[H\x1b[2Jtop - load 0.5\r\nPID 1 init"),
            (3_000, b"\x1b[?1049l$ exit\r\n"),
        ]),
        12,
        3,
    ));
    let transcript = player.transcript();
    let lines: Vec<(Millis, ActiveScreen, &str)> =
        transcript.iter().map(|line| (line.at, line.screen, line.text.as_str())).collect();
    use ActiveScreen::{Alternate, Primary};
    assert_eq!(
        lines,
        [
            (1_000, Primary, "$ echo a-very-long-line"),
            (1_000, Primary, "a-very-long-line"),
            (3_000, Alternate, "top - load 0.5"),
            (3_000, Alternate, "PID 1 init"),
            (3_000, Primary, "$ top"),
            (3_000, Primary, "$ exit"),
        ]
    );
    // Still in a full-screen program at the end: its screen closes the transcript.
    let still_open = Player::new(sized(recording(&[(0, b"$ less log\r\n"), (500, b"\x1b[?1049h\x1b[Hpage 1")]), 12, 3));
    let lines: Vec<(Millis, ActiveScreen, String)> =
        still_open.transcript().into_iter().map(|line| (line.at, line.screen, line.text)).collect();
    assert_eq!(lines, [(500, Primary, "$ less log".to_owned()), (500, Alternate, "page 1".to_owned()),]);
    let text = player.transcript_text();
    assert!(text.contains("[0:00:01.000] a-very-long-line\n"), "{text}");
    assert!(text.contains("alternate screen"), "{text}");
    assert!(text.ends_with("[0:00:03.000] $ exit\n"), "{text}");
}

#[test]
fn hostile_sequences_reach_nothing_but_the_grid() {
    let payloads: &[&[u8]] = &[
        b"\x1b]52;c;c2VjcmV0LWNsaXBib2FyZA==\x07",
        b"\x1b]8;;https://evil.example/SECRETLINK\x1b\\click\x1b]8;;\x1b\\",
        b"\x1b]0;SECRETTITLE\x07\x1b]2;SECRETTITLE2\x1b\\",
        b"\x1bP1$qSECRETDCS\x1b\\",
        b"\x1b[999999999;999999999H\x1b[1000000000A\x1b[4294967296@",
        b"\x1b[6n\x1b[c\x1b[>c\x1b[5n\x1b[21t\x1b[8;100000;100000t",
        b"\x07\x07\x1b[?1000h\x1b[?2004h",
        b"\x1b_SECRETAPC\x1b\\\x1b^SECRETPM\x1b\\",
        b"\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20;21;22;23;24;25;26;27;28;29;30;31;32;33;34;35m",
        b"\x1b[38;5;99999m\x1b[38;2;999;999;999m\x1b[48;2m\x1b[38;5m",
        b"\x1b]",
    ];
    let mut prints: Vec<(Millis, &[u8])> = vec![(0, b"before ")];
    prints.extend(payloads.iter().map(|p| (10, *p)));
    prints.push((20, b"\x1b[0m\r\nafter"));
    let mut rec = sized(recording(&prints), 30, 5);
    rec.events = vec![resize(15, 65_535, 1)];
    let mut player = Player::new(rec);
    let screen = screen_at(&mut player, 100);
    assert_eq!(screen.size, TermSize { cols: 1000, rows: 1 });
    let everything =
        format!("{:?}{:?}{}{}", screen, player.scrollback_at(100), player.transcript_text(), player.search_text());
    for secret in ["SECRET", "c2VjcmV0", "evil.example"] {
        assert!(!everything.contains(secret), "{secret} surfaced: {everything}");
    }
    // The text around the sequences is intact; the link text itself is ordinary output.
    assert!(player.search_text().starts_with("before "), "{}", player.search_text());
    assert!(player.search_text().contains("click"));
    let hits = player.search("after", SearchOptions::default()).unwrap();
    assert_eq!(hits.hits.len(), 1);
}

#[test]
fn damaged_and_empty_recordings_do_not_break() {
    let mut empty = Player::new(Recording::default());
    assert_eq!(screen_at(&mut empty, 5_000).size, TermSize::DEFAULT);
    assert!(empty.transcript().is_empty());
    assert!(empty.search("x", SearchOptions::default()).unwrap().hits.is_empty());
    assert_eq!(empty.clock(Some(2000)).display_duration(), 0);

    let mut rec = recording(&[(0, b"ok")]);
    rec.prints.push(Print { at: 5, offset: 1, len: usize::MAX });
    rec.prints.push(Print { at: 6, offset: usize::MAX, len: 10 });
    rec.prints.push(Print { at: 3, offset: 0, len: 1 });
    let mut damaged = Player::new(rec);
    assert_eq!(screen_at(&mut damaged, 10).text()[0], "okko");
}

#[test]
fn updates_report_only_changed_rows() {
    let mut player = Player::new(sized(
        recording(&[(0, b"one\r\ntwo\r\nthree"), (100, b"\x1b[2;1HTWO"), (200, b"\x1b[3;1H\x1b[K")]),
        10,
        4,
    ));
    player.seek(0);
    let first = player.update();
    assert!(first.full);
    assert_eq!(first.rows.len(), 4);
    player.seek(100);
    let second = player.update();
    assert!(!second.full);
    let changed: Vec<(u16, String)> = second.rows.iter().map(|c| (c.index, c.row.text())).collect();
    assert_eq!(changed, [(1, "TWO".to_owned())]);
    assert_eq!((second.cursor.row, second.cursor.col), (1, 3));
    assert!(player.update().rows.is_empty(), "nothing changed since");
    // Back to the start (a keyframe restore): the row that differs is reported.
    player.seek(0);
    let back = player.update();
    let changed: Vec<u16> = back.rows.iter().map(|c| c.index).collect();
    assert_eq!(changed, [1]);
    player.forget_shown();
    assert!(player.update().full);
}

#[test]
fn keyframes_avoid_states_avt_cannot_restore() {
    // Origin mode with margins, then a resize: avt's dump of this state restores with origin
    // mode off, so no keyframe may be taken here (found by the seek property test).
    let mut rec =
        sized(recording(&[(0, b"\x1b[2;5r\x1b[1;12H a aa aaaaaa     aa\x1b[?6h"), (2, b"\x1b[1;1Hx")]), 2, 10);
    rec.events = vec![resize(1, 1, 10)];
    let mut seeking = Player::with_keyframe_interval(rec.clone(), 1);
    let mut reference = Player::new(rec);
    for at in [2, 1, 2, 0, 2] {
        seeking.seek(at);
        reference.replay_from_start(at);
        assert_eq!(seeking.snapshot(), reference.snapshot(), "at {at}");
        assert_eq!(seeking.terminal_dump(), reference.terminal_dump(), "at {at}");
    }
}

#[test]
fn seek_print_shows_prints_of_the_same_millisecond_one_by_one() {
    let mut player = Player::new(recording(&[(5, b"a"), (5, b"b"), (5, b"c")]));
    player.seek_print(0);
    assert_eq!(player.snapshot().text()[0], "a");
    player.seek_print(1);
    assert_eq!(player.snapshot().text()[0], "ab");
    player.seek(5);
    assert_eq!(player.snapshot().text()[0], "abc");
    player.seek_print(99);
    assert_eq!(player.snapshot().text()[0], "abc");
}

#[test]
fn clock_from_the_player_caps_idle_gaps() {
    let player = Player::new(recording(&[(0, b"a"), (100_000, b"b"), (100_500, b"c")]));
    let clock = player.clock(Some(2_000));
    assert_eq!(clock.display_duration(), 2_500);
    assert_eq!(clock.to_display(100_000), 2_000);
    assert_eq!(clock.to_recording(2_250), 100_250);
    assert_eq!(player.clock(None).display_duration(), 100_500);
    assert_eq!(clock.next_activity(10), Some(100_000));
}

#[test]
fn a_typed_hit_is_shown_once_its_last_character_is_printed() {
    // "needle" echoed one key at a time, 100 ms apart.
    let keys: Vec<(Millis, &[u8])> = b"needle".chunks(1).enumerate().map(|(i, c)| (i as Millis * 100, c)).collect();
    let player = Player::new(recording(&keys));
    let hits = player.search("needle", SearchOptions::default()).unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].at, hits[0].shown), (0, 500));
    let mut player = player;
    assert_eq!(screen_at(&mut player, hits[0].shown).text()[0], "needle");
    assert_eq!(screen_at(&mut player, hits[0].at).text()[0], "n");
}
