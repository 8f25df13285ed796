//! Search inside recordings: each recording of the sessions a query selects is decoded and
//! searched for what it printed, one per task (the page's requests are answered between), and
//! the page hears of the hits as they are found. A newer search, or a Clear, ends this one.

use super::{next_task, now, post, recordings, with_state};
use review_core::views::{recorded_sessions, SessionRow};
use review_protocol::{FoundInRecording, FoundInRecordings, Response};
use review_replay::{check_pattern, Player, SearchOptions};

/// Hits sent per recording: the player lists them all.
const FIRST_HITS: usize = 3;
/// How often the page hears how far the search has got, at most.
const TELL_EVERY_MS: f64 = 250.0;

/// Starts search number `search` (an empty pattern only ends the one under way).
pub fn start(search: u32, query: String, pattern: String, options: SearchOptions) {
    let sessions = with_state(|s| {
        s.inside_search = search;
        recorded_sessions(&query, &s.ingest.model)
    });
    let mut told = FoundInRecordings { search, done: true, ..FoundInRecordings::default() };
    match (sessions, check_pattern(&pattern, options)) {
        _ if pattern.is_empty() => {}
        (Err(e), _) => told.error = Some(format!("the query: {}", e.message)),
        (_, Err(e)) => told.error = Some(format!("the pattern is not a regular expression this search can use: {e}")),
        (Ok(sessions), Ok(())) => {
            wasm_bindgen_futures::spawn_local(run(search, sessions, pattern, options));
            return;
        }
    }
    post(0, Response::FoundInRecordings(Box::new(told)));
}

fn current(search: u32) -> bool {
    with_state(|s| s.inside_search == search)
}

async fn run(search: u32, sessions: Vec<u32>, pattern: String, options: SearchOptions) {
    let mut told = FoundInRecordings { search, total: sessions.len() as u32, ..FoundInRecordings::default() };
    let mut last_told = now();
    // Recordings and sessions only grow while a search runs (a Clear ends it).
    let mut parts = with_state(|s| recordings::by_sid(&s.ingest.model));
    for session in sessions {
        next_task().await;
        if !current(search) {
            return;
        }
        let sid = with_state(|s| s.ingest.model.sessions.list[session as usize].sid);
        let found = match parts.remove(&sid) {
            Some(members) => recordings::load(&members).await.map_err(|e| e.to_string()),
            None => Err("its recording is no longer among the loaded files".into()),
        };
        // Decoding waited on reads: the search may have been replaced meanwhile.
        if !current(search) {
            return;
        }
        let row = with_state(|s| SessionRow::new(&s.ingest.model, session));
        match found.map(|recording| Player::new(recording).search(&pattern, options)) {
            Ok(Ok(results)) if !results.hits.is_empty() => told.found.push(FoundInRecording {
                session: row,
                hits: results.hits.len() as u32,
                truncated: results.truncated,
                first: results.hits.into_iter().take(FIRST_HITS).collect(),
            }),
            Ok(Ok(_)) => {}
            // Checked at the start; said all the same should it happen.
            Ok(Err(e)) => {
                told.error = Some(e);
                break;
            }
            Err(e) => told.unreadable.push((row.sid, e)),
        }
        told.searched += 1;
        if now() - last_told > TELL_EVERY_MS {
            last_told = now();
            let next = FoundInRecordings { search, total: told.total, searched: told.searched, ..Default::default() };
            post(0, Response::FoundInRecordings(Box::new(std::mem::replace(&mut told, next))));
        }
    }
    told.done = true;
    post(0, Response::FoundInRecordings(Box::new(told)));
}
