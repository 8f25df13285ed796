//! An era: one cluster at one Teleport version over a stretch of days — who was there, how
//! many auth servers wrote the log, where its directory goes.

use crate::layout::{GzPolicy, HaPolicy, LogDir, OutFile, Stats};
use crate::render::LineWriter;
use crate::rng::Rng;
use crate::scenario::day::simulate_day;
use crate::scenario::incidents::Planted;
use crate::scenario::org::Org;
use crate::scenario::{SessionSketch, Sim};
use crate::version::Version;

#[derive(Clone, Debug)]
pub struct Era {
    /// Directory relative to the output directory.
    pub root: String,
    pub version: Version,
    pub cluster_name: String,
    /// Days since 1970-01-01 (UTC) simulated: `first_day .. first_day + days`.
    pub first_day: i64,
    pub days: i64,
    /// Host UUIDs of the auth servers (two or more: HA).
    pub auth_servers: Vec<u128>,
    pub ha: HaPolicy,
    /// Members of the organisation who were around (indexes into [`Org::users`]).
    pub users: Vec<usize>,
    /// How busy people were (1.0 = normal).
    pub intensity: f64,
}

/// What an era produced.
#[derive(Clone, Debug, Default)]
pub struct EraOutput {
    pub files: Vec<OutFile>,
    pub stats: Stats,
    pub sessions: Vec<SessionSketch>,
    /// Sessions that started and never ended.
    pub crashed: Vec<u128>,
    pub planted: Vec<Planted>,
}

impl Era {
    pub fn log_dir(&self) -> LogDir {
        LogDir::new(&self.root, LineWriter::new(self.version, &self.cluster_name), self.auth_servers.clone(), self.ha)
    }

    /// Simulates the whole era in memory, plants what `plant` adds, and lays the files out.
    pub fn run(
        &self,
        org: &Org,
        rng: &Rng,
        gz: GzPolicy,
        plant: impl FnOnce(&mut Sim<'_>) -> Vec<Planted>,
    ) -> EraOutput {
        let mut sim = Sim::new(org, self.version, rng.fork(1));
        for day in self.first_day..self.first_day + self.days {
            simulate_day(&mut sim, day, &self.users, self.intensity);
        }
        let planted = plant(&mut sim);
        let mut dir = self.log_dir();
        dir.write_events(&sim.events, &mut rng.fork(2));
        let files = dir.take_files(None, gz, &mut rng.fork(3));
        EraOutput { files, stats: dir.stats, sessions: sim.sessions, crashed: sim.crashed, planted }
    }
}
