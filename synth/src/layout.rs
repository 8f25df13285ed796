//! Audit log directories as Teleport laid them out (format reference §2.1–2.2): one file per
//! day named `YYYY-MM-DD.00:00:00.log` (nearest-midnight names before 3.1.6), one directory per
//! auth server from 2.5, HA auth servers each writing the same event into their own directory,
//! rotated files optionally gzipped (some as several gzip members), lines only roughly in time
//! order.

use crate::event::Event;
use crate::json::uuid_string;
use crate::render::LineWriter;
use crate::rng::Rng;
use crate::timefmt::{log_file_name, Nanos, DAY, MILLI};
use crate::version::Version;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The day a version named the file holding an event at `t` after: the nearest UTC midnight
/// before 3.1.6 (so the file named D holds D-1 12:00 → D 12:00), the UTC day after.
pub fn file_day(v: Version, t: Nanos) -> i64 {
    if v.nearest_midnight_names() {
        (t + DAY / 2).div_euclid(DAY)
    } else {
        t.div_euclid(DAY)
    }
}

/// The times `[from, to)` held by the file named after `day`.
pub fn file_window(v: Version, day: i64) -> (Nanos, Nanos) {
    let start = if v.nearest_midnight_names() { day * DAY - DAY / 2 } else { day * DAY };
    (start, start + DAY)
}

/// A file to write, its path relative to the output directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What was written, for summaries and for tests to compare with what a reader loads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: u64,
    pub bytes: u64,
    /// Distinct events written (an HA copy counts once).
    pub events: u64,
    /// Lines written (every HA copy counts).
    pub lines: u64,
}

impl Stats {
    /// Lines that repeat an event another auth server also wrote (same uid, same bytes).
    pub fn duplicates(&self) -> u64 {
        self.lines - self.events
    }

    pub fn add(&mut self, other: &Stats) {
        self.files += other.files;
        self.bytes += other.bytes;
        self.events += other.events;
        self.lines += other.lines;
    }
}

/// How events are spread over HA auth servers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HaPolicy {
    /// Share of events every auth server writes (identical lines, same uid).
    pub copied: f64,
    /// Share of the other events written by the first server (the rest by the second).
    pub first_share: f64,
}

impl Default for HaPolicy {
    fn default() -> Self {
        HaPolicy { copied: 0.25, first_share: 0.6 }
    }
}

/// How rotated files are compressed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GzPolicy {
    /// Share of rotated (not current) files that are gzipped.
    pub fraction: f64,
    /// Share of gzipped files made of several gzip members (appended compressions).
    pub multi_member: f64,
}

impl GzPolicy {
    pub const NONE: GzPolicy = GzPolicy { fraction: 0.0, multi_member: 0.0 };
}

/// One cluster's audit log directory: where each auth server's day files go, and their bytes.
pub struct LogDir {
    pub writer: LineWriter,
    root: String,
    servers: Vec<u128>,
    ha: HaPolicy,
    /// (server, day) → bytes.
    files: BTreeMap<(usize, i64), Vec<u8>>,
    pub stats: Stats,
    /// Bytes rendered so far (before any compression), every copy counted.
    pub rendered: u64,
    line: Vec<u8>,
}

impl LogDir {
    /// `root` is relative to the output directory; `servers` are the auth servers' host UUIDs
    /// (one for a single auth server; their directories exist from 2.5 on).
    pub fn new(root: &str, writer: LineWriter, servers: Vec<u128>, ha: HaPolicy) -> Self {
        assert!(!servers.is_empty(), "a cluster has at least one auth server");
        assert!(servers.len() == 1 || writer.version.per_auth_server_dirs(), "HA directories exist from 2.5");
        LogDir {
            writer,
            root: root.trim_end_matches('/').to_owned(),
            servers,
            ha,
            files: BTreeMap::new(),
            stats: Stats::default(),
            rendered: 0,
            line: Vec::new(),
        }
    }

    /// The directory an auth server's files go to, relative to the output directory.
    pub fn server_dir(&self, server: usize) -> String {
        if self.writer.version.per_auth_server_dirs() {
            format!("{}/{}", self.root, uuid_string(self.servers[server]))
        } else {
            self.root.clone()
        }
    }

    /// Writes events: in roughly time order (as appended by several processes), each to one
    /// auth server or, for a share of them in HA setups, to all.
    pub fn write_events(&mut self, events: &[Event], rng: &mut Rng) {
        let version = self.writer.version;
        let mut order: Vec<(Nanos, u32)> = events
            .iter()
            .enumerate()
            .map(|(i, ev)| {
                // Nodes forwarded session events in batches (2.5–4.3), and writers interleave.
                let batched = ev.kind.in_session_stream() && version.ei_on_session_events() && version.sorted_keys();
                let delay = if batched && rng.chance(0.3) {
                    rng.range(0, 2000) * MILLI
                } else if rng.chance(0.05) {
                    rng.range(0, 300) * MILLI
                } else {
                    0
                };
                (ev.time + delay, i as u32)
            })
            .collect();
        order.sort_unstable();
        let mut targets = Vec::with_capacity(self.servers.len());
        for (_, i) in order {
            let ev = &events[i as usize];
            targets.clear();
            if self.servers.len() == 1 {
                targets.push(0);
            } else if version.has_uid() && rng.chance(self.ha.copied) {
                // Copies are only recognisable as such by their uid.
                targets.extend(0..self.servers.len());
            } else if rng.chance(self.ha.first_share) {
                targets.push(0);
            } else {
                targets.push(1 + rng.below(self.servers.len() as u64 - 1) as usize);
            }
            self.write(ev, &targets);
        }
    }

