//! End-to-end tests: a real `jiedu serve` on a loopback port with a fresh SQLite database, the
//! widget as `cargo xtask widget` built it into `dist/`, host pages on another origin, and
//! headless Chromium driven through chromedriver. Nothing of ours is mocked. Screenshots of each
//! scenario are written to `tests/artifacts/`.
//!
//! The scenarios are those of issue 5: reading (1), commenting and answering (2), hostile input
//! (4), strict CSP and hostile host CSS (5), accessibility (6). Scenario 3 (a comment queued
//! while the server is down) needs the widget's offline queue; its server half, a retry with the
//! same idempotency key after a restart storing one row, is `server/tests/it/serve/durability.rs`.

mod commenting;
mod harness;
mod reading;
mod site;
