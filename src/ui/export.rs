//! Downloads made in the browser: the matching rows of a table as CSV or NDJSON (written by the
//! worker in chunks, each asked for when the last arrived, so a big export shows progress and
//! can be stopped), and the case report as one HTML file. Nothing leaves the machine: the file
//! is assembled from parts in memory and handed to the browser's own download.

use super::backend::Backend;
use super::format::count;
use super::state::Action;
use crate::protocol::{Request, Response};
use js_sys::{Array, Uint8Array};
use review_core::views::{ExportFormat, ExportRequest, ReportMeta, Table};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};
use yew::prelude::*;

/// Offers `parts` (of a file: Blobs or byte arrays, any BlobPart) as a download named `name`.
fn download(name: &str, mime: &str, parts: &Array) -> Result<(), String> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(parts, &options).map_err(|_| "the browser refused")?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|_| "no object URL")?;
    let document = gloo::utils::document();
    let a: HtmlAnchorElement = document.create_element("a").map_err(|_| "no link")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The download has its own reference to the blob once started.
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// `20240301-142233`: a file name part that sorts by time.
fn stamp() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// One export under way.
struct Run {
    backend: Backend,
    parts: Array,
    name: String,
    mime: &'static str,
    progress: Callback<Option<(u32, u32)>>,
    stopped: Rc<Cell<bool>>,
    notice: Callback<Action>,
}

fn step(run: Rc<Run>, r: Response) {
    match r {
        Response::ExportChunk { error: Some(e), .. } => {
            run.progress.emit(None);
            let why = format!("Nothing was exported: the query has an error at {}: {}", e.pos + 1, e.message);
            run.notice.emit(Action::Notice(why));
        }
        Response::ExportChunk { bytes, written, rows, done, .. } => {
            // Each chunk becomes a Blob as it comes (its copy costs ~1 ms): one Blob made of
            // them all at the end then copies nothing, where one made of 700 MB of byte
            // arrays took the page 270 ms.
            let chunk = Uint8Array::from(bytes.as_slice());
            match Blob::new_with_u8_array_sequence(&Array::of1(&chunk)) {
                Ok(blob) => run.parts.push(&blob),
                Err(_) => run.parts.push(&chunk),
            };
            if done {
                run.progress.emit(None);
                if let Err(why) = download(&run.name, run.mime, &run.parts) {
                    run.notice.emit(Action::Notice(format!("The export could not be saved: {why}")));
                }
            } else if run.stopped.get() {
                run.progress.emit(None);
            } else {
                run.progress.emit(Some((written, rows)));
                let next = run.clone();
                run.backend.request(Request::ExportNext, move |r| step(next, r));
            }
        }
        Response::Error(why) => {
            run.progress.emit(None);
            run.notice.emit(Action::Notice(format!("The export failed: {why}")));
        }
        _ => {}
    }
}

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    pub table: Table,
    pub query: String,
    pub dispatch: Callback<Action>,
}

/// "Export CSV · NDJSON" for a table's matching rows, with progress and a stop button.
#[function_component(ExportButtons)]
pub fn export_buttons(p: &ExportProps) -> Html {
    let backend = use_context::<Backend>().expect("backend");
    let progress = use_state(|| None::<(u32, u32)>);
    let stopped = use_mut_ref(|| Rc::new(Cell::new(false)));
    let start = |format: ExportFormat| {
        let (backend, progress, stopped, p_table, query, notice) =
            (backend.clone(), progress.clone(), stopped.clone(), p.table, p.query.clone(), p.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            let flag = Rc::new(Cell::new(false));
            *stopped.borrow_mut() = flag.clone();
            let progress = progress.clone();
            let run = Rc::new(Run {
                backend: backend.clone(),
                parts: Array::new(),
                name: format!("teleport-{}-{}.{}", table_slug(p_table), stamp(), format.extension()),
                mime: format.mime_type(),
                progress: Callback::from(move |v| progress.set(v)),
                stopped: flag,
                notice: notice.clone(),
            });
            run.progress.emit(Some((0, 0)));
            let req = ExportRequest { table: p_table, query: query.clone(), format };
            backend.request(Request::Export(req), move |r| step(run, r));
        })
    };
    let stop = {
        let stopped = stopped.clone();
        Callback::from(move |_: MouseEvent| stopped.borrow().set(true))
    };
    match *progress {
        Some((written, rows)) => html! {
            <span class="export" role="status">
                {format!("Exporting {} of {} rows…", count(u64::from(written)), count(u64::from(rows)))}
                <button onclick={stop}>{"Stop"}</button>
            </span>
        },
        None => html! {
            <span class="export" role="group" aria-label="Export the matching rows">
                {"Export "}
                <button onclick={start(ExportFormat::Csv)} title="The matching rows as CSV (spreadsheet-safe), with each row's file, line and file SHA-256">{"CSV"}</button>
                <button onclick={start(ExportFormat::Ndjson)} title="The matching rows as NDJSON, each with its original log line untouched, file, line and SHA-256">{"NDJSON"}</button>
            </span>
        },
    }
}