    /// Writes one event to the day file of each of `servers`: the same bytes in each.
    pub fn write(&mut self, ev: &Event, servers: &[usize]) -> bool {
        self.line.clear();
        if !self.writer.write(ev, &mut self.line) {
            return false;
        }
        let day = file_day(self.writer.version, ev.time);
        for &s in servers {
            self.files.entry((s, day)).or_default().extend_from_slice(&self.line);
        }
        self.stats.events += 1;
        self.stats.lines += servers.len() as u64;
        self.rendered += (self.line.len() * servers.len()) as u64;
        true
    }

    /// Appends what another writer of the same directory wrote (a later stretch of time
    /// rendered elsewhere): its lines go after the lines already held for each file.
    pub fn append(&mut self, other: LogDir) {
        for (key, bytes) in other.files {
            match self.files.entry(key) {
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(bytes);
                }
                std::collections::btree_map::Entry::Occupied(mut held) => held.get_mut().extend_from_slice(&bytes),
            }
        }
        self.stats.events += other.stats.events;
        self.stats.lines += other.stats.lines;
        self.rendered += other.rendered;
    }

    /// Takes the finished files of days before `day` (all when `None`). Files taken before the
    /// end are rotated ones and may be gzipped; the last file of each server never is.
    pub fn take_files(&mut self, day: Option<i64>, gz: GzPolicy, rng: &mut Rng) -> Vec<OutFile> {
        let files: Vec<OutFile> = self.take_pending(day, gz, rng).into_iter().map(Pending::finish).collect();
        for f in &files {
            self.stats.files += 1;
            self.stats.bytes += f.bytes.len() as u64;
        }
        files
    }

    /// As [`LogDir::take_files`], but leaves the compressing to the caller (to do it on another
    /// thread). The caller counts files and bytes.
    pub fn take_pending(&mut self, day: Option<i64>, gz: GzPolicy, rng: &mut Rng) -> Vec<Pending> {
        let keys: Vec<(usize, i64)> = self.files.keys().copied().filter(|k| day.is_none_or(|d| k.1 < d)).collect();
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let bytes = self.files.remove(&key).expect("listed");
            let is_last = day.is_none() && !self.files.keys().any(|k| k.0 == key.0 && k.1 > key.1);
            let path = format!("{}/{}", self.server_dir(key.0), log_file_name(key.1));
            let gzip_members = if !is_last && rng.chance(gz.fraction) {
                Some(if rng.chance(gz.multi_member) { 2 + rng.below(2) as usize } else { 1 })
            } else {
                None
            };
            out.push(Pending { path, bytes, gzip_members });
        }
        out
    }
}

/// A finished day file, not yet compressed.
#[derive(Clone, Debug)]
pub struct Pending {
    pub path: String,
    pub bytes: Vec<u8>,
    /// Gzip it as this many members (and name it `.gz`).
    pub gzip_members: Option<usize>,
}

impl Pending {
    pub fn finish(self) -> OutFile {
        match self.gzip_members {
            Some(members) => OutFile { path: format!("{}.gz", self.path), bytes: gzip(&self.bytes, members) },
            None => OutFile { path: self.path, bytes: self.bytes },
        }
    }
}

/// Gzip of `bytes` as `members` concatenated gzip members, split at line ends (as when a
/// rotated file was compressed in pieces and appended).
pub fn gzip(bytes: &[u8], members: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 5);
    let mut rest = bytes;
    for m in (1..=members.max(1)).rev() {
        let mut cut = if m == 1 { rest.len() } else { rest.len() / m };
        while cut < rest.len() && cut > 0 && rest[cut - 1] != b'\n' {
            cut += 1;
        }
        let (piece, tail) = rest.split_at(cut);
        let mut enc = GzEncoder::new(Vec::with_capacity(piece.len() / 5 + 64), Compression::fast());
        enc.write_all(piece).expect("in memory");
        out.extend_from_slice(&enc.finish().expect("in memory"));
        rest = tail;
    }
    out
}

/// Counts the gzip members of `bytes` (by decoding them one by one).
pub fn gzip_members(bytes: &[u8]) -> usize {
    let mut rest = bytes;
    let mut members = 0;
    while !rest.is_empty() {
        let mut dec = flate2::bufread::GzDecoder::new(rest);
        if std::io::copy(&mut dec, &mut std::io::sink()).is_err() {
            break;
        }
        members += 1;
        rest = dec.into_inner();
    }
    members
}

/// Every file under `dir` (dot files, such as a set's marker, aside), sorted: a written set
/// read back, as a user would pick it.
pub fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timefmt::utc;

    #[test]
    fn nearest_midnight_before_3_1_6() {
        let v = Version::V2_3;
        assert_eq!(log_file_name(file_day(v, utc(2017, 2, 2, 12, 0, 0))), "2017-02-03.00:00:00.log");
        assert_eq!(log_file_name(file_day(v, utc(2017, 2, 2, 11, 59, 59))), "2017-02-02.00:00:00.log");
        assert_eq!(log_file_name(file_day(v, utc(2017, 2, 3, 11, 59, 59))), "2017-02-03.00:00:00.log");
        let v = Version::V4_0;
        assert_eq!(log_file_name(file_day(v, utc(2019, 2, 2, 23, 59, 59))), "2019-02-02.00:00:00.log");
    }

    #[test]
    fn gzip_members_split_at_lines() {
        let text = b"{\"event\":\"a\"}\n{\"event\":\"b\"}\n{\"event\":\"c\"}\n";
        for members in 1..=3 {
            let gz = gzip(text, members);
            assert_eq!(gzip_members(&gz), members);
            let mut dec = flate2::read::MultiGzDecoder::new(&gz[..]);
            let mut back = Vec::new();
            std::io::Read::read_to_end(&mut dec, &mut back).unwrap();
            assert_eq!(back, text);
        }
    }
}
