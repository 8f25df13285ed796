#![no_main]
//! Files as dropped into the app, through the whole ingest pipeline: sniffing, gzip, tar, audit
//! lines and recording parts, then every view. Input: one options byte (see
//! `fuzz_support::ingest::options`), then named files (`name \n bytes`, separated by `SEP`).

use fuzz_support::{ingest, named_files};
use libfuzzer_sys::fuzz_target;
use review_core::ingest::Ingest;

fuzz_target!(|data: &[u8]| {
    let Some((&config, files)) = data.split_first() else {
        return;
    };
    let mut ing = Ingest::new(ingest::options(config));
    for (name, bytes) in named_files(files) {
        ing.add_bytes(&name, bytes);
    }
    let mut model = ing.finish();
    ingest::check(&mut model);
});
