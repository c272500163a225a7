//! The timeline clock: every time a demo reports is "milliseconds since the request
//! started", read from the monotonic clock (`wasi:clocks/monotonic-clock` inside a
//! component), as `time.monotonic()` would be in Python.

use std::time::{Duration, Instant};

/// A monotonic stopwatch started when a request arrives.
#[derive(Clone, Copy, Debug)]
pub struct Timeline {
    start: Instant,
}

impl Timeline {
    /// Starts the timeline now.
    pub fn start() -> Self {
        Self {
            start: Instant::now(),
        }
    }

    /// Time elapsed since the start.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Milliseconds since the start, not rounded: for timing polls, which are
    /// rounded only when reported.
    pub fn exact_ms(&self) -> f64 {
        self.elapsed().as_secs_f64() * 1000.0
    }

    /// Milliseconds since the start, rounded to 0.1 ms so JSON stays readable.
    pub fn now_ms(&self) -> f64 {
        millis(self.elapsed())
    }
}

/// Milliseconds since the Unix epoch, by the host's wall clock
/// (`wasi:clocks/wall-clock`): comparable between requests and instances.
pub fn unix_ms() -> f64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    millis(since_epoch)
}

/// A duration in milliseconds, rounded to 0.1 ms.
pub fn millis(duration: Duration) -> f64 {
    round_ms(duration.as_secs_f64() * 1000.0)
}

/// Milliseconds rounded to 0.1 ms, for times computed from other times.
pub fn round_ms(ms: f64) -> f64 {
    (ms * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_a_tenth_of_a_millisecond() {
        assert_eq!(millis(Duration::from_micros(1_234)), 1.2);
        assert_eq!(millis(Duration::from_micros(1_250)), 1.3);
        assert_eq!(millis(Duration::from_secs(2)), 2000.0);
        assert_eq!(round_ms(301.4 - 100.9), 200.5);
    }

    #[test]
    fn timeline_is_monotonic_and_measures_sleeps() {
        let timeline = Timeline::start();
        let first = timeline.now_ms();
        std::thread::sleep(Duration::from_millis(20));
        let second = timeline.now_ms();
        assert!(first >= 0.0);
        assert!(second - first >= 19.0, "{first} -> {second}");
    }
}
