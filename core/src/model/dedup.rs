//! Folding events read twice: the same files added again, a copy, overlapping exports, the
//! same event logged by two auth servers.
//!
//! An event is known by its `uid` and its exact line, hashed together (XXH3, seeded with the
//! host's random bits, so that no line can be crafted to pass for another); 96 bits of that are
//! kept, so that an accidental collision, which would hide an event, is practically impossible,
//! with the id of the event kept (the model may move it to an earlier copy of its line: see
//! [`super::Model`]'s `is_duplicate`). Old
//! Teleport (2.x and before) writes no `uid`: there the same line twice in one file may be two
//! events (the same failed login twice in a second), while in two files it is one event read
//! twice. So such a line is kept as often as the file holding it most often holds it: a copy is
//! kept when it takes its file's count of the line past every other file's. What is kept then
//! does not depend on the order the files are read in (the browser's two workers hand them to
//! the model in no fixed order); keeping what the first file read held did.
//!
//! The same line has the same time, so the keys are kept in one small table per span of time
//! (an hour, or more where lines are sparse): a log's lines come nearly in time order, and the
//! table they meet stays in the cache. One table for everything, millions of keys, made each
//! line wait on memory: 8 % of a gigabyte's load in wasm. This needs the time given with a line
//! to come from that line alone (never a fallback from the file or a neighbour).

use crate::problem::FileId;
use crate::time::Nanos;
use foldhash::fast::FixedState;
use hashbrown::HashTable;

pub(crate) struct Dedup {
    /// By span, scrambled with the seed too: the times, like the lines, come from the input.
    spans: hashbrown::HashMap<i64, Span, FixedState>,
    /// How long a span is. It starts at an hour and doubles whenever there are more than
    /// [`FEW_SPANS`] holding few keys each on average (lines far apart in time), so that the
    /// tables' own size never dwarfs their keys in all.
    width: Nanos,
    keys: usize,
    /// Random bits from the host, hashed into every key: lines made to collide, as one event or
    /// in a table, cannot be crafted in advance.
    seed: u64,
}

/// The keys of the lines of one span of time.
#[derive(Default)]
struct Span {
    /// The line's hash in the low 96 bits, the id of the event kept above them.
    with_uid: HashTable<u128>,
    /// How many times each file holds a line, and the most any file does.
    without_uid: HashTable<Held>,
}

/// How many times `file` holds the line of hash `line` (96 bits); with [`MOST`] for the file,
/// the most times any file holds it. 20 bytes: a table of these is the memory old logs cost.
#[derive(Clone, Copy)]
struct Held {
    line: [u32; 3],
    file: u32,
    times: u32,
}

const HOUR: Nanos = 3_600_000_000_000;
/// Lines without a readable time share a span of their own.
const UNTIMED: i64 = i64::MIN;
/// Below this many spans their size does not matter.
const FEW_SPANS: usize = 4096;
/// Spans are widened when they hold fewer keys than this on average.
const MIN_KEYS_PER_SPAN: usize = 16;
const LOW_96: u128 = (1 << 96) - 1;
/// In place of a file: the most times one file holds the line.
const MOST: u32 = u32::MAX;

impl Dedup {
    pub(crate) fn with_seed(seed: u64) -> Self {
        let spans = hashbrown::HashMap::with_hasher(FixedState::with_seed(seed));
        Dedup { spans, width: HOUR, keys: 0, seed: seed | 1 }
    }

    /// Whether the event of `line` (at `time`, read from `line` alone) in `file` was read
    /// already; if not, it is remembered.
    #[cfg(test)]
    pub(crate) fn is_duplicate(&mut self, uid: Option<&str>, time: Option<Nanos>, line: &[u8], file: FileId) -> bool {
        self.seen(LineKey::new(self.seed, uid, line), time, file, 0).is_some()
    }

