//! Hooks that fetch an answer from the worker for a component, again whenever its key changes.

use super::backend::Backend;
use crate::protocol::{Request, Response};
use std::rc::Rc;
use yew::prelude::*;

/// The answer for the current key; `None` while it is on its way.
#[hook]
pub fn use_answer<K: PartialEq + Clone + 'static>(key: K, req: Request) -> Option<Rc<Response>> {
    use_fetch(key, req, |_, _| false, 0).answer
}

/// The answer about `item` as the data stood at `version`: when only the version changes (more
/// loaded, findings or hashes came), the answer shown stays until the new one comes, so a
/// drawer does not blink; for another item it is `None` while on its way.
#[hook]
pub fn use_answer_about<I: PartialEq + Clone + 'static>(item: I, version: u32, req: Request) -> Option<Rc<Response>> {
    use_fetch((item, version), req, |shown, now| shown.0 == now.0, 0).answer
}

/// An answer, and whether it is the one for the current key (else an older one kept on
/// screen until it comes, which the view marks as being recounted).
pub struct Latest {
    pub answer: Option<Rc<Response>>,
    pub current: bool,
}

impl Latest {
    /// For `aria-busy`: true while an older answer is shown.
    pub fn busy(&self) -> &'static str {
        if self.current {
            "false"
        } else {
            "true"
        }
    }
}

/// The latest answer, for the counts and charts beside a table: the previous one stays on
/// screen until the next arrives, so they do not blink while a query is typed. They are asked
/// for once the key has held for [`SETTLE_MS`]: when queries change in quick succession
/// (clicking through facet values, pasting one query after another), the rows of each come
/// at once instead of waiting behind the counts of a query already left.
#[hook]
pub fn use_latest_answer<K: PartialEq + Clone + 'static>(key: K, req: Request) -> Latest {
    use_fetch(key, req, |_, _| true, SETTLE_MS)
}

/// The latest answer, asked for at once, the previous one staying on screen until it comes
/// (a list that grows by a page does not blink).
#[hook]
pub fn use_kept_answer<K: PartialEq + Clone + 'static>(key: K, req: Request) -> Latest {
    use_fetch(key, req, |_, _| true, 0)
}

/// How long a query must stay before its counts and charts are computed.
const SETTLE_MS: u32 = 150;

/// Fetches the answer for `key` whenever it changes; the answer for an older key stays shown
/// meanwhile where `keep(older, key)` says so.
#[hook]
fn use_fetch<K: PartialEq + Clone + 'static>(key: K, req: Request, keep: fn(&K, &K) -> bool, delay: u32) -> Latest {
    let backend = use_context::<Backend>().expect("backend");
    // The answer, with the key it answers.
    let answer = use_state(|| None::<(K, Rc<Response>)>);
    let current = answer.as_ref().is_some_and(|(k, _)| *k == key);
    let shown = answer.as_ref().filter(|(k, _)| *k == key || keep(k, &key)).map(|(_, a)| a.clone());
    {
        let answer = answer.clone();
        use_effect_with(key, move |key| {
            let key = key.clone();
            // Asked a task later (counts and charts: once the key has held for SETTLE_MS): a
            // table asked for in the same render goes first (the worker answers in order), so
            // rows come before the aggregates beside them; and a key superseded before then
            // (typing) is never asked for.
            let timer = gloo::timers::callback::Timeout::new(delay, move || {
                backend.request(req, move |r| {
                    // A newer request of the same kind is on its way: keep what is shown.
                    if !matches!(r, Response::Superseded) {
                        answer.set(Some((key, Rc::new(r))))
                    }
                });
            });
            move || drop(timer)
        });
    }
    Latest { answer: shown, current }
}
