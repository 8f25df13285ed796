//! The emulator pipeline: bytes → UTF-8 → avt's parser → combining-character joiner → avt's
//! terminal, with the state needed to resume it from a keyframe.
//!
//! The parser runs here rather than inside `Terminal::feed` for two reasons: combining marks can
//! only be recognised as printed characters (not bytes of an escape sequence), and indexing
//! reads the parsed functions to build the search text.

use crate::cluster::{Joiner, StandIns};
use crate::size::TermSize;
use crate::utf8::Utf8Decoder;
use avt::parser::{Function, State};
use avt::{Observer, Parser, Terminal};

/// Bytes decoded and executed at a time: bounds the scratch buffer for huge prints.
const CHUNK: usize = 4096;

/// Repeated characters (REP, `CSI n b`) output can have in hand: each byte fed earns
/// [`REPEATS_PER_BYTE`], up to this many, and each REP spends what it prints. A REP that finds
/// too few prints only as many as there are (none at zero). Real output uses REP for runs
/// within a row (a border, a bar), a small fraction of its bytes' earnings; a storm of
/// `CSI 65535 b` would otherwise print a screenful (which the screen clamp allows) per 8 bytes.
const REPEAT_ALLOWANCE: usize = 1 << 20;

/// Repeated characters each byte of output earns (see [`REPEAT_ALLOWANCE`]).
const REPEATS_PER_BYTE: usize = 8;

/// How much of an unfinished escape sequence is kept for keyframes. Longer ones (an OSC or DCS
/// string that never ends, typically) just delay the next keyframe until the parser is idle.
const TAIL_LIMIT: usize = 2048;

/// Sees every function before the terminal executes it (used to build the search text).
pub trait Tap {
    fn functions(&mut self, functions: &[Function], clusters: &impl StandIns);
}

impl Tap for () {
    fn functions(&mut self, _: &[Function], _: &impl StandIns) {}
}

/// Everything needed to resume the pipeline exactly where it was, between two prints.
#[derive(Clone, Debug)]
pub struct VtState {
    pub size: TermSize,
    /// avt's escape-sequence dump of both screens, cursor, modes and pen.
    pub dump: Box<str>,
    /// Bytes of a character split across prints.
    pub utf8: Utf8Decoder,
    /// Characters of an escape sequence not finished yet, replayed into a fresh parser.
    pub tail: Box<str>,
    /// Repeated characters in hand (see [`REPEAT_ALLOWANCE`]).
    pub repeats: usize,
}

impl VtState {
    /// Heap bytes held.
    pub fn memory(&self) -> usize {
        self.dump.len() + self.tail.len()
    }
}

pub struct Vt {
    terminal: Terminal,
    size: TermSize,
    utf8: Utf8Decoder,
    parser: Parser,
    tail: String,
    tail_overflow: bool,
    joiner: Joiner,
    functions: Vec<Function>,
    repeats: usize,
}

fn new_terminal(size: TermSize) -> Terminal {
    let cols = usize::from(size.cols.max(1));
    let rows = usize::from(size.rows.max(1));
    Terminal::new(cols, rows).unwrap_or_else(|_| unreachable_terminal())
}

// Terminal::new only refuses zero sizes, which `max(1)` rules out.
fn unreachable_terminal() -> Terminal {
    match Terminal::new(1, 1) {
        Ok(terminal) => terminal,
        Err(_) => unreachable!("a 1x1 terminal is valid"),
    }
}

impl Vt {
    pub fn new(size: TermSize) -> Vt {
        Vt {
            terminal: new_terminal(size),
            size,
            utf8: Utf8Decoder::new(),
            parser: Parser::new(),
            tail: String::new(),
            tail_overflow: false,
            joiner: Joiner::default(),
            functions: Vec::new(),
            repeats: REPEAT_ALLOWANCE,
        }
    }

