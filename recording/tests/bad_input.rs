//! Damaged and hostile input: never a panic, everything before the damage kept, and a message
//! that says which file, where and why.

mod common;

use common::*;
use review_recording::encode::{self, Gen2Options, GzipStyle, ProtoOptions, ProtoVersion};
use review_recording::{decode, decode_with, Limits, Part, RecordingError};

fn one(name: &str, bytes: &[u8]) -> Result<review_recording::Recording, RecordingError> {
    decode(&[Part { path: name, bytes }])
}

fn unreadable(result: Result<review_recording::Recording, RecordingError>) -> String {
    match result {
        Err(RecordingError::Unreadable(why)) => why,
        other => panic!("expected Unreadable, got {other:?}"),
    }
}

/// Byte offset where each part of a ProtoStream file starts (V1 headers).
fn part_starts(file: &[u8]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut at = 0;
    while at + 24 <= file.len() {
        starts.push(at);
        let word = |i: usize| u64::from_be_bytes(file[at + i..at + i + 8].try_into().unwrap()) as usize;
        at += 24 + word(8) + word(16);
    }
    starts
}

#[test]
fn empty_file() {
    assert!(unreadable(one("s.tar", b"")).contains("empty"));
    assert!(unreadable(decode(&[])).contains("no files"));
}

#[test]
fn random_bytes() {
    let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for name in ["s.tar", "s-0.events.gz", "x.bin"] {
        let why = unreadable(one(name, &noise));
        assert!(why.contains(name), "{why}");
    }
}

#[test]
fn encrypted_protostream_is_refused_as_encrypted() {
    let s = sample();
    let file = encode::protostream(&s, &ProtoOptions { encrypted: true, events_per_part: 4, ..Default::default() });
    assert_eq!(file.1[24], 1, "flag bit 0 at byte 24");
    assert_eq!(decode(&parts(&[file])), Err(RecordingError::Encrypted));
}

#[test]
fn protostream_version_3_is_rejected() {
    let s = sample();
    let (name, mut bytes) = encode::protostream(&s, &ProtoOptions { version: ProtoVersion::V2, ..Default::default() });
    bytes[7] = 3;
    let why = unreadable(one(&name, &bytes));
    assert!(why.contains("version 3 is not supported"), "{why}");
}

#[test]
fn cut_protostream_part_keeps_what_came_before() {
    let s = many_prints(400);
    let (name, bytes) = encode::protostream(&s, &ProtoOptions { events_per_part: 100, ..Default::default() });
    let starts = part_starts(&bytes);
    assert_eq!(starts.len(), 5);
    // Cut in the middle of the third part's gzip body.
    let cut = starts[2] + (starts[3] - starts[2]) / 2;
    let r = one(&name, &bytes[..cut]).unwrap();
    let full = expected_output(&s);
    assert!(r.prints.len() >= 199 && r.prints.len() < 300, "{} prints", r.prints.len());
    assert_same_bytes(&r.output, &full[..r.output.len()]);
    let want = format!("{name}, part 2 (at byte {})", starts[2]);
    assert!(r.problems.iter().any(|p| p.starts_with(&want) && p.contains("the file is cut")), "{:?}", r.problems);
    assert!(r.problems.iter().any(|p| p.starts_with(&want) && p.contains("truncated")), "{:?}", r.problems);
}

#[test]
fn cut_protostream_header_keeps_earlier_parts() {
    let s = many_prints(50);
    let (name, bytes) = encode::protostream(&s, &ProtoOptions { events_per_part: 10, ..Default::default() });
    let starts = part_starts(&bytes);
    let r = one(&name, &bytes[..starts[3] + 10]).unwrap();
    assert_eq!(r.prints.len(), 29, "parts 0-2 hold the start and 29 prints");
    assert!(
        r.problems.iter().any(|p| p.contains("part 3") && p.contains("ends inside the part header")),
        "{:?}",
        r.problems
    );
}

