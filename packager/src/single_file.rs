//! The single self-contained HTML file: the built app (`dist/`) folded into one page that opens
//! from disk (`file://`) on an air-gapped laptop. The UI's JavaScript glue and start-up run as
//! one inline module; both wasm files, the worker script and (by default) the demo data set sit
//! in data blocks as base64; the style sheet is inline. The page's Content-Security-Policy allows
//! exactly those inline script and style texts, by SHA-256.

use crate::markup::tags;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::Path;

const TEMPLATE: &str = include_str!("../web/single.html");
const BOOT: &str = include_str!("../web/single_boot.js");
const WORKER_BOOT: &str = include_str!("../web/single_worker.js");
/// Trunk names the worker's output after its binary, without a hash (see static/worker_boot.js).
const WORKER_JS: &str = "worker.js";
const WORKER_WASM: &str = "worker_bg.wasm";
/// What the worker's wasm calls in JavaScript (static/worker_reads.js).
const WORKER_READS: &str = "worker_reads.js";
const DEMO_DIR: &str = "demo";

pub struct Options {
    /// Hold the demo data set (about 2 MB of files, a third more as base64).
    pub demo: bool,
}

/// Reads the built app in `dist` and returns the single page.
pub fn build(dist: &Path, options: &Options) -> Result<String, String> {
    let read = |rel: &str| fs::read(dist.join(rel)).map_err(|e| format!("{}: {e}", dist.join(rel).display()));
    let text = |rel: &str| read(rel).and_then(|b| String::from_utf8(b).map_err(|e| format!("{rel}: {e}")));
    let index = text("index.html")?;
    let tags = tags(&index)?;
    let boot = (tags.iter())
        .find(|t| t.name == "script" && t.attr("data-js").is_some() && t.attr("data-wasm").is_some())
        .ok_or("index.html has no <script data-js data-wasm> (Trunk.toml pattern_script)")?;
    let stylesheet = (tags.iter())
        .find(|t| t.name == "link" && t.attr("rel") == Some("stylesheet"))
        .and_then(|t| t.attr("href"))
        .ok_or("index.html links no style sheet")?;
    let glue = text(boot.attr("data-js").unwrap_or_default())?;
    let script = format!("{}{BOOT}", without_default_export(&glue)?);
    let style = inline_urls(&text(stylesheet)?, dist)?;
    let worker_js = format!("{}{}{WORKER_BOOT}", text(WORKER_READS)?, text(WORKER_JS)?);
    let demo = if options.demo { demo_json(&dist.join(DEMO_DIR))? } else { "{}".to_owned() };

    for (what, body, close) in [("the UI script", &script, "</script"), ("the worker script", &worker_js, "</script")] {
        embeddable(what, body, close)?;
    }
    embeddable("the style sheet", &style, "</style")?;
    let csp = format!(
        "default-src 'none'; script-src '{}' 'wasm-unsafe-eval'; worker-src blob:; style-src '{}'; \
         style-src-attr 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'; object-src 'none'",
        sha256_source(&script),
        sha256_source(&style),
    );
    fill(
        TEMPLATE,
        &[
            ("{{CSP}}", &csp),
            ("{{STYLE}}", &style),
            ("{{UI_WASM}}", &BASE64.encode(read(boot.attr("data-wasm").unwrap_or_default())?)),
            ("{{WORKER_WASM}}", &BASE64.encode(read(WORKER_WASM)?)),
            ("{{WORKER_JS}}", &worker_js),
            ("{{DEMO}}", &demo),
            ("{{SCRIPT}}", &script),
        ],
    )
}

/// The style sheet with each file it names (`url(fonts/…)`) inside it, as a data: URL.
fn inline_urls(style: &str, dist: &Path) -> Result<String, String> {
    let mut out = String::with_capacity(style.len());
    // CSS names are ASCII case-insensitive (`URL(` too); lowercasing ASCII keeps byte offsets.
    let lower = style.to_ascii_lowercase();
    let mut copied = 0;
    while let Some(start) = lower[copied..].find("url(").map(|i| copied + i + "url(".len()) {
        let end = start + style[start..].find(')').ok_or("the style sheet has an unclosed url(")?;
        let target = style[start..end].trim().trim_matches(|c| c == '"' || c == '\'');
        out.push_str(&style[copied..start]);
        if target.starts_with("data:") {
            out.push_str(&style[start..end]);
        } else if target.starts_with('/') || target.contains(':') || target.split('/').any(|p| p == "..") {
            return Err(format!("the style sheet names {target}, outside the app's folder"));
        } else {
            let bytes = fs::read(dist.join(target)).map_err(|e| format!("the style sheet's {target}: {e}"))?;
            let mime = match target.rsplit('.').next() {
                Some("woff2") => "font/woff2",
                Some("svg") => "image/svg+xml",
                _ => return Err(format!("the style sheet names {target}, which the single file cannot hold")),
            };
            out.push_str(&format!("\"data:{mime};base64,{}\"", BASE64.encode(bytes)));
        }
        copied = end;
    }
    out.push_str(&style[copied..]);
    Ok(out)
}

