//! Big mixed-version audit log sets for benchmarks: every supported version gets a share of the
//! requested size, as a cluster of its own with an organisation scaled to fill about two weeks.
//! Days are simulated and rendered in parallel and merged in order, so the bytes depend only
//! on the options, never on the number of threads.

use crate::era::Era;
use crate::layout::{GzPolicy, HaPolicy, LogDir, OutFile, Pending, Stats};
use crate::rng::Rng;
use crate::scenario::day::simulate_day;
use crate::scenario::org::Org;
use crate::scenario::Sim;
use crate::timefmt::days_from_civil;
use crate::version::Version;

#[derive(Clone, Debug)]
pub struct BulkOptions {
    /// Wanted total size on disk, in bytes.
    pub size: u64,
    pub seed: u64,
    /// Share of rotated day files that are gzipped.
    pub gz_fraction: f64,
    /// Worker threads (the output does not depend on it).
    pub threads: usize,
}

impl Default for BulkOptions {
    fn default() -> Self {
        BulkOptions { size: 100 << 20, seed: 1, gz_fraction: 0.1, threads: default_threads() }
    }
}

pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What was generated.
#[derive(Clone, Debug, Default)]
pub struct BulkReport {
    pub stats: Stats,
    /// Sessions that started and never ended.
    pub crashed: u64,
    pub eras: Vec<(String, Version, Stats)>,
}

/// One version's cluster in a bulk set.
struct ClusterPlan {
    root: &'static str,
    version: Version,
    /// First day simulated (a Monday).
    start: (i64, u32, u32),
    auth_servers: usize,
    /// Share of the total bytes, in ‰.
    share: u64,
}

const fn plan(
    root: &'static str,
    version: Version,
    start: (i64, u32, u32),
    auth_servers: usize,
    share: u64,
) -> ClusterPlan {
    ClusterPlan { root, version, start, auth_servers, share }
}

const PLAN: [ClusterPlan; 13] = [
    plan("teleport-1.3-2016", Version::V1_3, (2016, 6, 6), 1, 30),
    plan("teleport-2.3-2017", Version::V2_3, (2017, 3, 6), 1, 40),
    plan("teleport-2.7-2018", Version::V2_7, (2018, 5, 7), 1, 50),
    plan("teleport-3.1-2019", Version::V3_1, (2019, 1, 7), 1, 50),
    plan("teleport-3.2.4-2019", Version::V3_2, (2019, 4, 1), 1, 50),
    plan("teleport-4.0-ha-2019", Version::V4_0, (2019, 9, 2), 2, 120),
    plan("teleport-4.2-2020", Version::V4_2, (2020, 2, 3), 1, 50),
    plan("teleport-4.3-2020", Version::V4_3, (2020, 6, 1), 1, 60),
    plan("teleport-4.4-2020", Version::V4_4, (2020, 11, 2), 1, 60),
    plan("teleport-6.2-2021", Version::V6_2, (2021, 9, 6), 1, 100),
    plan("teleport-10-2022", Version::V10, (2022, 8, 1), 1, 120),
    plan("teleport-15-2024", Version::V15, (2024, 3, 4), 1, 150),
    plan("teleport-17-2025", Version::V17, (2025, 2, 3), 1, 120),
];

/// Days each cluster should span when its organisation is scaled to its share.
const DAYS_TARGET: u64 = 14;

