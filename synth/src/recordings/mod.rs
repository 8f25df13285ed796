//! Session recordings for a selection of the demo's sessions, each in the generation its
//! Teleport version wrote, at that version's place, and agreeing with the audit log (sid, user,
//! node, start, size, resizes, joins and enhanced events at the same instants).
//!
//! - [`stream`]: the log's view of a session → the recording's events and identity;
//! - [`tty`], [`bash`], [`programs`], [`logs`], [`fullscreen`]: what the terminal shows;
//! - [`acts`], [`stories`]: sessions as timed acts; [`write`]: the files, damaged or not.
//!
//! Which sessions get recordings is the table `WANTED` below (a dozen or so, not all: the demo
//! stays small); [`DemoRecording::summary`] is what `synth demo` prints about each, so tests and
//! people can find them by label.

pub mod acts;
pub mod bash;
pub mod fullscreen;
pub mod logs;
pub mod programs;
pub mod stories;
pub mod stream;
pub mod tty;
pub mod write;

use crate::demo::DemoEra;
use crate::json::uuid_string;
use crate::layout::OutFile;
use crate::rng::Rng;
use crate::scenario::SessionSketch;
use crate::timefmt::{civil_from_days, Nanos, DAY, MINUTE, SECOND};
use crate::version::Version;
use acts::{play, Act, Ending};
use bash::{Bash, Os};
use review_recording::encode;
use stream::logged_time;
use tty::Tty;
pub use write::Damage;

/// One recording in the demo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoRecording {
    /// What it shows (`compromise`, `showcase`, `encrypted`, …): stable names for tests.
    pub label: &'static str,
    /// The era's directory.
    pub era: String,
    pub sid: String,
    pub user: String,
    pub login: String,
    pub node: String,
    pub generation: u8,
    /// Its files, relative to the output directory.
    pub paths: Vec<String>,
    pub start: Nanos,
    /// From the start to the end (or, if it never ended, the last output).
    pub length: Nanos,
    pub damage: Damage,
}

impl DemoRecording {
    pub fn summary(&self) -> String {
        let secs = self.length / SECOND;
        let damage = match self.damage {
            Damage::None => "",
            Damage::Encrypted => ", encrypted",
            Damage::Truncated => ", truncated",
        };
        format!(
            "{} {} {}@{} by {}: gen {}{damage}, {}:{:02}, {}",
            self.label,
            self.sid,
            self.login,
            self.node,
            self.user,
            self.generation,
            secs / 60,
            secs % 60,
            self.paths.join(" + ")
        )
    }
}

/// What is on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Story {
    /// The logged commands with their output (and, on nodes without enhanced recording, the
    /// colleague who joined typing `w`).
    Everyday,
    Compromise,
    Showcase,
}

struct Wanted {
    label: &'static str,
    version: Version,
    story: Story,
    damage: Damage,
    /// The first session of the era that matches (and has no recording yet) gets it.
    find: fn(&SessionSketch) -> bool,
}

fn ended(s: &SessionSketch) -> bool {
    s.end.is_some()
}

fn length(s: &SessionSketch) -> Nanos {
    s.end.map_or(0, |e| e - s.start)
}

/// A resize logged at least `after` into the session.
fn resized_after(s: &SessionSketch, after: Nanos) -> bool {
    s.stream.iter().any(|e| e.kind == crate::event::Kind::Resize && e.time - s.start >= after)
}

const WANTED: &[Wanted] = &[
    Wanted {
        label: "gen1-joined",
        version: Version::V2_3,
        story: Story::Everyday,
        damage: Damage::None,
        find: |s| ended(s) && s.joiner.is_some(),
    },
    Wanted {
        label: "gen1-resized",
        version: Version::V2_3,
        story: Story::Everyday,
        damage: Damage::None,
        find: |s| ended(s) && resized_after(s, 5 * SECOND) && length(s) < 10 * MINUTE,
    },
    Wanted {
        label: "gen2-joined",
        version: Version::V4_0,
        story: Story::Everyday,
        damage: Damage::None,
        find: |s| ended(s) && s.joiner.is_some(),
    },
    Wanted {
        label: "gen2-resized",
        version: Version::V4_0,
        story: Story::Everyday,
        damage: Damage::None,
        find: |s| ended(s) && resized_after(s, 60 * SECOND) && length(s) < 10 * MINUTE,
    },
    Wanted {
        label: "gen3-enhanced",
        version: Version::V6_2,
        story: Story::Everyday,
        damage: Damage::None,
        find: |s| ended(s) && s.enhanced && s.commands.len() >= 3 && length(s) < 5 * MINUTE,
    },
    Wanted {
        label: "gen3-joined",
        version: Version::V6_2,
        story: Story::Everyday,
        damage: Damage::None,
        find: |s| ended(s) && s.joiner.is_some(),
    },
    Wanted {
        label: "truncated",
        version: Version::V6_2,
        story: Story::Everyday,
        damage: Damage::Truncated,
        // The node died: the session never ended, and its upload stopped mid-part.
        find: |s| !ended(s) && !s.commands.is_empty(),
    },
    Wanted {
        label: "compromise",
        version: Version::V15,
        story: Story::Compromise,
        damage: Damage::None,
        find: |s| s.user == "dave" && s.hostname == "web-02" && s.commands.iter().any(|c| c.1.contains("base64 -d")),
    },
    Wanted {
        label: "root-after-hours",
        version: Version::V15,
        story: Story::Everyday,
        damage: Damage::None,
        find: |s| {
            s.user == "frank@acme.io"
                && s.login == "root"
                && s.hostname == "db-primary-01"
                && s.commands.iter().any(|c| c.1.contains("pg_stat_activity"))
        },
    },
    Wanted {
        label: "showcase",
        version: Version::V15,
        story: Story::Showcase,
        damage: Damage::None,
        find: |s| {
            ended(s)
                && !s.enhanced
                && s.joiner.is_none()
                && (10 * MINUTE..40 * MINUTE).contains(&length(s))
                && resized_after(s, 5 * MINUTE)
        },
    },
    Wanted {
        label: "joined",
        version: Version::V15,
        story: Story::Everyday,
        damage: Damage::None,
        find: |s| ended(s) && s.joiner.is_some(),
    },
    Wanted {
        label: "long-hostname",
        version: Version::V15,
        story: Story::Everyday,
        damage: Damage::None,
        find: |s| ended(s) && s.hostname.len() >= 300,
    },
    Wanted {
        label: "encrypted",
        version: Version::V15,
        story: Story::Everyday,
        damage: Damage::Encrypted,
        find: |s| ended(s) && s.user == "judy@acme.io",
    },
];

