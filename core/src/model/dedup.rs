//! Folding events read twice: the same files added again, a copy, overlapping exports.
//!
//! An event is known by its `uid` and its exact line, hashed together into 128 bits (XXH3), so
//! that an accidental collision, which would hide an event, is practically impossible. Old
//! Teleport (2.x and before) writes no `uid`: there the same line twice in one file may be two
//! events (the same failed login twice in a second), while in two files it is one event read
//! twice; so each such line is kept with the file it was first read in. Such lines are only
//! looked up in a table where two files meet: in an hour of time that more than one file has
//! lines in (the same line has the same time). Elsewhere, which is nearly always, a file's
//! lines are only listed, in case another file comes to share their hour.

use crate::problem::FileId;
use crate::time::Nanos;
use hashbrown::HashTable;

/// The keys of the events kept so far.
pub(crate) struct Dedup {
    with_uid: HashTable<u128>,
    /// Lines without a uid, in the hours two files share: the line's hash in the low 96 bits,
    /// the file it was first read in above them.
    without_uid: HashTable<u128>,
    /// By hour (of the lines' time; untimed lines have an hour of their own): the file that
    /// alone has lines without a uid in it, and their keys; or `None` once two files share it
    /// (its keys are then in `without_uid`). Looking every line up in one big table cost
    /// 5 % of the load of a gigabyte in wasm, most of it waiting on memory.
    hours: foldhash::HashMap<i64, Option<(FileId, Vec<u128>)>>,
    /// Scrambles the keys into table positions; random bits from the host, so that lines made
    /// to collide in the table cannot be crafted in advance.
    seed: u64,
}

const LOW_96: u128 = (1 << 96) - 1;

impl Dedup {
    pub(crate) fn with_seed(seed: u64) -> Self {
        Dedup { with_uid: HashTable::new(), without_uid: HashTable::new(), hours: Default::default(), seed: seed | 1 }
    }

    /// Whether the event of `line` (at `time`) in `file` was read already; if not, it is
    /// remembered.
    pub(crate) fn is_duplicate(&mut self, uid: Option<&str>, time: Option<Nanos>, line: &[u8], file: FileId) -> bool {
        let seed = self.seed;
        // The keys are XXH3 hashes already: one multiply of their low bits (native in wasm
        // too) by an odd seed spreads them over the table.
        let slot = move |key: &u128| (*key as u64).wrapping_mul(seed).rotate_left(29);
        match uid.filter(|u| !u.is_empty()) {
            Some(uid) => {
                let key = line_key(uid, line);
                match self.with_uid.entry(slot(&key), |k| *k == key, slot) {
                    hashbrown::hash_table::Entry::Occupied(_) => true,
                    hashbrown::hash_table::Entry::Vacant(v) => {
                        v.insert(key);
                        false
                    }
                }
            }
            None => {
                let key = line_key("", line) & LOW_96;
                let hour = time.map_or(i64::MIN, |t| t.div_euclid(NANOS_PER_HOUR));
                match self.hours.entry(hour).or_insert_with(|| Some((file, Vec::new()))) {
                    Some((alone, keys)) if *alone == file => {
                        keys.push(key);
                        return false;
                    }
                    shared => {
                        // Another file's lines meet this one's in this hour: from now on they are
                        // looked up.
                        if let Some((first, keys)) = shared.take() {
                            let file_bits = u128::from(first) << 96;
                            for k in keys {
                                self.without_uid.insert_unique(slot(&k), k | file_bits, slot);
                            }
                        }
                    }
                }
                match self.without_uid.entry(slot(&key), |k| *k & LOW_96 == key, slot) {
                    hashbrown::hash_table::Entry::Occupied(first) => (*first.get() >> 96) as FileId != file,
                    hashbrown::hash_table::Entry::Vacant(v) => {
                        v.insert(key | (u128::from(file) << 96));
                        false
                    }
                }
            }
        }
    }
}

const NANOS_PER_HOUR: i64 = 3_600_000_000_000;

impl Default for Dedup {
    /// Scrambled by a seed of this process (on wasm it derives only from addresses: hosts
    /// should give one, see [`crate::model::Model::with_seed`]).
    fn default() -> Self {
        use std::hash::BuildHasher;
        Dedup::with_seed(foldhash::fast::RandomState::default().hash_one(0x5eed_u64))
    }
}

fn line_key(uid: &str, line: &[u8]) -> u128 {
    use xxhash_rust::xxh3::{xxh3_128_with_seed, xxh3_64};
    xxh3_128_with_seed(line, xxh3_64(uid.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Nanos = NANOS_PER_HOUR;

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
    }

    /// The hour gate against a plain table of every line without a uid and its first file:
    /// files of lines in overlapping hours, read interleaved, some lines repeated in a file
    /// and across files.
    #[test]
    fn the_hour_gate_folds_exactly_what_one_table_would() {
        let mut d = Dedup::with_seed(99);
        let mut first_file: std::collections::HashMap<Vec<u8>, FileId> = Default::default();
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        };
        let (mut folded, mut kept) = (0, 0);
        for _ in 0..60_000 {
            let file = next(6) as FileId;
            // Each file mostly keeps to its own hours, and sometimes strays into another's.
            let hour = if next(10) == 0 { next(12) } else { u64::from(file) * 2 + next(2) };
            let time = (next(30) != 0).then_some(hour as Nanos * HOUR + 17);
            let line = format!("{{\"h\":{hour},\"t\":{time:?},\"n\":{}}}", next(400)).into_bytes();
            let expected = *first_file.entry(line.clone()).or_insert(file) != file;
            assert_eq!(d.is_duplicate(None, time, &line, file), expected, "{}", String::from_utf8_lossy(&line));
            if expected {
                folded += 1
            } else {
                kept += 1
            }
        }
        assert!(folded > 1000 && kept > 1000, "both cases were tried: {folded} folded, {kept} kept");
    }
}
