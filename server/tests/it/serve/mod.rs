//! The consultation server: router tests in-process (`oneshot` over a real SQLite file), and the
//! real binary over real sockets (configuration, tokens, durability under `kill -9`).

mod binary;
mod comments;
mod database;
mod documents;
mod durability;
mod feed;
mod fuzz_corpus;
mod hardening;
mod harness;
pub mod http;
mod instances;
mod media;
mod pg_tls;
mod review;
mod site;
mod versions;
mod workflow;
