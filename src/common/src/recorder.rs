//! Ambient recording: the primitives a lesson calls record themselves, the way
//! tokio-console's instrumented `spawn` and asyncio's task factory record tasks
//! without a line in the user's code.
//!
//! One instance runs on one thread, so "the task being polled now" is a
//! thread-local, set by the poll wrappers: [`Watched`] around a request's handler,
//! `task::spawn`'s wrapper around each task (`crate::task`), [`Call`] around an
//! outbound request. Whatever is awaited meanwhile (a timer, a yield, a
//! `JoinHandle`, a timeout race, a set-once future) reads it to say who awaits
//! what. Several requests on one instance interleave their polls; each poll sets
//! its own trace and restores the one before, so their records never mix.
//!
//! Why a recorder of our own rather than `tracing` spans with a subscriber (what
//! tokio-console builds on), weighed on 2026-12-02 on Spin 4.1 with a throwaway
//! component (numbers in issue 20's closing note): `tracing` 0.1 with
//! `tracing-subscriber`'s registry and a minimal layer that times enter/exit
//! added 37 KB to a 198 KB component and cost 3.9 us per span entered three
//! times. That is no cheaper than this module, whose whole cost (registering a
//! call, timing its polls, recording its answer, and the report) `make bench`
//! measures at about 8 us per upstream call against a bare fan-out; and spans
//! give neither the parent we need ("the task being polled when it was spawned"
//! still needs an instrumented spawn) nor the await graph, which would still be
//! built here. So the primitives write straight into the request's trace: a
//! poll costs two clock reads and two `RefCell` borrows, a task one `Vec` push.

//! Outside a [`Watched`] handler nothing is recorded: the primitives then behave
//! exactly like the plain ones they wrap, so a lesson's code runs unchanged in a
//! component of your own.

use crate::clock::Timeline;
use crate::trace::{Awaits, Outcome, Trace};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

thread_local! {
    /// The trace and task being polled now (`None` as the task: the handler).
    static CURRENT: RefCell<Option<(Trace, Option<usize>)>> = const { RefCell::new(None) };
    /// Whether the task being polled now has spawned a task during this poll.
    static SPAWNED_IN_THIS_POLL: Cell<bool> = const { Cell::new(false) };
}

/// Notes that the task being polled now spawned a task.
pub(crate) fn spawned() {
    SPAWNED_IN_THIS_POLL.set(true);
}

/// Whether the task being polled now spawned a task during this poll.
pub(crate) fn spawned_in_this_poll() -> bool {
    SPAWNED_IN_THIS_POLL.get()
}

/// The trace and task being polled now, if a watched handler is being polled.
pub(crate) fn current() -> Option<(Trace, Option<usize>)> {
    CURRENT.with_borrow(|current| current.clone())
}

/// Records that whatever is being polled now awaits `what`.
pub(crate) fn awaits(what: impl FnOnce() -> Awaits) {
    if let Some((trace, task)) = current() {
        trace.awaits(task, what());
    }
}

/// Records an event of whatever is being polled now (a task, or the handler).
pub(crate) fn event(what: impl FnOnce() -> String) {
    if let Some((trace, task)) = current() {
        trace.record_event(task, what());
    }
}

/// Counts a request sent out through the host by whatever is being polled now.
pub(crate) fn sent_outbound() {
    if let Some((trace, _)) = current() {
        trace.sent_outbound();
    }
}

/// Records that whatever is being polled now was resumed `late_ms` after what it
/// awaited became ready.
pub(crate) fn woken_late(late_ms: f64) {
    if late_ms > 0.0
        && let Some((trace, task)) = current()
    {
        trace.woken_late(task, late_ms);
    }
}

/// Makes `task` of `trace` the current one until the guard is dropped.
pub(crate) struct Entered(
    Option<(Trace, Option<usize>)>,
    #[allow(dead_code)] SpawnScope,
);

pub(crate) fn enter(trace: &Trace, task: Option<usize>) -> Entered {
    let previous = CURRENT.with_borrow_mut(|current| current.replace((trace.clone(), task)));
    Entered(previous, SpawnScope::new())
}

impl Drop for Entered {
    fn drop(&mut self) {
        let previous = self.0.take();
        CURRENT.with_borrow_mut(|current| *current = previous);
    }
}

/// One poll's view of [`spawned_in_this_poll`]: cleared for the poll, and what
/// the poll around it had seen restored when it ends.
pub(crate) struct SpawnScope(bool);

impl SpawnScope {
    pub(crate) fn new() -> Self {
        Self(SPAWNED_IN_THIS_POLL.replace(false))
    }
}

impl Drop for SpawnScope {
    fn drop(&mut self) {
        SPAWNED_IN_THIS_POLL.set(self.0);
    }
}

/// Lets the tasks spawned during a poll that ended `Pending` start now. The SDK's
/// executor (wit-bindgen 0.57) adds them to its set only after the poll, without
/// waking itself, so with nothing else due they would wait for the next event from
/// the host (the next answer or timer, possibly seconds later). Asking for one more
/// poll of the spawner makes the executor take another turn, in which they run
/// first: one spurious poll, where asyncio needs none.
pub(crate) fn run_what_was_spawned<T>(polled: &Poll<T>, cx: &Context<'_>) {
    if polled.is_pending() && SPAWNED_IN_THIS_POLL.get() {
        cx.waker().wake_by_ref();
    }
}

