//! A sample session, written by the encoders, and what the format reference says a decoder
//! must make of it.
#![allow(dead_code)]

use review_recording::encode::{Event, File, Session};
use review_recording::{EventKind, Part};

pub const MS: i64 = 1_000_000;
/// 2021-03-04T05:06:07.000Z
pub const T0: i64 = 1_614_834_367_000 * MS;

/// Every event kind, times on whole milliseconds, two users, output with split UTF-8 and
/// escape sequences.
pub fn sample() -> Session {
    let mut s = Session::new("6a7b2c3d-1111-4222-8333-944455556666", "alice");
    s.login = "root".into();
    s.server_hostname = "web-1".into();
    s.push(T0, Event::Start { cols: 80, rows: 25 });
    s.push(T0 + 30 * MS, Event::Resize { cols: 120, rows: 40 });
    s.push(T0 + 100 * MS, Event::Print(b"\x1b[1mroot@web-1\x1b[0m:~# ".to_vec()));
    s.push(T0 + 1_250 * MS, Event::Print(b"l".to_vec()));
    s.push(T0 + 1_400 * MS, Event::Print(b"s\r\n".to_vec()));
    s.push(T0 + 1_450 * MS, Event::Command { path: "/bin/ls".into(), argv: vec!["ls".into()], return_code: 0 });
    s.push(T0 + 1_460 * MS, Event::Disk { path: "/etc/passwd".into(), return_code: 0 });
    s.push(T0 + 1_500 * MS, Event::Print("caf\u{e9}".as_bytes()[..4].to_vec()));
    s.push(T0 + 1_501 * MS, Event::Print("caf\u{e9}".as_bytes()[4..].to_vec()));
    s.push(T0 + 2_000 * MS, Event::Join { user: "bob".into() });
    s.push(T0 + 2_500 * MS, Event::Resize { cols: 100, rows: 30 });
    s.push(T0 + 3_000 * MS, Event::Network { dst_addr: "203.0.113.7".into(), dst_port: 443, denied: true });
    s.push(T0 + 4_000 * MS, Event::Print(vec![b'x'; 3000]));
    s.push(T0 + 4_100 * MS, Event::Other { event: "mcp.session.start".into(), proto_tag: 216 });
    s.push(T0 + 5_000 * MS, Event::Leave { user: "bob".into() });
    s.push(T0 + 7_000 * MS, Event::Print(b"exit\r\n".to_vec()));
    s.push(T0 + 7_250 * MS, Event::End);
    s
}

/// A session of `n` prints, one every 10 ms, between a start and an end.
pub fn many_prints(n: usize) -> Session {
    let mut s = Session::new("7f000000-0000-4000-8000-000000000001", "carol");
    s.push(T0, Event::Start { cols: 80, rows: 24 });
    for i in 0..n {
        s.push(T0 + (i as i64 + 1) * 10 * MS, Event::Print(format!("line {i}\r\n").into_bytes()));
    }
    s.push(T0 + (n as i64 + 2) * 10 * MS, Event::End);
    s
}

pub fn parts(files: &[File]) -> Vec<Part<'_>> {
    files.iter().map(|(name, bytes)| Part { path: name, bytes }).collect()
}

pub fn decode(files: &[File]) -> review_recording::Recording {
    match review_recording::decode(&parts(files)) {
        Ok(r) => r,
        Err(e) => panic!("decode failed: {e}"),
    }
}

/// All the print data, in order.
pub fn expected_output(s: &Session) -> Vec<u8> {
    s.events
        .iter()
        .filter_map(|e| if let Event::Print(d) = &e.event { Some(d.clone()) } else { None })
        .flatten()
        .collect()
}

fn first_print_time(s: &Session) -> i64 {
    s.events.iter().find(|e| matches!(e.event, Event::Print(_))).map(|e| e.time).unwrap()
}

