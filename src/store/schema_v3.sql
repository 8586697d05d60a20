-- headline-watch schema, version 3: the review desk (`headline-watch serve`).

-- Full-text search over every stored headline (the desk's "missed headlines" search). Contentless (the
-- titles stay in `items` only) with rowid = items.id. unicode61 case-folds Latin, Cyrillic and Kazakh
-- letters; remove_diacritics 2 folds Latin accents (café = cafe) and leaves Cyrillic letters alone, where
-- й, ё, ә, қ, ө, ү, і are letters of their own, not accented ones. Only ё is folded to е, here and in the
-- query, because Russian print writes either. Triggers keep the index in step with `items`, so the
-- crawler (and `sqlite3`) need not know it exists.
CREATE VIRTUAL TABLE items_fts USING fts5(
    title,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO items_fts (rowid, title)
    SELECT id, replace(replace(title, 'ё', 'е'), 'Ё', 'Е') FROM items;

CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts (rowid, title)
        VALUES (new.id, replace(replace(new.title, 'ё', 'е'), 'Ё', 'Е'));
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    DELETE FROM items_fts WHERE rowid = old.id;
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF title ON items BEGIN
    DELETE FROM items_fts WHERE rowid = old.id;
    INSERT INTO items_fts (rowid, title)
        VALUES (new.id, replace(replace(new.title, 'ё', 'е'), 'Ё', 'Е'));
END;

-- Undoing a verdict appends a row here instead of deleting the verdict: history stays complete, and the
-- latest verdict of an item is its latest review that has not been undone (so undo brings back the
-- item's previous verdict, or none).
CREATE TABLE review_undos (
    review_id       INTEGER PRIMARY KEY REFERENCES reviews(id),
    reviewer        TEXT,
    undone_at       TEXT NOT NULL
);

-- The desk's queue walks flagged classifications in one of three orders and stops at a page: newest
-- first, most confident first, most uncertain first (smallest margin between `misleading` and the
-- runner-up). Partial indexes: only flagged rows, a small part of the table.
CREATE INDEX classifications_flagged_newest ON classifications(id) WHERE flagged = 1;
CREATE INDEX classifications_flagged_confidence ON classifications(p_misleading, id) WHERE flagged = 1;
CREATE INDEX classifications_flagged_margin
    ON classifications(p_misleading - max(p_accurate, p_rebuttal, p_unrelated), id) WHERE flagged = 1;