/// wasm-bindgen's glue ends with `export { initSync, __wbg_init as default };`. An inline module
/// can export nothing anyone imports, so the statement goes and the start-up calls the function
/// as `__reviewInit`.
fn without_default_export(glue: &str) -> Result<String, String> {
    let start = glue.rfind("\nexport {").ok_or("the UI glue has no `export { … }` statement")? + 1;
    let len = glue[start..].find("};").ok_or("the UI glue's export statement is not closed")? + 2;
    let names = &glue[start + "export {".len()..start + len - 2];
    let init = names
        .split(',')
        .find_map(|n| n.trim().strip_suffix(" as default"))
        .ok_or("the UI glue exports no default (init) function")?
        .trim();
    Ok(format!("{}const __reviewInit = {init};{}", &glue[..start], &glue[start + len..]))
}

/// Every file of the demo data set as `{"relative/path": "base64", …}`.
fn demo_json(dir: &Path) -> Result<String, String> {
    let mut entries = Vec::new();
    for rel in crate::precache::files(dir)? {
        let bytes = fs::read(dir.join(&rel)).map_err(|e| format!("{rel}: {e}"))?;
        entries.push(format!("{}:\"{}\"", json_string(&rel), BASE64.encode(bytes)));
    }
    Ok(format!("{{{}}}", entries.join(",")))
}

/// A JSON string that is also safe inside a `<script>` element (`<` is escaped).
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '<' || c == '>' || c == '&' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text inside `<script>`/`<style>` ends at the first `</script`/`</style`; `<!--` and `<script`
/// inside a script change how the rest is parsed. Refuse rather than ship a page that breaks.
fn embeddable(what: &str, body: &str, close: &str) -> Result<(), String> {
    let lower = body.to_ascii_lowercase();
    match [close, "<!--", "<script"].into_iter().find(|m| lower.contains(m)) {
        Some(m) => Err(format!("{what} holds {m:?} and cannot be put inline")),
        None => Ok(()),
    }
}

/// A CSP hash source for an inline element's exact text.
pub fn sha256_source(text: &str) -> String {
    format!("sha256-{}", BASE64.encode(Sha256::digest(text.as_bytes())))
}

/// Replaces each marker of the template (once each, in the template only: an inserted value
/// that happens to contain a marker is left alone).
fn fill(template: &str, values: &[(&str, &str)]) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    let mut pending: Vec<&(&str, &str)> = values.iter().collect();
    while !pending.is_empty() {
        let (at, i) = pending
            .iter()
            .enumerate()
            .filter_map(|(i, (m, _))| rest.find(m).map(|at| (at, i)))
            .min()
            .ok_or_else(|| format!("the template lacks {}", pending[0].0))?;
        let (marker, value) = pending.remove(i);
        out.push_str(&rest[..at]);
        out.push_str(value);
        rest = &rest[at + marker.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_the_style_sheet_names_go_inside_it() {
        let dist = tempfile::tempdir().unwrap();
        fs::create_dir(dist.path().join("fonts")).unwrap();
        fs::write(dist.path().join("fonts/a.woff2"), b"wOF2").unwrap();
        let style = r#"@font-face { src: url("fonts/a.woff2") format("woff2"); } .x { background: url(data:,y); }"#;
        let inlined = inline_urls(style, dist.path()).unwrap();
        assert_eq!(
            inlined,
            r#"@font-face { src: url("data:font/woff2;base64,d09GMg==") format("woff2"); } .x { background: url(data:,y); }"#
        );
        assert!(inline_urls("a { b: url(missing.woff2) }", dist.path()).is_err());
        assert!(inline_urls("a { b: URL(fonts/a.woff2) }", dist.path()).unwrap().contains("URL(\"data:font/woff2;"));
        for outside in ["/etc/a.woff2", "../a.woff2", "fonts/../../a.woff2", "https://x/a.woff2"] {
            assert!(inline_urls(&format!("a {{ b: url({outside}) }}"), dist.path()).is_err(), "{outside}");
        }
        assert!(inline_urls("a { b: url(fonts/a.woff2", dist.path()).is_err());
    }

    #[test]
    fn the_default_export_becomes_a_constant() {
        let glue = "function __wbg_init() {}\nexport { initSync, __wbg_init as default };\n";
        assert_eq!(
            without_default_export(glue).unwrap(),
            "function __wbg_init() {}\nconst __reviewInit = __wbg_init;\n"
        );
        assert!(without_default_export("function f() {}").is_err());
    }

    #[test]
    fn markers_are_filled_in_the_template_only() {
        let out = fill("a {{X}} b {{Y}} c", &[("{{Y}}", "y"), ("{{X}}", "<{{Y}}>")]).unwrap();
        assert_eq!(out, "a <{{Y}}> b y c");
        assert!(fill("no markers", &[("{{X}}", "x")]).is_err());
    }

    #[test]
    fn text_that_would_end_its_element_is_refused() {
        assert!(embeddable("s", "let a = '</SCRIPT>';", "</script").is_err());
        assert!(embeddable("s", "x <!-- y", "</script").is_err());
        assert!(embeddable("s", "let a = 1 < 2;", "</script").is_ok());
    }

    #[test]
    fn json_strings_are_script_safe() {
        assert_eq!(json_string("a\"b</script>\n"), r#""a\"b\u003c/script\u003e\u000a""#);
    }

    #[test]
    fn hash_sources_match_the_csp_format() {
        // printf 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(sha256_source("alert(1)"), "sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=");
    }
}
