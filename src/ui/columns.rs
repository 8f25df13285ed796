//! What each table shows: its columns and how each cell is drawn. Cells render text only.

use super::format::{bytes, count, duration, plural, time, visible};
use super::table::{pivot, CellCx, Col, Row};
use super::timeline;
use review_core::audit::Outcome;
use review_core::model::FileKind;
use review_core::views::{FileRow, RecordingStatus, SessionRow, SortKey};
use yew::prelude::*;

fn outcome(o: Outcome) -> Html {
    // Failures are marked by an icon and a word, never by color alone.
    match o {
        Outcome::Failure => {
            html! { <span class="outcome fail"><span aria-hidden="true">{"✕ "}</span>{"failure"}</span> }
        }
        Outcome::Success => {
            html! { <span class="outcome ok"><span aria-hidden="true">{"✓ "}</span>{"success"}</span> }
        }
        Outcome::None => html! { <span class="muted">{"—"}</span> },
    }
}

fn text(s: &str) -> Html {
    if s.is_empty() {
        html! { <span class="muted">{"—"}</span> }
    } else {
        let v = visible(s);
        html! { <span title={v.clone()}>{v}</span> }
    }
}

fn addr(cx: &CellCx, host: &str, port: u16) -> Html {
    let shown =
        (port != 0).then(|| if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") });
    pivot(cx, "addr", host, shown.map(|s| visible(&s)))
}

/// ▶ plays the session's recording; other states say why there is nothing to play.
fn recording_cell(s: &SessionRow, cx: &CellCx) -> Html {
    match &s.recording {
        RecordingStatus::Loaded { encrypted: true, .. } => {
            html! { <span class="badge" title="recording loaded, but encrypted: it cannot be replayed here">{"enc"}</span> }
        }
        RecordingStatus::Loaded { error: Some(e), .. } => {
            html! { <span class="outcome fail" title={visible(e)}>{"⚠"}</span> }
        }
        RecordingStatus::Loaded { generation, .. } => {
            let (play, index) = (cx.play.clone(), s.index);
            let onclick = Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                play.emit(index);
            });
            let title = format!("Play the recording (generation {generation})");
            html! { <button class="play-rec" {onclick} {title} aria-label="Play recording">{"▶"}</button> }
        }
        RecordingStatus::UploadedNotLoaded => {
            html! { <span class="muted" title="the log says a recording was uploaded; it is not among the loaded files">{"○"}</span> }
        }
        RecordingStatus::None => html! { <span class="muted">{"—"}</span> },
    }
}

/// Sessions with recording files: what there is to replay.
pub fn recordings() -> Vec<Col> {
    vec![
        Col {
            title: "",
            sort: Some(SortKey::Recording),
            width: "3em",
            header: None,
            cell: |r, cx| match r {
                Row::Session(s) => recording_cell(s, cx),
                _ => html! {},
            },
        },
        Col {
            title: "Start",
            sort: Some(SortKey::Time),
            width: "15em",
            header: None,
            cell: |r, cx| match r {
                Row::Session(s) => html! { <span class="mono">{time(s.start, cx.local)}</span> },
                _ => html! {},
            },
        },
        Col {
            title: "User",
            sort: Some(SortKey::User),
            width: "minmax(7em, 1fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Session(s) => pivot(cx, "user", &s.user, None),
                _ => html! {},
            },
        },
        Col {
            title: "Login",
            sort: Some(SortKey::Login),
            width: "minmax(5em, 0.6fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Session(s) => pivot(cx, "login", &s.login, None),
                _ => html! {},
            },
        },
        Col {
            title: "Node",
            sort: Some(SortKey::Node),
            width: "minmax(7em, 1fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Session(s) => pivot(cx, "node", &s.node, None),
                _ => html! {},
            },
        },
        Col {
            title: "Length",
            sort: None,
            width: "7em",
            header: None,
            cell: |r, _| match &r {
                Row::Session(SessionRow {
                    recording: RecordingStatus::Loaded { duration_ms: Some(d), .. }, ..
                }) => {
                    html! { <span class="mono">{duration(Some(*d as i64 * 1_000_000))}</span> }
                }
                _ => html! { <span class="muted">{"—"}</span> },
            },
        },
        Col {
            title: "Recording",
            sort: None,
            width: "minmax(10em, 2fr)",
            header: None,
            cell: |r, _| match &r {
                Row::Session(SessionRow {
                    recording: RecordingStatus::Loaded { generation, parts, encrypted, error, damaged, .. },
                    ..
                }) => {
                    let what = format!("generation {generation}, {}", plural(*parts as usize, "file"));
                    match (encrypted, error, damaged) {
                        (true, _, _) => html! { <span>{what}{" · encrypted — cannot be replayed here"}</span> },
                        (_, Some(e), _) => {
                            html! { <span class="outcome fail" title={visible(e)}>{what}{" · ⚠ "}{visible(e)}</span> }
                        }
                        (_, _, true) => {
                            html! { <span class="outcome fail">{what}{" · ⚠ damaged: plays up to the damage"}</span> }
                        }
                        _ => html! { <span>{what}</span> },
                    }
                }
                _ => html! {},
            },
        },
    ]
}

