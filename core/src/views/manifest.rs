//! The evidence manifest: every file read, with its size, SHA-256 and what was found in it, as
//! CSV; and the dropped files' hashes in `sha256sum` format, so that anyone can check later, with
//! `sha256sum -c`, that the files in hand are the ones that were reviewed.

use super::csv_cell::push_csv_cell;
use super::overview::FileRow;
use super::rfc3339::rfc3339_utc;
use super::tables::problems_per_file;
use crate::model::{FileKind, Model};

/// Columns of [`files_csv`], in order.
pub const FILE_COLUMNS: [&str; 13] = [
    "path",
    "size",
    "sha256",
    "kind",
    "compressed",
    "in_archive",
    "lines",
    "events",
    "duplicates",
    "bad_lines",
    "first",
    "last",
    "problems",
];

/// One CSV row per file read, archive entries included (an entry's hash is its archive's, named
/// by the path it starts with), in the order the files were read.
pub fn files_csv(m: &Model) -> Vec<u8> {
    let problems = problems_per_file(m);
    let mut out = Vec::new();
    out.extend_from_slice(FILE_COLUMNS.join(",").as_bytes());
    out.extend_from_slice(b"\r\n");
    for id in 0..m.files.len() as u32 {
        let f = FileRow::new(m, id, problems.get(id as usize).copied().unwrap_or(0));
        let cells = [
            f.path,
            f.size.to_string(),
            f.sha256.unwrap_or_default(),
            kind(f.kind).to_owned(),
            f.compressed.to_string(),
            f.in_archive.to_string(),
            f.lines.to_string(),
            f.events.to_string(),
            f.duplicates.to_string(),
            f.bad_lines.to_string(),
            f.first.map(rfc3339_utc).unwrap_or_default(),
            f.last.map(rfc3339_utc).unwrap_or_default(),
            f.problems.to_string(),
        ];
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_csv_cell(&mut out, cell);
        }
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// `<sha256>  <path>` for each dropped file whose hash is known (as `sha256sum` writes it; run
/// `sha256sum -c` on it from the folder the files were dropped from). Paths that `sha256sum`
/// would have to escape (a backslash or a line break in the name) are written its way: the line
/// starts with `\` and those characters are escaped.
pub fn sha256sums(m: &Model) -> String {
    let mut out = String::new();
    for f in m.files.iter().filter(|f| f.parent.is_none()) {
        let Some(hash) = &f.sha256 else { continue };
        if f.path.contains(['\\', '\n', '\r']) {
            let escaped = f.path.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r");
            out.push_str(&format!("\\{hash}  {escaped}\n"));
        } else {
            out.push_str(&format!("{hash}  {}\n", f.path));
        }
    }
    out
}

fn kind(k: FileKind) -> &'static str {
    match k {
        FileKind::Pending => "pending",
        FileKind::AuditLog => "audit log",
        FileKind::Recording => "recording",
        FileKind::Archive => "archive",
        FileKind::Empty => "empty",
        FileKind::NotRead => "not read",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Ingest, Options};

    fn model() -> Model {
        let mut ing = Ingest::new(Options::default());
        ing.add_bytes("log/a.log", b"{\"event\":\"user.login\",\"time\":\"2024-01-01T00:00:00Z\"}\nnot json\n");
        ing.add_bytes("odd\\name\n.log", b"{\"event\":\"exec\"}\n");
        ing.add_bytes("=cmd|calc.log", b"");
        let mut m = ing.finish();
        m.files[0].sha256 = Some("a".repeat(64));
        m.files[1].sha256 = Some("b".repeat(64));
        m
    }

    #[test]
    fn every_file_is_a_row_with_its_counts() {
        let csv = String::from_utf8(files_csv(&model())).unwrap();
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], FILE_COLUMNS.join(","));
        assert_eq!(lines.len(), 1 + 3, "{csv}");
        let a = format!(
            "log/a.log,{},{},audit log,false,false,2,1,0,1,2024-01-01T00:00:00Z,2024-01-01T00:00:00Z,1",
            62,
            "a".repeat(64)
        );
        assert!(csv.contains(&a), "{csv}");
        // A name a spreadsheet would run is neutralized.
        assert!(csv.contains("\r\n'=cmd|calc.log,"), "{csv}");
    }

    #[test]
    fn sums_are_in_sha256sum_format() {
        let sums = sha256sums(&model());
        let a = "a".repeat(64);
        let b = "b".repeat(64);
        assert_eq!(sums, format!("{a}  log/a.log\n\\{b}  odd\\\\name\\n.log\n"), "unhashed files are left out");
    }
}
