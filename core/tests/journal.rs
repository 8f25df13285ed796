//! Parsing on another thread: files read by a `Parser` and applied as journals build the very
//! model that reading them directly builds (every event, string, file count, problem, session
//! and recording part), whatever mix of the two a load uses.

use flate2::{write::GzEncoder, Compression};
use review_core::ingest::{Flow, Ingest, Options, Parser};
use review_core::model::Model;
use std::io::Write;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{path}")).unwrap()
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// How each file of a load is read.
#[derive(Clone, Copy, Debug)]
enum Way {
    Direct,
    Journal,
    /// Every other file by journal, starting with the first.
    Alternate,
}

/// Loads `files` in slices of `slice` bytes, each file read the way `way` says.
fn load(files: &[(String, Vec<u8>)], way: Way, slice: usize) -> Model {
    let mut ing = Ingest::new(Options { read_back_plain_files: true, seed: Some(42), ..Options::default() });
    let mut parser = Parser::new(ing.options().clone(), ing.dedup_seed());
    for (n, (path, bytes)) in files.iter().enumerate() {
        let id = ing.open(path, bytes.len() as u64);
        let journal = match way {
            Way::Direct => false,
            Way::Journal => true,
            Way::Alternate => n % 2 == 0,
        };
        if journal {
            parser.open(path, bytes.len() as u64);
            for s in bytes.chunks(slice) {
                let flow = parser.push(s);
                ing.apply(id, &parser.take());
                if flow == Flow::Done {
                    break;
                }
            }
            parser.close();
            ing.apply(id, &parser.take());
        } else {
            for s in bytes.chunks(slice) {
                if ing.push(id, s) == Flow::Done {
                    break;
                }
            }
        }
        ing.close(id);
    }
    ing.finish()
}

/// Everything a model holds that a user can see, spelled out.
fn contents(m: &Model) -> String {
    let strings: Vec<&str> = m.strings.iter().map(|(_, s)| s).collect();
    let raws: Vec<Option<&[u8]>> = (0..m.events.len()).map(|i| m.kept_raw(i as u32)).collect();
    format!(
        "events {:?}\nstrings {strings:?}\nraws {raws:?}\nfiles {:?}\nproblems {:?}\nsessions {:?}\nrecordings {:?}\nduplicates {}",
        m.events, m.files, m.problems, m.sessions.list, m.recordings, m.duplicates
    )
}

