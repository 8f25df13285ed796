//! A recording's files as its Teleport version wrote them (format reference §1): gen 1 up to
//! 2.4, loose gen-2 files (as the auth server extracted the node's tarball) up to 4.3, ProtoStream
//! from 4.4. Also the two damaged kinds the demo shows: encrypted, and cut short.

use crate::layout::OutFile;
use crate::version::Version;
use review_recording::encode::{self, Gen1Timing, Gen2Options, GzipStyle, ProtoOptions};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Damage {
    None,
    /// A ProtoStream V2 with the encrypted flag (gen 3 only): nothing can be replayed.
    Encrypted,
    /// The file ends in the middle of its last part (gen 3), of its chunks (gen 2) or of its
    /// `.session.bytes` (gen 1), as when the node died while writing or uploading.
    Truncated,
}

/// Parts a cut ProtoStream is written in, so that whole parts come before the cut one.
const TRUNCATED_PARTS: usize = 3;
const PROTO_V1_HEADER: usize = 24;

/// The generation this version wrote and the files, under `dir`.
pub fn files(session: &encode::Session, version: Version, dir: &str, damage: Damage) -> (u8, Vec<OutFile>) {
    let (generation, mut named) = if version < Version::new(2, 5, 0) {
        let timing =
            if version < Version::new(2, 4, 0) { Gen1Timing::LoggerRelative } else { Gen1Timing::SinceFirstPrint };
        (1, encode::gen1(session, timing))
    } else if version < Version::V4_4 {
        // Teleport flushed its gzip writer after every batch.
        (2, encode::gen2(session, &Gen2Options { gzip: GzipStyle::SyncFlush, events_per_file: 0 }))
    } else {
        (3, vec![protostream(session, damage)])
    };
    if damage == Damage::Truncated && generation < 3 {
        let output = if generation == 1 { ".session.bytes" } else { ".chunks.gz" };
        if let Some((_, bytes)) = named.iter_mut().find(|(name, _)| name.ends_with(output)) {
            bytes.truncate(bytes.len() / 2);
        }
    }
    let files = named.into_iter().map(|(name, bytes)| OutFile { path: format!("{dir}/{name}"), bytes }).collect();
    (generation, files)
}

fn protostream(session: &encode::Session, damage: Damage) -> encode::File {
    match damage {
        Damage::None => encode::protostream(session, &ProtoOptions::default()),
        Damage::Encrypted => encode::protostream(session, &ProtoOptions { encrypted: true, ..ProtoOptions::default() }),
        Damage::Truncated => {
            let per_part = session.events.len().div_ceil(TRUNCATED_PARTS).max(1);
            let (name, mut bytes) =
                encode::protostream(session, &ProtoOptions { events_per_part: per_part, ..ProtoOptions::default() });
            let cut = middle_of_last_part(&bytes);
            bytes.truncate(cut);
            (name, bytes)
        }
    }
}

/// Halfway through the last part's body (V1 headers, no padding: as written above).
fn middle_of_last_part(file: &[u8]) -> usize {
    let word = |at: usize| file.get(at..at + 8).map_or(0, |w| u64::from_be_bytes(w.try_into().unwrap_or([0; 8])));
    let mut at = 0;
    let mut last = 0;
    while at + PROTO_V1_HEADER <= file.len() {
        last = at;
        at += PROTO_V1_HEADER + (word(at + 8) + word(at + 16)) as usize;
    }
    last + PROTO_V1_HEADER + word(last + 8) as usize / 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use review_recording::encode::{Event, Session};

    fn session() -> Session {
        let mut s = Session::new("5b2f0e36-0000-4000-8000-000000000001", "alice");
        let t0 = 1_700_000_000_000_000_000;
        s.push(t0, Event::Start { cols: 80, rows: 24 });
        for i in 1..60 {
            s.push(t0 + i * 100_000_000, Event::Print(format!("line {i}\r\n").into_bytes()));
        }
        s.push(t0 + 7_000_000_000, Event::End);
        s
    }

    #[test]
    fn generation_follows_the_version() {
        let s = session();
        let gens: Vec<u8> =
            [Version::V2_3, Version::V4_0, Version::V6_2].map(|v| files(&s, v, "d", Damage::None).0).to_vec();
        assert_eq!(gens, [1, 2, 3]);
        let (_, gen1) = files(&s, Version::V2_3, "d", Damage::None);
        assert!(gen1[0].path.starts_with("d/5b2f0e36") && gen1[0].path.ends_with(".session.log"));
    }

    /// Cut recordings of every generation decode with a problem, keeping what came before.
    #[test]
    fn truncated_recordings_keep_what_came_before() {
        for version in [Version::V2_3, Version::V4_0, Version::V15] {
            let (_, files) = files(&session(), version, "d", Damage::Truncated);
            let parts: Vec<review_recording::Part<'_>> =
                files.iter().map(|f| review_recording::Part { path: &f.path, bytes: &f.bytes }).collect();
            let r = review_recording::decode(&parts).unwrap();
            assert!(!r.problems.is_empty(), "{version}");
            let printed = String::from_utf8_lossy(&r.output);
            assert!(printed.starts_with("line 1\r\n") && printed.contains("line 20\r\n"), "{version}: {printed}");
            assert!(!printed.contains("line 59"), "{version}");
        }
    }
}
