//! Whatever the bytes, decode() returns: no panic, and a recording that holds together.

mod common;

use common::*;
use proptest::prelude::*;
use review_recording::encode::{self, Gen1Timing, Gen2Options, GzipStyle, ProtoOptions, ProtoVersion};
use review_recording::{decode, Part, Recording};

/// What every recording returned must satisfy, however damaged its input.
fn holds_together(r: &Recording) {
    for p in &r.prints {
        assert!(p.offset.checked_add(p.len).is_some_and(|end| end <= r.output.len()), "print slice out of output");
    }
    assert!(r.prints.windows(2).all(|w| w[0].at <= w[1].at), "prints in time order");
    assert!(r.events.windows(2).all(|w| w[0].at <= w[1].at), "events in time order");
    let last = r.prints.iter().map(|p| p.at).chain(r.events.iter().map(|e| e.at)).max().unwrap_or(0);
    assert!(r.duration >= last, "duration covers everything");
    assert!(r.events.iter().all(|e| !e.summary.contains('\n')), "summaries are one line");
}

fn check(parts: &[Part<'_>]) {
    if let Ok(r) = decode(parts) {
        holds_together(&r);
    }
}

/// Small sessions of every generation and option.
fn encodings() -> Vec<Vec<encode::File>> {
    let s = sample();
    vec![
        encode::gen1(&s, Gen1Timing::LoggerRelative),
        encode::gen1(&s, Gen1Timing::SinceFirstPrint),
        encode::gen2(&s, &Gen2Options { gzip: GzipStyle::Uncompressed, events_per_file: 5 }),
        encode::gen2(&s, &Gen2Options { gzip: GzipStyle::SyncFlush, events_per_file: 0 }),
        vec![encode::gen2_tar(&s, &Gen2Options::default())],
        vec![encode::protostream(
            &s,
            &ProtoOptions { events_per_part: 4, empty_parts: true, resend: 1, ..Default::default() },
        )],
        vec![encode::protostream(&s, &ProtoOptions { version: ProtoVersion::V2, ..Default::default() })],
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: f64, xor: u8 },
    Truncate { at: f64 },
    Insert { at: f64, bytes: Vec<u8> },
    Delete { at: f64, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0, 1..=255u8).prop_map(|(at, xor)| Mutation::Flip { at, xor }),
        (0.0..1.0).prop_map(|at| Mutation::Truncate { at }),
        (0.0..1.0, prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (0.0..1.0, 1..64usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let pos = |at: f64, len: usize| ((len as f64) * at) as usize;
    match m {
        Mutation::Flip { at, xor } => {
            let i = pos(*at, bytes.len());
            if let Some(b) = bytes.get_mut(i) {
                *b ^= xor;
            }
        }
        Mutation::Truncate { at } => bytes.truncate(pos(*at, bytes.len())),
        Mutation::Insert { at, bytes: new } => {
            let i = pos(*at, bytes.len());
            bytes.splice(i..i, new.iter().copied());
        }
        Mutation::Delete { at, len } => {
            let i = pos(*at, bytes.len());
            let end = (i + len).min(bytes.len());
            bytes.drain(i..end);
        }
    }
}

const NAMES: [&str; 8] = [
    "s.tar",
    "s.session.log",
    "s.session.bytes",
    "s.index",
    "s-0.events.gz",
    "s-0.chunks.gz",
    "s-3.session.command-events.gz",
    "x",
];

proptest! {
    // 256 cases each by default; PROPTEST_CASES=N for a longer hunt.
    #[test]
    fn random_bytes_under_any_name(bytes in prop::collection::vec(any::<u8>(), 0..2048), name in 0..NAMES.len()) {
        check(&[Part { path: NAMES[name], bytes: &bytes }]);
    }

    #[test]
    fn headers_of_every_format_followed_by_noise(
        head in prop::sample::select(vec![
            vec![0, 0, 0, 0, 0, 0, 0, 1],
            vec![0, 0, 0, 0, 0, 0, 0, 2],
            vec![0x1f, 0x8b, 8, 0],
            b"{\"event\":\"print\",\"bytes\":".to_vec(),
            b"[\n{\"file_name\":".to_vec(),
        ]),
        noise in prop::collection::vec(any::<u8>(), 0..512),
        name in 0..NAMES.len(),
    ) {
        let bytes = [head, noise].concat();
        check(&[Part { path: NAMES[name], bytes: &bytes }]);
    }

    #[test]
    fn mutated_recordings(which in 0..7usize, file in any::<prop::sample::Index>(), mutations in prop::collection::vec(mutation(), 1..4)) {
        let mut files = encodings().swap_remove(which);
        let i = file.index(files.len());
        for m in &mutations {
            apply(&mut files[i].1, m);
        }
        check(&parts(&files));
    }
}
