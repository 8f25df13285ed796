//! Editing a query as it is typed: which token the caret is in, and whether it is a field name
//! or a field's value being typed (what the query bar completes). Pure: tested natively.

/// The token being typed at byte `caret`: its start, an optional leading `-`, and its text.
pub fn token_at(q: &str, caret: usize) -> (usize, bool, &str) {
    let caret = caret.min(q.len());
    let caret = (0..=caret).rev().find(|&i| q.is_char_boundary(i)).unwrap_or(0);
    let start = q[..caret].rfind(|c: char| c.is_whitespace() || c == '(').map_or(0, |i| i + 1);
    let token = &q[start..caret];
    match token.strip_prefix('-') {
        Some(rest) => (start, true, rest),
        None => (start, false, token),
    }
}

/// What completing the token means: a field name, or a value of `field`.
pub enum Want<'a> {
    Field(&'a str),
    Value { field: &'a str, prefix: &'a str },
}

pub fn want(token: &str) -> Option<Want<'_>> {
    match token.split_once(':') {
        Some((field, value)) if !field.is_empty() => Some(Want::Value { field, prefix: value.trim_start_matches('"') }),
        Some(_) => None,
        None if !token.is_empty() && token.chars().all(|c| c.is_ascii_alphabetic() || c == '.') => {
            Some(Want::Field(token))
        }
        None => None,
    }
}

/// A caret position from the DOM (UTF-16 units) as a byte offset into `s`.
pub fn utf16_to_byte(s: &str, units: usize) -> usize {
    let mut seen = 0;
    for (i, c) in s.char_indices() {
        if seen >= units {
            return i;
        }
        seen += c.len_utf16();
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_at_the_caret() {
        assert_eq!(token_at("user:al", 7), (0, false, "user:al"));
        assert_eq!(token_at("outcome:failure -addr:10", 24), (16, true, "addr:10"));
        assert_eq!(token_at("(us", 3), (1, false, "us"));
        assert_eq!(token_at("a b", 1), (0, false, "a"));
        assert_eq!(token_at("a ", 2), (2, false, ""));
        // A caret inside a multi-byte character does not split it.
        assert_eq!(token_at("ü", 1), (0, false, ""));
    }

    #[test]
    fn fields_then_values() {
        assert!(matches!(want("us"), Some(Want::Field("us"))));
        assert!(matches!(want("addr.re"), Some(Want::Field("addr.re"))));
        assert!(matches!(want("user:"), Some(Want::Value { field: "user", prefix: "" })));
        assert!(matches!(want("user:\"al"), Some(Want::Value { field: "user", prefix: "al" })));
        assert!(want("").is_none());
        assert!(want(":x").is_none());
        assert!(want("10.0.0.1").is_none(), "free text is not completed");
    }

    #[test]
    fn dom_carets_are_utf16() {
        assert_eq!(utf16_to_byte("abc", 2), 2);
        assert_eq!(utf16_to_byte("üb", 1), 2);
        assert_eq!(utf16_to_byte("😀x", 2), 4);
        assert_eq!(utf16_to_byte("ab", 9), 2);
    }
}
