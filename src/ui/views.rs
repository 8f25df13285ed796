//! The table views: each is a virtual table over one of the worker's tables, with the shared
//! query applied, a count of matching rows, and (for auth) filter controls that edit the query.

use super::answer::use_latest_answer;
use super::columns;
use super::export::ExportButtons;
use super::facets::FacetPanel;
use super::format::{count, zone};
use super::histogram::HistogramStrip;
use super::state::{Action, AppState, Selected};
use super::table::{CellCx, VirtualTable};
use super::timeline::Axis;
use crate::protocol::{Request, Response};
use review_core::query::{term_value, with_term, Op};
use review_core::views::{HistogramRequest, QueryError, Sort, SortKey, Table};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ViewProps {
    pub state: Rc<AppState>,
    pub cx: CellCx,
    pub dispatch: Callback<Action>,
}

/// Rows matching, rows in all, and the query's error if it has one.
type Counts = (u32, u32, Option<QueryError>);

/// "1 204 of 3 000 000 match", or the query's error.
#[hook]
fn use_count() -> (UseStateHandle<Option<Counts>>, Callback<Counts>) {
    let counts = use_state(|| None);
    let set = {
        let counts = counts.clone();
        Callback::from(move |c| counts.set(Some(c)))
    };
    (counts, set)
}

fn count_line(c: &Option<Counts>, noun: &str) -> Html {
    match c {
        None => html! { <span class="count muted">{"…"}</span> },
        Some((_, _, Some(e))) => {
            let text = format!("Query error at {}: {}. Nothing is shown until it is fixed.", e.pos + 1, e.message);
            html! { <span class="count error" role="alert">{text}</span> }
        }
        Some((n, all, None)) if n == all => {
            html! { <span class="count">{format!("{} {noun}", count(u64::from(*n)))}</span> }
        }
        Some((n, all, None)) => {
            html! { <span class="count"><strong>{count(u64::from(*n))}</strong>{format!(" of {} {noun} match", count(u64::from(*all)))}</span> }
        }
    }
}

/// Beside the count: the facets toggle and the export buttons.
fn tools(p: &ViewProps, table: Table) -> Html {
    let toggle = p.dispatch.reform(|_: MouseEvent| Action::ToggleFacets);
    let facets = !matches!(table, Table::Recordings);
    html! {
        <span class="tools">
            if facets {
                <button onclick={toggle} aria-pressed={p.state.facets.to_string()} title="Show or hide the most common values of each field">{"Facets"}</button>
            }
            <ExportButtons {table} query={p.state.query.clone()} dispatch={p.dispatch.clone()} />
        </span>
    }
}

/// A table with the facets of its rows beside it and their histogram above it.
fn with_insights(p: &ViewProps, table: Table, noun: &'static str, body: Html) -> Html {
    html! {
        <div class="with-facets">
            if p.state.facets { <FacetPanel {table} query={p.state.query.clone()} version={p.state.version} cx={p.cx.clone()} /> }
            <div class="table-col">
                <HistogramStrip {table} query={p.state.query.clone()} version={p.state.version} local={p.cx.local} dispatch={p.dispatch.clone()} {noun} />
                { body }
            </div>
        </div>
    }
}

fn open_event(d: &Callback<Action>) -> Callback<u32> {
    let d = d.clone();
    Callback::from(move |id| d.emit(Action::Select(Some(Selected::Event(id)))))
}

fn selected_event(s: &AppState) -> Option<u32> {
    match s.selected {
        Some(Selected::Event(id)) => Some(id),
        _ => None,
    }
}

