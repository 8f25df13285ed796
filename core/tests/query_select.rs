//! `Filter::select` (the time index read column by column into bit masks) selects exactly the
//! events `Filter::matches_event` accepts one row at a time, and `Filter::sessions` the sessions
//! `Filter::matches_session` accepts one by one, for generated queries over a model whose size
//! is not a multiple of the 64 positions a mask word holds.

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;
use review_core::ingest::{Ingest, Options};
use review_core::model::Model;
use review_core::query::Filter;

/// 333 events: logins that succeed and fail, session events, commands, a few without a time,
/// values in mixed case and one non-ASCII user.
fn model() -> Model {
    let users = ["alice", "Bob", "carol", "dave", "Érika"];
    let nodes = ["db-1", "web-1", "web-2"];
    let mut log = String::new();
    for i in 0..333 {
        let user = users[i % users.len()];
        let node = nodes[i % nodes.len()];
        let time = if i % 50 == 7 {
            String::new()
        } else {
            format!(r#","time":"2024-02-{:02}T{:02}:00:00Z""#, 1 + i % 28, i % 24)
        };
        let line = match i % 4 {
            0 => format!(
                r#"{{"event":"user.login","user":"{user}","success":{},"method":"local","addr.remote":"10.0.{}.1:22"{time}}}"#,
                i % 3 == 0,
                i % 7
            ),
            1 => format!(
                r#"{{"event":"session.start","user":"{user}","sid":"s{}","server_hostname":"{node}","login":"root"{time}}}"#,
                i % 11
            ),
            2 => format!(
                r#"{{"event":"exec","user":"{user}","sid":"s{}","command":"cat /etc/Shadow {i}","code":"T3002{}"{time}}}"#,
                i % 11,
                if i % 11 < 4 { "E" } else { "I" }
            ),
            _ => format!(
                r#"{{"event":"session.end","user":"{user}","sid":"s{}","server_hostname":"{node}"{time}}}"#,
                i % 11
            ),
        };
        log += &line;
        log += "\n";
    }
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes("a.log", log.as_bytes());
    ing.finish()
}

const TERMS: &[&str] = &[
    "user:alice",
    "user:bob",
    "user:érika",
    "node:web-*",
    "outcome:failure",
    "outcome:success",
    "event:session.*",
    "event:exec",
    "login:root",
    "addr:10.0.0.0/16",
    "addr:10.0.3.1",
    "root",
    "shadow",
    "S1",
    "rik",
    "web",
    "time>=2024-02-10",
    "time<2024-02-20",
    "hour:9-17",
    "weekday:mon-fri",
    "file:a.log",
    "nothing-matches",
];

fn query() -> impl Strategy<Value = String> {
    let term = select(TERMS).prop_map(str::to_owned);
    term.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join(" ")),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| format!("({})", v.join(" OR "))),
            inner.prop_map(|q| format!("NOT ({q})")),
        ]
    })
}

proptest! {
    #![proptest_config(Config { failure_persistence: None, ..Config::default() })]

    #[test]
    fn select_agrees_with_matching_each_event(q in query()) {
        let mut m = model();
        m.ensure_sorted();
        let row_by_row = Filter::new(&q, &m).unwrap();
        // Event ids count up: these are sorted.
        let expected: Vec<u32> =
            (0..m.events.len() as u32).filter(|&id| row_by_row.matches_event(&m.events[id as usize])).collect();
        let ix = m.index();
        for filter in [row_by_row.clone(), Filter::for_events(&q, &m).unwrap()] {
            let positions = filter.select(ix, false);
            prop_assert!(positions.windows(2).all(|w| w[0] < w[1]), "in time order");
            let mut ids: Vec<u32> = positions.iter().map(|&p| ix.ids[p as usize]).collect();
            ids.sort_unstable();
            prop_assert_eq!(&ids, &expected, "{}", q);
            let auth: Vec<u32> = filter.select(ix, true).iter().map(|&p| ix.ids[p as usize]).collect();
            let expected_auth: Vec<u32> = positions.iter().map(|&p| ix.ids[p as usize]).filter(|&id| m.events[id as usize].is_auth).collect();
            prop_assert_eq!(auth, expected_auth);
        }
    }

    /// Sessions tested together (event-only terms found from the index) match as each alone.
    #[test]
    fn sessions_tested_together_match_as_each_alone(q in query()) {
        let mut m = model();
        m.ensure_sorted();
        let filter = Filter::new(&q, &m).unwrap();
        let together = filter.sessions(&m);
        for (i, s) in m.sessions.list.iter().enumerate() {
            prop_assert_eq!(together.matches(i as u32, s), filter.matches_session(s, &m), "{} on {}", q, m.str(s.sid));
        }
    }
}

#[test]
fn the_model_has_what_the_queries_need() {
    let m = model();
    assert_eq!(m.events.len(), 333, "not a multiple of 64");
    let some = |q: &str| {
        let f = Filter::new(q, &m).unwrap();
        m.events.iter().filter(|e| f.matches_event(e)).count()
    };
    for q in ["user:érika", "shadow", "outcome:failure", "NOT time>=2000-01-01", "rik"] {
        assert!(some(q) > 0, "{q} matches something");
    }
    let sessions = |q: &str| {
        let f = Filter::new(q, &m).unwrap();
        m.sessions.list.iter().filter(|s| f.matches_session(s, &m)).count()
    };
    for q in ["outcome:failure", "code:T3002E", "NOT outcome:failure", "shadow outcome:failure"] {
        let n = sessions(q);
        assert!(n > 0 && n < m.sessions.len(), "{q} tells sessions apart ({n})");
    }
}
