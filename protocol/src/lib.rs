//! Messages between the page and the worker. Bodies are postcard-encoded; file handles travel
//! beside them as JS objects (a `File` cannot be serialized, and need not be copied).

use review_core::detect::{Finding, Settings, Severity};
use review_core::problem::FileId;
use review_core::query::Completion;
use review_core::views::{
    Dashboard, DashboardRequest, EventDetail, ExportRequest, Facets, Histogram, HistogramRequest, Overview, Page,
    QueryError, ReportMeta, SessionDetail, SessionRow, Table, TableRequest,
};
use review_recording::{Millis, SessionEvent};
use review_replay::{Clock, IndexStats, Row, ScreenUpdate, SearchHit, SearchOptions, SearchResults, TermSize};
use serde::{Deserialize, Serialize};

/// Idle gaps longer than this play as this long, unless the player is switched to real time.
pub const DEFAULT_IDLE_CAP: Millis = 2000;

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// File handles for the next `Load`, handed over a few at a time: the first post of a
    /// File costs the page ~0.2 ms, so thousands at once would block it.
    /// The `batch` numbers the load they are for: two drops in quick succession interleave
    /// their offers.
    Offer {
        batch: u32,
    },
    /// Read these files: the handles offered for `batch`, then any riding along, in the order
    /// of `paths`.
    Load {
        paths: Vec<String>,
        batch: u32,
    },
    /// The handoff of `batch` was cancelled: forget the handles offered for it.
    Withdraw {
        batch: u32,
    },
    /// Stop loading; what was read so far stays.
    Cancel,
    /// Forget everything loaded.
    Clear,
    Overview,
    Table(TableRequest),
    Event(u32),
    Session(u32),
    /// Makes the page's second worker the reader: it reads and hashes files and streams them
    /// to the first, the model worker, which parses; their messages ([`Pipe`]) go through the
    /// page.
    BeReader,
    /// Decode and index the recording of a session (by index) for replay.
    OpenRecording {
        session: u32,
    },
    /// The screen of the open recording at a time; `full` redraws every row.
    Screen {
        at: Millis,
        full: bool,
    },
    /// The open recording's clock with idle gaps capped at `idle_cap` (None: real time).
    Clock {
        idle_cap: Option<Millis>,
    },
    Search {
        pattern: String,
        options: SearchOptions,
    },
    /// Rows that had left the screen by `at`: how many, and those in `start..end`.
    Scrollback {
        at: Millis,
        start: u32,
        end: u32,
    },
    Transcript,
    CloseRecording,
    /// Searches inside every recording of the sessions `query` selects (those of the
    /// Recordings view) for what they printed. Answered with `FoundInRecordings` broadcasts,
    /// as recordings are searched; numbered: a newer search (an empty pattern to stop) ends
    /// this one.
    SearchRecordings {
        search: u32,
        query: String,
        pattern: String,
        options: SearchOptions,
    },
    /// Finds a session by id and an event by `path:line` (a permalink's selection).
    Resolve {
        sid: Option<String>,
        event: Option<String>,
    },
    /// The row of the next (or previous) failure after row `from` of a table.
    NextFailure {
        table: TableRequest,
        from: u32,
        forward: bool,
    },
    /// Run the detections with these settings (they stay in force for later loads).
    Findings(Box<Settings>),
    /// The first `limit` findings of the last run, most severe first, then by time; only those
    /// of `rule` if given.
    FindingsPage {
        rule: Option<String>,
        limit: u32,
    },
    /// Run the detections with the settings in force. The page asks after each load, once it
    /// has asked for what it shows: at 1 GB they take the worker ~1.6 s (one task per rule),
    /// which the final overview and the current view would otherwise wait behind, in part.
    Detect,
    /// The most common values of each field among a table's matching rows.
    Facets {
        table: Table,
        query: String,
        top: u32,
    },
    Histogram(HistogramRequest),
    Dashboard(DashboardRequest),
    /// Starts an export; its bytes come back in chunks, each asked for with `ExportNext`.
    Export(ExportRequest),
    ExportNext,
    /// The last detection run's findings as NDJSON, each with its events' file, line and hash.
    ExportFindings,
    /// The files read with their hashes and counts, as CSV; or (`sums`) the dropped files' hashes
    /// in `sha256sum` format.
    ExportFiles {
        sums: bool,
    },
    /// Values of a field in the loaded events starting with `prefix`, for the query bar.
    Complete {
        field: String,
        prefix: String,
        limit: u32,
    },
    /// The case report: the findings, the sessions they touch and `sessions`, as one HTML file.
    Report {
        meta: ReportMeta,
        sessions: Vec<u32>,
    },
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Loading started: the top-level files got ids `first_id..first_id + count`.
    Started {
        first_id: FileId,
        count: u32,
    },
    Progress(Progress),
    /// Loading ended (completely, or cancelled).
    /// `parse_millis`: time the model worker spent parsing (and applying what the reader
    /// parsed); `read_millis`: the rest (waiting for slices, finishing); `reader_bytes`: the
    /// bytes the reader worker parsed.
    Loaded {
        cancelled: bool,
        millis: f64,
        bytes: u64,
        events: u64,
        parse_millis: f64,
        read_millis: f64,
        reader_bytes: u64,
        /// Bytes read from the files' byte streams (the rest by slices).
        streamed_bytes: u64,
    },
    Overview(Box<Overview>),
    Page(Page),
    Event(Box<EventDetail>),
    Session(Box<SessionDetail>),
    Hashed {
        id: FileId,
        sha256: String,
    },
    Recording(Box<RecordingInfo>),
    Screen(Box<ScreenUpdate>),
    Clock(Box<Clock>),
    Search(Box<SearchResults>),
    FoundInRecordings(Box<FoundInRecordings>),
    Scrollback {
        total: u32,
        start: u32,
        lines: Vec<ScrollbackLine>,
    },
    Transcript(String),
    /// A row number, or none.
    Row(Option<u32>),
    Resolved {
        session: Option<u32>,
        event: Option<u32>,
    },
    /// What the last detection run found, counted, with the settings used (the findings
    /// themselves are asked for a page at a time: at 1 GB they are tens of thousands).
    Findings {
        summary: FindingsSummary,
        settings: Box<Settings>,
    },
    /// The first findings of a [`Request::FindingsPage`], and how many match in all, from
    /// detection run number `run`.
    FindingsPage {
        run: u32,
        rows: Vec<FindingRow>,
        matching: u32,
    },
    Facets(Box<Facets>),
    Histogram(Box<Histogram>),
    Dashboard(Box<Dashboard>),
    /// A count or chart not computed: a newer request of its kind came before its turn.
    Superseded,
    /// A part of an export: `written` of `rows` rows are in the parts so far.
    ExportChunk {
        bytes: Vec<u8>,
        written: u32,
        rows: u32,
        done: bool,
        error: Option<QueryError>,
    },
    /// A document made in one piece (case report, findings, file list, sums): its bytes ride
    /// along as a Blob, which the page saves without copying them.
    Document,
    Completions(Vec<Completion>),
    Cleared,
    Error(String),
}

