//! Loading audit logs end to end through the sans-io pipeline: real examples, every
//! generation's line shape, merging, duplicates, and every kind of bad input.

use flate2::{write::GzEncoder, Compression};
use review_core::ingest::{Ingest, Options};
use review_core::model::{FileKind, Model};
use review_core::problem::{Place, ProblemKind};
use std::io::Write;

const EXAMPLES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/teleport/audit-event-examples/webapps-Audit-fixtures-events.jsonl"
);

fn load(files: &[(&str, &[u8])]) -> Model {
    let mut ing = Ingest::new(Options::default());
    for (path, bytes) in files {
        ing.add_bytes(path, bytes);
    }
    ing.finish()
}

/// Pushes a file in small odd-sized slices, as the browser worker does.
fn load_sliced(path: &str, bytes: &[u8], slice: usize) -> Model {
    let mut ing = Ingest::new(Options::default());
    let id = ing.open(path, bytes.len() as u64);
    for s in bytes.chunks(slice) {
        ing.push(id, s);
    }
    ing.close(id);
    ing.finish()
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn assert_counts_add_up(m: &Model) {
    for f in &m.files {
        assert!(
            f.counts_add_up(),
            "{}: lines {} != events {} + dups {} + bad {} + blank {}",
            f.path,
            f.lines,
            f.events,
            f.duplicates,
            f.bad_lines,
            f.blank_lines
        );
    }
}

#[test]
fn every_real_example_event_is_kept() {
    let bytes = std::fs::read(EXAMPLES).unwrap();
    let m = load(&[("events.jsonl", &bytes)]);
    assert_eq!(m.events.len(), 165, "all 165 examples kept, none lost");
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    assert_eq!(m.duplicates, 0, "shared uids with different content are not duplicates");
    let types: std::collections::HashSet<&str> = m.events.iter().map(|e| m.str(e.kind)).collect();
    assert_eq!(types.len(), 97);
    assert_counts_add_up(&m);
    // Every auth attempt the examples hold is in the auth index.
    let auth = m.events.iter().filter(|e| e.is_auth).count();
    assert!(auth >= 5, "user.login, auth, bot.join, instance.join, recovery_code.used examples");
}

#[test]
fn slicing_does_not_change_the_result() {
    let bytes = std::fs::read(EXAMPLES).unwrap();
    let whole = load(&[("events.jsonl", &bytes)]);
    for slice in [1, 7, 4096] {
        let m = load_sliced("events.jsonl", &bytes, slice);
        assert_eq!(m.events, whole.events.to_vec(), "slice {slice}");
    }
}

#[test]
fn every_generation_of_line_is_read() {
    let lines = concat!(
        // 1.x: sorted keys, no uid/code, whole-millisecond times
        r#"{"addr.local":"127.0.0.1:3022","addr.remote":"127.0.0.1:51942","event":"session.start","login":"akontsevoy","server_id":"d1d9","sid":"4bac","size":"0:0","time":"2016-05-09T14:57:05.936Z","user":"akontsevoy"}"#,
        "\n",
        // 2.x: success as a string
        r#"{"error":"access denied","event":"auth","success":"false","time":"2017-02-03T10:00:00Z","user":"bob"}"#,
        "\n",
        // 3.2: uid; 4.0: code
        r#"{"code":"T1000W","error":"invalid credentials","event":"user.login","method":"local","success":false,"time":"2019-06-01T10:00:00Z","uid":"a1","user":"carol"}"#,
        "\n",
        // 4.4+: proto order, ei, nanoseconds on session_start/stop
        r#"{"ei":0,"event":"session.end","uid":"a2","code":"T2004I","time":"2020-11-02T10:00:00.5Z","user":"akontsevoy","sid":"4bac","session_start":"2020-11-02T09:00:00.123456789Z","session_stop":"2020-11-02T10:00:00.5Z","interactive":true,"participants":["akontsevoy","dave"]}"#,
        "\n",
        // 6.0+: cluster_name; SSO login with MFA
        r#"{"ei":0,"event":"user.login","uid":"a3","code":"T1001I","time":"2024-02-23T19:04:02.99Z","cluster_name":"prod","user":"erin@example.com","method":"saml","success":true,"addr.remote":"[2001:db8::1]:443"}"#,
        "\n",
        // unknown, future type
        r#"{"ei":0,"event":"brand.new.thing","uid":"a4","code":"TZZ99I","time":"2025-01-01T00:00:00Z"}"#,
        "\n",
    );
    let m = load(&[("mixed.log", lines.as_bytes())]);
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    assert_eq!(m.events.len(), 6);
    let auth: Vec<_> = m.events.iter().filter(|e| e.is_auth).collect();
    assert_eq!(auth.len(), 3);
    assert_eq!(auth.iter().filter(|e| e.outcome == review_core::audit::Outcome::Failure).count(), 2);
    assert_eq!(m.str(auth[2].remote), "2001:db8::1");
    let s = m.sessions.get(m.strings.lookup("4bac").unwrap()).unwrap();
    assert_eq!(m.str(s.user), "akontsevoy");
    assert_eq!(s.participants.len(), 2);
    assert!(s.end.is_some() && s.start.is_some());
}

#[test]
fn bad_lines_are_reported_with_their_place_and_the_rest_loads() {
    let mut text = Vec::new();
    text.extend_from_slice(b"{\"event\":\"user.login\",\"user\":\"ok1\",\"time\":\"2024-01-01T00:00:00Z\"}\n"); // 1
    text.extend_from_slice(b"{\"event\":\"user.login\",\"user\":\"trunc\n"); // 2 truncated JSON
    text.extend_from_slice(b"{\"event\":\"exec\",\"user\":\"bad\xff\xfe\"}\n"); // 3 invalid UTF-8
    text.extend_from_slice(b"[1,2,3]\n"); // 4 not an object
    text.extend_from_slice(b"{\"user\":\"no-event\"}\n"); // 5 no event
    text.extend_from_slice(b"\n   \n"); // 6, 7 blank
    text.extend_from_slice(b"{\"event\":\"exec\",\"x\":\""); // 8: 2 MB line
    text.extend(std::iter::repeat_n(b'a', 2 << 20));
    text.extend_from_slice(b"\"}\n");
    text.extend_from_slice(b"{\"event\":\"user.login\",\"user\":\"last-no-newline\"}"); // 9
    let m = load_sliced("2024-01-01.00:00:00.log", &text, 65536);
    let users: Vec<&str> = m.events.iter().map(|e| m.str(e.user)).collect();
    assert_eq!(users, ["ok1", "last-no-newline"]);
    let found: Vec<(Place, ProblemKind)> = m.problems.iter().map(|p| (p.place, p.kind)).collect();
    assert_eq!(
        found,
        [
            (Place::Line(2), ProblemKind::InvalidJson),
            (Place::Line(3), ProblemKind::InvalidUtf8),
            (Place::Line(4), ProblemKind::NotAnObject),
            (Place::Line(5), ProblemKind::MissingEvent),
            (Place::Line(8), ProblemKind::LineTooLong),
        ]
    );
    let f = &m.files[0];
    assert_eq!((f.lines, f.events, f.bad_lines, f.blank_lines), (9, 2, 5, 2));
    assert_counts_add_up(&m);
}

#[test]
fn truncated_gzip_keeps_every_line_before_the_cut() {
    let text: String = (0..5000)
        .map(|i| format!("{{\"event\":\"exec\",\"uid\":\"u{i}\",\"time\":\"2024-01-01T00:00:00Z\"}}\n"))
        .collect();
    let file = gz(text.as_bytes());
    let m = load(&[("2024-01-01.00:00:00.log.gz", &file[..file.len() * 2 / 3])]);
    let gz_problems: Vec<_> = m.problems.iter().filter(|p| p.kind == ProblemKind::BadGzip).collect();
    assert_eq!(gz_problems.len(), 1, "{:?}", m.problems);
    assert!(gz_problems[0].detail.contains("truncated"));
    assert!(m.events.len() > 1000);
    // The cut may leave half a line: it is reported, and nothing before it is lost.
    let kept: Vec<String> = m.events.iter().map(|e| e.line.to_string()).collect();
    assert_eq!(kept.len() as u64, m.files[0].events);
    assert!(m.files[0].compressed);
    assert_counts_add_up(&m);
}

#[test]
fn not_an_audit_log_gets_one_message() {
    let debug_log: String = (0..5000).map(|i| format!("2024-01-01T00:00:00Z INFO [AUTH] message {i}\n")).collect();
    let m = load(&[
        ("teleport.log", debug_log.as_bytes()),
        ("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("notes.txt", b"hello\n"),
    ]);
    assert_eq!(m.problems.len(), 3, "{:?}", m.problems);
    assert!(m.problems.iter().all(|p| p.kind == ProblemKind::NotAuditLog && p.place == Place::File));
    assert!(m.files.iter().all(|f| f.kind == FileKind::NotRead));
    assert!(m.events.is_empty());
}

#[test]
fn a_log_starting_with_garbage_is_still_a_log() {
    let mut text: Vec<u8> = (0..3000)
        .flat_map(|i| format!("garbage line {i} that is long enough to fill the head\n").into_bytes())
        .collect();
    text.extend_from_slice(b"{\"event\":\"user.login\",\"user\":\"late\"}\n");
    let m = load(&[("x.log", &text)]);
    assert_eq!(m.events.len(), 1);
    assert_eq!(m.files[0].kind, FileKind::AuditLog);
    assert_eq!(m.files[0].bad_lines, 3000);
    // Problems held back before the first event are capped, but every line is counted.
    assert!(m.problems.len() >= 1000 && m.problems.iter().all(|p| p.kind == ProblemKind::InvalidJson));
    assert_counts_add_up(&m);
}

#[test]
fn an_old_log_loaded_twice_counts_once_and_keeps_its_own_repeated_lines() {
    // Teleport 2.x wrote no uid. The same failed login twice in one second is two lines alike.
    let old = concat!(
        r#"{"event":"auth","user":"eve","error":"bad password","time":"2017-03-01T10:00:01Z"}"#,
        "\n",
        r#"{"event":"auth","user":"eve","error":"bad password","time":"2017-03-01T10:00:01Z"}"#,
        "\n",
        r#"{"event":"session.start","user":"bob","sid":"s1","time":"2017-03-01T10:00:02Z"}"#,
        "\n",
    );
    let once = load(&[("2017-03-01.00:00:00.log", old.as_bytes())]);
    assert_eq!((once.events.len(), once.duplicates), (3, 0), "both failed logins are kept");
    // The same file added again, or a copy of it in another folder: nothing new.
    let twice = load(&[("2017-03-01.00:00:00.log", old.as_bytes()), ("copy/2017-03-01.00:00:00.log", old.as_bytes())]);
    assert_eq!((twice.events.len(), twice.duplicates), (3, 3));
    assert_eq!((twice.files[0].duplicates, twice.files[1].duplicates), (0, 3));
    assert_counts_add_up(&twice);
}

/// Which file is read first must not change what is kept (the browser's two workers hand files
/// to the model in no fixed order): a line without a uid counts as many times as the file that
/// holds it most often holds it.
#[test]
fn an_old_log_and_a_partial_copy_count_the_same_in_either_order() {
    let line = r#"{"event":"auth","user":"eve","error":"bad password","time":"2017-03-01T10:00:01Z"}"#;
    let other = r#"{"event":"session.start","user":"bob","sid":"s1","time":"2017-03-01T10:00:02Z"}"#;
    let full = format!("{line}\n{line}\n{other}\n");
    let partial = format!("{line}\n");
    let third = format!("{line}\n{line}\n{line}\n");
    let (a, b, c) = (("a/x.log", full.as_bytes()), ("b/x.log", partial.as_bytes()), ("c/x.log", third.as_bytes()));
    for (files, events) in
        [(vec![a, b], 3), (vec![b, a], 3), (vec![b, a, c], 4), (vec![c, b, a], 4), (vec![a, c, b], 4)]
    {
        let m = load(&files);
        let order: Vec<&str> = files.iter().map(|f| f.0).collect();
        assert_eq!(m.events.len(), events, "{order:?}");
        let lines: u64 = m.files.iter().map(|f| f.lines).sum();
        assert_eq!(m.duplicates, lines - events as u64, "{order:?}");
        assert_counts_add_up(&m);
    }
}

/// Of the copies of an event with a uid, the one kept is the first by path, then line, whatever
/// order the files are read in: the event is cited from the same file and line, and each file
/// counts the same, at every load of the same files.
#[test]
fn the_copy_of_an_event_kept_is_the_same_in_either_order() {
    const SECOND: i64 = 1_000_000_000;
    let event = r#"{"event":"user.login","uid":"u1","user":"x","success":false,"time":"2024-01-01T00:00:01Z"}"#;
    let other = r#"{"event":"exec","uid":"u2","user":"x","time":"2024-01-01T00:00:02Z"}"#;
    let late = format!("{other}\n{event}\n");
    let early = format!("{event}\n");
    // b/ is plain (read back from the file by offset); a/ is gzip (its lines kept in memory).
    let (a, b) = (("a/x.log.gz", gz(early.as_bytes())), ("b/x.log", late.into_bytes()));
    for order in [[&a, &b], [&b, &a]] {
        let names: Vec<&str> = order.iter().map(|f| f.0).collect();
        let mut ing = Ingest::new(Options { read_back_plain_files: true, ..Options::default() });
        for (path, bytes) in order {
            ing.add_bytes(path, bytes);
            // As a view shown during the load does: the index must not keep the old file.
            ing.model.ensure_sorted();
        }
        let mut m = ing.finish();
        let file = |path: &str| m.files.iter().position(|f| f.path == path).unwrap() as u32;
        let login = m.events.iter().position(|e| m.str(e.kind) == "user.login").unwrap() as u32;
        let e = m.events[login as usize];
        assert_eq!((e.file, e.line), (file("a/x.log.gz"), 1), "{names:?}");
        assert_eq!(m.kept_raw(login), Some(event.as_bytes()), "{names:?}: the kept copy's line");
        // Each file's time range covers the lines read from it, the folded one too.
        let counts = |path: &str| {
            let f = &m.files[file(path) as usize];
            (f.events, f.duplicates, f.first_time.zip(f.last_time).map(|(a, b)| (a / SECOND % 60, b / SECOND % 60)))
        };
        assert_eq!(counts("a/x.log.gz"), (1, 0, Some((1, 1))), "{names:?}");
        assert_eq!(counts("b/x.log"), (1, 1, Some((1, 2))), "{names:?}");
        assert_eq!((m.events.len(), m.duplicates), (2, 1), "{names:?}");
        assert_counts_add_up(&m);
        // The time index cites the file the event is now kept from.
        let a_file = file("a/x.log.gz");
        let at = m.by_time().iter().position(|&id| id == login).unwrap();
        assert_eq!(m.index().file[at], a_file, "{names:?}");
    }
}

#[test]
fn ha_duplicates_fold_once_and_are_counted() {
    let a = b"{\"event\":\"user.login\",\"uid\":\"u1\",\"user\":\"x\",\"time\":\"2024-01-01T00:00:01Z\"}\n{\"event\":\"exec\",\"uid\":\"u2\",\"time\":\"2024-01-01T00:00:02Z\"}\n";
    let b = b"{\"event\":\"user.login\",\"uid\":\"u1\",\"user\":\"x\",\"time\":\"2024-01-01T00:00:01Z\"}\n{\"event\":\"exec\",\"uid\":\"u2\",\"time\":\"2024-01-01T00:00:02.5Z\"}\n";
    let m = load(&[("log/auth-a/2024-01-01.00:00:00.log", a), ("log/auth-b/2024-01-01.00:00:00.log", b)]);
    assert_eq!(m.duplicates, 1, "identical line with the same uid folds; a different line with the same uid does not");
    assert_eq!(m.events.len(), 3);
    assert_eq!(m.files[1].duplicates, 1);
    assert_counts_add_up(&m);
}

#[test]
fn events_from_many_files_merge_in_time_order() {
    let a =
        b"{\"event\":\"e3\",\"time\":\"2024-01-03T00:00:00Z\"}\n{\"event\":\"e1\",\"time\":\"2024-01-01T00:00:00Z\"}\n";
    let b = b"{\"event\":\"e2\",\"time\":\"2024-01-02T00:00:00Z\"}\n{\"event\":\"e0\"}\n";
    let mut m = load(&[("a.log", a), ("b.log", b)]);
    let order: Vec<String> =
        m.by_time().to_vec().iter().map(|&i| m.str(m.events[i as usize].kind).to_owned()).collect();
    assert_eq!(order, ["e1", "e2", "e3", "e0"], "events without time come last");
}

#[test]
fn archives_are_opened_and_entries_named() {
    let log = b"{\"event\":\"user.login\",\"user\":\"in-tar\"}\n";
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, data).unwrap();
    };
    add("log/auth-1/2024-01-01.00:00:00.log", log);
    add("log/auth-1/2024-01-02.00:00:00.log.gz", &gz(b"{\"event\":\"user.login\",\"user\":\"in-tar-gz\"}\n"));
    add("log/auth-1/sessions/default/s1-0.chunks.gz", &gz(b"\x1b[1mhello"));
    add("log/README", b"just notes\n");
    let archive = gz(&b.into_inner().unwrap());
    let m = load(&[("backup.tar.gz", &archive)]);
    assert_eq!(m.events.len(), 2);
    let paths: Vec<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"backup.tar.gz/log/auth-1/2024-01-02.00:00:00.log.gz"), "{paths:?}");
    assert_eq!(m.recordings.len(), 1);
    assert_eq!(m.recordings[0].sid.as_deref(), Some("s1"));
    assert!(m.recordings[0].kept.is_some(), "a part inside an archive is unpacked and kept");
    let readme = m.files.iter().position(|f| f.path.ends_with("README")).unwrap();
    assert!(m.problems.iter().any(|p| p.file as usize == readme && p.kind == ProblemKind::NotAuditLog));
}

