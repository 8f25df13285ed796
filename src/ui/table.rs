//! A virtual table: only the rows in view are in the DOM; windows of rows are fetched from the
//! worker as the view scrolls. Columns are data (title, sort key, width, how to draw a cell).

use super::backend::Backend;
use crate::protocol::{Request, Response};
use review_core::views::{
    EventRow, FileRow, ProblemRow, QueryError, Rows, SessionRow, Sort, SortKey, Table, TableRequest,
};
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::prelude::*;

pub const ROW_HEIGHT: f64 = 26.0;
/// Rows fetched beyond the visible ones, above and below.
const OVERSCAN: u32 = 60;

#[derive(Clone, PartialEq)]
pub enum Row {
    Event(EventRow),
    Session(SessionRow),
    Problem(ProblemRow),
    File(FileRow),
}

impl Row {
    /// What selecting the row opens: an event id or a session index.
    pub fn key(&self) -> u32 {
        match self {
            Row::Event(e) => e.id,
            Row::Session(s) => s.index,
            Row::Problem(p) => p.file_id,
            Row::File(f) => f.id,
        }
    }
}

/// Shared by every cell: how to show times, how to filter by a value.
#[derive(Clone, PartialEq)]
pub struct CellCx {
    pub local: bool,
    /// (field, value, exclude)
    pub pivot: Callback<(String, String, bool)>,
    /// The visible time window, for timeline columns.
    pub span: Option<(i64, i64)>,
    /// Replays a session's recording (by session index).
    pub play: Callback<u32>,
}

pub struct Col {
    pub title: &'static str,
    pub sort: Option<SortKey>,
    /// A CSS grid track, e.g. `11.5em` or `minmax(8em, 1fr)`.
    pub width: &'static str,
    pub cell: fn(&Row, &CellCx) -> Html,
    /// A header of its own (e.g. the timeline axis) instead of the title.
    pub header: Option<Html>,
}

#[derive(Properties)]
pub struct TableProps {
    pub table: Table,
    pub query: String,
    pub version: u32,
    pub cols: Rc<Vec<Col>>,
    pub default_sort: Sort,
    pub cx: CellCx,
    pub selected: Option<u32>,
    pub on_open: Callback<u32>,
    /// Told the number of matching rows, all rows, and any query error.
    pub on_count: Callback<(u32, u32, Option<QueryError>)>,
    #[prop_or_default]
    pub label: AttrValue,
    /// Bumped by the parent to redraw cells that depend on outside state (e.g. a zoom).
    #[prop_or_default]
    pub redraw: u32,
}

impl PartialEq for TableProps {
    fn eq(&self, o: &Self) -> bool {
        self.table == o.table
            && self.query == o.query
            && self.version == o.version
            && Rc::ptr_eq(&self.cols, &o.cols)
            && self.cx == o.cx
            && self.selected == o.selected
            && self.redraw == o.redraw
    }
}

#[derive(Clone, PartialEq, Default)]
struct Window {
    key: Option<(String, Sort, u32)>,
    offset: u32,
    rows: Rc<Vec<Row>>,
    total: u32,
}

