//! The asyncio primitives the SDK lacks, on top of WASI 0.3: tasks with handles
//! (`create_task`, `task.cancel()`), a sleep that always yields, one turn of the
//! loop, the timeout race (`wait_for`) and a set-once future (`loop.create_future`).
//!
//! `spin_sdk::wasip3::spawn` runs a future concurrently within the current request
//! (on the same thread, like `asyncio.create_task` on the same loop) but returns no
//! handle. [`spawn`] adds one: awaiting the [`JoinHandle`] gives the task's output,
//! and [`JoinHandle::cancel`] stops the task at its next await point.
//!
//! Each of these records itself when it runs inside a watched handler
//! (`crate::recorder`): a spawned task registers under the task that spawned it
//! and times its polls, and what is awaited says so. Outside one they are the
//! plain primitives, with nothing recorded.

use crate::recorder::{self, Located, Recordable, WakeNote};
use crate::trace::{Awaits, Outcome, Trace};
use std::cell::RefCell;
use std::future::Future;
use std::panic::Location;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// The helpers a lesson's region may name, each with the source a report links
/// to (`helpers`): the needle found in the region's code, and the lines of this
/// file (or `upstream.rs`) that define it. Lines only: the text is read at compile
/// time and left out of the component (32 KB of every demo's .wasm otherwise).
pub const HELPERS: &[(&str, crate::lesson::SourceRef)] = &[
    (
        "task::spawn",
        crate::lesson::Region::cut(file!(), include_str!("task.rs"), "spawn").source(),
    ),
    (
        "task::sleep",
        crate::lesson::Region::cut(file!(), include_str!("task.rs"), "sleep").source(),
    ),
    (
        "task::yield_now",
        crate::lesson::Region::cut(file!(), include_str!("task.rs"), "yield_now").source(),
    ),
    (
        "task::call_soon",
        crate::lesson::Region::cut(file!(), include_str!("task.rs"), "call_soon").source(),
    ),
    (
        "task::timeout",
        crate::lesson::Region::cut(file!(), include_str!("task.rs"), "timeout").source(),
    ),
    (
        "task::shield",
        crate::lesson::Region::cut(file!(), include_str!("task.rs"), "shield").source(),
    ),
    (
        "SetOnce",
        crate::lesson::Region::cut(file!(), include_str!("task.rs"), "set_once").source(),
    ),
    ("Fetch", crate::upstream::FETCH),
];

/// What a task cancelled before its first poll records.
pub const CANCELLED_BEFORE_IT_RAN: &str = "cancelled before it ever ran";
/// What a task cancelled at an await records.
pub const CANCELLED_AT_AN_AWAIT: &str = "cancelled at its await";

/// The state a task shares with its handle.
struct Shared<T> {
    output: Option<T>,
    /// The task ended: with its output, or cancelled.
    ended: bool,
    cancel_requested: bool,
    /// Wakes the task (to deliver a cancel) and whoever awaits its handle.
    task_waker: Option<Waker>,
    joiner: Option<Waker>,
}

/// The handle of a spawned task, like an `asyncio.Task`.
pub struct JoinHandle<T> {
    shared: Rc<RefCell<Shared<T>>>,
    /// Its record, when it was spawned inside a watched handler.
    record: Option<(Trace, usize)>,
    awaited: bool,
}

impl<T> std::fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let task = self.record.as_ref().map(|(_, task)| task);
        f.debug_struct("JoinHandle").field("task", &task).finish()
    }
}

/// Awaiting a task that was cancelled: the counterpart of `CancelledError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cancelled")
    }
}

// region: spawn
/// Starts `work` as a task of its own, like `asyncio.create_task(coro)`. It begins
/// at the next await of the caller (the executor polls spawned tasks when the
/// current one yields), and runs even if nobody awaits its handle.
pub fn spawn<T: Recordable + 'static>(work: impl Future<Output = T> + 'static) -> JoinHandle<T> {
    spawn_as(None, work)
}

/// [`spawn`] with a name, like `asyncio.create_task(coro, name=...)`.
pub fn spawn_named<T: Recordable + 'static>(
    name: impl Into<String>,
    work: impl Future<Output = T> + 'static,
) -> JoinHandle<T> {
    spawn_as(Some(name.into()), work)
}
// endregion: spawn

