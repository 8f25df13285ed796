//! Figures the page records about itself, for the in-browser benchmark and for anyone curious:
//! `window.__review` holds load timings, table answer times and seek-to-drawn latencies, and
//! `longTasks` collects main-thread tasks over 50 ms (PerformanceObserver).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn root() -> Option<Object> {
    let window = web_sys::window()?;
    let existing = Reflect::get(&window, &"__review".into()).ok().filter(|v| v.is_object());
    if let Some(o) = existing {
        return o.dyn_into().ok();
    }
    let o = Object::new();
    for key in ["loads", "tables", "seeks", "longTasks"] {
        let _ = Reflect::set(&o, &key.into(), &Array::new());
    }
    let _ = Reflect::set(&window, &"__review".into(), &o);
    Some(o)
}

fn push(list: &str, value: JsValue) {
    if let Some(array) =
        root().and_then(|o| Reflect::get(&o, &list.into()).ok()).and_then(|a| a.dyn_into::<Array>().ok())
    {
        array.push(&value);
        // Keep the lists bounded.
        if array.length() > 10_000 {
            array.shift();
        }
    }
}

fn record(pairs: &[(&str, f64)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), &(*v).into());
    }
    o.into()
}

/// A finished load: worker time (of which parsing, and waiting for reads), bytes (and of them,
/// those the reader worker parsed, and those read from the files' byte streams), events.
pub fn load(millis: f64, bytes: u64, events: u64, parse_millis: f64, read_millis: f64, [reader, streamed]: [u64; 2]) {
    let fields = [
        ("millis", millis),
        ("bytes", bytes as f64),
        ("events", events as f64),
        ("parseMillis", parse_millis),
        ("readMillis", read_millis),
        ("readerBytes", reader as f64),
        ("streamedBytes", streamed as f64),
    ];
    push("loads", record(&fields));
}

/// A table page: from asking to having the answer, and the rows that matched.
pub fn table(millis: f64, total: u32) {
    push("tables", record(&[("millis", millis), ("total", f64::from(total))]));
}

/// A seek (or playback frame): from asking for the screen to having drawn it.
pub fn seek(millis: f64) {
    push("seeks", record(&[("millis", millis)]));
}

/// Starts collecting main-thread tasks longer than 50 ms.
pub fn observe_long_tasks() {
    let Some(o) = root() else { return };
    let Ok(tasks) = Reflect::get(&o, &"longTasks".into()) else { return };
    let Ok(tasks) = tasks.dyn_into::<Array>() else { return };
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |list: JsValue| {
        let entries = Reflect::get(&list, &"getEntries".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call0(&list).ok());
        if let Some(entries) = entries.and_then(|e| e.dyn_into::<Array>().ok()) {
            for e in entries.iter() {
                let duration = Reflect::get(&e, &"duration".into()).ok().and_then(|d| d.as_f64()).unwrap_or(0.0);
                let start = Reflect::get(&e, &"startTime".into()).ok().and_then(|d| d.as_f64()).unwrap_or(0.0);
                tasks.push(&record(&[("start", start), ("duration", duration)]));
            }
        }
    });
    // PerformanceObserver is not in every browser's long-task flavour; absence is fine.
    let Some(ctor) = web_sys::window()
        .and_then(|w| Reflect::get(&w, &"PerformanceObserver".into()).ok())
        .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    let Ok(observer) = Reflect::construct(&ctor, &Array::of1(callback.as_ref())) else { return };
    let options = Object::new();
    let _ = Reflect::set(&options, &"entryTypes".into(), &Array::of1(&"longtask".into()));
    if let Some(observe) =
        Reflect::get(&observer, &"observe".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = observe.call1(&observer, &options);
    }
    callback.forget();
}
