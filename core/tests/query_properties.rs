//! The query language's contract (core/src/query/parse.rs), as properties over generated input:
//!
//! 1. Printing a query and parsing the text gives the same query back, up to the nesting limit
//!    and exactly to it; past it, the parser says so.
//! 2. Whatever the text, `parse` returns: an error with a position inside the text (on a char
//!    boundary) and a message, or a query whose printed text reads back the same.
//! 3. The filter controls (`with_term`, `term_value`, `term_text`) set, read and clear their own
//!    top-level term, and leave the rest of the query alone.
//!
//! Case counts are proptest's default (256, or `PROPTEST_CASES`). Failures are not persisted to
//! files: proptest prints the minimal input, which belongs in a regression test.

use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::Config;
use review_core::query::{parse, term_text, term_value, with_term, Expr, Op, Term, FIELDS, MAX_DEPTH};

fn config() -> Config {
    Config { failure_persistence: None, ..Config::default() }
}

// ---------------------------------------------------------------------------------------------
// Generators

/// Pieces of values and query text: separators (ASCII whitespace, and whitespace and controls
/// that are not ASCII whitespace), the syntax characters, keywords in every case, operators,
/// and Unicode (multi-byte, combining, zero-width).
#[rustfmt::skip]
const PIECES: &[&str] = &[
    " ", "  ", "\t", "\n", "\r", "\x0c", "\x0b", "\0", "\x1b", "\x7f", "\u{a0}", "\u{2028}", "\u{3000}",
    "\"", "\\", "\\\"", "\\\\", ":", "(", ")", "()", "-", "--", "=", "==", "<", ">", ">=", "<=", "=>", "*",
    "&&", "||", "&", "|", "AND", "OR", "NOT", "and", "or", "not", "And", "oR", "nOt",
    "a", "x", "Z", "0", "user", "user:", "USER:", "time>=", "10.0.0.0/8", "2024-02-23T10:00Z", "T1000W", "a-b", "a.b",
    "é", "ß", "日本", "🦀", "\u{301}", "\u{200b}", "\u{feff}",
];

/// Values of terms: anything, with the risky pieces (leading `-`, `=`, `<`, `>`, keywords,
/// quotes, backslashes, spaces, parentheses, the empty string) far more often than chance.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => prop::collection::vec(select(PIECES), 0..6).prop_map(|v| v.concat()),
        1 => "[ -~]{0,12}",
        1 => "[\\x00-\\x7f]{0,12}",
        1 => prop::collection::vec(any::<char>(), 0..8).prop_map(String::from_iter),
        1 => any::<String>(),
    ]
}

fn field_names() -> Vec<&'static str> {
    FIELDS.iter().map(|(f, _)| *f).collect()
}

/// Field names as the parser gives them back (it lowercases them): the documented fields,
/// their aliases, and any other field-shaped name (the parser takes those; the compiler
/// rejects unknown ones).
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(field_names()).prop_map(str::to_owned),
        1 => select(vec!["host", "ip", "addr.remote", "server_hostname", "cluster_name", "msg", "type", "session"])
            .prop_map(str::to_owned),
        1 => "[a-z][a-z0-9_.-]{0,8}",
    ]
}

fn op() -> impl Strategy<Value = Op> {
    select(vec![Op::Is, Op::Ge, Op::Le, Op::Gt, Op::Lt])
}

fn term() -> impl Strategy<Value = Expr> {
    prop_oneof![
        3 => (field(), op(), value()).prop_map(|(f, op, value)| Expr::Term(Term { field: Some(f), op, value, pos: 0 })),
        2 => value().prop_map(|value| Expr::Term(Term { field: None, op: Op::Is, value, pos: 0 })),
    ]
}

/// Queries as the parser builds them: `And`/`Or` of two or more parts (nested ones are what
/// parentheses give), `Not`, terms; `All` only for the whole (empty) query.
fn tree() -> impl Strategy<Value = Expr> {
    tree_of(term())
}

