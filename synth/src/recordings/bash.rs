//! The login shell as a terminal shows it: the message of the day, bash's coloured prompt (with
//! the window title and, from bash 5.1, bracketed-paste switches), typed lines echoed key by key,
//! sudo asking for a password once, and `logout`.

use super::tty::{Tty, BACKSPACE};
use crate::timefmt::{Nanos, MILLI, MINUTE};

/// The node's operating system, which decides the banner and the prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    Ubuntu { release: &'static str, kernel: &'static str, bash51: bool },
    AmazonLinux,
}

impl Os {
    /// What acme ran in a given year; `ec2-user` logins are Amazon Linux machines.
    pub fn of(year: i64, login: &str) -> Os {
        if login == "ec2-user" {
            return Os::AmazonLinux;
        }
        match year {
            ..=2017 => Os::Ubuntu { release: "16.04.2 LTS", kernel: "4.4.0-66-generic", bash51: false },
            2018..=2019 => Os::Ubuntu { release: "18.04.2 LTS", kernel: "4.15.0-51-generic", bash51: false },
            2020..=2021 => Os::Ubuntu { release: "20.04.3 LTS", kernel: "5.4.0-84-generic", bash51: false },
            _ => Os::Ubuntu { release: "22.04.4 LTS", kernel: "5.15.0-97-generic", bash51: true },
        }
    }

    pub fn kernel(self) -> &'static str {
        match self {
            Os::Ubuntu { kernel, .. } => kernel,
            Os::AmazonLinux => "4.14.219-164.354.amzn2.x86_64",
        }
    }
}

/// One interactive bash.
pub struct Bash {
    pub login: String,
    /// `\h`: the host name up to the first dot.
    pub host: String,
    pub os: Os,
    pub cwd: String,
    /// sudo remembers a password for 15 minutes.
    sudo_until: Option<Nanos>,
}

impl Bash {
    pub fn new(login: &str, hostname: &str, os: Os) -> Self {
        let host = hostname.split('.').next().unwrap_or(hostname).to_owned();
        Bash { login: login.to_owned(), host, os, cwd: "~".into(), sudo_until: None }
    }

    pub fn is_root(&self) -> bool {
        self.login == "root"
    }

    /// The banner a fresh login prints (PAM's motd), then the first prompt.
    pub fn login(&self, tty: &mut Tty, last_from: &str) {
        tty.pause(120, 400);
        let banner = match self.os {
            Os::Ubuntu { release, kernel, .. } => format!(
                "Welcome to Ubuntu {release} (GNU/Linux {kernel} x86_64)\r\n\r\n \
                 * Documentation:  https://help.ubuntu.com\r\n \
                 * Management:     https://landscape.canonical.com\r\n \
                 * Support:        https://ubuntu.com/advantage\r\n\r\n"
            ),
            Os::AmazonLinux => {
                "\r\n       __|  __|_  )\r\n       _|  (     /   Amazon Linux 2 AMI\r\n      ___|\\___|___|\r\n\r\n\
                 https://aws.amazon.com/amazon-linux-2/\r\n"
                    .to_owned()
            }
        };
        tty.out(banner);
        tty.pause(5, 40);
        tty.out(format!("Last login: {} from {last_from}\r\n", last_login(tty.now)));
        tty.pause(20, 90);
        self.prompt(tty);
    }

    /// `PS1` as the distribution's default `.bashrc` sets it for a colour terminal.
    pub fn prompt(&self, tty: &mut Tty) {
        tty.pause(1, 12);
        let sigil = if self.is_root() { '#' } else { '$' };
        let (user, host, cwd) = (&self.login, &self.host, &self.cwd);
        let text = match self.os {
            Os::Ubuntu { bash51, .. } => {
                let paste = if bash51 { "\x1b[?2004h" } else { "" };
                format!(
                    "{paste}\x1b]0;{user}@{host}: {cwd}\x07\x1b[01;32m{user}@{host}\x1b[00m:\x1b[01;34m{cwd}\x1b[00m{sigil} "
                )
            }
            Os::AmazonLinux => format!("[{user}@{host} {}]{sigil} ", if cwd == "~" { "~" } else { cwd }),
        };
        tty.out(text);
    }

