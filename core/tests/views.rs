//! The answers the UI shows: counts, pages, sorts, the overview.

use review_core::audit::Outcome;
use review_core::ingest::{Ingest, Options};
use review_core::model::Model;
use review_core::views::{recorded_sessions, EventRow, Overview, Rows, Sort, SortKey, Table, TableRequest, Views};

fn model() -> Model {
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes("log/2017-02-03.00:00:00.log", log().as_bytes());
    ing.finish()
}

fn log() -> String {
    let mut log = String::new();
    // 30 failed logins from one address, then a success; a session with a join that never ends;
    // one that ends.
    for i in 0..30 {
        log += &format!("{{\"event\":\"user.login\",\"uid\":\"f{i}\",\"code\":\"T1000W\",\"success\":false,\"user\":\"u{}\",\"method\":\"local\",\"error\":\"invalid credentials\",\"addr.remote\":\"198.51.100.7:{}\",\"time\":\"2017-02-02T13:00:{i:02}Z\"}}\n", i % 3, 40000 + i);
    }
    log += "{\"event\":\"user.login\",\"uid\":\"ok\",\"code\":\"T1000I\",\"success\":true,\"user\":\"u1\",\"method\":\"local\",\"addr.remote\":\"198.51.100.7:1\",\"time\":\"2017-02-02T13:01:00Z\"}\n";
    log += "{\"event\":\"session.start\",\"sid\":\"open\",\"user\":\"u1\",\"login\":\"root\",\"server_hostname\":\"web-1\",\"time\":\"2017-02-02T13:02:00Z\"}\n";
    log += "{\"event\":\"session.join\",\"sid\":\"open\",\"user\":\"u2\",\"time\":\"2017-02-02T13:03:00Z\"}\n";
    log += "{\"event\":\"session.start\",\"sid\":\"done\",\"user\":\"u0\",\"login\":\"ubuntu\",\"server_id\":\"id-9\",\"time\":\"2017-02-03T01:00:00Z\"}\n";
    log += "{\"event\":\"session.end\",\"sid\":\"done\",\"user\":\"u0\",\"time\":\"2017-02-03T02:30:00Z\"}\n";
    log += "not json\n";
    log
}

fn req(table: Table, query: &str, key: SortKey, descending: bool, offset: u32, limit: u32) -> TableRequest {
    TableRequest { table, query: query.into(), sort: Sort { key, descending }, offset, limit }
}

#[test]
fn auth_table_pages_filters_and_sorts() {
    let mut m = model();
    let mut v = Views::default();
    let p = v.page(&mut m, &req(Table::Auth, "", SortKey::Time, true, 0, 10));
    assert_eq!((p.total, p.unfiltered), (31, 31));
    let Rows::Events(rows) = &p.rows else { panic!() };
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[0].outcome, Outcome::Success, "newest first");
    let p = v.page(&mut m, &req(Table::Auth, "", SortKey::Time, true, 25, 10));
    let Rows::Events(rows) = &p.rows else { panic!() };
    assert_eq!(rows.len(), 6, "the last window is short");
    let p = v.page(&mut m, &req(Table::Auth, "outcome:failure user:u1", SortKey::Time, false, 0, 100));
    assert_eq!(p.total, 10);
    let p = v.page(&mut m, &req(Table::Auth, "", SortKey::Outcome, false, 0, 1));
    let Rows::Events(rows) = &p.rows else { panic!() };
    assert_eq!(rows[0].outcome, Outcome::Failure, "failures first");
    let p = v.page(&mut m, &req(Table::Auth, "", SortKey::User, true, 0, 1));
    let Rows::Events(rows) = &p.rows else { panic!() };
    assert_eq!(rows[0].user, "u2");
    let p = v.page(&mut m, &req(Table::Auth, "user:(", SortKey::Time, true, 0, 1));
    assert!(p.error.is_some(), "a bad query says so");
    assert_eq!((p.total, p.unfiltered), (0, 31), "and shows nothing rather than everything");
}

