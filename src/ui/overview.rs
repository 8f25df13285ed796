//! The overview: what was loaded, what it holds, and everything that could not be read.

use super::format::{bytes, count, date, time, visible, zone};
use super::state::{Action, View};
use review_core::model::FileKind;
use review_core::views::{FileRow, Overview};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OverviewProps {
    pub overview: Rc<Overview>,
    pub local: bool,
    pub dispatch: Callback<Action>,
}

fn kind(f: &FileRow) -> &'static str {
    match f.kind {
        FileKind::AuditLog => "audit log",
        FileKind::Recording => "recording",
        FileKind::Archive => "archive",
        FileKind::Empty => "empty",
        FileKind::NotRead => "not read",
        FileKind::Pending => "…",
    }
}

#[function_component(OverviewView)]
pub fn overview_view(p: &OverviewProps) -> Html {
    let o = &p.overview;
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
    let files = o.files.iter().map(|f| {
        let bad = f.kind == FileKind::NotRead || f.bad_lines > 0;
        let sha = f.sha256.clone().unwrap_or_else(|| if f.in_archive { "(inside an archive)".into() } else { "hashing…".into() });
        html! {
            <tr class={classes!(bad.then_some("failed"))}>
                <td class="path" title={visible(&f.path)}>{visible(&f.path)}{ for f.note.as_ref().map(|n| html! { <div class="note"><strong>{"Note: "}</strong>{n.clone()}</div> }) }</td>
                <td>{kind(f)}{if f.compressed { " (gzip)" } else { "" }}</td>
                <td class="num">{bytes(f.size)}</td>
                <td class="num">{count(f.events)}</td>
                <td class="num">{if f.duplicates > 0 { count(f.duplicates) } else { String::new() }}</td>
                <td class="num">{if f.bad_lines > 0 { html!{ <span class="outcome fail">{"⚠ "}{count(f.bad_lines)}</span> } } else if f.kind == FileKind::NotRead { html!{ <span class="outcome fail">{"⚠ whole file"}</span> } } else { html!{} }}</td>
                <td class="mono small">{match (f.first, f.last) { (Some(a), Some(b)) => format!("{} → {}", time(Some(a), p.local), time(Some(b), p.local)), _ => String::new() }}</td>
                <td class="mono small sha" title={sha.clone()}>{sha}</td>
            </tr>
        }
    });
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
    html! {
        <section class="overview">
            <div class="cards">
                { card("files", count(o.files.len() as u64), Some(bytes(o.bytes)), None) }
                { card("events", count(o.events), (o.duplicates > 0).then(|| format!("+{} duplicates folded", count(o.duplicates))), Some(View::Events)) }
                { card("time span", span, (o.events_without_time > 0).then(|| format!("{} events without a valid time", count(o.events_without_time))), None) }
                { card("sessions", count(u64::from(o.sessions)), (o.open_sessions > 0).then(|| format!("{} without end", count(u64::from(o.open_sessions)))), Some(View::Sessions)) }
                { card("auth attempts", count(u64::from(o.auth_attempts)), Some(format!("{} failed", count(u64::from(o.auth_failures)))), Some(View::Auth)) }
                { card("users", count(u64::from(o.users)), Some(format!("{} nodes · {} addresses", count(u64::from(o.nodes)), count(u64::from(o.addrs)))), None) }
                { card("recordings", count(u64::from(o.recordings)), Some(format!("files for {} sessions", count(u64::from(o.recorded_sessions)))), Some(View::Recordings)) }
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
            <h2>{"Files"}</h2>
            <div class="files-wrap">
                <table class="files">
                    <thead><tr><th>{"Path"}</th><th>{"Kind"}</th><th class="num">{"Size"}</th><th class="num">{"Events"}</th><th class="num">{"Dupl."}</th><th class="num">{"Unreadable"}</th><th>{format!("Events from → to ({})", zone(p.local))}</th><th>{"SHA-256"}</th></tr></thead>
                    <tbody>{ for files }</tbody>
                </table>
            </div>
            if !o.event_types.is_empty() {
                <h2>{"Most frequent event types"}</h2>
                <ul class="types">{ for types }</ul>
            }
        </section>
    }
}
