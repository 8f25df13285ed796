//! What the UI asks of the model, and the answers: paged, filtered, sorted tables (events, auth
//! attempts, sessions, problems), the overview, and the detail of one event or session. Every
//! number shown comes from here, never from the view.

mod csv_cell;
mod dashboard;
mod export;
mod facets;
mod histogram;
mod html;
mod manifest;
mod matching;
mod overview;
mod report;
mod rfc3339;
mod rows;
mod tables;

pub use csv_cell::{needs_neutralizing, push_csv_cell, restore_csv_cell, FORMULA_TRIGGERS};
pub use dashboard::{
    dashboard, dashboard_of, AttemptCount, Dashboard, DashboardRequest, DurationBucket, DurationCount, Heatmap,
    WEEKDAYS,
};
pub use export::{
    evidence_sha256, export, findings_ndjson, Export, ExportFormat, ExportRequest, RawLines, EVENT_COLUMNS,
    SESSION_COLUMNS,
};
pub use facets::{facets, facets_of, Facet, FacetField, FacetValue, Facets};
pub use histogram::{
    bucket_grid, choose_bucket_size, histogram, histogram_of, Bucket, BucketSize, Histogram, HistogramRequest,
    TimeUnit, BUCKET_SIZES, MAX_BUCKETS,
};
pub use html::{html_text, is_hidden, push_html_text};
pub use manifest::{files_csv, sha256sums, FILE_COLUMNS};
pub use matching::{compile_query, recorded_sessions};
pub use overview::{FileRow, Overview};
pub use report::{
    case_report, ReportFinding, ReportMeta, MAX_FINDING_EVENTS, MAX_PROBLEMS, MAX_REPORT_FINDINGS, MAX_SESSION_EVENTS,
};
pub use rfc3339::{rfc3339_utc, Rfc3339};
pub use rows::{EventDetail, EventRow, ProblemRow, RecordingStatus, SessionDetail, SessionRow};
pub use tables::{Page, QueryError, Rows, Sort, SortKey, Table, TableRequest, Views};
