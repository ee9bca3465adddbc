//! A header that claims gigabytes does not make the reader allocate them.
//!
//! This binary holds one test, so that its global allocator, which records
//! the largest single allocation, sees no other test's allocations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use scratchnet::data::{DataError, Idx};

struct Largest;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Largest = Largest;

/// The largest single allocation made while parsing `bytes`, and the result.
fn parse_measured(bytes: &[u8]) -> (usize, Result<Idx, DataError>) {
    LARGEST.store(0, Ordering::Relaxed);
    let result = Idx::parse(bytes, "lying-header".as_ref());
    (LARGEST.load(Ordering::Relaxed), result)
}

#[test]
fn a_lying_header_does_not_allocate_what_it_claims() {
    const MIB: usize = 1 << 20;
    // 1000×1000×1000 = 1e9 bytes: under the 1 GiB limit, so the reader reads.
    let mut bytes = vec![0, 0, 8, 3];
    for d in [1000u32, 1000, 1000] {
        bytes.extend_from_slice(&d.to_be_bytes());
    }
    bytes.extend_from_slice(&[1, 2, 3]);
    let (largest, result) = parse_measured(&bytes);
    assert!(
        matches!(
            result,
            Err(DataError::Truncated {
                expected: 1_000_000_000,
                found: 3,
                ..
            })
        ),
        "{result:?}"
    );
    assert!(
        largest <= 64 * MIB,
        "allocated {largest} bytes for a 19-byte file"
    );

    // 60000×1000×1000 = 60 GB: refused before reading anything.
    let mut bytes = vec![0, 0, 8, 3];
    for d in [60_000u32, 1000, 1000] {
        bytes.extend_from_slice(&d.to_be_bytes());
    }
    let (largest, result) = parse_measured(&bytes);
    assert!(
        matches!(result, Err(DataError::TooLarge { .. })),
        "{result:?}"
    );
    assert!(largest < MIB, "allocated {largest} bytes");
}
