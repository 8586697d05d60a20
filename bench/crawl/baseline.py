#!/usr/bin/env python3
"""Python baseline for the crawl benchmark: feedparser + a thread pool + sqlite3, doing the same job as
`headline-watch crawl` (conditional GET with stored ETags, parse, one transaction per source, items unique
by link with utm_* removed).

usage: baseline.py DB PORT [FEEDS] [HOSTS] [THREADS]
"""
import sqlite3
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

DB, PORT = sys.argv[1], int(sys.argv[2])
FEEDS = int(sys.argv[3]) if len(sys.argv) > 3 else 500
HOSTS = int(sys.argv[4]) if len(sys.argv) > 4 else 8
THREADS = int(sys.argv[5]) if len(sys.argv) > 5 else 32


def canonical(url):
    p = urlsplit(url)
    q = [(k, v) for k, v in parse_qsl(p.query) if not k.lower().startswith("utm_")]
    return urlunsplit((p.scheme.lower(), p.netloc.lower(), p.path, urlencode(q), ""))


db = sqlite3.connect(DB)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=NORMAL")
db.executescript(
    """CREATE TABLE IF NOT EXISTS sources (id INTEGER PRIMARY KEY, url TEXT UNIQUE, etag TEXT);
       CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, source_id INTEGER, url TEXT,
         canonical_url TEXT UNIQUE, guid TEXT, title TEXT, published TEXT, UNIQUE (source_id, guid));"""
)
urls = [f"http://127.0.0.{2 + i % HOSTS}:{PORT}/feed/{i}.xml" for i in range(FEEDS)]
db.executemany("INSERT OR IGNORE INTO sources (url) VALUES (?)", [(u,) for u in urls])
db.commit()
etags = dict(db.execute("SELECT url, etag FROM sources"))
ids = dict(db.execute("SELECT url, id FROM sources"))


def fetch(url):
    return url, feedparser.parse(url, etag=etags.get(url))


start = time.time()
new = seen = not_modified = 0
with ThreadPoolExecutor(THREADS) as pool:
    for fut in as_completed([pool.submit(fetch, u) for u in urls]):
        url, d = fut.result()
        if d.get("status") == 304:
            not_modified += 1
            continue
        with db:
            for e in d.entries:
                seen += 1
                cur = db.execute(
                    "INSERT OR IGNORE INTO items (source_id, url, canonical_url, guid, title, published) VALUES (?,?,?,?,?,?)",
                    (ids[url], e.get("link"), canonical(e.get("link", "")), e.get("id"), e.get("title"), e.get("published")),
                )
                new += cur.rowcount
            db.execute("UPDATE sources SET etag = ? WHERE url = ?", (d.get("etag"), url))
elapsed = time.time() - start
print(f"baseline: {elapsed:.2f} s, {new} new, {seen} seen, {not_modified} not modified, {seen / elapsed:.0f} items/s")
