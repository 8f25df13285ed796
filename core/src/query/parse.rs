//! Query text → [`Expr`], with errors that say where and what was expected.
//!
//! ```text
//! query  := or
//! or     := and ("OR" and)*
//! and    := unary (["AND"] unary)*
//! unary  := ("NOT" | "-") unary | "(" or ")" | term
//! term   := [field (":" | ">=" | "<=" | ">" | "<")] value
//! value  := word | "quoted \"string\""
//! ```
//!
//! Tokens are separated by whitespace as Unicode (and [`char::is_whitespace`], [`str::trim`],
//! [`str::split_whitespace`]) define it, no-break and ideographic spaces included: what looks
//! like a space separates. The printer quotes any value holding such a character.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// Matches everything (the empty query).
    All,
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Term(Term),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `field:value` (or a bare value): equality, with `*` wildcards; free text is a substring.
    Is,
    Ge,
    Le,
    Gt,
    Lt,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::Is => ":",
            Op::Ge => ">=",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Lt => "<",
        }
    }
}

#[derive(Clone, Debug, Eq)]
pub struct Term {
    /// `None` for free text.
    pub field: Option<String>,
    pub op: Op,
    pub value: String,
    /// Where the term starts in the query text (for error messages; not part of equality).
    pub pos: usize,
}

impl PartialEq for Term {
    fn eq(&self, other: &Self) -> bool {
        (&self.field, self.op, &self.value) == (&other.field, other.op, &other.value)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset in the query where the problem is.
    pub pos: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.pos + 1, self.message)
    }
}

impl std::error::Error for ParseError {}

/// How deeply `(`, `NOT` and `-` may nest. The parser, the printer, the compiler and the
/// matchers all recurse once per level, on the worker's 1 MiB (wasm) stack; no one types more.
pub const MAX_DEPTH: usize = 64;

pub fn parse(text: &str) -> Result<Expr, ParseError> {
    top_level(text).map(and_of)
}

/// The query's top-level parts as written, which the filter controls edit: the parts its
/// top-level AND joins, where a parenthesized group of several parts is one part (`(a b) c`
/// has two, `a b` and `c`; `(a b)` alone has one, `a b`), or the whole query when its top
/// level is an OR. [`parse`] is these parts ANDed; the parentheses around a whole query are the one
/// thing [`Expr`] does not keep, and the controls must see them.
fn top_level(text: &str) -> Result<Vec<Expr>, ParseError> {
    let tokens = lex(text)?;
    let mut p = Parser { tokens, at: 0, end: text.len(), depth: 0 };
    if p.tokens.is_empty() {
        return Ok(Vec::new());
    }
    let first = p.and_parts()?;
    let parts = if p.at_or() { vec![p.or_rest(and_of(first))?] } else { first };
    match p.peek() {
        None => Ok(parts),
        Some(t) => Err(ParseError { pos: t.pos, message: format!("unexpected {}", t.kind.describe()) }),
    }
}