#[test]
fn recordings_are_listed_not_reported() {
    let m = load(&[
        ("sessions/default/4bac.session.log", b"{\"event\":\"session.start\",\"sid\":\"4bac\"}\n{\"bytes\":3,\"event\":\"print\",\"ms\":5,\"offset\":0,\"time\":\"2016-05-09T14:57:06.087Z\"}\n"),
        ("sessions/default/4bac.session.bytes", b"hi\n"),
        ("records/9f1e.tar", &[0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0x1f, 0x8b]),
    ]);
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    assert_eq!(m.recordings.len(), 3);
    assert!(m.files.iter().all(|f| f.kind == FileKind::Recording));
    assert_eq!(m.sessions.len(), 2, "sessions known only from their recordings still appear");
}

/// The real gen-2 recording as it is published: its events as `npm.tty.events.json`, its
/// output as `npm.tty.stream`, names that say nothing of a session.
fn renamed_gen2(name: &str) -> Vec<u8> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/teleport/gen2-recording-npm");
    std::fs::read(format!("{dir}/{name}")).unwrap()
}

#[test]
fn renamed_output_is_paired_with_its_events_by_folder_and_stem() {
    let (events, stream) = (renamed_gen2("npm.tty.events.json"), renamed_gen2("npm.tty.stream"));
    let notes = b"not a recording\n";
    for order in [[0, 1, 2], [1, 0, 2], [2, 1, 0]] {
        let files: [(&str, &[u8]); 3] =
            [("npm/npm.tty.events.json", &events), ("npm/npm.tty.stream", &stream), ("npm/notes.txt", notes)];
        let m = load(&order.map(|i| files[i]));
        let groups = review_core::model::recording_groups(&m.recordings);
        let named = |g: &Vec<usize>| g.iter().map(|&i| m.file(m.recordings[i].file).path.as_str()).collect::<Vec<_>>();
        let mut group = named(&groups[0]);
        group.sort();
        assert_eq!(
            (groups.len(), group),
            (1, vec!["npm/npm.tty.events.json", "npm/npm.tty.stream"]),
            "order {order:?}"
        );
        // The stream is a recording part now, not an unreadable file; the notes still are.
        let stream = m.files.iter().find(|f| f.path.ends_with(".stream")).unwrap();
        assert_eq!((stream.kind, stream.lines, stream.bad_lines), (FileKind::Recording, 0, 0));
        let reported: Vec<&str> = m.problems.iter().map(|p| m.file(p.file).path.as_str()).collect();
        assert_eq!(reported, ["npm/notes.txt"]);
    }
}

