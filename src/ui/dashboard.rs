//! The dashboard: the shape of the matching activity at a glance. Auth attempts over time,
//! who and where they come from (with failures), the busiest nodes, how long sessions last, and
//! when in the week attempts happen. Every number is a way in: clicking filters the views.

use super::answer::use_latest_answer;
use super::format::{count, visible};
use super::histogram::{utc_offset_minutes, HistogramChart};
use super::state::{Action, View};
use super::table::CellCx;
use crate::protocol::{Request, Response};
use review_core::query::{with_term, Op};
use review_core::views::{AttemptCount, Dashboard, DashboardRequest, FacetValue, Heatmap};
use std::rc::Rc;
use yew::prelude::*;

const TOP: usize = 10;
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

#[derive(Properties, PartialEq)]
pub struct DashboardProps {
    pub query: String,
    pub version: u32,
    pub cx: CellCx,
    pub dispatch: Callback<Action>,
}

#[function_component(DashboardView)]
pub fn dashboard_view(p: &DashboardProps) -> Html {
    let offset = utc_offset_minutes(p.cx.local);
    let req = Request::Dashboard(DashboardRequest { query: p.query.clone(), top: TOP, utc_offset_minutes: offset });
    let latest = use_latest_answer((p.query.clone(), p.version, offset), req);
    let Some(Response::Dashboard(d)) = latest.answer.as_deref() else {
        return html! { <section class="view"><p class="muted">{"Counting…"}</p></section> };
    };
    let d: &Dashboard = d;
    let go = |v: View| p.dispatch.reform(move |_: MouseEvent| Action::Show(v));
    let failures_only = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Pivot { field: "outcome".into(), value: "failure".into(), exclude: false });
            dispatch.emit(Action::Show(View::Auth));
        })
    };
    let rate = if d.auth_attempts == 0 { 0.0 } else { f64::from(d.auth_failures) * 100.0 / f64::from(d.auth_attempts) };
    html! {
        <section class="view dashboard" aria-busy={latest.busy()}>
            if let Some(e) = &d.error {
                <p class="count error" role="alert">{format!("Query error at {}: {}", e.pos + 1, e.message)}</p>
            }
            <div class="cards">
                <button class="card" onclick={go(View::Auth)}><span class="value">{count(u64::from(d.auth_attempts))}</span><span class="label">{"auth attempts"}</span></button>
                <button class="card" onclick={failures_only}><span class="value fail">{count(u64::from(d.auth_failures))}</span><span class="label">{"failed"}</span><span class="sub">{format!("{rate:.1}% of attempts")}</span></button>
                <button class="card" onclick={go(View::Sessions)}><span class="value">{count(u64::from(d.sessions))}</span><span class="label">{"sessions"}</span></button>
            </div>
            <section class="panel wide">
                <h2>{"Auth attempts over time"}</h2>
                <HistogramChart h={Rc::new(d.logins.clone())} local={p.cx.local} noun="auth attempts" query={p.query.clone()} on_range={p.dispatch.reform(Action::TimeRange)} />
            </section>
            <div class="panels">
                <section class="panel">
                    <h2>{"Users"}</h2>
                    { attempts_table("user", "user", &d.top_users, &p.cx) }
                </section>
                <section class="panel">
                    <h2>{"Source addresses"}</h2>
                    { attempts_table("address", "addr", &d.top_addrs, &p.cx) }
                </section>
                <section class="panel">
                    <h2>{"Nodes, by sessions"}</h2>
                    { values_table("node", "node", &d.top_nodes, &p.cx) }
                </section>
                <section class="panel">
                    <h2>{"Session lengths"}</h2>
                    { durations(d, &p.query, &p.dispatch) }
                </section>
            </div>
            <section class="panel wide">
                <h2>{"Auth attempts by weekday and hour"}<span class="muted">{format!(" ({}; darker: more; red outline: failures)", if p.cx.local { "local time" } else { "UTC" })}</span></h2>
                { heatmap(&d.heatmap, &p.query, &p.dispatch) }
            </section>
        </section>
    }
}

