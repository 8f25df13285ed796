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

/// The latest answer, for the counts and charts beside a table: the previous one stays on
/// screen until the next arrives, so they do not blink while a query is typed. They are asked
/// for once the key has held for [`SETTLE_MS`]: when queries change in quick succession
/// (clicking through facet values, pasting one query after another), the rows of each come
/// at once instead of waiting behind the counts of a query already left.
#[hook]
pub fn use_latest_answer<K: PartialEq + Clone + 'static>(key: K, req: Request) -> Option<Rc<Response>> {
    use_fetch(key, req, true)
}

/// How long a query must stay before its counts and charts are computed.
const SETTLE_MS: u32 = 150;

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
            let delay = if keep { SETTLE_MS } else { 0 };
            let timer = gloo::timers::callback::Timeout::new(delay, move || {
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