#[test]
fn renamed_output_loaded_later_pairs_once() {
    let (events, stream) = (renamed_gen2("npm.tty.events.json"), renamed_gen2("npm.tty.stream"));
    // Two loads into one model, as in the worker when more files are dropped.
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes("npm/npm.tty.events.json", &events);
    ing.model.pair_renamed_output();
    assert_eq!(ing.model.recordings.len(), 1, "the events alone");
    ing.add_bytes("npm/npm.tty.stream", &stream);
    ing.model.pair_renamed_output();
    let mut m = ing.finish();
    m.pair_renamed_output();
    assert_eq!(review_core::model::recording_groups(&m.recordings), [vec![0, 1]]);
    assert!(m.problems.is_empty(), "{:?}", m.problems);
}

#[test]
fn renamed_output_is_left_alone_where_it_could_be_another_file() {
    let (events, stream) = (renamed_gen2("npm.tty.events.json"), renamed_gen2("npm.tty.stream"));
    let cut_gzip = &gz(&stream)[..2000];
    let cases: [&[(&str, &[u8])]; 4] = [
        // Two candidates of the same stem.
        &[("a/npm.tty.events.json", &events), ("a/npm.tty.stream", &stream), ("a/npm.copy", &stream)],
        // Another folder.
        &[("a/npm.tty.events.json", &events), ("b/npm.tty.stream", &stream)],
        // Another stem.
        &[("a/npm.tty.events.json", &events), ("a/other.stream", &stream)],
        // Damaged: a gzip cut short is reported as such, not taken for output.
        &[("a/npm.tty.events.json", &events), ("a/npm.tty.stream.gz", cut_gzip)],
    ];
    for files in cases {
        let m = load(files);
        let paths: Vec<&str> = files.iter().map(|f| f.0).collect();
        assert_eq!(m.recordings.len(), 1, "{paths:?}");
        let unread = m.files.iter().filter(|f| f.kind == FileKind::NotRead).count();
        assert_eq!(unread, files.len() - 1, "{paths:?}");
        let reported: std::collections::HashSet<_> = m.problems.iter().map(|p| p.file).collect();
        assert_eq!(reported.len(), files.len() - 1, "{paths:?}");
    }
}

