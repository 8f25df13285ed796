//! The counts and charts beside the tables (facets, histogram, dashboard), and the values
//! suggested while a query is typed, are answered after everything else. Each waits in a slot
//! of its own kind and table; a newer request replaces it (the older is answered
//! `Superseded`), and one is computed per task, so a table asked for meanwhile, typically for
//! the query just entered, is answered first, and typing fast queues one suggestion, not one
//! per key.

use super::{handle, in_a_task, post};
use js_sys::Array;
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
    scheduled: bool,
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

/// Computes the oldest waiting request, in a task of its own after the messages already
/// queued.
fn next_task() {
    in_a_task(|| {
        let next = WAITING.with(|w| {
            let mut w = w.borrow_mut();
            let next = (!w.requests.is_empty()).then(|| w.requests.remove(0));
            w.scheduled = next.is_some() && !w.requests.is_empty();
            next
        });
        if let Some((_, id, req)) = next {
            handle(id, req, Array::new());
            if WAITING.with(|w| w.borrow().scheduled) {
                next_task();
            }
        }
    });
}
