//! Recordings written at test time with the format encoders, and the audit line that names
//! their session.

use review_recording::encode::{self, Event, ProtoOptions, Session};
use std::path::{Path, PathBuf};

pub const SID: &str = "7a1c0e3e-1111-4222-8333-444455556666";
pub const ENCRYPTED_SID: &str = "0e0e0e0e-2222-4333-8444-555566667777";
/// 2024-04-01T10:00:00Z
const T0: i64 = 1_711_965_600_000_000_000;
const MS: i64 = 1_000_000;

fn typed(s: &mut Session, t: &mut i64, text: &str) {
    for ch in text.chars() {
        *t += 120 * MS;
        s.push(*t, Event::Print(ch.to_string().into_bytes()));
    }
    *t += 200 * MS;
    s.push(*t, Event::Print(b"\r\n".to_vec()));
}

/// A root shell on db-9: colours, typed commands, a 10-minute idle gap, a resize, wide
/// characters, an alternate-screen burst, and enough lines to scroll.
pub fn shell_session() -> Session {
    let mut s = Session::new(SID, "carol");
    s.login = "root".into();
    s.server_hostname = "db-9".into();
    s.server_id = "4d5e6f70-aaaa-4bbb-8ccc-dddddddddddd".into();
    s.addr_remote = "203.0.113.77:51000".into();
    s.cluster = "prod".into();
    let prompt = b"\x1b[1;32mcarol@db-9\x1b[0m:\x1b[1;34m~\x1b[0m# ".to_vec();
    let mut t = T0;
    s.push(t, Event::Start { cols: 100, rows: 30 });
    t += 300 * MS;
    s.push(t, Event::Print(prompt.clone()));
    typed(&mut s, &mut t, "ls --color");
    t += 50 * MS;
    s.push(t, Event::Print(b"\x1b[01;34mbin\x1b[0m  \x1b[31mERROR.log\x1b[0m  notes.txt\r\n".to_vec()));
    s.push(t + MS, Event::Print(prompt.clone()));
    // Ten idle minutes: with idle gaps capped they play as two seconds.
    t += 600_000 * MS;
    typed(&mut s, &mut t, "echo needle-in-haystack");
    s.push(t + 10 * MS, Event::Print(b"needle-in-haystack\r\n".to_vec()));
    t += 500 * MS;
    s.push(t, Event::Resize { cols: 120, rows: 30 });
    t += 100 * MS;
    s.push(t, Event::Print("日本語テキスト ✓ wide\r\n".as_bytes().to_vec()));
    t += 100 * MS;
    s.push(t, Event::Print(b"\x1b[?1049h\x1b[2J\x1b[HTOP-LIKE FULL SCREEN\x1b[?1049l".to_vec()));
    for i in 0..60 {
        t += 20 * MS;
        s.push(t, Event::Print(format!("line {i:02} of the long listing\r\n").into_bytes()));
    }
    t += 300 * MS;
    s.push(t, Event::Print(b"done$ ".to_vec()));
    t += 1000 * MS;
    s.push(t, Event::End);
    s
}

/// The audit log line that starts and ends the session above.
pub fn audit_log(dir: &Path) -> PathBuf {
    let path = dir.join("2024-04-01.00:00:00.log");
    let text = format!(
        concat!(
            r#"{{"ei":0,"event":"session.start","uid":"r1","code":"T2000I","time":"2024-04-01T10:00:00Z","cluster_name":"prod","user":"carol","login":"root","sid":"{sid}","server_hostname":"db-9","addr.remote":"203.0.113.77:51000","size":"100:30"}}"#,
            "\n",
            r#"{{"ei":0,"event":"session.start","uid":"r2","code":"T2000I","time":"2024-04-02T09:00:00Z","cluster_name":"prod","user":"dave","login":"ubuntu","sid":"{enc}","server_hostname":"web-2","size":"80:24"}}"#,
            "\n",
        ),
        sid = SID,
        enc = ENCRYPTED_SID
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// The session as a ProtoStream `<sid>.tar` (Teleport 4.4+), in several parts with padding.
pub fn protostream(dir: &Path) -> PathBuf {
    let options = ProtoOptions { events_per_part: 40, pad_to: 4096, empty_parts: true, ..ProtoOptions::default() };
    let (name, bytes) = encode::protostream(&shell_session(), &options);
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// An encrypted ProtoStream V2 recording: it can be listed but not replayed.
pub fn encrypted(dir: &Path) -> PathBuf {
    let mut s = Session::new(ENCRYPTED_SID, "dave");
    s.push(T0, Event::Start { cols: 80, rows: 24 });
    s.push(T0 + MS, Event::Print(b"secret".to_vec()));
    let (name, bytes) = encode::protostream(&s, &ProtoOptions { encrypted: true, ..ProtoOptions::default() });
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}