/// An opened recording, as the player needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordingInfo {
    pub session: u32,
    pub sid: String,
    pub generation: u8,
    /// Recording time of the end.
    pub duration: Millis,
    pub size: TermSize,
    /// Wall-clock time of recording time 0.
    pub start_time: Option<i64>,
    pub prints: u32,
    /// Session events on the recording's clock (joins, resizes, enhanced commands…), for markers.
    pub events: Vec<SessionEvent>,
    /// What could not be decoded, with where.
    pub problems: Vec<String>,
    /// What the recording holds instead of output, how a file was read where its name did not
    /// say: worth knowing, not damage.
    pub notes: Vec<String>,
    /// The clock with the default idle cap.
    pub clock: Clock,
    pub stats: IndexStats,
    /// Time spent decoding and indexing, in the worker.
    pub open_millis: f64,
}

/// The findings of a detection run, counted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FindingsSummary {
    /// The run's number: pages of findings name the run they come from.
    pub run: u32,
    pub total: u32,
    /// By severity, most severe first (as [`Severity`] orders them, reversed).
    pub by_severity: Vec<(Severity, u32)>,
    /// By rule id, for the rules that raised any.
    pub by_rule: Vec<(String, u32)>,
}

impl FindingsSummary {
    pub fn new(run: u32, findings: &[Finding]) -> Self {
        let mut by_severity: Vec<(Severity, u32)> = Vec::new();
        let mut by_rule: Vec<(String, u32)> = Vec::new();
        for f in findings {
            match by_severity.iter_mut().find(|(s, _)| *s == f.severity) {
                Some((_, n)) => *n += 1,
                None => by_severity.push((f.severity, 1)),
            }
            match by_rule.iter_mut().find(|(r, _)| *r == f.rule) {
                Some((_, n)) => *n += 1,
                None => by_rule.push((f.rule.clone(), 1)),
            }
        }
        by_severity.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
        FindingsSummary { run, total: findings.len() as u32, by_severity, by_rule }
    }

