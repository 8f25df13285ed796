//! Keyboard shortcuts: keys pressed anywhere on the page, except while typing into a field or
//! with Ctrl, Cmd or Alt held (those keys belong to the field and to the browser).

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

/// Calls `on_key` for each shortcut key until the listener is dropped. The listener is not
/// passive, so that `on_key` may `prevent_default` the keys it handles.
pub fn shortcuts(mut on_key: impl FnMut(&KeyboardEvent) + 'static) -> EventListener {
    let options = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&gloo::utils::document(), "keydown", options, move |ev| {
        let Some(e) = ev.dyn_ref::<KeyboardEvent>() else { return };
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlElement>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if !(typing || e.ctrl_key() || e.meta_key() || e.alt_key()) {
            on_key(e);
        }
    })
}
