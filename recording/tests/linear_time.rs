//! Decoding is linear in the number of prints: a 200,000-print ProtoStream costs twice the
//! allocations of a 100,000-print one, not four times (a quadratic append, such as rebuilding
//! the output for every print, would show as a 4× jump in bytes allocated). Counted with a
//! per-thread allocator tally, so tests running on other threads do not disturb it.

mod common;

use common::*;
use review_recording::encode::{self, ProtoOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static CALLS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn tally(bytes: usize) {
    // `try_with`: the tally may be gone while the thread shuts down.
    let _ = CALLS.try_with(|c| c.set(c.get() + 1));
    let _ = BYTES.try_with(|b| b.set(b.get() + bytes as u64));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        tally(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        tally(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// (allocation calls, bytes allocated, prints decoded) for decoding `n` prints.
fn cost(n: usize) -> (u64, u64, usize) {
    let file = encode::protostream(&many_prints(n), &ProtoOptions { events_per_part: 50_000, ..Default::default() });
    let (calls, bytes) = (CALLS.with(Cell::get), BYTES.with(Cell::get));
    let started = std::time::Instant::now();
    let r = decode(&[file]);
    let elapsed = started.elapsed();
    let cost = (CALLS.with(Cell::get) - calls, BYTES.with(Cell::get) - bytes, r.prints.len());
    eprintln!("{n} prints: {} allocations, {} bytes, {elapsed:?}", cost.0, cost.1);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    cost
}

#[test]
fn decoding_cost_grows_linearly_with_prints() {
    let (calls_1, bytes_1, prints_1) = cost(100_000);
    let (calls_2, bytes_2, prints_2) = cost(200_000);
    assert_eq!((prints_1, prints_2), (100_000, 200_000));
    let ratio = |a: u64, b: u64| b as f64 / a as f64;
    assert!((1.8..2.2).contains(&ratio(calls_1, calls_2)), "allocation calls: {calls_1} → {calls_2}");
    // Doubling vectors can land on either side of a power of two: allow 2 ± 0.6.
    assert!((1.4..2.6).contains(&ratio(bytes_1, bytes_2)), "bytes allocated: {bytes_1} → {bytes_2}");
}
