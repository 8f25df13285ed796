//! The worker: owns the model, reads files in slices, answers the page's requests. Loading is an
//! async loop that awaits each slice, so requests (a Cancel, a table page) are answered between
//! slices and what is loaded so far is usable at once.

mod files;
mod hashing;
mod player;
mod recordings;

use files::{read_back, SLICE};
use js_sys::{Array, Uint8Array};
use review_core::ingest::{Flow, Ingest, Options};
use review_core::problem::FileId;
use review_core::views::{EventDetail, Overview, SessionDetail, Views};
use review_protocol::{decode, encode, Progress, Request, Response};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

struct State {
    ingest: Ingest,
    views: Views,
    /// Handles of top-level files, to read raw lines and recordings back.
    handles: HashMap<FileId, Blob>,
    loading: bool,
    cancel: bool,
    /// The recording being replayed, if any.
    player: Option<review_replay::Player>,
}

impl State {
    fn new() -> Self {
        State {
            ingest: Ingest::new(Options { read_back_plain_files: true, ..Options::default() }),
            views: Views::default(),
            handles: HashMap::new(),
            loading: false,
            cancel: false,
            player: None,
        }
    }
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

/// Posts a response; the bytes' buffer is transferred, not copied.
fn post(id: u32, body: Response) {
    let bytes = Uint8Array::from(encode(id, body).as_slice());
    let transfer = Array::of1(&bytes.buffer());
    let _ = scope().post_message_with_transfer(&bytes, &transfer);
}

fn start() {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        let data = ev.data();
        let parts: Array = data.unchecked_into();
        let bytes = Uint8Array::new(&parts.get(0)).to_vec();
        let handles: Vec<Blob> = Array::from(&parts.get(1)).iter().map(|f| f.unchecked_into()).collect();
        match decode::<Request>(&bytes) {
            Some(env) => handle(env.id, env.body, handles),
            None => post(0, Response::Error("the worker received a message it could not read".into())),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

fn handle(id: u32, req: Request, handles: Vec<Blob>) {
    match req {
        Request::Load { paths } => wasm_bindgen_futures::spawn_local(load(paths, handles)),
        Request::Hash { ids } => wasm_bindgen_futures::spawn_local(hashing::hash_files(ids, handles)),
        Request::Cancel => with_state(|s| s.cancel = s.loading),
        Request::Clear => {
            with_state(|s| *s = State::new());
            post(id, Response::Cleared);
        }
        Request::Overview => {
            let o = with_state(|s| Overview::new(&s.ingest.model));
            post(id, Response::Overview(Box::new(o)));
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
        Request::OpenRecording { session } => wasm_bindgen_futures::spawn_local(player::open(id, session)),
        Request::CloseRecording => with_state(|s| s.player = None),
        req @ (Request::Screen { .. }
        | Request::Clock { .. }
        | Request::Search { .. }
        | Request::Scrollback { .. }
        | Request::Transcript) => post(id, player::answer(req)),
        Request::SetHashes(hashes) => with_state(|s| {
            for (file, hash) in hashes {
                if let Some(f) = s.ingest.model.files.get_mut(file as usize) {
                    f.sha256 = Some(hash);
                }
            }
        }),
    }
}

fn event_detail(id: u32) -> Response {
    with_state(|s| {
        let m = &s.ingest.model;
        let Some(e) = m.events.get(id as usize) else {
            return Response::Error(format!("no event {id}"));
        };
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

/// Reads kept in flight ahead of the parser.
const READ_AHEAD: usize = 3;

/// One slice of one file in the loading plan.
struct Slice {
    file: usize,
    start: u64,
    end: u64,
    /// The file's last slice: close it after.
    last: bool,
}

/// Every file cut into slices, in order (an empty file is one empty slice).
fn slices(files: &[(FileId, Blob)]) -> Vec<Slice> {
    let mut plan = Vec::new();
    for (file, (_, blob)) in files.iter().enumerate() {
        let size = blob.size() as u64;
        let mut start = 0;
        loop {
            let end = (start + SLICE).min(size);
            plan.push(Slice { file, start, end, last: end == size });
            if end == size {
                break;
            }
            start = end;
        }
    }
    plan
}

async fn load(paths: Vec<String>, handles: Vec<Blob>) {
    let started = now();
    let files: Vec<(FileId, Blob)> = with_state(|s| {
        s.loading = true;
        s.cancel = false;
        paths
            .iter()
            .zip(handles)
            .map(|(path, blob)| {
                let file = s.ingest.open(path, blob.size() as u64);
                s.handles.insert(file, blob.clone());
                (file, blob)
            })
            .collect()
    });
    if let Some((first, _)) = files.first() {
        post(0, Response::Started { first_id: *first, count: files.len() as u32 });
    }
    let total: u64 = files.iter().map(|(_, b)| b.size() as u64).sum();
    let mut progress = Progress { bytes_total: total, files_total: files.len() as u32, ..Progress::default() };
    let mut last_post = 0.0;
    let mut cancelled = false;
    let (mut parse_millis, mut read_millis) = (0.0, 0.0);
    let plan = slices(&files);
    // Reads run ahead of parsing (the browser reads off-thread), across file boundaries.
    let mut ahead: VecDeque<(usize, Result<js_sys::Promise, String>)> = VecDeque::new();
    let mut next = 0;
    let mut finished = vec![false; files.len()];
    for (index, slice) in plan.iter().enumerate() {
        while ahead.len() < READ_AHEAD && next < plan.len() {
            let s = &plan[next];
            if !finished[s.file] && s.end > s.start {
                ahead.push_back((next, files::start_read(&files[s.file].1, s.start, s.end)));
            }
            next += 1;
        }
        let (file, _) = &files[slice.file];
        if cancelled || with_state(|s| s.cancel) {
            cancelled = true;
            break;
        }
        if !finished[slice.file] && slice.end > slice.start {
            progress.current = with_state(|s| s.ingest.model.file(*file).path.clone());
            let read = match ahead.front() {
                Some((i, _)) if *i == index => ahead.pop_front().map(|(_, r)| r),
                _ => Some(files::start_read(&files[slice.file].1, slice.start, slice.end)),
            };
            let asked = now();
            let bytes = match read {
                Some(r) => files::finish_read(r).await,
                None => Err("the read was lost".to_owned()),
            };
            read_millis += now() - asked;
            let flow = match bytes {
                Ok(bytes) => {
                    let parsing = now();
                    let flow = with_state(|s| s.ingest.push(*file, &bytes));
                    parse_millis += now() - parsing;
                    flow
                }
                Err(why) => {
                    post(0, Response::Error(format!("{}: {why}", progress.current)));
                    Flow::Done
                }
            };
            progress.bytes_done += slice.end - slice.start;
            if flow == Flow::Done {
                finished[slice.file] = true;
                progress.bytes_done += files[slice.file].1.size() as u64 - slice.end;
                // Reads already started for the rest of this file are dropped unread.
                ahead.retain(|(i, _)| plan[*i].file != slice.file);
            }
        }
        if slice.last {
            with_state(|s| s.ingest.close(*file));
            progress.files_done += 1;
        }
        if now() - last_post > 100.0 {
            last_post = now();
            report(&mut progress, started);
        }
    }
    let leftover: Vec<FileId> = files.iter().map(|(f, _)| *f).collect();
    with_state(|s| {
        for f in leftover {
            s.ingest.close(f);
        }
    });
    if !cancelled {
        progress.current = "recordings".into();
        report(&mut progress, started);
        recordings::summarize_all().await;
    }
    with_state(|s| {
        s.ingest.model.ensure_sorted();
        s.loading = false;
        s.cancel = false;
    });
    report(&mut progress, started);
    let events = with_state(|s| s.ingest.model.events.len() as u64);
    post(
        0,
        Response::Loaded {
            cancelled,
            millis: now() - started,
            bytes: progress.bytes_done,
            events,
            parse_millis,
            read_millis,
        },
    );
}

fn report(progress: &mut Progress, started: f64) {
    with_state(|s| {
        progress.events = s.ingest.model.events.len() as u64;
        progress.problems = s.ingest.model.problems.len() as u64;
    });
    progress.millis = now() - started;
    post(0, Response::Progress(progress.clone()));
}

fn main() {
    start();
}