#[test]
fn sessions_with_and_without_end() {
    let mut m = model();
    let mut v = Views::default();
    let p = v.page(&mut m, &req(Table::Sessions, "", SortKey::Time, false, 0, 10));
    let Rows::Sessions(rows) = &p.rows else { panic!() };
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].sid, "open");
    assert_eq!(rows[0].end, None, "kept, with an unknown end");
    assert_eq!(rows[0].participants, ["u1", "u2"]);
    assert_eq!(rows[0].node, "web-1");
    assert_eq!(rows[1].node, "id-9", "falls back to server_id");
    assert_eq!(rows[1].duration, Some(90 * 60 * 1_000_000_000));
    let p = v.page(&mut m, &req(Table::Sessions, "user:u2", SortKey::Time, false, 0, 10));
    assert_eq!(p.total, 1, "a joiner finds the session");
}

#[test]
fn overview_adds_up() {
    let m = model();
    let o = Overview::new(&m);
    assert_eq!(o.events, 35);
    assert_eq!(o.bad_lines, 1);
    assert_eq!(o.problems, 1);
    assert_eq!(o.auth_attempts, 31);
    assert_eq!(o.auth_failures, 30);
    assert_eq!(o.sessions, 2);
    assert_eq!(o.open_sessions, 1);
    assert_eq!(o.users, 3);
    assert_eq!(o.addrs, 1, "ports do not make new addresses");
    assert_eq!((o.files, o.top_files, o.unhashed_files), (1, 1, 1));
    let mut m = m;
    let p = Views::default().page(&mut m, &req(Table::Files, "", SortKey::File, false, 0, 10));
    let Rows::Files(files) = &p.rows else { panic!() };
    let f = &files[0];
    assert_eq!(f.lines, f.events + f.bad_lines + f.blank_lines + f.duplicates);
    assert_eq!(f.problems, 1);
    assert!(f.note.as_deref().unwrap().contains("nearest midnight"), "02-02 13:00 … 02-03 02:30 in a file named 02-03");
}

#[test]
fn the_overview_asked_while_loading_counts_what_a_fresh_one_does() {
    let log = log();
    let mut ing = Ingest::new(Options::default());
    let mut views = Views::default();
    let mut first = None;
    for round in 0..2 {
        // The second round adds every line again, as another file: each is a duplicate (by its
        // uid and line, or, without a uid, by its line met in another file).
        let file = ing.open(&format!("log/{round}.log"), log.len() as u64);
        for chunk in log.as_bytes().chunks(97) {
            ing.push(file, chunk);
            assert_eq!(views.overview(&ing.model), Overview::new(&ing.model));
        }
        ing.close(file);
        first.get_or_insert_with(|| views.overview(&ing.model));
    }
    let (o, first) = (views.overview(&ing.model), first.unwrap());
    assert_eq!((first.events, first.duplicates, first.users, first.auth_failures), (35, 0, 3, 30));
    assert_eq!((o.events, o.duplicates, o.users, o.auth_failures), (35, 35, 3, 30));
    // Cleared: a model with fewer events than counted is counted again from its start.
    let mut small = Ingest::new(Options::default());
    small.add_bytes("one.log", log.lines().next().unwrap().as_bytes());
    assert_eq!(views.overview(&small.model), Overview::new(&small.model));
}