fn file_kind(f: &FileRow) -> &'static str {
    match f.kind {
        FileKind::AuditLog => "audit log",
        FileKind::Recording => "recording",
        FileKind::Archive => "archive",
        FileKind::Empty => "empty",
        FileKind::NotRead => "not read",
        FileKind::Pending => "…",
    }
}

/// The files read: what each is, what it gave, and what could not be read.
pub fn files() -> Vec<Col> {
    vec![
        Col {
            title: "Path",
            sort: Some(SortKey::File),
            width: "minmax(16em, 3fr)",
            header: None,
            cell: |r, _| match r {
                Row::File(f) => {
                    let note =
                        f.note.as_ref().map(|n| html! { <span class="badge" title={n.clone()}>{"noon-named"}</span> });
                    html! { <span class="mono" title={visible(&f.path)}>{ for note }{" "}{visible(&f.path)}</span> }
                }
                _ => html! {},
            },
        },
        Col {
            title: "Kind",
            sort: None,
            width: "7.5em",
            header: None,
            cell: |r, _| match r {
                Row::File(f) => html! { <span>{file_kind(f)}{if f.compressed { " (gz)" } else { "" }}</span> },
                _ => html! {},
            },
        },
        Col {
            title: "Size",
            sort: None,
            width: "6em",
            header: None,
            cell: |r, _| match r {
                Row::File(f) => html! { <span class="num">{bytes(f.size)}</span> },
                _ => html! {},
            },
        },
        Col {
            title: "Events",
            sort: None,
            width: "8em",
            header: None,
            cell: |r, _| match r {
                Row::File(f) => {
                    html! { <span class="num">{count(f.events)}{if f.duplicates > 0 { format!(" +{} dupl.", count(f.duplicates)) } else { String::new() }}</span> }
                }
                _ => html! {},
            },
        },
        Col {
            title: "Unreadable",
            sort: Some(SortKey::Outcome),
            width: "8em",
            header: None,
            cell: |r, _| match r {
                Row::File(f) if f.kind == FileKind::NotRead => {
                    html! { <span class="outcome fail">{"⚠ whole file"}</span> }
                }
                Row::File(f) if f.bad_lines > 0 => {
                    html! { <span class="outcome fail">{"⚠ "}{count(f.bad_lines)}{" lines"}</span> }
                }
                Row::File(_) => html! { <span class="muted">{"—"}</span> },
                _ => html! {},
            },
        },
        Col {
            title: "Events from → to",
            sort: Some(SortKey::Time),
            width: "minmax(18em, 2fr)",
            header: None,
            cell: |r, cx| match r {
                Row::File(f) => match (f.first, f.last) {
                    (Some(a), Some(b)) => {
                        html! { <span class="mono small">{format!("{} → {}", time(Some(a), cx.local), time(Some(b), cx.local))}</span> }
                    }
                    _ => html! { <span class="muted">{"—"}</span> },
                },
                _ => html! {},
            },
        },
        Col {
            title: "SHA-256",
            sort: None,
            width: "minmax(10em, 1.5fr)",
            header: None,
            cell: |r, _| match r {
                Row::File(f) => match &f.sha256 {
                    Some(h) => html! { <span class="mono small" title={h.clone()}>{h.clone()}</span> },
                    None if f.in_archive => {
                        html! { <span class="muted" title="entries of archives are covered by the archive's hash">{"in archive"}</span> }
                    }
                    None => html! { <span class="muted">{"hashing…"}</span> },
                },
                _ => html! {},
            },
        },
    ]
}

