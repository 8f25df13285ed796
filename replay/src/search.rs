//! Search over everything the session printed.
//!
//! Indexing taps the parsed output: printed characters are kept, cursor jumps and line ends
//! become line breaks, tabs and cursor-forward become a space, and backspace takes back the
//! previous character (so a typo corrected at the prompt reads as it was finally typed).
//! Escape sequences never reach the text. Each stretch of text remembers the print it came from.

use crate::cluster::StandIns;
use crate::vt::Tap;
use avt::parser::Function;
use review_recording::Millis;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Hits returned at most; more set `truncated`.
pub const MAX_HITS: usize = 10_000;
/// Compiled regex size limit, so a hostile or careless pattern cannot take the worker down.
const REGEX_SIZE_LIMIT: usize = 1 << 20;
const REGEX_NEST_LIMIT: u32 = 64;
/// Preview context on each side of a hit, in bytes (on the hit's line only).
const PREVIEW_CONTEXT: usize = 80;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchOptions {
    /// Treat the pattern as a regular expression (regex-lite syntax) rather than plain text.
    pub regex: bool,
    /// Case-insensitive matching folds ASCII letters only.
    pub case_sensitive: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    /// When the print holding the hit's first character happened.
    pub at: Millis,
    /// When the print holding its last character happened: from here the whole hit is on
    /// screen (typed text arrives a character at a time), so this is where to seek.
    pub shown: Millis,
    /// Index of that print in `Recording::prints`.
    pub print: usize,
    /// The hit's line of text, cut to some context around it.
    pub preview: String,
    /// Byte range of the hit within `preview`.
    pub highlight: (usize, usize),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// More hits than [`MAX_HITS`] exist.
    pub truncated: bool,
}

/// Whether `pattern` can be searched for with `options` (a regex that does not compile, or is
/// too big, cannot): said once, before many recordings are searched.
pub fn check_pattern(pattern: &str, options: SearchOptions) -> Result<(), String> {
    SearchText::new().search(pattern, options, |_| 0).map(|_| ())
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    offset: usize,
    print: usize,
}

/// The session's printed text, with where each part came from.
#[derive(Debug, Default)]
pub struct SearchText {
    text: String,
    marks: Vec<Mark>,
    current_print: usize,
    ascii_lowercase: OnceLock<String>,
}

impl SearchText {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn memory(&self) -> usize {
        self.text.capacity()
            + self.marks.capacity() * std::mem::size_of::<Mark>()
            + self.ascii_lowercase.get().map_or(0, String::capacity)
    }

    /// Indexing is over: give back spare capacity.
    pub fn finish(&mut self) {
        self.text.shrink_to_fit();
        self.marks.shrink_to_fit();
    }

    /// Text tapped from now on comes from print `index`.
    pub fn start_print(&mut self, index: usize) {
        self.current_print = index;
    }

    /// Index of the print that wrote the byte at `offset`.
    pub fn print_at(&self, offset: usize) -> Option<usize> {
        let after = self.marks.partition_point(|mark| mark.offset <= offset);
        Some(self.marks.get(after.checked_sub(1)?)?.print)
    }

    fn note_print(&mut self) {
        let offset = self.text.len();
        match self.marks.last_mut() {
            Some(mark) if mark.print == self.current_print => {}
            Some(mark) if mark.offset == offset => mark.print = self.current_print,
            _ => self.marks.push(Mark { offset, print: self.current_print }),
        }
    }

    fn push_separator(&mut self, separator: char) {
        match self.text.chars().next_back() {
            None | Some('\n') => {}
            Some(' ') if separator == ' ' => {}
            Some(' ') => {
                self.text.pop();
                self.push_separator(separator);
            }
            Some(_) => {
                self.note_print();
                self.text.push(separator);
            }
        }
    }

    fn backspace(&mut self) {
        if self.text.ends_with('\n') {
            return;
        }
        self.text.pop();
        let len = self.text.len();
        while self.marks.last().is_some_and(|mark| mark.offset > len) {
            self.marks.pop();
        }
    }

    /// Finds `pattern`; each hit says when it was printed.
    pub fn search(
        &self,
        pattern: &str,
        options: SearchOptions,
        at_of_print: impl Fn(usize) -> Millis,
    ) -> Result<SearchResults, String> {
        if pattern.is_empty() {
            return Ok(SearchResults::default());
        }
        let mut ranges = Vec::new();
        let mut truncated = false;
        let mut collect = |start: usize, end: usize| {
            if ranges.len() == MAX_HITS {
                truncated = true;
                return false;
            }
            ranges.push((start, end));
            true
        };
        if !options.regex && options.case_sensitive {
            for (start, found) in self.text.match_indices(pattern) {
                if !collect(start, start + found.len()) {
                    break;
                }
            }
        } else if !options.regex && pattern.is_ascii() {
            let haystack = self.ascii_lowercase.get_or_init(|| self.text.to_ascii_lowercase());
            let needle = pattern.to_ascii_lowercase();
            for (start, found) in haystack.match_indices(&needle) {
                if !collect(start, start + found.len()) {
                    break;
                }
            }
        } else {
            let source = if options.regex { pattern.to_owned() } else { regex_lite::escape(pattern) };
            let regex = regex_lite::RegexBuilder::new(&source)
                .case_insensitive(!options.case_sensitive)
                .size_limit(REGEX_SIZE_LIMIT)
                .nest_limit(REGEX_NEST_LIMIT)
                .build()
                .map_err(|error| error.to_string())?;
            for found in regex.find_iter(&self.text) {
                // Empty matches (`a*`) would hit every position.
                if found.is_empty() {
                    continue;
                }
                if !collect(found.start(), found.end()) {
                    break;
                }
            }
        }
        let hits = ranges
            .into_iter()
            .filter_map(|(start, end)| {
                let print = self.print_at(start)?;
                let last = self.print_at(end.saturating_sub(1)).unwrap_or(print);
                let (preview, highlight) = self.preview(start, end);
                Some(SearchHit { at: at_of_print(print), shown: at_of_print(last), print, preview, highlight })
            })
            .collect();
        Ok(SearchResults { hits, truncated })
    }

