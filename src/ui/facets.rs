//! Facets beside a table: for each field, the most common values among the matching rows with
//! their counts. A click filters by a value, Alt-click (or the − button) excludes it; both edit
//! the query, like a click on a value in the table.

use super::answer::use_latest_answer;
use super::format::{count, visible};
use super::table::CellCx;
use crate::protocol::{Request, Response};
use review_core::views::{Facet, Table};
use yew::prelude::*;

/// Values listed per field.
const TOP: u32 = 8;

#[derive(Properties, PartialEq)]
pub struct FacetsProps {
    pub table: Table,
    pub query: String,
    pub version: u32,
    pub cx: CellCx,
}

#[function_component(FacetPanel)]
pub fn facet_panel(p: &FacetsProps) -> Html {
    let req = Request::Facets { table: p.table, query: p.query.clone(), top: TOP };
    let latest = use_latest_answer((p.table, p.query.clone(), p.version), req);
    let Some(Response::Facets(f)) = latest.answer.as_deref() else {
        return html! { <aside class="facets" aria-label="Facets"><p class="muted">{"Counting…"}</p></aside> };
    };
    let total = f.total;
    html! {
        <aside class="facets" aria-label="Facets: the most common values of the matching rows" aria-busy={latest.busy()}>
            { for f.facets.iter().filter(|facet| facet.missing < total || !facet.top.is_empty()).map(|facet| field(facet, total, &p.cx)) }
        </aside>
    }
}

fn field(f: &Facet, total: u32, cx: &CellCx) -> Html {
    let name = f.field.query_field();
    let rows = f.top.iter().map(|v| {
        let share = if total == 0 { 0.0 } else { f64::from(v.count) * 100.0 / f64::from(total) };
        let pick = |exclude: bool| {
            let (pivot, value) = (cx.pivot.clone(), v.value.clone());
            Callback::from(move |e: MouseEvent| pivot.emit((name.to_owned(), value.clone(), exclude || e.alt_key())))
        };
        let shown = if v.value.is_empty() { "(empty)".to_owned() } else { visible(&v.value) };
        html! {
            <li>
                <button class="facet-value" onclick={pick(false)} title={format!("{name}:{shown} — click to filter, Alt-click to exclude")}>
                    <span class="facet-bar" style={format!("width:{share:.1}%")} />
                    <span class="facet-text">{shown}</span>
                    <span class="facet-count">{count(u64::from(v.count))}</span>
                </button>
                <button class="facet-not" onclick={pick(true)} title={format!("Exclude {name}:{}", visible(&v.value))} aria-label="exclude">{"−"}</button>
            </li>
        }
    });
    let mut rest = Vec::new();
    if f.others > 0 {
        rest.push(format!(
            "{} in {} other values",
            count(u64::from(f.others)),
            count(u64::from(f.distinct.saturating_sub(f.top.len() as u32)))
        ));
    }
    if f.missing > 0 {
        rest.push(format!("{} without", count(u64::from(f.missing))));
    }
    html! {
        <section class="facet">
            <h3>{f.field.label()}<span class="muted">{format!(" · {} distinct", count(u64::from(f.distinct)))}</span></h3>
            <ul>{ for rows }</ul>
            if !rest.is_empty() { <p class="muted facet-rest">{rest.join(" · ")}</p> }
        </section>
    }
}