#[test]
fn lines_detections_read_are_kept_when_others_are_read_back() {
    let log = concat!(
        r#"{"event":"user.login","user":"a","time":"2024-01-01T00:00:00Z"}"#,
        "\n",
        r#"{"event":"exec","user":"a","command":"curl x | sh","time":"2024-01-01T00:00:01Z"}"#,
        "\n",
    );
    let mut ing = Ingest::new(Options { read_back_plain_files: true, ..Options::default() });
    ing.add_bytes("a.log", log.as_bytes());
    let m = ing.finish();
    assert!(m.files[0].raw_in_file);
    assert_eq!(m.kept_raw(0), None, "a login line is read back from its file");
    assert!(m.kept_raw(1).is_some_and(|l| l.ends_with(b"}")), "an exec line stays in memory for the detections");
    assert_eq!(m.events[1].raw.offset, 0, "kept lines are addressed in memory, not in the file");
}

#[test]
fn duplicates_fold_whatever_the_seed() {
    let line = b"{\"event\":\"user.login\",\"uid\":\"u1\",\"user\":\"x\",\"time\":\"2024-01-01T00:00:01Z\"}\n";
    for seed in [Some(0), Some(u64::MAX), Some(0x1234_5678_9abc_def0), None] {
        let mut ing = Ingest::new(Options { seed, ..Options::default() });
        ing.add_bytes("a.log", line);
        ing.add_bytes("b.log", line);
        let m = ing.finish();
        assert_eq!((m.events.len(), m.duplicates), (1, 1), "seed {seed:?}");
    }
}

