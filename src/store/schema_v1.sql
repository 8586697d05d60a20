-- headline-watch schema, version 1. Times are ISO-8601 UTC text (e.g. 2025-06-09T08:30:00Z).

CREATE TABLE sources (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,          -- as in config.toml
    configured_url  TEXT NOT NULL,                 -- the URL in config.toml
    url             TEXT NOT NULL,                 -- the URL fetched now (a 301/308 moves it)
    kind            TEXT NOT NULL DEFAULT 'feed' CHECK (kind IN ('feed', 'page')),
    lang            TEXT,
    etag            TEXT,                          -- sent back verbatim as If-None-Match
    last_modified   TEXT,                          -- sent back verbatim as If-Modified-Since
    body_hash       TEXT,                          -- BLAKE3 of the last body parsed
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'gone')),
    failure_count   INTEGER NOT NULL DEFAULT 0,    -- consecutive failures
    last_error      TEXT,
    last_fetch_at   TEXT,
    last_success_at TEXT,
    next_fetch_at   TEXT,                          -- not fetched before this (backoff, Retry-After)
    feed_title      TEXT,                          -- the feed's own title, as last parsed
    created_at      TEXT NOT NULL
);

CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    command         TEXT NOT NULL,                 -- crawl | run
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    outcome         TEXT,                          -- ok | partial | failed | NULL while running
    sources_ok      INTEGER NOT NULL DEFAULT 0,
    sources_not_modified INTEGER NOT NULL DEFAULT 0,
    sources_failed  INTEGER NOT NULL DEFAULT 0,
    items_new       INTEGER NOT NULL DEFAULT 0,
    items_seen      INTEGER NOT NULL DEFAULT 0,
    items_classified INTEGER NOT NULL DEFAULT 0,
    items_flagged   INTEGER NOT NULL DEFAULT 0,
    report_path     TEXT,
    message         TEXT
);

CREATE TABLE fetches (
    id              INTEGER PRIMARY KEY,
    source_id       INTEGER NOT NULL REFERENCES sources(id),
    run_id          INTEGER REFERENCES runs(id),
    url             TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT NOT NULL,
    http_status     INTEGER,
    outcome         TEXT NOT NULL CHECK (outcome IN ('ok', 'not_modified', 'unchanged', 'failed', 'gone', 'skipped')),
    error           TEXT,
    bytes           INTEGER,
    items_new       INTEGER NOT NULL DEFAULT 0,
    items_seen      INTEGER NOT NULL DEFAULT 0,
    duration_ms     INTEGER
);
CREATE INDEX fetches_source ON fetches(source_id, started_at);

CREATE TABLE items (
    id              INTEGER PRIMARY KEY,
    source_id       INTEGER NOT NULL REFERENCES sources(id),
    url             TEXT,
    canonical_url   TEXT UNIQUE,                   -- one item per canonical URL
    guid            TEXT,
    title           TEXT NOT NULL,
    title_hash      TEXT NOT NULL,                 -- text::title_hash(title)
    summary         TEXT,
    published_at    TEXT NOT NULL,
    published_estimated INTEGER NOT NULL DEFAULT 0, -- 1: fetch time stands in for a missing/future date
    fetched_at      TEXT NOT NULL,
    lang            TEXT,
    UNIQUE (source_id, guid)                       -- within a source one item per GUID
);
CREATE INDEX items_published ON items(published_at);
CREATE INDEX items_fetched ON items(fetched_at);
CREATE INDEX items_source_title ON items(source_id, title_hash);

CREATE TABLE classifications (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    model_version   TEXT NOT NULL,
    label           TEXT NOT NULL CHECK (label IN ('misleading', 'accurate', 'rebuttal', 'unrelated')),
    score           REAL NOT NULL,                 -- probability of label
    p_misleading    REAL NOT NULL,
    p_accurate      REAL NOT NULL,
    p_rebuttal      REAL NOT NULL,
    p_unrelated     REAL NOT NULL,
    flagged         INTEGER NOT NULL,
    reasons         TEXT NOT NULL,                 -- JSON array of strings
    classified_at   TEXT NOT NULL,
    UNIQUE (item_id, model_version)
);
CREATE INDEX classifications_flagged ON classifications(flagged, item_id);

CREATE TABLE reviews (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES items(id),
    label           TEXT NOT NULL CHECK (label IN ('misleading', 'accurate', 'rebuttal', 'unrelated')),
    reviewer        TEXT,
    note            TEXT,
    reviewed_at     TEXT NOT NULL
);
CREATE INDEX reviews_item ON reviews(item_id, reviewed_at);

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    generated_at    TEXT NOT NULL,
    since           TEXT NOT NULL,
    until           TEXT NOT NULL,
    format          TEXT NOT NULL,
    path            TEXT
);
