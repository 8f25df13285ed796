//! The app's built-in demo data set: one organisation ("acme") across four Teleport
//! generations, with planted incidents, a few hostile strings, and session recordings.
//! Deterministic (fixed seed).
//!
//! | directory | version | what it shows | recordings |
//! |---|---|---|---|
//! | `acme-2017-teleport-2.3/` | 2.3 | top-level day files with nearest-midnight names, sorted keys, no uid/code, `"success":"false"` strings | gen 1 in `sessions/default/` |
//! | `acme-2019-teleport-4.0-ha/<auth-a>/`, `<auth-b>/` | 4.0 | two HA auth servers, a quarter of events in both (same uid, same line), first code table | gen 2 in `<auth-a>/sessions/default/` |
//! | `acme-2021-teleport-6.2/<auth>/` | 6.2 | proto key order, `ei` everywhere, `cluster_name`, kube and database access | ProtoStream in `records/`, one cut short |
//! | `acme-2024-teleport-15/<auth>/` | 15 | the planted incidents, unmodelled event types, one rotated file gzipped as two members | ProtoStream in `records/`, one encrypted |
//!
//! Planted incidents are listed by [`DemoSet::planted`] (see [`crate::scenario::incidents`]);
//! session recordings, in each era's generation and place, by [`DemoSet::recordings`] (see
//! [`crate::recordings`]).
//! Hostile strings appear only here: the web-login user name `<img src=x onerror=alert(1)>`,
//! an SSH login starting with the ANSI escapes `ESC[2J ESC[31m`, and a 300-character hostname.

use crate::era::{Era, EraOutput};
use crate::layout::{gzip, GzPolicy, HaPolicy, OutFile, Stats};
use crate::recordings::{self, DemoRecording};
use crate::rng::Rng;
use crate::scenario::incidents::{self, Planted};
use crate::scenario::org::Org;
use crate::scenario::SessionSketch;
use crate::timefmt::days_from_civil;
use crate::version::Version;
use std::path::Path;

pub const DEMO_SEED: u64 = 0x7e1e_2024;

/// The week of the planted incidents: Monday 2024-03-11 to Sunday 2024-03-17.
pub const INCIDENT_WEEK: (i64, u32, u32) = (2024, 3, 11);

/// One era of the demo, with what a recording writer needs.
#[derive(Clone, Debug)]
pub struct DemoEra {
    pub root: String,
    pub version: Version,
    pub stats: Stats,
    /// Interactive sessions in this era's log, with what was typed in them.
    pub sessions: Vec<SessionSketch>,
    pub crashed: Vec<u128>,
    /// Where this version kept session recordings, relative to the output directory.
    pub recordings_dir: String,
    pub cluster_name: String,
}

pub struct DemoSet {
    /// Audit logs and recordings, everything the manifest lists.
    pub files: Vec<OutFile>,
    pub eras: Vec<DemoEra>,
    pub planted: Vec<Planted>,
    /// Which sessions have recordings, and where.
    pub recordings: Vec<DemoRecording>,
}

fn day(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d)
}

fn plus_days(date: (i64, u32, u32), n: i64) -> (i64, u32, u32) {
    crate::timefmt::civil_from_days(day(date.0, date.1, date.2) + n)
}

/// Builds the whole demo set in memory.
pub fn build() -> DemoSet {
    let rng = Rng::new(DEMO_SEED);
    let org = Org::new(DEMO_SEED, 0, 0);
    let all: Vec<usize> = (0..org.users.len()).collect();
    let named = |names: &[&str]| names.iter().map(|n| org.user(n)).collect::<Vec<usize>>();
    let mut auth = rng.fork(0xa0);
    let mut eras = vec![
        Era {
            root: "acme-2017-teleport-2.3".into(),
            version: Version::V2_3,
            cluster_name: "acme".into(),
            first_day: day(2017, 3, 13),
            days: 5,
            auth_servers: vec![auth.uuid()],
            ha: HaPolicy::default(),
            users: named(&["alice", "bob", "dave", "erin", "grace-h", "bot-ci"]),
            intensity: 0.8,
        },
        Era {
            root: "acme-2019-teleport-4.0-ha".into(),
            version: Version::V4_0,
            cluster_name: "acme".into(),
            first_day: day(2019, 6, 10),
            days: 4,
            auth_servers: vec![auth.uuid(), auth.uuid()],
            ha: HaPolicy { copied: 0.25, first_share: 0.6 },
            users: named(&[
                "alice",
                "bob",
                "carol@acme.io",
                "dave",
                "erin",
                "frank@acme.io",
                "grace-h",
                "heidi",
                "ivan-k",
                "bot-ci",
            ]),
            intensity: 0.7,
        },
        Era {
            root: "acme-2021-teleport-6.2".into(),
            version: Version::V6_2,
            cluster_name: "acme-prod".into(),
            first_day: day(2021, 9, 6),
            days: 4,
            auth_servers: vec![auth.uuid()],
            ha: HaPolicy::default(),
            users: all.clone(),
            intensity: 0.6,
        },
    ];
    let modern = Era {
        root: "acme-2024-teleport-15".into(),
        version: Version::V15,
        cluster_name: "teleport.acme.io".into(),
        first_day: day(INCIDENT_WEEK.0, INCIDENT_WEEK.1, INCIDENT_WEEK.2),
        days: 7,
        auth_servers: vec![auth.uuid()],
        ha: HaPolicy::default(),
        users: all,
        intensity: 0.6,
    };

    let mut set = DemoSet { files: Vec::new(), eras: Vec::new(), planted: Vec::new(), recordings: Vec::new() };
    for (i, era) in eras.drain(..).enumerate() {
        let out = era.run(&org, &rng.fork(i as u64), GzPolicy::NONE, |_| Vec::new());
        set.push(&era, out);
    }

    // 2024: a machine with a 300-character hostname joins, and the incidents happen.
    let mut org2024 = org.clone();
    let long_name = long_hostname();
    let long_node = org2024.add_node(&mut rng.fork(0x300), long_name, "build", false);
    let mut out = modern.run(&org2024, &rng.fork(3), GzPolicy::NONE, |sim| {
        let week = INCIDENT_WEEK;
        vec![
            incidents::hostile_strings(sim, week, long_node),
            incidents::node_hopping(sim, plus_days(week, 1)),
            incidents::brute_force(sim, plus_days(week, 2)),
            incidents::new_address(sim, plus_days(week, 3)),
            incidents::unmodelled(sim, plus_days(week, 4)),
            incidents::root_after_hours(sim, plus_days(week, 5)),
        ]
    });
    gzip_one(&mut out, "2024-03-12.00:00:00.log", 2);
    set.push(&modern, out);

    add_recordings(&mut set, &rng.fork(0x7ec));
    set
}

