//! Findings: what the detections say, most severe first, each with the events behind it one
//! click away; and the detection settings, every threshold editable. A gigabyte of logs can
//! raise tens of thousands of findings (26 k on the 1 GB bench set, drawn in 14 s, and
//! 50–110 ms just to receive): the page is told their counts, by severity and by rule (which
//! narrows the list), and asks the worker for them a page at a time.

use super::answer::use_kept_answer;
use super::backend::Backend;
use super::format::{count, plural, time, visible, zone};
use super::state::{Action, View};
use super::table::{pivot, CellCx};
use review_core::detect::{Settings, Severity, RULES};
use review_protocol::{FindingsSummary, Request, Response};
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub findings: Option<Rc<(FindingsSummary, Settings)>>,
    /// The query of the other views, which findings do not follow (said when there is one).
    pub query: String,
    pub cx: CellCx,
    pub dispatch: Callback<Action>,
}

fn severity(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::High => ("high", "sev-high"),
        Severity::Medium => ("medium", "sev-medium"),
        Severity::Low => ("low", "sev-low"),
        Severity::Info => ("info", "sev-info"),
    }
}

/// Findings drawn at first, and added by each "Show more".
const PAGE: u32 = 100;

#[function_component(FindingsView)]
pub fn findings_view(p: &FindingsProps) -> Html {
    let editing = use_state(|| false);
    // The rule the list is narrowed to, and how many of its findings are drawn.
    let rule = use_state(|| None::<String>);
    let shown = use_state(|| PAGE);
    let summary = p.findings.as_ref().map(|f| &f.0);
    // A rule that raised nothing this time (the detections ran again) narrows nothing.
    let narrowed = rule.as_deref().filter(|r| summary.is_some_and(|s| s.by_rule.iter().any(|(id, _)| id == r)));
    // The findings are fetched a page at a time, again for each detection run.
    let run = summary.map(|s| s.run);
    let page = use_kept_answer(
        (run, narrowed.map(str::to_owned), *shown),
        Request::FindingsPage { rule: narrowed.map(str::to_owned), limit: *shown },
    );
    let (Some(data), Some(summary)) = (&p.findings, summary) else {
        return html! { <section class="view"><p class="muted" role="status">{"Running the detections…"}</p></section> };
    };
    let settings = &data.1;
    // The page shown while the next comes: only one of this run (a finding's number, which its
    // button queries, is the run's own).
    let (rows, matching) = match page.answer.as_deref() {
        Some(Response::FindingsPage { run, rows, matching }) if *run == summary.run => (&rows[..], *matching),
        _ => (&[][..], 0),
    };
    let rule_buttons = RULES.iter().filter_map(|r| {
        let n = summary.by_rule.iter().find(|(id, _)| id == r.id)?.1;
        let on = narrowed == Some(r.id);
        let (rule, shown, id) = (rule.clone(), shown.clone(), r.id.to_owned());
        let onclick = Callback::from(move |_| {
            rule.set(if on { None } else { Some(id.clone()) });
            shown.set(PAGE);
        });
        Some(html! { <li><button aria-pressed={on.to_string()} title={r.description} {onclick}>{format!("{} ", r.title)}<span class="n">{count(u64::from(n))}</span></button></li> })
    });
    let more = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(*shown + PAGE))
    };
    let cards = rows.iter().map(|f| {
        let (word, class) = severity(f.severity);
        let (d, q) = (p.dispatch.clone(), format!("finding:{}", f.index));
        let show = Callback::from(move |_| {
            d.emit(Action::Query(q.clone()));
            d.emit(Action::Show(View::Events));
        });
        let names = |field: &'static str, values: &[String]| {
            values.iter().take(12).map(|v| html! { <li>{pivot(&p.cx, field, v, None)}</li> }).collect::<Html>()
        };
        let when = match (f.time_start, f.time_end) {
            (Some(a), Some(b)) if a != b => format!("{} → {} {}", time(Some(a), p.cx.local), time(Some(b), p.cx.local), zone(p.cx.local)),
            (Some(a), _) => format!("{} {}", time(Some(a), p.cx.local), zone(p.cx.local)),
            _ => "time unknown".into(),
        };
        html! {
            <article class={classes!("finding", class)} aria-label={format!("{word} severity: {}", f.title)}>
                <header>
                    <span class={classes!("badge", class)}>{word}</span>
                    <h3>{visible(&f.title)}</h3>
                    <span class="mono muted">{when}</span>
                </header>
                <p>{visible(&f.explanation)}</p>
                <div class="finding-names">
                    if !f.users.is_empty() { <span class="muted">{"users"}</span><ul>{names("user", &f.users)}</ul> }
                    if !f.nodes.is_empty() { <span class="muted">{"nodes"}</span><ul>{names("node", &f.nodes)}</ul> }
                    if !f.addrs.is_empty() { <span class="muted">{"addresses"}</span><ul>{names("addr", &f.addrs)}</ul> }
                </div>
                <button onclick={show}>{format!("Show the {} behind it", plural(f.events as usize, "event"))}</button>
                <span class="muted small">{format!(" rule: {} · query finding:{}", f.rule, f.index)}</span>
            </article>
        }
    });
    let toggle = {
        let editing = editing.clone();
        Callback::from(move |_| editing.set(!*editing))
    };
    let drawn = rows.len() as u32;
    html! {
        <section class="view findings">
            <div class="filters">
                <span class="count">
                    { for summary.by_severity.iter().map(|(s, n)| { let (w, c) = severity(*s); html! { <span class={classes!("badge", c)}>{format!("{n} {w}")}</span> } }) }
                    {format!(" {} findings", summary.total)}
                </span>
                <button onclick={toggle} aria-expanded={editing.to_string()}>{"Detection settings"}</button>
                if summary.total > 0 { <super::export::DocButton doc={super::export::Doc::Findings} dispatch={p.dispatch.clone()} /> }
            </div>
            if !p.query.trim().is_empty() {
                <p class="muted" role="note">{format!("The detections run over everything loaded: the query ({}) does not filter findings. A finding's events open in Events, under its own query.", visible(p.query.trim()))}</p>
            }
            if *editing { <SettingsEditor settings={settings.clone()} /> }
            if summary.total == 0 { <p class="muted">{"No findings: none of the enabled rules fired on what is loaded."}</p> }
            else { <ul class="by-rule" aria-label="Findings by rule (click to show only that rule's)">{ for rule_buttons }</ul> }
            <div class="finding-list" aria-busy={page.busy()}>{ for cards }</div>
            if matching > drawn {
                <p class="more">
                    <span class="muted">{format!("{} of {} shown ", count(u64::from(drawn)), count(u64::from(matching)))}</span>
                    // While the next page comes, a second click would ask for the same again.
                    <button onclick={more} disabled={!page.current}>{format!("Show {} more", PAGE.min(matching - drawn))}</button>
                </p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    settings: Settings,
}

/// Rules on or off, and every threshold as JSON (applied by running the detections again).
#[function_component(SettingsEditor)]
fn settings_editor(p: &EditorProps) -> Html {
    let backend = use_context::<Backend>().expect("backend");
    let draft = use_state(|| p.settings.clone());
    let text = use_node_ref();
    let error = use_state(|| None::<String>);
    let rules = RULES.iter().map(|r| {
        let on = draft.enabled(r.id);
        let (draft, id) = (draft.clone(), r.id);
        let onchange = Callback::from(move |_| {
            let mut s = (*draft).clone();
            if s.enabled(id) {
                s.disabled.push(id.to_owned());
            } else {
                s.disabled.retain(|d| d != id);
            }
            draft.set(s);
        });
        html! { <li><label title={r.description}><input type="checkbox" checked={on} {onchange} />{" "}{r.title}</label></li> }
    });
    let apply = {
        let (backend, draft, text, error) = (backend.clone(), draft.clone(), text.clone(), error.clone());
        Callback::from(move |_| {
            let json = text.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default();
            match serde_json::from_str::<Settings>(&json) {
                Ok(mut s) => {
                    s.disabled = draft.disabled.clone();
                    error.set(None);
                    backend.tell(Request::Findings(Box::new(s)));
                }
                Err(e) => error.set(Some(format!("the settings are not valid JSON: {e}"))),
            }
        })
    };
    let reset = {
        let backend = backend.clone();
        Callback::from(move |_| backend.tell(Request::Findings(Box::default())))
    };
    let json = serde_json::to_string_pretty(&*draft).unwrap_or_default();
    html! {
        <section class="settings" aria-label="Detection settings">
            <ul class="rules">{ for rules }</ul>
            <label for="detect-settings">{"Thresholds, working hours (UTC offset in minutes), watch list — every setting:"}</label>
            <textarea id="detect-settings" ref={text} rows="14" spellcheck="false" value={json} />
            if let Some(e) = &*error { <p class="error" role="alert">{e.clone()}</p> }
            <div class="actions"><button class="primary" onclick={apply}>{"Run the detections again"}</button><button onclick={reset}>{"Defaults"}</button></div>
        </section>
    }
}
