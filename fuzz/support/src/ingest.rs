//! What the two ingest targets share: options drawn from the input, and the checks every
//! loaded model must pass whatever the bytes were.

use review_core::ingest::{Limits, Options};
use review_core::model::Model;
use review_core::views::{EventDetail, Overview, SessionDetail, Sort, Table, TableRequest, Views};

/// Options from one input byte. Bit 0 picks tiny limits, so that every cap (line length,
/// problems per file, kept part size, archive depth) is reached by small inputs; otherwise the
/// defaults, with the kept-part cap scaled down from 512 MiB to what a fuzz run can hold.
pub fn options(config: u8) -> Options {
    let limits = if config & 1 == 1 {
        Limits { max_line: 256, max_problems_per_file: 8, max_kept_part: 4096, max_depth: 2 }
    } else {
        Limits { max_kept_part: 64 << 20, ..Limits::default() }
    };
    Options { limits, read_back_plain_files: config & 2 == 2, seed: None }
}

/// Invariants of a loaded model, then every view the UI can ask for, on its first rows.
pub fn check(model: &mut Model) {
    for f in &model.files {
        assert!(
            f.counts_add_up(),
            "{}: lines {} != events {} + dups {} + bad {} + blank {}",
            f.path,
            f.lines,
            f.events,
            f.duplicates,
            f.bad_lines,
            f.blank_lines
        );
    }
    let kept: u64 = model.files.iter().map(|f| f.events).sum();
    assert_eq!(kept, model.events.len() as u64, "file event counts add up to the model's");
    let folded: u64 = model.files.iter().map(|f| f.duplicates).sum();
    assert_eq!(folded, model.duplicates, "file duplicate counts add up to the model's");

    let _ = Overview::new(model);
    let mut views = Views::default();
    for table in [Table::Events, Table::Auth, Table::Sessions, Table::Problems] {
        let req = TableRequest { table, query: String::new(), sort: Sort::default(), offset: 0, limit: 20 };
        let _ = views.page(model, &req);
    }
    for id in 0..model.events.len().min(20) as u32 {
        let raw = model.kept_raw(id).map(<[u8]>::to_vec).unwrap_or_default();
        let _ = EventDetail::new(model, id, &raw);
    }
    for index in 0..model.sessions.len().min(20) as u32 {
        let _ = SessionDetail::new(model, index);
    }
}
