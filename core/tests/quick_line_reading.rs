//! The quick pass over audit lines (`audit/quick.rs`) reads a line exactly as serde_json does,
//! or leaves it to serde_json: `parse_line` and `parse_line_with_serde_only` agree on every
//! line, event or error. And the quick pass does read the lines Teleport writes (were it to
//! decline them all, loads would be slower and nothing else would say so).

use proptest::prelude::*;
use review_core::audit::{parse_line, parse_line_with_serde_only, quick_pass_reads};

fn agree(line: &[u8]) {
    assert_eq!(parse_line(line), parse_line_with_serde_only(line), "{}", String::from_utf8_lossy(line));
}

/// Lines of every shape the sample fixtures and Teleport versions have, read quickly.
#[test]
fn teleport_lines_are_read_by_the_quick_pass_and_agree() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/teleport");
    let mut lines = 0;
    let mut quick = 0;
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for line in bytes.split(|&b| b == b'\n').filter(|l| l.first() == Some(&b'{')) {
            // A line of a JSON array (gen-2 recordings' events) is read without its comma.
            let line = line.strip_suffix(b",").unwrap_or(line);
            agree(line);
            lines += 1;
            quick += usize::from(quick_pass_reads(line));
        }
    }
    assert!(lines > 100, "the fixtures hold audit lines ({lines})");
    // Real lines the quick pass leaves to serde_json: a user given as an object (12 of them).
    // The rest are read quickly.
    assert!(quick * 10 >= lines * 9, "{quick} of {lines} lines read by the quick pass");
}

