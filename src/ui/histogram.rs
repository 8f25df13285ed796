//! Rows over time, above a table: one bar per calendar-aligned bucket, failures stacked at the
//! bottom in their own color. Dragging across bars (or clicking one) narrows the query to that
//! time range; the range is an ordinary `time>=… time<…` pair in the query, so it shows, edits
//! and links like any other filter.

use super::answer::use_latest_answer;
use super::format::{count, time, zone};
use super::state::Action;
use crate::protocol::{Request, Response};
use review_core::query::{term_value, widened_time_range, Op};
use review_core::views::{Histogram, HistogramRequest, Table};
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HistogramProps {
    pub table: Table,
    pub query: String,
    pub version: u32,
    pub local: bool,
    pub dispatch: Callback<Action>,
    /// What a row is called ("events", "auth attempts").
    pub noun: &'static str,
}

/// Minutes east of UTC of this browser, for buckets aligned to local midnights.
pub fn utc_offset_minutes(local: bool) -> i32 {
    if local {
        -(js_sys::Date::new_0().get_timezone_offset() as i32)
    } else {
        0
    }
}

#[function_component(HistogramStrip)]
pub fn histogram_strip(p: &HistogramProps) -> Html {
    let offset = utc_offset_minutes(p.local);
    let req = Request::Histogram(HistogramRequest {
        table: p.table,
        query: p.query.clone(),
        range: None,
        utc_offset_minutes: offset,
    });
    let latest = use_latest_answer((p.table, p.query.clone(), p.version, offset), req);
    let Some(Response::Histogram(h)) = latest.answer.as_deref() else {
        return html! { <div class="histogram empty" aria-hidden="true" /> };
    };
    let on_range = p.dispatch.reform(Action::TimeRange);
    let busy = !latest.current;
    html! { <HistogramChart h={Rc::new((**h).clone())} local={p.local} noun={p.noun} query={p.query.clone()} {on_range} {busy} /> }
}

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub h: Rc<Histogram>,
    pub local: bool,
    pub noun: &'static str,
    /// The query charted: its time range is cleared or widened from here.
    pub query: String,
    /// A range brushed, or `None` to clear it.
    pub on_range: Callback<Option<(i64, i64)>>,
    /// The chart is of an earlier query, being recounted.
    #[prop_or_default]
    pub busy: bool,
}

