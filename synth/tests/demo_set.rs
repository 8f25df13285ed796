//! The demo set: its composition, its manifest, and the planted incidents as a reader of the
//! lines would find them.

mod common;

use common::{lines_of, text_of, Line};
use synth::demo::{self, DemoSet};
use synth::layout::gzip_members;
use synth::Version;

/// The audit log lines under `root` (recordings left out).
fn lines_under(set: &DemoSet, root: &str) -> Vec<Line> {
    let files: Vec<_> = set.log_files().into_iter().filter(|f| f.path.starts_with(root)).collect();
    lines_of(&files)
}

#[test]
fn composition_and_manifest() {
    let set = demo::build();
    let stats = set.stats();
    assert!(stats.bytes < 2 << 20, "under 2 MiB: {}", stats.bytes);
    assert!((2_000..8_000).contains(&stats.events), "a few thousand events: {}", stats.events);
    let versions: Vec<Version> = set.eras.iter().map(|e| e.version).collect();
    assert_eq!(versions, [Version::V2_3, Version::V4_0, Version::V6_2, Version::V15]);

    let manifest: serde_json::Value = serde_json::from_str(&set.manifest_json()).unwrap();
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(listed.len(), set.files.len());
    for (entry, file) in listed.iter().zip(&set.files) {
        assert_eq!(entry["path"], file.path.as_str());
        assert_eq!(entry["size"], file.bytes.len());
        assert!(!file.path.starts_with('/') && !file.path.contains(".."));
    }

    // Audit logs: 2017 top-level files; 2019 two auth server directories; one gzip of two
    // members in 2024. (Recordings are in their own directories, see demo_recordings.rs.)
    let logs = set.log_files();
    assert!(logs.len() < set.files.len(), "recordings are listed too");
    let total: usize = set.files.iter().map(|f| f.bytes.len()).sum();
    assert!(total < 4_000_000, "the whole demo stays under 4 MB: {total}");
    let dirs = |root: &str| {
        let mut d: Vec<&str> =
            logs.iter().filter(|f| f.path.starts_with(root)).map(|f| f.path.rsplit_once('/').unwrap().0).collect();
        d.dedup();
        d.len()
    };
    assert_eq!(dirs("acme-2017-teleport-2.3/"), 1);
    assert!(logs.iter().filter(|f| f.path.starts_with("acme-2017")).all(|f| f.path.matches('/').count() == 1));
    assert_eq!(dirs("acme-2019-teleport-4.0-ha/"), 2);
    let gz: Vec<_> = logs.iter().filter(|f| f.path.ends_with(".gz")).collect();
    assert_eq!(gz.len(), 1);
    assert!(gz[0].path.starts_with("acme-2024-teleport-15/"));
    assert_eq!(gzip_members(&gz[0].bytes), 2);
    // The place recordings go, per generation.
    assert_eq!(set.eras[0].recordings_dir, "acme-2017-teleport-2.3/sessions/default");
    assert!(set.eras[3].recordings_dir.ends_with("/records"));
    assert!(set.eras[3]
        .sessions
        .iter()
        .any(|s| s.user == "dave" && s.commands.iter().any(|c| c.1.contains("base64 -d"))));
}

#[test]
fn brute_force_then_compromise() {
    let set = demo::build();
    let lines = lines_under(&set, "acme-2024");
    let from_attacker: Vec<&Line> = lines
        .iter()
        .filter(|l| l.event() == "user.login" && l.str("addr.remote").is_some_and(|a| a.starts_with("185.220.101.47:")))
        .collect();
    let failures: Vec<&&Line> = from_attacker.iter().filter(|l| l.value["success"] == false).collect();
    assert_eq!(failures.len(), 38);
    assert!(failures.iter().all(|l| l.str("time").unwrap().starts_with("2024-03-13T02:")));
    let names: std::collections::BTreeSet<&str> = failures.iter().map(|l| l.str("user").unwrap()).collect();
    assert!(names.len() >= 5, "several users: {names:?}");
    let success: Vec<_> = from_attacker.iter().filter(|l| l.value["success"] == true).collect();
    assert_eq!(success.len(), 1);
    assert_eq!(success[0].str("user"), Some("dave"));
    assert_eq!(success[0].str("code"), Some("T1000I"));

    let denied: Vec<&Line> =
        lines.iter().filter(|l| l.event() == "session.network" && l.value.get("action") == Some(&1.into())).collect();
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0].str("user"), Some("dave"));
    assert_eq!(denied[0].str("dst_addr"), Some("45.9.148.3"));
    assert_eq!(denied[0].value["dst_port"], 4444);
    let commands: Vec<&Line> =
        lines.iter().filter(|l| l.event() == "session.command" && l.str("user") == Some("dave")).collect();
    assert!(commands
        .iter()
        .any(|l| l.str("program") == Some("base64") && l.value["argv"] == serde_json::json!(["-d"])));
    assert!(commands.iter().any(|l| l.str("program") == Some("curl")));
    let start = lines
        .iter()
        .find(|l| {
            l.event() == "session.start" && l.str("addr.remote").is_some_and(|a| a.starts_with("185.220.101.47:"))
        })
        .unwrap();
    assert_eq!(start.str("server_hostname"), Some("web-02"));
    assert!(lines.iter().any(|l| l.event() == "lock.created" && l.value["target"]["user"] == "dave"));
}

