//! Files are named and placed as each version did (format reference §2.1–2.2).

mod common;

use common::{sample_era, text_of, Line};
use synth::layout::{file_window, gzip_members};
use synth::timefmt::{days_from_civil, Nanos};
use synth::Version;

fn parse_time(t: &str) -> Nanos {
    let day = days_from_civil(t[0..4].parse().unwrap(), t[5..7].parse().unwrap(), t[8..10].parse().unwrap());
    let secs: i64 = t[11..13].parse::<i64>().unwrap() * 3600
        + t[14..16].parse::<i64>().unwrap() * 60
        + t[17..19].parse::<i64>().unwrap();
    day * 86_400_000_000_000 + secs * 1_000_000_000
}

/// `dir/2017-02-03.00:00:00.log[.gz]` → the day number of its name.
fn name_day(path: &str) -> i64 {
    let name = path.rsplit('/').next().unwrap();
    assert!(name.ends_with(".00:00:00.log") || name.ends_with(".00:00:00.log.gz"), "{path}");
    days_from_civil(name[0..4].parse().unwrap(), name[5..7].parse().unwrap(), name[8..10].parse().unwrap())
}

#[test]
fn day_files_hold_their_window() {
    for v in Version::SUPPORTED {
        let out = sample_era(v);
        for f in &out.files {
            let day = name_day(&f.path);
            let (from, to) = file_window(v, day);
            for line in text_of(f).lines().map(Line::parse) {
                let t = parse_time(line.str("time").unwrap());
                assert!((from..to).contains(&t), "{v}: {} holds {}", f.path, line.str("time").unwrap());
            }
        }
    }
}

#[test]
fn nearest_midnight_names_before_3_1_6() {
    // The file named D holds D-1 12:00 → D 12:00 UTC before 3.1.6; the UTC day after.
    let d = days_from_civil(2017, 2, 3);
    let noon_before = parse_time("2017-02-02T12:00:00Z");
    assert_eq!(file_window(Version::V3_1, d), (noon_before, noon_before + 86_400_000_000_000));
    assert_eq!(file_window(Version::V3_2, d).0, parse_time("2017-02-03T00:00:00Z"));
    // In generated data the afternoon before a name's day really is in that file.
    let out = sample_era(Version::V2_3);
    let afternoon = out
        .files
        .iter()
        .flat_map(|f| text_of(f).lines().map(|l| (f.path.clone(), Line::parse(l))).collect::<Vec<_>>())
        .find(|(_, l)| l.str("time").is_some_and(|t| &t[11..13] >= "13"))
        .expect("an event after 13:00 UTC");
    let t = parse_time(afternoon.1.str("time").unwrap());
    assert_eq!(name_day(&afternoon.0), t.div_euclid(86_400_000_000_000) + 1, "{}", afternoon.0);
}

#[test]
fn per_auth_server_directories_from_2_5() {
    for v in Version::SUPPORTED {
        let out = sample_era(v);
        let root = format!("v{v}");
        let mut dirs: Vec<String> = out.files.iter().map(|f| f.path.rsplit_once('/').unwrap().0.to_owned()).collect();
        dirs.sort();
        dirs.dedup();
        if v.per_auth_server_dirs() {
            assert_eq!(dirs.len(), 2, "{v}: two auth servers: {dirs:?}");
            for d in &dirs {
                let uuid = d.strip_prefix(&format!("{root}/")).unwrap();
                assert_eq!(uuid.len(), 36, "{d}");
            }
        } else {
            assert_eq!(dirs, [root], "{v}: files at the top of the log directory");
        }
    }
}

#[test]
fn ha_copies_are_identical_lines_in_both_directories() {
    let out = sample_era(Version::V4_0);
    let mut by_uid: std::collections::HashMap<String, Vec<(String, String)>> = Default::default();
    for f in &out.files {
        let dir = f.path.rsplit_once('/').unwrap().0.to_owned();
        for l in text_of(f).lines() {
            let uid = Line::parse(l).str("uid").unwrap().to_owned();
            by_uid.entry(uid).or_default().push((dir.clone(), l.to_owned()));
        }
    }
    let copies: Vec<_> = by_uid.values().filter(|v| v.len() > 1).collect();
    assert_eq!(copies.len() as u64, out.stats.duplicates());
    assert!(!copies.is_empty());
    for c in copies {
        assert_eq!(c.len(), 2);
        assert_ne!(c[0].0, c[1].0, "a copy is in the other server's directory");
        assert_eq!(c[0].1, c[1].1, "copies are byte-identical");
    }
}

#[test]
fn rotated_files_are_gzipped_some_with_several_members_never_the_current_one() {
    let out = sample_era(Version::V4_3);
    let gz: Vec<_> = out.files.iter().filter(|f| f.path.ends_with(".gz")).collect();
    assert!(!gz.is_empty());
    assert!(gz.iter().any(|f| gzip_members(&f.bytes) > 1), "some have several members");
    let last = out.files.iter().map(|f| name_day(&f.path)).max().unwrap();
    assert!(gz.iter().all(|f| name_day(&f.path) < last), "the current file is plain");
}

#[test]
fn lines_are_only_roughly_in_time_order() {
    let out = sample_era(Version::V4_0);
    let mut out_of_order = 0;
    let mut total = 0;
    for f in &out.files {
        let times: Vec<Nanos> = text_of(f).lines().map(|l| parse_time(Line::parse(l).str("time").unwrap())).collect();
        total += times.len();
        out_of_order += times.windows(2).filter(|w| w[1] < w[0]).count();
    }
    assert!(out_of_order > 0, "some lines were appended late");
    assert!(out_of_order * 20 < total, "but most are in order: {out_of_order} of {total}");
}
