//! The library's error type: each variant names what failed and where, so the binary can print one line
//! that tells the user what to do next.

use std::path::PathBuf;

/// Errors raised by the library. The binary adds context with `anyhow`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration file is missing, unreadable or invalid.
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    /// The database could not be opened, migrated or written.
    #[error("database {path}: {source}")]
    Database {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// A SQL statement failed (path-less, inside an open store).
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The model file is missing, corrupt, or does not match the corpus / format.
    #[error("model {path}: {message}")]
    Model { path: PathBuf, message: String },
    /// A narrative file is missing, unreadable or invalid.
    #[error("narrative {path}: {message}")]
    Narrative { path: PathBuf, message: String },
    /// A corpus file is malformed.
    #[error("{path}:{line}: {message}")]
    Corpus {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// Any other I/O failure, with the path involved.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Something else, already phrased for the user.
    #[error("{0}")]
    Other(String),
}

/// Convenience alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;
