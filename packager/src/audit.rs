//! The built page, checked before it ships: it must carry a strict Content-Security-Policy before
//! anything that loads, hold no inline script or event-handler attribute (the policy would block
//! them: better to fail the build than ship a page that does not start), and name no URL outside
//! its own folder. A build that breaks one of these fails, with every reason listed.

use crate::markup::{tags, Tag};

/// Attributes that hold a URL the browser may fetch or navigate to.
const URL_ATTRIBUTES: &[&str] = &["src", "href", "action", "formaction", "poster", "data", "manifest", "srcset"];

/// Directives the served page's policy must have, with exactly these sources.
const REQUIRED: &[(&str, &str)] =
    &[("default-src", "'none'"), ("base-uri", "'none'"), ("form-action", "'none'"), ("object-src", "'none'")];

/// Audits the served `index.html`. `Err` lists every problem found.
pub fn page(html: &str) -> Result<(), Vec<String>> {
    let tags = tags(html).map_err(|e| vec![e])?;
    let mut problems = Vec::new();
    check_policy(&tags, &mut problems);
    for tag in &tags {
        check_tag(tag, &mut problems);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn check_policy(tags: &[Tag], problems: &mut Vec<String>) {
    let is_policy = |t: &Tag| {
        t.name == "meta" && t.attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
    };
    let Some(at) = tags.iter().position(is_policy) else {
        problems.push("no <meta http-equiv=\"Content-Security-Policy\">".into());
        return;
    };
    // A policy only governs what comes after it in the document.
    if let Some(early) = tags[..at].iter().find(|t| matches!(t.name.as_str(), "script" | "link" | "style" | "base")) {
        problems.push(format!("<{}> comes before the Content-Security-Policy", early.name));
    }
    let policy = tags[at].attr("content").unwrap_or_default();
    for (directive, sources) in REQUIRED {
        match directive_sources(policy, directive) {
            Some(s) if s == *sources => {}
            other => problems.push(format!("the policy's {directive} is {other:?}, not {sources:?}")),
        }
    }
    for (directive, sources) in policy.split(';').filter_map(|d| d.trim().split_once(char::is_whitespace)) {
        for source in sources.split_whitespace() {
            let allowed = match source {
                "'self'" | "'none'" | "'wasm-unsafe-eval'" => true,
                // Yew writes `style` attributes; no log text can become one (see index.html).
                "'unsafe-inline'" => directive == "style-src-attr",
                _ => false,
            };
            if !allowed {
                problems.push(format!("the policy's {directive} allows {source}"));
            }
        }
    }
}

/// The sources of `directive` in `policy`, normalized to single spaces.
fn directive_sources(policy: &str, directive: &str) -> Option<String> {
    policy.split(';').find_map(|d| {
        let mut words = d.split_whitespace();
        (words.next()? == directive).then(|| words.collect::<Vec<_>>().join(" "))
    })
}

fn check_tag(tag: &Tag, problems: &mut Vec<String>) {
    if tag.name == "script" {
        let inline = tag.body.as_deref().is_some_and(|b| !b.trim().is_empty());
        if inline || tag.attr("src").is_none() {
            problems.push("an inline <script> (the policy allows scripts from files only)".into());
        }
    }
    if tag.name == "style" {
        problems.push("an inline <style> (the policy allows style sheets from files only)".into());
    }
    if tag.name == "base" {
        problems.push("a <base> element (relative URLs must stay relative to the page)".into());
    }
    for (name, value) in &tag.attrs {
        if name.starts_with("on") {
            problems.push(format!("an event-handler attribute {name} on <{}>", tag.name));
        }
        if URL_ATTRIBUTES.contains(&name.as_str()) && !is_relative(value) {
            problems.push(format!("<{} {name}=\"{value}\"> leaves the app's folder", tag.name));
        }
    }
    if tag.name == "meta" && tag.attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")) {
        problems.push("a <meta http-equiv=refresh>".into());
    }
}

/// A URL that stays in the app's own folder: no scheme, no `//host`, no absolute path, no `..`.
pub fn is_relative(url: &str) -> bool {
    let url = url.trim();
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let scheme = path.split('/').next().unwrap_or_default().contains(':');
    !scheme && !url.starts_with('/') && !url.starts_with('\\') && !path.split('/').any(|s| s == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
        style-src-attr 'unsafe-inline'; base-uri 'none'; form-action 'none'; object-src 'none'";

    fn page_with(head: &str) -> String {
        format!(
            r#"<html><head><meta http-equiv="Content-Security-Policy" content="{POLICY}">{head}</head><body></body></html>"#
        )
    }

    #[test]
    fn a_strict_page_passes() {
        let html = page_with(
            r#"<link rel="stylesheet" href="./app-1.css"><script type="module" src="./boot.js" data-js="./a.js"></script>"#,
        );
        assert_eq!(page(&html), Ok(()));
    }

    #[test]
    fn inline_script_handlers_and_remote_urls_fail() {
        let html = page_with(concat!(
            r#"<script type="module">import init from './a.js';</script>"#,
            r#"<img src="https://example.com/x.png" onerror="x()">"#,
            r#"<link rel="preload" href="//cdn.example/x.wasm"><a href="../up">up</a><base href="./">"#,
        ));
        let problems = page(&html).unwrap_err().join("\n");
        for needle in ["inline <script>", "onerror", "https://example.com", "//cdn.example", "../up", "<base>"] {
            assert!(problems.contains(needle), "{needle} not reported in:\n{problems}");
        }
    }

    #[test]
    fn a_loose_or_late_policy_fails() {
        let late = r#"<html><head><script src="./a.js"></script><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head></html>"#;
        assert!(page(late).unwrap_err().iter().any(|p| p.contains("before the Content-Security-Policy")));
        let loose = page_with("").replace("script-src 'self'", "script-src 'self' https://cdn.example 'unsafe-inline'");
        let problems = page(&loose).unwrap_err().join("\n");
        assert!(
            problems.contains("https://cdn.example") && problems.contains("script-src allows 'unsafe-inline'"),
            "{problems}"
        );
        let none = "<html><head></head></html>";
        assert!(page(none).unwrap_err()[0].contains("no <meta"));
    }

    #[test]
    fn relative_urls() {
        for ok in ["./a.js", "a.js", "demo/x:y.log", "./?q=1#x", "sub/dir/"] {
            assert!(is_relative(ok), "{ok}");
        }
        for bad in ["https://x", "//x", "/abs", "data:text/html,x", "javascript:x", "a/../../b", "blob:x"] {
            assert!(!is_relative(bad), "{bad}");
        }
    }
}