fn spawn_as<T: Recordable + 'static>(
    name: Option<String>,
    work: impl Future<Output = T> + 'static,
) -> JoinHandle<T> {
    // A task made of one upstream call is labelled by its request at once, even if
    // it never runs (the call still adopts it at its first poll), as asyncio's task
    // factory sees the coroutine it wraps.
    let call_label = (&work as &dyn std::any::Any)
        .downcast_ref::<crate::upstream::Fetch>()
        .map(|call| call.request().to_owned());
    let shared = Rc::new(RefCell::new(Shared {
        output: None,
        ended: false,
        cancel_requested: false,
        task_waker: None,
        joiner: None,
    }));
    recorder::spawned();
    // The spawning task is its parent: whichever is being polled now.
    let record = recorder::current().map(|(trace, parent)| {
        let task = trace.add_task(name, parent);
        if let Some(label) = call_label {
            trace.label_unnamed(task, label);
        }
        (trace, task)
    });
    spin_sdk::wasip3::spawn(Task {
        work: Some(Box::pin(work)),
        shared: shared.clone(),
        record: record.clone(),
        polled: false,
        wake_note: None,
    });
    JoinHandle {
        shared,
        record,
        awaited: false,
    }
}

/// A spawned task's future: delivers cancels, records the task's polls and end.
struct Task<F: Future> {
    work: Option<Pin<Box<F>>>,
    shared: Rc<RefCell<Shared<F::Output>>>,
    record: Option<(Trace, usize)>,
    polled: bool,
    /// Its waker, noting when it is woken (recorded tasks only).
    wake_note: Option<Arc<WakeNote>>,
}

impl<F: Future> Task<F> {
    /// Drops the work (and whatever it was awaiting) and records the cancel.
    fn cancel_now(&mut self) {
        let Some(work) = self.work.take() else {
            return;
        };
        match &self.record {
            Some((trace, task)) => {
                let _entered = recorder::enter(trace, Some(*task));
                drop(work);
                let why = if self.polled {
                    CANCELLED_AT_AN_AWAIT
                } else {
                    CANCELLED_BEFORE_IT_RAN
                };
                trace.finished(*task, Outcome::Cancelled, Err(why.into()));
            }
            None => drop(work),
        }
        self.end();
    }

    fn end(&self) {
        let mut shared = self.shared.borrow_mut();
        shared.ended = true;
        if let Some(joiner) = shared.joiner.take() {
            joiner.wake();
        }
    }
}

impl<F: Future> Future for Task<F>
where
    F::Output: Recordable,
{
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        // A recorded task is polled with a waker that notes when it is woken.
        match this.record.as_ref().map(|(trace, _)| trace.timeline()) {
            Some(timeline) => {
                let note = WakeNote::for_poll(&mut this.wake_note, cx, timeline);
                let waker = Waker::from(note.clone());
                this.step(&mut Context::from_waker(&waker), note.take_woken())
            }
            None => this.step(cx, None),
        }
    }
}

