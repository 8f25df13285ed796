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
use ctx::Ctx;
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
    let cx = Ctx::new(model, &record, settings);
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
    drop(cx);
    let mut ids = wanted.into_inner();
    ids.sort_unstable();
    ids.dedup();
    ids
}

pub fn run_counted(model: &Model, raw: &dyn Fn(EventId) -> Option<Vec<u8>>, settings: &Settings) -> Run {
    let cx = Ctx::new(model, raw, settings);
    let on = |rule: &str| settings.enabled(rule);
    let mut out = Vec::new();
    let clock = hours::Clock::new(&settings.working_hours);
    let reported = if on(brute::RULE) { brute::run(&cx, &mut out) } else { Default::default() };
    if on(fail_success::RULE) {
        fail_success::run(&cx, &reported, &mut out);
    }
    if on(new_address::RULE) {
        new_address::run(&cx, &mut out);
    }
    if on(privileged::RULE) || on(off_hours::RULE) {
        let profiles = hours::Profiles::build(&cx, &clock);
        if on(privileged::RULE) {
            privileged::run(&cx, &clock, &profiles, &mut out);
        }
        if on(off_hours::RULE) {
            off_hours::run(&cx, &clock, &profiles, &mut out);
        }
    }
    if on(nodes::RULE) {
        nodes::run(&cx, &mut out);
    }
    if on(joins::RULE) {
        joins::run(&cx, &mut out);
    }
    if on(access::RULE) {
        access::run(&cx, &mut out);
    }
    if on(enhanced::NETWORK) {
        enhanced::network(&cx, &mut out);
    }
    if on(enhanced::COMMAND) {
        enhanced::commands(&cx, &mut out);
    }
    if on(gaps::RULE) {
        gaps::run(&cx, &clock, &mut out);
    }
    if on(session_ei::RULE) {
        session_ei::run(&cx, &mut out);
    }
    let missing = cx.unreadable.get();
    if missing > 0 {
        out.push(cx.finding(
            INCOMPLETE,
            Severity::Info,
            "Some events could not be examined".into(),
            format!(
                "The lines of {missing} events (commands, network actions, access requests, session indexes) could \
                 not be read, so the rules that need them skipped those events."
            ),
            Vec::new(),
        ));
    }
    out.sort_by(|a, b| {
        (a.time_start.unwrap_or(i64::MAX), &a.rule, &a.title, a.events.first()).cmp(&(
            b.time_start.unwrap_or(i64::MAX),
            &b.rule,
            &b.title,
            b.events.first(),
        ))
    });
    Run { findings: out, steps: cx.steps() }
}
