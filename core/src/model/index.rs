//! The events in time order, column by column: what filters and sorts scan. Rows of 80 bytes
//! visited in time order (not arrival order) would miss the cache at every step; one array per
//! column, in time order, is read straight through.

use super::{Event, EventId, Sym};
use crate::audit::Outcome;
use crate::problem::FileId;
use crate::time::Nanos;
use std::sync::OnceLock;

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
    /// only has to look at that column's values, not at every string loaded. Made on first
    /// use: most columns are never asked, and loading should not wait for them.
    present: [OnceLock<Vec<u64>>; COLUMNS],
    symbols: usize,
}

/// Orders by time, then file, then event id: a file's events are numbered as its lines are
/// read, so within a file the id orders as the line does. One 128-bit key sorts faster than a
/// tuple compared field by field, and its low bits are the id.
fn sort_key(e: &Event, id: usize) -> u128 {
    let time = (e.time as u64) ^ (1 << 63); // signed → unsigned, order kept
    (u128::from(time) << 64) | (u128::from(e.file) << 32) | id as u128
}

impl TimeIndex {
    pub fn build(events: &[Event], symbols: usize) -> Self {
        // Logs arrive nearly sorted file by file, which the sort exploits.
        let mut keys: Vec<u128> = events.iter().enumerate().map(|(i, e)| sort_key(e, i)).collect();
        keys.sort_unstable();
        let ids: Vec<EventId> = keys.iter().map(|&k| k as EventId).collect();
        drop(keys);
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
        TimeIndex {
            time,
            outcome,
            file,
            auth_ids: auth.iter().map(|&p| ids[p as usize]).collect(),
            auth,
            columns,
            present: Default::default(),
            symbols,
            ids,
        }
    }

    /// The bitset of the symbols occurring in column `c` (see [`TimeIndex::present`]).
    pub fn present(&self, c: usize) -> &[u64] {
        self.present[c].get_or_init(|| {
            let mut bits = vec![0u64; self.symbols.div_ceil(64)];
            for s in &self.columns[c] {
                if let Some(w) = bits.get_mut(s.index() / 64) {
                    *w |= 1 << (s.index() % 64);
                }
            }
            bits
        })
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The symbols occurring in column `c`.
    pub fn values(&self, c: usize) -> impl Iterator<Item = Sym> + '_ {
        self.present(c)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RawRef, NO_TIME};

    fn event(time: Nanos, file: FileId, line: u32) -> Event {
        Event {
            time,
            kind: Sym(1),
            code: Sym::NONE,
            user: Sym(2),
            login: Sym::NONE,
            node: Sym::NONE,
            remote: Sym::NONE,
            sid: Sym::NONE,
            cluster: Sym::NONE,
            method: Sym::NONE,
            message: Sym::NONE,
            file,
            line,
            remote_port: 0,
            outcome: Outcome::None,
            is_auth: false,
            raw_kept: false,
            raw: RawRef::default(),
        }
    }

    #[test]
    fn rows_sort_by_time_then_file_then_line_before_1970_and_without_a_time_too() {
        // Arrival order: file 1 was read before file 0; each file's lines in order.
        let events = [
            event(30, 1, 1),
            event(-5, 1, 2),
            event(NO_TIME, 1, 3),
            event(30, 1, 4),
            event(30, 0, 1),
            event(i64::MIN, 0, 2),
            event(0, 0, 3),
            event(30, 0, 4),
        ];
        let ix = TimeIndex::build(&events, 3);
        let mut expected: Vec<EventId> = (0..events.len() as EventId).collect();
        expected.sort_by_key(|&i| {
            let e = &events[i as usize];
            (e.time, e.file, e.line)
        });
        assert_eq!(ix.ids, expected);
        assert_eq!(ix.ids, [5, 1, 6, 4, 7, 0, 3, 2]);
        assert_eq!(ix.time.first(), Some(&i64::MIN));
        assert_eq!(ix.values(2).collect::<Vec<_>>(), [Sym(2)]);
    }
}
