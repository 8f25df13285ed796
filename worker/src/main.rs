//! The web worker. The page starts two of it and passes their messages between them: the
//! *model* worker owns the model, parses, and answers the page's requests; the *reader* reads
//! each file once, in slices, hashes it, and streams the slices to the model worker, or, while
//! the model has enough to do, parses the file itself and streams a journal the model applies.
//! Reading a Blob needs its worker's event loop, so reading beside the parser (not inside it)
//! lets the two overlap on two cores; requests are answered between slices, so loading can be
//! cancelled and what is loaded so far is usable at once.

mod export;
mod files;
mod findings;
mod gate;
mod inside;
mod later;
mod loader;
mod player;
mod reader;
mod recordings;

use files::read_back;
use js_sys::{Array, Uint8Array};
use review_core::ingest::{Ingest, Options};
use review_core::problem::FileId;
use review_core::query::complete_values;
use review_core::views::{
    dashboard, facets, files_csv, findings_ndjson, histogram, sha256sums, EventDetail, SessionDetail, Views,
};
use review_protocol::{decode, encode, Pipe, Request, Response};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

struct State {
    ingest: Ingest,
    views: Views,
    /// Handles of top-level files, to read raw lines and recordings back.
    handles: HashMap<FileId, Blob>,
    loading: Option<loader::Loading>,
    /// The recording being replayed, if any.
    player: Option<review_replay::Player>,
    /// Detection settings in force.
    settings: review_core::detect::Settings,
    /// The last detection run's findings (for the case report).
    findings: Vec<review_core::detect::Finding>,
    /// The export under way, if any.
    export: Option<review_core::views::Export>,
    /// Handles offered for loads not yet asked for, by batch.
    offered: HashMap<u32, Vec<Blob>>,
    /// Exports wait here while files are hashed after a load.
    gate: gate::HashGate,
    /// The detection run under way, one rule per task (see findings.rs).
    detection: Option<review_core::detect::Detection>,
    /// Documents made of the findings, asked for while a run was under way.
    after_detection: Vec<(u32, Request)>,
    /// The number of the search inside recordings under way (see inside.rs); a clear resets
    /// it, which ends the search (the page numbers its searches from 1).
    inside_search: u32,
    /// Counts the detection runs that ended (kept across clears): the page fetches the findings
    /// of the run it was told of.
    findings_run: u32,
}

impl State {
    fn new() -> Self {
        State {
            ingest: Ingest::new(Options {
                read_back_plain_files: true,
                seed: Some(random_u64()),
                ..Options::default()
            }),
            views: Views::default(),
            handles: HashMap::new(),
            loading: None,
            player: None,
            settings: review_core::detect::Settings::default(),
            findings: Vec::new(),
            export: None,
            offered: HashMap::new(),
            gate: gate::HashGate::default(),
            detection: None,
            after_detection: Vec::new(),
            findings_run: 0,
            inside_search: 0,
        }
    }
}

/// 64 random bits from the browser (wasm has no randomness of its own).
fn random_u64() -> u64 {
    let half = || (js_sys::Math::random() * f64::from(u32::MAX)) as u64;
    half() << 32 | half()
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::new());
}

fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> R {
    STATE.with(|s| f(&mut s.borrow_mut()))
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn now() -> f64 {
    scope().performance().map_or(0.0, |p| p.now())
}

/// Calls `callback` in a task of its own, after the messages already queued.
fn after_queued(callback: &js_sys::Function) {
    let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(callback, 0);
}

/// Runs `f` in a task of its own, after the messages already queued.
fn in_a_task(f: impl FnOnce() + 'static) {
    after_queued(Closure::once_into_js(f).unchecked_ref());
}

/// Resolves in a task of its own, after the messages already queued.
async fn next_task() {
    let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |resolve, _| after_queued(&resolve))).await;
}

/// Posts a response to the page; the bytes' buffer is transferred, not copied.
fn post(id: u32, body: Response) {
    post_with(id, body, None);
}

/// Posts a response with a JS object riding along (as `[bytes, object]`), if any.
fn post_with(id: u32, body: Response, along: Option<&JsValue>) {
    let bytes = Uint8Array::from(encode(id, body).as_slice());
    let transfer = Array::of1(&bytes.buffer());
    let message: JsValue = match along {
        Some(object) => Array::of2(&bytes, object).into(),
        None => bytes.into(),
    };
    let _ = scope().post_message_with_transfer(&message, &transfer);
}

/// Answers with a document: its bytes go as a Blob made here, which the page saves without
/// copying them.
fn post_document(id: u32, bytes: &[u8]) {
    match Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(bytes))) {
        Ok(blob) => post_with(id, Response::Document, Some(&blob)),
        Err(_) => post(id, Response::Error("the browser could not make the document (out of memory?)".into())),
    }
}