    /// Resumes from a saved state.
    pub fn restore(state: &VtState) -> Vt {
        let mut vt = Vt::new(state.size);
        vt.terminal.feed(&*state.dump);
        vt.utf8 = state.utf8.clone();
        // Functions the tail yields were executed before the state was saved: only the
        // parser's position matters here.
        for ch in state.tail.chars() {
            let _ = vt.parser.feed(ch);
        }
        vt.tail.push_str(&state.tail);
        vt.repeats = state.repeats;
        vt
    }

    /// The state to resume from, or `None` while an overlong escape sequence is unfinished.
    pub fn save(&self) -> Option<VtState> {
        if self.tail_overflow {
            return None;
        }
        Some(VtState {
            size: self.size,
            dump: self.terminal.dump().into_boxed_str(),
            utf8: self.utf8.clone(),
            tail: self.tail.clone().into_boxed_str(),
            repeats: self.repeats,
        })
    }

    pub fn terminal(&self) -> &Terminal {
        &self.terminal
    }

    pub fn size(&self) -> TermSize {
        self.size
    }

    /// Feeds one print's bytes. Returns the work done (bytes, plus what costly functions add),
    /// which keyframe spacing is measured in.
    pub fn feed<S: StandIns, T: Tap, O: Observer>(
        &mut self,
        bytes: &[u8],
        stand_ins: &mut S,
        tap: &mut T,
        observer: &mut O,
    ) -> usize {
        let mut work = bytes.len();
        for chunk in bytes.chunks(CHUNK) {
            self.repeats = self.repeats.saturating_add(chunk.len() * REPEATS_PER_BYTE).min(REPEAT_ALLOWANCE);
            work += self.parse(chunk, stand_ins);
            self.execute(stand_ins, tap, observer);
        }
        // A print ends with its screen drawn: a held character cannot wait for the next print.
        let functions = &mut self.functions;
        self.joiner.flush(stand_ins, &mut |ch| functions.push(Function::Print(ch)));
        self.execute(stand_ins, tap, observer);
        work
    }

    /// Parses bytes into `self.functions`; returns the work of costly functions among them.
    fn parse<S: StandIns>(&mut self, bytes: &[u8], stand_ins: &mut S) -> usize {
        let Vt { size, utf8, parser, tail, tail_overflow, joiner, functions, repeats, .. } = self;
        let mut work = 0;
        utf8.decode(bytes, &mut |ch| {
            let function = parser.feed(ch);
            if parser.state == State::Ground {
                if !tail.is_empty() || *tail_overflow {
                    tail.clear();
                    *tail_overflow = false;
                }
            } else if tail.len() < TAIL_LIMIT {
                tail.push(ch);
            } else {
                *tail_overflow = true;
            }
            match function {
                None => {}
                Some(Function::Print(ch)) => {
                    joiner.print(ch, stand_ins, &mut |ch| functions.push(Function::Print(ch)));
                }
                Some(other) => {
                    joiner.flush(stand_ins, &mut |ch| functions.push(Function::Print(ch)));
                    let other = match other {
                        // `CSI 0 b` repeats once, as `CSI 1 b` does.
                        Function::Rep(n) => {
                            let n = bounded_repeat(n.max(1), *size);
                            let n = n.min(u16::try_from(*repeats).unwrap_or(u16::MAX));
                            if n == 0 {
                                return;
                            }
                            *repeats -= usize::from(n);
                            Function::Rep(n)
                        }
                        other => other,
                    };
                    work += extra_work(&other, *size);
                    functions.push(other);
                }
            }
        });
        work
    }

    fn execute<S: StandIns, T: Tap, O: Observer>(&mut self, stand_ins: &mut S, tap: &mut T, observer: &mut O) {
        if self.functions.is_empty() {
            return;
        }
        tap.functions(&self.functions, stand_ins);
        self.terminal.execute_with(self.functions.drain(..), &mut *observer);
    }

