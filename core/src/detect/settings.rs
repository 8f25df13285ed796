//! Thresholds of every rule, editable in the UI. Every field has a default, so a partial JSON
//! object (only what the user changed) deserializes into a complete `Settings`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Rule ids (see [`super::RULES`]) that are switched off.
    pub disabled: Vec<String>,
    pub brute_force: BruteForce,
    pub failure_then_success: FailureThenSuccess,
    pub new_address: NewAddress,
    pub privileged: Privileged,
    pub working_hours: WorkingHours,
    pub node_spread: NodeSpread,
    pub watch: Watch,
    pub log_gap: LogGap,
    pub session_integrity: SessionIntegrity,
}

impl Settings {
    pub fn enabled(&self, rule: &str) -> bool {
        !self.disabled.iter().any(|r| r == rule)
    }
}

/// `brute-force`: many failed logins for one user, or from one address, in a short time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BruteForce {
    pub failures: u32,
    pub window_minutes: u32,
    /// A success for the same user/address this long after the last failure raises the severity.
    pub success_within_minutes: u32,
}

impl Default for BruteForce {
    fn default() -> Self {
        BruteForce { failures: 10, window_minutes: 10, success_within_minutes: 30 }
    }
}

/// `failure-then-success`: a login that succeeds right after failures (same user or address).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FailureThenSuccess {
    /// At least this many failures before the success. One or two mistyped passwords are
    /// everyday traffic (the demo has single ones; bigger generated sets have many pairs).
    pub failures: u32,
    pub window_minutes: u32,
}

impl Default for FailureThenSuccess {
    fn default() -> Self {
        FailureThenSuccess { failures: 3, window_minutes: 10 }
    }
}

/// `new-address`: a user logs in from an address they never used before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewAddress {
    /// Earlier successful logins (from other addresses) the user needs for a baseline: without
    /// it every user's first day would be flagged.
    pub min_history: u32,
    /// An address the user logs in from on this many distinct days became one of their regular
    /// addresses (a new home), and is not flagged.
    pub regular_days: u32,
    /// An address that is a regular address (see `regular_days`) of this many other users is
    /// the organisation's (an office NAT, a VPN), and is not flagged. An attacker's address is
    /// nobody's regular address, however many accounts it reaches.
    pub shared_users: u32,
    /// Failed attempts for the user from that address this long before raise the severity.
    pub failures_within_minutes: u32,
}

impl Default for NewAddress {
    fn default() -> Self {
        NewAddress { min_history: 3, regular_days: 2, shared_users: 2, failures_within_minutes: 30 }
    }
}

/// `privileged-login`: OS logins as root/administrator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Privileged {
    /// OS logins that count as privileged (compared case-insensitively).
    pub logins: Vec<String>,
    /// A user who opened privileged sessions on this many other days does so routinely; their
    /// privileged sessions are reported only at unusual times (see [`WorkingHours`]).
    pub routine_days: u32,
    /// Denied attempts to log in as a privileged login, per user, within the window.
    pub denied_attempts: u32,
    pub denied_window_minutes: u32,
}

impl Default for Privileged {
    fn default() -> Self {
        Privileged {
            logins: ["root", "toor", "admin", "administrator"].map(String::from).to_vec(),
            routine_days: 3,
            denied_attempts: 3,
            denied_window_minutes: 60,
        }
    }
}

/// `off-hours`: when people are expected to work, in a fixed offset from UTC (no time zone
/// database: the offset is what the investigator chooses).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkingHours {
    /// Minutes after local midnight: 480 = 08:00.
    pub start_minute: u32,
    /// Minutes after local midnight, exclusive: 1140 = 19:00. Smaller than `start_minute` for
    /// a night shift (22:00–06:00).
    pub end_minute: u32,
    /// ISO weekdays: 1 = Monday … 7 = Sunday.
    pub workdays: Vec<u8>,
    /// Local time = UTC + this many minutes (-300 for UTC−05:00).
    pub utc_offset_minutes: i32,
    /// Activities (logins, sessions) on other days a user needs for a personal baseline of
    /// when they work. With it, only sessions well outside their own usual hours are reported;
    /// without it, every session outside the working hours is (at low severity).
    pub min_history: u32,
    /// How far outside the user's usual time of day a session must start to be reported.
    pub slack_minutes: u32,
}

impl Default for WorkingHours {
    fn default() -> Self {
        WorkingHours {
            start_minute: 8 * 60,
            end_minute: 19 * 60,
            workdays: vec![1, 2, 3, 4, 5],
            utc_offset_minutes: 0,
            min_history: 10,
            slack_minutes: 180,
        }
    }
}

/// `node-spread`: one user reaching many machines in a short time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeSpread {
    pub nodes: u32,
    pub window_minutes: u32,
}

impl Default for NodeSpread {
    fn default() -> Self {
        NodeSpread { nodes: 8, window_minutes: 10 }
    }
}

/// `watched-command`: commands seen by enhanced recording (and `exec`) matching a watch list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Watch {
    /// `program [needle …]`: the program (by base name; `python` also matches `python3`) at a
    /// command position, and each needle inside a later word (`-d` also matches `-di`). A
    /// single word containing `/` (`/dev/tcp`) matches anywhere in the command line.
    pub patterns: Vec<String>,
    /// Also match the command lines of `exec` events (non-interactive `ssh node cmd`), which
    /// clusters without enhanced recording have.
    pub include_exec: bool,
    /// Do not report commands whose every network target is the loopback
    /// (`curl localhost:8080/healthz`).
    pub ignore_loopback: bool,
}

impl Default for Watch {
    fn default() -> Self {
        let patterns = [
            "curl",
            "wget",
            "nc",
            "ncat",
            "socat",
            "base64 -d",
            "base64 --decode",
            "chmod +s",
            "history -c",
            "rm .bash_history",
            "unset HISTFILE",
            "python -c",
            "perl -e",
            "bash -i",
            "sh -i",
            "/dev/tcp",
            "/dev/udp",
        ];
        Watch { patterns: patterns.map(String::from).to_vec(), include_exec: true, ignore_loopback: true }
    }
}

/// `log-gap`: no events for longer than the log's usual rhythm explains.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogGap {
    pub min_gap_minutes: u32,
    /// The gap must also exceed this many median gaps between events of the same log.
    pub median_factor: f64,
    /// Report when the chance of the log being this quiet by accident, judged from how often
    /// each hour of the day (workdays and other days apart) has events elsewhere in the log,
    /// is below this.
    pub max_chance: f64,
    /// Logs with fewer events have no rhythm to speak of.
    pub min_events: u32,
}

impl Default for LogGap {
    fn default() -> Self {
        LogGap { min_gap_minutes: 60, median_factor: 6.0, max_chance: 1e-3, min_events: 100 }
    }
}

/// `session-integrity`: sessions missing their start or end, or with contradictory `ei`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionIntegrity {
    /// Also compare the `ei` of session events (duplicates, events numbered after the end).
    /// Off by default: `ei` is not indexed, so this reads the lines of every session stream
    /// event (about half of all events), which the browser must read back from files.
    pub check_ei: bool,
}