#[test]
fn a_session_known_only_from_its_recording_shows_who_where_when() {
    use review_core::model::RecordingSummary;
    let mut ing = Ingest::new(Options::default());
    // A ProtoStream file named by its sid, with no audit events for it.
    ing.add_bytes(
        "records/4f3c.tar",
        &[0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0x1f, 0x8b],
    );
    let mut m = ing.finish();
    m.add_recording_summary(RecordingSummary {
        sid: Some("4f3c".into()),
        parts: 1,
        generation: 3,
        user: Some("mallory".into()),
        node: Some("db-7".into()),
        start: Some(1_700_000_000_000_000_000),
        end: Some(1_700_000_060_000_000_000),
        duration_ms: 59_000,
        ..RecordingSummary::default()
    });
    assert!(m.recording_summarized("4f3c", 1));
    let mut v = Views::default();
    let p = v.page(&mut m, &req(Table::Sessions, "user:mallory", SortKey::Time, false, 0, 10));
    let Rows::Sessions(rows) = &p.rows else { panic!() };
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].node.as_str(), rows[0].duration), ("db-7", Some(60_000_000_000)));
    assert!(matches!(
        rows[0].recording,
        review_core::views::RecordingStatus::Loaded { generation: 3, duration_ms: Some(59_000), .. }
    ));
}

#[test]
fn files_and_problems_tables_follow_files_that_add_no_events() {
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes(
        "log/a.log",
        b"{\"event\":\"user.login\",\"uid\":\"1\",\"user\":\"u\",\"time\":\"2017-02-02T13:00:00Z\"}\n",
    );
    let mut views = Views::default();
    let total =
        |views: &mut Views, m: &mut Model, table| views.page(m, &req(table, "", SortKey::Time, false, 0, 100)).total;
    assert_eq!(total(&mut views, &mut ing.model, Table::Files), 1);
    assert_eq!(total(&mut views, &mut ing.model, Table::Problems), 0);
    // A file that gives no event, only problems: the same events, a new file and problems.
    ing.add_bytes("log/b.log", b"{\"event\":\"user.login\",\"time\":\n{\"event\n");
    let events = ing.model.events.len();
    assert_eq!(events, 1);
    assert_eq!(total(&mut views, &mut ing.model, Table::Files), 2);
    let problems = ing.model.problems.len() as u32;
    assert!(problems > 0, "the bad lines are problems");
    assert_eq!(total(&mut views, &mut ing.model, Table::Problems), problems);
}

/// Sorting by a text column orders rows by that text, both ways, for events, auth attempts and
/// sessions; each sort ranks only the values of its own column, so the next sort by another
/// column must not reuse them.
#[test]
fn text_columns_sort_by_their_text() {
    let mut m = model();
    let mut v = Views::default();
    let event_field = |r: &review_core::views::EventRow, key: SortKey| -> String {
        match key {
            SortKey::Event => r.event.clone(),
            SortKey::Code => r.code.clone(),
            SortKey::User => r.user.clone(),
            SortKey::Login => r.login.clone(),
            SortKey::Node => r.node.clone(),
            SortKey::Addr => r.addr.clone(),
            SortKey::Method => r.method.clone(),
            SortKey::Message => r.message.clone(),
            _ => r.cluster.clone(),
        }
    };
    let keys = [
        SortKey::User,
        SortKey::Event,
        SortKey::Code,
        SortKey::Login,
        SortKey::Node,
        SortKey::Addr,
        SortKey::Method,
        SortKey::Message,
        SortKey::Cluster,
        SortKey::User,
    ];
    for table in [Table::Events, Table::Auth] {
        for key in keys {
            for descending in [false, true] {
                let p = v.page(&mut m, &req(table, "", key, descending, 0, 1000));
                let Rows::Events(rows) = &p.rows else { panic!() };
                let values: Vec<String> = rows.iter().map(|r| event_field(r, key)).collect();
                // Rows without the value come last, ascending or descending.
                let (mut sorted, blank): (Vec<String>, Vec<String>) =
                    values.iter().cloned().partition(|v| !v.is_empty());
                sorted.sort();
                if descending {
                    sorted.reverse();
                }
                sorted.extend(blank);
                assert_eq!(values, sorted, "{table:?} by {key:?}, descending {descending}");
                if table == Table::Events && matches!(key, SortKey::User | SortKey::Event | SortKey::Login) {
                    assert!(values.first() != values.last(), "{key:?} sorts values that differ");
                }
            }
        }
    }
    for key in [SortKey::User, SortKey::Node, SortKey::Login] {
        let p = v.page(&mut m, &req(Table::Sessions, "", key, false, 0, 100));
        let Rows::Sessions(rows) = &p.rows else { panic!() };
        let values: Vec<&str> = rows
            .iter()
            .map(|r| match key {
                SortKey::User => r.user.as_str(),
                SortKey::Node => r.node.as_str(),
                _ => r.login.as_str(),
            })
            .collect();
        let mut sorted = values.clone();
        sorted.sort();
        assert_eq!(values, sorted, "sessions by {key:?}");
        assert_eq!(values.len(), 2);
    }
    // The longest first, and sessions with no end logged (no duration) after them, not before.
    let p = v.page(&mut m, &req(Table::Sessions, "", SortKey::Duration, true, 0, 100));
    let Rows::Sessions(rows) = &p.rows else { panic!() };
    let durations: Vec<Option<i64>> = rows.iter().map(|r| r.duration).collect();
    let known = durations.iter().take_while(|d| d.is_some()).count();
    assert!(known > 0 && known < durations.len(), "both kinds: {durations:?}");
    assert!(durations[known..].iter().all(Option::is_none), "{durations:?}");
    assert!(durations[..known].windows(2).all(|w| w[0] >= w[1]), "{durations:?}");
}