/// The recordings of the demo: their files and what each is.
pub fn build(eras: &[DemoEra], rng: &Rng) -> (Vec<OutFile>, Vec<DemoRecording>) {
    let mut files = Vec::new();
    let mut list: Vec<DemoRecording> = Vec::new();
    for (i, wanted) in WANTED.iter().enumerate() {
        let Some(era) = eras.iter().find(|e| e.version == wanted.version) else { continue };
        let taken = |s: &SessionSketch| list.iter().any(|r| r.sid == uuid_string(s.sid));
        let Some(sketch) = era.sessions.iter().find(|s| (wanted.find)(s) && !taken(s)) else { continue };
        let (mut written, recording) = record(era, sketch, wanted, rng.fork(i as u64));
        files.append(&mut written);
        list.push(recording);
    }
    (files, list)
}

/// Plays one session on a terminal and writes it as its era's recording.
fn record(era: &DemoEra, sketch: &SessionSketch, wanted: &Wanted, rng: Rng) -> (Vec<OutFile>, DemoRecording) {
    let events = stream::logged_events(sketch);
    let start = logged_time(sketch.start);
    let resizes = events
        .iter()
        .filter_map(|(t, e)| match e {
            encode::Event::Resize { cols, rows } => Some((*t, *cols, *rows)),
            _ => None,
        })
        .collect();
    let mut tty = Tty::new(start, sketch.size, resizes, rng);
    let year = civil_from_days(start.div_euclid(DAY)).0;
    let mut bash = Bash::new(&sketch.login, &sketch.hostname, Os::of(year, &sketch.login));
    let commands: Vec<(Nanos, String)> = sketch.commands.iter().map(|(t, c)| (logged_time(*t), c.clone())).collect();
    let acts = match wanted.story {
        Story::Everyday => everyday(sketch, &commands, &events),
        Story::Compromise => {
            let denied = events.iter().find(|(_, e)| matches!(e, encode::Event::Network { denied: true, .. }));
            stories::compromise(&commands, denied.map(|d| d.0))
        }
        Story::Showcase => {
            let mid_resize = events
                .iter()
                .find(|(t, e)| matches!(e, encode::Event::Resize { .. }) && *t - start >= 5 * MINUTE)
                .map(|r| r.0);
            let mut acts = acts::commands(&commands);
            acts.extend(stories::showcase(start, mid_resize));
            acts
        }
    };
    let session = stream::identity(sketch, era.version, &era.cluster_name);
    let client = session.addr_remote.rsplit_once(':').map_or("", |a| a.0).to_owned();
    let left = stream::owner_left(sketch);
    let ending = left.map_or(Ending::Crash, |left| Ending::Exit { left });
    play(&mut tty, &mut bash, &client, acts, ending);
    let mut prints = tty.into_prints();
    if let Some(left) = left {
        prints.retain(|p| p.0 < left);
    }
    let last_print = prints.last().map_or(start, |p| p.0);
    let session = stream::assemble(session, events, prints);
    let (generation, files) = write::files(&session, era.version, &era.recordings_dir, wanted.damage);
    let recording = DemoRecording {
        label: wanted.label,
        era: era.root.clone(),
        sid: uuid_string(sketch.sid),
        user: sketch.user.clone(),
        login: sketch.login.clone(),
        node: sketch.hostname.clone(),
        generation,
        paths: files.iter().map(|f| f.path.clone()).collect(),
        start,
        length: sketch.end.map_or(last_print, logged_time) - start,
        damage: wanted.damage,
    };
    (files, recording)
}

/// The logged commands; a colleague who joined types `w` (where that starts nothing logged).
fn everyday(sketch: &SessionSketch, commands: &[(Nanos, String)], events: &[(Nanos, encode::Event)]) -> Vec<Act> {
    let mut acts = acts::commands(commands);
    let joined = events.iter().find(|(_, e)| matches!(e, encode::Event::Join { .. })).map(|j| j.0);
    if let (Some(at), false) = (joined, sketch.enhanced) {
        acts.push(stories::joiner_looks(at));
    }
    acts
}
