//! The events in time order, column by column: what filters and sorts scan. Rows of 72 bytes
//! visited in time order (not arrival order) would miss the cache at every step; one array per
//! column, in time order, is read straight through.

use super::{Event, EventId, Sym};
use crate::audit::Outcome;
use crate::problem::FileId;
use crate::time::Nanos;

/// The interned columns a query can address, in [`TimeIndex::columns`] order.
pub const COLUMNS: usize = 10;

#[derive(Default)]
pub struct TimeIndex {
    /// Position → event id (arrival order), sorted by time, then file, then line.
    pub ids: Vec<EventId>,
    pub time: Vec<Nanos>,
    /// kind, code, user, login, node, remote, sid, cluster, method, message.
    pub columns: [Vec<Sym>; COLUMNS],
    pub outcome: Vec<Outcome>,
    pub file: Vec<FileId>,
    /// Positions of authentication attempts.
    pub auth: Vec<u32>,
    /// Event ids of authentication attempts in time order.
    pub auth_ids: Vec<EventId>,
    /// For each column, a bitset of the symbols that occur in it: a term addressing a column
    /// only has to look at that column's values, not at every string loaded.
    pub present: [Vec<u64>; COLUMNS],
}

impl TimeIndex {
    pub fn build(events: &[Event], symbols: usize) -> Self {
        // Sort packed keys rather than compare through the rows: (time, file·line) is unique, and
        // logs arrive nearly sorted file by file, which the sort exploits.
        let mut keys: Vec<(Nanos, u64, EventId)> = events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.time, (u64::from(e.file) << 32) | u64::from(e.line), i as EventId))
            .collect();
        keys.sort_unstable();
        let ids: Vec<EventId> = keys.into_iter().map(|(_, _, i)| i).collect();
        // One pass over the rows, in time order, filling every column.
        let n = ids.len();
        let mut columns: [Vec<Sym>; COLUMNS] = std::array::from_fn(|_| Vec::with_capacity(n));
        let (mut time, mut outcome, mut file) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        let mut auth = Vec::new();
        for (p, &i) in ids.iter().enumerate() {
            let e = &events[i as usize];
            for (col, value) in columns
                .iter_mut()
                .zip([e.kind, e.code, e.user, e.login, e.node, e.remote, e.sid, e.cluster, e.method, e.message])
            {
                col.push(value);
            }
            time.push(e.time);
            outcome.push(e.outcome);
            file.push(e.file);
            if e.is_auth {
                auth.push(p as u32);
            }
        }
        let present = columns.each_ref().map(|col| {
            let mut bits = vec![0u64; symbols.div_ceil(64)];
            for s in col {
                if let Some(w) = bits.get_mut(s.index() / 64) {
                    *w |= 1 << (s.index() % 64);
                }
            }
            bits
        });
        TimeIndex {
            time,
            outcome,
            file,
            auth_ids: auth.iter().map(|&p| ids[p as usize]).collect(),
            auth,
            columns,
            present,
            ids,
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The symbols occurring in column `c`.
    pub fn values(&self, c: usize) -> impl Iterator<Item = Sym> + '_ {
        self.present[c]
            .iter()
            .enumerate()
            .flat_map(|(w, &bits)| (0..64).filter(move |b| bits & (1 << b) != 0).map(move |b| Sym((w * 64 + b) as u32)))
    }

    /// Positions of events with a time in `start..end`. Events without a readable time sort last
    /// (their time is [`NO_TIME`](super::NO_TIME), the largest) and fall outside every range ending before it.
    pub fn time_range(&self, start: Nanos, end: Nanos) -> std::ops::Range<usize> {
        let from = self.time.partition_point(|&t| t < start);
        // `t < end` never holds for NO_TIME, the largest time: untimed events stay out.
        let to = self.time.partition_point(|&t| t < end);
        from..to.max(from)
    }
}