    /// The seed keys must be made with (see [`LineKey::new`]).
    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }

    /// Whether the event of `key` (at `time`, read from its line alone) in `file` was read
    /// already: `Some`, with the id of the event kept for it if it has a uid. If not, it is
    /// remembered as the event `id`.
    pub(crate) fn seen(&mut self, key: LineKey, time: Option<Nanos>, file: FileId, id: u32) -> Option<Option<u32>> {
        let (slot, held_slot) = (self.slot(), self.held_slot());
        let span = self.spans.entry(time.map_or(UNTIMED, |t| t.div_euclid(self.width))).or_default();
        let duplicate = if key.with_uid {
            let line = key.hash & LOW_96;
            let found =
                first_or_insert(&mut span.with_uid, line | (u128::from(id) << 96), |k| *k & LOW_96 == line, slot);
            found.map(|kept| Some((kept >> 96) as u32))
        } else {
            let line = [key.hash as u32, (key.hash >> 32) as u32, (key.hash >> 64) as u32];
            let held = counter(&mut span.without_uid, line, file, held_slot);
            *held += 1;
            let held = *held;
            let most = counter(&mut span.without_uid, line, MOST, held_slot);
            let duplicate = held <= *most;
            *most = (*most).max(held);
            duplicate.then_some(None)
        };
        if duplicate.is_none() {
            self.keys += 1;
            if self.spans.len() > FEW_SPANS && self.spans.len() * MIN_KEYS_PER_SPAN > self.keys {
                self.widen();
            }
        }
        duplicate
    }

    /// Where a key goes in a table. The keys are XXH3 hashes already: one multiply of their
    /// low bits (native in wasm too) by an odd seed spreads them.
    fn slot(&self) -> impl Fn(&u128) -> u64 + Copy {
        let seed = self.seed;
        move |key: &u128| (*key as u64).wrapping_mul(seed).rotate_left(29)
    }

    /// Where a [`Held`] goes: its line's low bits and its file (or [`MOST`]), so that the
    /// counts of a line held by many files do not all start at one place.
    fn held_slot(&self) -> impl Fn(&Held) -> u64 + Copy {
        let seed = self.seed;
        move |h: &Held| {
            let low = u64::from(h.line[0]) | u64::from(h.line[1]) << 32;
            (low ^ u64::from(h.file).wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(seed).rotate_left(29)
        }
    }

    /// Doubles the width of the spans, merging each pair of neighbours.
    fn widen(&mut self) {
        self.width = self.width.saturating_mul(2);
        let (slot, held_slot) = (self.slot(), self.held_slot());
        let mut merged = hashbrown::HashMap::with_hasher(self.spans.hasher().clone());
        for (at, span) in std::mem::take(&mut self.spans) {
            let into: &mut Span = merged.entry(if at == UNTIMED { UNTIMED } else { at.div_euclid(2) }).or_default();
            // The same line has the same time: no key is in both halves.
            for key in span.with_uid {
                into.with_uid.insert_unique(slot(&key), key, slot);
            }
            for held in span.without_uid {
                into.without_uid.insert_unique(held_slot(&held), held, held_slot);
            }
        }
        self.spans = merged;
    }
}

impl Default for Dedup {
    /// Scrambled by a seed of this process (on wasm it derives only from addresses: hosts
    /// should give one, see [`crate::model::Model::with_seed`]).
    fn default() -> Self {
        use std::hash::BuildHasher;
        Dedup::with_seed(foldhash::fast::RandomState::default().hash_one(0x5eed_u64))
    }
}

/// The entry of `table` that is `same` as `key`, if any; if none, `key` is put in (its low bits
/// place it, as they do the entry found).
fn first_or_insert(
    table: &mut HashTable<u128>,
    key: u128,
    same: impl Fn(&u128) -> bool,
    slot: impl Fn(&u128) -> u64 + Copy,
) -> Option<u128> {
    match table.entry(slot(&key), same, slot) {
        hashbrown::hash_table::Entry::Occupied(first) => Some(*first.get()),
        hashbrown::hash_table::Entry::Vacant(v) => {
            v.insert(key);
            None
        }
    }
}

/// The count of `line` in `file` in `table`, made 0 if it had none.
fn counter(table: &mut HashTable<Held>, line: [u32; 3], file: u32, slot: impl Fn(&Held) -> u64 + Copy) -> &mut u32 {
    let new = Held { line, file, times: 0 };
    let entry = table.entry(slot(&new), |h| h.line == line && h.file == file, slot);
    &mut entry.or_insert(new).into_mut().times
}

/// What an event is known by: its `uid` (if any) and its exact line, hashed. It depends on the
/// line alone, so that the thread that parses it can make it for the one that keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct LineKey {
    with_uid: bool,
    hash: u128,
}