fn tree_of(leaf: impl Strategy<Value = Expr> + 'static) -> impl Strategy<Value = Expr> {
    leaf.prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..5).prop_map(Expr::And),
            prop::collection::vec(inner.clone(), 2..5).prop_map(Expr::Or),
            inner.prop_map(|e| Expr::Not(Box::new(e))),
        ]
    })
}

/// One more level around a query: a negation, or an `And`/`Or` with a term beside it.
#[derive(Clone, Debug)]
enum Wrap {
    Not,
    And(Expr, bool),
    Or(Expr, bool),
}

fn wrap() -> impl Strategy<Value = Wrap> {
    prop_oneof![
        2 => Just(Wrap::Not),
        1 => (term(), any::<bool>()).prop_map(|(t, first)| Wrap::And(t, first)),
        1 => (term(), any::<bool>()).prop_map(|(t, first)| Wrap::Or(t, first)),
    ]
}

fn apply(e: Expr, w: Wrap) -> Expr {
    let pair = |e: Expr, t: Expr, first: bool| if first { vec![e, t] } else { vec![t, e] };
    match w {
        Wrap::Not => Expr::Not(Box::new(e)),
        Wrap::And(t, first) => Expr::And(pair(e, t, first)),
        Wrap::Or(t, first) => Expr::Or(pair(e, t, first)),
    }
}

/// Deep queries, on both sides of the nesting limit.
fn deep() -> impl Strategy<Value = Expr> {
    (tree(), prop::collection::vec(wrap(), 0..=MAX_DEPTH + 16)).prop_map(|(e, ws)| ws.into_iter().fold(e, apply))
}

/// Queries exactly at the nesting limit (or one short, when only a `-(` fits), with any shape at
/// the top: the limit itself is where off-by-one mistakes live.
fn at_limit() -> impl Strategy<Value = Expr> {
    (tree(), prop::collection::vec(wrap(), 0..12), 0..5u8, term()).prop_map(|(e, ws, top, t)| {
        let mut e = ws.into_iter().fold(e, apply);
        if levels(&e) > MAX_DEPTH {
            e = t.clone();
        }
        while levels(&Expr::Not(Box::new(e.clone()))) <= MAX_DEPTH {
            e = Expr::Not(Box::new(e));
        }
        match top {
            0 => e,
            1 => Expr::Or(vec![e, t]),
            2 => Expr::Or(vec![t, e]),
            3 => Expr::And(vec![e, t]),
            _ => Expr::And(vec![t, e]),
        }
    })
}

fn expr() -> impl Strategy<Value = Expr> {
    prop_oneof![4 => tree(), 1 => deep(), 1 => at_limit()]
}

/// The fewest levels of `(`, `-` and `NOT` any text of `e` must open, from the grammar: a
/// negation is one (and needs parentheses too around an `And`/`Or`, since it applies to one
/// unary); an `And` or `Or` inside an `And`, and an `Or` inside an `Or`, need parentheses (an
/// `And` inside an `Or` does not: AND binds tighter).
fn levels(e: &Expr) -> usize {
    match e {
        Expr::All | Expr::Term(_) => 0,
        Expr::Not(inner) => levels(inner) + if matches!(**inner, Expr::Term(_) | Expr::Not(_)) { 1 } else { 2 },
        Expr::And(parts) => {
            parts.iter().map(|p| levels(p) + usize::from(matches!(p, Expr::And(_) | Expr::Or(_)))).max().unwrap_or(0)
        }
        Expr::Or(parts) => parts.iter().map(|p| levels(p) + usize::from(matches!(p, Expr::Or(_)))).max().unwrap_or(0),
    }
}

/// Text soups of query tokens, separators and junk.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "(", ")", "(", ")", "-", "-", "NOT", "AND", "OR", "&&", "||", "not", "and",
    "\"", "\"", "\\", ":", ">=", "<=", ">", "<", "=",
    "user", "USER", "time", "addr", "a", "b", "x:y", "a-b", "\"a b\"", "\"\"", "*", "1", "2024-02-23", "Ab.c-d_e",
    "é", "🦀", "\u{301}", "\u{a0}", "\0", "\x0b",
];
const SEPARATORS: &[&str] = &["", " ", " ", "  ", "\t", "\n", "\r\n", "\x0c"];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec((select(TOKENS), select(SEPARATORS)), 0..24)
        .prop_map(|v| v.into_iter().flat_map(|(t, s)| [t, s]).collect())
}

