//! What the figures were measured on: CPU, cores, memory, browser, and how busy the machine was.

use std::process::Command;

pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub ram_gb: f64,
    pub chromium: String,
    pub kernel: String,
    /// The commit measured, with "-dirty" when the working tree had changes.
    pub commit: String,
}

impl Machine {
    pub fn probe(chromium: &str) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, v)| v.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let ram_kb: f64 = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0.0);
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            ram_gb: ram_kb / 1024.0 / 1024.0,
            chromium: output(chromium, &["--version"]).unwrap_or_else(|| "not found".into()),
            kernel: output("uname", &["-r"]).unwrap_or_default(),
            commit: output("git", &["describe", "--always", "--dirty"]).unwrap_or_else(|| "unknown".into()),
        }
    }

    pub fn text(&self) -> String {
        format!(
            "{}, {} cores, {:.1} GiB RAM, Linux {}; {}; commit {}",
            self.cpu, self.cores, self.ram_gb, self.kernel, self.chromium, self.commit
        )
    }
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The 1-minute load average: other work on a shared machine skews every figure.
pub fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}