    /// Applies a recorded resize. Returns the work done (the terminal reflows every cell).
    pub fn resize<O: Observer>(&mut self, size: TermSize, observer: &mut O) -> usize {
        let work = self.size.reflow_cost(size);
        for step in self.size.reflow_path(size) {
            self.terminal.resize_with(usize::from(step.cols.max(1)), usize::from(step.rows.max(1)), &mut *observer);
        }
        self.size = size;
        work
    }
}

/// Work beyond one unit per byte, roughly in units of one printed character: some functions
/// touch a whole row or screen, and keyframe spacing must follow replay time, not bytes.
fn extra_work(function: &Function, size: TermSize) -> usize {
    let cols = usize::from(size.cols);
    let row = cols / 16; // a scroll allocates and clears one row: cheap per cell
    let screen = size.cells() / 8;
    match function {
        Function::Rep(n) => usize::from(*n),
        Function::Lf | Function::Nel | Function::Ri | Function::Cnl(_) | Function::Cpl(_) => row,
        Function::Su(n) | Function::Sd(n) | Function::Il(n) | Function::Dl(n) => {
            row * usize::from(*n).clamp(1, usize::from(size.rows))
        }
        Function::Decaln | Function::Ed(_) | Function::Ris | Function::Decstr => screen,
        Function::Decset(_) | Function::Decrst(_) => screen, // may switch screens
        _ => 0,
    }
}

