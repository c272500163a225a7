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
use crate::trace::{At, Awaits, Outcome, Trace};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Wake, Waker};

thread_local! {
    /// The trace and task being polled now (`None` as the task: the handler).
    static CURRENT: RefCell<Option<(Trace, Option<usize>)>> = const { RefCell::new(None) };
    /// Whether the task being polled now has spawned a task during this poll.
    static SPAWNED_IN_THIS_POLL: Cell<bool> = const { Cell::new(false) };
    /// Where the outermost [`Located`] await being polled now sits: the line of
    /// the lesson that awaits (what the await graph and the replay show).
    static AWAIT_AT: Cell<Option<&'static Location<'static>>> = const { Cell::new(None) };
    /// Where the poll under way stopped: the await that last answered `Pending`.
    static PAUSED_AT: Cell<Option<&'static Location<'static>>> = const { Cell::new(None) };
}

/// Where an await polled now is, for its graph entry: the line of the outermost
/// [`Located`] await around it, else `caller` (the `.await` of a primitive whose
/// `poll` is `#[track_caller]`, or the call that made it).
pub(crate) fn await_at(caller: &'static Location<'static>) -> At {
    At::from(AWAIT_AT.get().unwrap_or(caller))
}

/// Notes that an await at `caller` answered `Pending`: the poll stops there,
/// unless a [`Located`] await around it says where.
pub(crate) fn paused(caller: &'static Location<'static>) {
    if AWAIT_AT.get().is_none() {
        PAUSED_AT.set(Some(caller));
    }
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

/// Records that whatever is being polled now awaits `what`, at `caller` (see
/// [`await_at`]).
pub(crate) fn awaits(what: impl FnOnce() -> Awaits, caller: &'static Location<'static>) {
    if let Some((trace, task)) = current() {
        trace.awaits(task, what(), Some(await_at(caller)));
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
pub(crate) struct Entered {
    previous: Option<(Trace, Option<usize>)>,
    _spawns: SpawnScope,
    /// The locations of the poll around this one, restored when this one ends.
    outer_at: [Option<&'static Location<'static>>; 2],
}

pub(crate) fn enter(trace: &Trace, task: Option<usize>) -> Entered {
    let previous = CURRENT.with_borrow_mut(|current| current.replace((trace.clone(), task)));
    Entered {
        previous,
        _spawns: SpawnScope::new(),
        outer_at: [AWAIT_AT.replace(None), PAUSED_AT.replace(None)],
    }
}

impl Entered {
    /// Where this poll stopped, if an await recorded it: the line the task waits at.
    pub(crate) fn paused_at(&self) -> Option<At> {
        PAUSED_AT.get().map(At::from)
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with_borrow_mut(|current| *current = previous);
        AWAIT_AT.set(self.outer_at[0]);
        PAUSED_AT.set(self.outer_at[1]);
    }
}

/// A future awaited at a line of a lesson, which the recorder notes: whatever the
/// future polls inside (the tasks of a `join_all`, the calls of a `select`) is
/// awaited at that line, and a poll that stops inside it stops there. What
/// `task::join_all` and the other located combinators return.
pub struct Located<F> {
    at: &'static Location<'static>,
    inner: Pin<Box<F>>,
}

impl<F: Future> Located<F> {
    /// `inner`, awaited at the caller's line.
    #[track_caller]
    pub fn here(inner: F) -> Self {
        Self {
            at: Location::caller(),
            inner: Box::pin(inner),
        }
    }
}

impl<F: Future> Future for Located<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let outermost = AWAIT_AT.get().is_none();
        if outermost {
            AWAIT_AT.set(Some(self.at));
        }
        let polled = self.inner.as_mut().poll(cx);
        if outermost {
            AWAIT_AT.set(None);
            if polled.is_pending() {
                PAUSED_AT.set(Some(self.at));
            }
        }
        polled
    }
}

/// A task's waker that notes when it was woken: the moment the task became ready
/// and joined the executor's queue, waiting for the thread (the replay's ready
/// queue). One per task, made again only when the executor's waker changes.
pub(crate) struct WakeNote {
    inner: Waker,
    timeline: Timeline,
    /// `f64` bits of the first wake since the last poll began (ms on the request's
    /// clock); 0: not woken.
    woken: AtomicU64,
}

impl WakeNote {
    /// The note for a poll with `cx`'s waker: `kept` when it wraps the same waker.
    pub(crate) fn for_poll(
        kept: &mut Option<Arc<Self>>,
        cx: &Context<'_>,
        timeline: Timeline,
    ) -> Arc<Self> {
        match kept {
            Some(note) if note.inner.will_wake(cx.waker()) => note.clone(),
            _ => {
                let woken = kept
                    .as_ref()
                    .map_or(0, |note| note.woken.load(Ordering::Relaxed));
                let note = Arc::new(Self {
                    inner: cx.waker().clone(),
                    timeline,
                    woken: AtomicU64::new(woken),
                });
                *kept = Some(note.clone());
                note
            }
        }
    }

    /// When the task was woken since its last poll began, clearing it.
    pub(crate) fn take_woken(&self) -> Option<f64> {
        match self.woken.swap(0, Ordering::Relaxed) {
            0 => None,
            bits => Some(f64::from_bits(bits)),
        }
    }
}

impl Wake for WakeNote {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let now = self.timeline.exact_ms().max(f64::MIN_POSITIVE);
        let _ = self
            .woken
            .compare_exchange(0, now.to_bits(), Ordering::Relaxed, Ordering::Relaxed);
        self.inner.wake_by_ref();
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

/// Polls `inner` as task `task` of `trace` (`None`: the handler), timing the poll
/// into that task's record (only the outermost of nested measurements of one task
/// counts) and logging it as a step: `ready_ms`, when it was woken for it;
/// `paused`, where it stopped when it ended `Pending`.
pub(crate) fn measured_poll<T>(
    trace: &Trace,
    timeline: Timeline,
    task: Option<usize>,
    ready_ms: Option<f64>,
    poll: impl FnOnce() -> Poll<T>,
    paused: impl FnOnce() -> Option<At>,
) -> Poll<T> {
    let from = timeline.exact_ms();
    let entry = trace.enter_poll(task, from, ready_ms);
    let output = poll();
    let at = if output.is_pending() { paused() } else { None };
    trace.leave_poll(task, entry, from, timeline.exact_ms(), at);
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
    wake_note: Option<Arc<WakeNote>>,
}

impl<F: Future> Watched<F> {
    pub(crate) fn handler(trace: Trace, inner: F) -> Self {
        Self {
            trace,
            inner: Box::pin(inner),
            wake_note: None,
        }
    }
}

impl<F: Future> Future for Watched<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let timeline = this.trace.timeline();
        let note = WakeNote::for_poll(&mut this.wake_note, cx, timeline);
        let waker = Waker::from(note.clone());
        let mut noted = Context::from_waker(&waker);
        let entered = enter(&this.trace, None);
        let inner = &mut this.inner;
        let polled = measured_poll(
            &this.trace,
            timeline,
            None,
            note.take_woken(),
            || inner.as_mut().poll(&mut noted),
            || entered.paused_at(),
        );
        run_what_was_spawned(&polled, &noted);
        drop(entered);
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

    #[track_caller]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let caller = Location::caller();
        if !this.polled {
            this.polled = true;
            if let Some((trace, current)) = current() {
                let (task, _new) = trace.call_record(current, &this.request);
                trace.awaits(
                    Some(task),
                    Awaits::Http {
                        request: this.request.clone(),
                    },
                    Some(await_at(caller)),
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
        let at = await_at(caller);
        let output = measured_poll(
            trace,
            *timeline,
            Some(*task),
            None,
            || Pin::new(inner).poll(cx),
            || Some(at),
        );
        if output.is_pending() {
            paused(caller);
        }
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
