//! Every generation, written by the encoders from one session description, decodes to the
//! timeline the format reference prescribes.

mod common;

use common::*;
use review_recording::encode::{self, Event, Gen1Timing, Gen2Options, GzipStyle, ProtoOptions, ProtoVersion};
use review_recording::EventKind;

#[test]
fn gen1_logger_relative_ms() {
    let s = sample();
    let r = decode(&encode::gen1(&s, Gen1Timing::LoggerRelative));
    assert_eq!(r.generation, 1);
    assert_matches_session(&r, &s, false);
    assert_eq!(r.meta.node.as_deref(), Some(s.server_id.as_str()), "gen 1 has no host name: server_id stands in");
    assert_eq!(r.meta.end, Some(T0 + 7_250 * MS));
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn gen1_logger_relative_ms_can_be_negative() {
    // The logger's creation time rounds to the next second, so the start is at ms -400.
    let mut s = sample();
    for e in &mut s.events {
        e.time += 600 * MS;
    }
    let files = encode::gen1(&s, Gen1Timing::LoggerRelative);
    let log = String::from_utf8(files[0].1.clone()).unwrap();
    assert!(log.lines().next().unwrap().contains("\"ms\":-400"), "{log}");
    assert_matches_session(&decode(&files), &s, false);
}

#[test]
fn gen1_since_first_print_ms() {
    let s = sample();
    let r = decode(&encode::gen1(&s, Gen1Timing::SinceFirstPrint));
    assert_eq!(r.generation, 1);
    assert_matches_session(&r, &s, false);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn gen2_loose_files_in_every_gzip_style() {
    let s = sample();
    for gzip in [GzipStyle::Single, GzipStyle::SyncFlush, GzipStyle::MultiMember, GzipStyle::Uncompressed] {
        let files = encode::gen2(&s, &Gen2Options { gzip, events_per_file: 0 });
        let r = decode(&files);
        assert_eq!(r.generation, 2, "{gzip:?}");
        assert_matches_session(&r, &s, true);
        assert_eq!(r.meta.node.as_deref(), Some("web-1"));
        assert!(r.problems.is_empty(), "{gzip:?}: {:?}", r.problems);
    }
}

#[test]
fn gen2_several_events_and_chunks_files_given_in_any_order() {
    let s = sample();
    let mut files = encode::gen2(&s, &Gen2Options { gzip: GzipStyle::SyncFlush, events_per_file: 3 });
    let chunks = files.iter().filter(|(n, _)| n.contains(".chunks.gz")).count();
    let events = files.iter().filter(|(n, _)| n.ends_with(".events.gz")).count();
    assert!(chunks >= 3 && events >= 3, "{:?}", files.iter().map(|f| &f.0).collect::<Vec<_>>());
    files.reverse();
    assert_matches_session(&decode(&files), &s, true);
    // Without the index, the numbers in the names place the files.
    files.retain(|(n, _)| !n.ends_with(".index"));
    let r = decode(&files);
    assert_matches_session(&r, &s, true);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn gen2_tarball() {
    let s = sample();
    for options in [Gen2Options::default(), Gen2Options { gzip: GzipStyle::MultiMember, events_per_file: 4 }] {
        let tar = encode::gen2_tar(&s, &options);
        assert_eq!(&tar.1[257..262], b"ustar");
        let r = decode(&[tar]);
        assert_eq!(r.generation, 2);
        assert_matches_session(&r, &s, true);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }
}

#[test]
fn protostream_v1_one_part() {
    let s = sample();
    let r = decode(&[encode::protostream(&s, &ProtoOptions::default())]);
    assert_eq!(r.generation, 3);
    assert_matches_session(&r, &s, true);
    assert_eq!(r.meta.cluster.as_deref(), Some(s.cluster.as_str()));
    assert_eq!(r.meta.node.as_deref(), Some("web-1"));
    assert_eq!(r.meta.end, Some(T0 + 7_250 * MS));
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn protostream_many_padded_parts_with_empty_parts_and_resent_records() {
    let s = sample();
    let options = ProtoOptions { events_per_part: 3, pad_to: 4096, empty_parts: true, resend: 2, ..Default::default() };
    let (name, bytes) = encode::protostream(&s, &options);
    assert!(bytes.len() > 4096 * 5, "parts are padded");
    let r = decode(&[(name, bytes)]);
    assert_matches_session(&r, &s, true);
    // Resent records are skipped as duplicates, and the decoder says so.
    assert!(r.problems.iter().any(|p| p.contains("skipped because their index (ei)")), "{:?}", r.problems);
}

#[test]
fn protostream_v2_unencrypted_reads_like_v1() {
    let s = sample();
    let v2 =
        encode::protostream(&s, &ProtoOptions { version: ProtoVersion::V2, events_per_part: 5, ..Default::default() });
    assert_eq!(u64::from_be_bytes(v2.1[..8].try_into().unwrap()), 2);
    let r = decode(&[v2]);
    assert_matches_session(&r, &s, true);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn protostream_nanosecond_event_indices() {
    let s = sample();
    let r = decode(&[encode::protostream(
        &s,
        &ProtoOptions { nanosecond_ei: true, events_per_part: 4, ..Default::default() },
    )]);
    assert_matches_session(&r, &s, true);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn protostream_upload_parts_as_separate_files() {
    // `records/multi/<upload>/<sid>/<N>.part`: each file is one part; their concatenation is
    // the recording. Given in the wrong order, they are put in part order.
    let s = sample();
    let (_, bytes) = encode::protostream(&s, &ProtoOptions { events_per_part: 6, ..Default::default() });
    let mut files = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let size = u64::from_be_bytes(bytes[at + 8..at + 16].try_into().unwrap()) as usize;
        files.push((format!("multi/u1/{}/{}.part", s.sid, files.len() + 1), bytes[at..at + 24 + size].to_vec()));
        at += 24 + size;
    }
    assert!(files.len() >= 3);
    files.reverse();
    assert_matches_session(&decode(&files), &s, true);
}

#[test]
fn large_prints_are_split_in_protostream_and_joined_again() {
    let mut s = many_prints(2);
    let big: Vec<u8> = (0..150_000u32).map(|i| (i % 251) as u8).collect();
    s.events.insert(2, review_recording::encode::Timed { time: T0 + 15 * MS, event: Event::Print(big) });
    let r = decode(&[encode::protostream(&s, &ProtoOptions::default())]);
    assert_eq!(r.output, expected_output(&s));
    assert_eq!(r.prints.len(), 2 + 3, "150,000 bytes are written as 3 prints of at most 60,000");
}

#[test]
fn unknown_event_classes_are_kept_with_their_number() {
    let s = sample();
    let r = decode(&[encode::protostream(&s, &ProtoOptions::default())]);
    let other = r.events.iter().find(|e| e.kind == EventKind::Other).unwrap();
    assert_eq!(other.event, "mcp.session.start");
    assert!(other.summary.contains("#216"), "{}", other.summary);
}

#[test]
fn summaries_name_what_happened() {
    let s = sample();
    let r = decode(&[encode::protostream(&s, &ProtoOptions::default())]);
    let summary = |kind: &str| r.events.iter().find(|e| e.event == kind).map(|e| e.summary.clone()).unwrap();
    assert_eq!(summary("session.start"), "alice started the session as root on web-1 (80×25)");
    assert_eq!(summary("session.join"), "bob joined");
    assert_eq!(summary("session.command"), "/bin/ls");
    assert_eq!(summary("session.network"), "curl was denied a connection to 203.0.113.7:443");
}
