//! The open recording: decoded, indexed once, then asked for screens at any time, searches,
//! scrollback and the transcript.

use super::{now, post, recordings, with_state};
use review_protocol::{RecordingInfo, Response, ScrollbackLine, DEFAULT_IDLE_CAP};
use review_replay::{Player, SearchOptions};

/// Markers sent to the page at most (enhanced recordings can hold many disk events).
const MAX_MARKERS: usize = 20_000;

pub async fn open(id: u32, session: u32) {
    let started = now();
    let members = recordings::of_session(session);
    let Some(members) = members else {
        post(id, Response::Error("no recording of this session is among the loaded files".into()));
        return;
    };
    let recording = match recordings::load(&members).await {
        Ok(r) => r,
        Err(e) => {
            post(id, Response::Error(e.to_string()));
            return;
        }
    };
    let player = Player::new(recording);
    let r = player.recording();
    let mut events = r.events.clone();
    events.truncate(MAX_MARKERS);
    let info = RecordingInfo {
        session,
        sid: r.sid.clone().unwrap_or_default(),
        generation: r.generation,
        duration: player.duration(),
        size: player.initial_size(),
        start_time: r.start_time,
        prints: r.prints.len() as u32,
        events,
        problems: r.problems.clone(),
        notes: r.without_output().into_iter().chain(r.notes.iter().cloned()).collect(),
        clock: player.clock(Some(DEFAULT_IDLE_CAP)),
        stats: player.stats(),
        open_millis: now() - started,
    };
    with_state(|s| s.player = Some(player));
    post(id, Response::Recording(Box::new(info)));
}

/// Answers a request about the open recording.
pub fn answer(req: review_protocol::Request) -> Response {
    use review_protocol::Request as R;
    with_state(|s| {
        let Some(player) = s.player.as_mut() else { return Response::Error("no recording is open".into()) };
        match req {
            R::Screen { at, full } => {
                if full {
                    player.forget_shown();
                }
                player.seek(at);
                Response::Screen(Box::new(player.update()))
            }
            R::Clock { idle_cap } => Response::Clock(Box::new(player.clock(idle_cap))),
            R::Search { pattern, options } => match player.search(&pattern, SearchOptions { ..options }) {
                Ok(results) => Response::Search(Box::new(results)),
                Err(e) => Response::Error(e),
            },
            R::Scrollback { at, start, end } => {
                let total = player.scrollback_len(at) as u32;
                let (start, end) = (start.min(total), end.min(total).max(start.min(total)));
                let lines = player
                    .scrollback(at, start as usize..end as usize)
                    .into_iter()
                    .map(|l| ScrollbackLine { at: l.at, row: l.row, wrapped: l.wrapped })
                    .collect();
                Response::Scrollback { total, start, lines }
            }
            R::Transcript => Response::Transcript(player.transcript_text()),
            _ => Response::Error("not a player request".into()),
        }
    })
}
