//! Every font the stylesheet uses, laid out once, hidden, just after the first paint.
//!
//! Why: Chromium on Linux resolves a font (family, size, weight) the first time it lays text out
//! in it, by a synchronous call to the browser process. During a big load that process is busy
//! serving the file reads, and those calls waited up to 40 ms each: the first layout of the
//! loading view took 78 ms. Resolved while the page is idle (~20 ms, in a task of its own), they
//! are cached, and stay cached while this hidden block holds them.

use yew::prelude::*;

/// The families of the stylesheet (`--sans`, `--mono`).
const FAMILIES: [&str; 2] = ["var(--sans)", "var(--mono)"];
/// The sizes the stylesheet sets or the browser derives (h2 at 1.5 × 13 px, h3 at 1.17 × 13 px),
/// in px.
const SIZES: [&str; 10] = ["10", "11", "12", "13", "14", "15", "15.21", "16", "18", "19.5"];
const WEIGHTS: [&str; 4] = ["400", "500", "600", "700"];
/// The glyphs the interface draws beyond ASCII: a missing one is looked up in other fonts, by
/// the same synchronous call.
const GLYPHS: &str = "Aa0 …·—–−→←⟨⟩▶◀▲▼⏸✓✕×⚠◐○≥≈⇆␡␛␊␉";

#[function_component(FontWarmup)]
pub fn font_warmup() -> Html {
    let ready = use_state(|| false);
    {
        let ready = ready.clone();
        use_effect_with((), move |_| {
            // After the frame that paints the page, in a task of its own.
            let frame = gloo::render::request_animation_frame(move |_| {
                gloo::timers::callback::Timeout::new(0, move || ready.set(true)).forget();
            });
            move || drop(frame)
        });
    }
    if !*ready {
        return html! {};
    }
    let spans = FAMILIES.iter().flat_map(|family| {
        SIZES.iter().flat_map(move |size| {
            WEIGHTS.iter().map(move |weight| {
                let style = format!("font-family: {family}; font-size: {size}px; font-weight: {weight}");
                html! { <span {style}>{GLYPHS}</span> }
            })
        })
    });
    html! { <div class="font-warmup" aria-hidden="true">{ for spans }</div> }
}
