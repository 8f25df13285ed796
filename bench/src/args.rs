//! Command-line options.

use std::path::PathBuf;

pub struct Args {
    /// (label, bytes) of each audit log set, e.g. ("100 MB", 100_000_000).
    pub sizes: Vec<(String, u64)>,
    /// (label, bytes) of each audit log set also loaded as one file (its plain logs joined).
    pub one_file: Vec<(String, u64)>,
    /// (label, prints, hours) of each recording.
    pub recordings: Vec<(String, usize, u64)>,
    pub quick: bool,
    pub criterion: bool,
    pub browser: bool,
    /// Also load each audit log set in Firefox (not a target: the figures for its users).
    pub firefox: bool,
    pub jq: bool,
    pub wait_load: Option<f64>,
    /// The most a run waits for a quiet machine, over all its sections.
    pub wait_max: std::time::Duration,
    pub data: PathBuf,
    pub dist: PathBuf,
    pub target: PathBuf,
    pub workspace: PathBuf,
    pub chromium: String,
    pub chromedriver: String,
    pub firefox_bin: String,
    pub geckodriver: String,
}

/// The workspace root, resolved once: later paths must not depend on bench/ existing (a
/// `git stash -u` elsewhere removes it for a moment).
fn workspace() -> PathBuf {
    let raw = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    raw.canonicalize().unwrap_or(raw)
}

/// "100MB" → ("100 MB", 100_000_000).
fn size(text: &str) -> Result<(String, u64), String> {
    let bytes = synth::bulk::parse_size(text).ok_or(format!("not a size: {text:?} (e.g. 10MB, 1GB)"))?;
    let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len());
    Ok((format!("{} {}", &text[..split], text[split..].to_uppercase()).trim().to_owned(), bytes))
}

/// "2h" → the 2-hour recording of ~20,000 prints; "20h" → ~200,000.
fn recording(text: &str) -> Result<(String, usize, u64), String> {
    let hours: u64 =
        text.strip_suffix('h').and_then(|h| h.parse().ok()).ok_or(format!("not a length: {text:?} (e.g. 2h)"))?;
    Ok((format!("{hours} h"), 10_000 * hours as usize, hours))
}

impl Args {
    pub fn parse(args: impl Iterator<Item = String>) -> Result<Args, String> {
        let mut a = Args {
            sizes: ["10MB", "100MB", "1GB"].iter().map(|s| size(s)).collect::<Result<_, _>>()?,
            one_file: vec![size("1GB")?],
            recordings: ["2h", "20h"].iter().map(|s| recording(s)).collect::<Result<_, _>>()?,
            quick: false,
            criterion: true,
            browser: true,
            firefox: true,
            jq: true,
            wait_load: None,
            wait_max: std::time::Duration::from_secs(3600),
            data: workspace().join("bench-data"),
            dist: workspace().join("dist"),
            target: std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace().join("target"), PathBuf::from),
            workspace: workspace(),
            chromium: std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            chromedriver: std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
            firefox_bin: std::env::var("FIREFOX").unwrap_or_else(|_| "/usr/bin/firefox-esr".into()),
            geckodriver: std::env::var("GECKODRIVER").unwrap_or_else(|_| "geckodriver".into()),
        };
        let mut args = args.peekable();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
            match arg.as_str() {
                "--quick" => {
                    a.quick = true;
                    a.sizes = vec![size("10MB")?];
                    a.one_file = Vec::new();
                    a.recordings = vec![recording("2h")?];
                }
                "--sizes" => a.sizes = value("--sizes")?.split(',').map(size).collect::<Result<_, _>>()?,
                "--one-file" => {
                    a.one_file =
                        value("--one-file")?.split(',').filter(|s| !s.is_empty()).map(size).collect::<Result<_, _>>()?
                }
                "--recordings" => {
                    a.recordings = value("--recordings")?
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(recording)
                        .collect::<Result<_, _>>()?
                }
                "--no-browser" => a.browser = false,
                "--no-firefox" => a.firefox = false,
                "--no-criterion" => a.criterion = false,
                "--no-jq" => a.jq = false,
                "--wait-load" => {
                    a.wait_load = Some(value("--wait-load")?.parse().map_err(|_| "--wait-load: a number")?)
                }
                "--wait-max" => {
                    let minutes: u64 = value("--wait-max")?.parse().map_err(|_| "--wait-max: minutes")?;
                    a.wait_max = std::time::Duration::from_secs(minutes * 60);
                }
                "--data" => a.data = value("--data")?.into(),
                "--dist" => a.dist = value("--dist")?.into(),
                "--target" => a.target = value("--target")?.into(),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_lengths() {
        assert_eq!(size("100MB").unwrap(), ("100 MB".into(), 100_000_000));
        assert_eq!(size("1gb").unwrap(), ("1 GB".into(), 1_000_000_000));
        assert_eq!(recording("20h").unwrap(), ("20 h".into(), 200_000, 20));
        let quick = Args::parse(["--quick".to_string()].into_iter()).unwrap();
        assert_eq!(quick.sizes.len(), 1);
        assert_eq!(quick.recordings.len(), 1);
    }
}
