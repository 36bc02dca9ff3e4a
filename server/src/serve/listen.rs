//! Accepting connections, with limits a slow or idle client cannot get around.
//!
//! `axum::serve` accepts every connection and keeps it as long as the client likes: a few
//! thousand clients that send one header byte a minute hold that many file descriptors forever,
//! and the server stops accepting anyone. This loop serves the same router with three limits:
//! - a **header-read timeout**: the request line and headers must arrive within it (hyper's
//!   timer; it also runs while a keep-alive connection waits for its next request);
//! - an **idle timeout**: a connection on which no byte moves either way for that long is closed
//!   (a client that stops reading its answer, or a body that stalls);
//! - a **connection cap**: above it the server stops accepting (new clients wait in the kernel's
//!   queue) until a connection ends, so it never runs out of file descriptors; the timeouts make
//!   sure held connections do end.
//!
//! A slow request body is bounded by the request timeout (`TimeoutLayer` in `app.rs`).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// The limits on connections (from the configuration).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_connections: usize,
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
}

/// How long a stop waits for the requests in progress before it drops their connections.
const DRAIN: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` completes, then lets the requests in progress
/// finish (keep-alive connections are closed after their current answer).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let max = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let permits = Arc::new(Semaphore::new(max));
    let (stop, stopped) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    let mut warned: Option<std::time::Instant> = None;
    loop {
        // Said at most once a minute: at the limit, every accepted connection would say it.
        if permits.available_permits() == 0 && warned.is_none_or(|at| at.elapsed().as_secs() >= 60)
        {
            warned = Some(std::time::Instant::now());
            tracing::warn!(
                max_connections = max,
                "connection limit reached; new connections wait until one closes"
            );
        }
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        match accepted {
            Ok((stream, peer)) => {
                let _ = stream.set_nodelay(true);
                let conn = connection(stream, peer, app.clone(), limits, stopped.clone());
                tokio::spawn(async move {
                    conn.await;
                    drop(permit);
                });
            }
            Err(e) => {
                // Out of file descriptors, or a connection reset before it was accepted: wait a
                // little instead of spinning.
                tracing::warn!(error = %e, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    let _ = stop.send(true);
    drop(listener);
    let drained = tokio::time::timeout(DRAIN, permits.acquire_many(max as u32)).await;
    if drained.is_err() {
        tracing::warn!("connections still open after {DRAIN:?}; closing them");
    }
}

/// Serves one connection with the timeouts, until it closes or the server stops.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
) {
    let io = TokioIo::new(IdleTimeout::new(stream, limits.idle_timeout));
    let service = app.map_request(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let mut conn = pin!(builder.serve_connection(io, TowerToHyperService::new(service)));
    let mut stopping = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, %peer, "connection ended with an error");
                }
                return;
            }
            _ = stopped.changed(), if !stopping => {
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// A stream that fails with `TimedOut` once no byte has moved either way for `timeout` while
/// someone waits on it.
struct IdleTimeout<S> {
    inner: S,
    timeout: Duration,
    last: Instant,
    sleep: Pin<Box<Sleep>>,
}

impl<S> IdleTimeout<S> {
    fn new(inner: S, timeout: Duration) -> IdleTimeout<S> {
        let now = Instant::now();
        IdleTimeout {
            inner,
            timeout,
            last: now,
            sleep: Box::pin(tokio::time::sleep_until(now + timeout)),
        }
    }

    /// Pending until the connection has been idle for the timeout, then the error. Moving the
    /// timer only when it fires keeps each read and write cheap.
    fn poll_idle<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        loop {
            if self.sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            let deadline = self.last + self.timeout;
            if Instant::now() >= deadline {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the connection was idle too long",
                )));
            }
            self.sleep.as_mut().reset(deadline);
        }
    }

    /// Passes on `poll`; `moved` says whether it moved bytes. Only that counts as activity: a
    /// flush of a socket is ready at once, and hyper flushes on every wake-up, the idle timer's
    /// own included, so counting it would put the deadline off forever.
    fn track<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
        moved: impl FnOnce(&T) -> bool,
    ) -> Poll<io::Result<T>> {
        match poll {
            Poll::Ready(Ok(value)) => {
                if moved(&value) {
                    self.last = Instant::now();
                }
                Poll::Ready(Ok(value))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => self.poll_idle(cx),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for IdleTimeout<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_read(cx, buf);
        // A read that is ready brought bytes, or the end of the stream, which ends the connection.
        this.track(cx, poll, |()| true)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for IdleTimeout<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.track(cx, poll, |&n| n > 0)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.track(cx, poll, |()| false)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.track(cx, poll, |&n| n > 0)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// The connection cap to use: the configured one, lowered (with a warning) to stay clear of the
/// process's open-file limit, which the database, the log and the listener share.
pub fn max_connections(configured: usize) -> usize {
    const RESERVED: u64 = 64;
    match open_file_limit() {
        Some(limit) if (configured as u64).saturating_add(RESERVED) > limit => {
            let lowered = limit.saturating_sub(RESERVED).max(1) as usize;
            tracing::warn!(
                configured,
                lowered,
                open_file_limit = limit,
                "max_connections is above the open-file limit (ulimit -n); raise that limit to serve more connections"
            );
            lowered
        }
        _ => configured,
    }
}

/// The soft limit on open files (Linux: from /proc/self/limits), if known.
fn open_file_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}
