//! The player: a recording replayed from the worker, one screen update at a time. Playback runs
//! on animation frames; at most one screen request is in flight, and the newest wanted moment is
//! asked for next, so a slow frame never queues up work. Seeks, steps and searches all end in a
//! screen request for a recording time.

use super::backend::Backend;
use super::format::{plural, time, visible};
use super::state::{Action, Find, Link, Selected};
use super::terminal;
use crate::protocol::{RecordingInfo, Request, Response, ScrollbackLine};
use review_recording::{EventKind, Millis, SessionEvent};
use review_replay::{Clock, ScreenUpdate, SearchHit, SearchOptions, SearchResults};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

const SPEEDS: [f64; 7] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];
use crate::protocol::DEFAULT_IDLE_CAP as IDLE_CAP;
/// Scrollback rows fetched at a time.
const SCROLLBACK_PAGE: u32 = 400;

/// Playback state shared with the animation-frame loop (outside Yew's state: it changes every
/// frame).
struct Engine {
    clock: Option<Rc<Clock>>,
    /// Position in display time (idle gaps capped).
    pos: Millis,
    playing: bool,
    speed: f64,
    last_frame: Option<f64>,
    in_flight: Option<(Millis, f64)>,
    /// A recording time wanted while another request was in flight.
    wanted: Option<(Millis, bool)>,
    /// Recording time of the screen drawn.
    shown: Millis,
    frame: Option<gloo::render::AnimationFrame>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            clock: None,
            pos: 0,
            playing: false,
            speed: 1.0,
            last_frame: None,
            in_flight: None,
            wanted: None,
            shown: 0,

            frame: None,
        }
    }
}

impl Engine {
    fn display_duration(&self) -> Millis {
        self.clock.as_ref().map_or(0, |c| c.display_duration())
    }

    fn to_recording(&self, display: Millis) -> Millis {
        self.clock.as_ref().map_or(display, |c| c.to_recording(display))
    }

    fn to_display(&self, at: Millis) -> Millis {
        self.clock.as_ref().map_or(at, |c| c.to_display(at))
    }
}

type Shared = Rc<RefCell<Engine>>;

fn now() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |p| p.now())
}

/// Where the terminal is drawn: the terminal element and the frame it is fitted into.
#[derive(Clone, PartialEq)]
struct Surface {
    term: NodeRef,
    frame: NodeRef,
}

/// Asks for the screen at recording time `at` (or queues it behind the request in flight).
fn show(engine: &Shared, backend: &Backend, term: &Surface, at: Millis, full: bool) {
    {
        let mut e = engine.borrow_mut();
        if e.in_flight.is_some() {
            let full = full || e.wanted.is_some_and(|(_, f)| f);
            e.wanted = Some((at, full));
            return;
        }
        e.in_flight = Some((at, now()));
    }
    let (engine2, backend2, term2) = (engine.clone(), backend.clone(), term.clone());
    backend.request(Request::Screen { at, full }, move |r| {
        if let (Response::Screen(update), Some(el)) = (r, term2.term.cast::<HtmlElement>()) {
            terminal::apply(&el, term2.frame.cast::<HtmlElement>().as_ref(), &update);
            mark_drawn(&el, &update);
        }
        let next = {
            let mut e = engine2.borrow_mut();
            if let Some((at, asked)) = e.in_flight.take() {
                e.shown = at;
                let took = now() - asked;
                super::metrics::seek(took);
            }
            e.wanted.take()
        };
        if let Some((at, full)) = next {
            show(&engine2, &backend2, &term2, at, full);
        }
    });
}

/// Leaves the last draw's time on the element, for tests and the in-browser benchmark.
fn mark_drawn(el: &HtmlElement, update: &ScreenUpdate) {
    let _ = el.set_attribute("data-at", &update.at.to_string());
}

/// The search form's fields.
#[derive(Clone, Default, PartialEq)]
pub struct FindForm {
    pub pattern: NodeRef,
    pub regex: NodeRef,
    pub case: NodeRef,
}

/// A search form's fields, filled with `find` once `drawn` (and never again: the user's edits
/// stay).
#[hook]
pub fn use_find_form(find: Option<Rc<Find>>, drawn: bool) -> FindForm {
    let form = use_memo((), |_| FindForm::default());
    let filled = form.clone();
    use_effect_with(drawn, move |&drawn| {
        if let (true, Some(f)) = (drawn, find) {
            let input = |r: &NodeRef| r.cast::<web_sys::HtmlInputElement>();
            if let Some(i) = input(&filled.pattern) {
                i.set_value(&f.pattern);
            }
            if let Some(i) = input(&filled.regex) {
                i.set_checked(f.options.regex);
            }
            if let Some(i) = input(&filled.case) {
                i.set_checked(f.options.case_sensitive);
            }
        }
    });
    (*form).clone()
}

