//! The server's clock, the one that decides whether a consultation is open.
//!
//! The model never reads the clock (it takes "now" as an argument); the server reads it here, so
//! tests and demos can start the clock at a chosen instant (`--now`) or set it by hand, and a
//! consultation can be opened and closed deterministically.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Where "now" comes from.
#[derive(Clone, Debug)]
pub enum Clock {
    /// The system clock.
    System,
    /// Starts at a given instant and runs on in real time from when the server started.
    StartingAt { unix_seconds: i64, started: Instant },
    /// Stands still at whatever it was last set to (tests).
    Manual(Arc<AtomicI64>),
}

impl Clock {
    pub fn starting_at(unix_seconds: i64) -> Clock {
        Clock::StartingAt {
            unix_seconds,
            started: Instant::now(),
        }
    }

    /// A clock that stands at `unix_seconds` until [`Clock::set`] moves it.
    pub fn manual(unix_seconds: i64) -> Clock {
        Clock::Manual(Arc::new(AtomicI64::new(unix_seconds)))
    }

    /// Moves a manual clock; other clocks ignore it.
    pub fn set(&self, unix_seconds: i64) {
        if let Clock::Manual(now) = self {
            now.store(unix_seconds, Ordering::SeqCst);
        }
    }

    /// Seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        match self {
            Clock::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
            Clock::StartingAt {
                unix_seconds,
                started,
            } => unix_seconds + started.elapsed().as_secs() as i64,
            Clock::Manual(now) => now.load(Ordering::SeqCst),
        }
    }
}
