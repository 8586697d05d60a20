-- headline-watch schema, version 2: headline versions. An outlet that edits a headline keeps the same item
-- (canonical URL / GUID); every wording is a row in `title_versions`, classifications point at the version
-- they classified and reviews at the version the person saw. Nothing of version 1 is rewritten.

CREATE TABLE title_versions (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    version         INTEGER NOT NULL,              -- 1 for the wording first stored, then 2, 3, ...
    title           TEXT NOT NULL,
    title_hash      TEXT NOT NULL,                 -- text::title_hash(title): "the same wording"
    first_seen      TEXT NOT NULL,                 -- when the crawler first saw this wording
    last_seen       TEXT NOT NULL,                 -- when it last saw it (bumped by every fetch listing it)
    fetch_id        INTEGER REFERENCES fetches(id), -- the fetch it first came from (NULL: backfilled or seeded)
    UNIQUE (item_id, version)
);
CREATE INDEX title_versions_first_seen ON title_versions(first_seen);

-- The item's current (latest) version; `items.title` and `items.title_hash` always hold its wording.
ALTER TABLE items ADD COLUMN version_id INTEGER REFERENCES title_versions(id);
-- When the item vanished from its feed out of order (see store/versions.rs); cleared if it comes back.
ALTER TABLE items ADD COLUMN gone_at TEXT;

INSERT INTO title_versions (item_id, version, title, title_hash, first_seen, last_seen, fetch_id)
    SELECT id, 1, title, title_hash, fetched_at, fetched_at, NULL FROM items;
UPDATE items SET version_id = (SELECT v.id FROM title_versions v WHERE v.item_id = items.id);

-- Every new item gets its version 1, whichever code inserts it.
CREATE TRIGGER items_first_version AFTER INSERT ON items BEGIN
    INSERT INTO title_versions (item_id, version, title, title_hash, first_seen, last_seen)
        VALUES (NEW.id, 1, NEW.title, NEW.title_hash, NEW.fetched_at, NEW.fetched_at);
    UPDATE items SET version_id = last_insert_rowid() WHERE id = NEW.id;
END;

-- Classifications are per version and model version (was per item and model version): rebuilt, since
-- SQLite cannot drop a UNIQUE constraint in place. Existing rows classified version 1.
CREATE TABLE classifications_v2 (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    version_id      INTEGER NOT NULL REFERENCES title_versions(id) ON DELETE CASCADE,
    model_version   TEXT NOT NULL,
    label           TEXT NOT NULL CHECK (label IN ('misleading', 'accurate', 'rebuttal', 'unrelated')),
    score           REAL NOT NULL,
    p_misleading    REAL NOT NULL,
    p_accurate      REAL NOT NULL,
    p_rebuttal      REAL NOT NULL,
    p_unrelated     REAL NOT NULL,
    flagged         INTEGER NOT NULL,
    reasons         TEXT NOT NULL,
    classified_at   TEXT NOT NULL,
    UNIQUE (version_id, model_version)
);
INSERT INTO classifications_v2 (id, item_id, version_id, model_version, label, score, p_misleading,
        p_accurate, p_rebuttal, p_unrelated, flagged, reasons, classified_at)
    SELECT c.id, c.item_id, i.version_id, c.model_version, c.label, c.score, c.p_misleading, c.p_accurate,
           c.p_rebuttal, c.p_unrelated, c.flagged, c.reasons, c.classified_at
    FROM classifications c JOIN items i ON i.id = c.item_id;
DROP TABLE classifications;
ALTER TABLE classifications_v2 RENAME TO classifications;
CREATE INDEX classifications_flagged ON classifications(flagged, item_id);
CREATE INDEX classifications_item ON classifications(item_id);

-- The version a reviewer saw (existing verdicts: version 1, the only one there was).
ALTER TABLE reviews ADD COLUMN version_id INTEGER REFERENCES title_versions(id);
UPDATE reviews SET version_id = (SELECT version_id FROM items WHERE items.id = reviews.item_id);
CREATE INDEX reviews_version ON reviews(version_id);
