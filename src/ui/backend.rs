//! The page's side of the workers. One worker owns the model and answers requests; a second
//! reads and hashes the files and streams them to the first through this page, so reading
//! and parsing run on two cores. Requests get one answer each, by id; progress and other notices
//! are broadcast.

use crate::protocol::{decode, encode, Request, Response};
use js_sys::{Array, Uint8Array};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

/// An answer's handler gets the response, and the JS object that rode along with it if any
/// (a document's Blob).
type Answer = Box<dyn FnOnce(Response, Option<JsValue>)>;

struct Inner {
    model: Worker,
    /// Reads and hashes files, streaming them to `model`.
    hasher: Worker,
    next_id: Cell<u32>,
    /// Count Clears and Cancels: the page's own work begun before one (walking dropped
    /// folders, handing files over) stops (see [`Backend::stop_watch`]).
    clears: Cell<u32>,
    cancels: Cell<u32>,
    pending: RefCell<HashMap<u32, Answer>>,
    _listeners: Vec<Closure<dyn FnMut(MessageEvent)>>,
}

#[derive(Clone)]
pub struct Backend(Rc<Inner>);

impl PartialEq for Backend {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn spawn() -> Result<Worker, JsValue> {
    // Trunk builds workers as classic scripts; worker_boot.js starts one and queues early
    // messages. `./` keeps the app working under any sub-path.
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Classic);
    Worker::new_with_options(&worker_url(), &options)
}

/// `./worker_boot.js`, or in the single-file build (which can fetch nothing) the Blob URL its
/// start-up script leaves in `window.__reviewWorkerUrl` (packager/web/single_boot.js).
fn worker_url() -> String {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"__reviewWorkerUrl".into()).ok())
        .and_then(|url| url.as_string())
        .unwrap_or_else(|| "./worker_boot.js".into())
}