#[test]
fn room_is_made_for_the_events_the_declared_logs_may_hold() {
    let line = br#"{"event":"user.login","uid":"u","time":"2024-01-01T00:00:00Z"}"#;
    let mut ing = Ingest::new(Options::default());
    // Declared sizes, as a browser gives them before reading: 40 kB of log, 10 kB gzipped
    // (about eight times as much inside), and a big recording, which holds no audit events.
    let log = ing.open("2024-01-01.00:00:00.log", 40_000);
    ing.open("2024-01-02.00:00:00.log.gz", 10_000);
    ing.open("records/4f3c.tar", 1 << 30);
    ing.push(log, line);
    let room = ing.model.events.capacity();
    assert!((300..2_000).contains(&room), "room for the logs' ~300 events, not the recording's size: {room}");
}

/// The JSON of event `id` as the detail view shows it: kept, or read back from `file`.
fn raw_of<'a>(m: &'a Model, file: &'a [u8], id: u32) -> &'a [u8] {
    let e = &m.events[id as usize];
    m.kept_raw(id).unwrap_or_else(|| &file[e.raw.offset as usize..][..e.raw.len as usize])
}

fn problems_at(m: &Model) -> Vec<(Place, ProblemKind)> {
    m.problems.iter().map(|p| (p.place, p.kind)).collect()
}