#[function_component(AuthView)]
pub fn auth_view(p: &ViewProps) -> Html {
    let cols = use_memo((), |_| columns::auth());
    let (counts, on_count) = use_count();
    let q = &p.state.query;
    // Controls read their value from the query and write it back: one filter, two ways to edit it.
    let set = |field: &'static str, op: Op| {
        let (d, q) = (p.dispatch.clone(), q.clone());
        move |v: String| d.emit(Action::Query(with_term(&q, field, op, Some(v.trim()).filter(|v| !v.is_empty()))))
    };
    let input = |label: &str, field: &'static str, op: Op, placeholder: &'static str| {
        let value = term_value(q, field, op).unwrap_or_default();
        let set = set(field, op);
        let onchange = Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlInputElement>().value()));
        html! { <label>{label}<input type="text" {value} {placeholder} {onchange} /></label> }
    };
    let outcome = term_value(q, "outcome", Op::Is).unwrap_or_default();
    let on_outcome = {
        let set = set("outcome", Op::Is);
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    html! {
        <section class="view">
            <div class="filters" role="group" aria-label="Auth filters">
                <label>{"Outcome"}
                    <select onchange={on_outcome} value={outcome.clone()}>
                        <option value="" selected={outcome.is_empty()}>{"any"}</option>
                        <option value="failure" selected={outcome == "failure"}>{"failures"}</option>
                        <option value="success" selected={outcome == "success"}>{"successes"}</option>
                    </select>
                </label>
                { input("User", "user", Op::Is, "alice or a*") }
                { input("Remote address", "addr", Op::Is, "10.0.0.0/8") }
                { input("Method", "method", Op::Is, "local, github…") }
                // Typed in local time, a time gets the local offset (see `Action::Query`).
                { input(&format!("From ({})", zone(p.state.local_time)), "time", Op::Ge, "2024-02-23T10:00") }
                { input(&format!("Until ({})", zone(p.state.local_time)), "time", Op::Lt, "2024-02-24") }
                { count_line(&counts, "auth attempts") }
                { tools(p, Table::Auth) }
            </div>
            { with_insights(p, Table::Auth, "auth attempts", html! {
                <VirtualTable table={Table::Auth} query={q.clone()} version={p.state.version} cols={cols}
                    default_sort={Sort { key: SortKey::Time, descending: true }} cx={p.cx.clone()}
                    selected={selected_event(&p.state)} on_open={open_event(&p.dispatch)} {on_count} label="Authentication attempts" />
            }) }
        </section>
    }
}

#[function_component(EventsView)]
pub fn events_view(p: &ViewProps) -> Html {
    let cols = use_memo((), |_| columns::events());
    let (counts, on_count) = use_count();
    html! {
        <section class="view">
            <div class="filters">{ count_line(&counts, "events") }<span class="muted">{"Click a column to sort; click a value to filter by it (Alt-click excludes)."}</span>{ tools(p, Table::Events) }</div>
            { with_insights(p, Table::Events, "events", html! {
                <VirtualTable table={Table::Events} query={p.state.query.clone()} version={p.state.version} cols={cols}
                    default_sort={Sort { key: SortKey::Time, descending: true }} cx={p.cx.clone()}
                    selected={selected_event(&p.state)} on_open={open_event(&p.dispatch)} {on_count} label="Events" />
            }) }
        </section>
    }
}

