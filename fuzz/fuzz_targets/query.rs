#![no_main]
//! Query text, as typed by the user: parse, print→parse round trip, compile against a loaded
//! model and filter every table, and the filter controls' term editing. Input: the query, then
//! optionally a NUL and a value for the controls' `with_term`.

use chrono::Timelike;
use libfuzzer_sys::fuzz_target;
use review_core::ingest::{Ingest, Options};
use review_core::model::Model;
use review_core::query::{localize_times, parse, term_value, with_term, Filter, Op};
use review_core::views::{Sort, Table, TableRequest, Views};
use std::cell::RefCell;

const EXAMPLES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/teleport/audit-event-examples/webapps-Audit-fixtures-events.jsonl"
);

const NON_ASCII: &str = concat!(
    r#"{"event":"user.login","user":"éa","login":"日本語","success":false,"addr.remote":"[::1]:22","time":"2024-01-01T00:00:00Z"}"#,
    "\n",
    r#"{"event":"session.start","user":"İstanbul","server_hostname":"KELVIN \u212a","sid":"ß","time":"2024-01-01T00:00:01Z"}"#,
    "\n",
);

/// Fields the UI's filter controls edit.
const FIELDS: [&str; 6] = ["user", "time", "event", "outcome", "addr", "node"];
const OPS: [Op; 5] = [Op::Is, Op::Ge, Op::Le, Op::Gt, Op::Lt];

thread_local! {
    /// The real example events (every type Teleport documents), loaded once.
    static MODEL: RefCell<Model> = RefCell::new({
        let bytes = std::fs::read(EXAMPLES).unwrap_or_else(|e| panic!("{EXAMPLES}: {e}"));
        let mut ing = Ingest::new(Options::default());
        ing.add_bytes("events.jsonl", &bytes);
        // Values no example has: multi-byte and case-changing characters (a pattern part that
        // ends inside one of them once panicked).
        ing.add_bytes("non-ascii.jsonl", NON_ASCII.as_bytes());
        ing.finish()
    });
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (query, value) = match text.split_once('\0') {
        Some((q, v)) => (q, Some(v)),
        None => (&*text, None),
    };

    if let Ok(expr) = parse(query) {
        let printed = expr.to_string();
        match parse(&printed) {
            Ok(again) => {
                assert_eq!(again, expr, "parse(print(e)) == e for {query:?} printed as {printed:?}");
                assert_eq!(again.to_string(), printed, "printing is stable");
            }
            Err(e) => panic!("{query:?} printed as {printed:?}, which does not parse: {e}"),
        }
    }

    // Times typed in local time: only time values change, once, and what compiled still does.
    let offset_at = |t: chrono::NaiveDateTime| (t.hour() as i32 - 12) * 3600 + 1800;
    let local = localize_times(query, "", offset_at);
    assert_eq!(localize_times(&local, "", offset_at), local, "localizing {query:?} twice");
    assert_eq!(localize_times(query, query, offset_at), query, "nothing new in {query:?}");
    assert_eq!(parse(&local).is_ok(), parse(query).is_ok(), "{query:?} localized as {local:?}");

    MODEL.with_borrow_mut(|model| {
        assert_eq!(Filter::new(&local, model).is_ok(), Filter::new(query, model).is_ok(), "{query:?} as {local:?}");
        if let Ok(filter) = Filter::new(query, model) {
            for e in &model.events {
                let _ = filter.matches_event(e);
            }
            for s in &model.sessions.list {
                let _ = filter.matches_session(s, model);
            }
        }
        let mut views = Views::default();
        for table in [Table::Events, Table::Auth, Table::Sessions, Table::Problems] {
            let req = TableRequest { table, query: query.to_owned(), sort: Sort::default(), offset: 0, limit: 10 };
            let page = views.page(model, &req);
            assert!(page.total <= page.unfiltered, "a query never adds rows");
        }
    });

    if let Some(value) = value {
        let which = value.len();
        let (field, op) = (FIELDS[which % FIELDS.len()], OPS[which / FIELDS.len() % OPS.len()]);
        if parse(query).is_ok() {
            let edited = with_term(query, field, op, Some(value));
            assert!(parse(&edited).is_ok(), "{query:?} with {field}{op:?}{value:?}: {edited:?}");
            // Refused, unchanged: a top-level OR at the nesting limit has no room for parentheses.
            let refused = edited == query && parse(&format!("({query}) x")).is_err();
            let want = (!value.is_empty() && !refused).then(|| value.to_owned());
            assert_eq!(term_value(&edited, field, op), want, "{query:?} with {field}{op:?}{value:?}: {edited:?}");
            let removed = with_term(&edited, field, op, None);
            assert_eq!(term_value(&removed, field, op), None, "term removed from {edited:?}: {removed:?}");
        }
    }
});