/// REP (`CSI n b`) repeats the last character up to 65535 times: a few bytes of hostile output
/// could cost millions of cell writes. Beyond a screenful, more repeats only scroll the same
/// character through, so keep one screenful plus the remainder that sets the final column.
fn bounded_repeat(n: u16, size: TermSize) -> u16 {
    let cells = size.cells();
    let cols = usize::from(size.cols.max(1));
    let n = usize::from(n);
    if n <= cells {
        return n as u16;
    }
    let bounded = cells + (n - cells) % cols;
    u16::try_from(bounded).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::ClusterTable;

    fn feed(vt: &mut Vt, table: &mut ClusterTable, bytes: &[u8]) {
        vt.feed(bytes, table, &mut (), &mut ());
    }

    fn text(vt: &Vt) -> Vec<String> {
        let screen = vt.terminal().screen();
        screen.visible_lines().map(|line| line.text().trim_end().to_owned()).collect()
    }

    #[test]
    fn restore_resumes_inside_an_escape_sequence_and_a_character() {
        let mut table = ClusterTable::new();
        let size = TermSize { cols: 10, rows: 3 };
        let parts: [&[u8]; 3] = [b"a\x1b[31mb\x1b[1;3", b"H\xe7\x95", b"\x8cX"];
        let mut whole = Vt::new(size);
        feed(&mut whole, &mut table, &parts.concat());

        let mut resumed = Vt::new(size);
        feed(&mut resumed, &mut table, parts[0]);
        let saved = resumed.save().expect("short tail");
        assert_eq!(&*saved.tail, "\x1b[1;3");
        let mut resumed = Vt::restore(&saved);
        feed(&mut resumed, &mut table, parts[1]);
        let saved = resumed.save().expect("short tail");
        assert!(!saved.utf8.is_idle());
        let mut resumed = Vt::restore(&saved);
        feed(&mut resumed, &mut table, parts[2]);

        assert_eq!(text(&whole)[0], "ab界X");
        assert_eq!(text(&resumed), text(&whole));
        assert_eq!(resumed.terminal().dump(), whole.terminal().dump());
    }

    #[test]
    fn overlong_unfinished_sequences_prevent_saving_until_idle() {
        let mut table = ClusterTable::new();
        let mut vt = Vt::new(TermSize::DEFAULT);
        let mut osc = b"\x1b]0;".to_vec();
        osc.extend(std::iter::repeat_n(b'x', TAIL_LIMIT + 10));
        feed(&mut vt, &mut table, &osc);
        assert!(vt.save().is_none());
        feed(&mut vt, &mut table, b"\x07ok");
        assert!(vt.save().is_some());
        assert_eq!(text(&vt)[0], "ok");
        assert_eq!(text(&vt)[1], "");
    }

    #[test]
    fn a_narrowing_done_in_steps_leaves_the_screen_one_reflow_would() {
        let from = TermSize { cols: 1000, rows: 30 };
        let mut table = ClusterTable::new();
        let mut text = String::new();
        for i in 0..30 {
            let long = "x".repeat(i * 397 % 2300);
            text += &format!("\x1b[3{}mline {i} {long}y\x1b[m\r\n", i % 8);
        }
        text += "tail";
        for cursor in ["", "\x1b[3;7H", "\x1b[12;1H", "\x1b[20;999H"] {
            for to in [TermSize { cols: 3, rows: 15 }, TermSize { cols: 7, rows: 20 }, TermSize { cols: 2, rows: 40 }] {
                assert!(from.reflow_path(to).len() > 2, "{to:?}");
                let mut stepped = Vt::new(from);
                feed(&mut stepped, &mut table, format!("{text}{cursor}").as_bytes());
                let mut direct = Vt::new(from);
                feed(&mut direct, &mut table, format!("{text}{cursor}").as_bytes());
                stepped.resize(to, &mut ());
                direct.terminal.resize(usize::from(to.cols), usize::from(to.rows));
                assert_eq!(stepped.terminal().dump(), direct.terminal().dump(), "{cursor:?} to {to:?}");
            }
        }
    }

    #[test]
    fn repeat_storms_print_no_more_than_their_bytes_earn() {
        let mut table = ClusterTable::new();
        let size = TermSize::DEFAULT;
        // Ordinary REP use prints exactly what it asks for.
        let mut vt = Vt::new(size);
        feed(&mut vt, &mut table, b"ab\x1b[5bc\x1b[0bd\x1b[bz\x1b[70b");
        assert_eq!(text(&vt)[0], format!("abbbbbbccddz{}", "z".repeat(68)));
        assert_eq!(text(&vt)[1], "zz");

        // A storm: every 8 bytes ask for a screenful.
        let storm = [b"x".as_slice(), &b"\x1b[65535b".repeat(20_000)].concat();
        let mut vt = Vt::new(size);
        let work = vt.feed(&storm, &mut table, &mut (), &mut ());
        let repeated = work - storm.len();
        assert!(repeated <= REPEAT_ALLOWANCE + REPEATS_PER_BYTE * storm.len(), "{repeated}");
        assert!(repeated >= REPEAT_ALLOWANCE, "the allowance is spent first: {repeated}");
        assert!(vt.repeats < 2000, "{}", vt.repeats);
        assert!(text(&vt).iter().all(|row| row.chars().all(|c| c == 'x')), "{:?}", text(&vt));

        // What is in hand is part of the state: resuming from a save goes on as without one.
        let more = b"\x1b[65535b".repeat(3000);
        let mut resumed = Vt::restore(&vt.save().expect("idle"));
        assert_eq!(resumed.repeats, vt.repeats);
        let work = vt.feed(&more, &mut table, &mut (), &mut ());
        assert_eq!(resumed.feed(&more, &mut table, &mut (), &mut ()), work);
        assert_eq!(resumed.terminal().dump(), vt.terminal().dump());
        assert!(work - more.len() <= REPEATS_PER_BYTE * more.len() + 2000);
    }

    #[test]
    fn huge_repeat_counts_are_bounded() {
        assert_eq!(bounded_repeat(5, TermSize { cols: 4, rows: 2 }), 5);
        assert_eq!(bounded_repeat(8, TermSize { cols: 4, rows: 2 }), 8);
        assert_eq!(bounded_repeat(65535, TermSize { cols: 4, rows: 2 }), 8 + (65535 - 8) % 4);
        let mut table = ClusterTable::new();
        let mut vt = Vt::new(TermSize { cols: 4, rows: 2 });
        let work = vt.feed(b"x\x1b[65535b", &mut table, &mut (), &mut ());
        assert!(work < 100, "work {work}");
        assert_eq!(text(&vt), ["xxxx", "xxxx"]);
    }
}
