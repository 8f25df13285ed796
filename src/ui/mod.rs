//! The page: a Yew app over the worker. State lives in one reducer ([`state`]); the worker owns
//! the data; components ask it for what they show. Log text is only ever rendered as text.

mod answer;
mod backend;
mod columns;
mod dashboard;
mod drawer;
mod export;
mod facets;
mod findings;
mod fonts;
mod format;
mod histogram;
mod input;
mod inside;
mod keys;
mod metrics;
mod overview;
mod player;
mod querybar;
mod shell;
mod state;
mod table;
mod terminal;
mod timeline;
mod views;

use crate::permalink::Location;
use crate::protocol::{Request, Response};
use backend::Backend;
use state::{Action, AppState, Link, LoadInfo, Selected, View};
use std::rc::Rc;
use table::CellCx;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

pub fn start() {
    metrics::observe_long_tasks();
    yew::Renderer::<App>::new().render();
}

/// The view, query and selection are in the URL (see [`crate::permalink`]).
fn read_location() -> Location {
    Location::parse(&gloo::utils::window().location().hash().unwrap_or_default())
}

/// Writes the URL. Another view or query is a step of its own in the browser's history (Back
/// returns to the one before); a selection or a moment of a recording only amends the step.
fn write_location(view: View, query: &str, link: &Link) {
    let loc = Location {
        view: view.slug().to_owned(),
        query: query.to_owned(),
        sid: link.sid.clone(),
        event: link.event.clone(),
        t: link.t,
        play: link.play,
    };
    let url = loc.format();
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    if hash == url {
        return;
    }
    let Ok(history) = gloo::utils::window().history() else { return };
    let was = Location::parse(&hash);
    let step = !hash.is_empty() && (was.view != loc.view || was.query != loc.query);
    let _ = if step {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    };
}

/// Follows the browser's Back and Forward, and a link pasted into this tab: the view, query and
/// selection of the URL.
fn follow_location(b: &Backend, d: &UseReducerDispatcher<AppState>) {
    let loc = read_location();
    let link = Link { sid: loc.sid, event: loc.event, t: loc.t, play: loc.play };
    let view = View::from_slug(&loc.view).unwrap_or(View::Overview);
    d.dispatch(Action::Located { view, query: loc.query, link: link.clone() });
    if !link.is_empty() {
        restore(b, d, link);
    }
}

