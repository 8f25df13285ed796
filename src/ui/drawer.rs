//! The right drawer: the selected event (its original line, pretty-printed, with file:line) or
//! session (who, where, when, and every event of it). Every value can be clicked to filter.

use super::answer::use_answer_about;
use super::format::{duration, time, visible};
use super::state::{Action, Link, Selected};
use super::table::{pivot, CellCx};
use crate::protocol::{Request, Response};
use review_core::audit::Outcome;
use review_core::views::{EventDetail, RecordingStatus, SessionDetail};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DrawerProps {
    pub selected: Selected,
    pub cx: CellCx,
    pub dispatch: Callback<Action>,
    pub version: u32,
}

#[function_component(Drawer)]
pub fn drawer(p: &DrawerProps) -> Html {
    let close = {
        let d = p.dispatch.clone();
        Callback::from(move |_| d.emit(Action::Select(None)))
    };
    let body = match p.selected {
        Selected::Event(id) => {
            html! { <EventPane {id} cx={p.cx.clone()} dispatch={p.dispatch.clone()} version={p.version} /> }
        }
        Selected::Session(index) => {
            html! { <SessionPane {index} cx={p.cx.clone()} dispatch={p.dispatch.clone()} version={p.version} /> }
        }
    };
    html! {
        <aside class="drawer" aria-label="Details">
            <button class="close" onclick={close} title="Close (Esc)" aria-label="Close details">{"×"}</button>
            { body }
        </aside>
    }
}

#[derive(Properties, PartialEq)]
struct EventPaneProps {
    id: u32,
    cx: CellCx,
    dispatch: Callback<Action>,
    version: u32,
}

