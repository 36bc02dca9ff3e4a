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
//! Needs `/usr/bin/chromium`, `/usr/bin/chromedriver`, PostgreSQL's `initdb` and `pg_ctl`
//! (`cargo xtask setup` installs them) and npm (the accessibility test installs axe-core into
//! `target/e2e-node` on first use).
//!
//! The scenarios are those of issue 5: reading (1, `reading`), commenting in the widget's form and
//! answering in the review console (2, `commenting`), a comment queued while the server is down
//! and stored exactly once when it is back (3, `offline`, with `Server::restart` on the same
//! port and database), hostile input in a document and in a comment typed into the widget (4,
//! `hostile`), strict CSP and hostile host CSS (5, `embedding`), accessibility of the reading
//! views and of the commenting parts (6, `accessibility`). `editor`: the editor page's plain-text
//! import shows its summary and notes (issue 12); documents in the server edited, signed off and
//! compared from `/editor` (issue 8); `versions` (issue 8): the 修订对照 link and page, the notices
//! of a withdrawn and of a repealed document. What citizens stumbled on in issue 13 (and the demo
//! page's console of issue 10) is in `citizens`. `database_outage` (issue 9): PostgreSQL stops
//! under a running `jiedu serve` (a throwaway cluster of its own, `jiedu_e2e::pg_cluster`); the
//! comment submitted meanwhile is answered 503, kept by the widget and stored exactly once after
//! the database is back, without a restart of the server.

mod accessibility;
mod caching;
mod citizens;
mod commenting;
mod database_outage;
mod editor;
mod embedding;
mod fonts;
mod harness;
mod hostile;
mod offline;
mod reading;
mod review;
mod site;
mod versions;