/// Print times per §3c.5/§6.4: milliseconds since the first print.
pub fn expected_print_times(s: &Session) -> Vec<u64> {
    let t0 = first_print_time(s);
    s.events.iter().filter(|e| matches!(e.event, Event::Print(_))).map(|e| ((e.time - t0) / MS) as u64).collect()
}

/// Non-print events per §6.4: time since the first print, clamped at 0; with their kinds.
/// `enhanced`: whether the generation records enhanced events.
pub fn expected_events(s: &Session, enhanced: bool) -> Vec<(u64, EventKind)> {
    let t0 = first_print_time(s);
    s.events
        .iter()
        .filter(|e| !matches!(e.event, Event::Print(_)) && (enhanced || !e.event.is_enhanced()))
        .map(|e| {
            let at = ((e.time - t0) / MS).max(0) as u64;
            let kind = match &e.event {
                Event::Start { .. } => EventKind::Start,
                Event::Resize { cols, rows } => EventKind::Resize { cols: *cols, rows: *rows },
                Event::Join { user } => EventKind::Join { user: user.clone() },
                Event::Leave { user } => EventKind::Leave { user: user.clone() },
                Event::Command { path, argv, return_code } => {
                    EventKind::Command { path: path.clone(), argv: argv.clone(), return_code: *return_code }
                }
                Event::Disk { path, .. } => EventKind::Disk { path: path.clone() },
                Event::Network { dst_addr, dst_port, denied } => {
                    EventKind::Network { dst: format!("{dst_addr}:{dst_port}"), denied: *denied }
                }
                Event::End => EventKind::End,
                Event::Other { .. } | Event::Print(_) => EventKind::Other,
            };
            (at, kind)
        })
        .collect()
}

/// Checks what every decoded recording of `s` must show, whatever the generation.
pub fn assert_matches_session(r: &review_recording::Recording, s: &Session, enhanced: bool) {
    assert_same_bytes(&r.output, &expected_output(s));
    assert_eq!(r.prints.iter().map(|p| p.at).collect::<Vec<_>>(), expected_print_times(s), "print times");
    let mut offset = 0;
    for p in &r.prints {
        assert_eq!(p.offset, offset, "prints are contiguous slices of the output");
        offset += p.len;
    }
    assert_eq!(offset, r.output.len());
    let events: Vec<(u64, EventKind)> = r.events.iter().map(|e| (e.at, e.kind.clone())).collect();
    assert_eq!(events, expected_events(s, enhanced), "events");
    assert_eq!(
        r.initial_size,
        s.events.iter().find_map(|e| match e.event {
            Event::Start { cols, rows } if cols > 0 => Some((cols, rows)),
            _ => None,
        })
    );
    assert_eq!(r.start_time, Some(first_print_time(s)));
    let last = s.events.last().unwrap().time;
    assert_eq!(r.duration, ((last - first_print_time(s)) / MS) as u64, "duration runs to the session end");
    assert_eq!(r.sid.as_deref(), Some(s.sid.as_str()));
    assert_eq!(r.meta.user.as_deref(), Some(s.user.as_str()));
    assert_eq!(r.meta.login.as_deref(), Some(s.login.as_str()));
    assert_eq!(r.meta.server_id.as_deref(), Some(s.server_id.as_str()));
    assert_eq!(r.meta.remote_addr.as_deref(), Some(s.addr_remote.as_str()));
    assert_eq!(r.meta.start, s.events.first().map(|e| e.time));
    assert_eq!(r.meta.participants, s.participants());
}

/// Byte equality that reports where the bytes first differ instead of printing them all.
pub fn assert_same_bytes(got: &[u8], want: &[u8]) {
    if got != want {
        let at = got.iter().zip(want).position(|(a, b)| a != b).unwrap_or(got.len().min(want.len()));
        panic!(
            "output differs at byte {at}: got {} bytes, want {}; got {:?}…",
            got.len(),
            want.len(),
            &got[at..got.len().min(at + 16)]
        );
    }
}