    /// Return: readline moves to a new line (and bash 5.1 turns bracketed paste off).
    pub fn enter(&self, tty: &mut Tty) {
        let bash51 = matches!(self.os, Os::Ubuntu { bash51: true, .. });
        tty.out(if bash51 { &b"\r\n\x1b[?2004l\r"[..] } else { &b"\r\n"[..] });
    }

    /// Types `keys` so that the command starts at `at` (or as soon as the terminal is free):
    /// Return's echo just before, as the program runs only once bash has read the line. With
    /// too little time to type it, the line is pasted (one write).
    pub fn type_line(&self, tty: &mut Tty, keys: &str, at: Nanos) {
        let enter = at - 15 * MILLI;
        let delays = tty.keystroke_delays(keys);
        let think = tty.rng.range(60, 300) * MILLI;
        let start = enter - think - delays.iter().sum::<Nanos>();
        if start >= tty.now {
            tty.wait_until(start);
            tty.type_with(keys, &delays);
        } else {
            let room = (enter - tty.now).max(0) / MILLI;
            tty.pause(room / 3, room * 2 / 3);
            tty.out(keys.replace(BACKSPACE, ""));
        }
        tty.wait_until(enter);
        self.enter(tty);
        tty.wait_until(at);
    }

    /// sudo's password prompt, unless a password was given in the last 15 minutes (or we are
    /// root). The password is typed blind.
    pub fn sudo(&mut self, tty: &mut Tty) {
        if self.is_root() || self.sudo_until.is_some_and(|until| tty.now < until) {
            return;
        }
        tty.pause(30, 90);
        tty.out(format!("[sudo] password for {}: ", self.login));
        tty.pause(1800, 4200);
        tty.out("\r\n");
        self.sudo_until = Some(tty.now + 15 * MINUTE);
        tty.pause(40, 200);
    }

    /// `exit` typed at `at`: a login shell says `logout`.
    pub fn exit(&self, tty: &mut Tty, at: Nanos) {
        self.type_line(tty, "exit", at);
        tty.pause(2, 10);
        tty.out("logout\r\n");
    }
}

/// `Tue Mar 12 16:02:11 2024`, a day before.
fn last_login(now: Nanos) -> String {
    use crate::timefmt::{civil_from_days, weekday, DAY, SECOND};
    let t = now - DAY - 3 * 3_600 * SECOND - 1_234 * SECOND;
    let day = t.div_euclid(DAY);
    let (y, m, d) = civil_from_days(day);
    let secs = t.rem_euclid(DAY) / SECOND;
    let wd = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][weekday(day) as usize];
    format!("{wd} {} {d:2} {:02}:{:02}:{:02} {y}", MONTHS[m as usize - 1], secs / 3600, secs / 60 % 60, secs % 60)
}

pub const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use crate::timefmt::{utc, SECOND};

    #[test]
    fn prompt_and_typing_look_like_bash() {
        let t0 = utc(2024, 3, 13, 2, 22, 10);
        let mut tty = Tty::new(t0, (80, 24), Vec::new(), Rng::new(3));
        let bash = Bash::new("ubuntu", "web-02.acme.internal", Os::of(2024, "ubuntu"));
        bash.prompt(&mut tty);
        bash.type_line(&mut tty, "id", t0 + 5 * SECOND);
        let prints = tty.into_prints();
        let text: Vec<u8> = prints.iter().flat_map(|p| p.1.clone()).collect();
        let text = String::from_utf8(text).unwrap();
        assert!(text.starts_with("\x1b[?2004h\x1b]0;ubuntu@web-02: ~\x07\x1b[01;32mubuntu@web-02"), "{text:?}");
        assert!(text.ends_with("$ id\r\n\x1b[?2004l\r"), "{text:?}");
        // One print per key, Return echoed just before the planned time.
        assert_eq!(prints[1].1, b"i");
        assert_eq!(prints[3].0, t0 + 5 * SECOND - 15 * MILLI);
        assert_eq!(last_login(utc(2024, 3, 13, 2, 22, 10)), "Mon Mar 11 23:01:36 2024");
    }
}