#[function_component(SessionsView)]
pub fn sessions_view(p: &ViewProps) -> Html {
    let (counts, on_count) = use_count();
    let zoom = use_state(|| None::<(i64, i64)>);
    // Unzoomed, the axis spans the matching sessions (their starts, with a margin for the last
    // one's length), not everything loaded: a filtered few would sit in one pixel column.
    let req = Request::Histogram(HistogramRequest {
        table: Table::Sessions,
        query: p.state.query.clone(),
        range: None,
        utc_offset_minutes: 0,
    });
    let matched = use_latest_answer((p.state.query.clone(), p.state.version), req);
    let matched = match matched.answer.as_deref() {
        Some(Response::Histogram(h)) if h.error.is_none() => h.range,
        _ => None,
    };
    let everything = p.state.overview.as_ref().and_then(|o| Some((o.first?, o.last?)));
    let full = matched.or(everything).map(|(a, b)| {
        let margin = ((b - a) / 20).max(60_000_000_000);
        (a - margin, b + margin)
    });
    let span = zoom.or(full);
    // Another query: the axis fits its matches again.
    {
        let zoom = zoom.clone();
        use_effect_with(p.state.query.clone(), move |_| zoom.set(None));
    }
    let on_zoom = {
        let zoom = zoom.clone();
        Callback::from(move |z| zoom.set(z))
    };
    let axis =
        span.map(|s| html! { <Axis span={s} local={p.cx.local} on_zoom={on_zoom.clone()} /> }).unwrap_or_default();
    let cols = use_memo((span, p.cx.local), move |_| columns::sessions(axis));
    let cx = CellCx { span, ..p.cx.clone() };
    let zoom_by = |factor: f64| {
        let (zoom, span) = (zoom.clone(), span);
        Callback::from(move |_| {
            if let Some((a, b)) = span {
                let mid = (a + b) / 2;
                let half = ((b - a) as f64 * factor / 2.0).max(500_000_000.0) as i64;
                zoom.set(Some((mid - half, mid + half)));
            }
        })
    };
    let fit = {
        let zoom = zoom.clone();
        Callback::from(move |_| zoom.set(None))
    };
    let selected = match p.state.selected {
        Some(Selected::Session(i)) => Some(i),
        _ => None,
    };
    let on_open = {
        let d = p.dispatch.clone();
        Callback::from(move |i| d.emit(Action::Select(Some(Selected::Session(i)))))
    };
    html! {
        <section class="view">
            <div class="filters">
                { count_line(&counts, "sessions") }
                <span class="zoom" role="group" aria-label="Timeline zoom">
                    <button onclick={zoom_by(0.5)} title="Zoom in">{"+"}</button>
                    <button onclick={zoom_by(2.0)} title="Zoom out">{"−"}</button>
                    <button onclick={fit} title="Show the time span of the matching sessions">{"Fit"}</button>
                </span>
                <span class="legend"><span class="bar-key" />{"ended"}<span class="bar-key open" />{"no end logged"}<span class="bar-key shared" />{"joined by others"}</span>
                { tools(p, Table::Sessions) }
            </div>
            <div class="with-facets">
                if p.state.facets { <FacetPanel table={Table::Sessions} query={p.state.query.clone()} version={p.state.version} cx={p.cx.clone()} /> }
                <VirtualTable table={Table::Sessions} query={p.state.query.clone()} version={p.state.version} cols={cols}
                    default_sort={Sort { key: SortKey::Time, descending: false }} {cx} {selected} {on_open} {on_count} label="Sessions" />
            </div>
        </section>
    }
}

#[function_component(ProblemsView)]
pub fn problems_view(p: &ViewProps) -> Html {
    let cols = use_memo((), |_| columns::problems());
    let (counts, on_count) = use_count();
    html! {
        <section class="view">
            <div class="filters">{ count_line(&counts, "problems") }<span class="muted">{"Everything that could not be read, with its file and place. The query filters by text here."}</span></div>
            <VirtualTable table={Table::Problems} query={p.state.query.clone()} version={p.state.version} cols={cols}
                default_sort={Sort::default()} cx={p.cx.clone()} selected={None::<u32>} on_open={Callback::noop()} {on_count} label="Problems" />
        </section>
    }
}

#[function_component(RecordingsView)]
pub fn recordings_view(p: &ViewProps) -> Html {
    let cols = use_memo((), |_| columns::recordings());
    let (counts, on_count) = use_count();
    let selected = match p.state.selected {
        Some(Selected::Session(i)) => Some(i),
        _ => None,
    };
    let on_open = {
        let d = p.dispatch.clone();
        Callback::from(move |i| d.emit(Action::Select(Some(Selected::Session(i)))))
    };
    html! {
        <section class="view">
            <div class="filters">{ count_line(&counts, "recorded sessions") }<span class="muted">{"▶ replays a session; encrypted recordings (ENC) cannot be replayed outside the Teleport auth server."}</span>{ tools(p, Table::Recordings) }</div>
            <super::inside::InsideRecordings state={p.state.clone()} dispatch={p.dispatch.clone()} />
            <VirtualTable table={Table::Recordings} query={p.state.query.clone()} version={p.state.version} cols={cols}
                default_sort={Sort { key: SortKey::Time, descending: true }} cx={p.cx.clone()} {selected} {on_open} {on_count} label="Recorded sessions" />
        </section>
    }
}
