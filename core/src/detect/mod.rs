//! Detections: the alerts of a SIEM, run locally over the loaded model.
//!
//! [`run`] applies every enabled rule (see [`RULES`]) and returns [`Finding`]s, each with a
//! severity, a one-line explanation naming who/what/when, and the exact events behind it.
//! Rules read the indexed columns of the model; the few that need more (command lines of
//! `session.command`/`exec`, `session.network` actions, access-request ids, and `ei` when
//! asked for) read the raw lines of just those events through the `raw` accessor
//! ([`raw_needed`] lists them beforehand), and skip events whose lines cannot be had (counted
//! in an `info` finding). Every rule is a linear pass or a sort-based sliding window: no rule
//! is quadratic in the events of one user or address.
//!
//! Baselines ("not routine for this user", "not their usual hours", "not an address they go on
//! to use") look at the whole loaded data set, before and after the event: this is a review of
//! what happened, not a live alarm.

mod access;
mod brute;
mod ctx;
mod enhanced;
mod fail_success;
mod fields;
mod finding;
mod gaps;
mod hours;
mod joins;
mod new_address;
mod nodes;
mod off_hours;
mod privileged;
mod session_ei;
mod settings;
mod watch;
mod window;

pub use finding::{most_severe_first, Finding, Severity, MAX_NAMES};
pub use settings::{
    BruteForce, FailureThenSuccess, LogGap, NewAddress, NodeSpread, Privileged, SessionIntegrity, Settings, Watch,
    WorkingHours,
};

use crate::model::{EventId, Model};
use ctx::{Ctx, Prepared};
use serde::Serialize;

/// A rule as the UI lists it.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RuleInfo {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
}

pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        id: brute::RULE,
        title: "Brute force",
        description: "Many failed logins for one user or from one address within minutes; high when a success follows.",
    },
    RuleInfo {
        id: fail_success::RULE,
        title: "Failures, then success",
        description: "A successful login right after failed ones for the same user or from the same address.",
    },
    RuleInfo {
        id: new_address::RULE,
        title: "New address",
        description: "A user with a login history logs in from an address never seen for them, and not used again on another day.",
    },
    RuleInfo {
        id: privileged::RULE,
        title: "Privileged login",
        description: "Sessions as root/administrator that are not routine for the user or at an unusual hour; repeated denied attempts.",
    },
    RuleInfo {
        id: off_hours::RULE,
        title: "Outside working hours",
        description: "Sessions outside the working hours and well outside the user's own usual hours.",
    },
    RuleInfo {
        id: nodes::RULE,
        title: "Many nodes",
        description: "One user reaching many distinct nodes within minutes.",
    },
    RuleInfo {
        id: joins::RULE,
        title: "Session joined",
        description: "A user joins a session another user opened.",
    },
    RuleInfo {
        id: access::RULE,
        title: "Self-approved access request",
        description: "An access request approved by the person who created it.",
    },
    RuleInfo {
        id: enhanced::NETWORK,
        title: "Network connection denied",
        description: "Enhanced session recording denied a network connection (session.network action DENIED).",
    },
    RuleInfo {
        id: enhanced::COMMAND,
        title: "Watched command",
        description: "Commands (enhanced recording, exec) matching the watch list: downloaders, reverse shells, decoding, history clearing.",
    },
    RuleInfo {
        id: gaps::RULE,
        title: "Gap in the log",
        description: "No events for much longer than the log's usual hourly rhythm explains (possible deleted logs).",
    },
    RuleInfo {
        id: session_ei::RULE,
        title: "Session integrity",
        description: "Sessions missing their start or end, or with contradictory event indexes (ei).",
    },
];

/// The id of the `info` finding that says some raw lines could not be read.
pub const INCOMPLETE: &str = "detections-incomplete";

/// Findings and the work done (inner-loop steps), for tests that bound it.
pub struct Run {
    pub findings: Vec<Finding>,
    pub steps: u64,
}

/// Event types whose original lines the rules read (fields the model does not index). The
/// loader keeps these lines in memory even when other lines are read back from their files, so
/// that detections need no file reads.
pub fn reads_raw(event: &str) -> bool {
    matches!(
        event,
        "exec"
            | "session.command"
            | "session.network"
            | "access_request.create"
            | "access_request.update"
            | "access_request.review"
    )
}

/// Runs every enabled rule. `raw` gives an event's line (natively
/// `&|id| model.kept_raw(id).map(<[u8]>::to_vec)`; the browser worker reads lines back from
/// files). Findings come sorted by time, then rule.
pub fn run(model: &Model, raw: &dyn Fn(EventId) -> Option<Vec<u8>>, settings: &Settings) -> Vec<Finding> {
    run_counted(model, raw, settings).findings
}

/// The events whose lines [`run`] will ask `raw` for with these settings, in id order. A host
/// that reads lines back from files can fetch them in one sequential pass first and answer
/// `raw` from memory.
pub fn raw_needed(model: &Model, settings: &Settings) -> Vec<EventId> {
    let wanted = std::cell::RefCell::new(Vec::new());
    let record = |id: EventId| {
        wanted.borrow_mut().push(id);
        None
    };
    let prepared = Prepared::new(model);
    let cx = Ctx::new(model, &record, settings, &prepared);
    let on = |rule: &str| settings.enabled(rule);
    let mut ignored = Vec::new();
    if on(access::RULE) {
        access::run(&cx, &mut ignored);
    }
    if on(enhanced::NETWORK) {
        enhanced::network(&cx, &mut ignored);
    }
    if on(enhanced::COMMAND) {
        enhanced::commands(&cx, &mut ignored);
    }
    if on(session_ei::RULE) && settings.session_integrity.check_ei {
        session_ei::run(&cx, &mut ignored);
    }
    let mut ids = wanted.into_inner();
    ids.sort_unstable();
    ids.dedup();
    ids
}