/// Answers are cached while the model stays as it was: new findings of the same size, and a
/// session completed by its recording, are changes too.
#[test]
fn cached_answers_follow_findings_and_recordings() {
    let mut m = model();
    let mut v = Views::default();
    let ids = |v: &mut Views, m: &mut Model, q: &str| -> Vec<u32> {
        let p = v.page(m, &req(Table::Events, q, SortKey::Time, false, 0, 100));
        let Rows::Events(rows) = p.rows else { panic!() };
        rows.iter().map(|r| r.id).collect()
    };
    m.set_findings(vec![vec![0, 1]]);
    assert_eq!(ids(&mut v, &mut m, "finding:0"), [0, 1]);
    m.set_findings(vec![vec![2, 3]]);
    assert_eq!(ids(&mut v, &mut m, "finding:0"), [2, 3], "same size, other events");
    // The open session gets its end from its recording: it now lasts an hour.
    let sessions = |v: &mut Views, m: &mut Model| {
        v.page(m, &req(Table::Sessions, "duration>=30m", SortKey::Time, false, 0, 10)).total
    };
    let before = sessions(&mut v, &mut m);
    let start = m.sessions.list.iter().find(|s| m.str(s.sid) == "open").and_then(|s| s.start).unwrap();
    m.add_recording_summary(review_core::model::RecordingSummary {
        sid: Some("open".into()),
        end: Some(start + 3_600_000_000_000),
        parts: 1,
        ..Default::default()
    });
    assert_eq!(sessions(&mut v, &mut m), before + 1);
}

#[test]
fn the_recorded_sessions_a_query_selects() {
    let mut ing = Ingest::new(Options::default());
    let start = |sid: &str, user: &str| {
        format!(
            "{{\"event\":\"session.start\",\"sid\":\"{sid}\",\"user\":\"{user}\",\"time\":\"2019-01-01T00:00:00Z\"}}\n"
        )
    };
    let log = start("s-alice", "alice") + &start("s-bob", "bob") + &start("s-none", "carol");
    ing.add_bytes("log/2019-01-01.00:00:00.log", log.as_bytes());
    ing.add_bytes("log/sessions/default/s-alice.session.bytes", b"$ ls\r\n");
    ing.add_bytes("log/sessions/default/s-bob.session.bytes", b"$ id\r\n");
    let m = ing.finish();
    let sids = |query: &str| -> Vec<String> {
        let sessions = recorded_sessions(query, &m).expect("compiles");
        sessions.iter().map(|&i| m.str(m.sessions.list[i as usize].sid).to_owned()).collect()
    };
    let mut all = sids("");
    all.sort();
    assert_eq!(all, ["s-alice", "s-bob"], "carol's session has no recording");
    assert_eq!(sids("user:bob"), ["s-bob"]);
    assert!(sids("user:carol").is_empty());
    let error = recorded_sessions("usr:bob", &m).expect_err("an unknown field");
    assert!(error.message.contains("usr"), "{}", error.message);
}