pub fn auth() -> Vec<Col> {
    vec![
        Col {
            title: "Time",
            sort: Some(SortKey::Time),
            width: "15em",
            header: None,
            cell: |r, cx| match r {
                Row::Event(e) => html! { <span class="mono">{time(e.time, cx.local)}</span> },
                _ => html! {},
            },
        },
        Col {
            title: "Outcome",
            sort: Some(SortKey::Outcome),
            width: "6.5em",
            header: None,
            cell: |r, _| match r {
                Row::Event(e) => outcome(e.outcome),
                _ => html! {},
            },
        },
        Col {
            title: "User",
            sort: Some(SortKey::User),
            width: "minmax(8em, 1.2fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Event(e) => pivot(cx, "user", &e.user, None),
                _ => html! {},
            },
        },
        Col {
            title: "Method",
            sort: Some(SortKey::Method),
            width: "minmax(6em, 0.6fr)",
            header: None,
            cell: |r, cx| match r {
                // No method (a bot or instance joining, say): the event type, told apart.
                Row::Event(e) if e.method.is_empty() => {
                    let event = visible(&e.event);
                    html! { <span class="muted" title={format!("no method in this event; its type: {event}")}>{event}</span> }
                }
                Row::Event(e) => pivot(cx, "method", &e.method, None),
                _ => html! {},
            },
        },
        Col {
            title: "Error / message",
            sort: Some(SortKey::Message),
            width: "minmax(10em, 2fr)",
            header: None,
            cell: |r, _| match r {
                Row::Event(e) => text(&e.message),
                _ => html! {},
            },
        },
        Col {
            title: "Remote address",
            sort: Some(SortKey::Addr),
            width: "minmax(9em, 1fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Event(e) => addr(cx, &e.addr, e.port),
                _ => html! {},
            },
        },
        Col {
            title: "Cluster",
            sort: Some(SortKey::Cluster),
            width: "minmax(6em, 0.7fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Event(e) => pivot(cx, "cluster", &e.cluster, None),
                _ => html! {},
            },
        },
        Col {
            title: "Code",
            sort: Some(SortKey::Code),
            width: "5.5em",
            header: None,
            cell: |r, cx| match r {
                Row::Event(e) => pivot(cx, "code", &e.code, None),
                _ => html! {},
            },
        },
    ]
}

pub fn events() -> Vec<Col> {
    vec![
        Col {
            title: "Time",
            sort: Some(SortKey::Time),
            width: "15em",
            header: None,
            cell: |r, cx| match r {
                Row::Event(e) => html! { <span class="mono">{time(e.time, cx.local)}</span> },
                _ => html! {},
            },
        },
        Col {
            title: "Event",
            sort: Some(SortKey::Event),
            width: "minmax(12em, 1.4fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Event(e) => {
                    html! { <>{pivot(cx, "event", &e.event, Some(visible(&e.title)))}</> }
                }
                _ => html! {},
            },
        },
        Col {
            title: "Outcome",
            sort: Some(SortKey::Outcome),
            width: "6.5em",
            header: None,
            cell: |r, _| match r {
                Row::Event(e) => outcome(e.outcome),
                _ => html! {},
            },
        },
        Col {
            title: "User",
            sort: Some(SortKey::User),
            width: "minmax(7em, 1fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Event(e) => pivot(cx, "user", &e.user, None),
                _ => html! {},
            },
        },
        Col {
            title: "Login",
            sort: Some(SortKey::Login),
            width: "minmax(5em, 0.6fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Event(e) => pivot(cx, "login", &e.login, None),
                _ => html! {},
            },
        },
        Col {
            title: "Node",
            sort: Some(SortKey::Node),
            width: "minmax(7em, 1fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Event(e) => pivot(cx, "node", &e.node, None),
                _ => html! {},
            },
        },
        Col {
            title: "Remote address",
            sort: Some(SortKey::Addr),
            width: "minmax(8em, 0.9fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Event(e) => addr(cx, &e.addr, e.port),
                _ => html! {},
            },
        },
        Col {
            title: "Source",
            sort: Some(SortKey::File),
            width: "minmax(8em, 1fr)",
            header: None,
            cell: |r, _| match r {
                Row::Event(e) => {
                    let name = e.file.rsplit('/').next().unwrap_or(&e.file);
                    let place = visible(&format!("{name}:{}", e.line));
                    html! { <span class="mono muted" title={visible(&format!("{}:{}", e.file, e.line))}>{place}</span> }
                }
                _ => html! {},
            },
        },
    ]
}