pub fn run_counted(model: &Model, raw: &dyn Fn(EventId) -> Option<Vec<u8>>, settings: &Settings) -> Run {
    let mut detection = Detection::new(model, settings.clone());
    loop {
        if let Some(run) = detection.step(model, raw) {
            return run;
        }
    }
}

/// The rules in the order a run applies them; some use what an earlier one found.
#[derive(Clone, Copy)]
enum Step {
    Brute,
    FailSuccess,
    NewAddress,
    Profiles,
    Privileged,
    OffHours,
    Nodes,
    Joins,
    Access,
    Network,
    Commands,
    Gaps,
    SessionEi,
}

const STEPS: [Step; 13] = [
    Step::Brute,
    Step::FailSuccess,
    Step::NewAddress,
    Step::Profiles,
    Step::Privileged,
    Step::OffHours,
    Step::Nodes,
    Step::Joins,
    Step::Access,
    Step::Network,
    Step::Commands,
    Step::Gaps,
    Step::SessionEi,
];

/// A detection run, one rule per [`Detection::step`], so that a host can answer other requests
/// between rules (at 3 M events the whole run takes seconds in a browser, its longest rule a
/// fraction of that). Every step must be given the model the run began with, unchanged
/// ([`Detection::is_for`] tells).
pub struct Detection {
    settings: Settings,
    prepared: Prepared,
    clock: hours::Clock,
    version: [u64; 5],
    next: usize,
    out: Vec<Finding>,
    /// Attempts the brute-force rule reported (the failure-then-success rule leaves them out).
    reported: foldhash::HashSet<EventId>,
    profiles: Option<hours::Profiles>,
}

impl Detection {
    pub fn new(model: &Model, settings: Settings) -> Self {
        let clock = hours::Clock::new(&settings.working_hours);
        Detection {
            prepared: Prepared::new(model),
            clock,
            settings,
            version: model.version(),
            next: 0,
            out: Vec::new(),
            reported: Default::default(),
            profiles: None,
        }
    }

    /// Whether `model` is still the one the run began with.
    pub fn is_for(&self, model: &Model) -> bool {
        model.version() == self.version
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Applies the next enabled rule; after the last, the findings, sorted by time, then rule.
    pub fn step(&mut self, model: &Model, raw: &dyn Fn(EventId) -> Option<Vec<u8>>) -> Option<Run> {
        let cx = Ctx::new(model, raw, &self.settings, &self.prepared);
        let on = |rule: &str| self.settings.enabled(rule);
        let out = &mut self.out;
        while let Some(&step) = STEPS.get(self.next) {
            self.next += 1;
            let ran = match step {
                Step::Brute => on(brute::RULE).then(|| self.reported = brute::run(&cx, out)),
                Step::FailSuccess => on(fail_success::RULE).then(|| fail_success::run(&cx, &self.reported, out)),
                Step::NewAddress => on(new_address::RULE).then(|| new_address::run(&cx, out)),
                Step::Profiles => (on(privileged::RULE) || on(off_hours::RULE))
                    .then(|| self.profiles = Some(hours::Profiles::build(&cx, &self.clock))),
                Step::Privileged => self
                    .profiles
                    .as_ref()
                    .filter(|_| on(privileged::RULE))
                    .map(|p| privileged::run(&cx, &self.clock, p, out)),
                Step::OffHours => self
                    .profiles
                    .as_ref()
                    .filter(|_| on(off_hours::RULE))
                    .map(|p| off_hours::run(&cx, &self.clock, p, out)),
                Step::Nodes => on(nodes::RULE).then(|| nodes::run(&cx, out)),
                Step::Joins => on(joins::RULE).then(|| joins::run(&cx, out)),
                Step::Access => on(access::RULE).then(|| access::run(&cx, out)),
                Step::Network => on(enhanced::NETWORK).then(|| enhanced::network(&cx, out)),
                Step::Commands => on(enhanced::COMMAND).then(|| enhanced::commands(&cx, out)),
                Step::Gaps => on(gaps::RULE).then(|| gaps::run(&cx, &self.clock, out)),
                Step::SessionEi => on(session_ei::RULE).then(|| session_ei::run(&cx, out)),
            };
            if ran.is_some() {
                return None;
            }
        }
        let missing = self.prepared.unreadable();
        let mut findings = std::mem::take(out);
        if missing > 0 {
            findings.push(cx.finding(
                INCOMPLETE,
                Severity::Info,
                "Some events could not be examined".into(),
                format!(
                    "The lines of {missing} events (commands, network actions, access requests, session indexes) \
                     could not be read, so the rules that need them skipped those events."
                ),
                Vec::new(),
            ));
        }
        findings.sort_by(|a, b| {
            (a.time_start.unwrap_or(i64::MAX), &a.rule, &a.title, a.events.first()).cmp(&(
                b.time_start.unwrap_or(i64::MAX),
                &b.rule,
                &b.title,
                b.events.first(),
            ))
        });
        Some(Run { findings, steps: self.prepared.steps() })
    }
}
