//! Interned strings: every user, node, address, type… is stored once and referred to by a
//! [`Sym`], which keeps rows small and turns filters into integer comparisons.

use foldhash::fast::FixedState;
use hashbrown::HashTable;
use std::cell::RefCell;
use std::hash::BuildHasher;

/// An interned string. `Sym::NONE` (0) stands for an absent value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Sym(pub u32);

impl Sym {
    pub const NONE: Sym = Sym(0);

    pub fn is_none(self) -> bool {
        self.0 == 0
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Each string is stored once, back to back in one text (few allocations, and free-text
/// search runs through it in one pass); the table holds only symbols and finds them by hash.
pub struct Strings {
    table: HashTable<Sym>,
    text: String,
    /// Where each string ends in `text` (`Sym(i)` spans `ends[i - 1]..ends[i]`; `ends[0]` is
    /// the empty string's).
    ends: Vec<usize>,
    /// The strings with non-ASCII characters, which free text lowercases the Unicode way.
    non_ascii: Vec<Sym>,
    /// `text` with ASCII letters lowercased, made on the first free-text search and brought
    /// up to date by the next: so that a search is one `memmem` over it, where searching
    /// `text` for both cases stops at every byte that could begin a match.
    lowercase: RefCell<Vec<u8>>,
    hasher: FixedState,
}

impl Default for Strings {
    fn default() -> Self {
        Strings {
            table: HashTable::new(),
            text: String::new(),
            ends: vec![0],
            non_ascii: Vec::new(),
            lowercase: RefCell::default(),
            hasher: FixedState::with_seed(0x5157_7a1d),
        }
    }
}

impl Strings {
    pub fn intern(&mut self, s: &str) -> Sym {
        if s.is_empty() {
            return Sym::NONE;
        }
        let hash = self.hasher.hash_one(s);
        if let Some(&sym) = self.table.find(hash, |&sym| same_bytes(self.bytes(sym), s.as_bytes())) {
            return sym;
        }
        let sym = Sym(self.ends.len() as u32);
        self.text.push_str(s);
        self.ends.push(self.text.len());
        if !s.is_ascii() {
            self.non_ascii.push(sym);
        }
        let (text, ends, hasher) = (&self.text, &self.ends, &self.hasher);
        self.table.insert_unique(hash, sym, |&sym| hasher.hash_one(span(text, ends, sym)));
        sym
    }

    pub fn intern_opt(&mut self, s: Option<&str>) -> Sym {
        s.map_or(Sym::NONE, |s| self.intern(s))
    }

    /// The symbol of `s` if it was ever interned.
    pub fn lookup(&self, s: &str) -> Option<Sym> {
        if s.is_empty() {
            return Some(Sym::NONE);
        }
        self.table.find(self.hasher.hash_one(s), |&sym| same_bytes(self.bytes(sym), s.as_bytes())).copied()
    }

    pub fn get(&self, sym: Sym) -> &str {
        span(&self.text, &self.ends, sym)
    }

    /// The bytes of `sym`, a symbol the table holds (not `Sym::NONE`): for comparing without
    /// the character-boundary checks that slicing a `str` makes.
    fn bytes(&self, sym: Sym) -> &[u8] {
        let i = sym.index();
        &self.text.as_bytes()[self.ends[i - 1]..self.ends[i]]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.len() <= 1
    }

    /// Every symbol with its string, for dictionary scans by queries.
    pub fn iter(&self) -> impl Iterator<Item = (Sym, &str)> {
        (1..self.ends.len()).map(|i| (Sym(i as u32), self.get(Sym(i as u32))))
    }

    /// Brings the lowercase copy [`Strings::each_containing`] searches up to date.
    pub fn prepare_search(&self) {
        let mut lowercase = self.lowercase.borrow_mut();
        let done = lowercase.len();
        // Exact: doubling would hold up to a copy's worth of unused memory for good.
        lowercase.reserve_exact(self.text.len() - done);
        lowercase.extend(self.text.as_bytes()[done..].iter().map(u8::to_ascii_lowercase));
    }

    /// Calls `found` for each string containing `needle` (given in lowercase), ignoring case
    /// as `str::to_lowercase` does (a non-ASCII string may be reported twice). An ASCII needle
    /// is searched for through all the text at once, lowercased; the few non-ASCII strings are
    /// then lowercased one by one. Returns false, finding nothing, for a needle that is not
    /// ASCII.
    pub fn each_containing(&self, needle: &str, mut found: impl FnMut(Sym)) -> bool {
        let n = needle.as_bytes();
        if n.is_empty() || !needle.is_ascii() {
            return false;
        }
        self.prepare_search();
        let lowercase = self.lowercase.borrow();
        let (hay, ends) = (&lowercase[..], &self.ends);
        let finder = memchr::memmem::Finder::new(n);
        // `sym` is the string holding byte `at`; both only move forward.
        let (mut at, mut sym) = (0, 1);
        while let Some(i) = finder.find(&hay[at..]).map(|i| at + i) {
            sym += ends[sym..].partition_point(|&end| end <= i);
            if i + n.len() <= ends[sym] {
                found(Sym(sym as u32));
                // One find per string: go on from the next string.
                at = ends[sym];
            } else {
                at = i + 1;
            }
        }
        for &sym in &self.non_ascii {
            if self.get(sym).to_lowercase().contains(needle) {
                found(sym);
            }
        }
        true
    }

    /// A rank for each of `syms` in string order, from 1 (other symbols, and `Sym::NONE`, rank
    /// 0), so that sorting by a column sorts by text: only the values the column holds are
    /// sorted, not every string loaded.
    pub fn ranks_of(&self, syms: impl IntoIterator<Item = Sym>) -> Vec<u32> {
        let mut order: Vec<Sym> = syms.into_iter().filter(|s| !s.is_none() && s.index() < self.len()).collect();
        order.sort_unstable();
        order.dedup();
        order.sort_unstable_by(|&a, &b| self.get(a).cmp(self.get(b)));
        let mut rank = vec![0u32; self.len()];
        for (r, sym) in order.iter().enumerate() {
            rank[sym.index()] = r as u32 + 1;
        }
        rank
    }
}

/// Whether `a` and `b` hold the same bytes, compared 8 at a time: in wasm a slice comparison
/// calls a `memcmp` that goes byte by byte (interning compares every value it finds).
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().unwrap_or_default());
    (&mut x).zip(&mut y).all(|(p, q)| word(p) == word(q)) && x.remainder().iter().eq(y.remainder())
}

/// The text of `sym` (empty for `Sym::NONE` and unknown symbols).
fn span<'a>(text: &'a str, ends: &[usize], sym: Sym) -> &'a str {
    let i = sym.index();
    match (i.checked_sub(1).and_then(|p| ends.get(p)), ends.get(i)) {
        (Some(&start), Some(&end)) => &text[start..end],
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-at-a-time comparison agrees with `==` at every length and difference.
    #[test]
    fn same_bytes_is_slice_equality() {
        let base: Vec<u8> = (0..40u8).collect();
        for len in 0..base.len() {
            let a = &base[..len];
            assert!(same_bytes(a, a));
            assert!(!same_bytes(a, &base[..len + 1]));
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] ^= 0x80;
                assert!(!same_bytes(a, &b), "{len} {at}");
            }
        }
    }

    /// The one-pass search finds exactly the strings a lowercase `contains` finds, including
    /// at string edges, across case, and in non-ASCII strings, and never across two strings.
    #[test]
    fn search_through_all_strings_agrees_with_lowercase_contains() {
        let mut strings = Strings::default();
        let values = [
            "root",
            "ROOT",
            "xroot",
            "ro",
            "ot",
            "rooT@host",
            "Ünïcode ROOT",
            "KELVIN \u{212A}",
            "İstanbul",
            "sessions",
            "session.start",
            "Session",
            "a",
            "bc",
            "abc",
            "x",
        ];
        // Searched after half the strings and again after all: the lowercase copy made by
        // the first search must take in the strings interned since.
        for half in values.chunks(values.len() / 2) {
            for v in half {
                strings.intern(v);
            }
            for needle in ["root", "ro", "oot", "ses", "session.", "k", "i", "abc", "ab", "bca", "x", "t", "q"] {
                let mut found = vec![false; strings.len()];
                assert!(strings.each_containing(needle, |sym| found[sym.index()] = true));
                for (sym, s) in strings.iter() {
                    let expected = s.to_lowercase().contains(needle);
                    assert_eq!(found[sym.index()], expected, "{needle:?} in {s:?}");
                }
            }
        }
        assert!(!strings.each_containing("ünï", |_| {}), "a non-ASCII needle is left to the caller");
        assert!(!strings.each_containing("", |_| {}));
    }
}
