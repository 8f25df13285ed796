//! A session as a list of timed acts (a typed command and what it prints), played one after the
//! other on a terminal: an act starts at its time, or when the one before has finished.

use super::bash::Bash;
use super::programs;
use super::tty::Tty;
use crate::timefmt::{Nanos, MILLI, SECOND};

type Run = Box<dyn FnOnce(&mut Tty, &mut Bash, Nanos)>;

/// Something done at the terminal at `at` (for a typed command: when Return is pressed).
pub struct Act {
    pub at: Nanos,
    run: Run,
}

impl Act {
    /// Anything: `run` gets the terminal, the shell and `at`, and leaves a prompt behind.
    pub fn custom(at: Nanos, run: impl FnOnce(&mut Tty, &mut Bash, Nanos) + 'static) -> Act {
        Act { at, run: Box::new(run) }
    }

    /// A command typed at the prompt, its output, the next prompt.
    pub fn command(at: Nanos, line: &str) -> Act {
        let line = line.to_owned();
        Act::custom(at, move |tty, bash, at| {
            bash.type_line(tty, &line, at);
            programs::run(tty, bash, &line);
            bash.prompt(tty);
        })
    }

    /// A command typed with keys (`keys` may hold Backspaces) whose output `print` writes.
    pub fn typed(at: Nanos, keys: &str, print: impl FnOnce(&mut Tty, &mut Bash) + 'static) -> Act {
        let keys = keys.to_owned();
        Act::custom(at, move |tty, bash, at| {
            bash.type_line(tty, &keys, at);
            print(tty, bash);
            bash.prompt(tty);
        })
    }
}

/// How a session ends on screen.
pub enum Ending {
    /// `exit` typed so that `logout` shows before the user leaves at this time.
    Exit { left: Nanos },
    /// The node went away: the output just stops.
    Crash,
}

/// Plays the login banner, the acts in time order, and the ending. Acts too close to the end to
/// fit are left out.
pub fn play(tty: &mut Tty, bash: &mut Bash, last_from: &str, mut acts: Vec<Act>, ending: Ending) {
    bash.login(tty, last_from);
    acts.sort_by_key(|a| a.at);
    let last_act = match ending {
        Ending::Exit { left } => left - 4 * SECOND,
        Ending::Crash => Nanos::MAX,
    };
    for act in acts {
        if act.at > last_act || tty.now > last_act {
            continue;
        }
        (act.run)(tty, bash, act.at);
    }
    if let Ending::Exit { left } = ending {
        let at = (left - 900 * MILLI).max(tty.now + 300 * MILLI);
        bash.exit(tty, at);
    }
}

/// Command lines the scenario typed, as acts.
pub fn commands(list: &[(Nanos, String)]) -> Vec<Act> {
    list.iter().map(|(at, line)| Act::command(*at, line)).collect()
}