/// A printed query with one edit: a piece inserted, a char deleted, or the rest cut off.
fn mutated() -> impl Strategy<Value = String> {
    (expr(), any::<Index>(), select(PIECES), 0..3u8).prop_map(|(e, at, piece, how)| {
        let mut s = e.to_string();
        let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
        let i = bounds[at.index(bounds.len())];
        match how {
            0 => s.insert_str(i, piece),
            1 if i < s.len() => {
                s.remove(i);
            }
            _ => s.truncate(i),
        }
        s
    })
}

/// Any text a user, a link or a fuzzer could give.
fn input() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        1 => prop::collection::vec(any::<char>(), 0..48).prop_map(String::from_iter),
        1 => "[\\x00-\\x7f]{0,48}",
        3 => soup(),
        2 => mutated(),
        1 => expr().prop_map(|e| e.to_string()),
    ]
}

// ---------------------------------------------------------------------------------------------
// Checks

fn terms(e: &Expr) -> Vec<&Term> {
    match e {
        Expr::All => vec![],
        Expr::Term(t) => vec![t],
        Expr::Not(e) => terms(e),
        Expr::And(v) | Expr::Or(v) => v.iter().flat_map(terms).collect(),
    }
}

/// The shapes `parse` builds: `And`/`Or` have two parts or more, and `All` is only the whole.
fn well_formed(e: &Expr, top: bool) -> bool {
    match e {
        Expr::All => top,
        Expr::Term(_) => true,
        Expr::Not(e) => well_formed(e, false),
        Expr::And(v) | Expr::Or(v) => v.len() >= 2 && v.iter().all(|p| well_formed(p, false)),
    }
}

/// The top-level conjuncts of a query, which the controls edit.
fn conjuncts(e: Expr) -> Vec<Expr> {
    match e {
        Expr::All => vec![],
        Expr::And(v) => v,
        e => vec![e],
    }
}

/// The top-level parts of a query as written, which the controls edit: its conjuncts, except
/// that a query that is one parenthesized group (`(a b)`) is one part, as it is inside an AND.
/// (A `-` before such a query negates the group; before any other, only its first part.)
fn parts(q: &str) -> Vec<Expr> {
    let e = parse(q).expect("valid");
    if parse(&format!("-{}", q.trim_start())) == Ok(Expr::Not(Box::new(e.clone()))) {
        return vec![e];
    }
    conjuncts(e)
}

fn and_of(mut v: Vec<Expr>) -> Expr {
    match v.len() {
        0 => Expr::All,
        1 => v.remove(0),
        _ => Expr::And(v),
    }
}

fn is_term(e: &Expr, field: &str, op: Op) -> bool {
    matches!(e, Expr::Term(t) if t.field.as_deref() == Some(field) && t.op == op)
}

fn field_term(field: &str, op: Op, value: &str) -> Term {
    Term { field: Some(field.to_owned()), op, value: value.to_owned(), pos: 0 }
}

// ---------------------------------------------------------------------------------------------
// 1. Printing and parsing

