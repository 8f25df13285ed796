//! Hooks that fetch an answer from the worker for a component, again whenever its key changes.

use super::backend::Backend;
use crate::protocol::{Request, Response};
use std::rc::Rc;
use yew::prelude::*;

/// The answer for the current key; `None` while it is on its way.
#[hook]
pub fn use_answer<K: PartialEq + Clone + 'static>(key: K, req: Request) -> Option<Rc<Response>> {
    use_fetch(key, req, false)
}

/// The latest answer: the previous one stays on screen until the next arrives, so charts and
/// lists do not blink while a query is typed.
#[hook]
pub fn use_latest_answer<K: PartialEq + Clone + 'static>(key: K, req: Request) -> Option<Rc<Response>> {
    use_fetch(key, req, true)
}

#[hook]
fn use_fetch<K: PartialEq + Clone + 'static>(key: K, req: Request, keep: bool) -> Option<Rc<Response>> {
    let backend = use_context::<Backend>().expect("backend");
    let answer = use_state(|| None::<Rc<Response>>);
    {
        let answer = answer.clone();
        use_effect_with(key, move |_| {
            if !keep {
                answer.set(None);
            }
            // Asked a task later: a table asked for in the same render goes first (the worker
            // answers in order), so rows come before the aggregates beside them; and a key
            // superseded before then (typing) is never asked for.
            let timer = gloo::timers::callback::Timeout::new(0, move || {
                backend.request(req, move |r| {
                    // A newer request of the same kind is on its way: keep what is shown.
                    if !matches!(r, Response::Superseded) {
                        answer.set(Some(Rc::new(r)))
                    }
                });
            });
            move || drop(timer)
        });
    }
    (*answer).clone()
}
