//! CPU-bound work, measured: the same kernel for the demos that burn CPU inline and
//! for the worker they offload it to, so "the same work" means the same here and
//! there.
//!
//! The kernel is xorshift64 (Marsaglia): cheap, and each step needs the one before,
//! so it cannot be vectorised or skipped.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Steps taken between two looks at the clock in [`burn_for`].
const STEPS_PER_CLOCK_CHECK: u64 = 10_000;

fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

/// Runs `iterations` steps; no awaits, no host calls.
pub fn spin(iterations: u64) {
    let mut state = black_box(0x2545_f491_4f6c_dd1d_u64);
    for _ in 0..iterations {
        state = xorshift(state);
    }
    black_box(state);
}

/// Runs steps until `duration` has passed; returns how many it took.
pub fn burn_for(duration: Duration) -> u64 {
    let started = Instant::now();
    let mut iterations = 0;
    while started.elapsed() < duration {
        spin(STEPS_PER_CLOCK_CHECK);
        iterations += STEPS_PER_CLOCK_CHECK;
    }
    iterations
}

/// How many steps this machine runs per millisecond: the best rate seen over
/// `sample`, timing chunks large enough that reading the clock (a host call)
/// costs nothing next to them, and the best chunk skips any pause of the thread.
pub fn iterations_per_ms(sample: Duration) -> f64 {
    const CHUNK: u64 = 1_000_000;
    let started = Instant::now();
    let mut best: f64 = 0.0;
    while best == 0.0 || started.elapsed() < sample {
        let chunk_started = Instant::now();
        spin(CHUNK);
        let ms = chunk_started.elapsed().as_secs_f64() * 1000.0;
        best = best.max(CHUNK as f64 / ms.max(0.000_001));
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burns_for_the_time_asked() {
        let started = Instant::now();
        assert!(burn_for(Duration::from_millis(30)) > 0);
        assert!(started.elapsed() >= Duration::from_millis(30));
    }

    #[test]
    fn a_calibrated_count_takes_about_the_time_it_was_calibrated_for() {
        let per_ms = iterations_per_ms(Duration::from_millis(20));
        let started = Instant::now();
        spin((per_ms * 40.0) as u64);
        let took = started.elapsed().as_secs_f64() * 1000.0;
        assert!(
            (10.0..400.0).contains(&took),
            "40 ms of steps took {took} ms"
        );
    }
}
