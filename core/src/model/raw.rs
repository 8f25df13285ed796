//! Where an event's original line is: kept in memory (lines from gzip and tar entries), or at an
//! offset in the input file (plain files, read back on demand to save memory).

/// Chunks of kept lines; a line never spans chunks, so growth never copies old lines.
const CHUNK: usize = 8 << 20;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RawRef {
    pub offset: u64,
    pub len: u32,
}

impl RawRef {
    pub fn in_file(offset: u64, len: usize) -> Self {
        RawRef { offset, len: len as u32 }
    }
}

#[derive(Default)]
pub(crate) struct RawArena {
    chunks: Vec<Vec<u8>>,
}

impl RawArena {
    pub fn keep(&mut self, bytes: &[u8]) -> RawRef {
        let fits = self.chunks.last().is_some_and(|c| c.capacity() - c.len() >= bytes.len());
        if !fits {
            self.chunks.push(Vec::with_capacity(CHUNK.max(bytes.len())));
        }
        let index = self.chunks.len() - 1;
        let chunk = &mut self.chunks[index];
        let offset = (index as u64) << 32 | chunk.len() as u64;
        chunk.extend_from_slice(bytes);
        RawRef { offset, len: bytes.len() as u32 }
    }

    pub fn get(&self, r: RawRef) -> Option<&[u8]> {
        let chunk = self.chunks.get((r.offset >> 32) as usize)?;
        let start = (r.offset & 0xffff_ffff) as usize;
        chunk.get(start..start + r.len as usize)
    }
}

/// Where a new event's line is to be found: in its file (read back by offset), or kept (the
/// bytes ride along).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Raw<'a> {
    InFile { offset: u64, len: u32 },
    Kept(#[serde(borrow, with = "serde_bytes")] &'a [u8]),
}

impl<'a> Raw<'a> {
    /// `bytes` at `in_file_at` in their file if the host can read them back from there, else
    /// kept. Lines the detections read are kept even then.
    pub(crate) fn of(bytes: &'a [u8], in_file_at: Option<u64>, e: &crate::audit::ParsedEvent<'_>) -> Self {
        match in_file_at.filter(|_| !crate::detect::reads_raw(&e.event)) {
            Some(offset) => Raw::InFile { offset, len: bytes.len() as u32 },
            None => Raw::Kept(bytes),
        }
    }
}