/// A 300-character machine name, the kind autoscaling groups produce.
fn long_hostname() -> String {
    const DOMAIN: &str = ".runners.build.acme.internal";
    let mut name = String::from("ci-runner");
    let mut pool = 0;
    while name.len() < 300 - DOMAIN.len() {
        name.push_str(&format!("-ephemeral-pool-{pool}"));
        pool += 1;
    }
    name.truncate(300 - DOMAIN.len());
    name.push_str(DOMAIN);
    name
}

/// Replaces one file of an era by its gzip (`members` gzip members), renaming it `.gz`.
fn gzip_one(out: &mut EraOutput, name: &str, members: usize) {
    if let Some(f) = out.files.iter_mut().find(|f| f.path.ends_with(name)) {
        let before = f.bytes.len() as u64;
        f.bytes = gzip(&f.bytes, members);
        f.path.push_str(".gz");
        out.stats.bytes = out.stats.bytes - before + f.bytes.len() as u64;
    }
}

/// Recordings of a selection of sessions (see [`crate::recordings`]), after the logs, so the
/// manifest lists them too.
fn add_recordings(set: &mut DemoSet, rng: &Rng) {
    let (mut files, list) = recordings::build(&set.eras, rng);
    set.files.append(&mut files);
    set.recordings = list;
}

impl DemoSet {
    fn push(&mut self, era: &Era, out: EraOutput) {
        let recordings_dir = recordings_dir(era);
        self.files.extend(out.files);
        self.planted.extend(out.planted);
        self.eras.push(DemoEra {
            root: era.root.clone(),
            version: era.version,
            stats: out.stats,
            sessions: out.sessions,
            crashed: out.crashed,
            recordings_dir,
            cluster_name: era.cluster_name.clone(),
        });
    }

    /// True for the files of a recording (everything else is an audit log).
    pub fn is_recording(&self, path: &str) -> bool {
        self.recordings.iter().any(|r| r.paths.iter().any(|p| p == path))
    }

    /// The audit log files only.
    pub fn log_files(&self) -> Vec<OutFile> {
        self.files.iter().filter(|f| !self.is_recording(&f.path)).cloned().collect()
    }

    /// Totals over all eras.
    pub fn stats(&self) -> Stats {
        let mut total = Stats::default();
        for era in &self.eras {
            total.add(&era.stats);
        }
        total
    }

    /// `{"files":[{"path":"…","size":N},…]}`, every file, paths relative to the output directory.
    pub fn manifest_json(&self) -> String {
        manifest_json(&self.files)
    }

    /// Writes every file and `manifest.json` under `dir`.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        for f in &self.files {
            let path = dir.join(&f.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, &f.bytes)?;
        }
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("manifest.json"), self.manifest_json())
    }
}

fn recordings_dir(era: &Era) -> String {
    let v = era.version;
    if v >= Version::V4_4 {
        format!("{}/records", era.root)
    } else if v.per_auth_server_dirs() {
        format!("{}/{}/sessions/default", era.root, crate::json::uuid_string(era.auth_servers[0]))
    } else {
        format!("{}/sessions/default", era.root)
    }
}

/// The manifest of a set of files.
pub fn manifest_json(files: &[OutFile]) -> String {
    let list: Vec<serde_json::Value> =
        files.iter().map(|f| serde_json::json!({ "path": f.path, "size": f.bytes.len() })).collect();
    let mut out = serde_json::to_string(&serde_json::json!({ "files": list })).expect("plain JSON");
    out.push('\n');
    out
}
