//! The frame around the views: header (what is loaded, add files, toggles), the left rail, the
//! shared query bar, the loading progress with Cancel, and notices.

use super::format::{bytes, count, date, visible, zone};
use super::state::{Action, AppState, View};
use crate::protocol::Progress;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ShellProps {
    pub state: std::rc::Rc<AppState>,
    pub dispatch: Callback<Action>,
}

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub state: std::rc::Rc<AppState>,
    pub dispatch: Callback<Action>,
    pub on_pick: Callback<()>,
    pub on_pick_folder: Callback<()>,
    pub on_clear: Callback<()>,
}

#[function_component(Header)]
pub fn header(p: &HeaderProps) -> Html {
    let s = &p.state;
    let summary = s.overview.as_ref().map(|o| {
        let files = o.top_files;
        let span = match (o.first, o.last) {
            (Some(a), Some(b)) => {
                format!(" · {} → {} {}", date(Some(a), s.local_time), date(Some(b), s.local_time), zone(s.local_time))
            }
            _ => String::new(),
        };
        // While loading, the progress counts events more often than the overview is fetched.
        let events = s.progress.as_ref().map_or(o.events, |p| p.events.max(o.events));
        format!("{} files · {} events{span}", count(u64::from(files)), count(events))
    });
    let d = p.dispatch.clone();
    let toggle_time = Callback::from(move |_| d.emit(Action::ToggleTime));
    let d = p.dispatch.clone();
    let toggle_theme = Callback::from(move |_| d.emit(Action::ToggleTheme));
    let d = p.dispatch.clone();
    let help = Callback::from(move |_| d.emit(Action::Help(true)));
    let pick = p.on_pick.reform(|_: MouseEvent| ());
    let pick_folder = p.on_pick_folder.reform(|_: MouseEvent| ());
    let clear = p.on_clear.reform(|_: MouseEvent| ());
    // The case report includes the session being looked at, beside those the findings touch.
    let selected_session = match (s.selected, s.playing) {
        (_, Some(i)) | (Some(super::state::Selected::Session(i)), None) => Some(i),
        _ => None,
    };
    html! {
        <header class="header">
            <h1>{"Teleport Log Review"}</h1>
            <span class="loaded" aria-live="polite">{summary.unwrap_or_else(|| "nothing loaded".into())}</span>
            <span class="spacer" />
            <button onclick={pick} title="Add files (audit logs, recordings, .gz, .tar)">{"Add files"}</button>
            <button onclick={pick_folder} title="Add a whole folder, e.g. /var/lib/teleport/log">{"Add folder"}</button>
            if s.overview.is_some() {
                <super::export::DocButton doc={super::export::Doc::Report { query: s.query.clone(), sessions: selected_session.into_iter().collect() }} dispatch={p.dispatch.clone()} />
                <button onclick={clear} title="Forget everything loaded">{"Clear"}</button>
            }
            <button onclick={toggle_time} aria-pressed={s.local_time.to_string()} title="Show times in UTC or local time">{if s.local_time { "Local time" } else { "UTC" }}</button>
            <button onclick={toggle_theme} title="Light or dark theme" aria-label="Toggle theme">{"◐"}</button>
            <button onclick={help} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">{"?"}</button>
        </header>
    }
}

#[function_component(Rail)]
pub fn rail(p: &ShellProps) -> Html {
    let o = p.state.overview.as_ref();
    let n = |v: View| -> Option<u64> {
        let o = o?;
        Some(match v {
            View::Overview => u64::from(o.files),
            View::Dashboard => return None,
            View::Sessions => u64::from(o.sessions),
            View::Auth => u64::from(o.auth_attempts),
            View::Events => o.events,
            View::Recordings => u64::from(o.recorded_sessions),
            View::Findings => p.state.findings.as_ref().map_or(0, |f| u64::from(f.0.total)),
            View::Problems => u64::from(o.problems),
        })
    };
    let items = View::ALL.iter().map(|&v| {
        let d = p.dispatch.clone();
        let onclick = Callback::from(move |_| d.emit(Action::Show(v)));
        let current = p.state.view == v;
        let high = p.state.findings.as_ref().is_some_and(|f| f.0.count(review_core::detect::Severity::High) > 0);
        let warn = (v == View::Problems && n(v).unwrap_or(0) > 0) || (v == View::Findings && high);
        html! {
            <li>
                <button {onclick} class={classes!(current.then_some("current"))} aria-current={current.then_some("page")}>
                    <span>{v.title()}</span>
                    <span class={classes!("n", warn.then_some("warn"))}>{n(v).map(count).unwrap_or_default()}</span>
                </button>
            </li>
        }
    });
    html! { <nav class="rail" aria-label="Views"><ul>{ for items }</ul></nav> }
}

#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    pub progress: Progress,
    pub on_cancel: Callback<()>,
}