/// What a submitted search form asks for (its `pattern`, `regex` and `case` fields).
pub fn submitted_find(ev: &SubmitEvent) -> Find {
    let form: web_sys::HtmlFormElement = ev.target_unchecked_into();
    let field =
        |name: &str| form.elements().named_item(name).and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
    Find {
        pattern: field("pattern").map(|i| i.value()).unwrap_or_default(),
        options: SearchOptions {
            regex: field("regex").is_some_and(|i| i.checked()),
            case_sensitive: field("case").is_some_and(|i| i.checked()),
        },
    }
}

/// A search's answer, for the hits list.
fn searched(r: Response) -> Result<Rc<SearchResults>, String> {
    match r {
        Response::Search(s) => Ok(Rc::new(*s)),
        Response::Error(e) => Err(e),
        _ => Err("the worker answered something else".into()),
    }
}

/// A search hit as a button: its time in the recording, and its line with the hit marked.
pub fn hit_button(h: &SearchHit, onclick: Callback<MouseEvent>) -> Html {
    let (a, b) = (h.highlight.0.min(h.preview.len()), h.highlight.1.min(h.preview.len()));
    let part = |r: std::ops::Range<usize>| visible(h.preview.get(r).unwrap_or(""));
    html! { <button class="link" {onclick}><span class="mono">{clock_text(h.shown)}</span>{" "}{part(0..a)}<mark>{part(a..b)}</mark>{part(b..h.preview.len())}</button> }
}

pub fn clock_text(ms: Millis) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[derive(Properties, PartialEq)]
pub struct PlayerProps {
    pub session: u32,
    pub local: bool,
    pub dispatch: Callback<Action>,
    /// Where to start, in recording time (a permalink's moment).
    #[prop_or_default]
    pub start: Option<Millis>,
    /// What to search for as it opens (a hit found inside recordings was clicked).
    #[prop_or_default]
    pub find: Option<Rc<Find>>,
}