fn table_slug(t: Table) -> &'static str {
    match t {
        Table::Events => "events",
        Table::Auth => "auth",
        Table::Sessions => "sessions",
        Table::Recordings => "recordings",
        Table::Problems => "problems",
        Table::Files => "files",
    }
}

/// A document made by the worker in one piece.
#[derive(Clone, PartialEq)]
pub enum Doc {
    /// The case report: what was loaded (and its hashes), the findings, the sessions they touch
    /// and `sessions`; `query` is the views' query, named in it.
    Report { query: String, sessions: Vec<u32> },
    /// The findings as NDJSON with their events.
    Findings,
    /// Every file read with its size, hash and counts, as CSV.
    Files,
    /// The dropped files' hashes, in `sha256sum -c` format.
    Sums,
}

impl Doc {
    fn request(&self) -> Request {
        match self {
            Doc::Report { query, sessions } => Request::Report {
                meta: ReportMeta {
                    title: String::new(),
                    tool: format!("Teleport Log Review {}", env!("CARGO_PKG_VERSION")),
                    made_at: (js_sys::Date::now() * 1e6) as i64,
                    query: query.clone(),
                },
                sessions: sessions.clone(),
            },
            Doc::Findings => Request::ExportFindings,
            Doc::Files => Request::ExportFiles { sums: false },
            Doc::Sums => Request::ExportFiles { sums: true },
        }
    }

    /// Label, label while busy, and what it holds.
    fn words(&self) -> (&'static str, &'static str, &'static str) {
        match self {
            Doc::Report { .. } => ("Case report", "Writing the report…", "One HTML file: the files loaded with their SHA-256, the findings with their events, and the sessions they touch. No script; prints well."),
            Doc::Findings => ("Export findings", "Exporting…", "The findings as NDJSON: each with its rule, severity, explanation and every event behind it (file, line, SHA-256)."),
            Doc::Files => ("Export file list", "Exporting…", "Every file read, archive entries included, with size, SHA-256, events, bad lines and time span, as CSV."),
            Doc::Sums => ("SHA-256 sums", "Exporting…", "The dropped files' SHA-256 in sha256sum format: run `sha256sum -c` on it beside the files to check they are the ones reviewed."),
        }
    }

    /// The file name (without the time stamp part) and its type.
    fn file(&self) -> (&'static str, &'static str, &'static str) {
        match self {
            Doc::Report { .. } => ("teleport-case-report", "html", "text/html"),
            Doc::Findings => ("teleport-findings", "ndjson", "application/x-ndjson"),
            Doc::Files => ("teleport-files", "csv", "text/csv"),
            Doc::Sums => ("teleport-files", "sha256", "text/plain"),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct DocProps {
    pub doc: Doc,
    pub dispatch: Callback<Action>,
}

/// A button that has the worker write a document and saves it.
#[function_component(DocButton)]
pub fn doc_button(p: &DocProps) -> Html {
    let backend = use_context::<Backend>().expect("backend");
    let busy = use_state(|| false);
    let (label, busy_label, title) = p.doc.words();
    let onclick = {
        let (busy, doc, notice) = (busy.clone(), p.doc.clone(), p.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            let (busy, notice, request) = (busy.clone(), notice.clone(), doc.request());
            let doc = doc.clone();
            backend.request_with(request, move |r, blob| {
                busy.set(false);
                // The worker made the Blob: the page saves it without copying its bytes (a
                // findings export of 47 MB cost the page ~100 ms when it came as text).
                let blob = match (r, blob) {
                    (Response::Document, Some(blob)) => blob,
                    (Response::Error(why), _) => return notice.emit(Action::Notice(why)),
                    _ => return,
                };
                let (stem, extension, mime) = doc.file();
                let name = format!("{stem}-{}.{extension}", stamp());
                if let Err(why) = download(&name, mime, &Array::of1(&blob)) {
                    notice.emit(Action::Notice(format!("{name} could not be saved: {why}")));
                }
            });
        })
    };
    html! {
        <button {onclick} disabled={*busy} {title}>{ if *busy { busy_label } else { label } }</button>
    }
}
