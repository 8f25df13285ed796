//! `packager`: the built app, made ready for offline use.
//!
//! ```text
//! packager post-build                      Trunk's post_build hook (Trunk.toml): audits the
//!                                          staged index.html and writes sw.js with every file
//! packager audit <dist>                    the audit alone, of a built dist/
//! packager single-file <dist> <out.html> [--no-demo]
//!                                          the single self-contained HTML file
//! ```

mod audit;
mod markup;
mod precache;
mod single_file;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["post-build"] => post_build(),
        ["audit", dist] => audit_dir(Path::new(dist)),
        ["single-file", dist, out, rest @ ..] if rest.iter().all(|a| *a == "--no-demo") => {
            single(Path::new(dist), Path::new(out), rest.is_empty())
        }
        _ => Err(
            "usage: packager post-build | packager audit <dist> | packager single-file <dist> <out.html> [--no-demo]"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("packager: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Trunk runs hooks with the build's staging directory in `TRUNK_STAGING_DIR`; it becomes dist/.
fn post_build() -> Result<(), String> {
    let staging: PathBuf = std::env::var_os("TRUNK_STAGING_DIR")
        .ok_or("TRUNK_STAGING_DIR is not set: `post-build` runs as Trunk's post_build hook")?
        .into();
    audit_dir(&staging)?;
    let n = precache::write_service_worker(&staging)?;
    eprintln!("packager: index.html passed the audit; {} lists {n} files for offline use", precache::SERVICE_WORKER);
    Ok(())
}

fn audit_dir(dist: &Path) -> Result<(), String> {
    let path = dist.join("index.html");
    let html = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    audit::page(&html).map_err(|problems| format!("{} fails the audit:\n  {}", path.display(), problems.join("\n  ")))
}

fn single(dist: &Path, out: &Path, demo: bool) -> Result<(), String> {
    audit_dir(dist)?;
    let page = single_file::build(dist, &single_file::Options { demo })?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(out, &page).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!("packager: wrote {} ({:.1} MB)", out.display(), page.len() as f64 / 1e6);
    Ok(())
}
