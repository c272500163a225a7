//! How long a task held the thread: its polls.
//!
//! asyncio: the event loop runs one task's step at a time, from one `await` to the
//! next; a step that takes long (a blocking call, CPU work) holds the loop, and
//! asyncio's debug mode warns about it ("Executing <Task> took 0.2 seconds").
//! Rust: a step is one call of `Future::poll`. The recorder's task and call
//! wrappers (`crate::recorder`) time each poll on the request's clock, as
//! tokio-console does: how many
//! polls, the time inside them (busy) against the time between them (waiting), the
//! longest one, and the busy segments themselves, so a timeline can draw a task
//! running (solid) over waiting (faint).

use serde::Serialize;

/// Polls closer than this are drawn as one busy segment: a task that polls
/// several times in a row without waiting for anything is running all along.
pub const MERGE_GAP_MS: f64 = 0.5;
/// At most this many segments per task; later ones are merged into the last.
pub const MAX_SEGMENTS: usize = 64;
/// At most this many polls of a request are logged one by one, in the order
/// they started (`Trace::poll_log`).
pub const MAX_POLLS_LOGGED: usize = 8192;
/// A poll longer than this is a long poll: the task held the thread, and nothing
/// else on the instance ran meanwhile. (asyncio's debug mode warns about steps over
/// `loop.slow_callback_duration`, 100 ms by default; 10 ms already stalls a server.)
pub const LONG_POLL_MS: f64 = 10.0;

/// What the polls of one task added up to.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PollStats {
    pub polls: u32,
    /// Time spent inside `poll`, in ms.
    pub busy_ms: f64,
    pub longest_poll_ms: f64,
    /// `[from_ms, to_ms]` on the request's clock, merged and capped.
    pub busy: Vec<[f64; 2]>,

    /// How many measured polls of this task are under way now: only the
    /// outermost one counts, so a measured call inside a measured task is not
    /// counted twice.
    #[serde(skip)]
    depth: u32,
}

impl PollStats {
    /// Counts one poll that ran from `from_ms` to `to_ms`.
    pub fn record(&mut self, from_ms: f64, to_ms: f64) {
        let took = (to_ms - from_ms).max(0.0);
        self.polls += 1;
        self.busy_ms += took;
        self.longest_poll_ms = self.longest_poll_ms.max(took);
        let full = self.busy.len() >= MAX_SEGMENTS;
        match self.busy.last_mut() {
            Some(last) if full || from_ms - last[1] < MERGE_GAP_MS => last[1] = to_ms,
            _ => self.busy.push([from_ms, to_ms]),
        }
    }

    /// Starts a measured poll; true when it is the outermost one of this task
    /// (a call that is its task's body polls inside the task's own measurement).
    pub fn enter(&mut self) -> bool {
        self.depth += 1;
        self.depth == 1
    }

    /// Ends the poll [`Self::enter`] started, counting it when it was the outermost.
    pub fn leave(&mut self, outermost: bool, from_ms: f64, to_ms: f64) {
        self.depth -= 1;
        if outermost {
            self.record(from_ms, to_ms);
        }
    }

    /// The same, with times rounded for the report.
    pub fn rounded(&self) -> Self {
        let round = crate::clock::round_ms;
        Self {
            polls: self.polls,
            busy_ms: round(self.busy_ms),
            longest_poll_ms: round(self.longest_poll_ms),
            busy: self
                .busy
                .iter()
                .map(|[from, to]| [round(*from), round(*to)])
                .collect(),
            depth: 0,
        }
    }
}

/// The union of several tasks' busy segments, in time order: when this request's
/// code ran on the instance's thread.
pub fn union(segments: impl IntoIterator<Item = [f64; 2]>) -> Vec<[f64; 2]> {
    let mut sorted: Vec<[f64; 2]> = segments.into_iter().collect();
    sorted.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let mut merged: Vec<[f64; 2]> = Vec::new();
    for [from, to] in sorted {
        match merged.last_mut() {
            Some(last) if from - last[1] < MERGE_GAP_MS => last[1] = last[1].max(to),
            _ => merged.push([from, to]),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_polls_merge_and_far_ones_do_not() {
        let mut stats = PollStats::default();
        stats.record(0.0, 1.0);
        stats.record(1.2, 2.0);
        stats.record(10.0, 30.0);
        assert_eq!(stats.polls, 3);
        assert_eq!(stats.busy, vec![[0.0, 2.0], [10.0, 30.0]]);
        assert!((stats.busy_ms - 21.8).abs() < 1e-9);
        assert_eq!(stats.longest_poll_ms, 20.0);
    }

    #[test]
    fn segments_are_capped() {
        let mut stats = PollStats::default();
        for i in 0..(MAX_SEGMENTS * 2) {
            let at = i as f64 * 10.0;
            stats.record(at, at + 1.0);
        }
        assert_eq!(stats.busy.len(), MAX_SEGMENTS);
        assert_eq!(
            stats.busy.last().unwrap()[1],
            (MAX_SEGMENTS * 2 - 1) as f64 * 10.0 + 1.0
        );
        assert_eq!(stats.polls as usize, MAX_SEGMENTS * 2);
    }

    #[test]
    fn the_union_merges_overlaps() {
        let merged = union([[5.0, 8.0], [0.0, 2.0], [1.0, 3.0], [8.2, 9.0]]);
        assert_eq!(merged, vec![[0.0, 3.0], [5.0, 9.0]]);
    }
}