/// Parts joined by AND: all for none, the part itself for one.
fn and_of(mut parts: Vec<Expr>) -> Expr {
    match parts.len() {
        0 => Expr::All,
        1 => parts.pop().unwrap_or(Expr::All),
        _ => Expr::And(parts),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    LParen,
    RParen,
    Minus,
    And,
    Or,
    Not,
    /// A term: optional field, operator, value; `quoted` values are never keywords.
    Word {
        field: Option<String>,
        op: Op,
        value: String,
        quoted: bool,
    },
}

impl Kind {
    fn describe(&self) -> String {
        match self {
            Kind::LParen => "'('".into(),
            Kind::RParen => "')'".into(),
            Kind::Minus => "'-'".into(),
            Kind::And => "AND".into(),
            Kind::Or => "OR".into(),
            Kind::Not => "NOT".into(),
            Kind::Word { value, .. } => format!("{value:?}"),
        }
    }
}

#[derive(Clone, Debug)]
struct Token {
    pos: usize,
    /// Where the token ends in the query text.
    end: usize,
    kind: Kind,
}

/// The length of the whitespace char (a separator) at byte `i` of `text`, or 0: none there, or
/// `i` is not on a char boundary (inside a multi-byte char, which is not whitespace).
fn space_at(text: &str, i: usize) -> usize {
    match text.as_bytes().get(i) {
        Some(c) if c.is_ascii() => usize::from(char::from(*c).is_whitespace()),
        Some(_) => text.get(i..).and_then(|s| s.chars().next()).filter(|c| c.is_whitespace()).map_or(0, char::len_utf8),
        None => 0,
    }
}

fn lex(text: &str) -> Result<Vec<Token>, ParseError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let space = space_at(text, i);
        if space > 0 {
            i += space;
            continue;
        }
        let pos = i;
        match c {
            b'(' => {
                out.push(Token { pos, end: pos + 1, kind: Kind::LParen });
                i += 1;
            }
            b')' => {
                out.push(Token { pos, end: pos + 1, kind: Kind::RParen });
                i += 1;
            }
            // At the start of a token, `-x` negates (inside a word, `a-b` stays a word).
            b'-' if i + 1 < b.len() && space_at(text, i + 1) == 0 => {
                out.push(Token { pos, end: pos + 1, kind: Kind::Minus });
                i += 1;
            }
            b'"' => {
                let (value, next) = quoted(text, i)?;
                out.push(Token { pos, end: next, kind: Kind::Word { field: None, op: Op::Is, value, quoted: true } });
                i = next;
            }
            _ => {
                // A bare word runs to whitespace or a parenthesis; `field<op>` may precede a quote.
                let start = i;
                while i < b.len() && space_at(text, i) == 0 && !matches!(b[i], b'(' | b')' | b'"') {
                    if let Some((op, len)) = operator(&b[i..]) {
                        let field = &text[start..i];
                        if !field.is_empty() && is_field_name(field) {
                            i += len;
                            let (value, quoted_value, next) = if b.get(i) == Some(&b'"') {
                                let (v, n) = quoted(text, i)?;
                                (v, true, n)
                            } else {
                                let vs = i;
                                while i < b.len() && space_at(text, i) == 0 && !matches!(b[i], b'(' | b')') {
                                    i += 1;
                                }
                                (text[vs..i].to_owned(), false, i)
                            };
                            if value.is_empty() && !quoted_value {
                                return Err(ParseError {
                                    pos: next,
                                    message: format!("expected a value after '{field}{}'", op.text()),
                                });
                            }
                            out.push(Token {
                                pos,
                                end: next,
                                kind: Kind::Word {
                                    field: Some(field.to_ascii_lowercase()),
                                    op,
                                    value,
                                    quoted: quoted_value,
                                },
                            });
                            i = next;
                            break;
                        }
                    }
                    i += 1;
                }
                if matches!(out.last(), Some(t) if t.pos == pos) {
                    continue;
                }
                let word = &text[start..i];
                let kind = match word {
                    "AND" | "&&" => Kind::And,
                    "OR" | "||" => Kind::Or,
                    "NOT" => Kind::Not,
                    _ => Kind::Word { field: None, op: Op::Is, value: word.to_owned(), quoted: false },
                };
                out.push(Token { pos, end: i, kind });
            }
        }
    }
    Ok(out)
}

fn operator(b: &[u8]) -> Option<(Op, usize)> {
    match b {
        [b'>', b'=', ..] => Some((Op::Ge, 2)),
        [b'<', b'=', ..] => Some((Op::Le, 2)),
        [b'>', ..] => Some((Op::Gt, 1)),
        [b'<', ..] => Some((Op::Lt, 1)),
        [b':', ..] => Some((Op::Is, 1)),
        _ => None,
    }
}

fn is_field_name(s: &str) -> bool {
    s.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
        && s.bytes().next().is_some_and(|c| c.is_ascii_alphabetic())
}