impl<F: Future> Task<F>
where
    F::Output: Recordable,
{
    /// One poll of the task, woken for it at `woken` (when recorded).
    fn step(&mut self, cx: &mut Context<'_>, woken: Option<f64>) -> Poll<()> {
        let this = self;
        {
            let mut shared = this.shared.borrow_mut();
            if !shared.cancel_requested {
                match &shared.task_waker {
                    Some(waker) if waker.will_wake(cx.waker()) => {}
                    _ => shared.task_waker = Some(cx.waker().clone()),
                }
            }
        }
        if this.shared.borrow().cancel_requested {
            this.cancel_now();
            return Poll::Ready(());
        }
        let Some(work) = this.work.as_mut() else {
            return Poll::Ready(());
        };
        let output = match &this.record {
            Some((trace, task)) => {
                let entered = recorder::enter(trace, Some(*task));
                if !this.polled {
                    trace.started(*task);
                }
                let output = recorder::measured_poll(
                    trace,
                    trace.timeline(),
                    Some(*task),
                    woken,
                    || work.as_mut().poll(cx),
                    || entered.paused_at(),
                );
                recorder::run_what_was_spawned(&output, cx);
                output
            }
            None => {
                let _scope = recorder::SpawnScope::new();
                let output = work.as_mut().poll(cx);
                recorder::run_what_was_spawned(&output, cx);
                output
            }
        };
        this.polled = true;
        match output {
            Poll::Ready(output) => {
                this.work = None;
                if let Some((trace, task)) = &this.record {
                    recorder::finish(trace, *task, &output);
                }
                this.shared.borrow_mut().output = Some(output);
                this.end();
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<F: Future> Drop for Task<F> {
    fn drop(&mut self) {
        // Dropped unfinished: the request ended with the task still pending.
        if let Some(work) = self.work.take() {
            drop(work);
            if let Some((trace, task)) = &self.record {
                trace.finished(*task, Outcome::Cancelled, Err(CANCELLED_AT_AN_AWAIT.into()));
            }
            self.end();
        }
    }
}

impl<T> JoinHandle<T> {
    /// Asks the task to stop, as `task.cancel()` does: it stops at its next await
    /// point (a task never stops in the middle of a step). Returns false, changing
    /// nothing, when the task has already ended.
    pub fn cancel(&self) -> bool {
        let accepted = {
            let mut shared = self.shared.borrow_mut();
            if shared.ended || shared.cancel_requested {
                false
            } else {
                shared.cancel_requested = true;
                if let Some(waker) = shared.task_waker.take() {
                    waker.wake();
                }
                true
            }
        };
        if let Some((trace, task)) = &self.record {
            let what = if accepted {
                "cancel() returned true: it stops at its next await"
            } else {
                "cancel() returned false: it had already ended"
            };
            trace.event(*task, what);
        }
        accepted
    }

    /// True once the task ended, with its output or cancelled (`task.done()`).
    pub fn is_finished(&self) -> bool {
        self.shared.borrow().ended
    }
}

impl<T, E: From<Cancelled>> JoinHandle<Result<T, E>> {
    /// The task's own answer, a cancel counted as one more error: what `await task`
    /// returns or raises in asyncio (`CancelledError` for a cancelled task).
    #[track_caller]
    pub fn outcome(self) -> Located<impl Future<Output = Result<T, E>>> {
        Located::here(async move { self.await.unwrap_or_else(|cancelled| Err(cancelled.into())) })
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, Cancelled>;

    // `#[track_caller]`: the location is the `.await` that polls it.
    #[track_caller]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let caller = Location::caller();
        if !self.awaited {
            self.awaited = true;
            if let Some((_, task)) = &self.record {
                let task = *task;
                recorder::awaits(|| Awaits::Task { task }, caller);
            }
        }
        let mut shared = self.shared.borrow_mut();
        if let Some(output) = shared.output.take() {
            return Poll::Ready(Ok(output));
        }
        if shared.ended {
            return Poll::Ready(Err(Cancelled));
        }
        shared.joiner = Some(cx.waker().clone());
        recorder::paused(caller);
        Poll::Pending
    }
}

// region: sleep
/// Suspends the current task for `duration`, like `asyncio.sleep`. A zero
/// duration still gives the other ready tasks their turn, as `asyncio.sleep(0)`
/// does ([`yield_now`]); `spin_sdk::time::sleep(0)` returns without yielding.
#[track_caller]
pub fn sleep(duration: Duration) -> Located<impl Future<Output = ()>> {
    let at = Location::caller();
    Located::here(async move {
        recorder::event(|| format!("sleep({} ms)", duration.as_millis()));
        if duration.is_zero() {
            return yield_now().await;
        }
        recorder::awaits(
            || Awaits::Timer {
                ms: duration.as_millis() as u64,
            },
            at,
        );
        let deadline = Instant::now() + duration;
        spin_sdk::time::sleep(duration).await;
        let late = Instant::now().saturating_duration_since(deadline);
        recorder::woken_late(late.as_secs_f64() * 1000.0);
    })
}
// endregion: sleep

// region: yield_now
/// One turn of the loop, like `await asyncio.sleep(0)`: every task that is ready
/// now runs its next step before this one resumes.
///
/// The SDK's executor polls its tasks in wake order: one `yield_async` puts this
/// task behind every task already waiting for its turn. Tasks spawned during this
/// poll join the queue only when the poll returns, behind it, so a task that has
/// just spawned yields a second time to let them run first, as asyncio's ready
/// queue would.
#[track_caller]
pub fn yield_now() -> Located<impl Future<Output = ()>> {
    let at = Location::caller();
    Located::here(async move {
        recorder::awaits(|| Awaits::Yield, at);
        let behind_new_tasks = recorder::spawned_in_this_poll();
        spin_sdk::wit_bindgen::yield_async().await;
        if behind_new_tasks {
            spin_sdk::wit_bindgen::yield_async().await;
        }
    })
}
// endregion: yield_now

// region: call_soon
/// Runs `callback` at the loop's next turn, behind the tasks that are ready now,
/// like `loop.call_soon(callback)`: a future of one step, which the executor polls
/// once this task yields. It is no task: nothing awaits it, and it has no handle.
pub fn call_soon(callback: impl FnOnce() + 'static) {
    spawn_one_step(callback)
}
// endregion: call_soon

/// [`call_soon`]'s step, spawned (`spin_sdk::wasip3::spawn`) and recorded: the
/// run's events say when it ran.
fn spawn_one_step(callback: impl FnOnce() + 'static) {
    let trace = recorder::current().map(|(trace, _)| trace);
    recorder::spawned(); // a yield_now in this step yields behind it, as behind a new task
    spin_sdk::wasip3::spawn(async move {
        if let Some(trace) = trace {
            trace.note("call_soon callback ran");
        }
        callback();
    });
}

/// The timer won the race: the counterpart of `asyncio.TimeoutError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimedOut;

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("timed out")
    }
}

// region: timeout
/// Runs `work` for at most `limit`, like `asyncio.wait_for`: when the timer fires
/// first, `work` is dropped, which cancels whatever it was awaiting (an outbound
/// request included). Lesson 09 (`src/tour/09-timeout`) writes this race out.
#[track_caller]
pub fn timeout<T>(
    limit: Duration,
    work: impl Future<Output = T>,
) -> Located<impl Future<Output = Result<T, TimedOut>>> {
    Located::here(async move {
        Race {
            work: pin!(work),
            timer: pin!(spin_sdk::time::sleep(limit)),
            timer_ms: limit.as_millis() as u64,
            recorded_at: None,
        }
        .await
    })
}

/// [`timeout`] when there is a limit, plain `work.await` when there is none
/// (`asyncio.wait(..., timeout=None)`).
#[track_caller]
pub fn timeout_if<T>(
    limit: Option<Duration>,
    work: impl Future<Output = T>,
) -> Located<impl Future<Output = Result<T, TimedOut>>> {
    Located::here(async move {
        match limit {
            Some(limit) => timeout(limit, work).await,
            None => Ok(work.await),
        }
    })
}
// endregion: timeout

/// The work against the timer; what the work awaits is recorded inside the race.
struct Race<W, S> {
    work: W,
    timer: S,
    timer_ms: u64,
    /// Where this race sits in its task's awaits, once recorded.
    recorded_at: Option<usize>,
}

impl<T, W, S> Future for Race<Pin<&mut W>, Pin<&mut S>>
where
    W: Future<Output = T>,
    S: Future<Output = ()>,
{
    type Output = Result<T, TimedOut>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let current = recorder::current();
        if let Some((trace, task)) = &current {
            let line = recorder::await_at(Location::caller());
            let at = trace.open_race(*task, self.timer_ms, self.recorded_at, line);
            self.recorded_at = Some(at);
        }
        let work = self.work.as_mut().poll(cx);
        if let Some((trace, _)) = &current {
            trace.close_race();
        }
        if let Poll::Ready(output) = work {
            return Poll::Ready(Ok(output));
        }
        let timer = self.timer.as_mut().poll(cx);
        if timer.is_ready()
            && let Some((trace, task)) = current
        {
            let what = format!("TimeoutError: the {} ms timer won the race", self.timer_ms);
            trace.record_event(task, what);
        }
        timer.map(|()| Err(TimedOut))
    }
}

// region: shield
/// Awaits a task without owning it, like `asyncio.shield(task)`: when the waiter
/// gives up (a timeout drops this future), only the borrow goes; the task runs on
/// and can still be awaited. (A `JoinHandle` dropped does not cancel its task
/// either: it detaches it. Only `cancel()` stops a task.)
pub fn shield<T>(task: &mut JoinHandle<T>) -> Shield<'_, T> {
    Shield {
        task,
        recorded: false,
    }
}
// endregion: shield

