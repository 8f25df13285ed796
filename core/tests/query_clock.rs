//! `hour:`, `weekday:` and `duration` on the demo data set: the columnar scan agrees with the
//! row matcher, every heatmap cell and session-length bar of the dashboard can be selected
//! exactly by a query, and the time bounds still narrow the scan.

use review_core::ingest::{Ingest, Options};
use review_core::model::{Model, NO_TIME};
use review_core::query::Filter;
use review_core::views::{DurationBucket, Heatmap};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn demo() -> Model {
    let set = synth::demo::build();
    let mut ing = Ingest::new(Options::default());
    for f in &set.files {
        ing.add_bytes(&f.path, &f.bytes);
    }
    let mut m = ing.finish();
    m.ensure_sorted();
    m
}

/// Event ids selected by the columnar scan, sorted, after checking that both compilations agree
/// with the row matcher (among all events and among auth attempts).
fn selected(m: &Model, q: &str) -> Vec<u32> {
    let ix = m.index();
    let rows = Filter::new(q, m).unwrap_or_else(|e| panic!("{q}: {e}"));
    let want: Vec<u32> = (0..m.events.len() as u32).filter(|&i| rows.matches_event(&m.events[i as usize])).collect();
    for f in [&rows, &Filter::for_events(q, m).unwrap()] {
        let mut got: Vec<u32> = f.select(ix, false).iter().map(|&p| ix.ids[p as usize]).collect();
        got.sort_unstable();
        assert_eq!(got, want, "{q}");
        let mut auth: Vec<u32> = f.select(ix, true).iter().map(|&p| ix.ids[p as usize]).collect();
        auth.sort_unstable();
        let auth_want: Vec<u32> = want.iter().copied().filter(|&i| m.events[i as usize].is_auth).collect();
        assert_eq!(auth, auth_want, "{q} (auth attempts)");
    }
    want
}

#[test]
fn select_agrees_with_the_row_matcher() {
    let m = demo();
    assert!(m.events.len() > 1000, "{} events", m.events.len());
    let day = review_core::time::format_utc_date(m.events[m.events.len() / 2].time);
    let queries = [
        "hour:9".to_owned(),
        "hour:22-5".into(),
        "hour>=9 hour<18".into(),
        "hour>23".into(),
        "weekday:sat,sun".into(),
        "weekday:fri-mon -hour:9-17".into(),
        "weekday:mon hour:9 OR weekday:tue hour:10 OR outcome:failure".into(),
        "-weekday:mon-fri".into(),
        format!("time>={day} hour:10-14"),
        format!("time<{day} weekday:wed"),
        format!("time:{day} -hour:12"),
        "duration>=10m".into(),
        "duration<1m".into(),
        "duration:unknown".into(),
        "duration:1m-1h weekday:mon-fri".into(),
        "-duration>=0s event:session.*".into(),
    ];
    for q in &queries {
        let n = selected(&m, q).len();
        println!("{n:6}  {q}");
    }
    assert!(!selected(&m, "weekday:mon-fri").is_empty());
    assert!(!selected(&m, "duration>=0s").is_empty());
}

#[test]
fn every_heatmap_cell_is_a_query() {
    let m = demo();
    // Drawn in UTC or at any whole-hour offset, a cell's query selects exactly its events.
    for offset in [0, 120, -300, 600] {
        let mut cells = [[0usize; 24]; 7];
        for e in m.events.iter().filter(|e| e.time != NO_TIME) {
            let (d, h) = Heatmap::cell(e.time, offset);
            cells[d][h] += 1;
        }
        for (d, row) in cells.iter().enumerate() {
            for (h, &want) in row.iter().enumerate() {
                let (day, hour) = Heatmap::cell_query(d, h, offset);
                let q = format!("weekday:{day} hour:{hour}");
                let n = Filter::for_events(&q, &m).unwrap().select(m.index(), false).len();
                assert_eq!(n, want, "{q} at {offset} min");
            }
        }
    }
    let mut cells = [[0usize; 24]; 7];
    for e in m.events.iter().filter(|e| e.time != NO_TIME) {
        let (d, h) = Heatmap::cell(e.time, 0);
        cells[d][h] += 1;
    }
    let mut total = 0;
    for (d, day) in DAYS.iter().enumerate() {
        for (h, &want) in cells[d].iter().enumerate() {
            let q = format!("weekday:{day} hour:{h}");
            let n = Filter::for_events(&q, &m).unwrap().select(m.index(), false).len();
            assert_eq!(n, want, "{q}");
            total += n;
        }
        let by_day: usize = cells[d].iter().sum();
        assert_eq!(selected(&m, &format!("weekday:{day}")).len(), by_day, "{day}");
    }
    let untimed = m.events.iter().filter(|e| e.time == NO_TIME).count();
    assert_eq!(total + untimed, m.events.len());
    assert_eq!(selected(&m, "weekday:mon-sun").len(), total);
}

