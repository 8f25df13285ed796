//! Text as the page shows it, independent of the browser: log text with control characters made
//! visible, byte sizes and counts for people.

pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// Log text as it is, with control characters shown as symbols (ESC → ␛) and bidirectional
/// overrides named, so that nothing in a log can restyle, reorder or hide text.
pub fn visible(s: &str) -> String {
    let clean = s.chars().all(|c| !c.is_control() && !is_bidi_control(c));
    if clean {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('�')),
            '\u{7f}' => out.push('␡'),
            c if c.is_control() || is_bidi_control(c) => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_bidi_overrides_are_shown_not_acted_upon() {
        assert_eq!(visible("plain <b>text</b>"), "plain <b>text</b>");
        assert_eq!(visible("root\x1b[31m"), "root␛[31m");
        assert_eq!(visible("a\tb\nc\x7f"), "a␉b␊c␡");
        assert_eq!(visible("evil\u{202e}gpj.exe"), "evil⟨U+202E⟩gpj.exe");
        assert_eq!(visible("\u{85}"), "⟨U+0085⟩");
    }

    #[test]
    fn sizes_and_counts() {
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1_500_000), "1.5 MB");
        assert_eq!(count(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(count(12), "12");
    }
}