#[test]
fn zero_size_parts_are_skipped() {
    let s = sample();
    let with = encode::protostream(&s, &ProtoOptions { events_per_part: 2, empty_parts: true, ..Default::default() });
    let without = encode::protostream(&s, &ProtoOptions { events_per_part: 2, ..Default::default() });
    assert!(part_starts(&with.1).len() > part_starts(&without.1).len());
    let (a, b) = (decode(&parts(&[with])).unwrap(), decode(&parts(&[without])).unwrap());
    assert_eq!(a, b);
    assert!(a.problems.is_empty(), "{:?}", a.problems);
}

#[test]
fn duplicate_events_from_resumed_uploads_are_dropped() {
    let s = sample();
    let resent = encode::protostream(&s, &ProtoOptions { events_per_part: 3, resend: 2, ..Default::default() });
    let r = decode(&parts(&[resent])).unwrap();
    assert_matches_session(&r, &s, true);
    let parts = s.events.len().div_ceil(3);
    let note = format!("{} events were skipped", 2 * (parts - 1));
    assert!(r.problems.iter().any(|p| p.starts_with(&note)), "{:?}", r.problems);
}

#[test]
fn message_size_zero_is_an_error_in_that_part_only() {
    // A part whose body is one good record and then a record of size 0.
    let s = many_prints(3);
    let (name, good) = encode::protostream(&s, &ProtoOptions::default());
    let body = review_core::container::gunzip_all(&good[24..]).0;
    let first_len = u32::from_be_bytes(body[..4].try_into().unwrap()) as usize;
    let mut bad_body = body[..4 + first_len].to_vec();
    bad_body.extend([0, 0, 0, 0, 1, 2, 3]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &bad_body).unwrap();
    let bad_body = gz.finish().unwrap();
    let mut file = vec![0, 0, 0, 0, 0, 0, 0, 1];
    file.extend((bad_body.len() as u64).to_be_bytes());
    file.extend(0u64.to_be_bytes());
    file.extend(&bad_body);
    file.extend_from_slice(&good); // a second, intact part after it
    let r = one(&name, &file).unwrap();
    assert!(
        r.problems.iter().any(|p| p.contains("part 0") && p.contains("record 1") && p.contains("message size 0")),
        "{:?}",
        r.problems
    );
    assert_eq!(r.events[0].event, "session.start");
    // The second part repeats ei 0 (skipped as a duplicate) and goes on with the prints.
    assert_eq!(r.output, expected_output(&s));
}

#[test]
fn truncated_events_gzip_keeps_the_events_before_the_cut() {
    let s = many_prints(2000);
    let files = encode::gen2(&s, &Gen2Options { gzip: GzipStyle::SyncFlush, events_per_file: 0 });
    let cut: Vec<_> = files
        .iter()
        .map(|(n, b)| {
            if n.ends_with(".events.gz") {
                (n.clone(), b[..b.len() * 2 / 3].to_vec())
            } else {
                (n.clone(), b.clone())
            }
        })
        .collect();
    let r = review_recording::decode(&parts(&cut)).unwrap();
    assert!(r.prints.len() > 1000 && r.prints.len() < 2000, "{} prints", r.prints.len());
    assert_same_bytes(&r.output, &expected_output(&s)[..r.output.len()]);
    let events_name = &files.iter().find(|(n, _)| n.ends_with(".events.gz")).unwrap().0;
    assert!(
        r.problems.iter().any(|p| p.starts_with(events_name.as_str()) && p.contains("truncated")),
        "{:?}",
        r.problems
    );
}

#[test]
fn truncated_chunks_gzip_stops_the_prints_where_the_bytes_end() {
    let s = many_prints(2000);
    let files = encode::gen2(&s, &Gen2Options::default());
    let cut: Vec<_> =
        files
            .iter()
            .map(|(n, b)| {
                if n.ends_with(".chunks.gz") {
                    (n.clone(), b[..b.len() / 2].to_vec())
                } else {
                    (n.clone(), b.clone())
                }
            })
            .collect();
    let r = review_recording::decode(&parts(&cut)).unwrap();
    assert!(r.prints.len() < 2000);
    assert_same_bytes(&r.output, &expected_output(&s)[..r.output.len()]);
    assert!(r.problems.iter().any(|p| p.contains(".chunks.gz: gzip data ends early")), "{:?}", r.problems);
    let stop = format!("print #{} ", r.prints.len());
    assert!(r.problems.iter().any(|p| p.starts_with(&stop) && p.contains("prints stop here")), "{:?}", r.problems);
}

