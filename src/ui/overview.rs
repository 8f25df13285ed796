//! The overview: what was loaded, what it holds, and everything that could not be read.

use super::format::{bytes, count, date, visible, zone};
use super::state::{Action, View};
use super::table::{CellCx, VirtualTable};
use review_core::views::{Overview, Sort, SortKey, Table};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OverviewProps {
    pub overview: Rc<Overview>,
    pub local: bool,
    pub dispatch: Callback<Action>,
    pub version: u32,
    pub cx: CellCx,
}

#[function_component(OverviewView)]
pub fn overview_view(p: &OverviewProps) -> Html {
    let o = &p.overview;
    let cols = use_memo((), |_| super::columns::files());
    let counts = use_state(|| None::<u32>);
    let on_count = {
        let counts = counts.clone();
        Callback::from(move |(n, _, _): (u32, u32, Option<review_core::views::QueryError>)| counts.set(Some(n)))
    };
    let go = |v: View| {
        let d = p.dispatch.clone();
        Callback::from(move |_| d.emit(Action::Show(v)))
    };
    let card = |label: &'static str, value: String, sub: Option<String>, to: Option<View>| {
        let body = html! { <><span class="value">{value}</span><span class="label">{label}</span>{ for sub.map(|s| html!{ <span class="sub">{s}</span> }) }</> };
        match to {
            Some(v) => html! { <button class="card" onclick={go(v)}>{body}</button> },
            None => html! { <div class="card">{body}</div> },
        }
    };
    let span = match (o.first, o.last) {
        (Some(a), Some(b)) => format!("{} → {} {}", date(Some(a), p.local), date(Some(b), p.local), zone(p.local)),
        _ => "—".into(),
    };
    let read_total = o.events + o.duplicates + o.bad_lines;
    let kinds = o.problems_by_kind.iter().map(
        |(k, n)| html! { <li><span class="outcome fail">{"⚠ "}{k.clone()}</span>{": "}{count(u64::from(*n))}</li> },
    );
    let types = o.event_types.iter().take(12).map(|(t, n)| {
        let (d, t2) = (p.dispatch.clone(), t.clone());
        let onclick = Callback::from(move |_| {
            d.emit(Action::Query(review_core::query::term_text("event", &t2)));
            d.emit(Action::Show(View::Events));
        });
        html! { <li><button class="link" {onclick}>{visible(t)}</button>{" "}<span class="muted">{count(u64::from(*n))}</span></li> }
    });
    let hashing = (o.unhashed_files > 0).then(|| format!(" · hashing {} files…", count(u64::from(o.unhashed_files))));
    html! {
        <section class="overview">
            <div class="cards">
                { card("files", count(u64::from(o.top_files)), Some(format!("{}{}", bytes(o.bytes), if o.files > o.top_files { format!(" · {} inside archives", count(u64::from(o.files - o.top_files))) } else { String::new() })), None) }
                { card("events", count(o.events), (o.duplicates > 0).then(|| format!("+{} duplicates folded", count(o.duplicates))), Some(View::Events)) }
                { card("time span", span, (o.events_without_time > 0).then(|| format!("{} events without a valid time", count(o.events_without_time))), None) }
                { card("sessions", count(u64::from(o.sessions)), (o.open_sessions > 0).then(|| format!("{} without end", count(u64::from(o.open_sessions)))), Some(View::Sessions)) }
                { card("auth attempts", count(u64::from(o.auth_attempts)), Some(format!("{} failed", count(u64::from(o.auth_failures)))), Some(View::Auth)) }
                { card("users", count(u64::from(o.users)), Some(format!("{} nodes · {} addresses", count(u64::from(o.nodes)), count(u64::from(o.addrs)))), None) }
                { card("recordings", count(u64::from(o.recorded_sessions)), Some(format!("sessions, from {} files", count(u64::from(o.recordings)))), Some(View::Recordings)) }
                { card("unreadable", count(o.bad_lines + u64::from(o.unread_files)), Some(format!("{} lines · {} files", count(o.bad_lines), count(u64::from(o.unread_files)))), Some(View::Problems)) }
            </div>
            <p class="balance" title="Every line read is an event, a duplicate folded, or a reported problem (blank lines aside)">
                {format!("Lines read {} = events {} + duplicates folded {} + unreadable {}", count(read_total), count(o.events), count(o.duplicates), count(o.bad_lines))}
            </p>
            if o.problems > 0 {
                <section class="problems-summary">
                    <h2>{"Could not be read"}</h2>
                    <ul>{ for kinds }</ul>
                    <button onclick={go(View::Problems)}>{format!("List all {} problems with file and line", count(u64::from(o.problems)))}</button>
                </section>
            }
            <h2>{"Files"}<span class="muted small">{format!(" {}{}", counts.map(|n| format!("{} shown", count(u64::from(n)))).unwrap_or_default(), hashing.unwrap_or_default())}</span>
                <span class="tools">
                    <super::export::DocButton doc={super::export::Doc::Files} dispatch={p.dispatch.clone()} />
                    <super::export::DocButton doc={super::export::Doc::Sums} dispatch={p.dispatch.clone()} />
                </span>
            </h2>
            <div class="files-table">
                <VirtualTable table={Table::Files} query={String::new()} version={p.version} cols={cols}
                    default_sort={Sort { key: SortKey::File, descending: false }} cx={p.cx.clone()}
                    selected={None::<u32>} on_open={Callback::noop()} {on_count} label="Files read" />
            </div>
            if !o.event_types.is_empty() {
                <h2>{"Most frequent event types"}</h2>
                <ul class="types">{ for types }</ul>
            }
        </section>
    }
}
