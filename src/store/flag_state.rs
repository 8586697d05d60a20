//! Whether the model flagged an item (its latest classification), so a verdict can be told apart: a
//! `misleading` verdict on a flag confirms it, on a headline the model let through records a miss.

use super::Store;
use crate::error::Result;
use rusqlite::OptionalExtension;

impl Store {
    /// `Some(flagged)` from the item's latest classification, `None` when it has none (or no such item).
    pub fn item_flagged(&self, item_id: i64) -> Result<Option<bool>> {
        Ok(self
            .conn
            .query_row(
                "SELECT flagged FROM classifications WHERE item_id = ?1 ORDER BY id DESC LIMIT 1",
                [item_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}