#[test]
fn short_session_bytes_in_gen1() {
    let s = sample();
    let mut files = encode::gen1(&s, encode::Gen1Timing::LoggerRelative);
    files[1].1.truncate(40);
    let r = decode(&parts(&files)).unwrap();
    let mut end = 0;
    let fit = s
        .events
        .iter()
        .filter_map(|e| if let encode::Event::Print(d) = &e.event { Some(d.len()) } else { None })
        .take_while(|len| {
            end += len;
            end <= 40
        })
        .count();
    assert_eq!(r.prints.len(), fit, "every print that ends within the 40 bytes is kept");
    let stop = format!("print #{fit} (");
    assert!(
        r.problems.iter().any(|p| p.starts_with(&stop) && p.contains("holds only bytes 0..40")),
        "{:?}",
        r.problems
    );
}

#[test]
fn missing_session_bytes_keeps_the_events() {
    let s = sample();
    let files = encode::gen1(&s, encode::Gen1Timing::SinceFirstPrint);
    let r = decode(&parts(&files[..1])).unwrap();
    assert!(r.prints.is_empty());
    assert_eq!(r.events.len(), expected_events(&s, false).len());
    assert!(r.problems.iter().any(|p| p.contains("no .session.bytes file was given")), "{:?}", r.problems);
}

#[test]
fn huge_size_claims_allocate_nothing() {
    // A print claiming 4 GiB, an offset near u64::MAX, and a ProtoStream part of 2^62 bytes.
    let log = b"{\"event\":\"session.start\",\"sid\":\"s\",\"size\":\"80:25\",\"time\":\"2020-01-01T00:00:00Z\"}\n\
{\"event\":\"print\",\"bytes\":4294967296,\"ms\":0,\"offset\":0,\"ei\":1,\"time\":\"2020-01-01T00:00:01Z\"}\n\
{\"event\":\"print\",\"bytes\":9223372036854775807,\"ms\":5,\"offset\":9223372036854775807,\"ei\":2}\n";
    let r = decode(&[Part { path: "s-0.events", bytes: log }, Part { path: "s-0.chunks", bytes: b"abc" }]).unwrap();
    assert!(r.prints.is_empty());
    assert!(r.problems.iter().any(|p| p.contains("wants bytes 0..4294967296")), "{:?}", r.problems);

    let mut ps = vec![0, 0, 0, 0, 0, 0, 0, 1];
    ps.extend((1u64 << 62).to_be_bytes());
    ps.extend(0u64.to_be_bytes());
    ps.extend([0x1f, 0x8b, 8, 0]);
    let why = unreadable(one("h.tar", &ps));
    assert!(why.contains("claims 4611686018427387904 bytes but only 4 follow"), "{why}");
}

#[test]
fn gzip_bombs_stop_at_the_limit() {
    let s = many_prints(20_000);
    let files = encode::gen2(&s, &Gen2Options::default());
    let limits = Limits { max_inflated: 64 << 10, ..Limits::default() };
    let r = decode_with(&parts(&files), &limits).unwrap();
    assert!(r.prints.len() < 20_000);
    assert!(r.problems.iter().any(|p| p.contains("decompresses to more than")), "{:?}", r.problems);
}

#[test]
fn damaged_json_lines_are_skipped_with_their_line_number() {
    let s = sample();
    let mut files = encode::gen1(&s, encode::Gen1Timing::LoggerRelative);
    let mut log = files[0].1.clone();
    let second_line = log.iter().position(|&b| b == b'\n').unwrap() + 1;
    log.splice(second_line..second_line, b"{\"event\": oops\n".iter().copied());
    files[0].1 = log;
    let r = decode(&parts(&files)).unwrap();
    assert_eq!(r.output, expected_output(&s));
    assert!(r.problems.iter().any(|p| p.contains(".session.log, line 2: not valid JSON")), "{:?}", r.problems);
}

#[test]
fn index_naming_a_missing_file_is_reported() {
    let s = sample();
    let mut files = encode::gen2(&s, &Gen2Options::default());
    files.retain(|(n, _)| !n.contains("session.disk"));
    let r = decode(&parts(&files)).unwrap();
    assert!(
        r.problems.iter().any(|p| p.contains("session.disk-events.gz (session.disk), which was not given")),
        "{:?}",
        r.problems
    );
}

