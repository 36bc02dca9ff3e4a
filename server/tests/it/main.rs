//! jiedu-server's integration tests: the CLI and the HTTP server, through their real interfaces.

mod cli;
mod serve;
