//! Prints a recording's screen at a moment, natively: what the player should show.
//! `cargo run -p review-replay --example screen_at -- <ms> <file>...`
use review_recording::{decode, Part};
use review_replay::Player;

fn main() {
    let mut args = std::env::args().skip(1);
    let at: u64 = args.next().and_then(|a| a.parse().ok()).expect("a time in milliseconds, then files");
    let files: Vec<(String, Vec<u8>)> = args.map(|p| (p.clone(), std::fs::read(&p).expect("readable file"))).collect();
    let parts: Vec<Part<'_>> = files.iter().map(|(path, bytes)| Part { path, bytes }).collect();
    let recording = decode(&parts).expect("a recording");
    let mut player = Player::new(recording);
    player.seek(at);
    let screen = player.snapshot();
    println!(
        "at {} ms, {}x{}, cursor {:?}, {:?}",
        screen.at, screen.size.cols, screen.size.rows, screen.cursor, screen.screen
    );
    for (i, row) in screen.text().iter().enumerate() {
        println!("{i:3}|{row}");
    }
}
