//! Terminal replay of a decoded [`review_recording::Recording`].
//!
//! [`Player::new`] runs the whole recording through a virtual terminal (avt) once. On the
//! way it saves keyframes of terminal state, keeps every row that leaves the screen
//! (scrollback, transcript) and builds a search text. Seeking restores the nearest keyframe
//! and replays at most one keyframe interval of output. Screens come out as
//! [`ScreenSnapshot`]/[`ScreenUpdate`] values of styled runs, ready to cross to the UI thread.
//!
//! Output is treated as hostile: it reaches nothing but the cell grid (avt has no output
//! channel, and titles, clipboard and hyperlink sequences are parsed and dropped), sizes are
//! clamped to [`TermSize::MAX`], and costly sequences are bounded.

mod clock;
mod cluster;
mod index;
mod keyframe;
mod lines;
mod player;
mod screen;
mod search;
mod size;
mod timeline;
mod transcript;
mod utf8;
mod vt;

pub use clock::Clock;
pub use keyframe::DEFAULT_INTERVAL as DEFAULT_KEYFRAME_INTERVAL;
pub use player::{IndexStats, Player, ScrollbackLine};
pub use review_recording::Millis;
pub use screen::{ActiveScreen, ChangedRow, Color, Cursor, Row, Run, ScreenSnapshot, ScreenUpdate, Style};
pub use search::{check_pattern, SearchHit, SearchOptions, SearchResults, MAX_HITS};
pub use size::TermSize;
pub use transcript::{format_time, TranscriptLine};