#[test]
fn failure_then_success_from_a_new_address() {
    let set = demo::build();
    let lines = lines_under(&set, "acme-2024");
    let erin: Vec<&Line> =
        lines.iter().filter(|l| l.event() == "user.login" && l.str("user") == Some("erin")).collect();
    let new: Vec<&&Line> =
        erin.iter().filter(|l| l.str("addr.remote").unwrap().starts_with("103.21.244.17:")).collect();
    let outcomes: Vec<bool> = new.iter().map(|l| l.value["success"].as_bool().unwrap()).collect();
    assert_eq!(outcomes, [false, false, true]);
    let first_new = new[0].str("time").unwrap();
    assert!(erin
        .iter()
        .filter(|l| l.str("time").unwrap() < first_new)
        .all(|l| !l.str("addr.remote").unwrap().starts_with("103.21.244.17:")));
    assert!(erin.iter().any(|l| l.str("time").unwrap() < first_new), "erin had logged in before from elsewhere");
}

#[test]
fn root_outside_working_hours_and_node_hopping() {
    let set = demo::build();
    let lines = lines_under(&set, "acme-2024");
    let root = lines
        .iter()
        .find(|l| {
            l.event() == "session.start"
                && l.str("login") == Some("root")
                && l.str("user") == Some("frank@acme.io")
                && l.str("time").unwrap().starts_with("2024-03-16T08:1")
        })
        .expect("frank's Saturday root session");
    assert_eq!(root.str("server_hostname"), Some("db-primary-01"));

    let grace: Vec<&Line> = lines
        .iter()
        .filter(|l| {
            l.event() == "session.start"
                && l.str("user") == Some("grace-h")
                && l.str("time").unwrap().starts_with("2024-03-12T14:")
        })
        .collect();
    let hosts: std::collections::BTreeSet<&str> = grace.iter().map(|l| l.str("server_hostname").unwrap()).collect();
    assert!(hosts.len() >= 12, "many machines in minutes: {hosts:?}");
}

#[test]
fn hostile_strings_and_unmodelled_types() {
    let set = demo::build();
    let lines = lines_under(&set, "acme-2024");
    assert!(lines.iter().any(|l| l.str("user") == Some("<img src=x onerror=alert(1)>")));
    assert!(lines.iter().any(|l| l.str("login").is_some_and(|s| s.starts_with('\u{1b}'))));
    assert!(lines.iter().any(|l| l.str("server_hostname").is_some_and(|h| h.chars().count() == 300)));
    // Only the demo's 2024 era has them.
    for other in ["acme-2017", "acme-2019", "acme-2021"] {
        let raw: String = set.log_files().iter().filter(|f| f.path.starts_with(other)).map(text_of).collect();
        assert!(!raw.contains("\\u003cimg") && !raw.contains("\\u001b"), "{other}");
    }
    let known = [
        "user.login",
        "auth",
        "session.start",
        "session.end",
        "session.join",
        "session.leave",
        "resize",
        "session.data",
        "session.upload",
        "session.command",
        "session.network",
        "exec",
        "scp",
        "sftp",
        "port",
        "client.disconnect",
        "cert.create",
        "bot.join",
        "kube.request",
        "db.session.start",
        "db.session.query",
        "db.session.end",
        "access_request.create",
        "access_request.review",
        "access_request.update",
        "user.create",
        "user.update",
        "user.delete",
        "user.password_change",
        "role.created",
        "role.updated",
        "lock.created",
    ];
    let unknown: std::collections::BTreeSet<&str> =
        lines.iter().map(|l| l.event()).filter(|e| !known.contains(e)).collect();
    assert!(unknown.len() >= 4, "{unknown:?}");
}

#[test]
fn planted_incidents_are_documented() {
    let set = demo::build();
    let names: Vec<&str> = set.planted.iter().map(|p| p.name).collect();
    assert_eq!(
        names,
        ["hostile-strings", "node-hopping", "brute-force", "new-address", "unmodelled-types", "root-after-hours"]
    );
    for p in &set.planted {
        assert!(p.start < p.end, "{}", p.summary());
    }
}
