//! The end-to-end tests live in `it/`. The library holds what other crates' tests share with
//! them: [`pg_cluster`], the throwaway PostgreSQL cluster (the server's tests and load benchmark
//! take it as a dev-dependency, so there is one copy of it).

pub mod pg_cluster;