#[test]
fn a_kubernetes_pod_log_is_read_with_split_lines_joined() {
    // kubelet's CRI log of a Teleport pod: audit events on stdout, Teleport's own log on
    // stderr, a long event split in three pieces (a stderr line between them), and a piece whose
    // rest went to the next file.
    let log = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/audit/pod-log-split-lines.log"
    ))
    .unwrap();
    let mut ing = Ingest::new(Options { read_back_plain_files: true, ..Options::default() });
    ing.add_bytes("var/log/pods/teleport_auth-0/teleport/0.log", log.as_bytes());
    let m = ing.finish();
    let f = &m.files[0];
    assert_eq!(f.kind, FileKind::AuditLog);
    assert_eq!((m.events.len(), m.str(m.events[1].user), m.events[1].line), (2, "bob", 3), "joined, at its first line");
    assert_eq!(
        raw_of(&m, log.as_bytes(), 0),
        &log.as_bytes()[log.find('{').unwrap()..log.find("}\n").unwrap() + 1],
        "read back in place"
    );
    assert_eq!(
        raw_of(&m, log.as_bytes(), 1),
        br#"{"event":"session.start","uid":"u2","user":"bob","sid":"s1","time":"2024-02-23T10:00:01Z"}"#
    );
    assert_eq!(
        problems_at(&m),
        [
            (Place::Line(2), ProblemKind::InvalidJson),
            (Place::Line(4), ProblemKind::InvalidJson),
            (Place::Line(8), ProblemKind::InvalidJson)
        ]
    );
    assert!(m.problems[0].detail.starts_with("on stderr, where Teleport writes its own log"), "{:?}", m.problems[0]);
    assert!(m.problems[2].detail.contains("rest of it is not in the file"), "{:?}", m.problems[2]);
    // A split line counts once: of 8 lines in the file, the two pieces before a last one count
    // with it.
    assert_eq!((f.lines, f.events, f.bad_lines, f.blank_lines), (6, 2, 3, 1));
    assert_counts_add_up(&m);
    for slice in [1, 5, 64] {
        let sliced = load_sliced("0.log", log.as_bytes(), slice);
        assert_eq!((sliced.events.len(), problems_at(&sliced)), (2, problems_at(&m)), "slice {slice}");
    }
}

