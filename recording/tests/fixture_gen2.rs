//! The real gen-2 recording (npm, Teleport 4.1, 2019): `npm.tty.events.json` is the
//! decompressed `<sid>-0.events.gz` wrapped as a JSON array, `npm.tty.stream` the decompressed
//! `<sid>-0.chunks.gz`. Expectations are read from the fixture itself.

mod common;

use common::assert_same_bytes;
use flate2::{write::GzEncoder, Compression};
use review_recording::{decode, EventKind, Part, Recording};
use serde_json::Value;
use std::io::Write;

const SID: &str = "037e2e3e-e6f5-11e9-a7ac-42010a80002b";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../tests/fixtures/teleport/gen2-recording-npm/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn events_json() -> Vec<u8> {
    fixture("npm.tty.events.json")
}

fn stream() -> Vec<u8> {
    fixture("npm.tty.stream")
}

/// The fixture's print lines, parsed independently of the decoder: (bytes, ms, offset).
fn fixture_prints() -> Vec<(u64, u64, u64)> {
    let all: Vec<Value> = serde_json::from_slice(&events_json()).unwrap();
    all.iter()
        .filter(|e| e["event"] == "print")
        .map(|e| (e["bytes"].as_u64().unwrap(), e["ms"].as_u64().unwrap(), e["offset"].as_u64().unwrap()))
        .collect()
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn check(r: &Recording) {
    let want = fixture_prints();
    assert_eq!(r.generation, 2);
    assert_eq!(r.sid.as_deref(), Some(SID));
    assert_eq!(r.prints.len(), want.len());
    assert_eq!(r.prints.len(), 862, "ei 2..=863 are prints");
    // The fixture's own offsets are contiguous and end at the stream's length.
    for pair in want.windows(2) {
        assert_eq!(pair[0].2 + pair[0].0, pair[1].2, "fixture offsets are contiguous");
    }
    let (last_bytes, _, last_offset) = *want.last().unwrap();
    assert_eq!(last_offset + last_bytes, 163_019);
    // The decoded prints are the same slices, at the fixture's `ms`.
    for (i, (p, (bytes, ms, offset))) in r.prints.iter().zip(&want).enumerate() {
        assert_eq!((p.offset as u64, p.len as u64, p.at), (*offset, *bytes, *ms), "print #{i}");
    }
    assert!(r.prints.windows(2).all(|w| w[0].at <= w[1].at), "ms never decreases");
    assert_same_bytes(&r.output, &stream());
    assert_eq!(r.output.len(), 163_019);

    assert_eq!(r.initial_size, Some((80, 25)));
    assert_eq!(r.events[0].kind, EventKind::Start);
    assert_eq!((r.events[1].kind.clone(), r.events[1].at), (EventKind::Resize { cols: 185, rows: 54 }, 0));
    let kinds: Vec<&str> = r.events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(kinds, ["session.start", "resize", "session.leave", "session.end"]);
    // The last print is at ms 86830 (22:20:48.912); the end 6 ms of wall time later.
    assert!((86_800..=86_900).contains(&r.duration), "duration {} ≈ 86.8 s", r.duration);
    assert_eq!(r.events[3].at, 86_836);

    assert_eq!(r.meta.user.as_deref(), Some("rjones"));
    assert_eq!(r.meta.login.as_deref(), Some("rjones"));
    assert_eq!(r.meta.node.as_deref(), Some("179dbac8-a769-4cd8-8da9-47e5211eb9eb"));
    assert_eq!(r.meta.remote_addr.as_deref(), Some("104.131.138.173:53040"));
    assert_eq!(r.meta.participants, ["rjones"]);
    let t = |s| review_core::time::parse_rfc3339(s);
    assert_eq!(r.meta.start, t("2019-10-04T22:19:21.562Z"));
    assert_eq!(r.meta.end, t("2019-10-04T22:20:48.918Z"));
    assert_eq!(r.start_time, t("2019-10-04T22:19:21.643Z"), "ms 0 is the first print");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn decompressed_files_as_found() {
    let (events, chunks) = (events_json(), stream());
    let (e, c) = (format!("{SID}-0.events.gz"), format!("{SID}-0.chunks.gz"));
    check(&decode(&[Part { path: &e, bytes: &events }, Part { path: &c, bytes: &chunks }]).unwrap());
}

#[test]
fn under_the_names_it_was_published_with() {
    let (events, stream) = (events_json(), stream());
    let parts = [Part { path: "npm.tty.stream", bytes: &stream }, Part { path: "npm.tty.events.json", bytes: &events }];
    let r = decode(&parts).unwrap();
    assert_eq!(r.notes, ["npm.tty.stream: read as the terminal output of its events file (its name does not say)"]);
    check(&r);
}

#[test]
fn gzipped_loose_files_with_an_index() {
    let (events, chunks) = (gz(&events_json()), gz(&stream()));
    let index = format!(
        "{{\"file_name\":\"{SID}-0.events.gz\",\"type\":\"events\",\"index\":0,\"offset\":0}}\n\
         {{\"file_name\":\"{SID}-0.chunks.gz\",\"type\":\"chunks\",\"index\":0,\"offset\":0}}\n"
    );
    let names = [format!("{SID}.index"), format!("{SID}-0.events.gz"), format!("{SID}-0.chunks.gz")];
    let parts = [
        Part { path: &names[2], bytes: &chunks },
        Part { path: &names[0], bytes: index.as_bytes() },
        Part { path: &names[1], bytes: &events },
    ];
    check(&decode(&parts).unwrap());
}

#[test]
fn in_a_tarball() {
    let mut tar = tar::Builder::new(Vec::new());
    for (name, data) in
        [(format!("{SID}-0.events.gz"), gz(&events_json())), (format!("{SID}-0.chunks.gz"), gz(&stream()))]
    {
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(0o600);
        tar.append_data(&mut h, name, data.as_slice()).unwrap();
    }
    let tar = tar.into_inner().unwrap();
    let name = format!("{SID}.tar");
    check(&decode(&[Part { path: &name, bytes: &tar }]).unwrap());
}

#[test]
fn short_chunks_stop_the_prints_and_say_which() {
    let events = events_json();
    let chunks = stream();
    let (e, c) = (format!("{SID}-0.events.gz"), format!("{SID}-0.chunks.gz"));
    let r = decode(&[Part { path: &e, bytes: &events }, Part { path: &c, bytes: &chunks[..100_000] }]).unwrap();
    let want = fixture_prints();
    let stop = want.iter().position(|(bytes, _, offset)| offset + bytes > 100_000).unwrap();
    assert_eq!(r.prints.len(), stop, "every print that fits is kept");
    assert_same_bytes(&r.output, &chunks[..want[stop].2 as usize]);
    let message = r.problems.iter().find(|p| p.contains(&format!("print #{stop} "))).expect("names the print");
    assert!(message.contains(&format!("wants bytes {}..", want[stop].2)), "{message}");
    assert!(message.contains("holds only bytes 0..100000"), "{message}");
    assert_eq!(r.events.last().map(|e| e.kind.clone()), Some(EventKind::End), "later events are still shown");
}
