//! Generation 1 (Teleport 1.0–2.4): `<sid>.session.log` (JSON lines) + `<sid>.session.bytes`
//! (raw output). Prints address the bytes file by `offset`; their `ms` is either relative to
//! the logger's creation, rounded to the second and possibly negative (v1.0–2.3, where every
//! event carries `ms`), or cumulative since the first print (v2.4). Both are the same clock
//! once shifted so the first print is 0, which the timeline does.

use crate::chunks::{self, ByteFile, ByteFiles};
use crate::parts::Named;
use crate::timeline::Builder;
use crate::{json_events, Limits, Recording, RecordingError};

pub(crate) fn decode(
    log: Named<'_>,
    bytes: Option<Named<'_>>,
    limits: &Limits,
    mut problems: Vec<String>,
) -> Result<Recording, RecordingError> {
    let records = json_events::parse(&log.name, &log.data, &mut problems);
    let files = bytes.map(|b| ByteFile { name: b.name, offset: 0, data: b.data }).into_iter().collect();
    let bytes = ByteFiles::new(files, ".session.bytes");
    let mut builder = Builder::new(limits, problems);
    chunks::feed(records.into_iter().map(|r| (log.name.as_str(), r)), &bytes, &mut builder);
    builder.finish(1)
}