#[function_component(VirtualTable)]
pub fn virtual_table(props: &TableProps) -> Html {
    let backend = use_context::<Backend>().expect("backend");
    let sort = use_state(|| props.default_sort);
    let window = use_state(Window::default);
    let view = use_state(|| (0.0f64, 600.0f64)); // scroll top, height
    let scroller = use_node_ref();
    let latest = use_mut_ref(|| None::<(String, Sort, u32)>);
    let in_flight = use_mut_ref(|| None::<(u32, u32)>);
    // The keyboard's row (j/k, e/E, Enter), as an offset in the sorted result.
    let cursor = use_state(|| None::<u32>);
    // The cursor was moved by a key while a drawer was open: the drawer follows it to its row
    // (once that row is fetched), as a mail reader's reading pane follows the list.
    let follow = use_mut_ref(|| false);

    let key = (props.query.clone(), *sort, props.version);
    let first = (view.0 / ROW_HEIGHT).floor().max(0.0) as u32;
    let visible = (view.1 / ROW_HEIGHT).ceil() as u32 + 1;

    // Fetch when the key changes or the visible rows leave the cached window.
    {
        let needs = window.key.as_ref() != Some(&key) || {
            let end = (first + visible).min(window.total);
            first < window.offset || end > window.offset + window.rows.len() as u32
        };
        let (backend, window, latest, in_flight, on_count) =
            (backend.clone(), window.clone(), latest.clone(), in_flight.clone(), props.on_count.clone());
        let table = props.table;
        let key_now = key.clone();
        use_effect_with((needs, key.clone(), first / 20), move |(needs, _, _)| {
            *latest.borrow_mut() = Some(key_now.clone());
            let offset = first.saturating_sub(OVERSCAN);
            let limit = visible + 2 * OVERSCAN;
            let already = *in_flight.borrow() == Some((offset, limit)) && window.key.as_ref() == Some(&key_now);
            if *needs && !already {
                *in_flight.borrow_mut() = Some((offset, limit));
                let req = TableRequest { table, query: key_now.0.clone(), sort: key_now.1, offset, limit };
                let asked = js_sys::Date::now();
                backend.request(Request::Table(req), move |resp| {
                    *in_flight.borrow_mut() = None;
                    if latest.borrow().as_ref() != Some(&key_now) {
                        return; // an answer to an older question
                    }
                    if let Response::Page(page) = resp {
                        super::metrics::table(js_sys::Date::now() - asked, page.total);
                        on_count.emit((page.total, page.unfiltered, page.error.clone()));
                        let rows: Vec<Row> = match page.rows {
                            Rows::Events(r) => r.into_iter().map(Row::Event).collect(),
                            Rows::Sessions(r) => r.into_iter().map(Row::Session).collect(),
                            Rows::Problems(r) => r.into_iter().map(Row::Problem).collect(),
                            Rows::Files(r) => r.into_iter().map(Row::File).collect(),
                        };
                        window.set(Window {
                            key: Some(key_now),
                            offset: page.offset,
                            rows: Rc::new(rows),
                            total: page.total,
                        });
                    }
                });
            }
        });
    }

    // Measure the viewport once mounted and whenever the window resizes.
    {
        let (scroller, view) = (scroller.clone(), view.clone());
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(el) = scroller.cast::<HtmlElement>() {
                    view.set((el.scroll_top() as f64, el.client_height() as f64));
                }
            };
            measure();
            let listener = gloo::events::EventListener::new(&gloo::utils::window(), "resize", move |_| measure());
            move || drop(listener)
        });
    }
    // A new query starts at the top.
    {
        let scroller = scroller.clone();
        let view = view.clone();
        use_effect_with((props.query.clone(), *sort), move |_| {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                el.set_scroll_top(0);
                view.set((0.0, el.client_height() as f64));
            }
        });
    }

    // Keyboard: j/k move the cursor row, Enter opens it, e/E go to the next/previous failure.
    {
        let (cursor, window, scroller, view, backend, open, follow) = (
            cursor.clone(),
            window.clone(),
            scroller.clone(),
            view.clone(),
            backend.clone(),
            props.on_open.clone(),
            follow.clone(),
        );
        let (table, query, sort_now, drawer_open) = (props.table, props.query.clone(), *sort, props.selected.is_some());
        use_effect_with(
            (table, query.clone(), sort_now, *cursor, window.total, window.offset, drawer_open),
            move |_| {
                let listener = super::keys::shortcuts(move |e| {
                    if window.total == 0 {
                        return;
                    }
                    let first_visible = (view.0 / ROW_HEIGHT) as u32;
                    let here = cursor.unwrap_or(first_visible);
                    let go = {
                        let (cursor, scroller, follow) = (cursor.clone(), scroller.clone(), follow.clone());
                        move |row: u32| {
                            *follow.borrow_mut() = drawer_open;
                            cursor.set(Some(row));
                            if let Some(el) = scroller.cast::<HtmlElement>() {
                                let (top, height) = (f64::from(row) * ROW_HEIGHT, f64::from(el.client_height()));
                                let scroll = f64::from(el.scroll_top());
                                if top < scroll {
                                    el.set_scroll_top(top as i32);
                                } else if top + ROW_HEIGHT > scroll + height {
                                    el.set_scroll_top((top + ROW_HEIGHT - height) as i32);
                                }
                            }
                        }
                    };
                    match e.key().as_str() {
                        "j" => go(if cursor.is_some() { (here + 1).min(window.total - 1) } else { first_visible }),
                        "k" => go(here.saturating_sub(u32::from(cursor.is_some()))),
                        "Enter" if cursor.is_some() => {
                            let row = window
                                .rows
                                .get((here.saturating_sub(window.offset)) as usize)
                                .filter(|_| here >= window.offset);
                            match row {
                                Some(r) => open.emit(r.key()),
                                None => return,
                            }
                        }
                        key @ ("e" | "E") => {
                            let req = TableRequest { table, query: query.clone(), sort: sort_now, offset: 0, limit: 0 };
                            let forward = key == "e";
                            backend.request(Request::NextFailure { table: req, from: here, forward }, move |r| {
                                if let Response::Row(Some(row)) = r {
                                    go(row);
                                }
                            });
                        }
                        _ => return,
                    }
                    e.prevent_default();
                });
                move || drop(listener)
            },
        );
    }

    // An open drawer follows the cursor once its row is here.
    {
        let (window, follow, open) = (window.clone(), follow.clone(), props.on_open.clone());
        use_effect_with((*cursor, window.offset, window.rows.len()), move |(cursor, _, _)| {
            let row = cursor
                .filter(|&c| c >= window.offset)
                .and_then(|c| window.rows.get((c - window.offset) as usize))
                .filter(|_| *follow.borrow());
            if let Some(row) = row {
                *follow.borrow_mut() = false;
                open.emit(row.key());
            }
        });
    }

    let on_scroll = {
        let (scroller, view) = (scroller.clone(), view.clone());
        Callback::from(move |_| {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                view.set((el.scroll_top() as f64, el.client_height() as f64));
            }
        })
    };

    let template = props.cols.iter().map(|c| c.width).collect::<Vec<_>>().join(" ");
    let grid = format!("grid-template-columns: {template};");
    let header = props.cols.iter().map(|c| {
        let content = c.header.clone().unwrap_or_else(|| html! { {c.title} });
        match c.sort {
            Some(k) => {
                let active = sort.key == k;
                let arrow = if active { if sort.descending { " ▼" } else { " ▲" } } else { "" };
                let aria = if active { if sort.descending { "descending" } else { "ascending" } } else { "none" };
                let onclick = {
                    let sort = sort.clone();
                    Callback::from(move |_| {
                        let descending = if sort.key == k { !sort.descending } else { k == SortKey::Time };
                        sort.set(Sort { key: k, descending });
                    })
                };
                html! { <div class="th" role="columnheader" aria-sort={aria}><button class="sort" {onclick}>{content}{arrow}</button></div> }
            }
            None => html! { <div class="th" role="columnheader">{content}</div> },
        }
    });
    let end = (first + visible).min(window.total);
    let rows = (first..end).filter_map(|i| {
        let row = window.rows.get(i.checked_sub(window.offset)? as usize)?;
        let id = row.key();
        let selected = props.selected == Some(id) && matches!(row, Row::Event(_) | Row::Session(_));
        let at_cursor = *cursor == Some(i);
        let failed = matches!(row, Row::Event(e) if e.outcome == review_core::audit::Outcome::Failure);
        let class = classes!(
            "tr",
            selected.then_some("selected"),
            at_cursor.then_some("cursor"),
            failed.then_some("failed"),
            (i % 2 == 1).then_some("odd")
        );
        let top = format!("{grid} transform: translateY({}px);", i as f64 * ROW_HEIGHT);
        let onclick = {
            let open = props.on_open.clone();
            Callback::from(move |_| open.emit(id))
        };
        let onkeydown = {
            let open = props.on_open.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" {
                    open.emit(id)
                }
            })
        };
        let cells = props.cols.iter().map(|c| html! { <div class="td" role="cell">{(c.cell)(row, &props.cx)}</div> });
        Some(html! {
            <div {class} style={top} role="row" tabindex="0" aria-rowindex={(i + 2).to_string()} aria-selected={selected.to_string()} {onclick} {onkeydown} key={i}>
                { for cells }
            </div>
        })
    });
    let height = format!("height: {}px;", window.total as f64 * ROW_HEIGHT);
    let loading = window.key.as_ref() != Some(&key);
    html! {
        <div class={classes!("table", loading.then_some("stale"))} role="table" aria-label={props.label.clone()} aria-rowcount={(window.total + 1).to_string()}>
            <div class="thead" role="row" style={grid.clone()}>{ for header }</div>
            <div class="tbody" ref={scroller} onscroll={on_scroll}>
                <div class="spacer" style={height}>{ for rows }</div>
                if window.total == 0 && !loading {
                    <p class="empty-rows">{"No rows match."}</p>
                }
            </div>
        </div>
    }
}

/// A value one can click to filter by (alt/shift-click to exclude). Text only, never HTML.
pub fn pivot(cx: &CellCx, field: &'static str, value: &str, shown: Option<String>) -> Html {
    if value.is_empty() {
        return html! { <span class="muted">{"—"}</span> };
    }
    let text = shown.unwrap_or_else(|| super::format::visible(value));
    let (pivot, v) = (cx.pivot.clone(), value.to_owned());
    let onclick = Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        pivot.emit((field.to_owned(), v.clone(), e.alt_key() || e.shift_key()));
    });
    let title = format!("Filter by {field} (Alt-click to exclude)");
    html! { <button class="pivot" {title} {onclick}>{text}</button> }
}