proptest! {
    #![proptest_config(config())]

    /// Any query prints to text that parses back to the same query (term positions aside) and
    /// prints the same again, as long as the text nests no deeper than the limit; the printer
    /// nests no deeper than the grammar requires, so queries at the limit read back too, and
    /// those past it are refused as nested too deeply, at a `(` or `-`.
    #[test]
    fn printing_then_parsing_gives_the_same_query(e in expr()) {
        let text = e.to_string();
        let need = levels(&e);
        match parse(&text) {
            Ok(back) => {
                prop_assert!(need <= MAX_DEPTH, "{need} levels parsed: {text:?}");
                prop_assert_eq!(&back, &e, "text: {:?}", text);
                prop_assert_eq!(back.to_string(), text.clone());
                // Each term's position is where its text starts.
                for t in terms(&back) {
                    let at = text.get(t.pos..).unwrap_or_default();
                    prop_assert!(at.starts_with(&t.to_string()), "term {t:?} not at {} of {text:?}", t.pos);
                }
            }
            Err(err) => {
                prop_assert!(need > MAX_DEPTH, "{need} levels: {text:?}: {err}");
                prop_assert!(err.message.contains("nested too deeply"), "{text:?}: {err}");
                let at = text.get(err.pos..).unwrap_or_default();
                prop_assert!(at.starts_with(['(', '-']), "{text:?}: {err}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Any text

proptest! {
    #![proptest_config(config())]

    /// Whatever the text, `parse` returns (a panic fails the case). An error points into the
    /// text, on a char boundary, and says something; a query reads back the same from its
    /// printed text, has the shapes the parser builds, and each term's position is where it
    /// starts in the text.
    #[test]
    fn any_text_parses_or_fails_with_a_position(s in input()) {
        match parse(&s) {
            Err(err) => {
                prop_assert!(err.pos <= s.len(), "{s:?}: {err:?}");
                prop_assert!(s.is_char_boundary(err.pos), "{s:?}: {err:?}");
                prop_assert!(!err.message.trim().is_empty(), "{s:?}: {err:?}");
                prop_assert!(!err.to_string().is_empty());
            }
            Ok(e) => {
                prop_assert!(well_formed(&e, true), "{s:?}: {e:?}");
                let text = e.to_string();
                let back = parse(&text);
                prop_assert_eq!(back.as_ref(), Ok(&e), "{:?} printed as {:?}", s, text);
                prop_assert_eq!(back.map(|b| b.to_string()), Ok(text.clone()));
                for t in terms(&e) {
                    prop_assert!(t.pos < s.len() && s.is_char_boundary(t.pos), "{s:?}: {t:?}");
                    let at = &s[t.pos..];
                    let starts = match &t.field {
                        Some(f) => at.get(..f.len()).is_some_and(|w| w.eq_ignore_ascii_case(f)),
                        None => at.starts_with('"') || at.starts_with(&t.value),
                    };
                    prop_assert!(starts, "{s:?}: term {t:?} not at {}", t.pos);
                }
            }
        }
    }

    /// The nesting limit is exact whatever the openers: `n` levels of `(`, `-`, `NOT`, `-(` and
    /// `NOT (` parse when `n <= MAX_DEPTH`; otherwise the error is at the first opener past it.
    #[test]
    fn the_nesting_limit_is_exact(
        openers in prop::collection::vec(
            select(vec![("(", ")", 1usize), ("-", "", 1), ("NOT ", "", 1), ("-(", ")", 2), ("NOT (", ")", 2)]),
            0..=MAX_DEPTH,
        ),
        inner in term(),
        tail in select(vec!["", " OR y", " y", " AND -y"]),
    ) {
        let mut text = String::new();
        let mut level = 0;
        let mut first_too_deep = None;
        for (open, _, _) in &openers {
            for (i, c) in open.char_indices() {
                if c == '(' || c == '-' || c == 'N' {
                    level += 1;
                    if level == MAX_DEPTH + 1 {
                        first_too_deep = Some(text.len() + i);
                    }
                }
            }
            text.push_str(open);
        }
        text.push_str(&inner.to_string());
        for (_, close, _) in openers.iter().rev() {
            text.push_str(close);
        }
        text.push_str(tail);
        let total: usize = openers.iter().map(|(_, _, n)| n).sum();
        prop_assert_eq!(total, level);
        match (parse(&text), first_too_deep) {
            (Ok(e), None) => prop_assert_eq!(parse(&e.to_string()), Ok(e.clone()), "{:?}", text),
            (Err(err), Some(pos)) => {
                prop_assert!(err.message.contains("nested too deeply"), "{text:?}: {err}");
                prop_assert_eq!(err.pos, pos, "{:?}: {}", text, err);
            }
            (got, _) => prop_assert!(false, "{level} levels: {text:?}: {got:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. The filter controls

/// The controls the tests edit: a few, so that edits meet each other and the query's own terms.
fn control() -> impl Strategy<Value = (String, Op)> {
    prop_oneof![
        3 => Just(("user".to_owned(), Op::Is)),
        3 => (select(vec!["user", "time", "addr", "outcome"]).prop_map(str::to_owned), select(vec![Op::Is, Op::Ge, Op::Lt])),
        1 => (field(), op()),
    ]
}

fn control_term() -> impl Strategy<Value = Expr> {
    (control(), value()).prop_map(|((f, op), v)| Expr::Term(field_term(&f, op, &v)))
}

/// Queries that parse (`parse`, so within the nesting limit): printed ones, ones at the limit,
/// ones as typed, and ones where the controls' terms already are, at the top level (as a
/// control puts them) and inside parentheses, `OR` and negations.
fn valid_query() -> impl Strategy<Value = String> {
    let with_controls = (tree_of(prop_oneof![term(), control_term()]), prop::collection::vec(control_term(), 1..3))
        .prop_map(|(e, mut controls)| {
            controls.insert(0, e);
            Expr::And(controls)
        });
    prop_oneof![
        2 => expr().prop_filter("within the limit", |e| levels(e) <= MAX_DEPTH).prop_map(|e| e.to_string()),
        1 => at_limit().prop_map(|e| e.to_string()),
        2 => input().prop_filter("parses", |s| parse(s).is_ok()),
        3 => with_controls.prop_map(|e| e.to_string()),
    ]
}

fn nonempty_value() -> impl Strategy<Value = String> {
    value().prop_filter("a value", |v| !v.is_empty())
}

proptest! {
    #![proptest_config(config())]

    /// Controls set and read their own term: after any values set on a valid query, for each
    /// control set, `term_value` gives the last value set, and the query ends with the last
    /// term set; the query's other top-level parts are as they were, in order (checked when
    /// the edited query is within the nesting limit, see `with_term_gives_a_valid_query`).
    #[test]
    fn with_term_then_term_value_gives_the_value_back(
        q in valid_query(),
        edits in prop::collection::vec((control(), nonempty_value()), 1..5),
    ) {
        let mut current = q.clone();
        let mut set: Vec<(String, Op, String)> = Vec::new();
        for ((field, op), value) in &edits {
            let t = field_term(field, *op, value).to_string();
            let before = current.clone();
            current = with_term(&current, field, *op, Some(value));
            // Refused, unchanged: a top-level OR at the nesting limit has no room for the
            // parentheses that setting a term puts around it.
            if current == before && !current.ends_with(&t) {
                prop_assert!(
                    matches!(parse(&current), Ok(Expr::Or(_))) && parse(&format!("({current}) {t}")).is_err(),
                    "{current:?}: setting {t:?} refused"
                );
                continue;
            }
            prop_assert!(current.ends_with(&t), "{current:?} does not end with {t:?}");
            set.retain(|(f, o, _)| !(f == field && o == op));
            set.push((field.clone(), *op, value.clone()));
            for (f, o, want) in &set {
                prop_assert_eq!(
                    term_value(&current, f, *o), Some(want.clone()),
                    "{} {:?} in {:?} (from {:?} by {:?})", f, o, current, q, edits
                );
            }
        }
        if let Ok(edited) = parse(&current) {
            let is_set = |e: &Expr| set.iter().any(|(f, o, _)| is_term(e, f, *o));
            let rest: Vec<Expr> = parts(&q).into_iter().filter(|e| !is_set(e)).collect();
            let mut got = conjuncts(edited);
            prop_assert!(got.len() >= set.len(), "{:?} edited to {:?}", q, current);
            let terms = got.split_off(got.len() - set.len());
            prop_assert_eq!(got, rest, "{:?} edited to {:?}", q, current);
            let want: Vec<Expr> = set.iter().map(|(f, o, v)| Expr::Term(field_term(f, *o, v))).collect();
            prop_assert_eq!(terms, want);
        }
    }

    /// Clearing a control (`None`, or the empty string, which a control treats alike) removes
    /// its top-level terms: `term_value` is then `None`, the query's other parts are as they
    /// were, and clearing again changes nothing.
    ///
    /// Bug (minimal input): `with_term("(user:a b) user:c", "user", Op::Is, None)` gives
    /// `"user:a b"`, whose `term_value` for `user:` is `Some("a")`: when one part is left and it
    /// is an `AND` in parentheses, it is printed without them, so its terms become top-level
    /// ones (the filter is the same, but the control shows `a`, the parentheses typed are
    /// gone, and clearing again removes `user:a`).
    #[test]
    fn with_term_none_removes_the_term(
        q in valid_query(),
        (field, op) in control(),
        empty in any::<bool>(),
    ) {
        let clear = |q: &str| with_term(q, &field, op, if empty { Some("") } else { None });
        let cleared = clear(&q);
        prop_assert_eq!(term_value(&cleared, &field, op), None, "{:?} cleared to {:?}", q, cleared);
        let rest: Vec<Expr> = parts(&q).into_iter().filter(|e| !is_term(e, &field, op)).collect();
        prop_assert_eq!(parse(&cleared), Ok(and_of(rest)), "{:?} cleared to {:?}", q, cleared);
        prop_assert_eq!(clear(&cleared), cleared.clone());
    }

    /// Setting a value and then clearing is clearing; the last value set wins.
    #[test]
    fn controls_compose(q in valid_query(), (field, op) in control(), a in nonempty_value(), b in value()) {
        let clear = |q: &str| with_term(q, &field, op, None);
        let set = |q: &str, v: &str| with_term(q, &field, op, Some(v));
        prop_assert_eq!(clear(&set(&q, &a)), clear(&q));
        prop_assert_eq!(set(&set(&q, &a), &b), set(&q, &b));
    }

    /// Click-to-filter text is the term it says.
    #[test]
    fn term_text_reads_back(field in field(), value in value()) {
        let text = term_text(&field, &value);
        prop_assert_eq!(parse(&text), Ok(Expr::Term(field_term(&field, Op::Is, &value))), "{:?}", text);
    }

    /// A query that does not parse is kept as typed (trimmed) and the control's term goes after
    /// it, as the term's own text.
    ///
    /// Bug (minimal input): `with_term("(", "user", Op::Is, Some("\u{a0}"))` gives `"( user:"`,
    /// not `"( user:\u{a0}"`: the printer leaves a value with non-ASCII
    /// whitespace bare (the lexer splits on ASCII whitespace only), and the final `str::trim`
    /// (which trims Unicode whitespace) cuts it off the end of the term. The control's value
    /// changes: `with_term("a AND", "user", Op::Is, Some("b\u{a0}"))` is `"a AND user:b"`, a valid
    /// query whose `term_value` for `user:` is `Some("b")`.
    #[test]
    fn with_term_keeps_an_invalid_query_and_appends_the_term(
        q in input().prop_filter("invalid, and not only for depth", |s| {
            parse(s).is_err_and(|e| !e.message.contains("nested too deeply"))
        }),
        (field, op) in control(),
        value in prop::option::weighted(0.8, value()),
    ) {
        let got = with_term(&q, &field, op, value.as_deref());
        let kept = q.trim();
        let want = match value.as_deref().filter(|v| !v.is_empty()) {
            Some(v) => format!("{kept} {}", field_term(&field, op, v)),
            None => kept.to_owned(),
        };
        prop_assert_eq!(got, want);
    }

    /// What a control makes of a valid query is a valid query: the views compile it with
    /// `parse` (through `Filter::new`), so it must be within the nesting limit.
    ///
    /// Bug (minimal input): a top-level `OR` at exactly `MAX_DEPTH` levels, e.g.
    /// `q = "-".repeat(64) + "a OR b"`; `with_term(&q, "user", Op::Is, Some("x"))` puts the OR in
    /// parentheses, `"(" + q + ") user:x"`, 65 levels, which `with_term`/`term_value` accept
    /// (they parse one level deeper) but `parse`, hence `Filter::new`, refuses: "nested too
    /// deeply" at byte 64. Clicking a control turns a working query into an error.
    #[test]
    fn with_term_gives_a_valid_query(q in valid_query(), (field, op) in control(), value in nonempty_value()) {
        let edited = with_term(&q, &field, op, Some(&value));
        prop_assert!(parse(&edited).is_ok(), "{:?} → {:?}: {:?}", q, edited, parse(&edited));
    }
}
