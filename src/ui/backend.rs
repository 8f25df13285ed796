//! The page's side of the workers. One worker owns the model and answers requests; a second
//! hashes the input files on the other core. Requests get one answer each, by id; progress and
//! other notices are broadcast.

use crate::protocol::{decode, encode, Request, Response};
use js_sys::{Array, Uint8Array};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

type Answer = Box<dyn FnOnce(Response)>;

struct Inner {
    model: Worker,
    hasher: Worker,
    next_id: Cell<u32>,
    pending: RefCell<HashMap<u32, Answer>>,
    /// Files sent for loading, hashed once the model worker says which ids they got.
    to_hash: RefCell<Vec<File>>,
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
    // messages. `./` keeps the app
    // working under any sub-path.
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Classic);
    Worker::new_with_options("./worker_boot.js", &options)
}

impl Backend {
    /// `notify` receives every broadcast (progress, load start/end, hashes, errors).
    pub fn new(notify: Callback<Response>) -> Result<Self, JsValue> {
        let model = spawn()?;
        let hasher = spawn()?;
        let inner = Rc::new_cyclic(|weak: &std::rc::Weak<Inner>| {
            let listener = |weak: std::rc::Weak<Inner>, notify: Callback<Response>| {
                Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                    let bytes = Uint8Array::new(&ev.data()).to_vec();
                    let Some(env) = decode::<Response>(&bytes) else {
                        notify.emit(Response::Error("a worker sent a message the page could not read".into()));
                        return;
                    };
                    let Some(inner) = weak.upgrade() else { return };
                    let answer = (env.id != 0).then(|| inner.pending.borrow_mut().remove(&env.id)).flatten();
                    match answer {
                        Some(answer) => answer(env.body),
                        None => {
                            if let Response::Started { first_id, count } = &env.body {
                                Backend(inner.clone()).hash_started(*first_id, *count);
                            }
                            notify.emit(env.body)
                        }
                    }
                })
            };
            let on_model = listener(weak.clone(), notify.clone());
            let on_hash = listener(weak.clone(), notify.clone());
            model.set_onmessage(Some(on_model.as_ref().unchecked_ref()));
            hasher.set_onmessage(Some(on_hash.as_ref().unchecked_ref()));
            Inner {
                model,
                hasher,
                next_id: Cell::new(1),
                pending: RefCell::new(HashMap::new()),
                to_hash: RefCell::new(Vec::new()),
                _listeners: vec![on_model, on_hash],
            }
        });
        Ok(Backend(inner))
    }

    /// Sends a request to the model worker; `answer` gets its one response.
    pub fn request(&self, req: Request, answer: impl FnOnce(Response) + 'static) {
        let id = self.0.next_id.get();
        self.0.next_id.set(id.wrapping_add(1).max(1));
        self.0.pending.borrow_mut().insert(id, Box::new(answer));
        send(&self.0.model, id, req, &[]);
    }

    /// Loads files (with their paths as dropped); hashing follows on the second worker.
    pub fn load(&self, files: Vec<(String, File)>) {
        let (paths, handles): (Vec<String>, Vec<File>) = files.into_iter().unzip();
        send(&self.0.model, 0, Request::Load { paths }, &handles);
        self.0.to_hash.borrow_mut().extend(handles);
    }

    pub fn cancel(&self) {
        send(&self.0.model, 0, Request::Cancel, &[]);
    }

    pub fn clear(&self) {
        self.0.to_hash.borrow_mut().clear();
        send(&self.0.model, 0, Request::Clear, &[]);
    }

    /// Passes a computed hash to the model (for the overview and exports).
    pub fn set_hash(&self, id: u32, sha256: String) {
        send(&self.0.model, 0, Request::SetHashes(vec![(id, sha256)]), &[]);
    }

    fn hash_started(&self, first_id: u32, count: u32) {
        let files: Vec<File> = {
            let mut queue = self.0.to_hash.borrow_mut();
            let n = (count as usize).min(queue.len());
            queue.drain(..n).collect()
        };
        let ids = (first_id..first_id + files.len() as u32).collect();
        send(&self.0.hasher, 0, Request::Hash { ids }, &files);
    }
}

fn send(worker: &Worker, id: u32, req: Request, files: &[File]) {
    let bytes = Uint8Array::from(encode(id, req).as_slice());
    let handles: Array = files.iter().collect();
    let message = Array::of2(&bytes, &handles);
    let _ = worker.post_message_with_transfer(&message, &Array::of1(&bytes.buffer()));
}