impl LineKey {
    /// With the seed of the [`Dedup`] that is to fold it ([`Dedup::seed`]).
    pub(crate) fn new(seed: u64, uid: Option<&str>, line: &[u8]) -> Self {
        use xxhash_rust::xxh3::{xxh3_128_with_seed, xxh3_64_with_seed};
        let uid = uid.filter(|u| !u.is_empty());
        let hash = xxh3_128_with_seed(line, xxh3_64_with_seed(uid.unwrap_or("").as_bytes(), seed));
        LineKey { with_uid: uid.is_some(), hash }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_again_is_a_duplicate_by_uid_or_across_files() {
        let mut d = Dedup::with_seed(7);
        let t = Some(5 * HOUR);
        assert!(!d.is_duplicate(Some("u1"), t, b"{\"a\":1}", 0));
        assert!(d.is_duplicate(Some("u1"), t, b"{\"a\":1}", 1), "same uid and line, another file");
        assert!(d.is_duplicate(Some("u1"), t, b"{\"a\":1}", 0), "same uid and line, same file");
        assert!(!d.is_duplicate(Some("u2"), t, b"{\"a\":1}", 0), "another uid");
        assert!(!d.is_duplicate(Some("u1"), t, b"{\"a\":2}", 0), "another line");
        assert!(!d.is_duplicate(None, t, b"{\"b\":1}", 3));
        assert!(!d.is_duplicate(None, t, b"{\"b\":1}", 3), "without uid, twice in one file: two events");
        assert!(d.is_duplicate(None, t, b"{\"b\":1}", 4), "without uid, in another file: read twice");
        assert!(!d.is_duplicate(Some(""), t, b"{\"c\":1}", 4), "an empty uid is no uid");
        assert!(d.is_duplicate(None, t, b"{\"c\":1}", 5));
        // Files past 16 bits keep their number whole.
        assert!(!d.is_duplicate(None, None, b"{\"d\":1}", 70_000));
        assert!(!d.is_duplicate(None, None, b"{\"d\":1}", 70_000));
        assert!(d.is_duplicate(None, None, b"{\"d\":1}", 4_464), "untimed lines too");
        for t in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX] {
            let line = format!("{{\"t\":{t}}}").into_bytes();
            assert!(!d.is_duplicate(None, Some(t), &line, 1), "time {t}");
            assert!(d.is_duplicate(None, Some(t), &line, 2), "time {t}");
            assert!(!d.is_duplicate(Some("u"), Some(t), &line, 1), "time {t}");
            assert!(d.is_duplicate(Some("u"), Some(t), &line, 1), "time {t}");
        }
    }

    /// Against plain maps of every line ever read: lines of six files, read interleaved,
    /// in their own hours and straying into each other's, repeated within a file and across
    /// files, with and without uids and times; dense enough at first, then so sparse in time
    /// that the spans are widened many times. A line with a uid answers with the id it was
    /// first given, however often the spans were merged since.
    #[test]
    fn folds_exactly_what_one_map_of_every_line_would() {
        let mut d = Dedup::with_seed(99);
        // Lines with a uid: the id kept for each; without: how often each file held each, and
        // the most any did.
        let mut kept_id: std::collections::HashMap<Vec<u8>, u32> = Default::default();
        let mut held: std::collections::HashMap<(Vec<u8>, FileId), u32> = Default::default();
        let mut most: std::collections::HashMap<Vec<u8>, u32> = Default::default();
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        };
        let (mut folded, mut kept) = (0, 0);
        for i in 0..200_000u64 {
            let file = next(6) as FileId;
            // Hours on both sides of the epoch, so that merging spans below zero is tried.
            let hour = if i < 100_000 {
                if next(10) == 0 {
                    next(12) as i64 - 6
                } else {
                    i64::from(file) * 2 + next(2) as i64 - 6
                }
            } else {
                next(1 << 16) as i64 - (1 << 15)
            };
            let time = (next(30) != 0).then_some(hour * HOUR + 17 - next(2) as i64 * 34);
            let uid = ["a", "b", "c"][next(3) as usize];
            let with_uid = next(2) == 0;
            let n = if i < 100_000 { next(400) } else { next(4) };
            let line = format!("{{\"h\":{hour},\"t\":{time:?},\"n\":{n}}}").into_bytes();
            let line = if with_uid { format!("{uid}{}", String::from_utf8_lossy(&line)).into_bytes() } else { line };
            let id = i as u32;
            let expected = if with_uid {
                match kept_id.entry(line.clone()) {
                    std::collections::hash_map::Entry::Occupied(kept) => Some(Some(*kept.get())),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(id);
                        None
                    }
                }
            } else {
                let held = held.entry((line.clone(), file)).or_insert(0);
                *held += 1;
                let most = most.entry(line.clone()).or_insert(0);
                let duplicate = *held <= *most;
                *most = (*most).max(*held);
                duplicate.then_some(None)
            };
            let key = LineKey::new(d.seed, with_uid.then_some("u"), &line);
            assert_eq!(d.seen(key, time, file, id), expected, "line {i}: {}", String::from_utf8_lossy(&line));
            if expected.is_some() {
                folded += 1;
            } else {
                kept += 1;
            }
        }
        assert!(folded > 10_000 && kept > 10_000, "both cases were tried: {folded} folded, {kept} kept");
        assert!(d.width >= 4 * HOUR, "sparse lines widened the spans: {} h", d.width / HOUR);
        assert!(d.spans.len() * 4 < d.keys, "{} spans for {} keys", d.spans.len(), d.keys);
    }
}