/// The future [`shield`] returns.
pub struct Shield<'a, T> {
    task: &'a mut JoinHandle<T>,
    recorded: bool,
}

impl<T> Future for Shield<'_, T> {
    type Output = Result<T, Cancelled>;

    #[track_caller]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let caller = Location::caller();
        let this = &mut *self;
        if !this.recorded {
            this.recorded = true;
            if let Some((_, task)) = &this.task.record {
                let task = *task;
                recorder::awaits(|| Awaits::Shield { task }, caller);
            }
        }
        // The handle's own await is recorded only when awaited directly.
        this.task.awaited = true;
        let polled = Pin::new(&mut *this.task).poll(cx);
        this.task.awaited = false;
        if polled.is_pending() {
            recorder::paused(caller);
        }
        polled
    }
}

// region: set_once
/// A value that does not exist yet, set once and awaited by any number of tasks:
/// `asyncio.Future` (`loop.create_future()`). It ends with a result (`T`) or an
/// exception (`E`); clones share the one future.
pub struct SetOnce<T, E> {
    state: Rc<RefCell<FutureState<T, E>>>,
}

struct FutureState<T, E> {
    outcome: Option<Result<T, E>>,
    waiters: Vec<Waker>,
    /// What the await graph shows of it: bookkeeping, not the idea.
    seen: Seen,
}
// endregion: set_once

