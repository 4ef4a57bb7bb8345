//! A counting global allocator: live bytes and their peak, for peak-memory measurements.
//!
//! A bench binary installs it with
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOC: pressone_esim_bench::alloc::Counting = pressone_esim_bench::alloc::Counting;
//! ```
//!
//! and wraps the work to measure in a [`Probe`]. Allocations made on threads marked with
//! [`exclude_this_thread`] (the loopback server's) are not counted, so the server's buffers do
//! not show as the client's memory. Live bytes are counted all the time (one relaxed atomic
//! add per allocation); the peak only while a probe is open.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering};

static LIVE: AtomicIsize = AtomicIsize::new(0);
static COUNT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
static TRACKING: AtomicBool = AtomicBool::new(false);
static INSTALLED: AtomicBool = AtomicBool::new(false);

thread_local! {
    static EXCLUDED: Cell<bool> = const { Cell::new(false) };
}

/// The counting allocator (a wrapper around the system allocator).
pub struct Counting;

fn counted() -> bool {
    // `try_with` fails only while the thread is being torn down: count those.
    !EXCLUDED.try_with(Cell::get).unwrap_or(false)
}

fn grow(bytes: usize) {
    if !counted() {
        return;
    }
    COUNT.fetch_add(1, Ordering::Relaxed);
    let live = LIVE.fetch_add(bytes as isize, Ordering::Relaxed) + bytes as isize;
    if TRACKING.load(Ordering::Relaxed) {
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

fn shrink(bytes: usize) {
    if counted() {
        LIVE.fetch_sub(bytes as isize, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the same arguments; the counters have no
// effect on the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        INSTALLED.store(true, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        INSTALLED.store(true, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                shrink(layout.size() - new_size);
            }
        }
        p
    }
}

/// Marks the calling thread's allocations as not counted (the loopback server's threads).
pub fn exclude_this_thread() {
    EXCLUDED.with(|e| e.set(true));
}

/// Whether [`Counting`] is this binary's global allocator (it has seen an allocation).
pub fn installed() -> bool {
    // Allocate once so that an installed allocator has certainly been called.
    drop(std::hint::black_box(Box::new(0u64)));
    INSTALLED.load(Ordering::Relaxed)
}

/// Bytes currently allocated (by counted threads), relative to the start of the process.
pub fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// How many allocations (and growing reallocations) counted threads made since the start.
pub fn allocations() -> usize {
    COUNT.load(Ordering::Relaxed)
}

/// Measures the highest number of live bytes above the level at which it was opened. One probe
/// at a time.
#[derive(Debug)]
pub struct Probe {
    base: isize,
}

impl Probe {
    /// Starts measuring from the current level.
    pub fn start() -> Probe {
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        TRACKING.store(true, Ordering::Relaxed);
        Probe { base }
    }

    /// The highest level reached so far, in bytes above the starting level.
    pub fn peak(&self) -> usize {
        (PEAK.load(Ordering::Relaxed) - self.base).max(0) as usize
    }

    /// The current level, in bytes above the starting level (negative: less than at the start).
    pub fn now(&self) -> isize {
        LIVE.load(Ordering::Relaxed) - self.base
    }

    /// Stops measuring and returns the peak, in bytes above the starting level.
    pub fn finish(self) -> usize {
        let peak = self.peak();
        TRACKING.store(false, Ordering::Relaxed);
        peak
    }
}

/// Peak bytes above the starting level while `f` runs and its result is alive, and the bytes
/// its result keeps: the median of 3 runs (by peak).
pub fn peak_of(mut f: impl FnMut() -> Box<dyn std::any::Any>) -> (usize, usize) {
    let mut runs: Vec<(usize, usize)> = (0..3)
        .map(|_| {
            let probe = Probe::start();
            let out = f();
            let kept = probe.now().max(0) as usize;
            let peak = probe.finish();
            drop(out);
            (peak, kept)
        })
        .collect();
    runs.sort();
    runs[1]
}

/// Formats a byte count in MB (10^6 bytes) with two decimals.
pub fn mb(bytes: usize) -> String {
    format!("{:.2} MB", bytes as f64 / 1e6)
}
