//! jiedu-server: the `jiedu` command's library. The authoring CLI (`cli`) and the consultation
//! server (`serve`, the HTTP API over SQLite) live here; `main.rs` only parses arguments.

pub mod cli;
pub mod content;
pub mod serve;
