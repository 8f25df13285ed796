//! Facets, histogram and dashboard on a crafted model whose counts were worked out by hand,
//! on both ways of reading the events (the time index, and the rows while the index is stale),
//! and against a naive recount on a generated model.

use review_core::ingest::{Ingest, Options};
use review_core::model::Model;
use review_core::time::{parse_rfc3339, Nanos, NANOS_PER_MS, NANOS_PER_SEC};
use review_core::views::{
    bucket_grid, choose_bucket_size, dashboard, facets, histogram, BucketSize, Dashboard, DashboardRequest,
    DurationBucket, Facet, FacetField, FacetValue, Heatmap, Histogram, HistogramRequest, Table, TimeUnit,
};
use std::collections::HashMap;

const LOG: &str = r#"{"event":"user.login","code":"T1000I","success":true,"user":"alice","addr.remote":"10.0.0.1:1001","cluster_name":"main","time":"2024-03-04T10:00:00Z"}
{"event":"user.login","code":"T1000W","success":false,"user":"alice","addr.remote":"10.0.0.1:1002","cluster_name":"main","time":"2024-03-04T10:00:30Z"}
{"event":"user.login","code":"T1000W","success":false,"user":"bob","addr.remote":"10.0.0.2:1003","cluster_name":"main","time":"2024-03-04T10:01:10Z"}
{"event":"user.login","code":"T1000W","success":false,"user":"bob","addr.remote":"10.0.0.2:1004","cluster_name":"main","time":"2024-03-04T10:01:20Z"}
{"event":"user.login","code":"T1000W","success":false,"user":"mallory","addr.remote":"203.0.113.9:1005","time":"2024-03-04T10:02:00Z"}
{"event":"session.start","sid":"s1","user":"alice","login":"root","server_hostname":"web-1","addr.remote":"10.0.0.1:5000","cluster_name":"main","time":"2024-03-04T10:03:00Z"}
{"event":"session.end","sid":"s1","user":"alice","cluster_name":"main","time":"2024-03-04T10:03:05Z"}
{"event":"session.start","sid":"s2","user":"bob","login":"ubuntu","server_hostname":"db-1","addr.remote":"10.0.0.2:6000","cluster_name":"main","time":"2024-03-09T23:30:00Z"}
{"event":"session.end","sid":"s2","user":"bob","cluster_name":"main","time":"2024-03-10T01:00:00Z"}
{"event":"session.start","sid":"s3","user":"alice","login":"root","server_hostname":"web-1","addr.remote":"10.0.0.1:7000","cluster_name":"main","time":"2024-03-05T12:00:00Z"}
{"event":"user.login","success":false,"user":"eve"}
not json
"#;

/// The crafted model, with its time index built (as after loading).
fn model() -> Model {
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes("log/2024-03-04.00:00:00.log", LOG.as_bytes());
    ing.finish()
}

/// The same events while the index is stale (files still arriving): aggregates read the rows.
fn model_stale() -> Model {
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes("log/2024-03-04.00:00:00.log", LOG.as_bytes());
    let m = std::mem::take(&mut ing.model);
    assert!(m.index_is_stale());
    m
}

fn t(s: &str) -> Nanos {
    parse_rfc3339(s).expect("a valid time")
}

fn facet(f: &[Facet], field: FacetField) -> &Facet {
    f.iter().find(|x| x.field == field).expect("the facet is there")
}

fn values(f: &Facet) -> Vec<(&str, u32)> {
    f.top.iter().map(|v| (v.value.as_str(), v.count)).collect()
}

