//! The session timeline: each session a bar on a shared time axis, in the sessions table's last
//! column. The axis zooms (drag across it to select a range, double-click or Fit to see all).

use super::format::{duration, time, visible};
use super::table::CellCx;
use crate::axis::{step, NS_PER_SEC};
use review_core::views::SessionRow;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Element, HtmlElement, ResizeObserver, ResizeObserverEntry};
use yew::prelude::*;

/// One session's bar, placed in the visible window `cx.span`.
pub fn bar(s: &SessionRow, cx: &CellCx) -> Html {
    let (Some((t0, t1)), Some(start)) = (cx.span, s.start) else {
        return html! {};
    };
    let open = s.end.is_none();
    let end = s.end.or(s.last_seen).unwrap_or(start).max(start);
    let width = (t1 - t0).max(1) as f64;
    let left = (start - t0) as f64 / width * 100.0;
    let right = (end - t0) as f64 / width * 100.0;
    if right < 0.0 || left > 100.0 {
        return html! { <div class="track" /> };
    }
    let (l, r) = (left.max(0.0), right.min(100.0));
    let style = format!("left: {l:.3}%; width: max({:.3}%, 3px);", (r - l).max(0.0));
    let who = if s.user.is_empty() { "?".to_owned() } else { visible(&s.user) };
    let node = if s.node.is_empty() { "?".to_owned() } else { visible(&s.node) };
    let title = format!(
        "{who} on {node}\n{} → {}\n{}{}",
        time(Some(start), cx.local),
        if open { "no end logged".to_owned() } else { time(Some(end), cx.local) },
        if open { "open or end unknown".to_owned() } else { duration(s.duration) },
        if s.participants.len() > 1 {
            format!(
                " · {} people: {}",
                s.participants.len(),
                s.participants.iter().map(|p| visible(p)).collect::<Vec<_>>().join(", ")
            )
        } else {
            String::new()
        },
    );
    let class = classes!("bar", open.then_some("open"), (s.participants.len() > 1).then_some("shared"));
    html! { <div class="track"><div {class} {style} title={title.clone()} role="img" aria-label={title} /></div> }
}

#[derive(Properties, PartialEq)]
pub struct AxisProps {
    pub span: (i64, i64),
    pub local: bool,
    pub on_zoom: Callback<Option<(i64, i64)>>,
}

/// The room a date label takes, with space around it: the ticks' spacing is chosen for it.
const LABEL_PX: f64 = 80.0;
/// The width of a label's character (10 px digits are ~5.6 px wide), and the least space
/// between two labels.
const CHAR_PX: f64 = 6.5;
const LABEL_GAP_PX: f64 = 6.0;

/// The width of `node` in CSS pixels, followed as it changes (a window resized, the drawer
/// opened beside the table).
#[hook]
fn use_width(node: &NodeRef) -> f64 {
    let width = use_state(|| 0.0);
    {
        let (node, width) = (node.clone(), width.clone());
        use_effect_with((), move |_| {
            let observed = node.cast::<Element>().and_then(|el| {
                let set = width.clone();
                let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                    if let Ok(entry) = entries.get(0).dyn_into::<ResizeObserverEntry>() {
                        set.set(entry.content_rect().width());
                    }
                });
                let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
                observer.observe(&el);
                width.set(el.get_bounding_client_rect().width());
                Some((observer, on_resize))
            });
            move || {
                if let Some((observer, _on_resize)) = observed {
                    observer.disconnect();
                }
            }
        });
    }
    *width
}

/// The axis header: ticks, and a brush to zoom into a range.
#[function_component(Axis)]
pub fn axis(p: &AxisProps) -> Html {
    let brush = use_state(|| None::<(f64, f64)>); // fractions of the width
    let node = use_node_ref();
    let width = use_width(&node);
    let (t0, t1) = p.span;
    // As many labels as fit side by side (a date takes ~80 px), and a handful at most.
    let st = step(t1 - t0, (width / LABEL_PX).floor().clamp(1.0, 7.0) as i64);
    let mut ticks = Vec::new();
    // Where the last label drawn ends: a label that would overlap it is left out.
    let mut last_end = f64::NEG_INFINITY;
    let mut t = t0.div_euclid(st) * st;
    while t <= t1 {
        if t >= t0 {
            let pos = (t - t0) as f64 / (t1 - t0).max(1) as f64 * 100.0;
            let label = if st >= 86_400 * NS_PER_SEC {
                super::format::date(Some(t), p.local)
            } else {
                time(Some(t), p.local)[11..16].to_owned()
            };
            // Centred on its tick, or near an edge anchored to it from inside, so it is not cut.
            let (x, w) = (pos / 100.0 * width, label.chars().count() as f64 * CHAR_PX);
            let (edge, left) = if x < w / 2.0 {
                (Some("start"), x)
            } else if x > width - w / 2.0 {
                (Some("end"), x - w)
            } else {
                (None, x - w / 2.0)
            };
            if left >= last_end + LABEL_GAP_PX {
                last_end = left + w;
                ticks.push(
                    html! { <span class={classes!("tick", edge)} style={format!("left: {pos:.2}%")}>{label}</span> },
                );
            }
        }
        t += st;
    }
    let frac = {
        let node = node.clone();
        move |e: &PointerEvent| -> Option<f64> {
            let el: Element = node.cast::<HtmlElement>()?.into();
            let r = el.get_bounding_client_rect();
            Some(((e.client_x() as f64 - r.left()) / r.width().max(1.0)).clamp(0.0, 1.0))
        }
    };
    let onpointerdown = {
        let (brush, frac, node) = (brush.clone(), frac.clone(), node.clone());
        Callback::from(move |e: PointerEvent| {
            if let (0, Some(f)) = (e.button(), frac(&e)) {
                e.prevent_default();
                // A drag that ends beyond the axis still ends: it goes on to the edge.
                if let Some(el) = node.cast::<HtmlElement>() {
                    let _ = el.set_pointer_capture(e.pointer_id());
                }
                brush.set(Some((f, f)));
            }
        })
    };
    let onpointermove = {
        let (brush, frac) = (brush.clone(), frac.clone());
        Callback::from(move |e: PointerEvent| {
            if let (Some((a, _)), Some(f)) = (*brush, frac(&e)) {
                brush.set(Some((a, f)));
            }
        })
    };
    let onpointerup = {
        let (brush, zoom) = (brush.clone(), p.on_zoom.clone());
        Callback::from(move |_: PointerEvent| {
            if let Some((a, b)) = *brush {
                let (lo, hi) = (a.min(b), a.max(b));
                if hi - lo > 0.005 {
                    let w = (t1 - t0) as f64;
                    zoom.emit(Some((t0 + (lo * w) as i64, t0 + (hi * w) as i64)));
                }
            }
            brush.set(None);
        })
    };
    let onpointercancel = {
        let brush = brush.clone();
        Callback::from(move |_: PointerEvent| brush.set(None))
    };
    let ondblclick = {
        let zoom = p.on_zoom.clone();
        Callback::from(move |_: MouseEvent| zoom.emit(None))
    };
    let selection = brush.map(|(a, b)| {
        let style = format!("left: {:.2}%; width: {:.2}%", a.min(b) * 100.0, (a - b).abs() * 100.0);
        html! { <div class="brush" {style} /> }
    });
    html! {
        <div class="axis" ref={node} {onpointerdown} {onpointermove} {onpointerup} {onpointercancel} {ondblclick}
             title="Drag to zoom into a time range; double-click to see everything">
            { for ticks }
            { for selection }
        </div>
    }
}
