//! Inputs the fuzzers found (fuzz/, run by `scripts/fuzz`), kept so that they stay fixed.

use review_core::query::parse;

/// Query text is user input and part of the URL (`#/events?q=…`), so a crafted link reaches
/// the parser. Each nesting level (`(`, `-`, `NOT`) was one more level of recursion (parse,
/// print and drop alike): about 10,000 levels overflowed an 8 MiB native stack, and far fewer
/// the browser worker's 1 MiB wasm stack. Deep queries must be an error or a filter, never an
/// abort. Runs on a 1 MiB stack, like the worker's.
#[test]
fn deeply_nested_queries_do_not_overflow_the_stack() {
    use review_core::ingest::{Ingest, Options};
    use review_core::query::{with_term, Filter, Op, MAX_DEPTH};
    use review_core::views::{Sort, Table, TableRequest, Views};

    let queries = [
        format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000)),
        format!("{}x", "-".repeat(100_000)),
        format!("{}x", "NOT ".repeat(100_000)),
    ];
    // As deep as the parser allows: these parse, compile, print and filter every table.
    let n = MAX_DEPTH;
    let deepest = [
        format!("{}user:bob OR x{} OR y", "(".repeat(n), ")".repeat(n)),
        format!("{}user:bob", "-".repeat(n)),
        format!("{}user:bob{}", "NOT (a ".repeat(n / 2), ")".repeat(n / 2)),
    ];
    let worker = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            for q in &queries {
                let e = parse(q).expect_err("too deep");
                assert!(e.message.contains("nested too deeply"), "{e}");
            }
            let log = concat!(
                r#"{"event":"session.start","user":"bob","sid":"s1","time":"2024-02-23T11:00:00Z"}"#,
                "\n",
                r#"{"event":"user.login","user":"alice","success":false,"time":"2024-02-23T09:59:00Z"}"#,
                "\n",
            );
            let mut ing = Ingest::new(Options::default());
            ing.add_bytes("a.log", log.as_bytes());
            let mut model = ing.finish();
            for q in &deepest {
                let e = parse(q).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(parse(&e.to_string()).as_ref(), Ok(&e));
                let filter = Filter::new(q, &model).unwrap_or_else(|e| panic!("{e}"));
                let _ = model.events.iter().filter(|e| filter.matches_event(e)).count();
                let _ = model.sessions.list.iter().filter(|s| filter.matches_session(s, &model)).count();
                let edited = with_term(q, "user", Op::Is, Some("alice"));
                let mut views = Views::default();
                for table in [Table::Events, Table::Auth, Table::Sessions, Table::Problems] {
                    for query in [q, &edited] {
                        let req =
                            TableRequest { table, query: query.clone(), sort: Sort::default(), offset: 0, limit: 10 };
                        let _ = views.page(&mut model, &req);
                    }
                }
            }
        })
        .expect("thread");
    worker.join().expect("no panic");
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

/// The problems of `file` (named `path`) pushed into a load `slice` bytes at a time, as the
/// browser's reads would.
fn problems_read_in_slices(path: &str, file: &[u8], slice: usize) -> Vec<review_core::problem::Problem> {
    use review_core::ingest::{Ingest, Options};
    let mut ing = Ingest::new(Options::default());
    let id = ing.open(path, file.len() as u64);
    for piece in file.chunks(slice) {
        ing.push(id, piece);
    }
    ing.close(id);
    ing.finish().problems
}

/// The same damaged `.gz` file was reported at a different offset depending on how its bytes
/// were pushed: `GzipPush` counts whole 16 KiB pieces (or whole pushed slices, when smaller),
/// so "corrupt near byte N" names the start of the piece in which the damage showed, and the
/// browser's read size leaks into the evidence report. Found by the `ingest_sliced` fuzz
/// target (98304 whole vs. 109800 sliced, for a checksum error).
#[test]
fn damaged_gzip_is_reported_at_the_same_offset_however_sliced() {
    // Past the 64 KiB sniffed head, which reaches the decoder in one push whatever the slicing.
    let text: Vec<u8> = (0..20_000u32)
        .flat_map(|i| format!("{{\"event\":\"user.login\",\"n\":{}}}\n", i.wrapping_mul(2_654_435_761)).into_bytes())
        .collect();
    // Two members, as a log reopened for appending has; the first one's CRC-32 is damaged,
    // so the check fails mid-file, when the decoder reaches the second member.
    let mut file = gzip(&text);
    let crc = file.len() - 8;
    file[crc] ^= 0xff;
    file.extend(gzip(b"{\"event\":\"user.login\"}\n"));

    let problems = |slice: usize| problems_read_in_slices("2024-01-01.00:00:00.log.gz", &file, slice);
    let whole = problems(file.len());
    assert!(file.len() > 100_000 && whole.len() == 1, "{} bytes: {whole:?}", file.len());
    for slice in [1, 7, 333, 1000, 4096, 20000, 65536] {
        assert_eq!(problems(slice), whole, "pushed in slices of {slice} bytes");
    }
}

