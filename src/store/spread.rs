//! The stored flagged headlines the spread grouping reads (see `crate::spread`).