pub fn sessions(axis: Html) -> Vec<Col> {
    vec![
        Col {
            title: "Start",
            sort: Some(SortKey::Time),
            width: "15em",
            header: None,
            cell: |r, cx| match r {
                Row::Session(s) => {
                    let t = time(s.start, cx.local);
                    if s.start_known {
                        html! { <span class="mono">{t}</span> }
                    } else {
                        html! { <span class="mono muted" title="no session.start: first event seen">{t}{" ?"}</span> }
                    }
                }
                _ => html! {},
            },
        },
        Col {
            title: "User",
            sort: Some(SortKey::User),
            width: "minmax(7em, 1fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Session(s) => pivot(cx, "user", &s.user, None),
                _ => html! {},
            },
        },
        Col {
            title: "Login",
            sort: Some(SortKey::Login),
            width: "minmax(5em, 0.6fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Session(s) => pivot(cx, "login", &s.login, None),
                _ => html! {},
            },
        },
        Col {
            title: "Node",
            sort: Some(SortKey::Node),
            width: "minmax(7em, 1fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Session(s) => pivot(cx, "node", &s.node, None),
                _ => html! {},
            },
        },
        Col {
            title: "From",
            sort: Some(SortKey::Addr),
            width: "minmax(7em, 0.8fr)",
            header: None,
            cell: |r, cx| match r {
                Row::Session(s) => {
                    let host = review_core::model::split_host_port(&s.addr).0.to_owned();
                    pivot(cx, "addr", &host, Some(visible(&s.addr)))
                }
                _ => html! {},
            },
        },
        Col {
            title: "Duration",
            sort: Some(SortKey::Duration),
            width: "6.5em",
            header: None,
            cell: |r, _| match r {
                Row::Session(s) if s.end.is_none() => {
                    html! { <span class="open" title="no session.end: still open, or its end was not logged">{"open ?"}</span> }
                }
                Row::Session(s) => html! { <span class="mono">{duration(s.duration)}</span> },
                _ => html! {},
            },
        },
        Col {
            title: "People",
            sort: Some(SortKey::Participants),
            width: "5.5em",
            header: None,
            cell: |r, _| match r {
                Row::Session(s) => {
                    let names = s.participants.iter().map(|p| visible(p)).collect::<Vec<_>>().join(", ");
                    let joined = s.participants.len() > 1;
                    html! { <span class={classes!(joined.then_some("joined"))} title={names}>{s.participants.len().max(1)}{if joined { " ⇆" } else { "" }}</span> }
                }
                _ => html! {},
            },
        },
        Col {
            title: "Rec",
            sort: Some(SortKey::Recording),
            width: "3.5em",
            header: None,
            cell: |r, cx| match r {
                Row::Session(s) => recording_cell(s, cx),
                _ => html! {},
            },
        },
        Col {
            title: "Timeline",
            sort: None,
            width: "minmax(14em, 3fr)",
            header: Some(axis),
            cell: |r, cx| match r {
                Row::Session(s) => timeline::bar(s, cx),
                _ => html! {},
            },
        },
    ]
}

pub fn problems() -> Vec<Col> {
    vec![
        Col {
            title: "File",
            sort: None,
            width: "minmax(12em, 2fr)",
            header: None,
            cell: |r, _| match r {
                Row::Problem(p) => text(&p.file),
                _ => html! {},
            },
        },
        Col {
            title: "Where",
            sort: None,
            width: "7em",
            header: None,
            cell: |r, _| match r {
                Row::Problem(p) if p.place.is_empty() => {
                    html! { <span class="muted">{"whole file"}</span> }
                }
                Row::Problem(p) => html! { <span class="mono">{&p.place}</span> },
                _ => html! {},
            },
        },
        Col {
            title: "Kind",
            sort: None,
            width: "9em",
            header: None,
            cell: |r, _| match r {
                Row::Problem(p) => {
                    html! { <span class="outcome fail"><span aria-hidden="true">{"⚠ "}</span>{&p.kind}</span> }
                }
                _ => html! {},
            },
        },
        Col {
            title: "Reason",
            sort: None,
            width: "minmax(16em, 4fr)",
            header: None,
            cell: |r, _| match r {
                Row::Problem(p) => text(&p.detail),
                _ => html! {},
            },
        },
    ]
}