/// Polls `inner` as task `task` of `trace`, timing the poll into that task's
/// record (only the outermost of nested measurements of one task counts).
pub(crate) fn measured_poll<T>(
    trace: &Trace,
    timeline: Timeline,
    task: usize,
    poll: impl FnOnce() -> Poll<T>,
) -> Poll<T> {
    let from = timeline.exact_ms();
    let entry = trace.enter_poll(task, from);
    let output = poll();
    trace.leave_poll(task, entry, from, timeline.exact_ms());
    output
}

/// How a task's or a call's output is recorded: its outcome and what the report
/// shows of it.
pub trait Recordable {
    /// `Ok(result)` for a task that ended well, `Err(message)` for one that failed.
    fn recorded(&self) -> Result<Value, String>;

    /// When what was awaited was ready, by the wall clock, if the output says
    /// (an upstream reply carries the time it was answered): lets a late wake be
    /// measured.
    fn ready_unix_ms(&self) -> Option<f64> {
        None
    }
}

impl Recordable for () {
    fn recorded(&self) -> Result<Value, String> {
        Ok(Value::Null)
    }
}

impl Recordable for Value {
    fn recorded(&self) -> Result<Value, String> {
        Ok(self.clone())
    }
}

impl Recordable for bool {
    fn recorded(&self) -> Result<Value, String> {
        Ok(Value::Bool(*self))
    }
}

impl Recordable for usize {
    fn recorded(&self) -> Result<Value, String> {
        Ok(Value::from(*self))
    }
}

impl Recordable for u32 {
    fn recorded(&self) -> Result<Value, String> {
        Ok(Value::from(*self))
    }
}

impl<T: Recordable, E: std::fmt::Display> Recordable for Result<T, E> {
    fn recorded(&self) -> Result<Value, String> {
        match self {
            Ok(value) => value.recorded(),
            Err(error) => Err(error.to_string()),
        }
    }

    fn ready_unix_ms(&self) -> Option<f64> {
        self.as_ref().ok()?.ready_unix_ms()
    }
}

/// Records `output` as how `task` ended.
pub(crate) fn finish(trace: &Trace, task: usize, output: &impl Recordable) {
    let recorded = output.recorded();
    let outcome = if recorded.is_ok() {
        Outcome::Ok
    } else {
        Outcome::Error
    };
    trace.finished(task, outcome, recorded);
}

/// A request's handler, watched: while it is polled its trace is the current one
/// ([`Trace::watch`]).
pub struct Watched<F> {
    trace: Trace,
    inner: Pin<Box<F>>,
}

impl<F: Future> Watched<F> {
    pub(crate) fn handler(trace: Trace, inner: F) -> Self {
        Self {
            trace,
            inner: Box::pin(inner),
        }
    }
}

impl<F: Future> Future for Watched<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let _entered = enter(&this.trace, None);
        let polled = this.inner.as_mut().poll(cx);
        run_what_was_spawned(&polled, cx);
        polled
    }
}

/// An outbound request that records itself: at its first poll it registers (or
/// names the fresh task it is the body of, see [`Trace`]'s `call_record`), then
/// times its polls, records its answer, and, when dropped before the answer, that
/// it was cancelled: in Rust, dropping a future is how it is cancelled, and the
/// host drops the outbound request with it.
pub struct Call<F: Future + Unpin> {
    request: String,
    /// Boxed by whoever makes the call (one allocation per call, not two).
    inner: F,
    /// Set at the first poll inside a watched handler.
    record: Option<(Trace, Timeline, usize)>,
    polled: bool,
    answered: bool,
}

/// What a call dropped before its answer records.
pub const CALL_CANCELLED: &str = "cancelled before the upstream answered; the request was dropped";

impl<F: Future + Unpin> Call<F> {
    /// What the call requests (`GET /upstream?delay_ms=100`).
    pub fn request(&self) -> &str {
        &self.request
    }

    /// `request`: what the graph shows it awaits (`GET /upstream?delay_ms=100`).
    pub fn new(request: String, inner: F) -> Self {
        Self {
            request,
            inner,
            record: None,
            polled: false,
            answered: false,
        }
    }
}

impl<F: Future + Unpin> Future for Call<F>
where
    F::Output: Recordable,
{
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        if !this.polled {
            this.polled = true;
            if let Some((trace, current)) = current() {
                let (task, _new) = trace.call_record(current, &this.request);
                trace.awaits(
                    Some(task),
                    Awaits::Http {
                        request: this.request.clone(),
                    },
                );
                trace.started(task);
                let timeline = trace.timeline();
                this.record = Some((trace, timeline, task));
            }
        }
        let Some((trace, timeline, task)) = &this.record else {
            return Pin::new(&mut this.inner).poll(cx);
        };
        let inner = &mut this.inner;
        let output = measured_poll(trace, *timeline, *task, || Pin::new(inner).poll(cx));
        if let Poll::Ready(answer) = &output {
            this.answered = true;
            if let Some(ready) = answer.ready_unix_ms() {
                let late = crate::clock::unix_ms() - ready;
                if late > 0.0 {
                    trace.woken_late(Some(*task), late);
                }
            }
            finish(trace, *task, answer);
        }
        output
    }
}

impl<F: Future + Unpin> Drop for Call<F> {
    fn drop(&mut self) {
        if let Some((trace, _, task)) = &self.record
            && !self.answered
        {
            trace.finished(*task, Outcome::Cancelled, Err(CALL_CANCELLED.into()));
        }
    }
}