/// Sends a message to the other worker, with JS objects riding along (transferred when they
/// are buffers). It goes through the page, as `[bytes, extra, transfer]`, and the page passes it
/// on, transferring again: buffers are never copied. (A MessagePort between the two workers
/// copied them in Firefox, 2.1 s per GB, where the page hands a buffer on in microseconds.)
fn pipe(message: Pipe, extra: &Array, transfer: &Array) {
    let bytes = Uint8Array::from(encode(0, message).as_slice());
    transfer.push(&bytes.buffer());
    let _ = scope().post_message_with_transfer(&Array::of3(&bytes, extra, transfer), transfer);
}

/// The two parts of every message: postcard bytes, and an array of JS objects.
fn unpack(data: JsValue) -> (Vec<u8>, Array) {
    let parts: Array = data.unchecked_into();
    (Uint8Array::new(&parts.get(0)).to_vec(), Array::from(&parts.get(1)))
}

fn start() {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        let data = ev.data();
        if data.dyn_ref::<Array>().is_some_and(|parts| parts.length() == 3) {
            // From the other worker (see `pipe`).
            let (bytes, extra) = unpack(data);
            return match reader::started() {
                true => reader::piped(&bytes, extra),
                false => piped(&bytes, extra),
            };
        }
        let (bytes, extra) = unpack(data);
        match decode::<Request>(&bytes) {
            Some(env) => {
                if let Some(req) = later::defer(env.id, env.body) {
                    handle(env.id, req, extra)
                }
            }
            None => post(0, Response::Error("the worker received a message it could not read".into())),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

fn handle(id: u32, req: Request, extra: Array) {
    let req = match with_state(|s| s.gate.offer(id, req)) {
        gate::Gated::Pass(req) => req,
        gate::Gated::Held { replaced } => {
            for older in replaced {
                post(older, Response::Error("a newer export replaced this one".into()));
            }
            return;
        }
    };
    let handles = || extra.iter().map(|f| f.unchecked_into::<Blob>()).collect::<Vec<Blob>>();
    match req {
        Request::SearchRecordings { search, query, pattern, options } => inside::start(search, query, pattern, options),
        Request::BeReader => reader::start(),
        Request::Offer { batch } => with_state(|s| s.offered.entry(batch).or_default().extend(handles())),
        Request::Load { paths, batch } => {
            let mut offered = with_state(|s| s.offered.remove(&batch).unwrap_or_default());
            offered.extend(handles());
            if offered.len() == paths.len() {
                loader::load(paths, offered)
            } else {
                // The page sends Load only once every handle went over, so this should not
                // happen; if it does, pairing the rest with the paths would put files under
                // other files' names.
                let message = format!(
                    "The {} files dropped were not all handed over to the worker; none were read. Drop them again.",
                    paths.len()
                );
                post(0, Response::Error(message));
            }
        }
        Request::Withdraw { batch } => with_state(|s| drop(s.offered.remove(&batch))),
        Request::Cancel => loader::cancel(),
        Request::Clear => {
            with_state(|s| {
                loader::stop_reading(true);
                let waiting = s.after_detection.drain(..).map(|(id, _)| id);
                for waiting in s.gate.clear().into_iter().chain(waiting) {
                    post(waiting, Response::Error("the export was cancelled: everything was cleared".into()));
                }
                // The gate stays: its round count must outlive the clear (see gate.rs).
                let (settings, gate) = (std::mem::take(&mut s.settings), std::mem::take(&mut s.gate));
                let findings_run = s.findings_run;
                *s = State::new();
                s.settings = settings;
                s.gate = gate;
                s.findings_run = findings_run;
            });
            post(id, Response::Cleared);
        }
        Request::Overview => {
            let o = with_state(|s| s.views.overview(&s.ingest.model));
            post(id, Response::Overview(Box::new(o)));
        }
        Request::Resolve { sid, event } => {
            let (session, event) = with_state(|s| {
                let m = &s.ingest.model;
                let session = sid.and_then(|sid| m.strings.lookup(&sid)).and_then(|sym| m.sessions.index_of(sym));
                let event = event.and_then(|place| {
                    let (path, line) = place.rsplit_once(':')?;
                    let line: u32 = line.parse().ok()?;
                    let file = m.files.iter().position(|f| f.path == path)? as u32;
                    m.events.iter().position(|e| e.file == file && e.line == line).map(|i| i as u32)
                });
                (session, event)
            });
            post(id, Response::Resolved { session, event });
        }
        Request::NextFailure { table, from, forward } => {
            let row = with_state(|s| s.views.next_failure(&mut s.ingest.model, &table, from, forward));
            post(id, Response::Row(row));
        }
        Request::Table(req) => {
            let page = with_state(|s| s.views.page(&mut s.ingest.model, &req));
            post(id, Response::Page(page));
        }
        Request::Event(event) => post(id, event_detail(event)),
        Request::Session(index) => {
            let detail = with_state(|s| {
                s.ingest.model.ensure_sorted();
                (index < s.ingest.model.sessions.len() as u32).then(|| SessionDetail::new(&s.ingest.model, index))
            });
            post(id, detail.map_or(Response::Error(format!("no session {index}")), |d| Response::Session(Box::new(d))));
        }
        // Findings are for every view: they are broadcast, not answered.
        Request::Findings(settings) => findings::start(Some(*settings)),
        Request::FindingsPage { rule, limit } => post(id, with_state(|s| findings::page(s, rule.as_deref(), limit))),
        Request::Detect => findings::start(None),
        Request::Facets { table, query, top } => {
            let f = with_state(|s| {
                s.ingest.model.ensure_sorted();
                facets(&s.ingest.model, table, &query, top as usize)
            });
            post(id, Response::Facets(Box::new(f)));
        }
        Request::Histogram(req) => {
            let h = with_state(|s| {
                s.ingest.model.ensure_sorted();
                histogram(&s.ingest.model, &req)
            });
            post(id, Response::Histogram(Box::new(h)));
        }
        Request::Dashboard(req) => {
            let d = with_state(|s| {
                s.ingest.model.ensure_sorted();
                dashboard(&s.ingest.model, &req)
            });
            post(id, Response::Dashboard(Box::new(d)));
        }
        Request::Complete { field, prefix, limit } => {
            let c = with_state(|s| {
                s.ingest.model.ensure_sorted();
                complete_values(&s.ingest.model, &field, &prefix, limit as usize)
            });
            post(id, Response::Completions(c));
        }
        Request::Export(req) => export::start(id, req),
        Request::ExportNext => export::next(id),
        req @ (Request::Report { .. } | Request::ExportFindings) if with_state(|s| findings::running(s)) => {
            with_state(|s| findings::after_run(s, id, req))
        }
        Request::Report { meta, sessions } => export::report(id, meta, sessions),
        Request::ExportFiles { sums } => {
            let bytes = with_state(|s| {
                let m = &s.ingest.model;
                if sums {
                    sha256sums(m).into_bytes()
                } else {
                    files_csv(m)
                }
            });
            post_document(id, &bytes);
        }
        Request::ExportFindings => {
            let bytes = with_state(|s| findings_ndjson(&s.ingest.model, &s.findings));
            post_document(id, &bytes);
        }
        Request::OpenRecording { session } => wasm_bindgen_futures::spawn_local(player::open(id, session)),
        Request::CloseRecording => with_state(|s| s.player = None),
        req @ (Request::Screen { .. }
        | Request::Clock { .. }
        | Request::Search { .. }
        | Request::Scrollback { .. }
        | Request::Transcript) => post(id, player::answer(req)),
    }
}

/// A message from the reader: slices go to the loader, hashes into the model.
fn piped(bytes: &[u8], extra: Array) {
    let Some(env) = decode::<Pipe>(bytes) else { return };
    match env.body {
        Pipe::Hashed { file, sha256 } => {
            with_state(|s| {
                if let Some(f) = s.ingest.model.files.get_mut(file as usize) {
                    f.sha256 = Some(sha256.clone());
                }
            });
            post(0, Response::Hashed { id: file, sha256 });
        }
        Pipe::Digested(round) => {
            let waiting = with_state(|s| s.gate.digested(round));
            for (id, req) in waiting {
                handle(id, req, Array::new());
            }
        }
        Pipe::Slice { file, start, end, last, round, streamed } => {
            loader::received(file, start..end, last, streamed, Ok((extra.get(0), round)))
        }
        Pipe::Journal { file, start, end, last, seed, round, streamed } => {
            loader::journaled(file, start..end, last, streamed, seed, round, extra.get(0))
        }
        Pipe::Failed { file, error } => loader::received(file, 0..0, true, false, Err(error)),
        Pipe::HashFailed { file, error } => {
            let path = with_state(|s| s.ingest.model.files.get(file as usize).map(|f| f.path.clone()));
            let path = path.unwrap_or_default();
            post(0, Response::Error(format!("{path}: read, but its SHA-256 could not be computed: {error}")));
        }
        _ => {}
    }
}

fn event_detail(id: u32) -> Response {
    with_state(|s| {
        let m = &s.ingest.model;
        let Some(e) = m.events.get(id as usize) else { return Response::Error(format!("no event {id}")) };
        let raw = match m.kept_raw(id) {
            Some(bytes) => Ok(bytes.to_vec()),
            None => match s.handles.get(&e.file) {
                Some(blob) => read_back(blob, e.raw.offset, e.raw.len),
                None => Err("the file of this event is no longer available".to_owned()),
            },
        };
        match raw {
            Ok(raw) => Response::Event(Box::new(EventDetail::new(m, id, &raw))),
            Err(why) => Response::Error(why),
        }
    })
}

fn main() {
    start();
}