#[function_component(App)]
pub fn app() -> Html {
    // A selection in the URL waits for the files to be loaded again.
    let pending = use_mut_ref(|| {
        let loc = read_location();
        let link = Link { sid: loc.sid, event: loc.event, t: loc.t, play: loc.play };
        (!link.is_empty()).then_some(link)
    });
    let state = use_reducer(|| {
        let loc = read_location();
        AppState { view: View::from_slug(&loc.view).unwrap_or(View::Overview), query: loc.query, ..AppState::default() }
    });
    let dispatch = {
        let d = state.dispatcher();
        Callback::from(move |a| d.dispatch(a))
    };
    let last_overview = use_mut_ref(|| 0.0f64);
    // An overview fetch is due once the time since the last one is up.
    let overview_due = use_mut_ref(|| false);
    // Events in the model when the views last followed it during a load.
    let views_at = use_mut_ref(|| 0u64);
    let backend = {
        let d = state.dispatcher();
        let (last_overview, pending, views_at, overview_due) =
            (last_overview.clone(), pending.clone(), views_at.clone(), overview_due.clone());
        use_memo((), move |_| {
            let holder: Rc<std::cell::RefCell<Option<Backend>>> = Rc::default();
            let h = holder.clone();
            let notify = Callback::from(move |r: Response| {
                let Some(b) = h.borrow().clone() else { return };
                match r {
                    Response::Started { .. } => {
                        *views_at.borrow_mut() = 0;
                        d.dispatch(Action::Started)
                    }
                    Response::Progress(p) => {
                        let events = p.events;
                        d.dispatch(Action::Progress(p));
                        // While loading, the overview follows the model every 1.5 s. The views
                        // follow it each time it has doubled: each refresh re-indexes every
                        // event read so far, and doubling keeps that work under twice one
                        // final indexing, however big the load.
                        let now = js_sys::Date::now();
                        if now - *last_overview.borrow() > 1500.0 {
                            *last_overview.borrow_mut() = now;
                            fetch_overview(&b, &d);
                            if events >= 2 * *views_at.borrow() {
                                *views_at.borrow_mut() = events.max(1);
                                d.dispatch(Action::Changed);
                            }
                        }
                    }
                    Response::Loaded {
                        cancelled,
                        millis,
                        bytes,
                        events,
                        parse_millis,
                        read_millis,
                        reader_bytes,
                        streamed_bytes,
                    } => {
                        metrics::load(millis, bytes, events, parse_millis, read_millis, [reader_bytes, streamed_bytes]);
                        d.dispatch(Action::Loaded(LoadInfo { millis, bytes, cancelled }));
                        fetch_overview(&b, &d);
                        if let Some(link) = pending.borrow_mut().take() {
                            restore(&b, &d, link);
                        }
                        // Every load is followed by the detections, over everything loaded;
                        // asked for in a task of its own, so that the worker answers first
                        // what the views ask for when they redraw (the detections take it
                        // ~1.6 s at 1 GB, in one task per rule).
                        let b = b.clone();
                        gloo::timers::callback::Timeout::new(0, move || b.tell(Request::Detect)).forget();
                    }
                    Response::Hashed { .. } => {
                        // The model has the hash already; refresh what shows it at most every
                        // 250 ms (the overview is counted incrementally: cheap), and once more
                        // after the last hash (else it would go on saying "hashing N files…").
                        d.dispatch(Action::Hashed);
                        let wait = 250.0 - (js_sys::Date::now() - *last_overview.borrow());
                        if wait <= 0.0 {
                            *last_overview.borrow_mut() = js_sys::Date::now();
                            fetch_overview(&b, &d);
                        } else if !std::mem::replace(&mut *overview_due.borrow_mut(), true) {
                            let (b, d, last, due) = (b.clone(), d.clone(), last_overview.clone(), overview_due.clone());
                            gloo::timers::callback::Timeout::new(wait.ceil() as u32, move || {
                                *due.borrow_mut() = false;
                                *last.borrow_mut() = js_sys::Date::now();
                                fetch_overview(&b, &d);
                            })
                            .forget();
                        }
                    }
                    Response::Cleared => d.dispatch(Action::Cleared),
                    Response::FoundInRecordings(news) => d.dispatch(Action::FoundInRecordings(news)),
                    Response::Findings { summary, settings } => {
                        d.dispatch(Action::Findings(Rc::new((summary, *settings))))
                    }
                    Response::Error(e) => d.dispatch(Action::Notice(e)),
                    _ => {}
                }
            });
            let b = Backend::new(notify).ok();
            *holder.borrow_mut() = b.clone();
            b
        })
    };
    let Some(backend) = (*backend).clone() else {
        return html! { <p class="error">{"This browser could not start a web worker, which this tool needs to read files off the main thread."}</p> };
    };

    // Keep the URL in step with the view and query, and follow it back.
    use_effect_with((state.view, state.query.clone(), state.link.clone()), |(v, q, link)| write_location(*v, q, link));
    {
        let (b, d) = (backend.clone(), state.dispatcher());
        use_effect_with((), move |_| {
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "popstate", move |_| follow_location(&b, &d));
            move || drop(listener)
        });
    }
    // Leaving the page (a Back too many, a closed tab) drops what was loaded: the browser asks first.
    {
        let loaded = state.last_load.is_some();
        use_effect_with(loaded, move |&loaded| {
            let listener = loaded.then(|| {
                let (window, options) =
                    (gloo::utils::window(), gloo::events::EventListenerOptions::enable_prevent_default());
                gloo::events::EventListener::new_with_options(&window, "beforeunload", options, |e| {
                    e.prevent_default();
                    let _ = js_sys::Reflect::set(e, &"returnValue".into(), &"".into());
                })
            });
            move || drop(listener)
        });
    }
    // Theme: follow the OS unless toggled.
    use_effect_with(state.dark, |dark| {
        if let Some(root) = gloo::utils::document().document_element() {
            match dark {
                Some(d) => {
                    let _ = root.set_attribute("data-theme", if *d { "dark" } else { "light" });
                }
                None => {
                    let _ = root.remove_attribute("data-theme");
                }
            }
        }
    });

    let load = {
        let (backend, dispatch) = (backend.clone(), dispatch.clone());
        Callback::from(move |files: input::Dropped| {
            if !files.is_empty() {
                let d = dispatch.clone();
                backend.load(
                    files,
                    Callback::from(move |h| match h {
                        backend::Handoff::Handed(done, total) => d.emit(Action::Handing(Some((done, total)))),
                        // The handoff's bar, if shown, stays until the loading bar takes its place.
                        backend::Handoff::Sent => {}
                        backend::Handoff::Cleared => d.emit(Action::Handing(None)),
                        backend::Handoff::Cancelled(n) => {
                            d.emit(Action::Handing(None));
                            d.emit(Action::Notice(format!(
                                "Loading was cancelled while {n} files were handed over: none of them was read."
                            )));
                        }
                    }),
                );
            }
        })
    };
    let file_input = use_node_ref();
    let folder_input = use_node_ref();
    let on_pick = {
        let r = file_input.clone();
        Callback::from(move |_| {
            if let Some(i) = r.cast::<HtmlInputElement>() {
                i.click();
            }
        })
    };
    let on_pick_folder = {
        let r = folder_input.clone();
        Callback::from(move |_| {
            if let Some(i) = r.cast::<HtmlInputElement>() {
                i.click();
            }
        })
    };
    let on_files = {
        let load = load.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            load.emit(input::picked(&input));
            input.set_value("");
        })
    };
    let dragging = use_state(|| false);
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            if e.related_target().is_none() {
                dragging.set(false);
            }
        })
    };
    let ondrop = {
        let (dragging, load, dispatch, backend) = (dragging.clone(), load.clone(), dispatch.clone(), backend.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let Some(dt) = e.data_transfer() else { return };
            let (entries, plain) = input::entries_of(&dt);
            let (load, d, stop) = (load.clone(), dispatch.clone(), backend.stop_watch());
            wasm_bindgen_futures::spawn_local(async move {
                // Folders are walked first, saying how many files they held so far (every
                // ~100 ms); Cancel or Clear stops the walk, and then nothing of the drop is read.
                let (mut found, mut told_at) = (0, 0.0);
                let going = |n: usize| {
                    found = n;
                    let going = stop.stopped().is_none();
                    if going && js_sys::Date::now() - told_at > backend::TELL_EVERY_MILLIS {
                        told_at = js_sys::Date::now();
                        d.emit(Action::Walking(Some(n)));
                    }
                    going
                };
                let walked = input::walk(entries, going).await;
                match walked {
                    Ok(Some(mut files)) => {
                        files.extend(plain);
                        // Before the walk's bar goes: the handoff's, if it has one, takes its place.
                        load.emit(files);
                    }
                    Ok(None) if stop.stopped() == Some(backend::Stopped::Cancelled) => d.emit(Action::Notice(format!(
                        "Loading was cancelled while the dropped folders were looked through ({found} files found so \
                         far): none of them was read."
                    ))),
                    Ok(None) => {}
                    Err(e) => d.emit(Action::Notice(format!("Could not read the dropped folder: {e:?}"))),
                }
                d.emit(Action::Walking(None));
            });
        })
    };
    let on_demo = {
        let (load, dispatch) = (load.clone(), dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            let (load, dispatch) = (load.clone(), dispatch.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match input::demo().await {
                    Ok(files) => load.emit(files),
                    Err(e) => dispatch.emit(Action::Notice(format!("Could not load the demo data: {e}"))),
                }
            });
        })
    };
    let on_cancel = {
        let b = backend.clone();
        Callback::from(move |_| b.cancel())
    };
    let on_clear = {
        let b = backend.clone();
        Callback::from(move |_| b.clear())
    };

    // Keyboard shortcuts, except while typing.
    {
        let dispatch = dispatch.clone();
        use_effect_with(state.playing.is_some(), move |&playing| {
            let listener = keys::shortcuts(move |e| {
                match e.key().as_str() {
                    "/" => {
                        e.prevent_default();
                        if let Some(q) = gloo::utils::document()
                            .get_element_by_id("query")
                            .and_then(|q| q.dyn_into::<HtmlElement>().ok())
                        {
                            let _ = q.focus();
                        }
                    }
                    "?" => dispatch.emit(Action::Help(true)),
                    "Escape" => {
                        dispatch.emit(Action::Help(false));
                        dispatch.emit(Action::Select(None));
                    }
                    "t" => dispatch.emit(Action::ToggleTime),
                    // While a recording plays, digits seek within it (the player's own keys).
                    _ if playing => {}
                    k => {
                        if let Some(v) =
                            k.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).and_then(|i| View::ALL.get(i))
                        {
                            dispatch.emit(Action::Show(*v));
                        }
                    }
                }
            });
            move || drop(listener)
        });
    }

    let pivot = {
        let d = dispatch.clone();
        Callback::from(move |(field, value, exclude): (String, String, bool)| {
            d.emit(Action::Pivot { field, value, exclude })
        })
    };
    let play = {
        let d = dispatch.clone();
        Callback::from(move |session| d.emit(Action::Play(session)))
    };
    let cx = CellCx { local: state.local_time, pivot, span: None, play };
    let snapshot: Rc<AppState> = Rc::new((*state).clone());
    let state = snapshot;
    let props = |s: &Rc<AppState>| views::ViewProps { state: s.clone(), cx: cx.clone(), dispatch: dispatch.clone() };
    let main = if let Some(session) = state.playing {
        html! { <player::PlayerView {session} local={state.local_time} dispatch={dispatch.clone()} start={state.link.t} find={state.find.clone()} /> }
    } else if !state.has_data() {
        html! {
            <section class="empty">
                <h2>{"Drop Teleport files here"}</h2>
                <p>{"Audit logs of any Teleport version (the folder /var/lib/teleport/log with its per-auth-server subfolders, .log, .log.gz, .json, .jsonl), session recordings of any generation (.session.log/.session.bytes, .index/.events.gz/.chunks.gz, .tar), or archives of them."}</p>
                <p>{"Everything is read here, in this browser, on this machine: nothing is uploaded, nothing leaves it."}</p>
                <div class="actions">
                    <button class="primary" onclick={on_pick.reform(|_: MouseEvent| ())}>{"Choose files…"}</button>
                    <button onclick={on_pick_folder.reform(|_: MouseEvent| ())}>{"Choose a folder…"}</button>
                    <button onclick={on_demo}>{"Load demo data"}</button>
                </div>
            </section>
        }
    } else {
        match state.view {
            View::Overview => match &state.overview {
                Some(o) => {
                    html! { <overview::OverviewView overview={o.clone()} local={state.local_time} dispatch={dispatch.clone()}
                    version={state.version.wrapping_add(state.hashed)} cx={cx.clone()} /> }
                }
                None => html! { <p class="muted">{"Reading…"}</p> },
            },
            View::Dashboard => html! {
                <dashboard::DashboardView query={state.query.clone()} version={state.version} cx={cx.clone()} dispatch={dispatch.clone()} />
            },
            View::Auth => html! { <views::AuthView ..props(&state) /> },
            View::Events => html! { <views::EventsView ..props(&state) /> },
            View::Sessions => html! { <views::SessionsView ..props(&state) /> },
            View::Problems => html! { <views::ProblemsView ..props(&state) /> },
            View::Recordings => html! { <views::RecordingsView ..props(&state) /> },
            View::Findings => {
                html! { <findings::FindingsView findings={state.findings.clone()} query={state.query.clone()} cx={cx.clone()} dispatch={dispatch.clone()} /> }
            }
        }
    };
    let shell = shell::ShellProps { state: state.clone(), dispatch: dispatch.clone() };
    let with_query = matches!(
        state.view,
        View::Dashboard | View::Auth | View::Events | View::Sessions | View::Recordings | View::Problems
    ) && state.has_data()
        && state.playing.is_none();
    html! {
        <ContextProvider<Backend> context={backend.clone()}>
            <div class={classes!("app", (*dragging).then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
                <shell::Header state={state.clone()} dispatch={dispatch.clone()} {on_pick} {on_pick_folder} {on_clear} />
                <shell::Rail ..shell.clone() />
                <main class="main" id="main">
                    if let Some(p) = &state.progress {
                        <shell::LoadProgress progress={p.clone()} on_cancel={on_cancel} />
                    } else if let Some((handed, total)) = state.handing {
                        <shell::Handoff {handed} {total} on_cancel={on_cancel.clone()} />
                    } else if let Some(found) = state.walking {
                        <shell::Walking {found} on_cancel={on_cancel} />
                    }
                    if let Some(info) = &state.last_load {
                        if info.cancelled { <p class="notice">{format!("Loading was cancelled after {}; what was read is shown.", format::bytes(info.bytes))}</p> }
                    }
                    <shell::Notices ..shell.clone() />
                    if with_query { <querybar::QueryBar ..shell.clone() /> }
                    { main }
                </main>
                if let Some(sel) = state.selected.filter(|s| state.playing.is_none() || matches!(s, state::Selected::Event(_))) {
                    <drawer::Drawer selected={sel} cx={cx.clone()} dispatch={dispatch.clone()} version={state.version} />
                }
                if state.help { <shell::Help ..shell.clone() /> }
                <input ref={file_input} type="file" multiple=true class="visually-hidden" aria-label="Choose files" onchange={on_files.clone()} />
                <input ref={folder_input} type="file" multiple=true webkitdirectory=true class="visually-hidden" aria-label="Choose a folder" onchange={on_files} />
                if *dragging { <div class="drop-overlay" aria-hidden="true">{"Drop to read here — nothing is uploaded"}</div> }
                <fonts::FontWarmup />
            </div>
        </ContextProvider<Backend>>
    }
}

/// Brings back a permalink's selection once its files are loaded again.
fn restore(b: &Backend, d: &UseReducerDispatcher<AppState>, link: Link) {
    let d = d.clone();
    let req = Request::Resolve { sid: link.sid.clone(), event: link.event.clone() };
    b.request(req, move |r| {
        if let Response::Resolved { session, event } = r {
            // The names first: the player reads the moment to start at from them.
            d.dispatch(Action::Linked(link.clone()));
            match session {
                Some(index) if link.play => d.dispatch(Action::Play(index)),
                Some(index) if event.is_none() => d.dispatch(Action::Select(Some(Selected::Session(index)))),
                _ => {}
            }
            if let Some(id) = event {
                d.dispatch(Action::Select(Some(Selected::Event(id))));
            }
        }
    });
}

fn fetch_overview(b: &Backend, d: &UseReducerDispatcher<AppState>) {
    let d = d.clone();
    b.request(Request::Overview, move |r| {
        if let Response::Overview(o) = r {
            d.dispatch(Action::Overview(Rc::new(*o)));
        }
    });
}