#[test]
fn event_facets_count_by_hand() {
    for m in [model(), model_stale()] {
        let f = facets(&m, Table::Events, "", 10);
        assert_eq!(f.total, 11);
        assert!(f.error.is_none());
        let user = facet(&f.facets, FacetField::User);
        assert_eq!(values(user), [("alice", 5), ("bob", 4), ("eve", 1), ("mallory", 1)]);
        assert_eq!((user.distinct, user.others, user.missing), (4, 0, 0));
        let login = facet(&f.facets, FacetField::Login);
        assert_eq!(values(login), [("root", 2), ("ubuntu", 1)]);
        assert_eq!(login.missing, 8);
        let node = facet(&f.facets, FacetField::Node);
        assert_eq!(values(node), [("web-1", 2), ("db-1", 1)]);
        let addr = facet(&f.facets, FacetField::Addr);
        assert_eq!(values(addr), [("10.0.0.1", 4), ("10.0.0.2", 3), ("203.0.113.9", 1)]);
        assert_eq!((addr.distinct, addr.missing), (3, 3));
        let kind = facet(&f.facets, FacetField::Event);
        assert_eq!(values(kind), [("user.login", 6), ("session.start", 3), ("session.end", 2)]);
        let outcome = facet(&f.facets, FacetField::Outcome);
        assert_eq!(values(outcome), [("failure", 5), ("none", 5), ("success", 1)]);
        let cluster = facet(&f.facets, FacetField::Cluster);
        assert_eq!(values(cluster), [("main", 9)]);
        assert_eq!(cluster.missing, 2);
        for x in &f.facets {
            let shown: u32 = x.top.iter().map(|v| v.count).sum();
            assert_eq!(shown + x.others + x.missing, f.total, "{:?} adds up", x.field);
        }
    }
}

#[test]
fn top_n_keeps_the_rest_as_others() {
    let m = model();
    let f = facets(&m, Table::Auth, "", 3);
    assert_eq!(f.total, 6);
    let user = facet(&f.facets, FacetField::User);
    // Ties in text order: alice and bob have 2, eve and mallory 1.
    assert_eq!(values(user), [("alice", 2), ("bob", 2), ("eve", 1)]);
    assert_eq!((user.distinct, user.others, user.missing), (4, 1, 0));
    let f = facets(&m, Table::Events, "outcome:failure", 1);
    assert_eq!(f.total, 5);
    let user = facet(&f.facets, FacetField::User);
    assert_eq!(values(user), [("bob", 2)]);
    assert_eq!((user.distinct, user.others), (4, 3));
    assert_eq!(user.field.query_field(), "user");
}

#[test]
fn session_facets_count_hosts_not_ports() {
    for m in [model(), model_stale()] {
        let f = facets(&m, Table::Sessions, "", 10);
        assert_eq!(f.total, 3);
        assert_eq!(f.facets.len(), FacetField::SESSIONS.len());
        assert_eq!(values(facet(&f.facets, FacetField::User)), [("alice", 2), ("bob", 1)]);
        let addr = facet(&f.facets, FacetField::Addr);
        assert_eq!(values(addr), [("10.0.0.1", 2), ("10.0.0.2", 1)]);
        assert_eq!(addr.distinct, 2);
        let f = facets(&m, Table::Sessions, "user:bob", 10);
        assert_eq!(f.total, 1);
    }
    let f = facets(&model(), Table::Problems, "", 10);
    assert!(f.facets.is_empty());
}

#[test]
fn a_bad_query_counts_nothing_and_says_where() {
    let f = facets(&model(), Table::Events, "user:(", 10);
    assert_eq!(f.total, 0);
    assert!(f.error.is_some());
    let h = auth_histogram(&model(), "usr:alice", None);
    assert!(
        h.error.is_some() && h.buckets.iter().all(|b| b.total() == 0),
        "no bar counts what the query did not select"
    );
}

fn auth_histogram(m: &Model, query: &str, range: Option<(Nanos, Nanos)>) -> Histogram {
    histogram(m, &HistogramRequest { table: Table::Auth, query: query.into(), range, utc_offset_minutes: 0 })
}

#[test]
fn histogram_over_the_span_of_the_matches() {
    for m in [model(), model_stale()] {
        let h = auth_histogram(&m, "", None);
        // 10:00:00 to 10:02:00 inclusive: 1 s buckets would be 121, so 2 s.
        assert_eq!(h.size, BucketSize { count: 2, unit: TimeUnit::Second });
        assert_eq!(h.range, Some((t("2024-03-04T10:00:00Z"), t("2024-03-04T10:02:00Z") + 1)));
        assert_eq!(h.buckets.len(), 61);
        assert_eq!(h.buckets[0].start, t("2024-03-04T10:00:00Z"));
        assert_eq!((h.total, h.without_time, h.outside), (5, 1, 0));
        let counts: Vec<(usize, u32, u32)> = h
            .buckets
            .iter()
            .enumerate()
            .filter(|(_, b)| b.total() > 0)
            .map(|(i, b)| (i, b.failure, b.success))
            .collect();
        assert_eq!(counts, [(0, 0, 1), (15, 1, 0), (35, 1, 0), (40, 1, 0), (60, 1, 0)]);
        for w in h.buckets.windows(2) {
            assert_eq!(w[0].end, w[1].start, "consecutive");
        }
        assert_eq!(h.brush_range(35, 40), Some((t("2024-03-04T10:01:10Z"), t("2024-03-04T10:01:22Z"))));
    }
}

