//! Generation 3 (Teleport 4.4+): the ProtoStream `<sid>.tar` (not a tar). Parts are gunzipped
//! one by one; records are deduplicated by event index (`ei`), as Teleport's reader does:
//! an event whose `ei` is not above the previous one was repeated by a resumed upload.

mod container;
mod proto;
mod records;

use crate::parts::Stream;
use crate::timeline::Builder;
use crate::{inflate, Limits, Recording, RecordingError};
use records::Decoded;

/// Damaged records reported one by one per file; the rest are counted.
const MAX_RECORD_REPORTS: usize = 5;

pub(crate) fn decode(
    files: &[Stream<'_>],
    limits: &Limits,
    problems: Vec<String>,
) -> Result<Recording, RecordingError> {
    let mut builder = Builder::new(limits, problems);
    let mut last_ei: Option<i64> = None;
    let mut repeated = 0usize;
    'files: for file in files {
        let parts = container::parts(&file.name, &file.data, builder.problems())?;
        let mut bad_records = 0usize;
        for part in parts {
            let place = format!("{}, part {} (at byte {})", file.name, part.number, part.at);
            let body = inflate::gunzip(&place, part.body, limits.max_inflated, builder.problems());
            let mut full = false;
            let walked = records::walk(&body, |number, at, message| {
                let decoded = match records::decode(message) {
                    Ok(decoded) => decoded,
                    Err(why) => {
                        bad_records += 1;
                        if bad_records <= MAX_RECORD_REPORTS {
                            builder
                                .problem(format!("{place}, record {number} (byte {at} decompressed): {why}; skipped"));
                        }
                        return true;
                    }
                };
                let ei = decoded.ei();
                if last_ei.is_some_and(|last| ei <= last) {
                    repeated += 1;
                    return true;
                }
                last_ei = Some(ei);
                let kept = match decoded {
                    Decoded::Print { ms, time, data, .. } => builder.print(Some(ms), time, &data),
                    Decoded::Event { info, .. } => builder.event(*info),
                };
                full = !kept;
                kept
            });
            if let Err(why) = walked {
                builder.problem(format!("{place}: {why}; the rest of this part was not read"));
            }
            if full {
                break 'files;
            }
        }
        if bad_records > MAX_RECORD_REPORTS {
            builder.problem(format!(
                "{}: {} more damaged records skipped",
                file.name,
                bad_records - MAX_RECORD_REPORTS
            ));
        }
    }
    if repeated > 0 {
        builder.problem(format!(
            "{repeated} events were skipped because their index (ei) was not above the one before (repeated by a resumed upload)"
        ));
    }
    builder.finish(3)
}