#[function_component(PlayerView)]
pub fn player_view(p: &PlayerProps) -> Html {
    let backend = use_context::<Backend>().expect("backend");
    let info = use_state(|| None::<Result<Rc<RecordingInfo>, String>>);
    let engine: Shared = use_mut_ref(Engine::default);
    let redraw = use_force_update();
    let term_node = use_node_ref();
    let frame = use_node_ref();
    let root = use_node_ref();
    let term = Surface { term: term_node.clone(), frame: frame.clone() };
    let idle_capped = use_state(|| true);
    let search = use_state(|| None::<Result<Rc<SearchResults>, String>>);
    let scrollback = use_state(|| None::<(u32, Rc<Vec<ScrollbackLine>>)>);
    let panel = use_state(|| if p.find.is_some() { "search" } else { "session" });
    // A search handed over (a hit found inside recordings) is written into the form once it is
    // drawn; from then on the form is the user's.
    let find_form = use_find_form(p.find.clone(), info.is_some());
    let seekbar_ref = use_node_ref();
    let dragging = use_state(|| false);

    // Open the recording; close it when leaving.
    {
        let (backend, info, engine, term, redraw, dispatch) =
            (backend.clone(), info.clone(), engine.clone(), term.clone(), redraw.clone(), p.dispatch.clone());
        let start = p.start.unwrap_or(0);
        let (find, found) = (p.find.clone(), search.clone());
        use_effect_with(p.session, move |&session| {
            info.set(None);
            *engine.borrow_mut() = Engine::default();
            let b = backend.clone();
            backend.request(Request::OpenRecording { session }, move |r| match r {
                Response::Recording(ri) => {
                    let ri: Rc<RecordingInfo> = Rc::new(*ri);
                    {
                        let mut e = engine.borrow_mut();
                        e.clock = Some(Rc::new(ri.clock.clone()));
                        e.pos = e.to_display(start);
                    }
                    dispatch.emit(Action::Linked(Link {
                        sid: Some(ri.sid.clone()),
                        t: Some(start),
                        play: true,
                        ..Link::default()
                    }));
                    info.set(Some(Ok(ri)));
                    show(&engine, &b, &term, start, true);
                    redraw.force_update();
                    if let Some(f) = find {
                        let request = Request::Search { pattern: f.pattern.clone(), options: f.options };
                        b.request(request, move |r| found.set(Some(searched(r))));
                    }
                }
                Response::Error(e) => info.set(Some(Err(e))),
                _ => {}
            });
            let b = backend.clone();
            move || b.request(Request::CloseRecording, |_| {})
        });
    }

    // Playback: advance the display position every animation frame.
    let start_loop = {
        let (engine, backend, term, redraw) = (engine.clone(), backend.clone(), term.clone(), redraw.clone());
        Rc::new(move || {
            fn tick(
                ts: f64,
                engine: Shared,
                backend: Backend,
                term: Surface,
                redraw: UseForceUpdateHandle,
                last_redraw: f64,
            ) {
                let (target, playing, stop) = {
                    let mut e = engine.borrow_mut();
                    if !e.playing {
                        e.frame = None;
                        return;
                    }
                    let dt = e.last_frame.map_or(0.0, |l| (ts - l).max(0.0));
                    e.last_frame = Some(ts);
                    let end = e.display_duration();
                    e.pos = (e.pos + (dt * e.speed) as Millis).min(end);
                    let stop = e.pos >= end;
                    if stop {
                        e.playing = false;
                    }
                    (e.to_recording(e.pos), e.playing, stop)
                };
                show(&engine, &backend, &term, target, false);
                let mut last = last_redraw;
                if ts - last_redraw > 100.0 || stop {
                    redraw.force_update();
                    last = ts;
                }
                if playing {
                    let (e2, b2, t2, r2) = (engine.clone(), backend.clone(), term.clone(), redraw.clone());
                    let handle = gloo::render::request_animation_frame(move |ts| tick(ts, e2, b2, t2, r2, last));
                    engine.borrow_mut().frame = Some(handle);
                }
            }
            let (e2, b2, t2, r2) = (engine.clone(), backend.clone(), term.clone(), redraw.clone());
            let handle = gloo::render::request_animation_frame(move |ts| tick(ts, e2, b2, t2, r2, 0.0));
            engine.borrow_mut().frame = Some(handle);
        })
    };

    // Moves the display position and shows that moment.
    // The moment shown goes into the URL (on seeks and pauses; not every frame).
    let mark_moment = {
        let (dispatch, info) = (p.dispatch.clone(), info.clone());
        Rc::new(move |at: Millis| {
            if let Some(Ok(ri)) = &*info {
                dispatch.emit(Action::Linked(Link {
                    sid: Some(ri.sid.clone()),
                    t: Some(at),
                    play: true,
                    ..Link::default()
                }));
            }
        })
    };
    let seek_display = {
        let (engine, backend, term, redraw, mark) =
            (engine.clone(), backend.clone(), term.clone(), redraw.clone(), mark_moment.clone());
        Rc::new(move |display: Millis| {
            let (at, playing) = {
                let mut e = engine.borrow_mut();
                e.pos = display.min(e.display_duration());
                e.last_frame = None;
                (e.to_recording(e.pos), e.playing)
            };
            show(&engine, &backend, &term, at, false);
            if !playing {
                mark(at);
            }
            redraw.force_update();
        })
    };
    let seek_recording = {
        let (engine, seek_display) = (engine.clone(), seek_display.clone());
        Rc::new(move |at: Millis| {
            let d = engine.borrow().to_display(at);
            seek_display(d)
        })
    };
    let toggle_play = {
        let (engine, start_loop, redraw, seek_display) =
            (engine.clone(), start_loop.clone(), redraw.clone(), seek_display.clone());
        Rc::new(move || {
            let start = {
                let mut e = engine.borrow_mut();
                if e.playing {
                    e.playing = false;
                    e.frame = None;
                    mark_moment(e.to_recording(e.pos));
                    false
                } else {
                    if e.pos >= e.display_duration() {
                        e.pos = 0;
                    }
                    e.playing = true;
                    e.last_frame = None;
                    true
                }
            };
            if start {
                let pos = engine.borrow().pos;
                seek_display(pos);
                start_loop();
            }
            redraw.force_update();
        })
    };
    let step = {
        let (engine, seek_recording) = (engine.clone(), seek_recording.clone());
        Rc::new(move |forward: bool| {
            let target = {
                let e = engine.borrow();
                let at = e.to_recording(e.pos);
                e.clock.as_ref().and_then(|c| if forward { c.next_frame(at) } else { c.previous_frame(at) })
            };
            if let Some(t) = target {
                engine.borrow_mut().playing = false;
                seek_recording(t);
            }
        })
    };
    let skip_idle = {
        let (engine, seek_recording) = (engine.clone(), seek_recording.clone());
        Rc::new(move || {
            let target = {
                let e = engine.borrow();
                let at = e.to_recording(e.pos);
                e.clock.as_ref().and_then(|c| c.next_activity(at))
            };
            if let Some(t) = target {
                seek_recording(t);
            }
        })
    };
    let fullscreen = {
        let root = root.clone();
        Rc::new(move || {
            let doc = gloo::utils::document();
            if doc.fullscreen_element().is_some() {
                doc.exit_fullscreen();
            } else if let Some(el) = root.cast::<web_sys::Element>() {
                let _ = el.request_fullscreen();
            }
        })
    };

    // Keyboard: space, ←/→ 5 s, shift+←/→ 10 %, ,/. step, 0–9, f.
    {
        let (engine, toggle_play, seek_display, step, fullscreen, dispatch) = (
            engine.clone(),
            toggle_play.clone(),
            seek_display.clone(),
            step.clone(),
            fullscreen.clone(),
            p.dispatch.clone(),
        );
        use_effect_with((), move |_| {
            let listener = super::keys::shortcuts(move |e| {
                let (pos, dur) = {
                    let e = engine.borrow();
                    (e.pos, e.display_duration())
                };
                let jump = |d: i64| seek_display((pos as i64 + d).clamp(0, dur as i64) as Millis);
                match e.key().as_str() {
                    " " => toggle_play(),
                    "ArrowLeft" if e.shift_key() => jump(-(dur as i64) / 10),
                    "ArrowRight" if e.shift_key() => jump(dur as i64 / 10),
                    "ArrowLeft" => jump(-5000),
                    "ArrowRight" => jump(5000),
                    "," => step(false),
                    "." => step(true),
                    "f" => fullscreen(),
                    "Escape" => dispatch.emit(Action::ClosePlayer),
                    k if k.len() == 1 && k.as_bytes()[0].is_ascii_digit() => {
                        seek_display(dur * Millis::from(k.as_bytes()[0] - b'0') / 10)
                    }
                    _ => return,
                }
                e.prevent_default();
            });
            move || drop(listener)
        });
    }
    // Refit the terminal when the window changes size (updates refit when the terminal does).
    {
        let (term, frame) = (term_node.clone(), frame.clone());
        use_effect_with((), move |_| {
            let listener = gloo::events::EventListener::new(&gloo::utils::window(), "resize", move |_| {
                if let (Some(t), Some(f)) = (term.cast::<HtmlElement>(), frame.cast::<HtmlElement>()) {
                    let _ = t.remove_attribute("data-size");
                    terminal::refit(&t, &f);
                }
            });
            move || drop(listener)
        });
    }

    let back = {
        let d = p.dispatch.clone();
        Callback::from(move |_| d.emit(Action::ClosePlayer))
    };
    let ri = match &*info {
        None => {
            return html! { <section class="player"><button onclick={back}>{"← Back"}</button><p class="muted" role="status">{"Decoding and indexing the recording…"}</p></section> }
        }
        Some(Err(e)) => {
            return html! {
                <section class="player">
                    <button onclick={back}>{"← Back"}</button>
                    <p class="error player-error" role="alert">{"⚠ "}{visible(e)}</p>
                </section>
            }
        }
        Some(Ok(ri)) => ri.clone(),
    };

    let e = engine.borrow();
    // The bar is laid out in played time (idle gaps capped); every time written is recording
    // time, as in the transcript, the session's events and the audit log.
    let dur = e.display_duration().max(1);
    let pos = e.pos;
    let at = e.to_recording(pos);
    let length = e.clock.as_ref().map_or(0, |c| c.duration());
    let played_in =
        (length > dur).then(|| format!("Time in the recording; with idle gaps capped it plays in {}", clock_text(dur)));
    let playing = e.playing;
    let speed = e.speed;
    let marker = |ev: &SessionEvent| -> Html {
        let left = e.to_display(ev.at) as f64 / dur as f64 * 100.0;
        let kind = match &ev.kind {
            EventKind::Join { .. } | EventKind::Leave { .. } => "join",
            EventKind::Resize { .. } => "resize",
            EventKind::Command { .. } => "command",
            EventKind::Network { denied: true, .. } => "denied",
            EventKind::Network { .. } | EventKind::Disk { .. } => "enhanced",
            _ => "other",
        };
        html! { <span class={classes!("mark", kind)} style={format!("left: {left:.3}%")} title={format!("{} {}", clock_text(ev.at), visible(&ev.summary))} /> }
    };
    let markers: Html = ri
        .events
        .iter()
        .filter(|ev| !matches!(ev.kind, EventKind::Start | EventKind::End | EventKind::Other))
        .take(2000)
        .map(marker)
        .collect();
    let hit_marks: Html = match &*search {
        Some(Ok(r)) => r.hits.iter().take(2000).map(|h| html! { <span class="mark hit" style={format!("left: {:.3}%", e.to_display(h.at) as f64 / dur as f64 * 100.0)} /> }).collect(),
        _ => Html::default(),
    };
    drop(e);

    let frac_of = {
        let seekbar_ref = seekbar_ref.clone();
        move |ev: &MouseEvent| -> Option<f64> {
            let el: web_sys::Element = seekbar_ref.cast::<HtmlElement>()?.into();
            let r = el.get_bounding_client_rect();
            Some(((f64::from(ev.client_x()) - r.left()) / r.width().max(1.0)).clamp(0.0, 1.0))
        }
    };
    let on_seek_down = {
        let (sd, frac_of, dragging) = (seek_display.clone(), frac_of.clone(), dragging.clone());
        Callback::from(move |ev: MouseEvent| {
            if let Some(f) = frac_of(&ev) {
                dragging.set(true);
                sd((f * dur as f64) as Millis);
            }
        })
    };
    let on_seek_move = {
        let (sd, frac_of, dragging) = (seek_display.clone(), frac_of.clone(), dragging.clone());
        Callback::from(move |ev: MouseEvent| {
            if *dragging {
                if let Some(f) = frac_of(&ev) {
                    sd((f * dur as f64) as Millis);
                }
            }
        })
    };
    let on_seek_up = {
        let dragging = dragging.clone();
        Callback::from(move |_: MouseEvent| dragging.set(false))
    };
    let on_seek_key = {
        let sd = seek_display.clone();
        Callback::from(move |ev: KeyboardEvent| match ev.key().as_str() {
            "Home" => sd(0),
            "End" => sd(dur),
            _ => {}
        })
    };
    let on_speed = {
        let (engine, redraw) = (engine.clone(), redraw.clone());
        Callback::from(move |ev: Event| {
            let v: f64 = ev.target_unchecked_into::<web_sys::HtmlSelectElement>().value().parse().unwrap_or(1.0);
            engine.borrow_mut().speed = v;
            redraw.force_update();
        })
    };
    let on_idle = {
        let (engine, backend, idle_capped, redraw) =
            (engine.clone(), backend.clone(), idle_capped.clone(), redraw.clone());
        Callback::from(move |_| {
            let cap = if *idle_capped { None } else { Some(IDLE_CAP) };
            idle_capped.set(!*idle_capped);
            let (engine, redraw) = (engine.clone(), redraw.clone());
            backend.request(Request::Clock { idle_cap: cap }, move |r| {
                if let Response::Clock(c) = r {
                    let mut e = engine.borrow_mut();
                    let at = e.to_recording(e.pos);
                    e.clock = Some(Rc::new(*c));
                    e.pos = e.to_display(at);
                    drop(e);
                    redraw.force_update();
                }
            });
        })
    };
    let on_search = {
        let (backend, search) = (backend.clone(), search.clone());
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let Find { pattern, options } = submitted_find(&ev);
            if pattern.is_empty() {
                search.set(None);
                return;
            }
            let search = search.clone();
            backend.request(Request::Search { pattern, options }, move |r| search.set(Some(searched(r))));
        })
    };
    let load_scrollback = {
        let (backend, scrollback, engine) = (backend.clone(), scrollback.clone(), engine.clone());
        Rc::new(move || {
            let at = engine.borrow().shown;
            let (backend2, scrollback) = (backend.clone(), scrollback.clone());
            let have = scrollback.as_ref().map_or(0, |(_, l)| l.len() as u32);
            backend.request(Request::Scrollback { at, start: 0, end: 0 }, move |r| {
                if let Response::Scrollback { total, .. } = r {
                    let end = total.saturating_sub(have);
                    let start = end.saturating_sub(SCROLLBACK_PAGE);
                    let older = scrollback.as_ref().map(|(_, l)| l.clone());
                    backend2.request(Request::Scrollback { at, start, end }, move |r| {
                        if let Response::Scrollback { total, lines, .. } = r {
                            let mut all = lines;
                            if let Some(older) = older {
                                all.extend(older.iter().cloned());
                            }
                            scrollback.set(Some((total, Rc::new(all))));
                        }
                    });
                }
            });
        })
    };
    let on_scrollback = {
        let ls = load_scrollback.clone();
        Callback::from(move |_: MouseEvent| ls())
    };
    let close_scrollback = {
        let scrollback = scrollback.clone();
        Callback::from(move |_| scrollback.set(None))
    };
    let download = {
        let (backend, sid) = (backend.clone(), ri.sid.clone());
        Callback::from(move |_| {
            let sid = sid.clone();
            backend.request(Request::Transcript, move |r| {
                if let Response::Transcript(text) = r {
                    save_text(&format!("transcript-{sid}.txt"), &text);
                }
            });
        })
    };

    let (tp, sk, st, fs) = (toggle_play.clone(), skip_idle.clone(), step.clone(), fullscreen.clone());
    let wall = ri.start_time.map(|t0| time(Some(t0 + at as i64 * 1_000_000), p.local));
    let hits = match &*search {
        None => Html::default(),
        Some(Err(e)) => html! { <p class="error">{visible(e)}</p> },
        Some(Ok(r)) => {
            let list = r.hits.iter().take(500).map(|h| {
                let sr = seek_recording.clone();
                let t = h.shown;
                html! { <li>{ hit_button(h, Callback::from(move |_| sr(t))) }</li> }
            });
            let (n, more) = (r.hits.len(), if r.truncated { " (more not shown)" } else { "" });
            html! { <><p class="count">{format!("{}{more}", plural(n, "hit"))}</p><ol class="hits">{ for list }</ol></> }
        }
    };
    let commands: Vec<&SessionEvent> = ri
        .events
        .iter()
        .filter(|ev| {
            matches!(
                ev.kind,
                EventKind::Command { .. }
                    | EventKind::Network { .. }
                    | EventKind::Join { .. }
                    | EventKind::Leave { .. }
            )
        })
        .collect();
    let command_list = commands.iter().map(|ev| {
        let sr = seek_recording.clone();
        let t = ev.at;
        let onclick = Callback::from(move |_| sr(t));
        let denied = matches!(ev.kind, EventKind::Network { denied: true, .. });
        html! { <li class={classes!(denied.then_some("failed"))}><button class="link" {onclick}><span class="mono">{clock_text(t)}</span>{" "}{if denied { html! { <span class="badge fail">{"denied"}</span> } } else { html! {} }}{" "}{visible(&ev.summary)}</button></li> }
    });
    let tab = |name: &'static str, label: String| {
        let current = *panel == name;
        let set = panel.clone();
        let onclick = Callback::from(move |_| set.set(name));
        html! { <button role="tab" aria-selected={current.to_string()} class={classes!(current.then_some("current"))} {onclick}>{label}</button> }
    };
    let to_session = {
        let (d, s) = (p.dispatch.clone(), p.session);
        Callback::from(move |_| d.emit(Action::Select(Some(Selected::Session(s)))))
    };
    let sb = scrollback.as_ref().map(|(total, lines)| html! { <Scrollback total={*total} lines={lines.clone()} on_more={on_scrollback.clone()} on_close={close_scrollback.clone()} /> });
    html! {
        <section class="player" ref={root}>
            <div class="player-head">
                <button onclick={back} title="Back (Esc)">{"← Back"}</button>
                <h2>{"Recording "}<button class="link mono" onclick={to_session}>{visible(&ri.sid)}</button></h2>
                <span class="muted">{format!("generation {} · {} prints · {}×{} · opened in {:.0} ms", ri.generation, ri.prints, ri.size.cols, ri.size.rows, ri.open_millis)}</span>
            </div>
            if !ri.problems.is_empty() || !ri.notes.is_empty() {
                <ul class="notices">
                    { for ri.notes.iter().map(|n| html! { <li class="note" role="note">{"ℹ "}{visible(n)}</li> }) }
                    { for ri.problems.iter().map(|pr| html! { <li role="alert">{"⚠ "}{visible(pr)}</li> }) }
                </ul>
            }
            <div class="player-body">
                <div class="player-main">
                    if let Some(sb) = sb { {sb} }
                    <div class="term-frame" ref={frame} onwheel={ {
                        let (ls, playing) = (load_scrollback.clone(), playing);
                        let open = scrollback.is_some();
                        // Scrolling up over the paused terminal opens the scrollback.
                        Callback::from(move |ev: WheelEvent| if ev.delta_y() < 0.0 && !playing && !open { ls() })
                    } }>
                        <TermSurface node={term_node.clone()} />
                    </div>
                    <div class="seekbar" ref={seekbar_ref} role="slider" tabindex="0" aria-label="Position" aria-valuemin="0" aria-valuemax={dur.to_string()} aria-valuenow={pos.to_string()} aria-valuetext={clock_text(at)}
                        onmousedown={on_seek_down} onmousemove={on_seek_move} onmouseup={on_seek_up.clone()} onmouseleave={on_seek_up} onkeydown={on_seek_key}>
                        <div class="played" style={format!("width: {:.3}%", pos as f64 / dur as f64 * 100.0)} />
                        { markers }
                        { hit_marks }
                    </div>
                    <div class="controls" role="toolbar" aria-label="Player controls">
                        <button class="primary play" onclick={Callback::from(move |_| tp())} title="Play / pause (space)">{if playing { "⏸ Pause" } else { "▶ Play" }}</button>
                        <button onclick={ { let st = st.clone(); Callback::from(move |_| st(false)) } } title="Previous frame (,)" aria-label="Previous frame">{"◀ frame"}</button>
                        <button onclick={Callback::from(move |_| st(true))} title="Next frame (.)" aria-label="Next frame">{"frame ▶"}</button>
                        <span class="mono time" aria-live="off" title={played_in.clone()}>{format!("{} / {}", clock_text(at), clock_text(length))}</span>
                        if let Some(w) = wall { <span class="mono muted" title="Wall-clock time at this moment">{w}{" "}{super::format::zone(p.local)}</span> }
                        <label>{"Speed "}
                            <select onchange={on_speed} aria-label="Speed">
                                { for SPEEDS.iter().map(|s| html! { <option value={s.to_string()} selected={(*s - speed).abs() < 1e-9}>{format!("{s}×")}</option> }) }
                            </select>
                        </label>
                        <label title="Idle gaps longer than 2 s play as 2 s"><input type="checkbox" checked={*idle_capped} onchange={on_idle} />{" cap idle gaps"}</label>
                        <button onclick={Callback::from(move |_| sk())} title="Jump to the next output">{"Skip inactivity"}</button>
                        <button onclick={on_scrollback.clone()} disabled={playing} title="Scroll back through what had left the screen (paused)">{"Scrollback"}</button>
                        <button onclick={download} title="Download what was on screen, with times">{"Transcript"}</button>
                        <button onclick={Callback::from(move |_| fs())} title="Fullscreen (f)">{"Full screen"}</button>
                    </div>
                </div>
                <aside class="player-side">
                    <div role="tablist">{ tab("session", "Session".into()) }{ tab("search", "Search".into()) }{ tab("commands", format!("Commands ({})", commands.len())) }</div>
                    if *panel == "session" {
                        <SessionTab session={p.session} start_time={ri.start_time} local={p.local} dispatch={p.dispatch.clone()} seek={ {
                            let sr = seek_recording.clone();
                            Callback::from(move |at: Millis| sr(at))
                        } } />
                    } else if *panel == "search" {
                        <form class="search" onsubmit={on_search}>
                            <input name="pattern" type="search" placeholder="Search everything printed…" aria-label="Search the recording" ref={find_form.pattern.clone()} />
                            <label><input name="regex" type="checkbox" ref={find_form.regex.clone()} />{" regex"}</label>
                            <label><input name="case" type="checkbox" ref={find_form.case.clone()} />{" match case"}</label>
                            <button type="submit">{"Find"}</button>
                        </form>
                        { hits }
                    } else {
                        <ol class="hits">{ for command_list }</ol>
                    }
                </aside>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SessionTabProps {
    session: u32,
    start_time: Option<i64>,
    local: bool,
    dispatch: Callback<Action>,
    seek: Callback<Millis>,
}

/// The session's audit events beside its recording: clicking one shows that moment.
#[function_component(SessionTab)]
fn session_tab(p: &SessionTabProps) -> Html {
    let backend = use_context::<Backend>().expect("backend");
    let detail = use_state(|| None::<Rc<review_core::views::SessionDetail>>);
    {
        let detail = detail.clone();
        use_effect_with(p.session, move |&session| {
            backend.request(Request::Session(session), move |r| {
                if let Response::Session(d) = r {
                    detail.set(Some(Rc::new(*d)));
                }
            });
        });
    }
    let Some(d) = &*detail else { return html! { <p class="muted">{"…"}</p> } };
    let s = &d.row;
    let events = d.events.iter().map(|e| {
        let failed = e.outcome == review_core::audit::Outcome::Failure;
        let at = match (e.time, p.start_time) {
            (Some(t), Some(t0)) => Some(((t - t0).max(0) / 1_000_000) as Millis),
            _ => None,
        };
        let seek = at.map(|at| {
            let s = p.seek.clone();
            Callback::from(move |_| s.emit(at))
        });
        let (d2, id) = (p.dispatch.clone(), e.id);
        let raw = Callback::from(move |_| d2.emit(Action::Select(Some(Selected::Event(id)))));
        html! {
            <li class={classes!(failed.then_some("failed"))}>
                <button class="link" onclick={seek} disabled={at.is_none()} title="Show this moment of the recording">
                    <span class="mono">{time(e.time, p.local).get(11..).unwrap_or_default().to_owned()}</span>{" "}{visible(&e.title)}
                </button>
                {" "}<button class="link small" onclick={raw} title="The event as logged">{"JSON"}</button>
            </li>
        }
    });
    html! {
        <>
            <dl class="fields">
                <dt>{"User"}</dt><dd>{visible(&s.user)}</dd>
                <dt>{"Login"}</dt><dd>{visible(&s.login)}</dd>
                <dt>{"Node"}</dt><dd>{visible(&s.node)}</dd>
                <dt>{"From"}</dt><dd>{visible(&s.addr)}</dd>
                <dt>{"People"}</dt><dd>{s.participants.iter().map(|x| visible(x)).collect::<Vec<_>>().join(", ")}</dd>
                <dt>{"Start"}</dt><dd class="mono">{time(s.start, p.local)}</dd>
                <dt>{"End"}</dt><dd class="mono">{if s.end.is_some() { time(s.end, p.local) } else { "not logged".into() }}</dd>
            </dl>
            <h3>{format!("Audit events ({})", d.events.len())}</h3>
            <ol class="hits">{ for events }</ol>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SurfaceProps {
    node: NodeRef,
}

/// The element the terminal is drawn into; never re-rendered by Yew, only by [`terminal::apply`].
#[function_component(TermSurface)]
fn term_surface(p: &SurfaceProps) -> Html {
    html! { <div class="term" ref={p.node.clone()} role="log" aria-label="Terminal" tabindex="0" /> }
}

#[derive(Properties, PartialEq)]
struct ScrollbackProps {
    total: u32,
    lines: Rc<Vec<ScrollbackLine>>,
    on_more: Callback<MouseEvent>,
    on_close: Callback<MouseEvent>,
}

/// Rows that had left the screen by the moment shown, drawn like the terminal, newest last.
#[function_component(Scrollback)]
fn scrollback(p: &ScrollbackProps) -> Html {
    let node = use_node_ref();
    {
        let (node, lines) = (node.clone(), p.lines.clone());
        use_effect_with(lines.len(), move |_| {
            if let Some(el) = node.cast::<HtmlElement>() {
                let doc = gloo::utils::document();
                el.set_text_content(None);
                for line in lines.iter() {
                    if let Ok(row) = doc.create_element("div") {
                        row.set_class_name("trow");
                        terminal::draw_row(&doc, &row, &line.row);
                        let _ = el.append_child(&row);
                    }
                }
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let more = (p.lines.len() as u32) < p.total;
    html! {
        <div class="scrollback">
            <div class="scrollback-head">
                <span>{format!("Scrollback: {} of {} rows that had left the screen", p.lines.len(), p.total)}</span>
                if more { <button onclick={p.on_more.clone()}>{"Earlier rows"}</button> }
                <button onclick={p.on_close.clone()}>{"Close"}</button>
            </div>
            <div class="term scrollback-rows" ref={node} />
        </div>
    }
}

/// Offers `text` as a download, made here (nothing is fetched).
fn save_text(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = gloo::utils::document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
