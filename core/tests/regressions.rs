//! Inputs the fuzzers found (fuzz/, run by `scripts/fuzz`), kept so that they stay fixed.

use review_core::query::parse;

/// Query text is user input and part of the URL (`#/events?q=…`), so a crafted link reaches
/// the parser. Each nesting level (`(`, `-`, `NOT`) was one more level of recursion (parse,
/// print and drop alike): about 10,000 levels overflowed an 8 MiB native stack, and far fewer
/// the browser worker's 1 MiB wasm stack. Deep queries must be an error or a filter, never an
/// abort. Runs on a 1 MiB stack, like the worker's.
#[test]
#[ignore = "open bug: query::parse recurses once per nesting level and overflows the stack"]
fn deeply_nested_queries_do_not_overflow_the_stack() {
    let queries = [
        format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000)),
        format!("{}x", "-".repeat(100_000)),
        format!("{}x", "NOT ".repeat(100_000)),
    ];
    let worker = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            for q in &queries {
                if let Ok(e) = parse(q) {
                    let _ = e.to_string();
                }
            }
        })
        .expect("thread");
    worker.join().expect("no panic");
}
