//! Drawing the terminal: screen updates from the worker are applied straight to the DOM, only
//! the rows that changed. Text goes in as text nodes (never HTML) and colours through the style
//! object, so nothing a recording prints can become markup or reach outside this element.

use review_replay::{Color, Cursor, Row, Run, ScreenUpdate, Style, TermSize};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

/// Applies one update to the terminal element (which holds one `div.trow` per row and a cursor),
/// refitting the font to the frame when the terminal's size changed.
pub fn apply(term: &HtmlElement, frame: Option<&HtmlElement>, update: &ScreenUpdate) {
    let doc = gloo::utils::document();
    let size = format!("{}x{}", update.size.cols, update.size.rows);
    if term.get_attribute("data-size").as_deref() != Some(size.as_str()) {
        let _ = term.set_attribute("data-size", &size);
        if let Some(frame) = frame {
            fit(term, frame, update.size);
        }
    }
    ensure_rows(&doc, term, update.size);
    let rows = term.children();
    for changed in &update.rows {
        if let Some(el) = rows.item(u32::from(changed.index)) {
            draw_row(&doc, &el, &changed.row);
        }
    }
    place_cursor(term, update.cursor);
    let alt = matches!(update.screen, review_replay::ActiveScreen::Alternate);
    let _ = term.set_attribute("data-screen", if alt { "alternate" } else { "primary" });
}

/// Makes the element hold exactly `size.rows` rows and a cursor.
fn ensure_rows(doc: &Document, term: &HtmlElement, size: TermSize) {
    let style = term.style();
    let _ = style.set_property("--cols", &size.cols.to_string());
    let _ = style.set_property("--rows", &size.rows.to_string());
    let want = u32::from(size.rows);
    let rows = term.children();
    // The cursor is the last child; rows come before it.
    let cursor = term.query_selector(".tcursor").ok().flatten();
    let have = rows.length() - u32::from(cursor.is_some());
    for _ in have..want {
        if let Ok(row) = doc.create_element("div") {
            row.set_class_name("trow");
            let _ = term.insert_before(&row, cursor.as_ref().map(|c| c.as_ref()));
        }
    }
    for i in (want..have).rev() {
        if let Some(row) = rows.item(i) {
            row.remove();
        }
    }
    if cursor.is_none() {
        if let Ok(c) = doc.create_element("div") {
            c.set_class_name("tcursor");
            let _ = term.append_child(&c);
        }
    }
}

/// Draws a row of runs into `el` (a `div.trow` or a scrollback line).
pub fn draw_row(doc: &Document, el: &Element, row: &Row) {
    el.set_text_content(None);
    let mut col = 0u16;
    for run in &row.runs {
        if run.col > col {
            let gap = doc.create_text_node(&" ".repeat(usize::from(run.col - col)));
            let _ = el.append_child(&gap);
        }
        if let Ok(span) = doc.create_element("span") {
            style_span(&span, run);
            span.set_text_content(Some(&run.text));
            let _ = el.append_child(&span);
        }
        col = run.col.saturating_add(run.width);
    }
}

fn style_span(span: &Element, run: &Run) {
    let s: &Style = &run.style;
    let (fg, bg) = if s.inverse { (s.bg, s.fg) } else { (s.fg, s.bg) };
    let mut class = String::new();
    for (on, name) in
        [(s.bold, "b"), (s.faint, "f"), (s.italic, "i"), (s.underline, "u"), (s.strikethrough, "s"), (s.blink, "k")]
    {
        if on {
            class.push_str(name);
            class.push(' ');
        }
    }
    if s.inverse {
        class.push_str("inv ");
    }
    // Wide characters take two cells: giving the run its width in cells keeps what follows it
    // in its column whatever the font does with them.
    let wide = run.text.chars().count() != usize::from(run.width);
    if wide {
        class.push_str("w ");
    }
    span.set_class_name(class.trim_end());
    let Some(span) = span.dyn_ref::<HtmlElement>() else { return };
    let style = span.style();
    if let Some(c) = css(fg, true, s.inverse) {
        let _ = style.set_property("color", &c);
    }
    if let Some(c) = css(bg, false, s.inverse) {
        let _ = style.set_property("background-color", &c);
    }
    if wide {
        let _ = style.set_property("width", &format!("{}ch", run.width));
    }
}

/// A colour as CSS; the 16 ANSI colours and the defaults come from the theme's variables.
fn css(c: Color, foreground: bool, inverse: bool) -> Option<String> {
    match c {
        Color::Default if inverse => Some(if foreground { "var(--term-bg)".into() } else { "var(--term-fg)".into() }),
        Color::Default => None,
        Color::Indexed(i) if i < 16 => Some(format!("var(--t{i})")),
        Color::Indexed(i) => {
            let (r, g, b) = crate::palette::xterm_256(i);
            Some(format!("rgb({r},{g},{b})"))
        }
        Color::Rgb(r, g, b) => Some(format!("rgb({r},{g},{b})")),
    }
}

fn place_cursor(term: &HtmlElement, cursor: Cursor) {
    let Some(el) = term.query_selector(".tcursor").ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok()) else {
        return;
    };
    let style = el.style();
    let _ = style.set_property("left", &format!("{}ch", cursor.col));
    let _ = style.set_property("top", &format!("calc({} * var(--line))", cursor.row));
    let _ = style.set_property("display", if cursor.visible { "block" } else { "none" });
}

/// The font size that fits `size` into the frame, from the measured width of a cell of the
/// terminal's own font; never under 8 px: a terminal too wide for the frame at that size
/// scrolls (a 238-column one fitted into 800 px was 3 px text, unreadable).
pub fn fit(term: &HtmlElement, frame: &HtmlElement, size: TermSize) {
    let cell = cell_width_per_px(term).unwrap_or(0.6);
    let pad = 16.0;
    let (w, h) = (f64::from(frame.client_width()) - pad, f64::from(frame.client_height()) - pad);
    let by_width = w / (f64::from(size.cols.max(1)) * cell);
    let by_height = h / (f64::from(size.rows.max(1)) * 1.2);
    let px = by_width.min(by_height).clamp(8.0, 22.0).floor();
    let _ = term.style().set_property("font-size", &format!("{px}px"));
}

/// Fits again to the size last drawn (after the window changed).
pub fn refit(term: &HtmlElement, frame: &HtmlElement) {
    let rows = term.query_selector_all(".trow").map(|l| l.length()).unwrap_or(0);
    let cols = term.style().get_property_value("--cols").ok().and_then(|c| c.trim().parse().ok()).unwrap_or(80);
    let size = TermSize { cols, rows: rows.clamp(1, u32::from(u16::MAX)) as u16 };
    let _ = term.set_attribute("data-size", &format!("{}x{}", size.cols, size.rows));
    fit(term, frame, size);
}

/// Width of one character cell per pixel of font size, measured once on a probe.
fn cell_width_per_px(term: &HtmlElement) -> Option<f64> {
    let doc = gloo::utils::document();
    let probe: HtmlElement = doc.create_element("span").ok()?.dyn_into().ok()?;
    probe.set_text_content(Some(&"M".repeat(100)));
    let style = probe.style();
    let _ = style.set_property("font-size", "100px");
    let _ = style.set_property("position", "absolute");
    let _ = style.set_property("visibility", "hidden");
    term.append_child(&probe).ok()?;
    let width = probe.get_bounding_client_rect().width();
    probe.remove();
    (width > 0.0).then(|| width / 100.0 / 100.0)
}