/// The bar loading shows at each of its stages: `done` of `total` (or going on with no end
/// known, `total` 0), what that is, and Cancel.
fn progress_bar(
    done: u64,
    total: u64,
    label: &'static str,
    text: String,
    current: Html,
    on_cancel: &Callback<()>,
) -> Html {
    let frac = (total > 0).then(|| (done as f64 / total as f64).to_string());
    let cancel = on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="progress" role="status" aria-live="polite">
            <progress max="1" value={frac} aria-label={label} />
            <span>{text}</span>
            {current}
            <button onclick={cancel}>{"Cancel"}</button>
        </div>
    }
}

#[function_component(LoadProgress)]
pub fn load_progress(p: &ProgressProps) -> Html {
    let pr = &p.progress;
    let eta = pr.eta().map(|s| format!(" · {s:.0} s left")).unwrap_or_default();
    let text = format!(
        "Reading {} of {} · file {} of {} · {} events · {}/s{eta}",
        bytes(pr.bytes_done),
        bytes(pr.bytes_total),
        (pr.files_done + 1).min(pr.files_total),
        pr.files_total,
        count(pr.events),
        bytes(pr.rate() as u64)
    );
    let current = html! { <span class="current mono" title={visible(&pr.current)}>{visible(&pr.current)}</span> };
    progress_bar(pr.bytes_done, pr.bytes_total, "Loading progress", text, current, &p.on_cancel)
}

#[derive(Properties, PartialEq)]
pub struct WalkingProps {
    pub found: usize,
    pub on_cancel: Callback<()>,
}

/// Before the handoff: dropped folders are looked through (thousands of files take seconds).
#[function_component(Walking)]
pub fn walking(p: &WalkingProps) -> Html {
    let text = format!("Looking through the dropped folders: {} files found", count(p.found as u64));
    progress_bar(0, 0, "Looking through the dropped folders", text, Html::default(), &p.on_cancel)
}

#[derive(Properties, PartialEq)]
pub struct HandoffProps {
    pub handed: usize,
    pub total: usize,
    pub on_cancel: Callback<()>,
}

/// Before reading starts: the page hands the dropped files to the worker (a few thousand take
/// seconds), and says how far it got.
#[function_component(Handoff)]
pub fn handoff(p: &HandoffProps) -> Html {
    let (handed, total) = (p.handed as u64, p.total as u64);
    let text = format!("Handing the files to the reader: {} of {}", count(handed), count(total));
    progress_bar(handed, total, "Handing files over", text, Html::default(), &p.on_cancel)
}

#[function_component(Notices)]
pub fn notices(p: &ShellProps) -> Html {
    let items = p.state.notices.iter().enumerate().map(|(i, n)| {
        let d = p.dispatch.clone();
        let onclick = Callback::from(move |_| d.emit(Action::DismissNotice(i)));
        html! { <li role="alert">{visible(n)}<button {onclick} aria-label="Dismiss">{"×"}</button></li> }
    });
    html! { <ul class="notices">{ for items }</ul> }
}

#[function_component(Help)]
pub fn help(p: &ShellProps) -> Html {
    let d = p.dispatch.clone();
    let close = Callback::from(move |_| d.emit(Action::Help(false)));
    let keys = [
        ("/", "focus the query"),
        ("Enter", "apply the query; open the row under the cursor"),
        ("j / k", "next / previous row (an open drawer follows)"),
        ("e / E", "next / previous failure"),
        ("Esc", "close the details, this help, or leave the query"),
        ("1 … 8", "Overview, Dashboard, Sessions, Auth, Events, Recordings, Findings, Problems"),
        ("t", "UTC / local time"),
        ("?", "this help"),
    ];
    // While a recording plays.
    let player_keys = [
        ("Space", "play / pause"),
        ("← / →", "5 seconds back / forward (with Shift: a tenth of the recording)"),
        (", / .", "previous / next output"),
        ("0 … 9", "jump to 0 %, 10 % … 90 %"),
        ("f", "full screen"),
        ("Esc", "back to the views"),
    ];
    let fields = review_core::query::FIELDS
        .iter()
        .map(|(f, what)| html! { <tr><td class="mono">{*f}{":"}</td><td>{*what}</td></tr> });
    html! {
        <div class="modal" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts and query help">
            <div class="modal-body">
                <button class="close" onclick={close} aria-label="Close">{"×"}</button>
                <h2>{"Keyboard"}</h2>
                <table>{ for keys.iter().map(|(k, what)| html! { <tr><td><kbd>{*k}</kbd></td><td>{*what}</td></tr> }) }</table>
                <h3>{"In the player"}</h3>
                <table>{ for player_keys.iter().map(|(k, what)| html! { <tr><td><kbd>{*k}</kbd></td><td>{*what}</td></tr> }) }</table>
                <h2>{"Query"}</h2>
                <p>{"Words are free text (found in users, nodes, addresses, types, messages…). Terms are joined by AND unless OR is written; NOT or a leading - excludes; parentheses group. * is a wildcard."}</p>
                <table>{ for fields }</table>
            </div>
        </div>
    }
}