/// A `.gz` whose content turned out to be no log (binary data) is read no further, so the
/// damaged checksum of its first member was met only when the rest of the file had come in
/// the same push (the decoder runs through the whole 16 KiB pieces it is given): read whole,
/// the file had one problem more than read in slices. Found by the `ingest_sliced` fuzz
/// target. What is not read is not reported.
#[test]
fn a_damaged_gzip_not_read_to_the_end_is_reported_the_same_however_sliced() {
    use review_core::problem::ProblemKind;

    // Binary bytes that do not compress, past the 64 KiB the content is known by.
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    let mut binary = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    };
    let mut file = gzip(&binary(120_000));
    let crc = file.len() - 8;
    file[crc] ^= 0xff;
    // A second member, so that the damage is met mid-file, in a piece the decoder is given.
    file.extend(gzip(&binary(40_000)));

    let problems = |slice: usize| problems_read_in_slices("uploads.tar.gz", &file, slice);
    let whole = problems(file.len());
    assert!(whole.iter().any(|p| p.kind == ProblemKind::NotAuditLog), "{whole:?}");
    for slice in [1, 333, 4096, 65536] {
        assert_eq!(problems(slice), whole, "pushed in slices of {slice} bytes");
    }
}

/// A comparison value starting with `=` was printed bare after `<` or `>`, so `time<"=5"`
/// printed as `time<=5`, which reads back as another operator and value. This broke the
/// print→parse round trip and the filter controls' `with_term` (found by the `query` fuzz
/// target: `with_term(…, "time", Op::Lt, Some("=171000000time>=171000000"))`).
#[test]
fn comparison_values_starting_with_equals_keep_their_operator() {
    use review_core::query::{term_value, with_term, Op};

    for query in [r#"time<"=5""#, r#"time>"=x" user:"=a""#] {
        let e = parse(query).expect("parses");
        assert_eq!(parse(&e.to_string()), Ok(e.clone()), "{query} printed as {e}");
    }
    let value = "=171000000time>=171000000";
    let edited = with_term("time>2ip:024 time:2024-03-11", "time", Op::Lt, Some(value));
    assert_eq!(term_value(&edited, "time", Op::Lt).as_deref(), Some(value), "{edited}");
}

/// A field pattern was matched by slicing each value at the byte length of the pattern's parts:
/// `user:x*` over a user `éa` cut inside `é` and panicked the worker, in the tables, the facets
/// and the histogram alike (found while reworking search; the `query` fuzz target now loads
/// such values and finds it).
#[test]
fn patterns_over_multi_byte_values_match_by_character() {
    use review_core::ingest::{Ingest, Options};
    use review_core::views::{facets, histogram, HistogramRequest, Sort, Table, TableRequest, Views};

    let log = concat!(
        r#"{"event":"user.login","user":"éa","success":false,"time":"2024-01-01T00:00:00Z"}"#,
        "\n",
        r#"{"event":"session.start","user":"aé","sid":"s1","server_hostname":"日本","time":"2024-01-01T00:00:01Z"}"#,
        "\n",
    );
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes("multi-byte.log", log.as_bytes());
    let mut m = ing.finish();
    let mut views = Views::default();
    for (query, events) in
        [("user:x*", 0), ("user:*x", 0), ("user:é*", 1), ("user:*É", 1), ("node:日*", 1), ("user:a", 0)]
    {
        for table in [Table::Events, Table::Auth, Table::Sessions] {
            let req = TableRequest { table, query: query.into(), sort: Sort::default(), offset: 0, limit: 10 };
            let page = views.page(&mut m, &req);
            if table == Table::Events {
                assert_eq!(page.total, events, "{query}");
            }
            facets(&m, table, query, 5);
            histogram(&m, &HistogramRequest { table, query: query.into(), range: None, utc_offset_minutes: 0 });
        }
    }
}
