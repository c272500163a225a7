//! Tasks with handles, timers that race work, and CPU steps: the asyncio task API
//! (`create_task`, `task.cancel()`, `wait_for`) on top of WASI 0.3.
//!
//! `spin_sdk::wasip3::spawn` runs a future concurrently within the current request
//! (on the same thread, like `asyncio.create_task` on the same loop) but returns no
//! handle. [`spawn`] adds one: awaiting the [`JoinHandle`] gives the task's output,
//! and [`JoinHandle::cancel`] stops the task at its next await point.

use futures::channel::oneshot;
use futures::future::{AbortHandle, Abortable, Either};
use std::cell::Cell;
use std::future::Future;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

/// The handle of a spawned task, like an `asyncio.Task`.
#[derive(Debug)]
pub struct JoinHandle<T> {
    output: oneshot::Receiver<T>,
    abort: AbortHandle,
    finished: Rc<Cell<bool>>,
}

/// Awaiting a task that was cancelled: the counterpart of `CancelledError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

/// Starts `work` as a task of its own. It begins at the next await of the caller
/// (the executor polls spawned tasks when the current one yields), and runs even if
/// nobody awaits its handle.
pub fn spawn<T: 'static>(work: impl Future<Output = T> + 'static) -> JoinHandle<T> {
    let (abort, registration) = AbortHandle::new_pair();
    let (sender, output) = oneshot::channel();
    let finished = Rc::new(Cell::new(false));
    let task_finished = finished.clone();
    spin_sdk::wasip3::spawn(async move {
        if let Ok(value) = Abortable::new(work, registration).await {
            task_finished.set(true);
            let _ = sender.send(value);
        }
    });
    JoinHandle {
        output,
        abort,
        finished,
    }
}

impl<T> JoinHandle<T> {
    /// Asks the task to stop, as `task.cancel()` does: it stops at its next await
    /// point (a task never stops in the middle of a step). Returns false, changing
    /// nothing, when the task has already finished.
    pub fn cancel(&self) -> bool {
        if self.is_finished() {
            return false;
        }
        self.abort.abort();
        true
    }

    /// True once the task produced its output (`task.done()` minus cancellation).
    pub fn is_finished(&self) -> bool {
        self.finished.get()
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, Cancelled>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.output)
            .poll(cx)
            .map(|output| output.map_err(|_| Cancelled))
    }
}

/// The timer won the race: the counterpart of `asyncio.TimeoutError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimedOut;

/// Runs `work` for at most `limit`, like `asyncio.wait_for`: when the timer fires
/// first, `work` is dropped, which cancels whatever it was awaiting (an outbound
/// request included). Lesson 06 (`src/tour/06-timeout`) writes this race out.
pub async fn timeout<T>(limit: Duration, work: impl Future<Output = T>) -> Result<T, TimedOut> {
    match futures::future::select(pin!(work), pin!(spin_sdk::time::sleep(limit))).await {
        Either::Left((output, _timer)) => Ok(output),
        Either::Right(((), _work)) => Err(TimedOut),
    }
}

/// [`timeout`] when there is a limit, plain `work.await` when there is none
/// (`asyncio.wait(..., timeout=None)`).
pub async fn timeout_if<T>(
    limit: Option<Duration>,
    work: impl Future<Output = T>,
) -> Result<T, TimedOut> {
    match limit {
        Some(limit) => timeout(limit, work).await,
        None => Ok(work.await),
    }
}
