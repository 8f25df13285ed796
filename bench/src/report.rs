//! The one table every figure goes into, printed at the end (and echoed to stderr as measured,
//! so that a long run shows progress).

use crate::machine::{load_average, Machine};

/// Where a row goes in the table, whatever order it was measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Startup,
    Ingest,
    Memory,
    Responsiveness,
    Filter,
    Seek,
}

pub struct Row {
    pub section: Section,
    pub what: String,
    pub input: String,
    pub value: String,
    pub target: String,
    /// 1-minute load average just before the measurement began (other work on the machine;
    /// taken after, it would mostly show the benchmark's own).
    pub load: f64,
}

#[derive(Default)]
pub struct Report {
    rows: Vec<Row>,
    failures: Vec<String>,
    /// The load average at the start of the current measurement.
    load_before: Option<f64>,
}

impl Report {
    /// Marks the start of a measurement: its rows carry the load average of this moment.
    pub fn begin(&mut self) {
        self.begin_at(load_average());
    }

    /// The same, with a load average read earlier.
    pub fn begin_at(&mut self, load: f64) {
        self.load_before = Some(load);
    }

    pub fn add(
        &mut self,
        section: Section,
        what: impl Into<String>,
        input: &str,
        value: impl Into<String>,
        target: &str,
    ) {
        let row = Row {
            section,
            what: what.into(),
            input: input.to_owned(),
            value: value.into(),
            target: target.to_owned(),
            load: self.load_before.unwrap_or_else(load_average),
        };
        eprintln!("  {} [{}]: {}", row.what, row.input, row.value);
        self.rows.push(row);
    }

    /// A measurement that could not be taken: shown in the table, and the run fails.
    pub fn failed(&mut self, section: Section, what: &str, input: &str, error: &dyn std::fmt::Display) {
        let message = format!("{what} [{input}]: {error}");
        eprintln!("  FAILED {message}");
        self.add(section, what, input, format!("**failed**: {error}"), "");
        self.failures.push(message);
    }

    pub fn failures(&self) -> &[String] {
        &self.failures
    }

    pub fn print(&self, machine: &Machine, busy: f64) {
        println!();
        println!("Machine: {}", machine.text());
        let noisy = self.rows.iter().filter(|r| r.load > busy).count();
        if noisy > 0 {
            println!(
                "{noisy} of {} figures were taken when the 1-minute load average before them was above {busy} (other work on the machine): treat them as noisy.",
                self.rows.len()
            );
        }
        println!();
        println!("| figure | input | measured | target (issue 3) | load before |");
        println!("|---|---|---|---|---:|");
        let mut rows: Vec<&Row> = self.rows.iter().collect();
        rows.sort_by_key(|r| r.section);
        for r in rows {
            // A pipe inside a cell would end it.
            let cell = |s: &str| s.replace('|', "\\|");
            println!(
                "| {} | {} | {} | {} | {:.2} |",
                cell(&r.what),
                cell(&r.input),
                cell(&r.value),
                cell(&r.target),
                r.load
            );
        }
    }
}