/// Generates about `opts.size` bytes of audit logs, handing each finished file to `sink`.
/// `sink` runs on a thread of its own.
pub fn generate(
    opts: &BulkOptions,
    sink: &mut (dyn FnMut(OutFile) -> std::io::Result<()> + Send),
) -> std::io::Result<BulkReport> {
    let root = Rng::new(opts.seed);
    // Gzipped files shrink about eightfold: render more so that the disk size is as asked.
    let inflate = 1.0 / (1.0 - 0.88 * opts.gz_fraction.clamp(0.0, 1.0));
    let budgets: Vec<u64> =
        PLAN.iter().map(|p| (opts.size as f64 * p.share as f64 / 1000.0 * inflate) as u64).collect();

    // Size the organisation: a pilot day per version says how many bytes a person makes.
    let cast = Org::new(opts.seed, 0, 0);
    let cast_users: Vec<usize> = (0..cast.users.len()).collect();
    let mut wanted_users = Vec::with_capacity(PLAN.len());
    for (i, p) in PLAN.iter().enumerate() {
        let first = days_from_civil(p.start.0, p.start.1, p.start.2);
        let era = era(p, first, cast_users.clone(), &root);
        let mut dir = era.log_dir();
        let mut sim = Sim::new(&cast, p.version, root.fork(0x9000 + i as u64));
        sim.keep_sketches = false;
        for d in 0..7 {
            simulate_day(&mut sim, first + d, &cast_users, 1.0);
        }
        dir.write_events(&sim.events, &mut root.fork(0x9100));
        let per_user_day = (dir.rendered / 7 / cast_users.len() as u64).max(1);
        let users = budgets[i] / DAYS_TARGET / per_user_day;
        wanted_users.push((users as usize).clamp(cast_users.len(), 5000));
    }
    let most = *wanted_users.iter().max().unwrap_or(&cast_users.len());
    let org = Org::new(opts.seed, most - cast_users.len(), most / 3);

    // Compressing and writing happen on a thread of their own, overlapping generation.
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Pending)>(8);
        let writer = scope.spawn(move || -> std::io::Result<Vec<(u64, u64)>> {
            let mut per_era = vec![(0u64, 0u64); PLAN.len()];
            for (era, pending) in rx {
                let file = pending.finish();
                per_era[era].0 += 1;
                per_era[era].1 += file.bytes.len() as u64;
                sink(file)?;
            }
            Ok(per_era)
        });
        let mut report = BulkReport::default();
        let mut generated = Ok(());
        for (i, p) in PLAN.iter().enumerate() {
            let first = days_from_civil(p.start.0, p.start.1, p.start.2);
            let era = era(p, first, (0..wanted_users[i]).collect(), &root);
            let era_rng = root.fork(i as u64);
            let gz = GzPolicy { fraction: opts.gz_fraction, multi_member: 0.3 };
            let send = |pending: Pending| tx.send((i, pending)).is_ok();
            match run_era(&org, &era, &era_rng, budgets[i], gz, opts.threads.max(1), send) {
                Some((stats, crashed)) => {
                    report.stats.add(&stats);
                    report.crashed += crashed;
                    report.eras.push((era.root.clone(), era.version, stats));
                }
                None => {
                    generated = Err(());
                    break;
                }
            }
        }
        drop(tx);
        let per_era = writer.join().expect("writer thread panicked")?;
        generated.map_err(|()| std::io::Error::other("the writer stopped"))?;
        for (i, (_, _, stats)) in report.eras.iter_mut().enumerate() {
            (stats.files, stats.bytes) = per_era[i];
            report.stats.files += per_era[i].0;
            report.stats.bytes += per_era[i].1;
        }
        Ok(report)
    })
}

fn era(p: &ClusterPlan, first_day: i64, users: Vec<usize>, root: &Rng) -> Era {
    let mut ids = root.fork(0xa11 + first_day as u64);
    Era {
        root: p.root.to_owned(),
        version: p.version,
        cluster_name: format!("acme-{}", p.root.rsplit('-').next().unwrap_or("prod")),
        first_day,
        days: DAYS_TARGET as i64,
        auth_servers: (0..p.auth_servers).map(|_| ids.uuid()).collect(),
        ha: HaPolicy::default(),
        users,
        intensity: 1.0,
    }
}

/// Simulates days of one era until its byte budget is spent, rendering days in parallel and
/// appending them in order; finished files go to `send` as soon as no later day can touch
/// them. Returns the era's event and line counts and its crashed sessions, or `None` when
/// `send` refused a file.
fn run_era(
    org: &Org,
    era: &Era,
    rng: &Rng,
    budget: u64,
    gz: GzPolicy,
    threads: usize,
    send: impl Fn(Pending) -> bool,
) -> Option<(Stats, u64)> {
    let mut dir = era.log_dir();
    let mut files_rng = rng.fork(0xf11e);
    let mut crashed = 0;
    let mut day = era.first_day;
    'days: loop {
        let batch: Vec<i64> = (day..day + threads as i64).collect();
        let rendered: Vec<(LogDir, u64)> = std::thread::scope(|scope| {
            let handles: Vec<_> = batch.iter().map(|&d| scope.spawn(move || render_day(org, era, rng, d))).collect();
            handles.into_iter().map(|h| h.join().expect("day worker panicked")).collect()
        });
        for (part, part_crashed) in rendered {
            dir.append(part);
            crashed += part_crashed;
            // A day's events reach at most one file before and one after its own.
            for f in dir.take_pending(Some(day - 1), gz, &mut files_rng) {
                if !send(f) {
                    return None;
                }
            }
            day += 1;
            if dir.rendered >= budget {
                break 'days;
            }
        }
    }
    for f in dir.take_pending(None, gz, &mut files_rng) {
        if !send(f) {
            return None;
        }
    }
    Some((dir.stats, crashed))
}

/// One day of one era, simulated and rendered on its own.
fn render_day(org: &Org, era: &Era, rng: &Rng, day: i64) -> (LogDir, u64) {
    let day_rng = rng.fork(day as u64);
    let mut sim = Sim::new(org, era.version, day_rng.fork(1));
    sim.keep_sketches = false;
    simulate_day(&mut sim, day, &era.users, era.intensity);
    let mut dir = era.log_dir();
    dir.write_events(&sim.events, &mut day_rng.fork(2));
    (dir, sim.crashed.len() as u64)
}

/// `100MB`, `1GB`, `512KiB`, `5000000` → bytes (decimal and binary units).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    Some((number * factor as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("100MB"), Some(100_000_000));
        assert_eq!(parse_size("1GB"), Some(1_000_000_000));
        assert_eq!(parse_size("5MiB"), Some(5 << 20));
        assert_eq!(parse_size("1.5kb"), Some(1500));
        assert_eq!(parse_size("42"), Some(42));
        assert_eq!(parse_size("12 parsecs"), None);
    }
}
