use review_core::ingest::{Ingest, Options, Parser};
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let files: Vec<(String, Vec<u8>)> = synth::layout::files_under(std::path::Path::new(&dir))
        .unwrap()
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    let opts = Options { read_back_plain_files: true, seed: Some(3), ..Options::default() };
    let t = Instant::now();
    let mut ing = Ingest::new(opts.clone());
    for (p, b) in &files {
        let id = ing.open(p, b.len() as u64);
        for s in b.chunks(4 << 20) {
            ing.push(id, s);
        }
        ing.close(id);
    }
    let n = ing.model.events.len();
    println!("direct {:?} {n}", t.elapsed());
    let mut ing = Ingest::new(opts.clone());
    let (mut tp, mut ta, mut jb) = (0.0, 0.0, 0usize);
    let mut parser = Parser::new(ing.options().clone(), ing.dedup_seed());
    for (p, b) in &files {
        let id = ing.open(p, b.len() as u64);
        parser.open(p, b.len() as u64);
        for s in b.chunks(4 << 20) {
            let t = Instant::now();
            parser.push(s);
            let j = parser.take();
            tp += t.elapsed().as_secs_f64();
            jb += j.len();
            let t = Instant::now();
            ing.apply(id, &j);
            ta += t.elapsed().as_secs_f64();
        }
        let t = Instant::now();
        parser.close();
        let j = parser.take();
        tp += t.elapsed().as_secs_f64();
        let t = Instant::now();
        ing.apply(id, &j);
        ing.close(id);
        ta += t.elapsed().as_secs_f64();
    }
    println!("parse {tp:.3} apply {ta:.3} journal {} MB events {}", jb >> 20, ing.model.events.len());
}