/// Events by time, paged in windows either way, are every event in (time, file, line) order,
/// newest first when descending, ties and events without a time included; `e`/`E` find the
/// nearest failure from any row; and a query that does not compile, asked before the empty one,
/// leaves the empty one every row.
#[test]
fn events_by_time_page_both_ways_and_failures_are_found_from_any_row() {
    let mut ing = Ingest::new(Options::default());
    for (f, name) in ["a.log", "b.log"].into_iter().enumerate() {
        let mut log = String::new();
        for i in 0..40 {
            // Three events a second in each file (ties within and across files), some untimed.
            let time = if i % 9 == 4 { String::new() } else { format!(r#","time":"2024-01-01T00:00:{:02}Z""#, i / 3) };
            let success = (i + f) % 4 != 0;
            log += &format!(r#"{{"event":"user.login","uid":"{f}-{i}","user":"u{i}","success":{success}{time}}}"#);
            log.push('\n');
        }
        ing.add_bytes(name, log.as_bytes());
    }
    let mut m = ing.finish();
    let mut v = Views::default();
    let paged = |m: &mut Model, v: &mut Views, table: Table, descending: bool, limit: u32| -> Vec<EventRow> {
        let mut rows: Vec<EventRow> = Vec::new();
        loop {
            let p = v.page(m, &req(table, "", SortKey::Time, descending, rows.len() as u32, limit));
            let Rows::Events(window) = p.rows else { panic!() };
            if window.is_empty() {
                assert_eq!(rows.len() as u32, p.total);
                return rows;
            }
            rows.extend(window);
        }
    };
    let ids = |rows: &[EventRow]| rows.iter().map(|r| r.id).collect::<Vec<_>>();
    for table in [Table::Events, Table::Auth] {
        let ascending = paged(&mut m, &mut v, table, false, 7);
        let descending = paged(&mut m, &mut v, table, true, 5);
        assert_eq!(ascending.len(), 80);
        let mut expected = ascending.clone();
        expected.sort_by_key(|r| (r.time.unwrap_or(i64::MAX), r.file.clone(), r.line));
        assert_eq!(ids(&ascending), ids(&expected), "{table:?}: time, then file, then line");
        assert!(ascending.iter().any(|r| r.time.is_none()) && ascending[0].time.is_some());
        let mut reversed = ascending.clone();
        reversed.reverse();
        assert_eq!(ids(&descending), ids(&reversed), "{table:?}: descending is the same rows reversed");

        let asked = req(table, "", SortKey::Time, true, 0, 0);
        let failed = |i: &usize| descending[*i].outcome == Outcome::Failure;
        for from in 0..descending.len() {
            let after = (from + 1..descending.len()).find(failed).map(|i| i as u32);
            let before = (0..from).rev().find(failed).map(|i| i as u32);
            assert_eq!(v.next_failure(&mut m, &asked, from as u32, true), after, "after row {from}");
            assert_eq!(v.next_failure(&mut m, &asked, from as u32, false), before, "before row {from}");
        }

        let bad = v.page(&mut m, &req(table, "user:(", SortKey::Time, true, 0, 10));
        assert!(bad.error.is_some());
        assert_eq!(bad.total, 0, "a query that does not compile shows nothing");
        let empty = v.page(&mut m, &req(table, "", SortKey::Time, true, 0, 10));
        assert_eq!(empty.total, 80, "{table:?}: and the empty query after it everything");
    }
}