#[test]
fn every_session_length_bar_is_a_query() {
    let m = demo();
    let bars = [
        (DurationBucket::Under10s, "duration<10s"),
        (DurationBucket::Under1m, "duration:10s-1m"),
        (DurationBucket::Under10m, "duration:1m-10m"),
        (DurationBucket::Under1h, "duration:10m-1h"),
        (DurationBucket::Under8h, "duration:1h-8h"),
        (DurationBucket::AtLeast8h, "duration>=8h"),
        (DurationBucket::OpenOrUnknown, "duration:unknown"),
    ];
    let mut kinds = 0;
    for (bucket, q) in bars {
        // The dashboard writes the same term.
        let (op, value) = bucket.query();
        assert_eq!(review_core::query::with_term("", "duration", op, Some(value)), q);
        let f = Filter::new(q, &m).unwrap();
        let mut n = 0;
        for s in &m.sessions.list {
            let want = DurationBucket::of_session(s) == bucket;
            assert_eq!(f.matches_session(s, &m), want, "{q}: {:?} {:?}", m.str(s.sid), s.duration());
            n += usize::from(want);
        }
        kinds += usize::from(n > 0);
        // An event matches when its session does.
        let events = selected(&m, q);
        for &id in &events {
            let e = &m.events[id as usize];
            let s = m.sessions.get(e.sid).expect("an event of a session");
            assert_eq!(DurationBucket::of_session(s), bucket, "{q}");
        }
        let in_bucket = m
            .events
            .iter()
            .filter(|e| m.sessions.get(e.sid).is_some_and(|s| DurationBucket::of_session(s) == bucket))
            .count();
        assert_eq!(events.len(), in_bucket, "{q}");
    }
    assert!(kinds >= 3, "the demo has sessions of several lengths");
}

#[test]
fn sessions_go_by_their_start() {
    let m = demo();
    for (d, day) in DAYS.iter().enumerate() {
        for h in [0, 9, 23] {
            let q = format!("weekday:{day} hour:{h}");
            let f = Filter::new(&q, &m).unwrap();
            for s in &m.sessions.list {
                let start = s.start_or_first();
                let want = start != NO_TIME && Heatmap::cell(start, 0) == (d, h);
                assert_eq!(f.matches_session(s, &m), want, "{q}: {}", m.str(s.sid));
            }
        }
    }
}

/// The cost of clock and length terms in the columnar scan, next to a column term and a bare
/// time range, on a generated directory of logs (`scripts/bench` makes them). Run with
/// `QUERY_CLOCK_DIR=bench-data/logs-1GB cargo test --release -p review-core --test query_clock
/// -- --ignored --nocapture`.
#[test]
#[ignore]
fn select_timed() {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, out)
            } else {
                out.push(p)
            }
        }
    }
    let dir = std::env::var("QUERY_CLOCK_DIR").unwrap_or_else(|_| "../bench-data/logs-100MB".into());
    let mut paths = Vec::new();
    files(std::path::Path::new(&dir), &mut paths);
    paths.sort();
    let mut ing = Ingest::new(Options::default());
    for p in &paths {
        ing.add_bytes(&p.display().to_string(), &std::fs::read(p).unwrap());
    }
    let mut m = ing.finish();
    m.ensure_sorted();
    let ix = m.index();
    let user = m.events[m.events.len() / 2..].iter().map(|e| m.str(e.user)).find(|u| !u.is_empty()).unwrap_or("x");
    let user = review_core::query::term_text("user", user);
    let day = review_core::time::format_utc_date(m.events[m.events.len() / 2].time);
    println!("{} events, {} sessions", m.events.len(), m.sessions.len());
    for q in [
        user.clone(),
        "outcome:failure".into(),
        format!("-{user}"),
        "time>=2000-01-01".into(),
        "hour:9".into(),
        "-hour:9".into(),
        "hour:22-5".into(),
        "weekday:sat,sun".into(),
        "weekday:mon hour:9".into(),
        "weekday:mon hour:9 OR weekday:tue hour:10".into(),
        format!("time:{day} hour:9"),
        "duration>=10m".into(),
        "duration:unknown".into(),
    ] {
        let t = std::time::Instant::now();
        let f = Filter::for_events(&q, &m).unwrap();
        let compiled = t.elapsed();
        let mut best = f64::MAX;
        let mut n = 0;
        for _ in 0..5 {
            let t = std::time::Instant::now();
            n = std::hint::black_box(f.select(ix, false)).len();
            best = best.min(t.elapsed().as_secs_f64() * 1e3);
        }
        println!("{best:7.2} ms select, {:6.2} ms compile, {n:9} rows  {q}", compiled.as_secs_f64() * 1e3);
    }
}
