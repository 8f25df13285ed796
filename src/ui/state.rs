//! All of the page's state and every transition of it, in one reducer.

use crate::protocol::{FoundInRecordings, Progress};
use review_core::query::{term_text, with_term, Op};
use review_core::views::{rfc3339_utc, Overview};
use review_replay::SearchOptions;
use std::rc::Rc;
use yew::Reducible;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Overview,
    Dashboard,
    Sessions,
    Auth,
    Events,
    Recordings,
    Findings,
    Problems,
}

impl View {
    pub const ALL: [View; 8] = [
        View::Overview,
        View::Dashboard,
        View::Sessions,
        View::Auth,
        View::Events,
        View::Recordings,
        View::Findings,
        View::Problems,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Dashboard => "dashboard",
            View::Sessions => "sessions",
            View::Auth => "auth",
            View::Events => "events",
            View::Recordings => "recordings",
            View::Findings => "findings",
            View::Problems => "problems",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Dashboard => "Dashboard",
            View::Sessions => "Sessions",
            View::Auth => "Auth",
            View::Events => "Events",
            View::Recordings => "Recordings",
            View::Findings => "Findings",
            View::Problems => "Problems",
        }
    }

    pub fn from_slug(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.slug() == s)
    }
}

/// What the detail drawer shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selected {
    Event(u32),
    Session(u32),
}

/// A selection by names that survive reloading the same files: a session by its id, an event by
/// its file and line, and a moment of a recording.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    pub sid: Option<String>,
    pub event: Option<String>,
    /// Milliseconds into the session's recording (when it is being replayed).
    pub t: Option<u64>,
    /// Whether the recording was being replayed.
    pub play: bool,
}

impl Link {
    pub fn is_empty(&self) -> bool {
        self.sid.is_none() && self.event.is_none()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LoadInfo {
    pub millis: f64,
    pub bytes: u64,
    pub cancelled: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub view: View,
    pub query: String,
    /// Counts queries submitted: the query bar takes the query back after each, even when the
    /// text came out the same (an offset deleted, and written again for local time).
    pub submitted: u32,
    /// Present while files are being read.
    pub progress: Option<Progress>,
    /// Files handed to the worker so far, of how many, while a drop is handed over.
    pub handing: Option<(usize, usize)>,
    /// Dropped folders being looked through: the files found so far.
    pub walking: Option<usize>,
    pub last_load: Option<LoadInfo>,
    pub overview: Option<Rc<Overview>>,
    /// Bumped whenever the model changes, so views fetch again.
    pub version: u32,
    pub selected: Option<Selected>,
    pub local_time: bool,
    /// `None` follows the system; `Some(true)` is dark.
    pub dark: Option<bool>,
    pub help: bool,
    pub notices: Vec<String>,
    pub hashed: u32,
    /// The session whose recording is being replayed.
    pub playing: Option<u32>,
    /// Whether the player was opened from that session's drawer (closing it goes back there).
    pub played_from_drawer: bool,
    /// The selection by names that survive a reload: what the URL carries.
    pub link: Link,
    /// Whether facets are shown beside tables.
    pub facets: bool,
    /// The detections' findings and the settings they ran with.
    pub findings: Option<Rc<(review_protocol::FindingsSummary, review_core::detect::Settings)>>,
    /// The last search inside recordings, as far as it has got.
    pub inside: Option<Rc<Inside>>,
    /// What the player searches for as it opens (a hit found inside recordings was clicked).
    pub find: Option<Rc<Find>>,
}

/// A search for text (or a regular expression) in what sessions printed.
#[derive(Clone, Debug, PartialEq)]
pub struct Find {
    pub pattern: String,
    pub options: SearchOptions,
}

/// A search inside the recordings a query selects, and what it found so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Inside {
    pub find: Rc<Find>,
    pub query: String,
    /// The worker's accounts of this search, taken together.
    pub so_far: FoundInRecordings,
}

impl Inside {
    pub fn new(search: u32, find: Find, query: String) -> Self {
        Inside { find: Rc::new(find), query, so_far: FoundInRecordings { search, ..FoundInRecordings::default() } }
    }

    /// Takes in what the worker found since it last said (for this search only).
    fn absorb(&mut self, news: FoundInRecordings) {
        let s = &mut self.so_far;
        if news.search != s.search {
            return;
        }
        s.searched = news.searched.max(s.searched);
        s.total = news.total;
        s.found.extend(news.found);
        s.unreadable.extend(news.unreadable);
        s.error = news.error.or(s.error.take());
        s.done = news.done;
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            view: View::Overview,
            query: String::new(),
            submitted: 0,
            progress: None,
            handing: None,
            walking: None,
            last_load: None,
            overview: None,
            version: 0,
            selected: None,
            local_time: false,
            dark: None,
            help: false,
            notices: Vec::new(),
            hashed: 0,
            playing: None,
            played_from_drawer: false,
            findings: None,
            inside: None,
            find: None,
            link: Link::default(),
            facets: true,
        }
    }
}

impl AppState {
    pub fn has_data(&self) -> bool {
        self.overview.as_ref().is_some_and(|o| o.files > 0) || self.progress.is_some()
    }
}