#[test]
fn files_of_another_session_are_ignored() {
    let s = sample();
    let mut other = sample();
    other.sid = "00000000-aaaa-4bbb-8ccc-dddddddddddd".into();
    let mut files = encode::gen2(&s, &Gen2Options::default());
    files.extend(encode::gen2(&other, &Gen2Options::default()).into_iter().filter(|(n, _)| n.contains(".chunks")));
    let r = decode(&parts(&files)).unwrap();
    assert_matches_session(&r, &s, true);
    assert!(r.problems.iter().any(|p| p.contains("belongs to another session")), "{:?}", r.problems);
}

#[test]
fn an_audit_log_alone_is_not_a_recording() {
    let log = b"{\"event\":\"user.login\",\"user\":\"a\",\"time\":\"2020-01-01T00:00:00Z\"}\n";
    let why = unreadable(one("2020-01-01.00:00:00.log", log));
    assert!(why.contains("an audit log"), "{why}");
}

#[test]
fn extreme_numbers_are_clamped_not_overflowed() {
    let log = b"{\"event\":\"print\",\"bytes\":1,\"ms\":-9223372036854775808,\"offset\":0,\"time\":\"9999-12-31T23:59:59.999999999Z\"}\n\
{\"event\":\"resize\",\"size\":\"65535:65535\",\"ms\":9223372036854775807,\"time\":\"0001-01-01T00:00:00Z\"}\n\
{\"event\":\"print\",\"bytes\":1,\"ms\":9223372036854775807,\"offset\":1,\"time\":\"1970-01-01T00:00:00Z\"}\n\
{\"event\":\"session.end\",\"ms\":1e300,\"time\":\"2262-04-11T23:47:16.854775807Z\"}\n";
    let r =
        decode(&[Part { path: "s.session.log", bytes: log }, Part { path: "s.session.bytes", bytes: b"ab" }]).unwrap();
    assert_eq!(r.output, b"ab");
    let at: Vec<u64> = r.prints.iter().map(|p| p.at).chain(r.events.iter().map(|e| e.at)).collect();
    assert_eq!(at[0], 0);
    assert!(r.duration >= *at.iter().max().unwrap());
    assert_eq!(r.events[0].kind, review_recording::EventKind::Resize { cols: 65535, rows: 65535 });
}

#[test]
fn a_recording_without_terminal_output_says_what_it_holds() {
    let desktop =
        b"{\"event\":\"windows.desktop.session.start\",\"sid\":\"d\",\"ms\":0,\"time\":\"2024-01-01T00:00:00Z\"}\n\
{\"event\":\"desktop.recording\",\"ms\":40,\"time\":\"2024-01-01T00:00:00.040Z\"}\n\
{\"event\":\"desktop.recording\",\"ms\":80,\"time\":\"2024-01-01T00:00:00.080Z\"}\n";
    let r = decode(&[Part { path: "d.session.log", bytes: desktop }]).unwrap();
    assert!(r.prints.is_empty() && r.problems.is_empty(), "not damage: {:?}", r.problems);
    assert_eq!(
        r.without_output().as_deref(),
        Some("no terminal output in this recording, only events (2 × desktop.recording, 1 × windows.desktop.session.start): a desktop session, whose screen this player does not draw")
    );
    let db = b"{\"event\":\"db.session.query\",\"ms\":1,\"time\":\"2024-01-01T00:00:00Z\"}\n";
    let r = decode(&[Part { path: "q.session.log", bytes: db }]).unwrap();
    let said = r.without_output().unwrap_or_default();
    assert!(
        said.ends_with("(1 × db.session.query): a database session, whose queries are events of the audit log"),
        "{said}"
    );
    // With output, nothing is said.
    let shell = b"{\"event\":\"print\",\"bytes\":2,\"ms\":0,\"offset\":0,\"time\":\"2024-01-01T00:00:00Z\"}\n";
    let r = decode(&[Part { path: "s.session.log", bytes: shell }, Part { path: "s.session.bytes", bytes: b"ok" }])
        .unwrap();
    assert_eq!(r.without_output(), None);
}