#[test]
fn histogram_over_a_given_range() {
    let m = model();
    let week = (t("2024-03-04T00:00:00Z"), t("2024-03-11T00:00:00Z"));
    let h = histogram(
        &m,
        &HistogramRequest { table: Table::Events, query: String::new(), range: Some(week), utc_offset_minutes: 0 },
    );
    assert_eq!(h.size, BucketSize { count: 2, unit: TimeUnit::Hour });
    assert_eq!(h.buckets.len(), 84);
    let busy: Vec<(usize, u32, u32, u32)> = h
        .buckets
        .iter()
        .enumerate()
        .filter(|(_, b)| b.total() > 0)
        .map(|(i, b)| (i, b.failure, b.success, b.none))
        .collect();
    // Monday 10:00–12:00: the logins and s1; Tuesday 12:00: s3 starts; Saturday 23:30 and
    // Sunday 01:00: s2.
    assert_eq!(busy, [(5, 4, 1, 2), (18, 0, 0, 1), (71, 0, 0, 1), (72, 0, 0, 1)]);
    assert_eq!((h.total, h.outside, h.without_time), (10, 0, 1));

    let minute = (t("2024-03-04T10:01:00Z"), t("2024-03-04T10:02:00Z"));
    let h = auth_histogram(&m, "", Some(minute));
    assert_eq!(h.size, BucketSize { count: 500, unit: TimeUnit::Millisecond });
    assert_eq!((h.total, h.outside, h.without_time), (2, 3, 1), "10:02:00 is past the half-open end");

    let h = auth_histogram(&m, "user:bob", None);
    assert_eq!(h.total, 2);
    let h = auth_histogram(&m, "user:nobody", None);
    assert_eq!((h.total, h.range, h.buckets.len()), (0, None, 0));
}

#[test]
fn extreme_ranges_stay_small_and_whole() {
    let m = model();
    for offset in [0, -720, 840] {
        for range in [(i64::MIN, i64::MAX), (i64::MIN, 0), (0, i64::MAX), (i64::MAX - 5, i64::MAX)] {
            let req = HistogramRequest {
                table: Table::Events,
                query: String::new(),
                range: Some(range),
                utc_offset_minutes: offset,
            };
            let h = histogram(&m, &req);
            assert!(!h.buckets.is_empty() && h.buckets.len() <= 121, "{range:?}: {} buckets", h.buckets.len());
            assert_eq!(h.total + h.outside + h.without_time, 11, "{range:?}");
            assert!(h.buckets.windows(2).all(|w| w[0].end == w[1].start && w[0].start < w[0].end));
        }
    }
    let h = auth_histogram(&m, "", Some((5, 5)));
    assert_eq!(h.range, auth_histogram(&m, "", None).range, "an empty range means the span of the matches");
}

#[test]
fn sessions_histogram_counts_starts() {
    let h = histogram(
        &model(),
        &HistogramRequest { table: Table::Sessions, query: String::new(), range: None, utc_offset_minutes: 0 },
    );
    assert_eq!(h.total, 3);
    assert_eq!(h.range.map(|r| r.0), Some(t("2024-03-04T10:03:00Z")));
}

