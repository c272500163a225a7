//! Limits on slow clients: a request body that stops arriving fails after an idle
//! timeout, so an upload that stalls (a slow-loris client) cannot hold a
//! component instance forever. Headers get the same treatment from hyper's
//! `header_read_timeout` (see `server.rs`).

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// Wraps a body: if no frame arrives for `idle`, the body ends with `on_timeout()`.
pub struct IdleTimeout<B, E> {
    inner: B,
    idle: Duration,
    deadline: Pin<Box<Sleep>>,
    on_timeout: fn() -> E,
}

impl<B, E> IdleTimeout<B, E> {
    pub fn new(inner: B, idle: Duration, on_timeout: fn() -> E) -> Self {
        Self {
            inner,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
            on_timeout,
        }
    }
}

impl<B, E> Body for IdleTimeout<B, E>
where
    B: Body<Data = Bytes, Error = E> + Unpin,
{
    type Data = Bytes;
    type Error = E;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, E>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            let next = Instant::now() + self.idle;
            self.deadline.as_mut().reset(next);
            return Poll::Ready(frame);
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err((self.on_timeout)()))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::{BodyExt, StreamBody};

    #[tokio::test(start_paused = true)]
    async fn a_stalled_body_times_out_and_a_flowing_one_does_not() {
        let (sender, receiver) = futures::channel::mpsc::unbounded::<Result<Frame<Bytes>, &str>>();
        let mut body =
            IdleTimeout::new(StreamBody::new(receiver), Duration::from_secs(5), || "idle");
        sender
            .unbounded_send(Ok(Frame::data(Bytes::from("a"))))
            .unwrap();
        let first = body.frame().await.unwrap().unwrap();
        assert_eq!(first.into_data().unwrap(), "a");
        // Nothing more arrives: after 5 s (paused time) the body fails.
        let stalled = body.frame().await.unwrap();
        assert_eq!(stalled.unwrap_err(), "idle");
        drop(sender);
    }
}
