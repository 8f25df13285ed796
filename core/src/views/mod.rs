//! What the UI asks of the model, and the answers: paged, filtered, sorted tables (events, auth
//! attempts, sessions, problems), the overview, and the detail of one event or session. Every
//! number shown comes from here, never from the view.

mod overview;
mod rows;
mod tables;

pub use overview::{FileRow, Overview};
pub use rows::{EventDetail, EventRow, ProblemRow, RecordingStatus, SessionDetail, SessionRow};
pub use tables::{Page, QueryError, Rows, Sort, SortKey, Table, TableRequest, Views};