#[test]
fn bucket_size_adapts_to_the_range() {
    let s = |count, unit| BucketSize { count, unit };
    let sec = NANOS_PER_SEC;
    let day = 86_400 * sec;
    let cases = [
        (0, s(1, TimeUnit::Millisecond)),
        (100 * NANOS_PER_MS, s(1, TimeUnit::Millisecond)),
        (60 * sec, s(500, TimeUnit::Millisecond)),
        (90 * sec, s(1, TimeUnit::Second)),
        (3600 * sec, s(30, TimeUnit::Second)),
        (3 * 3600 * sec, s(2, TimeUnit::Minute)),
        (day, s(15, TimeUnit::Minute)),
        (7 * day, s(2, TimeUnit::Hour)),
        (30 * day, s(6, TimeUnit::Hour)),
        (90 * day, s(1, TimeUnit::Day)),
        (365 * day, s(1, TimeUnit::Week)),
        (3 * 365 * day, s(2, TimeUnit::Week)),
        (9 * 365 * day, s(1, TimeUnit::Month)),
        (50 * 365 * day, s(6, TimeUnit::Month)),
        // All of i64 nanoseconds (292 years): 5-year buckets.
        (i64::MAX, s(60, TimeUnit::Month)),
    ];
    for (span, want) in cases {
        assert_eq!(choose_bucket_size(span), want, "span {span}");
    }
    assert_eq!(s(5, TimeUnit::Minute).label(), "5 min");
    assert_eq!(s(1, TimeUnit::Week).label(), "1 week");
    assert_eq!(s(3, TimeUnit::Month).label(), "3 months");
    assert_eq!(s(24, TimeUnit::Month).label(), "2 years");
}

#[test]
fn every_span_gets_a_readable_number_of_buckets() {
    let start = t("2016-06-06T12:34:56.789Z");
    // From 100 ms (below that, 1 ms buckets are the finest there are).
    let mut span = 100 * NANOS_PER_MS;
    while span < 200 * 365 * 86_400 * NANOS_PER_SEC {
        let size = choose_bucket_size(span);
        let n = bucket_grid(start, start + span, size, 0).len();
        assert!((30..=122).contains(&n), "{n} buckets of {} for a span of {span} ns", size.label());
        span = span / 10 * 13;
    }
}

#[test]
fn buckets_align_to_round_local_times() {
    let s = |count, unit| BucketSize { count, unit };
    let hours = |h: i64| h * 3600 * NANOS_PER_SEC;
    // Days start at local midnight: UTC+02:00 midnight is 22:00 UTC the day before.
    let g = bucket_grid(t("2024-03-04T10:00:00Z"), t("2024-03-05T10:00:00Z"), s(1, TimeUnit::Day), hours(2));
    let starts: Vec<Nanos> = g.iter().map(|b| b.start).collect();
    assert_eq!(starts, [t("2024-03-03T22:00:00Z"), t("2024-03-04T22:00:00Z")]);
    // Weeks start on Mondays.
    let g = bucket_grid(t("2024-03-06T00:00:00Z"), t("2024-03-07T00:00:00Z"), s(1, TimeUnit::Week), 0);
    assert_eq!((g[0].start, g[0].end), (t("2024-03-04T00:00:00Z"), t("2024-03-11T00:00:00Z")));
    // Months are calendar months (February 2024 has 29 days); quarters start in Jan/Apr/Jul/Oct.
    let g = bucket_grid(t("2024-02-15T00:00:00Z"), t("2024-05-01T00:00:00Z"), s(1, TimeUnit::Month), 0);
    let edges: Vec<(Nanos, Nanos)> = g.iter().map(|b| (b.start, b.end)).collect();
    assert_eq!(
        edges,
        [
            (t("2024-02-01T00:00:00Z"), t("2024-03-01T00:00:00Z")),
            (t("2024-03-01T00:00:00Z"), t("2024-04-01T00:00:00Z")),
            (t("2024-04-01T00:00:00Z"), t("2024-05-01T00:00:00Z")),
        ]
    );
    let g = bucket_grid(t("2024-05-15T00:00:00Z"), t("2024-05-16T00:00:00Z"), s(3, TimeUnit::Month), 0);
    assert_eq!((g[0].start, g[0].end), (t("2024-04-01T00:00:00Z"), t("2024-07-01T00:00:00Z")));
    let g = bucket_grid(t("2024-05-15T00:00:00Z"), t("2024-05-16T00:00:00Z"), s(1, TimeUnit::Month), -hours(5));
    assert_eq!(g[0].start, t("2024-05-01T05:00:00Z"), "local midnight at UTC−05:00");
    let g = bucket_grid(t("2024-03-04T10:07:31Z"), t("2024-03-04T10:20:00Z"), s(5, TimeUnit::Minute), 0);
    assert_eq!(g[0].start, t("2024-03-04T10:05:00Z"));
    assert_eq!(g.len(), 3);
}