#[test]
fn docker_json_file_logs_are_unescaped_and_joined() {
    let event =
        r#"{"event":"user.login","uid":"d1","user":"a\\b \"q\"","success":false,"time":"2024-02-23T10:00:00Z"}"#;
    let escaped = serde_json::to_string(&format!("{event}\n")).unwrap();
    // Docker splits a line over 16 KiB into pieces of 16 KiB without a newline.
    let second = event.replace("d1", "d2").replace("a\\\\b", &"x".repeat(20_000));
    let (first, rest) = second.split_at(16 * 1024);
    let piece = |s: &str| serde_json::to_string(s).unwrap();
    let log = format!(
        "{{\"log\":{escaped},\"stream\":\"stdout\",\"time\":\"2024-02-23T10:00:00Z\"}}\n\
         {{\"log\":{},\"stream\":\"stdout\",\"time\":\"t\"}}\n\
         {{\"log\":\"level=info msg=started\\n\",\"stream\":\"stderr\",\"time\":\"t\"}}\n\
         {{\"log\":{},\"stream\":\"stdout\",\"time\":\"t\"}}\n",
        piece(first),
        piece(&format!("{rest}\n")),
    );
    let m = load(&[("containers/abc/abc-json.log", log.as_bytes())]);
    assert_eq!(m.events.len(), 2, "{:?}", m.problems);
    assert_eq!(m.str(m.events[0].user), r#"a\b "q""#);
    assert_eq!(m.kept_raw(0), Some(event.as_bytes()), "the event's own JSON, unescaped");
    assert_eq!((m.events[1].line, m.kept_raw(1)), (2, Some(second.as_bytes())));
    assert_eq!(problems_at(&m), [(Place::Line(3), ProblemKind::InvalidJson)]);
    assert_counts_add_up(&m);
}

#[test]
fn a_prefix_before_the_event_is_taken_off() {
    let log = concat!(
        "2024-02-23T10:00:00.123456789Z {\"event\":\"user.login\",\"user\":\"k\",\"time\":\"2024-02-23T10:00:00Z\"}\n",
        "2024-02-23T10:00:01+00:00\tteleport.events\t{\"event\":\"user.login\",\"user\":\"f\",\"time\":\"2024-02-23T10:00:01Z\"}\n",
        "Feb 23 10:00:02 auth-1 teleport[811]: {\"event\":\"user.login\",\"user\":\"s\",\"time\":\"2024-02-23T10:00:02Z\"}\n",
        "2024-02-23T10:00:03Z INFO [AUTH] Login of {alice} failed\n",
    );
    let m = load(&[("teleport.log", log.as_bytes())]);
    let users: Vec<&str> = m.events.iter().map(|e| m.str(e.user)).collect();
    assert_eq!(users, ["k", "f", "s"]);
    assert_eq!(m.kept_raw(2).map(|r| r.starts_with(b"{\"event\"")), Some(true));
    // Not an event after the prefix: the problem is said of the whole line.
    assert_eq!(problems_at(&m), [(Place::Line(4), ProblemKind::InvalidJson)]);
    assert_eq!(m.problems[0].detail, "text, not JSON: “2024-02-23T10:00:03Z INFO [AUTH] Login of {alice} failed”");
    assert_counts_add_up(&m);
}

/// Users of the events of `m`, in the order read.
fn users(m: &Model) -> Vec<&str> {
    m.events.iter().map(|e| m.str(e.user)).collect()
}

#[test]
fn container_logs_at_their_edges() {
    let cri = |stream: &str, tag: &str, text: &str| format!("2024-02-23T10:00:00.000000000Z {stream} {tag} {text}\n");
    let ev = |user: &str| {
        format!(r#"{{"event":"user.login","user":"{user}","message":"a b","time":"2024-02-23T10:00:00Z"}}"#)
    };
    let check = |name: &str, log: &str, want_users: &[&str], want_problems: &[(u64, &str)]| {
        let m = load_sliced(name, log.as_bytes(), 4096);
        assert_eq!(users(&m), want_users, "{name}: {:?}", m.problems);
        let problems: Vec<(u64, &str)> = m
            .problems
            .iter()
            .map(|p| match p.place {
                Place::Line(n) => (n, p.detail.as_str()),
                _ => (0, p.detail.as_str()),
            })
            .collect();
        assert_eq!(problems.len(), want_problems.len(), "{name}: {problems:?}");
        for ((n, detail), (want_n, want)) in problems.iter().zip(want_problems) {
            assert!(*n == *want_n && detail.contains(want), "{name}: {problems:?}");
        }
        assert_counts_add_up(&m);
        for slice in [1, 3, 64] {
            let sliced = load_sliced(name, log.as_bytes(), slice);
            assert_eq!(
                (users(&sliced), sliced.problems.len()),
                (users(&m), m.problems.len()),
                "{name} in slices of {slice}"
            );
        }
        m
    };
    // An empty line of output is blank, not damage.
    let m =
        check("empty.log", &(cri("stdout", "F", &ev("a")) + "2024-02-23T10:00:00.000000000Z stdout F\n"), &["a"], &[]);
    assert_eq!(m.files[0].blank_lines, 1);
    // A split that falls after a space keeps it.
    let e = ev("b");
    let at = e.find("a b").unwrap() + 2;
    let m = check("space.log", &(cri("stdout", "P", &e[..at]) + &cri("stdout", "F", &e[at..])), &["b"], &[]);
    assert_eq!(m.str(m.events[0].message), "a b");
    // Pieces join only with their own carrier: a prefixed line between them is read on its own.
    let e = ev("c");
    let log = cri("stdout", "P", &e[..20])
        + &format!("Feb 23 auth teleport[1]: {}\n", ev("d"))
        + &cri("stdout", "F", &e[20..]);
    check("mixed.log", &log, &["d", "c"], &[]);
    // Pieces whose end was lost: the complete line after them is still read.
    let log = cri("stdout", "P", &ev("lost")[..30]) + &cri("stdout", "F", &ev("e"));
    check("restart.log", &log, &["e"], &[(1, "rest of it is not in the file")]);
    // Teleport's own log on stderr, split and whole, says where it was written.
    let own = r#"{"level":"info","message":"a long message of the auth service"}"#;
    let log = cri("stderr", "P", &own[..25]) + &cri("stderr", "F", &own[25..]) + &cri("stdout", "F", &ev("f"));
    check("stderr.log", &log, &["f"], &[(1, "on stderr, where Teleport writes its own log")]);
}

#[test]
fn a_pod_log_is_known_by_its_runtime_whatever_its_first_lines_hold() {
    // Over the 64 KiB sniffed of Teleport's own JSON log on stderr, then events.
    let own =
        "2024-02-23T10:00:00Z stderr F {\"level\":\"info\",\"caller\":\"auth/init.go:1\",\"message\":\"starting\"}\n";
    let mut log = own.repeat(70 * 1024 / own.len() + 1);
    let event = r#"{"event":"user.login","user":"late","time":"2024-02-23T10:00:00Z"}"#;
    log.push_str(&format!("2024-02-23T10:00:01Z stdout F {event}\n"));
    let m = load(&[("0.log", log.as_bytes())]);
    assert_eq!(users(&m), ["late"]);
    assert_counts_add_up(&m);
    // A small file whose only event is split.
    let split =
        format!("2024-02-23T10:00:01Z stdout P {}\n2024-02-23T10:00:01Z stdout F {}\n", &event[..10], &event[10..]);
    let m = load(&[("1.log", split.as_bytes())]);
    assert_eq!((users(&m), m.problems.len()), (vec!["late"], 0));
    // A Docker json-file line shorter than a piece and without a newline is whole.
    let docker = format!("{{\"log\":{},\"stream\":\"stdout\"}}\n", serde_json::to_string(event).unwrap());
    let m = load(&[("d-json.log", docker.as_bytes())]);
    assert_eq!((users(&m), m.problems.len()), (vec!["late"], 0));
}

#[test]
fn container_pieces_recover_what_they_can() {
    let cri = |tag: &str, text: &str| format!("2024-02-23T10:00:00.000000000Z stdout {tag} {text}\n");
    let ev = |user: &str| format!(r#"{{"event":"user.login","user":"{user}","time":"2024-02-23T10:00:00Z"}}"#);
    // A piece whose end was lost, then a new line in two pieces: the new line is kept.
    let e = ev("x");
    let log = cri("P", r#"{"event":"user.login","user":"lo"#) + &cri("P", &e[..20]) + &cri("F", &e[20..]);
    let m = load_sliced("a.log", log.as_bytes(), 7);
    assert_eq!((users(&m), problems_at(&m)), (vec!["x"], vec![(Place::Line(1), ProblemKind::InvalidJson)]));
    assert_eq!(m.events[0].line, 2);
    assert_counts_add_up(&m);
    // A CRI piece, then Docker's pieces on the same stream: the Docker line is not glued to it.
    let long = ev(&"d".repeat(20_000));
    let (head, tail) = long.split_at(16 * 1024);
    let docker = |s: &str| format!("{{\"log\":{},\"stream\":\"stdout\"}}\n", serde_json::to_string(s).unwrap());
    let log = cri("P", &e[..20]) + &docker(head) + &docker(&format!("{tail}\n")) + &cri("F", &e[20..]);
    let m = load(&[("b.log", log.as_bytes())]);
    assert_eq!(users(&m).iter().map(|u| u.len()).collect::<Vec<_>>(), [20_000]);
    assert_eq!(problems_at(&m).iter().map(|p| p.0).collect::<Vec<_>>(), [Place::Line(1), Place::Line(4)]);
    assert_counts_add_up(&m);
    // An event whose first key is "log" is an event.
    let m = load(&[("c.log", br#"{"log":"x","event":"user.login","user":"l"}"#.as_slice())]);
    assert_eq!((users(&m), m.problems.len()), (vec!["l"], 0));
}

#[test]
fn a_carried_line_is_its_json_without_the_spaces_around_it() {
    let json = r#"{"event":"user.login","user":"w","time":"2024-02-23T10:00:00Z"}"#;
    let pod = format!("2024-02-23T10:00:00Z stdout F   {json}   \n");
    let mut ing = Ingest::new(Options { read_back_plain_files: true, ..Options::default() });
    ing.add_bytes("plain.log", format!("{json}\n").as_bytes());
    ing.add_bytes("0.log", pod.as_bytes());
    let m = ing.finish();
    // Read elsewhere too (no uid: the same line in another file is the same event).
    assert_eq!((m.events.len(), m.duplicates), (1, 1));
    let mut ing = Ingest::new(Options { read_back_plain_files: true, ..Options::default() });
    ing.add_bytes("0.log", pod.as_bytes());
    let m = ing.finish();
    assert_eq!(raw_of(&m, pod.as_bytes(), 0), json.as_bytes());
}