#[function_component(EventPane)]
fn event_pane(p: &EventPaneProps) -> Html {
    let answer = use_answer_about(p.id, p.version, Request::Event(p.id));
    let pretty = use_state(|| true);
    {
        // The event's file and line name it in the URL.
        let (d, answer) = (p.dispatch.clone(), answer.clone());
        use_effect_with(answer.as_ref().map(|a| matches!(&**a, Response::Event(_))), move |_| {
            if let Some(Response::Event(detail)) = answer.as_deref() {
                d.emit(Action::Linked(Link { event: Some(detail.place.clone()), ..Link::default() }));
            }
        });
    }
    let Some(answer) = answer else {
        return html! { <p class="muted">{"Loading…"}</p> };
    };
    let d: &EventDetail = match &*answer {
        Response::Event(d) => d,
        Response::Error(e) => return html! { <p class="error">{visible(e)}</p> },
        _ => return html! {},
    };
    let r = &d.row;
    let cx = &p.cx;
    let field = |label: &'static str, name: &'static str, value: &str| {
        (!value.is_empty()).then(|| html! { <><dt>{label}</dt><dd>{pivot(cx, name, value, None)}</dd></> })
    };
    let session_link = d.session.map(|index| {
        let dispatch = p.dispatch.clone();
        let onclick = Callback::from(move |_| dispatch.emit(Action::Select(Some(Selected::Session(index)))));
        html! { <><dt>{"Session"}</dt><dd><button class="link" {onclick}>{visible(&r.sid)}</button></dd></> }
    });
    let json = if *pretty { d.pretty.clone().unwrap_or_else(|| d.raw.clone()) } else { d.raw.clone() };
    let toggle = {
        let pretty = pretty.clone();
        Callback::from(move |_| pretty.set(!*pretty))
    };
    let copy = {
        let raw = d.raw.clone();
        Callback::from(move |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&raw);
            }
        })
    };
    let failed = r.outcome == Outcome::Failure;
    html! {
        <>
            <h2 class={classes!(failed.then_some("fail"))}>{if failed { "✕ " } else { "" }}{visible(&r.title)}</h2>
            <p class="mono">{time(r.time, cx.local)}{" "}{super::format::zone(cx.local)}</p>
            <dl class="fields">
                <dt>{"Type"}</dt><dd>{pivot(cx, "event", &r.event, None)}</dd>
                { for field("Code", "code", &r.code) }
                { for field("User", "user", &r.user) }
                { for field("Login", "login", &r.login) }
                { for field("Node", "node", &r.node) }
                { for field("Address", "addr", &r.addr) }
                { for field("Method", "method", &r.method) }
                { for field("Cluster", "cluster", &r.cluster) }
                { for session_link }
                if !r.message.is_empty() { <dt>{"Message"}</dt><dd>{visible(&r.message)}</dd> }
                <dt>{"Source"}</dt><dd class="mono">{visible(&d.place)}</dd>
            </dl>
            <div class="json-head">
                <h3>{"Raw event"}</h3>
                <button onclick={toggle}>{if *pretty { "Show line as written" } else { "Indent" }}</button>
                <button onclick={copy}>{"Copy JSON"}</button>
            </div>
            <pre class="json" tabindex="0" aria-label="Raw event JSON">{json}</pre>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SessionPaneProps {
    index: u32,
    cx: CellCx,
    dispatch: Callback<Action>,
    version: u32,
}

#[function_component(SessionPane)]
fn session_pane(p: &SessionPaneProps) -> Html {
    let answer = use_answer_about(p.index, p.version, Request::Session(p.index));
    {
        // The session's id names it in the URL.
        let (d, answer) = (p.dispatch.clone(), answer.clone());
        use_effect_with(answer.as_ref().map(|a| matches!(&**a, Response::Session(_))), move |_| {
            if let Some(Response::Session(detail)) = answer.as_deref() {
                d.emit(Action::Linked(Link { sid: Some(detail.row.sid.clone()), ..Link::default() }));
            }
        });
    }
    let Some(answer) = answer else {
        return html! { <p class="muted">{"Loading…"}</p> };
    };
    let d: &SessionDetail = match &*answer {
        Response::Session(d) => d,
        Response::Error(e) => return html! { <p class="error">{visible(e)}</p> },
        _ => return html! {},
    };
    let s = &d.row;
    let cx = &p.cx;
    let events = d.events.iter().map(|e| {
        let (dispatch, id) = (p.dispatch.clone(), e.id);
        let onclick = Callback::from(move |_| dispatch.emit(Action::Select(Some(Selected::Event(id)))));
        let failed = e.outcome == Outcome::Failure;
        html! {
            <li class={classes!(failed.then_some("failed"))}>
                <button class="link" {onclick}>
                    <span class="mono">{time(e.time, cx.local).get(11..).unwrap_or_default().to_owned()}</span>{" "}
                    {if failed { "✕ " } else { "" }}{visible(&e.title)}{" "}<span class="muted">{visible(&e.user)}</span>
                </button>
            </li>
        }
    });
    let people = s.participants.iter().map(|u| html! { <li>{pivot(cx, "user", u, None)}</li> });
    let recording = match &s.recording {
        RecordingStatus::Loaded { encrypted: true, .. } => {
            html! { <p><span class="badge">{"enc"}</span>{" Recording loaded, but encrypted — cannot be replayed here."}</p> }
        }
        RecordingStatus::Loaded { error: Some(e), .. } => html! { <p class="error">{"⚠ "}{visible(e)}</p> },
        RecordingStatus::Loaded { generation, parts, duration_ms, .. } => {
            let length = duration_ms.map(|d| format!(", {}", duration(Some(d as i64 * 1_000_000)))).unwrap_or_default();
            let (d, index) = (p.dispatch.clone(), s.index);
            let onclick = Callback::from(move |_| d.emit(Action::Play(index)));
            html! { <p><button class="primary" {onclick}>{"▶ Play recording"}</button>{format!(" generation {generation}, {parts} file(s){length}")}</p> }
        }
        RecordingStatus::UploadedNotLoaded => {
            html! { <p class="muted">{"The audit log says a recording was uploaded; it is not among the loaded files."}</p> }
        }
        RecordingStatus::None => html! { <p class="muted">{"No recording known."}</p> },
    };
    let files = d
        .recording_files
        .iter()
        .map(|(_, path, role)| html! { <li><span class="mono">{visible(path)}</span>{" — "}{role.clone()}</li> });
    html! {
        <>
            <h2>{"Session "}<span class="mono">{visible(&s.sid)}</span></h2>
            <dl class="fields">
                <dt>{"User"}</dt><dd>{pivot(cx, "user", &s.user, None)}</dd>
                <dt>{"Login"}</dt><dd>{pivot(cx, "login", &s.login, None)}</dd>
                <dt>{"Node"}</dt><dd>{pivot(cx, "node", &s.node, None)}</dd>
                if !s.server_id.is_empty() && s.server_id != s.node { <dt>{"Server id"}</dt><dd>{pivot(cx, "node", &s.server_id, None)}</dd> }
                <dt>{"From"}</dt><dd>{pivot(cx, "addr", review_core::model::split_host_port(&s.addr).0, Some(visible(&s.addr)))}</dd>
                <dt>{"Start"}</dt><dd class="mono">{time(s.start, cx.local)}{if s.start_known { "" } else { " (first event seen; no start logged)" }}</dd>
                <dt>{"End"}</dt><dd class="mono">{if s.end.is_some() { time(s.end, cx.local) } else { "open, or end not logged".into() }}</dd>
                <dt>{"Duration"}</dt><dd class="mono">{duration(s.duration)}</dd>
                <dt>{"Interactive"}</dt><dd>{match s.interactive { Some(true) => "yes", Some(false) => "no", None => "unknown" }}</dd>
                if !s.terminal_size.is_empty() { <dt>{"Terminal"}</dt><dd class="mono">{visible(&s.terminal_size)}</dd> }
            </dl>
            <h3>{"Participants"}</h3>
            <ul class="people">{ for people }</ul>
            <h3>{"Recording"}</h3>
            { recording }
            <ul class="files">{ for files }</ul>
            <h3>{format!("Events ({})", d.events.len())}</h3>
            <ol class="session-events">{ for events }</ol>
        </>
    }
}
