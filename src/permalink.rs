//! The page's state in its URL: `#/<view>?q=<query>&s=<sid>&e=<path:line>&t=<ms>&play=1`. The
//! selection is named so that it survives a reload: after the same files are loaded again, the
//! session, event and moment of the recording come back.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but unreserved characters is encoded, so any query or path round-trips.
const PART: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub view: String,
    pub query: String,
    pub sid: Option<String>,
    pub event: Option<String>,
    pub t: Option<u64>,
    pub play: bool,
}

impl Location {
    /// Reads a URL fragment (with or without its leading `#`); unknown parts are ignored.
    pub fn parse(hash: &str) -> Location {
        let hash = hash.trim_start_matches('#').trim_start_matches('/');
        let (view, rest) = hash.split_once('?').unwrap_or((hash, ""));
        let mut loc = Location { view: view.to_owned(), ..Location::default() };
        for pair in rest.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode_str(value).decode_utf8_lossy().into_owned();
            match key {
                "q" => loc.query = value,
                "s" if !value.is_empty() => loc.sid = Some(value),
                "e" if !value.is_empty() => loc.event = Some(value),
                "t" => loc.t = value.parse().ok(),
                "play" => loc.play = value == "1",
                _ => {}
            }
        }
        loc
    }

    /// The URL fragment, `#/` included.
    pub fn format(&self) -> String {
        let mut parts = Vec::new();
        let mut add = |key: &str, value: &str| parts.push(format!("{key}={}", utf8_percent_encode(value, PART)));
        if !self.query.is_empty() {
            add("q", &self.query);
        }
        if let Some(sid) = &self.sid {
            add("s", sid);
        }
        if let Some(event) = &self.event {
            add("e", event);
        }
        if let Some(t) = self.t {
            add("t", &t.to_string());
        }
        if self.play {
            add("play", "1");
        }
        if parts.is_empty() {
            format!("#/{}", self.view)
        } else {
            format!("#/{}?{}", self.view, parts.join("&"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_round_trips() {
        let loc = Location {
            view: "events".into(),
            query: r#"user:"a b" addr:10.0.0.0/8 -code:T1000W & time>=2024-02-23T10:00Z #x"#.into(),
            sid: Some("4bac8c61-15f6-11e6-a2e6-f0def19340e2".into()),
            event: Some("log/auth 1/2024-01-01.00:00:00.log:17".into()),
            t: Some(65_000),
            play: true,
        };
        let url = loc.format();
        assert!(!url[2..].contains(['#', ' ', '"']), "{url}");
        assert_eq!(Location::parse(&url), loc);
    }

    #[test]
    fn old_and_odd_urls_still_read() {
        assert_eq!(
            Location::parse("#/auth?q=user%3Aalice"),
            Location { view: "auth".into(), query: "user:alice".into(), ..Location::default() }
        );
        assert_eq!(Location::parse(""), Location::default());
        assert_eq!(Location::parse("#/sessions?t=x&junk&s=").t, None);
        assert_eq!(Location { view: "overview".into(), ..Location::default() }.format(), "#/overview");
    }
}
