//! headline-watch: watches the news for a misleading narrative and tells the people who must answer it what
//! was published, where, and what the official position is.
//!
//! The data flow (see the README's architecture section) is
//! `config → crawl → text → store → classify → store → report → review → corpus → train`.
//! Each stage is one module; they exchange the types in [`domain`] and never import each other. The
//! binary (`src/main.rs`, `src/cli.rs`, `src/commands/`) joins them. Library code never prints to stdout
//! and never exits the process.
#![forbid(unsafe_code)]

pub mod classify;
pub mod config;
pub mod crawl;
pub mod domain;
pub mod error;
pub mod letters;
pub mod narrative;
pub mod report;
pub mod serve;
pub mod spread;
pub mod store;
pub mod text;