    fn preview(&self, start: usize, end: usize) -> (String, (usize, usize)) {
        let text = &self.text;
        let line_start = text[..start].rfind('\n').map_or(0, |nl| nl + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |nl| start + nl);
        let mut from = line_start.max(start.saturating_sub(PREVIEW_CONTEXT));
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let mut to = line_end.min(end.max(start).saturating_add(PREVIEW_CONTEXT));
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        let to = to.max(from);
        let highlight_end = end.min(to).max(start);
        (text[from..to].to_owned(), (start - from, highlight_end - from))
    }
}

impl Tap for SearchText {
    fn functions(&mut self, functions: &[Function], clusters: &impl StandIns) {
        for function in functions {
            match function {
                Function::Print(ch) if ch.is_control() => {}
                Function::Print(ch) => {
                    self.note_print();
                    match clusters.cluster(*ch) {
                        Some(cluster) => self.text.push_str(cluster),
                        None => self.text.push(*ch),
                    }
                }
                Function::Lf
                | Function::Nel
                | Function::Cr
                | Function::Ri
                | Function::Cup(..)
                | Function::Cuu(_)
                | Function::Cud(_)
                | Function::Cnl(_)
                | Function::Cpl(_)
                | Function::Vpa(_)
                | Function::Vpr(_)
                | Function::Ed(_)
                | Function::Ris
                | Function::Decrst(_)
                | Function::Decset(_) => self.push_separator('\n'),
                Function::Ht | Function::Cht(_) | Function::Cuf(_) | Function::Cha(_) => self.push_separator(' '),
                Function::Bs => self.backspace(),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::ClusterTable;
    use avt::Parser;

    fn build(prints: &[&str]) -> SearchText {
        let clusters = ClusterTable::new();
        let mut parser = Parser::new();
        let mut search = SearchText::new();
        for (index, print) in prints.iter().enumerate() {
            search.start_print(index);
            let functions: Vec<Function> = print.chars().filter_map(|c| parser.feed(c)).collect();
            search.functions(&functions, &clusters);
        }
        search
    }

    fn times(index: usize) -> Millis {
        index as Millis * 1000
    }

    #[test]
    fn text_keeps_what_was_printed_without_escape_sequences() {
        let search = build(&[
            "$ ls\r\n",
            "\x1b[31mfile\x1b[0m\tother\r\n",
            "\x1b]0;secret title\x07$ rmm\x08 -rf x",
            "\x1b[5;1Hmoved",
        ]);
        assert_eq!(search.text(), "$ ls\nfile other\n$ rm -rf x\nmoved");
    }

    #[test]
    fn hits_map_to_the_print_that_wrote_them() {
        let search = build(&["first line\r\n", "second ", "line\r\n", "THIRD line"]);
        let results = search.search("line", SearchOptions::default(), times).unwrap();
        let found: Vec<(usize, Millis)> = results.hits.iter().map(|h| (h.print, h.at)).collect();
        assert_eq!(found, [(0, 0), (2, 2000), (3, 3000)]);
        assert_eq!(results.hits[1].preview, "second line");
        assert_eq!(results.hits[1].highlight, (7, 11));
        let sensitive = SearchOptions { case_sensitive: true, ..SearchOptions::default() };
        assert!(search.search("third", sensitive, times).unwrap().hits.is_empty());
        let hits = search.search("third", SearchOptions::default(), times).unwrap().hits;
        assert_eq!(hits[0].print, 3);
        // A hit spanning two prints belongs to the first.
        let hits = search.search("second line", sensitive, times).unwrap().hits;
        assert_eq!((hits[0].print, hits[0].at), (1, 1000));
    }

    #[test]
    fn regex_search_and_errors() {
        let search = build(&["user=alice id=17\r\n", "user=bob id=9"]);
        let regex = SearchOptions { regex: true, case_sensitive: false };
        let hits = search.search(r"id=\d+", regex, times).unwrap().hits;
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[1].print, 1);
        assert!(search.search("(unclosed", regex, times).is_err());
        assert!(search.search("x*", regex, times).unwrap().hits.is_empty());
        // Plain-text mode does not interpret regex syntax.
        assert!(search.search(r"id=\d+", SearchOptions::default(), times).unwrap().hits.is_empty());
        assert!(search.search("a{1000}{1000}", regex, times).is_err());
        // Checked before any recording is searched: the same verdicts, with no text.
        assert!(check_pattern("(unclosed", regex).is_err());
        assert!(check_pattern("a{1000}{1000}", regex).is_err());
        assert!(check_pattern("(unclosed", SearchOptions::default()).is_ok());
        assert!(check_pattern(r"id=\d+", regex).is_ok());
    }

    #[test]
    fn hit_count_is_capped() {
        let many = "x ".repeat(MAX_HITS + 5);
        let search = build(&[&many]);
        let results = search.search("x", SearchOptions::default(), times).unwrap();
        assert_eq!(results.hits.len(), MAX_HITS);
        assert!(results.truncated);
    }
}