impl Backend {
    /// `notify` receives every broadcast (progress, load start/end, hashes, errors).
    pub fn new(notify: Callback<Response>) -> Result<Self, JsValue> {
        let model = spawn()?;
        let hasher = spawn()?;
        let inner = Rc::new_cyclic(|weak: &std::rc::Weak<Inner>| {
            let listener = |weak: std::rc::Weak<Inner>, notify: Callback<Response>, from_model: bool| {
                Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                    // The postcard bytes, or [bytes, object] when an object rides along, or
                    // [bytes, objects, transfer] from one worker to the other.
                    let data = ev.data();
                    let (bytes, extra) = match data.dyn_into::<Array>() {
                        Ok(parts) if parts.length() == 3 => {
                            // Passed on as it came, its buffers transferred again (not copied). A
                            // message lost here would leave a load waiting: said, not swallowed.
                            if let Some(inner) = weak.upgrade() {
                                let to = if from_model { &inner.hasher } else { &inner.model };
                                if let Err(e) = to.post_message_with_transfer(&parts, &parts.get(2)) {
                                    let why = e.as_string().unwrap_or_else(|| format!("{e:?}"));
                                    notify.emit(Response::Error(format!(
                                        "a message between the two workers was lost ({why}); reload the page"
                                    )));
                                }
                            }
                            return;
                        }
                        Ok(parts) => (parts.get(0), Some(parts.get(1))),
                        Err(bytes) => (bytes, None),
                    };
                    let bytes = Uint8Array::new(&bytes).to_vec();
                    let Some(env) = decode::<Response>(&bytes) else {
                        notify.emit(Response::Error("a worker sent a message the page could not read".into()));
                        return;
                    };
                    let Some(inner) = weak.upgrade() else { return };
                    let answer = (env.id != 0).then(|| inner.pending.borrow_mut().remove(&env.id)).flatten();
                    match answer {
                        Some(answer) => answer(env.body, extra),
                        None => notify.emit(env.body),
                    }
                })
            };
            let on_model = listener(weak.clone(), notify.clone(), true);
            let on_hash = listener(weak.clone(), notify.clone(), false);
            model.set_onmessage(Some(on_model.as_ref().unchecked_ref()));
            hasher.set_onmessage(Some(on_hash.as_ref().unchecked_ref()));
            Inner {
                model,
                hasher,
                next_id: Cell::new(1),
                clears: Cell::new(0),
                cancels: Cell::new(0),
                pending: RefCell::new(HashMap::new()),
                _listeners: vec![on_model, on_hash],
            }
        });
        // The model worker parses what the reader streams to it, through this page (see the
        // listener).
        send(&inner.hasher, 0, Request::BeReader, &[]);
        Ok(Backend(inner))
    }

    /// Sends a request to the model worker; `answer` gets its one response.
    pub fn request(&self, req: Request, answer: impl FnOnce(Response) + 'static) {
        self.request_with(req, move |r, _| answer(r));
    }

    /// Sends a request whose response may bring a JS object along (a document's Blob).
    pub fn request_with(&self, req: Request, answer: impl FnOnce(Response, Option<JsValue>) + 'static) {
        let id = self.0.next_id.get();
        self.0.next_id.set(id.wrapping_add(1).max(1));
        self.0.pending.borrow_mut().insert(id, Box::new(answer));
        send(&self.0.model, id, req, &[]);
    }

    /// Sends a request whose answer comes as a broadcast (e.g. findings, which every view shows).
    pub fn tell(&self, req: Request) {
        send(&self.0.model, 0, req, &[]);
    }

    /// Loads files (with their paths as dropped). The handles go over a few at a time, for
    /// at most ~10 ms per task (the first post of a File can cost the page up to 2 ms), so that
    /// a folder of thousands of files never blocks the page; `told` hears how far it got, every
    /// ~100 ms (thousands take seconds), and how it ended.
    pub fn load(&self, files: Vec<(String, File)>, told: Callback<Handoff>) {
        const PER_MESSAGE: usize = 4;
        const TASK_MILLIS: f64 = 10.0;
        // What handing one file over costs the page, about.
        const FILE_MILLIS: f64 = 0.25;
        let inner = self.0.clone();
        let stop = self.stop_watch();
        // A handoff long enough to be seen is said at once, in this task: after a folder walk its
        // bar then takes the walk's place with no moment without a bar.
        let mut shown = files.len() as f64 * FILE_MILLIS > TELL_EVERY_MILLIS;
        if shown {
            told.emit(Handoff::Handed(0, files.len()));
        }
        // Numbered from the request ids: unique while the page lives.
        let number = self.0.next_id.get();
        self.0.next_id.set(number.wrapping_add(1).max(1));
        wasm_bindgen_futures::spawn_local(async move {
            let total = files.len();
            let (paths, handles): (Vec<String>, Vec<File>) = files.into_iter().unzip();
            let mut batches = handles.chunks(PER_MESSAGE).peekable();
            let (mut done, mut told_at) = (0, js_sys::Date::now());
            while batches.peek().is_some() {
                // Its own task each time (the first too: the browser's intake of the picked
                // files already made the `change` event's task long, ~37 ms for 214 files).
                gloo::timers::future::TimeoutFuture::new(0).await;
                if let Some(stopped) = stop.stopped() {
                    // Nothing of this drop is read: the worker forgets what it was offered.
                    send(&inner.model, 0, Request::Withdraw { batch: number }, &[]);
                    told.emit(match stopped {
                        Stopped::Cancelled => Handoff::Cancelled(total),
                        Stopped::Cleared => Handoff::Cleared,
                    });
                    return;
                }
                let started = js_sys::Date::now();
                while let Some(handles) = batches.next_if(|_| js_sys::Date::now() - started < TASK_MILLIS) {
                    send(&inner.model, 0, Request::Offer { batch: number }, handles);
                    done += handles.len();
                }
                if js_sys::Date::now() - told_at > TELL_EVERY_MILLIS {
                    told_at = js_sys::Date::now();
                    told.emit(Handoff::Handed(done, total));
                    shown = true;
                }
            }
            send(&inner.model, 0, Request::Load { paths, batch: number }, &[]);
            if shown {
                // Full, until the loading bar takes its place.
                told.emit(Handoff::Handed(total, total));
            }
            told.emit(Handoff::Sent);
        });
    }

    /// Tells whether a Cancel or a Clear came after this call, for work of the page's own that
    /// they stop (walking dropped folders, handing files over).
    pub fn stop_watch(&self) -> StopWatch {
        StopWatch { inner: self.0.clone(), clears: self.0.clears.get(), cancels: self.0.cancels.get() }
    }

    /// Stops loading (what was read stays) and any handoff under way (nothing of it is read).
    pub fn cancel(&self) {
        self.0.cancels.set(self.0.cancels.get().wrapping_add(1));
        send(&self.0.model, 0, Request::Cancel, &[]);
    }

    pub fn clear(&self) {
        self.0.clears.set(self.0.clears.get().wrapping_add(1));
        send(&self.0.model, 0, Request::Clear, &[]);
    }
}

/// How often the page's own long work (walking dropped folders, handing files over) says how
/// far it got.
pub const TELL_EVERY_MILLIS: f64 = 100.0;

/// See [`Backend::stop_watch`].
pub struct StopWatch {
    inner: Rc<Inner>,
    clears: u32,
    cancels: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stopped {
    Cancelled,
    Cleared,
}

impl StopWatch {
    pub fn stopped(&self) -> Option<Stopped> {
        if self.inner.clears.get() != self.clears {
            Some(Stopped::Cleared)
        } else if self.inner.cancels.get() != self.cancels {
            Some(Stopped::Cancelled)
        } else {
            None
        }
    }
}

/// How the handoff of a drop to the worker goes (see [`Backend::load`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Handoff {
    /// Files handed over so far, of how many.
    Handed(usize, usize),
    /// All handed over: reading starts, and the bar stays until the worker says so.
    Sent,
    /// Stopped by a Clear.
    Cleared,
    /// Stopped by a Cancel: none of these files is read.
    Cancelled(usize),
}

fn send(worker: &Worker, id: u32, req: Request, files: &[File]) {
    let bytes = Uint8Array::from(encode(id, req).as_slice());
    let handles: Array = files.iter().collect();
    let message = Array::of2(&bytes, &handles);
    let _ = worker.post_message_with_transfer(&message, &Array::of1(&bytes.buffer()));
}