    pub fn count(&self, severity: Severity) -> u32 {
        self.by_severity.iter().find(|(s, _)| *s == severity).map_or(0, |(_, n)| *n)
    }
}

/// A finding as the page lists it: its events stay in the worker (`finding:N` selects them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingRow {
    /// Its number, for `finding:N`.
    pub index: u32,
    pub rule: String,
    pub severity: Severity,
    pub title: String,
    pub explanation: String,
    pub time_start: Option<i64>,
    pub time_end: Option<i64>,
    pub users: Vec<String>,
    pub nodes: Vec<String>,
    pub addrs: Vec<String>,
    pub events: u32,
}

impl FindingRow {
    pub fn new(index: usize, f: &Finding) -> Self {
        FindingRow {
            index: index as u32,
            rule: f.rule.clone(),
            severity: f.severity,
            title: f.title.clone(),
            explanation: f.explanation.clone(),
            time_start: f.time_start,
            time_end: f.time_end,
            users: f.users.clone(),
            nodes: f.nodes.clone(),
            addrs: f.addrs.clone(),
            events: f.events.len() as u32,
        }
    }
}

/// A row that had left the screen, with when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScrollbackLine {
    pub at: Millis,
    pub row: Row,
    pub wrapped: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub files_done: u32,
    pub files_total: u32,
    pub events: u64,
    pub problems: u64,
    pub current: String,
    pub millis: f64,
}

impl Progress {
    /// Bytes per second so far.
    pub fn rate(&self) -> f64 {
        if self.millis > 0.0 {
            self.bytes_done as f64 / (self.millis / 1000.0)
        } else {
            0.0
        }
    }

    /// Seconds left at the current rate.
    pub fn eta(&self) -> Option<f64> {
        let rate = self.rate();
        (rate > 0.0 && self.bytes_total >= self.bytes_done).then(|| (self.bytes_total - self.bytes_done) as f64 / rate)
    }
}

/// How far a search inside recordings has got, with the recordings found since the last one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FoundInRecordings {
    /// The search's number (`Request::SearchRecordings`).
    pub search: u32,
    pub searched: u32,
    pub total: u32,
    /// Recordings with hits, searched since the last message.
    pub found: Vec<FoundInRecording>,
    /// Recordings that could not be read (with why), since the last message.
    pub unreadable: Vec<(String, String)>,
    /// The pattern is not a valid regular expression, or the query does not compile.
    pub error: Option<String>,
    pub done: bool,
}

/// One recording's hits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FoundInRecording {
    pub session: SessionRow,
    pub hits: u32,
    /// More hits than the player lists exist.
    pub truncated: bool,
    /// The first few hits.
    pub first: Vec<SearchHit>,
}