/// A `"…"` string with `\"` and `\\` escapes; returns the value and the index after it.
fn quoted(text: &str, start: usize) -> Result<(String, usize), ParseError> {
    let mut value = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((off, c)) = chars.next() {
        match c {
            '"' => return Ok((value, start + 1 + off + 1)),
            '\\' => match chars.next() {
                Some((_, e)) => value.push(e),
                None => break,
            },
            _ => value.push(c),
        }
    }
    Err(ParseError { pos: start, message: "unterminated quote: expected a closing '\"'".into() })
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    end: usize,
    /// Levels of `(`, `NOT` and `-` open at this point, at most [`MAX_DEPTH`].
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn at_or(&self) -> bool {
        matches!(self.peek(), Some(Token { kind: Kind::Or, .. }))
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let first = self.and()?;
        self.or_rest(first)
    }

    /// The OR whose first part is `first`, parsed already (just `first` when no OR follows).
    fn or_rest(&mut self, first: Expr) -> Result<Expr, ParseError> {
        if !self.at_or() {
            return Ok(first);
        }
        let mut parts = vec![first];
        while self.at_or() {
            self.at += 1;
            parts.push(self.and()?);
        }
        Ok(Expr::Or(parts))
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        self.and_parts().map(and_of)
    }

    /// The parts of an AND (one or more), each as [`Parser::unary`] gives it.
    fn and_parts(&mut self) -> Result<Vec<Expr>, ParseError> {
        let mut parts = vec![self.unary()?];
        loop {
            match self.peek().map(|t| &t.kind) {
                Some(Kind::And) => {
                    self.at += 1;
                    parts.push(self.unary()?);
                }
                Some(Kind::Or | Kind::RParen) | None => break,
                Some(_) => parts.push(self.unary()?),
            }
        }
        Ok(parts)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        let Some(t) = self.tokens.get(self.at).cloned() else {
            return Err(ParseError {
                pos: self.end,
                message: "expected a term, '(' or NOT at the end of the query".into(),
            });
        };
        self.at += 1;
        if matches!(t.kind, Kind::Not | Kind::Minus | Kind::LParen) {
            if self.depth >= MAX_DEPTH {
                return Err(ParseError {
                    pos: t.pos,
                    message: format!("nested too deeply: at most {MAX_DEPTH} levels of '(', NOT and '-'"),
                });
            }
            self.depth += 1;
            let e = self.nested(&t);
            self.depth -= 1;
            return e;
        }
        match t.kind {
            Kind::Word { field, op, value, .. } => Ok(Expr::Term(Term { field, op, value, pos: t.pos })),
            other => Err(ParseError {
                pos: t.pos,
                message: format!("expected a term, '(' or NOT, found {}", other.describe()),
            }),
        }
    }

    /// What follows a `NOT`, `-` or `(` token `t`, one level deeper.
    fn nested(&mut self, t: &Token) -> Result<Expr, ParseError> {
        if t.kind != Kind::LParen {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if matches!(self.peek(), Some(Token { kind: Kind::RParen, .. })) {
            return Err(ParseError { pos: t.pos + 1, message: "expected a term inside '( )'".into() });
        }
        let e = self.or()?;
        match self.peek() {
            Some(Token { kind: Kind::RParen, .. }) => {
                self.at += 1;
                Ok(e)
            }
            Some(other) => {
                Err(ParseError { pos: other.pos, message: format!("expected ')' but found {}", other.kind.describe()) })
            }
            None => {
                Err(ParseError { pos: self.end, message: format!("expected ')' to close the '(' at {}", t.pos + 1) })
            }
        }
    }
}

impl fmt::Display for Expr {
    /// The canonical text of a query: parsing it gives the same [`Expr`] back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::All => Ok(()),
            Expr::Term(t) => t.fmt(f),
            Expr::Not(e) => match **e {
                Expr::Term(_) | Expr::Not(_) => write!(f, "-{e}"),
                _ => write!(f, "-({e})"),
            },
            Expr::And(parts) => join(f, parts, " ", |e| matches!(e, Expr::Or(_) | Expr::And(_) | Expr::All)),
            Expr::Or(parts) => join(f, parts, " OR ", |e| matches!(e, Expr::Or(_) | Expr::All)),
        }
    }
}

fn join(f: &mut fmt::Formatter<'_>, parts: &[Expr], sep: &str, needs_parens: impl Fn(&Expr) -> bool) -> fmt::Result {
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        if needs_parens(p) {
            write!(f, "({p})")?;
        } else {
            write!(f, "{p}")?;
        }
    }
    Ok(())
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(field) = &self.field {
            write!(f, "{field}{}", self.op.text())?;
        }
        write_value(f, &self.value, self.field.is_none())
    }
}