#[test]
fn heatmap_cells() {
    let monday_10 = t("2024-03-04T10:00:00Z");
    assert_eq!(Heatmap::cell(monday_10, 0), (0, 10));
    assert_eq!(Heatmap::cell(monday_10, -600), (0, 0));
    assert_eq!(Heatmap::cell(monday_10, -660), (6, 23), "Sunday 23:00 at UTC−11:00");
    assert_eq!(Heatmap::cell(monday_10, 840), (1, 0), "Tuesday 00:00 at UTC+14:00");
    assert_eq!(Heatmap::cell(monday_10, 330), (0, 15), "15:30 at UTC+05:30");
    assert_eq!(Heatmap::cell(0, 0), (3, 0), "1970-01-01 was a Thursday");
    assert_eq!(Heatmap::cell(-1, 0), (2, 23), "before the epoch");

    for m in [model(), model_stale()] {
        let d = dash(&m, "", 0);
        let h = &d.heatmap;
        assert_eq!(h.attempts[0][10], 5);
        assert_eq!(h.failures[0][10], 4);
        assert_eq!(h.without_time, 1);
        let total: u32 = h.attempts.iter().flatten().sum();
        assert_eq!(total, 5, "nothing else anywhere");
        let d = dash(&m, "", -660);
        assert_eq!((d.heatmap.attempts[6][23], d.heatmap.failures[6][23]), (5, 4));
    }
}

#[test]
fn duration_buckets() {
    let s = |secs: i64| Some(secs * NANOS_PER_SEC);
    let cases = [
        (None, DurationBucket::OpenOrUnknown),
        (s(-5), DurationBucket::Under10s),
        (Some(10 * NANOS_PER_SEC - 1), DurationBucket::Under10s),
        (s(10), DurationBucket::Under1m),
        (s(59), DurationBucket::Under1m),
        (s(60), DurationBucket::Under10m),
        (s(599), DurationBucket::Under10m),
        (s(600), DurationBucket::Under1h),
        (s(3599), DurationBucket::Under1h),
        (s(3600), DurationBucket::Under8h),
        (Some(8 * 3600 * NANOS_PER_SEC - 1), DurationBucket::Under8h),
        (s(8 * 3600), DurationBucket::AtLeast8h),
        (s(30 * 86_400), DurationBucket::AtLeast8h),
    ];
    for (d, want) in cases {
        assert_eq!(DurationBucket::of(d), want, "{d:?}");
    }
}

fn dash(m: &Model, query: &str, offset: i32) -> Dashboard {
    dashboard(m, &DashboardRequest { query: query.into(), top: 10, utc_offset_minutes: offset })
}

#[test]
fn dashboard_by_hand() {
    for m in [model(), model_stale()] {
        let d = dash(&m, "", 0);
        assert_eq!((d.auth_attempts, d.auth_failures, d.sessions), (6, 5, 3));
        let users: Vec<(&str, u32, u32)> =
            d.top_users.iter().map(|u| (u.value.as_str(), u.attempts, u.failures)).collect();
        assert_eq!(users, [("alice", 2, 1), ("bob", 2, 2), ("eve", 1, 1), ("mallory", 1, 1)]);
        let addrs: Vec<(&str, u32, u32)> =
            d.top_addrs.iter().map(|u| (u.value.as_str(), u.attempts, u.failures)).collect();
        assert_eq!(addrs, [("10.0.0.1", 2, 1), ("10.0.0.2", 2, 2), ("203.0.113.9", 1, 1)]);
        assert_eq!(
            d.top_nodes,
            [FacetValue { value: "web-1".into(), count: 2 }, FacetValue { value: "db-1".into(), count: 1 }]
        );
        let durations: Vec<u32> = d.durations.iter().map(|b| b.sessions).collect();
        // s1 5 s, s2 1 h 30 min, s3 open.
        assert_eq!(durations, [1, 0, 0, 0, 1, 0, 1]);
        assert_eq!(d.durations[6].bucket, DurationBucket::OpenOrUnknown);
        assert_eq!(d.logins, auth_histogram(&m, "", None), "logins over time are the auth histogram");

        let d = dash(&m, "user:bob", 0);
        assert_eq!((d.auth_attempts, d.auth_failures, d.sessions), (2, 2, 1));
        let durations: Vec<u32> = d.durations.iter().map(|b| b.sessions).collect();
        assert_eq!(durations, [0, 0, 0, 0, 1, 0, 0]);
        assert_eq!(d.top_nodes, [FacetValue { value: "db-1".into(), count: 1 }]);
    }
}