pub enum Action {
    Show(View),
    Query(String),
    /// Adds `field:value` (or its negation) to the query: click-to-filter.
    Pivot {
        field: String,
        value: String,
        exclude: bool,
    },
    /// Files handed to the worker so far, of how many (`None`: the handoff ended).
    Handing(Option<(usize, usize)>),
    Walking(Option<usize>),
    Started,
    Progress(Progress),
    /// The model grew: views fetch again.
    Changed,
    Loaded(LoadInfo),
    Overview(Rc<Overview>),
    Select(Option<Selected>),
    ToggleTime,
    ToggleTheme,
    Help(bool),
    Notice(String),
    DismissNotice(usize),
    Hashed,
    Cleared,
    /// Replays a session's recording, with the session's details beside it.
    Play(u32),
    /// Replays a session's recording from a moment, searching it for what was found there.
    PlayFound {
        session: u32,
        at: u64,
        find: Rc<Find>,
    },
    /// A search inside recordings begins (`None`: it was stopped).
    SearchInside(Option<Rc<Inside>>),
    FoundInRecordings(Box<FoundInRecordings>),
    ClosePlayer,
    /// Narrows the query to a time range (`None`: no range), as `time>=… time<…`.
    TimeRange(Option<(i64, i64)>),
    ToggleFacets,
    /// The selection's names, once known (for the URL).
    Linked(Link),
    /// The URL changed under the app (Back, Forward, a link pasted): its view and query, and
    /// its selection, which is looked up again (a link without one closes what is open).
    Located {
        view: View,
        query: String,
        link: Link,
    },
    Findings(Rc<(review_protocol::FindingsSummary, review_core::detect::Settings)>),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Show(v) => s.view = v,
            // Times typed while local time is shown mean local time: they get its offset, in
            // the text, so the query says what it selects. Those already in the query (typed
            // as UTC, or from a link) stay as they were.
            Action::Query(q) => {
                s.submitted = s.submitted.wrapping_add(1);
                s.query = if s.local_time {
                    review_core::query::localize_times(&q, &s.query, super::format::local_offset)
                } else {
                    q
                };
            }
            // A value clicked adds its term to the query; clicked again, takes it out.
            Action::Pivot { field, value, exclude } => {
                let term = term_text(&field, &value);
                let term = if exclude { format!("-{term}") } else { term };
                if s.query.split_whitespace().any(|t| t == term) {
                    s.query = s.query.split_whitespace().filter(|t| *t != term).collect::<Vec<_>>().join(" ");
                } else {
                    s.query = if s.query.trim().is_empty() { term } else { format!("{} {term}", s.query.trim_end()) };
                }
            }
            Action::Handing(h) => s.handing = h,
            Action::Walking(w) => s.walking = w,
            Action::Started => {
                s.handing = None;
                s.progress = Some(Progress::default());
                s.last_load = None;
            }
            Action::Progress(p) => s.progress = Some(p),
            Action::Changed => s.version += 1,
            Action::Loaded(info) => {
                s.progress = None;
                s.handing = None;
                s.last_load = Some(info);
                s.version += 1;
            }
            Action::Overview(o) => s.overview = Some(o),
            Action::Select(sel) => {
                if sel.is_none() && s.playing.is_none() {
                    s.link = Link::default();
                }
                s.selected = sel;
            }
            Action::ToggleTime => s.local_time = !s.local_time,
            Action::ToggleTheme => s.dark = Some(!s.dark.unwrap_or(false)),
            Action::Help(on) => s.help = on,
            Action::Notice(n) => {
                if !s.notices.contains(&n) {
                    s.notices.push(n);
                }
            }
            Action::DismissNotice(i) => {
                if i < s.notices.len() {
                    s.notices.remove(i);
                }
            }
            Action::Hashed => s.hashed += 1,
            Action::Play(session) => {
                s.played_from_drawer = s.selected == Some(Selected::Session(session));
                s.playing = Some(session);
                s.selected = None;
                s.find = None;
            }
            Action::PlayFound { session, at, find } => {
                s.played_from_drawer = false;
                s.playing = Some(session);
                s.selected = None;
                s.link = Link { t: Some(at), play: true, ..Link::default() };
                s.find = Some(find);
            }
            Action::SearchInside(inside) => s.inside = inside,
            Action::FoundInRecordings(news) => {
                if let Some(inside) = s.inside.as_mut() {
                    Rc::make_mut(inside).absorb(*news);
                }
            }
            // Back to the drawer the player was opened from, which the link's session names;
            // else nothing is open, and the link names nothing (a session left in it came back
            // with a link shared later, over other results).
            Action::ClosePlayer => {
                s.find = None;
                let back = s.playing.take().filter(|_| s.played_from_drawer);
                s.selected = back.map(Selected::Session);
                s.link = match back {
                    Some(_) => Link { sid: s.link.sid.take(), ..Link::default() },
                    None => Link::default(),
                };
            }
            // While a recording plays, the player owns the link; an event opened beside it is added.
            Action::TimeRange(range) => {
                let (from, until) = range.map_or((None, None), |(a, b)| (Some(rfc3339_utc(a)), Some(rfc3339_utc(b))));
                let q = with_term(&s.query, "time", Op::Ge, from.as_deref());
                s.query = with_term(&q, "time", Op::Lt, until.as_deref());
            }
            Action::ToggleFacets => s.facets = !s.facets,
            Action::Linked(link) if s.playing.is_some() && !link.play => s.link.event = link.event,
            Action::Linked(link) => s.link = link,
            Action::Located { view, query, link } => {
                s.view = view;
                s.query = query;
                if !link.play {
                    s.playing = None;
                }
                if link.is_empty() {
                    s.selected = None;
                    s.link = Link::default();
                }
            }
            Action::Findings(f) => {
                s.findings = Some(f);
                // Queries may name findings by number: views fetch again.
                s.version += 1;
            }
            Action::Cleared => {
                let keep = (s.local_time, s.dark);
                s = AppState { local_time: keep.0, dark: keep.1, version: s.version + 1, ..AppState::default() };
            }
        }
        Rc::new(s)
    }
}