/// Bare when that reads back the same; quoted otherwise (whitespace: what the lexer separates
/// on, see the module's doc).
fn write_value(f: &mut fmt::Formatter<'_>, v: &str, free: bool) -> fmt::Result {
    let keyword = matches!(v, "AND" | "OR" | "NOT" | "&&" | "||");
    let risky = v.is_empty()
        || keyword
        || v.starts_with(['-', '='])
        || v.chars().any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '"' | '\\'))
        || (free && v.bytes().any(|c| matches!(c, b':' | b'<' | b'>')));
    if !risky {
        return f.write_str(v);
    }
    f.write_str("\"")?;
    for c in v.chars() {
        if matches!(c, '"' | '\\') {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("\"")
}

/// A `field:value` term as query text, e.g. for click-to-filter.
pub fn term_text(field: &str, value: &str) -> String {
    Term { field: Some(field.to_owned()), op: Op::Is, value: value.to_owned(), pos: 0 }.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(field: Option<&str>, op: Op, v: &str) -> Expr {
        Expr::Term(Term { field: field.map(str::to_owned), op, value: v.to_owned(), pos: 0 })
    }

    #[test]
    fn precedence_and_implicit_and() {
        let e = parse("user:alice failed OR -addr:10.0.0.0/8 AND (event:user.login OR code:T1000W)").unwrap();
        assert_eq!(
            e,
            Expr::Or(vec![
                Expr::And(vec![t(Some("user"), Op::Is, "alice"), t(None, Op::Is, "failed")]),
                Expr::And(vec![
                    Expr::Not(Box::new(t(Some("addr"), Op::Is, "10.0.0.0/8"))),
                    Expr::Or(vec![t(Some("event"), Op::Is, "user.login"), t(Some("code"), Op::Is, "T1000W")]),
                ]),
            ])
        );
    }

    #[test]
    fn comparisons_quotes_and_keywords() {
        assert_eq!(parse("time>=2024-02-23T10:00Z").unwrap(), t(Some("time"), Op::Ge, "2024-02-23T10:00Z"));
        assert_eq!(parse(r#"user:"<img src=x>""#).unwrap(), t(Some("user"), Op::Is, "<img src=x>"));
        assert_eq!(parse(r#""OR""#).unwrap(), t(None, Op::Is, "OR"));
        assert_eq!(parse("NOT success:false").unwrap(), Expr::Not(Box::new(t(Some("success"), Op::Is, "false"))));
        assert_eq!(parse("  ").unwrap(), Expr::All);
        assert_eq!(parse("a-b").unwrap(), t(None, Op::Is, "a-b"));
        assert_eq!(parse("http://x").unwrap(), t(Some("http"), Op::Is, "//x"));
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("user:alice (a OR").unwrap_err();
        assert_eq!(e.pos, 16);
        assert!(e.message.contains("expected a term"), "{e}");
        let e = parse("(a b").unwrap_err();
        assert!(e.message.contains("expected ')'"), "{e}");
        assert_eq!(parse("a )").unwrap_err().pos, 2);
        assert_eq!(parse("user: x").unwrap_err().pos, 5);
        assert_eq!(parse("\"open").unwrap_err().pos, 0);
        assert!(parse("()").is_err());
        assert!(parse("a AND").is_err());
    }

    #[test]
    fn nesting_is_limited_with_an_error_at_the_level_too_deep() {
        // (opening, closing, levels each adds)
        for (open, close, per) in [("(", ")", 1), ("-", "", 1), ("NOT ", "", 1), ("-(", ")", 2), ("NOT (", ")", 2)] {
            let reps = MAX_DEPTH / per;
            let ok = format!("{}x{}", open.repeat(reps), close.repeat(reps));
            let e = parse(&ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(parse(&e.to_string()).unwrap(), e);
            let deep = format!("({ok})");
            let e = parse(&deep).unwrap_err();
            assert!(e.message.contains("nested too deeply"), "{deep}: {e}");
            // The innermost `(`, NOT or `-`: the first one past the limit.
            assert_eq!(e.pos, deep.rfind(['(', '-', 'N']).unwrap_or(0), "{deep}: {e}");
        }
        assert!(parse(&format!("{}x", "-".repeat(100_000))).is_err());
    }

    #[test]
    fn controls_can_edit_a_query_at_the_nesting_limit() {
        let deepest = format!("{}a{} OR b", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse(&deepest).is_ok());
        let edited = with_term(&deepest, "user", Op::Is, Some("alice"));
        assert_eq!(term_value(&edited, "user", Op::Is).as_deref(), Some("alice"), "{edited}");
        let removed = with_term(&edited, "user", Op::Is, None);
        assert_eq!(term_value(&removed, "user", Op::Is), None);
        assert_eq!(parse(&removed), parse(&deepest));
    }

    #[test]
    fn printing_then_parsing_gives_the_same_query() {
        for q in [
            "user:alice failed OR -addr:10.0.0.0/8 AND (event:user.login OR code:T1000W)",
            r#"user:"a b" -"x:y" NOT (a OR b) time<2024-01-01"#,
            r#"login:"\"quoted\\"  -(-a)"#,
            "a OR (b OR c) (d e)",
        ] {
            let e = parse(q).unwrap();
            assert_eq!(parse(&e.to_string()).unwrap(), e, "{q} → {e}");
        }
    }
}

/// The query with its top-level `field<op>…` terms replaced by `field<op>value` (or removed when
/// `value` is `None` or empty), leaving every other part of it. Used by filter controls, so that
/// a control and the typed query are one and the same filter.
///
/// The parts are the query's top-level parts as written: a parenthesized group is one part, also
/// when it is the whole query or what is left of it, so the terms inside stay there (clearing
/// `user:` from `(user:a b) user:c` gives `(user:a b)`, whose `user:` control is empty). The
/// parts are printed canonically, the control's term last.
///
/// A query that does not parse is kept as typed (trimmed of whitespace, which separates and is
/// never part of a bare word), with the control's term after it.
///
/// The edit never makes a valid query invalid. Setting a term on a query whose top level is an
/// OR puts the OR in parentheses (`(a OR b) user:x`), one level of nesting more; on a query
/// nested [`MAX_DEPTH`] levels deep that is a level too many for [`parse`], so that edit is
/// refused and the query comes back unchanged (the control, which reads [`term_value`], shows
/// that it did not take). Appending the term without the parentheses (`a OR b user:x`) would
/// mean `a OR (b AND user:x)`, another filter, and no other rewriting keeps both the query as
/// it was and the term at the top level. Removing a term never adds a level.
pub fn with_term(query: &str, field: &str, op: Op, value: Option<&str>) -> String {
    let new_term = value
        .filter(|v| !v.is_empty())
        .map(|v| Expr::Term(Term { field: Some(field.to_owned()), op, value: v.to_owned(), pos: 0 }));
    let Ok(parts) = top_level(query) else {
        let kept = query.trim();
        return match new_term {
            None => kept.to_owned(),
            Some(t) if kept.is_empty() => t.to_string(),
            Some(t) => format!("{kept} {t}"),
        };
    };
    // A top-level OR, as the first of several parts, gets parentheses it did not have. (A part
    // that is an AND, or an OR within the top-level AND, was in parentheses as typed.)
    let wrapped = new_term.is_some() && matches!(parts[..], [Expr::Or(_)]);
    let mut parts: Vec<Expr> = parts.into_iter().filter(|e| !is_term(e, field, op)).collect();
    parts.extend(new_term);
    let edited = match &parts[..] {
        [] => String::new(),
        [group @ Expr::And(_)] => format!("({group})"),
        [one] => one.to_string(),
        _ => Expr::And(parts).to_string(),
    };
    if wrapped && parse(&edited).is_err() {
        return query.to_owned();
    }
    edited
}

fn is_term(e: &Expr, field: &str, op: Op) -> bool {
    matches!(e, Expr::Term(t) if t.field.as_deref() == Some(field) && t.op == op)
}

/// The value of the query's top-level `field<op>value` term (the first, if it has several), as
/// [`with_term`] sets it; `None` when there is none, or the query does not parse.
pub fn term_value(query: &str, field: &str, op: Op) -> Option<String> {
    match top_level(query).ok()?.into_iter().find(|e| is_term(e, field, op))? {
        Expr::Term(t) => Some(t.value),
        _ => None,
    }
}

/// `query` with the values of `field`'s terms that `rewrite` changes (given their operator and
/// value) written anew, and every other character as it was. A query that does not lex is
/// returned as it is.
pub fn rewrite_values(query: &str, field: &str, mut rewrite: impl FnMut(Op, &str) -> Option<String>) -> String {
    let Ok(tokens) = lex(query) else { return query.to_owned() };
    let mut out = String::with_capacity(query.len() + 16);
    let mut copied = 0;
    for (t, op, value, quoted) in field_terms(&tokens, field) {
        let Some(new) = rewrite(op, value) else { continue };
        out.push_str(&query[copied..t.pos]);
        if quoted {
            // Quoted as it was: the quote may be all that separates it from what follows.
            let escaped = new.replace('\\', "\\\\").replace('"', "\\\"");
            out.push_str(&format!("{field}{}\"{escaped}\"", op.text()));
        } else {
            out.push_str(&Term { field: Some(field.to_owned()), op, value: new, pos: 0 }.to_string());
        }
        copied = t.end;
    }
    out.push_str(&query[copied..]);
    out
}

/// The operator and value of each of `field`'s terms in `query` (none if it does not lex).
pub fn values_of(query: &str, field: &str) -> Vec<(Op, String)> {
    let tokens = lex(query).unwrap_or_default();
    field_terms(&tokens, field).map(|(_, op, value, _)| (op, value.to_owned())).collect()
}

/// `field`'s terms among `tokens`: each token with its operator, value and whether it was quoted.
fn field_terms<'a>(tokens: &'a [Token], field: &'a str) -> impl Iterator<Item = (&'a Token, Op, &'a str, bool)> {
    tokens.iter().filter_map(move |t| match &t.kind {
        Kind::Word { field: Some(f), op, value, quoted } if f == field => Some((t, *op, value.as_str(), *quoted)),
        _ => None,
    })
}

#[cfg(test)]
mod control_tests {
    use super::*;

    #[test]
    fn controls_replace_only_their_term() {
        assert_eq!(with_term("", "user", Op::Is, Some("alice")), "user:alice");
        assert_eq!(with_term("user:bob failed", "user", Op::Is, Some("alice")), "failed user:alice");
        assert_eq!(with_term("user:bob failed", "user", Op::Is, None), "failed");
        assert_eq!(with_term("a OR b", "outcome", Op::Is, Some("failure")), "(a OR b) outcome:failure");
        assert_eq!(
            with_term("time>=2024-01-01 x", "time", Op::Lt, Some("2024-02-01")),
            "time>=2024-01-01 x time<2024-02-01"
        );
        assert_eq!(with_term("(unclosed", "user", Op::Is, Some("a")), "(unclosed user:a");
        assert_eq!(term_value("x user:\"a b\"", "user", Op::Is).as_deref(), Some("a b"));
        assert_eq!(term_value("x OR user:a", "user", Op::Is), None);
    }

    #[test]
    fn a_parenthesized_group_is_one_part_even_alone() {
        let q = "(user:a b) user:c";
        assert_eq!(term_value(q, "user", Op::Is).as_deref(), Some("c"));
        let cleared = with_term(q, "user", Op::Is, None);
        assert_eq!(cleared, "(user:a b)");
        assert_eq!(term_value(&cleared, "user", Op::Is), None);
        assert_eq!(with_term(&cleared, "user", Op::Is, None), cleared);
        assert_eq!(parse(&cleared), parse("user:a b"));
        assert_eq!(with_term(&cleared, "user", Op::Is, Some("d")), "(user:a b) user:d");
        // Parentheses around one term, or an OR, group nothing.
        assert_eq!(term_value("(user:a)", "user", Op::Is).as_deref(), Some("a"));
        assert_eq!(with_term("(a OR b) user:c", "user", Op::Is, None), "a OR b");
    }

    #[test]
    fn an_edit_that_would_nest_too_deeply_is_refused() {
        let q = format!("{}a OR b", "-".repeat(MAX_DEPTH));
        assert!(parse(&q).is_ok());
        assert_eq!(with_term(&q, "user", Op::Is, Some("x")), q);
        assert_eq!(with_term(&q, "user", Op::Is, None), q);
        // One level less leaves room for the parentheses.
        let q = &q[1..];
        let edited = with_term(q, "user", Op::Is, Some("x"));
        assert_eq!(edited, format!("({q}) user:x"));
        assert!(parse(&edited).is_ok());
        // Within an AND, the OR has its parentheses already.
        let q = format!("({}a OR b) c", "-".repeat(MAX_DEPTH - 1));
        assert_eq!(with_term(&q, "user", Op::Is, Some("x")), format!("{q} user:x"));
    }

    #[test]
    fn whitespace_is_what_unicode_says_in_lexer_printer_and_trim() {
        for v in ["\u{a0}", "b\u{a0}", "\u{3000}x", "a\u{b}b", "\u{2028}", "\u{85}"] {
            let t = term_text("user", v);
            assert!(t.ends_with('"'), "{t:?}");
            assert_eq!(parse(&t).map(|e| e.to_string()), Ok(t.clone()));
        }
        assert_eq!(
            parse("a\u{a0}b\u{3000}-c\u{b}(d)"),
            parse("a b -c (d)"),
            "no-break, ideographic and vertical-tab spaces separate"
        );
        assert_eq!(with_term("(", "user", Op::Is, Some("\u{a0}")), "( user:\"\u{a0}\"");
        assert_eq!(with_term("a AND", "user", Op::Is, Some("b\u{a0}")), "a AND user:\"b\u{a0}\"");
        assert_eq!(with_term(" (\u{a0}", "user", Op::Is, None), "(");
        assert_eq!(with_term("\u{a0}", "user", Op::Is, Some("a")), "user:a");
    }
}
