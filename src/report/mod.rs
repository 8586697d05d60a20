//! Reports: one report model built from the store, one renderer per format (Markdown, HTML, JSON with
//! ClaimReview records, CSV). Headline text is untrusted and is escaped by every renderer.
