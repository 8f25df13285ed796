//! Log text inside HTML: escaped so that it can only ever be text.
//!
//! Besides the five markup characters, characters that are invisible or change how the text
//! around them reads — control characters, bidirectional overrides and isolates (U+202E can
//! make `exe.gpj` read `jpg.exe`), zero-width characters, Unicode tags — are shown as their code
//! point, `U+202E`, in a marked span: a report is read by people, and they should see that the
//! characters are there. (Exports keep the text exact; this is only for reading.)

/// Appends `text` as HTML text content. Not for attribute values: the marks are elements.
pub fn push_html_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find(needs_care) {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().unwrap_or_default();
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => {
                out.push_str("<span class=\"cc\">U+");
                out.push_str(&format!("{:04X}", u32::from(c)));
                out.push_str("</span>");
            }
        }
        rest = &rest[i + c.len_utf8()..];
    }
    out.push_str(rest);
}

/// `text` as HTML text content.
pub fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_html_text(&mut out, text);
    out
}

fn needs_care(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'') || is_hidden(c)
}

/// Characters that do not show as themselves: controls (C0, DEL, C1), format characters that
/// are invisible or reorder text, and separators that break lines.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}