/// Between the model worker and the reader worker, through the page. The reader
/// reads each file once, in slices, and streams the slices (transferred, not copied) to the
/// model worker, or parses a file itself and streams its journal; the model answers each
/// (`Took`), which bounds what is in flight; files are hashed once parsed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Pipe {
    /// Model → reader: read these files in order (their handles ride along). The reader may
    /// parse some itself (see `Journal`): for that it needs their paths, and the seed of the
    /// model's duplicate keys (a new seed means a new model: the reader's parser starts again).
    Read { files: Vec<FileId>, paths: Vec<String>, seed: u64, options: review_core::ingest::Options },
    /// Model → reader: the oldest slice or journal of this round not yet taken was (every one
    /// is answered, whatever became of it). The reader bounds what it sends by these, and parses
    /// files itself while the model has enough to do. Rounds end at each `Stop`: a `Took` of an
    /// earlier one counts for nothing.
    Took(u32),
    /// Model → reader: read no more of this file (its bytes are not needed); only hash it.
    HashOnly(FileId),
    /// Model → reader: stop reading; files not begun are not hashed. `forget`: everything was
    /// cleared (file ids start again), so hashes still being computed are dropped too.
    Stop { forget: bool },
    /// Model → reader: the load is parsed; files read may now be digested (hashing while
    /// parsing would take a core, or a hyperthread, from the parser). Numbered, so that a
    /// `Digested` answering an earlier one is not taken for this one's.
    Parsed(u32),
    /// Reader → model: every file read before it is hashed (or could not be); the number of
    /// the last `Parsed`.
    Digested(u32),
    /// Reader → model: bytes `start..end` of a file (the bytes ride along). `streamed`: read
    /// from the file's byte stream (else by a slice of it).
    Slice { file: FileId, start: u64, end: u64, last: bool, round: u32, streamed: bool },
    /// Reader → model: the journal of bytes `start..end` of a file the reader parses itself
    /// (see `review_core::ingest::Parser`; the journal rides along); `last`: the file is
    /// closed. `seed`: of the model the parser writes for.
    Journal { file: FileId, start: u64, end: u64, last: bool, seed: u64, round: u32, streamed: bool },
    /// Reader → model: a file was read to its end: its SHA-256.
    Hashed { file: FileId, sha256: String },
    /// Reader → model: a file could not be read.
    Failed { file: FileId, error: String },
    /// Reader → model: a file read and parsed could not be read again to be hashed (e.g. it
    /// changed on disk since).
    HashFailed { file: FileId, error: String },
}

/// Requests carry an id; the answer carries the same id. Id 0 is for broadcasts (progress).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub id: u32,
    pub body: T,
}

pub fn encode<T: Serialize>(id: u32, body: T) -> Vec<u8> {
    postcard::to_allocvec(&Envelope { id, body }).unwrap_or_default()
}

pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<Envelope<T>> {
    postcard::from_bytes(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use review_core::views::{Sort, Table};

    #[test]
    fn a_findings_summary_counts_every_finding_by_severity_and_by_rule() {
        let finding = |rule: &str, severity| Finding {
            rule: rule.into(),
            severity,
            title: String::new(),
            explanation: String::new(),
            time_start: None,
            time_end: None,
            users: Vec::new(),
            nodes: Vec::new(),
            addrs: Vec::new(),
            events: Vec::new(),
        };
        let findings = [
            finding("brute", Severity::Medium),
            finding("root", Severity::High),
            finding("brute", Severity::Medium),
            finding("hours", Severity::Low),
        ];
        let s = FindingsSummary::new(7, &findings);
        assert_eq!((s.run, s.total), (7, 4));
        assert_eq!(s.by_severity, [(Severity::High, 1), (Severity::Medium, 2), (Severity::Low, 1)]);
        assert_eq!(s.by_rule, [("brute".to_owned(), 2), ("root".to_owned(), 1), ("hours".to_owned(), 1)]);
        assert_eq!((s.count(Severity::Medium), s.count(Severity::Info)), (2, 0));
    }

    #[test]
    fn messages_round_trip() {
        let req = Request::Table(TableRequest {
            table: Table::Auth,
            query: "user:\"a b\"".into(),
            sort: Sort::default(),
            offset: 5,
            limit: 50,
        });
        let back: Envelope<Request> = decode(&encode(7, req.clone())).unwrap();
        assert_eq!((back.id, back.body), (7, req));
        let p = Progress { bytes_done: 50, bytes_total: 150, millis: 1000.0, ..Progress::default() };
        assert_eq!(p.rate(), 50.0);
        assert_eq!(p.eta(), Some(2.0));
        assert!(decode::<Request>(b"\xff\xff garbage").is_none());
    }
}
