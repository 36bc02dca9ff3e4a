//! End-to-end tests: a real `jiedu serve` on a loopback port with a fresh SQLite database, the
//! widget as `cargo xtask widget` built it into `dist/`, host pages on another origin, and
//! headless Chromium driven through chromedriver. Nothing of ours is mocked. Screenshots of each
//! scenario are written to `tests/artifacts/` (not committed).
//!
//! ```sh
//! cargo test -p jiedu-e2e                 # builds jiedu, and the widget if dist/ is stale
//! JIEDU_E2E_SKIP_WIDGET_BUILD=1 cargo test -p jiedu-e2e -- hostile   # use dist/ as it is
//! ```
//!
//! Needs `/usr/bin/chromium`, `/usr/bin/chromedriver` (`cargo xtask setup`) and npm (the
//! accessibility test installs axe-core into `target/e2e-node` on first use).
//!
//! The scenarios are those of issue 5: reading (1, `reading`), commenting and answering (2,
//! `commenting`), hostile input (4, `hostile`), strict CSP and hostile host CSS (5,
//! `embedding`), accessibility (6, `accessibility`). Scenario 3, a comment queued while the
//! server is down and sent once when it is back, needs the widget's offline queue, which does not
//! exist yet; its server half (the same idempotency key retried after a restart stores one row)
//! is `server/tests/it/serve/durability.rs`.

mod accessibility;
mod commenting;
mod embedding;
mod harness;
mod hostile;
mod reading;
mod site;
