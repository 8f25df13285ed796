//! The counts and charts beside the tables (facets, histogram, dashboard), and the values
//! suggested while a query is typed, are answered after everything else. Each waits in a slot
//! of its own kind and table; a newer request replaces it (the older is answered
//! `Superseded`), and one is computed per task, so a table asked for meanwhile, typically for
//! the query just entered, is answered first, and typing fast queues one suggestion, not one
//! per key. Last of all, after a load, comes the warm-up of what the first queries need.

use super::{handle, in_a_task, post, with_state};
use js_sys::Array;
use review_core::model::WARM_UP_STEPS;
use review_core::views::Table;
use review_protocol::{Request, Response};
use std::cell::RefCell;

/// Which slot a request waits in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Facets(Table),
    Histogram(Table),
    Dashboard,
    Completion,
}

fn slot(req: &Request) -> Option<Slot> {
    match req {
        Request::Facets { table, .. } => Some(Slot::Facets(*table)),
        Request::Histogram(h) => Some(Slot::Histogram(h.table)),
        Request::Dashboard(_) => Some(Slot::Dashboard),
        Request::Complete { .. } => Some(Slot::Completion),
        _ => None,
    }
}

#[derive(Default)]
struct Waiting {
    /// In order of arrival.
    requests: Vec<(Slot, u32, Request)>,
    /// Steps of [`review_core::model::Model::warm_up`] still to take, when nothing else waits.
    warm_up: usize,
    scheduled: bool,
}

impl Waiting {
    fn has_work(&self) -> bool {
        !self.requests.is_empty() || self.warm_up > 0
    }
}

/// What the next task does.
enum Next {
    Answer(u32, Request),
    WarmUp(usize),
}

thread_local! {
    static WAITING: RefCell<Waiting> = RefCell::new(Waiting::default());
}

/// Holds `req` back if it is a count or chart; gives it back otherwise.
pub fn defer(id: u32, req: Request) -> Option<Request> {
    let Some(slot) = slot(&req) else { return Some(req) };
    let (superseded, schedule) = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        let superseded = w.requests.iter().position(|(s, ..)| *s == slot).map(|i| w.requests.remove(i).1);
        w.requests.push((slot, id, req));
        (superseded, !std::mem::replace(&mut w.scheduled, true))
    });
    if let Some(old) = superseded {
        post(old, Response::Superseded);
    }
    if schedule {
        next_task();
    }
    None
}

/// After a load, makes ready what the first queries need (see
/// [`review_core::model::Model::warm_up`]), a step per task and only while no request waits: a
/// query typed meanwhile waits for one step at most.
pub fn warm_up() {
    let schedule = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        w.warm_up = WARM_UP_STEPS;
        !std::mem::replace(&mut w.scheduled, true)
    });
    if schedule {
        next_task();
    }
}

/// Computes the oldest waiting request (else a warm-up step), in a task of its own after the
/// messages already queued.
fn next_task() {
    in_a_task(|| {
        let next = WAITING.with(|w| {
            let mut w = w.borrow_mut();
            let next = if !w.requests.is_empty() {
                let (_, id, req) = w.requests.remove(0);
                Some(Next::Answer(id, req))
            } else if w.warm_up > 0 {
                w.warm_up -= 1;
                Some(Next::WarmUp(WARM_UP_STEPS - 1 - w.warm_up))
            } else {
                None
            };
            w.scheduled = next.is_some() && w.has_work();
            next
        });
        match next {
            Some(Next::Answer(id, req)) => handle(id, req, Array::new()),
            Some(Next::WarmUp(step)) => with_state(|s| s.ingest.model.warm_up(step)),
            None => return,
        }
        if WAITING.with(|w| w.borrow().scheduled) {
            next_task();
        }
    });
}