#[function_component(HistogramChart)]
pub fn histogram_chart(p: &ChartProps) -> Html {
    let drag = use_state(|| None::<(usize, usize)>);
    let bars = use_node_ref();
    let h: &Histogram = &p.h;
    let n = h.buckets.len();
    if n == 0 {
        return html! { <div class="histogram empty"><span class="muted">{"No time to chart."}</span></div> };
    }
    // The bucket under the pointer.
    let at = {
        let bars = bars.clone();
        move |x: i32| -> usize {
            let Some(el) = bars.cast::<HtmlElement>() else { return 0 };
            let r = el.get_bounding_client_rect();
            let f = (f64::from(x) - r.left()) / r.width().max(1.0);
            ((f * n as f64).floor().max(0.0) as usize).min(n - 1)
        }
    };
    let onpointerdown = {
        let (drag, at, bars) = (drag.clone(), at.clone(), bars.clone());
        Callback::from(move |e: PointerEvent| {
            if e.button() == 0 {
                // A drag that ends beyond the bars still ends: it goes on to the first or last.
                if let Some(el) = bars.cast::<HtmlElement>() {
                    let _ = el.set_pointer_capture(e.pointer_id());
                }
                let i = at(e.client_x());
                drag.set(Some((i, i)));
            }
        })
    };
    let onpointermove = {
        let (drag, at) = (drag.clone(), at.clone());
        Callback::from(move |e: PointerEvent| {
            if let Some((a, b)) = *drag {
                let j = at(e.client_x());
                if j != b {
                    drag.set(Some((a, j)));
                }
            }
        })
    };
    let onpointerup = {
        let (drag, on_range) = (drag.clone(), p.on_range.clone());
        let ranges: Vec<(i64, i64)> = h.buckets.iter().map(|b| (b.start, b.end)).collect();
        Callback::from(move |_: PointerEvent| {
            // A drag sets the range; a click alone does not (a double-click widens it).
            if let Some((a, b)) = (*drag).filter(|(a, b)| a != b) {
                let (a, b) = (a.min(b), a.max(b));
                if let (Some(first), Some(last)) = (ranges.get(a), ranges.get(b)) {
                    on_range.emit(Some((first.0, last.1)));
                }
            }
            drag.set(None);
        })
    };
    let ondblclick = {
        // From the query's range, not the span of its matches (which is narrower).
        let widened = widened_time_range(&p.query, h.range);
        let on_range = p.on_range.clone();
        Callback::from(move |_: MouseEvent| {
            if widened.is_some() {
                on_range.emit(widened);
            }
        })
    };
    let ranged = term_value(&p.query, "time", Op::Ge).is_some() || term_value(&p.query, "time", Op::Lt).is_some();
    let onpointercancel = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| drag.set(None))
    };
    let max = h.buckets.iter().map(|b| b.total()).max().unwrap_or(0).max(1);
    let pct = |v: u32| f64::from(v) * 100.0 / f64::from(max);
    let bar_list = h.buckets.iter().map(|b| {
        let title = format!(
            "{} – {} ({})\n{} {}: {} failures, {} successes",
            time(Some(b.start), p.local),
            time(Some(b.end), p.local),
            zone(p.local),
            count(u64::from(b.total())),
            p.noun,
            count(u64::from(b.failure)),
            count(u64::from(b.success)),
        );
        html! {
            <div class="hbar" {title}>
                <span class="hfail" style={format!("height:{:.2}%", pct(b.failure))} />
                <span class="hok" style={format!("height:{:.2}%", pct(b.success))} />
                <span class="hnone" style={format!("height:{:.2}%", pct(b.none))} />
            </div>
        }
    });
    let brush = drag.map(|(a, b)| {
        let (a, b) = (a.min(b), a.max(b));
        let style =
            format!("left:{:.3}%;width:{:.3}%", a as f64 * 100.0 / n as f64, (b - a + 1) as f64 * 100.0 / n as f64);
        html! { <div class="brush" {style} /> }
    });
    let clear = p.on_range.reform(|_: MouseEvent| None);
    let (first, last) = h.range.unwrap_or((h.buckets[0].start, h.buckets[n - 1].end));
    let mut notes = Vec::new();
    if h.without_time > 0 {
        notes.push(format!("{} without a time", count(u64::from(h.without_time))));
    }
    if h.outside > 0 {
        notes.push(format!("{} outside", count(u64::from(h.outside))));
    }
    html! {
        <div class="histogram" role="group" aria-label={format!("{} over time", p.noun)} aria-busy={p.busy.to_string()}>
            <div class="hist-head">
                <span>{format!("{} {} · {} per bar", count(u64::from(h.total)), p.noun, h.size.label())}</span>
                if !notes.is_empty() { <span class="muted">{format!(" · {}", notes.join(" · "))}</span> }
                <span class="hist-keys"><span class="key hfail" />{"failure"}<span class="key hok" />{"success"}<span class="key hnone" />{"other"}</span>
                <span class="muted hist-hint">{"Drag across bars to narrow the time range; double-click to widen it"}</span>
                if ranged { <button class="link" onclick={clear}>{"Clear time range"}</button> }
            </div>
            <div class="hist-bars" ref={bars} {onpointerdown} {onpointermove} {onpointerup} {onpointercancel} {ondblclick}>
                { for bar_list }
                { brush }
            </div>
            <div class="hist-axis muted">
                <span>{time(Some(first), p.local)}</span>
                <span>{zone(p.local)}</span>
                <span>{time(Some(last), p.local)}</span>
            </div>
        </div>
    }
}