fn tar(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

/// Real examples, bad and hostile lines, container logs, a recording under its published
/// names, archives with logs and recording parts, a cut gzip, the same file twice, something
/// that is no log at all.
fn mixed_files() -> Vec<(String, Vec<u8>)> {
    let examples = fixture("teleport/audit-event-examples/webapps-Audit-fixtures-events.jsonl");
    let many: String = (0..3000)
        .map(|i| {
            format!(
                "{{\"event\":\"exec\",\"uid\":\"u{i}\",\"time\":\"2024-01-01T00:00:{:02}Z\",\"user\":\"x{}\"}}\n",
                i % 60,
                i % 7
            )
        })
        .collect();
    let cut = gz(many.as_bytes());
    let archive = gz(&tar(&[
        ("log/auth-1/2024-01-01.00:00:00.log", b"{\"event\":\"user.login\",\"user\":\"in-tar\",\"success\":false}\n"),
        ("log/auth-1/2024-01-02.00:00:00.log.gz", &gz(&examples)),
        ("log/auth-1/sessions/default/s1-0.chunks.gz", &gz(b"\x1b[1mhello")),
        ("log/README", b"just notes\n"),
        ("log/bad.log", b"{\"event\":\"x\"}\nnot json\n{\"no_event\":1}\n"),
    ]));
    let files = [
        ("examples.log", examples.clone()),
        ("examples-again.log", examples.clone()),
        ("examples.log.gz", gz(&examples)),
        ("bad-lines.log", fixture("audit/bad-lines.log")),
        ("hostile-names.log", fixture("audit/hostile-names.log")),
        ("pod-log-split-lines.log", fixture("audit/pod-log-split-lines.log")),
        ("rec/npm.tty.events.json", fixture("teleport/gen2-recording-npm/npm.tty.events.json")),
        ("rec/npm.tty.stream", fixture("teleport/gen2-recording-npm/npm.tty.stream")),
        ("backup.tar.gz", archive),
        ("cut.log.gz", cut[..cut.len() * 2 / 3].to_vec()),
        ("notes.txt", fixture("audit/notes.txt")),
        ("empty.log", Vec::new()),
    ];
    files.into_iter().map(|(p, b)| (p.to_owned(), b)).collect()
}

#[test]
fn a_journal_builds_the_model_reading_directly_builds() {
    let files = mixed_files();
    for slice in [7, 4096, 1 << 22] {
        let direct = contents(&load(&files, Way::Direct, slice));
        for way in [Way::Journal, Way::Alternate] {
            let other = contents(&load(&files, way, slice));
            if other != direct {
                let at = direct.bytes().zip(other.bytes()).take_while(|(a, b)| a == b).count();
                let from = at.saturating_sub(200);
                panic!(
                    "{way:?}, slices of {slice}: differs at byte {at}\ndirect: …{}\n{way:?}: …{}",
                    &direct[from..(at + 200).min(direct.len())],
                    &other[from..(at + 200).min(other.len())]
                );
            }
        }
    }
}

#[test]
fn the_comparison_sees_a_difference() {
    // The test above would pass if the contents said nothing: a model missing one file differs.
    let files = mixed_files();
    let fewer = &files[..files.len() - 2];
    assert_ne!(contents(&load(&files, Way::Direct, 4096)), contents(&load(fewer, Way::Journal, 4096)));
    let m = load(&files, Way::Journal, 4096);
    assert!(m.events.len() > 2000 && m.duplicates > 0 && !m.problems.is_empty() && !m.recordings.is_empty());
}

#[test]
fn generated_logs_of_every_version_load_alike() {
    let set = synth::demo::build();
    let files: Vec<(String, Vec<u8>)> = set.files.iter().map(|f| (f.path.clone(), f.bytes.clone())).collect();
    let direct = load(&files, Way::Direct, 1 << 20);
    assert!(direct.events.len() > 3000);
    assert_eq!(contents(&direct), contents(&load(&files, Way::Alternate, 1 << 20)));
}

#[test]
fn a_parser_is_done_when_its_file_needs_no_more() {
    // Plain, so that its first 64 KiB (what a file is told by) come before its end.
    let stream = fixture("teleport/gen2-recording-npm/npm.tty.stream");
    let name = "sessions/default/9d5e8f0a-1b2c-4d3e-8f9a-0b1c2d3e4f5a-0.chunks";
    let mut parser = Parser::new(Options::default(), 1);
    parser.open(name, stream.len() as u64);
    let flows: Vec<Flow> = stream.chunks(1 << 12).map(|s| parser.push(s)).collect();
    assert_eq!(flows.last(), Some(&Flow::Done), "a recording part is read back by its handle, not parsed");
}

/// Two files read a slice at a time each, in turn, the second by journal: as when the model
/// parses one file while it applies the reader's journals of another.
fn load_interleaved(a: &[u8], b: &[u8], journal_b: bool, options: Options) -> Model {
    let mut ing = Ingest::new(Options { seed: Some(9), ..options });
    let mut parser = Parser::new(ing.options().clone(), ing.dedup_seed());
    let (ia, ib) = (ing.open("a.log", a.len() as u64), ing.open("b.log", b.len() as u64));
    parser.open("b.log", b.len() as u64);
    let (mut sa, mut sb) = (a.chunks(4096), b.chunks(4096));
    loop {
        let (x, y) = (sa.next(), sb.next());
        if x.is_none() && y.is_none() {
            break;
        }
        if let Some(x) = x {
            ing.push(ia, x);
        }
        if let Some(y) = y {
            if journal_b {
                parser.push(y);
                ing.apply(ib, &parser.take());
            } else {
                ing.push(ib, y);
            }
        }
    }
    ing.close(ia);
    if journal_b {
        parser.close();
        ing.apply(ib, &parser.take());
    }
    ing.close(ib);
    ing.finish()
}

fn bad_log(user: &str, bad: usize) -> Vec<u8> {
    let mut text = format!("{{\"event\":\"user.login\",\"user\":\"{user}\",\"uid\":\"{user}\"}}\n");
    for i in 0..bad {
        text.push_str(&format!("not json {i}\n"));
    }
    text.into_bytes()
}

#[test]
fn files_read_in_turn_load_alike_and_keep_their_own_problem_limits() {
    let limits = review_core::ingest::Limits { max_problems_per_file: 5, ..Default::default() };
    let options = Options { limits, ..Options::default() };
    // Past the first 64 KiB a file is told by, so that the two are read line by line in turn.
    let (a, b) = (bad_log("alice", 10_000), bad_log("bob", 10_000));
    let direct = load_interleaved(&a, &b, false, options.clone());
    assert_eq!(contents(&direct), contents(&load_interleaved(&a, &b, true, options)));
    for file in 0..2 {
        let listed = direct.problems.iter().filter(|p| p.file == file).count();
        // Five, and the line that says the rest are only counted.
        assert_eq!(listed, 6, "file {file}: {:?}", direct.problems);
        assert_eq!(direct.files[file as usize].bad_lines, 10_000);
    }
}

#[test]
fn a_parser_goes_on_after_a_file_it_dropped() {
    let examples = fixture("teleport/audit-event-examples/webapps-Audit-fixtures-events.jsonl");
    let other = bad_log("carol", 3);
    let mut ing = Ingest::new(Options { seed: Some(4), ..Options::default() });
    let mut parser = Parser::new(ing.options().clone(), ing.dedup_seed());
    // A load cancelled halfway through a file the parser reads: the model closes the file.
    let a = ing.open("a.log", examples.len() as u64);
    parser.open("a.log", examples.len() as u64);
    parser.push(&examples[..examples.len() / 2]);
    ing.apply(a, &parser.take());
    ing.close(a);
    // A later load's file: its journal starts with no trace of the dropped one.
    let b = ing.open("b.log", other.len() as u64);
    parser.open("b.log", other.len() as u64);
    parser.push(&other);
    parser.close();
    ing.apply(b, &parser.take());
    ing.close(b);
    let m = ing.finish();
    let f = &m.files[b as usize];
    assert_eq!((f.lines, f.events, f.bad_lines), (4, 1, 3), "{f:?}");
    let last = m.events.last().unwrap();
    assert_eq!((last.file, m.str(last.user)), (b, "carol"));
    assert!(m.problems.iter().filter(|p| p.file == b).count() == 3);
}
