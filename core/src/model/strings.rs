//! Interned strings: every user, node, address, type… is stored once and referred to by a
//! [`Sym`], which keeps rows small and turns filters into integer comparisons.

use foldhash::fast::FixedState;
use hashbrown::HashTable;
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

/// Each string is stored once; the table holds only symbols and finds them by hash.
pub struct Strings {
    table: HashTable<Sym>,
    all: Vec<Box<str>>,
    hasher: FixedState,
}

impl Default for Strings {
    fn default() -> Self {
        Strings { table: HashTable::new(), all: vec!["".into()], hasher: FixedState::with_seed(0x5157_7a1d) }
    }
}

impl Strings {
    pub fn intern(&mut self, s: &str) -> Sym {
        if s.is_empty() {
            return Sym::NONE;
        }
        let hash = self.hasher.hash_one(s);
        let all = &self.all;
        if let Some(&sym) = self.table.find(hash, |&sym| &*all[sym.index()] == s) {
            return sym;
        }
        let sym = Sym(self.all.len() as u32);
        self.all.push(s.into());
        let (all, hasher) = (&self.all, &self.hasher);
        self.table.insert_unique(hash, sym, |&sym| hasher.hash_one(&*all[sym.index()]));
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
        let all = &self.all;
        self.table.find(self.hasher.hash_one(s), |&sym| &*all[sym.index()] == s).copied()
    }

    pub fn get(&self, sym: Sym) -> &str {
        self.all.get(sym.index()).map_or("", |s| s)
    }

    pub fn len(&self) -> usize {
        self.all.len()
    }

    pub fn is_empty(&self) -> bool {
        self.all.len() <= 1
    }

    /// Every symbol with its string, for dictionary scans by queries.
    pub fn iter(&self) -> impl Iterator<Item = (Sym, &str)> {
        self.all.iter().enumerate().skip(1).map(|(i, s)| (Sym(i as u32), &**s))
    }

    /// A rank for each symbol in string order, so that sorting by a column sorts by text.
    pub fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.all.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.all[a as usize].cmp(&self.all[b as usize]));
        let mut rank = vec![0u32; order.len()];
        for (r, &sym) in order.iter().enumerate() {
            rank[sym as usize] = r as u32;
        }
        rank
    }
}