/// A future's name in the await graph (`fut`, `fut 1`, ...), the task that set it,
/// and the trace it is in.
struct Seen {
    name: String,
    set_by: Option<usize>,
    trace: Option<Trace>,
}

impl<T, E> Clone for SetOnce<T, E> {
    fn clone(&self) -> Self {
        Self {
            state: self.state.clone(),
        }
    }
}

/// A second `set_result`, or `exception()` on a pending future: the counterpart
/// of `asyncio.InvalidStateError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvalidState {
    AlreadySet,
    NotSetYet,
}

impl std::fmt::Display for InvalidState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::AlreadySet => "InvalidStateError: the future is already done",
            Self::NotSetYet => "InvalidStateError: the future is not done yet",
        })
    }
}

impl<T: Clone + 'static, E: Clone + 'static> SetOnce<T, E> {
    /// A pending future.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        let current = recorder::current();
        let name = current
            .as_ref()
            .map_or_else(|| "fut".to_owned(), |(trace, _)| trace.name_future());
        if let Some((trace, task)) = &current {
            trace.record_event(*task, format!("create_future(): {name} is pending"));
        }
        let trace = current.map(|(trace, _)| trace);
        Self {
            state: Rc::new(RefCell::new(FutureState {
                outcome: None,
                waiters: Vec::new(),
                seen: Seen {
                    name,
                    set_by: None,
                    trace,
                },
            })),
        }
    }

    /// Sets the value and wakes every waiter; a second call is refused, as
    /// `fut.set_result` raises `InvalidStateError` on a done future.
    pub fn set_result(&self, value: T) -> Result<(), InvalidState> {
        self.settle(Ok(value), "set_result()")
    }

    /// Ends the future with an exception, which every waiter receives
    /// (`fut.set_exception(error)`); refused, as a second `set_result` is, once done.
    pub fn set_exception(&self, error: E) -> Result<(), InvalidState> {
        self.settle(Err(error), "set_exception()")
    }

    fn settle(&self, outcome: Result<T, E>, how: &str) -> Result<(), InvalidState> {
        let mut state = self.state.borrow_mut();
        let accepted = state.outcome.is_none();
        if let Some((trace, task)) = recorder::current()
            && state.seen.trace.is_some()
        {
            if accepted {
                state.seen.set_by = task;
                trace.future_set(&state.seen.name, task);
            }
            let what = if accepted {
                format!("{how}: the future is done; its waiters wake")
            } else {
                format!("{how} again: refused with InvalidStateError")
            };
            trace.record_event(task, what);
        }
        if !accepted {
            return Err(InvalidState::AlreadySet);
        }
        state.outcome = Some(outcome);
        for waiter in state.waiters.drain(..) {
            waiter.wake();
        }
        Ok(())
    }

    /// True once a result or an exception is set (`fut.done()`).
    pub fn done(&self) -> bool {
        self.state.borrow().outcome.is_some()
    }

    /// The exception the future ended with, `None` when it ended with a result
    /// (`fut.exception()`); refused while it is pending, as asyncio refuses it.
    pub fn exception(&self) -> Result<Option<E>, InvalidState> {
        match &self.state.borrow().outcome {
            None => Err(InvalidState::NotSetYet),
            Some(outcome) => Ok(outcome.as_ref().err().cloned()),
        }
    }

    /// Waits for the outcome (`await fut`): every waiter gets a clone of the result,
    /// or of the exception as an `Err`.
    #[track_caller]
    pub fn result(&self) -> impl Future<Output = Result<T, E>> + use<T, E> {
        let state = self.state.clone();
        let at = Location::caller();
        let mut recorded = false;
        std::future::poll_fn(move |cx| {
            let mut state = state.borrow_mut();
            if !recorded {
                recorded = true;
                let (name, set_by) = (state.seen.name.clone(), state.seen.set_by);
                recorder::awaits(|| Awaits::Future { name, set_by }, at);
            }
            match &state.outcome {
                Some(outcome) => Poll::Ready(outcome.clone()),
                None => {
                    state.waiters.push(cx.waker().clone());
                    recorder::paused(at);
                    Poll::Pending
                }
            }
        })
    }

    /// Calls `callback` with the outcome once the future is done, on a later turn
    /// of the loop, not inside `set_result` (`fut.add_done_callback(fn)`, which
    /// asyncio schedules with `call_soon`). Callbacks run in the order they were
    /// added, each as a step of its own that no task awaits.
    pub fn add_done_callback(&self, callback: impl FnOnce(Result<T, E>) + 'static) {
        let done = self.result();
        let seen = self.state.borrow().seen.trace.clone();
        let name = self.state.borrow().seen.name.clone();
        // Unwatched: a callback is no task of the trace; it leaves an event.
        recorder::spawned();
        spin_sdk::wasip3::spawn(async move {
            let outcome = done.await;
            if let Some(trace) = seen {
                trace.note(format!("done callback of {name} ran"));
            }
            callback(outcome);
        });
    }
}

