//! The typical queries a reviewer types, with values taken from the data itself (its busiest
//! users, nodes and addresses), so every query matches something. The native and the browser
//! measurements use the same list.

use crate::native::request;
use crate::web::Action;
use review_core::model::Model;
use review_core::views::{Rows, Sort, SortKey, Table, Views};
use std::collections::HashMap;

#[derive(Clone, Debug)]
pub struct Query {
    pub table: Table,
    pub text: String,
    pub sort: Sort,
}

/// The most frequent non-empty values of a column over a sample of rows.
fn top(values: impl Iterator<Item = String>, n: usize) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for v in values.filter(|v| !v.is_empty() && !v.contains(char::is_whitespace)) {
        *counts.entry(v).or_default() += 1;
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.into_iter().take(n).map(|(v, _)| v).collect()
}

/// The same work natively (`Views::page` requests) and in the browser (typing and clicking).
pub struct Workload {
    pub native: Vec<Query>,
    pub browser: Vec<Action>,
}

/// About 30 queries: fields, CIDR, free text, boolean combinations, and sorts.
pub fn typical(model: &mut Model) -> Workload {
    let mut views = Views::default();
    let mut sample = Vec::new();
    for table in [Table::Events, Table::Auth] {
        // Rows spread over the whole time range: a few windows across the list.
        let total = views.page(model, &request(table, "", 0)).total;
        for k in 0..10 {
            let offset = (u64::from(total) * k / 10) as u32;
            if let Rows::Events(rows) = views.page(model, &request(table, "", offset)).rows {
                sample.extend(rows);
            }
        }
    }
    let users = top(sample.iter().map(|r| r.user.clone()), 3);
    let nodes = top(sample.iter().map(|r| r.node.clone()), 2);
    let addrs = top(sample.iter().map(|r| r.addr.clone()), 2);
    let pick = |list: &[String], i: usize, fallback: &str| list.get(i).cloned().unwrap_or_else(|| fallback.into());
    let (u1, u2, u3) = (pick(&users, 0, "alice"), pick(&users, 1, "bob"), pick(&users, 2, "carol"));
    let (n1, n2) = (pick(&nodes, 0, "node-1"), pick(&nodes, 1, "node-2"));
    let (a1, a2) = (pick(&addrs, 0, "10.0.0.1"), pick(&addrs, 1, "10.0.0.2"));
    let by_time = Sort::default();
    let events = |text: String| Query { table: Table::Events, text, sort: by_time };
    let auth = |text: String, key: SortKey, descending: bool| Query {
        table: Table::Auth,
        text,
        sort: Sort { key, descending },
    };
    let texts: Vec<String> = vec![
        format!("user:{u1}"),
        "outcome:failure".into(),
        "addr:10.0.0.0/8".into(),
        "root".into(),
        format!("user:{u2}"),
        format!("user:{u1} outcome:failure"),
        "event:session.*".into(),
        "event:user.login".into(),
        format!("node:{n1}"),
        "login:root".into(),
        "NOT event:session.*".into(),
        format!("-user:{u1}"),
        format!("(user:{u1} OR user:{u2}) outcome:failure"),
        "addr:192.168.0.0/16".into(),
        format!("addr:{a1}"),
        "method:local".into(),
        "code:T1000W".into(),
        u3.clone(),
        "event:exec".into(),
        n2.clone(),
        "error:denied".into(),
        format!("user:{u3} OR node:{n2}"),
        format!("addr:{a2} -outcome:success"),
        "session".into(),
    ];
    let mut native: Vec<Query> = texts.iter().cloned().map(events).collect();
    native.extend([
        auth(String::new(), SortKey::User, false),
        auth(String::new(), SortKey::User, true),
        auth("outcome:failure".into(), SortKey::User, false),
        auth("outcome:failure".into(), SortKey::Addr, false),
        auth(format!("user:{u1}"), SortKey::Time, true),
        auth(String::new(), SortKey::Method, false),
    ]);
    // In the app the query stays when the view changes, and a header click sorts by its
    // column (ascending; again: descending).
    let mut browser = vec![Action::View("Events")];
    browser.extend(texts.into_iter().map(Action::Type));
    browser.extend([
        Action::View("Auth"),
        Action::Sort("User"),
        Action::Sort("User"),
        Action::Type("outcome:failure".into()),
        Action::Sort("Remote address"),
        Action::Type(format!("user:{u1}")),
        Action::Sort("Method"),
    ]);
    Workload { native, browser }
}