#[test]
fn lines_at_the_edges_agree() {
    let lines: &[&[u8]] = &[
        br#"{"event":"session.start","uid":"u","time":"2024-02-23T18:56:57.190681808Z","ei":0,"user":"alice"}"#,
        br#"  {"event" : "x" , "user" : "a" }  "#,
        br#"{}"#,
        br#"{ }"#,
        br#"{"event":null}"#,
        br#"{"event":""}"#,
        br#"{"event":7}"#,
        br#"{"event":true}"#,
        br#"{"event":{"a":1}}"#,
        br#"{"event":"a","event":"b"}"#,
        br#"{"event":"a","x":1,"x":2}"#,
        br#"{"event":"a","user":"b","user":null}"#,
        br#"{"event":"s\u0065ssion.start","error":"a\"b\\c\/d\b\f\n\r\t"}"#,
        br#"{"event":"x","error":"\ud800"}"#,
        br#"{"event":"x","other":"\ud800"}"#,
        br#"{"event":"x","other":"\uZZZZ"}"#,
        br#"{"event":"x","other":"\q"}"#,
        br#"{"ev\u0065nt":"x"}"#,
        br#"{"event":"x","nested":{"k\u0065y":1}}"#,
        br#"{"event":"x","nested":{"k\ud800":1,"\q":2}}"#,
        br#"{"event":"x","nested":{"a":1 , "b" : [ 1 , { } , [ ] ] } }"#,
        br#"{"event":"x","nested":{"a" 1}}"#,
        br#"{"event":"x","nested":{"a":1,}}"#,
        br#"{"event":"x","nested":[1 2]}"#,
        br#"{"event":"x","nested":{"a":1]}"#,
        br#"{"event":"x","nested":[1}"#,
        br#"{"event":"x","ei":-0}"#,
        br#"{"event":"x","ei":0}"#,
        br#"{"event":"x","ei":-12}"#,
        br#"{"event":"x","ei":123456789012345678}"#,
        br#"{"event":"x","ei":1234567890123456789}"#,
        br#"{"event":"x","ei":18446744073709551616}"#,
        br#"{"event":"x","size":1.5}"#,
        br#"{"event":"x","size":1e3}"#,
        br#"{"event":"x","size":1E+3}"#,
        br#"{"event":"x","size":01}"#,
        br#"{"event":"x","size":1.}"#,
        br#"{"event":"x","size":-}"#,
        br#"{"event":"x","size":.5}"#,
        br#"{"event":"x","n":1.5e-7,"m":-0.0,"k":[1,[2,[3]],{"a":{}}]}"#,
        br#"{"event":"x","success":false,"interactive":"true","participants":["a","b\u0063"],"argv":null}"#,
        br#"{"event":"x","status":{"success":false},"user":{"user":"lisa"}}"#,
        br#"{"event":"x","participants":[ "a" , "b" ]}"#,
        br#"{"event":"x","success":tru}"#,
        br#"{"event":"x","success":nulls}"#,
        br#"{"event":"x",}"#,
        br#"{"event":"x" "user":"a"}"#,
        br#"{"event":"x"}}"#,
        br#"{"event":"x"} x"#,
        br#"{"event":"x""#,
        br#"{"event":"x"#,
        br#"{"event":"x","a":[1,2,]}"#,
        br#"{"event":"x","a":{"b":1,}}"#,
        br#"{"event":"x","a":{1:2}}"#,
        b"{\"event\":\"x\",\t\"user\":\"a\"}",
        b"{\"event\":\"x\",\"user\":\"a\tb\"}",
        b"{\"event\":\"x\",\"user\":\"a\"}\r",
        b"{\"event\":\"x\",\"user\":\"\xc3\xa9t\xc3\xa9 \xe6\x97\xa5\"}",
        b"{\"event\":\"x\",\"user\":\"a\xff\"}",
        br#"[1,2]"#,
        br#""event""#,
        br#"INFO [AUTH] not json"#,
        br#"{"event":"x","time":"2024-02-23T18:56:57Z","session_start":"2024-02-23T18:50:00.5+01:00","session_stop":12}"#,
        br#"{"event":"x","addr.remote":"10.0.0.1:22","addr.local":"10.0.0.2:3022","server_hostname":"","server_id":"id"}"#,
        br#"{"event":"session.command","program":"wget","argv":["-q","http://x"]}"#,
        br#"{"event":"exec","command":"curl -s http://x | sh","code":3007}"#,
    ];
    for line in lines {
        agree(line);
    }
    // Nesting: serde_json skips values of any depth; the quick pass reads 128 levels.
    for depth in [1, 99, 127, 128, 129, 140, 100_000] {
        let deep = format!(r#"{{"event":"x","a":{}{}}}"#, "[".repeat(depth), "]".repeat(depth));
        agree(deep.as_bytes());
        let deep = format!(r#"{{"event":"x","a":{}1{}}}"#, r#"{"k":["#.repeat(depth), "]}".repeat(depth));
        agree(deep.as_bytes());
        let cut = format!(r#"{{"event":"x","a":{}{}}}"#, "[".repeat(depth), "]".repeat(depth - 1));
        agree(cut.as_bytes());
    }
    assert!(quick_pass_reads(format!(r#"{{"event":"x","a":{}{}}}"#, "[".repeat(128), "]".repeat(128)).as_bytes()));
    assert!(!quick_pass_reads(format!(r#"{{"event":"x","a":{}{}}}"#, "[".repeat(129), "]".repeat(129)).as_bytes()));
}

/// JSON-like text built from the pieces that matter: the indexed keys (and others, repeated,
/// escaped), values of every kind, separators and spaces, sometimes wrong.
fn token() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("event"),
        Just("user"),
        Just("ei"),
        Just("time"),
        Just("success"),
        Just("participants"),
        Just("status"),
        Just("argv"),
        Just("other"),
        Just("ev\\u0065nt"),
    ];
    let value = prop_oneof![
        Just("\"x\"".to_owned()),
        Just("\"a\\\"b\"".to_owned()),
        Just("\"\\ud800\"".to_owned()),
        Just("\"2024-02-23T18:56:57Z\"".to_owned()),
        Just("\"\"".to_owned()),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just("-0".to_owned()),
        Just("1.5".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("{\"user\":\"u\"}".to_owned()),
        Just("[\"a\",1]".to_owned()),
        (0u64..u64::MAX).prop_map(|n| n.to_string()),
        (i64::MIN..0).prop_map(|n| n.to_string()),
        "[a-z\\\\\"éÿ\t ]{0,6}".prop_map(|s| format!("\"{s}\"")),
    ];
    prop_oneof![
        4 => (key, value).prop_map(|(k, v)| format!("\"{k}\":{v}")),
        1 => prop_oneof![Just(","), Just(":"), Just("{"), Just("}"), Just("["), Just("]"), Just(" "), Just("\"")]
            .prop_map(str::to_owned),
    ]
}

fn line() -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec(token(), 0..8), prop::collection::vec(prop::bool::weighted(0.8), 8)).prop_map(
        |(tokens, commas)| {
            let mut s = String::from("{");
            for (i, t) in tokens.iter().enumerate() {
                if i > 0 && commas[i % commas.len()] {
                    s.push(',');
                }
                s.push_str(t);
            }
            s.push('}');
            s.into_bytes()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn any_line_reads_the_same_either_way(line in line()) {
        prop_assert_eq!(parse_line(&line), parse_line_with_serde_only(&line), "{}", String::from_utf8_lossy(&line));
    }

    /// A real line with one byte changed, cut, or doubled.
    #[test]
    fn damaged_lines_read_the_same_either_way(at in 0usize..200, byte in any::<u8>(), how in 0u8..3) {
        let mut line = br#"{"ei":0,"event":"session.end","uid":"u1","code":"T2004I","time":"2024-02-23T18:56:57.190681808Z","cluster_name":"c","user":"alice","sid":"s1","server_hostname":"web-1","interactive":true,"participants":["alice","bob"],"session_start":"2024-02-23T18:50:00.5Z","x":{"y":[1,2.5e3,null]}}"#.to_vec();
        let at = at % line.len();
        match how {
            0 => line[at] = byte,
            1 => line.truncate(at),
            _ => line.insert(at, line[at]),
        }
        prop_assert_eq!(parse_line(&line), parse_line_with_serde_only(&line), "{}", String::from_utf8_lossy(&line));
    }
}
