//! The query bar shared by the views: the query is edited as a draft and applied with Enter.
//! As it is typed it completes field names, then the values of that field found in the loaded
//! events (most frequent first, from the worker); a syntax error is shown under it at its
//! position, with what was expected.

use super::backend::Backend;
use super::shell::ShellProps;
use super::state::Action;
use crate::protocol::{Request, Response};
use crate::query_edit::{token_at, utf16_to_byte, want, Want};
use review_core::query::{complete_fields, parse, term_text, Completion};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Suggestions shown at most.
const SUGGESTIONS: u32 = 12;

#[derive(Clone, PartialEq)]
struct Open {
    /// Where the token starts, whether it is negated, and where the caret is.
    start: usize,
    negated: bool,
    caret: usize,
    /// The field whose values these are (`None`: these are field names).
    field: Option<String>,
    items: Vec<Completion>,
    active: Option<usize>,
}

#[function_component(QueryBar)]
pub fn query_bar(p: &ShellProps) -> Html {
    let backend = use_context::<Backend>().expect("backend");
    let draft = use_state(|| p.state.query.clone());
    let open = use_state(|| None::<Open>);
    let input = use_node_ref();
    // Where to put the caret after a completion was inserted.
    let caret_to = use_state(|| None::<u32>);
    // Counts value suggestions asked for, and closings: an answer to an older question (the
    // worker answers them after tables) must not reopen the list or splice at old offsets.
    let asked = use_mut_ref(|| 0u32);
    {
        let (draft, open, asked) = (draft.clone(), open.clone(), asked.clone());
        use_effect_with((p.state.query.clone(), p.state.submitted), move |(q, _)| {
            draft.set(q.clone());
            *asked.borrow_mut() += 1;
            open.set(None);
        });
    }
    {
        let input = input.clone();
        use_effect_with(*caret_to, move |at| {
            if let (Some(at), Some(el)) = (at, input.cast::<HtmlInputElement>()) {
                let _ = el.focus();
                let _ = el.set_selection_range(*at, *at);
            }
        });
    }
    let suggest = {
        let (open, backend, asked) = (open.clone(), backend.clone(), asked.clone());
        move |q: &str, caret: usize| {
            *asked.borrow_mut() += 1;
            let question = *asked.borrow();
            let (start, negated, token) = token_at(q, caret);
            let base = Open { start, negated, caret, field: None, items: Vec::new(), active: None };
            match want(token) {
                Some(Want::Field(prefix)) => {
                    let items = complete_fields(prefix);
                    open.set((!items.is_empty()).then_some(Open { items, ..base }));
                }
                Some(Want::Value { field, prefix }) => {
                    let (open, field_name, typed) = (open.clone(), field.to_owned(), prefix.to_owned());
                    let req = Request::Complete { field: field.into(), prefix: prefix.into(), limit: SUGGESTIONS };
                    let asked = asked.clone();
                    backend.request(req, move |r| {
                        if *asked.borrow() != question {
                            return;
                        }
                        if let Response::Completions(items) = r {
                            let only_typed = matches!(items.as_slice(), [one] if one.text == typed);
                            let shown = !items.is_empty() && !only_typed;
                            open.set(shown.then_some(Open { field: Some(field_name), items, ..base }));
                        }
                    });
                }
                None => open.set(None),
            }
        }
    };
    let accept = {
        let (draft, open, caret_to) = (draft.clone(), open.clone(), caret_to.clone());
        move |o: &Open, i: usize| {
            let Some(item) = o.items.get(i) else { return };
            let q = (*draft).clone();
            let minus = if o.negated { "-" } else { "" };
            let inserted = match &o.field {
                Some(field) => format!("{minus}{} ", term_text(field, &item.text)),
                None => format!("{minus}{}", item.text),
            };
            let rest = q.get(o.caret..).unwrap_or_default();
            let rest = if o.field.is_some() { rest.trim_start() } else { rest };
            let head = q.get(..o.start).unwrap_or_default();
            let next = format!("{head}{inserted}{rest}");
            caret_to.set(Some((head.len() + inserted.len()) as u32));
            draft.set(next);
            open.set(None);
        }
    };
    let oninput = {
        let (draft, suggest) = (draft.clone(), suggest.clone());
        Callback::from(move |e: InputEvent| {
            let el = e.target_unchecked_into::<HtmlInputElement>();
            let q = el.value();
            let caret = el.selection_start().ok().flatten().map_or(q.len(), |c| utf16_to_byte(&q, c as usize));
            suggest(&q, caret);
            draft.set(q);
        })
    };
    let onkeydown = {
        let (draft, d, open, accept) = (draft.clone(), p.dispatch.clone(), open.clone(), accept.clone());
        let asked = asked.clone();
        Callback::from(move |e: KeyboardEvent| {
            let current = (*open).clone();
            if matches!(e.key().as_str(), "Enter" | "Escape" | "Tab") {
                // Closing or accepting: suggestions still on their way are for text left behind.
                *asked.borrow_mut() += 1;
            }
            match (e.key().as_str(), current) {
                ("ArrowDown" | "ArrowUp", Some(mut o)) => {
                    e.prevent_default();
                    let n = o.items.len();
                    let down = e.key() == "ArrowDown";
                    o.active = Some(match o.active {
                        None if down => 0,
                        None => n - 1,
                        Some(i) if down => (i + 1) % n,
                        Some(i) => (i + n - 1) % n,
                    });
                    open.set(Some(o));
                }
                ("Tab", Some(o)) => {
                    e.prevent_default();
                    accept(&o, o.active.unwrap_or(0));
                }
                ("Enter", Some(o)) if o.active.is_some() => {
                    e.prevent_default();
                    accept(&o, o.active.unwrap_or(0));
                }
                ("Escape", Some(_)) => open.set(None),
                ("Enter", _) => {
                    open.set(None);
                    d.emit(Action::Query((*draft).clone()));
                }
                ("Escape", None) => {
                    let _ = e.target_unchecked_into::<HtmlInputElement>().blur();
                }
                _ => {}
            }
        })
    };
    let onblur = {
        let (open, asked) = (open.clone(), asked.clone());
        // Later than a click on a suggestion (which would otherwise never arrive).
        Callback::from(move |_: FocusEvent| {
            let (open, asked) = (open.clone(), asked.clone());
            gloo::timers::callback::Timeout::new(150, move || {
                *asked.borrow_mut() += 1;
                open.set(None)
            })
            .forget();
        })
    };
    let apply = {
        let (draft, d) = (draft.clone(), p.dispatch.clone());
        Callback::from(move |_| d.emit(Action::Query((*draft).clone())))
    };
    let clear = {
        let d = p.dispatch.clone();
        Callback::from(move |_| d.emit(Action::Query(String::new())))
    };
    let pending = *draft != p.state.query;
    let error = parse(&draft).err();
    let list = (*open).clone().map(|o| {
        let items = o.items.iter().enumerate().map(|(i, c)| {
            let pick = {
                let (accept, o) = (accept.clone(), o.clone());
                Callback::from(move |e: MouseEvent| {
                    e.prevent_default();
                    accept(&o, i)
                })
            };
            let active = o.active == Some(i);
            html! {
                <li role="option" aria-selected={active.to_string()} class={classes!(active.then_some("active"))} onmousedown={pick}>
                    <span class="mono">{super::format::visible(&c.text)}</span>
                    <span class="muted">{c.note.clone()}</span>
                </li>
            }
        });
        html! { <ul class="completions" role="listbox" aria-label="Completions">{ for items }</ul> }
    });
    html! {
        <div class="querybar" role="search">
            <div class="query-field">
                <label for="query" class="visually-hidden">{"Query"}</label>
                <input id="query" ref={input} type="search" value={(*draft).clone()} {oninput} {onkeydown} {onblur} spellcheck="false" autocomplete="off"
                    role="combobox" aria-expanded={open.is_some().to_string()} aria-autocomplete="list"
                    aria-invalid={error.is_some().to_string()}
                    placeholder="Filter: free text, user:alice, addr:10.0.0.0/8, outcome:failure, event:session.*, time>=2024-02-23T10:00 … (press / to focus, Enter to apply)" />
                { list.unwrap_or_default() }
                if let Some(e) = &error {
                    <div class="query-error" role="alert">
                        <span class="mono" aria-hidden="true">{format!("{}^", " ".repeat(draft[..e.pos.min(draft.len())].chars().count()))}</span>
                        {format!(" at {}: {}", e.pos + 1, e.message)}
                    </div>
                }
            </div>
            <button onclick={apply} class={classes!(pending.then_some("primary"))}>{"Apply"}</button>
            if !p.state.query.is_empty() { <button onclick={clear} title="Remove the filter">{"Clear filter"}</button> }
        </div>
    }
}
