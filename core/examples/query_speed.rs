//! Loads a directory, then times typical table requests (the UI's filter/sort changes) and
//! prints p50/p95. `cargo run --release -p review-core --example query_speed -- <dir> [rounds]`
use review_core::ingest::{Ingest, Options};
use review_core::views::{Sort, SortKey, Table, TableRequest, Views};
use std::io::Read;
use std::time::Instant;

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

fn main() {
    let dir = std::env::args().nth(1).expect("a directory");
    let rounds: usize = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut paths = Vec::new();
    files(std::path::Path::new(&dir), &mut paths);
    paths.sort();
    let mut ing = Ingest::new(Options { read_back_plain_files: true, ..Options::default() });
    let mut buf = vec![0u8; 2 << 20];
    for p in &paths {
        let mut f = std::fs::File::open(p).expect("open");
        let id = ing.open(&p.display().to_string(), 0);
        while let Ok(n @ 1..) = f.read(&mut buf) {
            ing.push(id, &buf[..n]);
        }
        ing.close(id);
    }
    let t = Instant::now();
    let mut m = ing.finish();
    println!("{} events; finish (index) {:.0} ms", m.events.len(), t.elapsed().as_secs_f64() * 1e3);
    let user = m.str(m.events[m.events.len() / 2].user).to_owned();
    let queries: Vec<(Table, String, SortKey)> = vec![
        (Table::Events, String::new(), SortKey::Time),
        (Table::Events, format!("user:{user}"), SortKey::Time),
        (Table::Auth, "outcome:failure".into(), SortKey::Time),
        (Table::Events, "addr:10.0.0.0/8".into(), SortKey::Time),
        (Table::Events, "root".into(), SortKey::Time),
        (Table::Events, "event:session.* -login:root".into(), SortKey::Time),
        (Table::Events, String::new(), SortKey::User),
        (Table::Auth, String::new(), SortKey::Addr),
        (Table::Events, "time>=2024-01-01 time<2024-02-01".into(), SortKey::Time),
        (Table::Sessions, format!("user:{user}"), SortKey::Time),
    ];
    let mut all = Vec::new();
    // One Views, as in the app (it caches string ranks); distinct queries miss its page cache.
    let mut v = Views::default();
    for round in 0..rounds {
        for (table, query, key) in &queries {
            let query = &format!("{query}{}", " ".repeat(round));
            let req = TableRequest {
                table: *table,
                query: query.clone(),
                sort: Sort { key: *key, descending: true },
                offset: 0,
                limit: 60,
            };
            let t = Instant::now();
            let page = v.page(&mut m, &req);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            all.push(ms);
            if round == 0 {
                println!("{ms:8.1} ms  {:>9} rows  {table:?} {query:?} by {key:?}", page.total);
            }
        }
    }
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| all[((all.len() - 1) as f64 * p) as usize];
    println!("p50 {:.1} ms, p95 {:.1} ms over {} requests", pct(0.5), pct(0.95), all.len());
}