// The combinators of `futures` a lesson awaits, each awaited at the caller's line
// ([`Located`]): the same futures, so that the await graph and the replay can say
// which line of the lesson a task waits at while they poll what they hold.

/// `futures::future::join_all`: every future's output, in order.
#[track_caller]
pub fn join_all<I>(futures: I) -> Located<futures::future::JoinAll<I::Item>>
where
    I: IntoIterator,
    I::Item: Future,
{
    Located::here(futures::future::join_all(futures))
}

/// `futures::future::try_join_all`: every output, or the first error (the others
/// are dropped, which cancels them).
#[track_caller]
pub fn try_join_all<I>(futures: I) -> Located<futures::future::TryJoinAll<I::Item>>
where
    I: IntoIterator,
    I::Item: futures::TryFuture,
{
    Located::here(futures::future::try_join_all(futures))
}

/// `futures::future::select`: the first of two futures to finish, and the other.
#[track_caller]
pub fn select<A, B>(a: A, b: B) -> Located<futures::future::Select<A, B>>
where
    A: Future + Unpin,
    B: Future + Unpin,
{
    Located::here(futures::future::select(a, b))
}

/// `futures::StreamExt::next` for the streams a lesson reads (a
/// `FuturesUnordered`): the next item, awaited at the caller's line. Import this
/// trait instead of `futures::StreamExt`.
pub trait StreamExt: futures::Stream + Unpin + Sized {
    #[track_caller]
    fn next(&mut self) -> Located<futures::stream::Next<'_, Self>> {
        Located::here(futures::StreamExt::next(self))
    }
}

impl<S: futures::Stream + Unpin> StreamExt for S {}
