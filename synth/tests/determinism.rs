//! The same seed gives the same bytes; the thread count changes nothing.

use synth::bulk::{self, BulkOptions};
use synth::{demo, OutFile};

fn bulk_files(seed: u64, threads: usize) -> Vec<OutFile> {
    let opts = BulkOptions { size: 1_500_000, seed, gz_fraction: 0.2, threads };
    let mut files = Vec::new();
    bulk::generate(&opts, &mut |f| {
        files.push(f);
        Ok(())
    })
    .unwrap();
    files
}

#[test]
fn demo_is_the_same_every_time() {
    let a = demo::build();
    let b = demo::build();
    assert_eq!(a.files, b.files);
    assert_eq!(a.manifest_json(), b.manifest_json());
}

#[test]
fn logs_depend_on_the_seed_only() {
    let one = bulk_files(3, 1);
    assert_eq!(one, bulk_files(3, 3), "threads do not change the bytes");
    let other = bulk_files(4, 2);
    assert_ne!(one, other, "another seed gives other data");
}