fn attempts_table(noun: &str, field: &'static str, rows: &[AttemptCount], cx: &CellCx) -> Html {
    if rows.is_empty() {
        return html! { <p class="muted">{"None."}</p> };
    }
    let max = rows.iter().map(|r| r.attempts).max().unwrap_or(1).max(1);
    html! {
        <table class="top">
            <thead><tr><th>{noun}</th><th class="num">{"attempts"}</th><th class="num">{"failed"}</th></tr></thead>
            <tbody>
                { for rows.iter().map(|r| {
                    let pivot = pivot(cx, field, &r.value);
                    let ok = f64::from(r.attempts - r.failures.min(r.attempts)) * 100.0 / f64::from(max);
                    let bad = f64::from(r.failures) * 100.0 / f64::from(max);
                    html! {
                        <tr class={classes!((r.failures > 0).then_some("failed"))}>
                            <td><button class="link mono" onclick={pivot} title={format!("Filter by {field}:{}", visible(&r.value))}>{visible(&r.value)}</button>
                                <span class="mini-bar"><span class="hfail" style={format!("width:{bad:.1}%")} /><span class="hok" style={format!("width:{ok:.1}%")} /></span></td>
                            <td class="num">{count(u64::from(r.attempts))}</td>
                            <td class={classes!("num", (r.failures > 0).then_some("fail"))}>{count(u64::from(r.failures))}</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

fn values_table(noun: &str, field: &'static str, rows: &[FacetValue], cx: &CellCx) -> Html {
    if rows.is_empty() {
        return html! { <p class="muted">{"None."}</p> };
    }
    html! {
        <table class="top">
            <thead><tr><th>{noun}</th><th class="num">{"sessions"}</th></tr></thead>
            <tbody>
                { for rows.iter().map(|r| html! {
                    <tr>
                        <td><button class="link mono" onclick={pivot(cx, field, &r.value)}>{visible(&r.value)}</button></td>
                        <td class="num">{count(u64::from(r.count))}</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn pivot(cx: &CellCx, field: &'static str, value: &str) -> Callback<MouseEvent> {
    let (p, value) = (cx.pivot.clone(), value.to_owned());
    Callback::from(move |e: MouseEvent| p.emit((field.to_owned(), value.clone(), e.alt_key())))
}

/// Replaces the query's `field` terms (of any operator) with one.
fn set_term(query: &str, field: &str, op: Op, value: &str) -> String {
    let cleared = [Op::Is, Op::Lt, Op::Le, Op::Gt, Op::Ge]
        .into_iter()
        .fold(query.to_owned(), |q, o| with_term(&q, field, o, None));
    with_term(&cleared, field, op, Some(value))
}

fn durations(d: &Dashboard, query: &str, dispatch: &Callback<Action>) -> Html {
    let max = d.durations.iter().map(|c| c.sessions).max().unwrap_or(1).max(1);
    html! {
        <table class="top">
            <tbody>
                { for d.durations.iter().map(|c| {
                    let (op, value) = c.bucket.query();
                    let q = set_term(query, "duration", op, value);
                    let go = {
                        let dispatch = dispatch.clone();
                        Callback::from(move |_: MouseEvent| {
                            dispatch.emit(Action::Query(q.clone()));
                            dispatch.emit(Action::Show(View::Sessions));
                        })
                    };
                    html! {
                    <tr>
                        <td><button class="link" onclick={go} title="Show these sessions">{c.label.clone()}</button></td>
                        <td class="bar-cell"><span class="mini-bar"><span class="hnone" style={format!("width:{:.1}%", f64::from(c.sessions) * 100.0 / f64::from(max))} /></span></td>
                        <td class="num">{count(u64::from(c.sessions))}</td>
                    </tr>
                } }) }
            </tbody>
        </table>
    }
}

fn heatmap(h: &Heatmap, query: &str, dispatch: &Callback<Action>) -> Html {
    let max = h.attempts.iter().flatten().copied().max().unwrap_or(0).max(1);
    let head = (0..24).map(|hour| html! { <th scope="col">{format!("{hour:02}")}</th> });
    let rows = DAYS.iter().enumerate().map(|(day, name)| {
        let cells = (0..24).map(|hour| {
            let (n, f) = (h.attempts[day][hour], h.failures[day][hour]);
            let level = if n == 0 { 0.0 } else { 0.15 + 0.85 * f64::from(n) / f64::from(max) };
            let title = format!(
                "{name} {hour:02}:00–{hour:02}:59: {} attempts, {} failed",
                count(u64::from(n)),
                count(u64::from(f))
            );
            // The cell as a query: its weekday and hour in UTC, as the query reads them.
            let (wd, uh) = Heatmap::cell_query(day, hour, h.utc_offset_minutes);
            let q = set_term(&set_term(query, "weekday", Op::Is, wd), "hour", Op::Is, &uh.to_string());
            let go = {
                let dispatch = dispatch.clone();
                Callback::from(move |_: MouseEvent| {
                    dispatch.emit(Action::Query(q.clone()));
                    dispatch.emit(Action::Show(View::Auth));
                })
            };
            html! {
                <td class={classes!((f > 0).then_some("has-fail"))} style={format!("--level:{level:.3}")}>
                    <button onclick={go} {title} aria-label={format!("{name} {hour:02}:00: {n} attempts, {f} failed")} />
                </td>
            }
        });
        html! { <tr><th scope="row">{*name}</th>{ for cells }</tr> }
    });
    html! {
        <>
            <table class="heatmap">
                <thead><tr><th />{ for head }</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            if h.without_time > 0 { <p class="muted">{format!("{} attempts without a time are not shown.", count(u64::from(h.without_time)))}</p> }
        </>
    }
}