#[test]
fn index_and_rows_agree() {
    let (a, b) = (model(), model_stale());
    for table in [Table::Events, Table::Auth, Table::Sessions] {
        for q in ["", "user:alice", "outcome:failure", "addr:10.0.0.0/8", "root", "-event:session.*"] {
            assert_eq!(facets(&a, table, q, 3), facets(&b, table, q, 3), "{table:?} {q}");
            let req = HistogramRequest { table, query: q.into(), range: None, utc_offset_minutes: 60 };
            assert_eq!(histogram(&a, &req), histogram(&b, &req), "{table:?} {q}");
        }
    }
    assert_eq!(dash(&a, "root", 120), dash(&b, "root", 120));
}

/// A deterministic model of a few thousand events with repeated values.
fn generated() -> Model {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let mut log = String::new();
    let base = t("2024-01-01T00:00:00Z") / NANOS_PER_SEC;
    for i in 0..3000 {
        let secs = base + next(40 * 86_400) as i64;
        let time = chrono::DateTime::from_timestamp(secs, 0).expect("in range").to_rfc3339();
        let user = ["alice", "bob", "carol", "dave", "eve"][next(5) as usize];
        let kind = ["user.login", "session.start", "exec", "scp"][next(4) as usize];
        let success = ["true", "false"][next(2) as usize];
        let addr = format!("10.0.{}.{}:{}", next(3), next(7), 40000 + i);
        let login = ["root", "ubuntu", ""][next(3) as usize];
        let time_field = if next(50) == 0 { String::new() } else { format!(",\"time\":\"{time}\"") };
        log += &format!(
            "{{\"event\":\"{kind}\",\"uid\":\"u{i}\",\"user\":\"{user}\",\"login\":\"{login}\",\"success\":{success},\"addr.remote\":\"{addr}\",\"sid\":\"s{}\"{time_field}}}\n",
            next(300)
        );
    }
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes("gen.log", log.as_bytes());
    ing.finish()
}

#[test]
fn facets_and_histogram_agree_with_a_naive_recount() {
    let m = generated();
    for (table, query) in [(Table::Events, ""), (Table::Auth, ""), (Table::Events, "user:bob OR login:root")] {
        let f = facets(&m, table, query, 100);
        let filter = review_core::query::Filter::new(query, &m).expect("parses");
        let rows: Vec<_> =
            m.events.iter().filter(|e| (table != Table::Auth || e.is_auth) && filter.matches_event(e)).collect();
        assert_eq!(f.total as usize, rows.len());
        let mut users: HashMap<&str, u32> = HashMap::new();
        for e in &rows {
            *users.entry(m.str(e.user)).or_default() += 1;
        }
        let mut want: Vec<(&str, u32)> = users.into_iter().collect();
        want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        assert_eq!(values(facet(&f.facets, FacetField::User)), want, "{table:?} {query}");

        let h = histogram(&m, &HistogramRequest { table, query: query.into(), range: None, utc_offset_minutes: 0 });
        let timed = rows.iter().filter(|e| e.time != review_core::model::NO_TIME).count();
        assert_eq!(h.total as usize, timed);
        assert_eq!(h.without_time as usize, rows.len() - timed);
        assert!((60..=121).contains(&h.buckets.len()), "{} buckets", h.buckets.len());
        for e in rows.iter().filter(|e| e.time != review_core::model::NO_TIME).take(200) {
            assert!(h.buckets.iter().any(|b| b.start <= e.time && e.time < b.end && b.total() > 0));
        }
        let failures: u32 = h.buckets.iter().map(|b| b.failure).sum();
        let want = rows
            .iter()
            .filter(|e| e.time != review_core::model::NO_TIME && e.outcome == review_core::audit::Outcome::Failure)
            .count();
        assert_eq!(failures as usize, want);
    }
}
