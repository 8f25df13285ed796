//! Search inside recordings (above the Recordings view's table): which of the recorded
//! sessions the query selects printed a text, with their first hits. A hit opens the player at
//! that moment, with the search run there too.

use super::backend::Backend;
use super::format::{plural, time, visible};
use super::player::{hit_button, submitted_find, use_find_form};
use super::state::{Action, AppState, Find, Inside};
use crate::protocol::{FoundInRecording, Request};
use review_replay::SearchOptions;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

thread_local! {
    /// Searches are numbered for the worker, from 1 (see its `inside_search`).
    static SEARCHES: Cell<u32> = const { Cell::new(0) };
}

fn next_search() -> u32 {
    SEARCHES.with(|n| {
        n.set(n.get().wrapping_add(1).max(1));
        n.get()
    })
}

#[derive(Properties, PartialEq)]
pub struct InsideProps {
    pub state: Rc<AppState>,
    pub dispatch: Callback<Action>,
}

#[function_component(InsideRecordings)]
pub fn inside_recordings(p: &InsideProps) -> Html {
    let backend = use_context::<Backend>().expect("backend");
    // Back from the player (or another view), the form says what was searched for.
    let form = use_find_form(p.state.inside.as_ref().map(|i| i.find.clone()), true);
    let on_submit = {
        let (backend, dispatch, query) = (backend.clone(), p.dispatch.clone(), p.state.query.clone());
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let find = submitted_find(&ev);
            let search = next_search();
            let (pattern, options) = (find.pattern.clone(), find.options);
            let inside = (!pattern.is_empty()).then(|| Rc::new(Inside::new(search, find, query.clone())));
            dispatch.emit(Action::SearchInside(inside));
            backend.tell(Request::SearchRecordings { search, query: query.clone(), pattern, options });
        })
    };
    let on_stop = {
        let (backend, dispatch) = (backend.clone(), p.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            let search = next_search();
            let stop = Request::SearchRecordings {
                search,
                query: String::new(),
                pattern: String::new(),
                options: SearchOptions::default(),
            };
            backend.tell(stop);
            dispatch.emit(Action::SearchInside(None));
        })
    };
    let inside = p.state.inside.as_deref();
    let running = inside.is_some_and(|i| !i.so_far.done);
    html! {
        <section class="inside" aria-label="Search inside recordings">
            <form class="search" onsubmit={on_submit}>
                <input name="pattern" type="search" placeholder="Search inside the recordings below: everything they printed…" aria-label="Search inside recordings" ref={form.pattern.clone()} />
                <label><input name="regex" type="checkbox" ref={form.regex.clone()} />{" regex"}</label>
                <label><input name="case" type="checkbox" ref={form.case.clone()} />{" match case"}</label>
                <button type="submit">{"Search recordings"}</button>
                if inside.is_some() {
                    <button type="button" onclick={on_stop}>{if running { "Stop" } else { "Clear" }}</button>
                }
            </form>
            { inside.map(|i| results(i, &p.state, &p.dispatch)).unwrap_or_default() }
        </section>
    }
}

fn results(inside: &Inside, state: &AppState, dispatch: &Callback<Action>) -> Html {
    let i = &inside.so_far;
    let hits: u32 = i.found.iter().map(|f| f.hits).sum();
    let query = inside.query.trim();
    let scope = if query.is_empty() { String::new() } else { format!(" selected by {query}") };
    let status = match (&i.error, i.done) {
        (Some(e), _) => html! { <p class="error" role="alert">{visible(e)}</p> },
        (None, false) if i.total == 0 => html! { <p class="count" aria-live="polite">{"Searching…"}</p> },
        (None, false) => html! {
            <p class="count" aria-live="polite">{format!("Searching… {} of {} recordings{scope}, {} with hits so far", i.searched, i.total, i.found.len())}</p>
        },
        (None, true) => html! {
            <p class="count" aria-live="polite">{format!("{} in {} of {}{scope}", plural(hits as usize, "hit"), i.found.len(), plural(i.total as usize, "recording"))}</p>
        },
    };
    let found = i.found.iter().map(|f| recording(f, &inside.find, state.local_time, dispatch));
    let unreadable = i
        .unreadable
        .iter()
        .map(|(sid, why)| html! { <li class="failed">{format!("{}: {}", visible(sid), visible(why))}</li> });
    html! {
        <>
            { status }
            <ol class="inside-found">{ for found }</ol>
            if !i.unreadable.is_empty() {
                <details><summary>{format!("{} could not be searched", plural(i.unreadable.len(), "recording"))}</summary><ul>{ for unreadable }</ul></details>
            }
        </>
    }
}

/// One recording with hits: who, where, when, how many, and its first hits.
fn recording(f: &FoundInRecording, find: &Rc<Find>, local: bool, dispatch: &Callback<Action>) -> Html {
    let s = &f.session;
    let play_at = |at: u64| {
        let (d, session, find) = (dispatch.clone(), s.index, find.clone());
        Callback::from(move |_: MouseEvent| d.emit(Action::PlayFound { session, at, find: find.clone() }))
    };
    let first = f.first.iter().map(|h| html! { <li>{ hit_button(h, play_at(h.shown)) }</li> });
    let who = format!("{}@{}", visible(&s.login), visible(if s.node.is_empty() { &s.server_id } else { &s.node }));
    html! {
        <li>
            <div class="inside-head">
                <button class="link mono" onclick={play_at(f.first.first().map_or(0, |h| h.shown))} title="Replay from the first hit">{visible(&s.sid)}</button>
                <span>{visible(&s.user)}</span><span class="mono">{who}</span><span class="mono muted">{time(s.start, local)}</span>
                <strong>{if f.truncated { format!("{}+ hits", f.hits) } else { plural(f.hits as usize, "hit") }}</strong>
            </div>
            <ol class="hits">{ for first }</ol>
        </li>
    }
}
