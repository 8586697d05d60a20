#!/usr/bin/env python3
"""Loopback benchmark server: FEEDS RSS feeds of ITEMS items each, spread over HOSTS loopback addresses
(127.0.0.2 ...) on one port, with ETag / If-None-Match (304) support and HTTP/1.1 keep-alive.
Feed i lives at http://127.0.0.<2 + i % HOSTS>:PORT/feed/<i>.xml. Stdlib only.

usage: server.py PORT [FEEDS] [ITEMS] [HOSTS]
"""
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
FEEDS = int(sys.argv[2]) if len(sys.argv) > 2 else 500
ITEMS = int(sys.argv[3]) if len(sys.argv) > 3 else 100
HOSTS = int(sys.argv[4]) if len(sys.argv) > 4 else 8


def feed(i):
    items = []
    for j in range(ITEMS):
        items.append(
            f"<item><title>Feed {i} story {j}: Kazakhstan and Russia border rules, part {j}</title>"
            f"<link>https://bench{i % 7}.example/news/{i}/{j}?utm_source=rss</link>"
            f"<guid isPermaLink=\"false\">bench-{i}-{j}</guid>"
            f"<pubDate>Mon, 09 Jun 2025 {j % 24:02d}:{j % 60:02d}:00 +0000</pubDate>"
            f"<description>Summary of story {j} in feed {i} &amp; more text for realism.</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Bench feed {i}</title><link>https://bench.example/{i}</link>"
        + "\n".join(items)
        + "</channel></rss>\n"
    ).encode()


BODIES = [feed(i) for i in range(FEEDS)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        try:
            i = int(self.path.rsplit("/", 1)[-1].split(".")[0])
            body = BODIES[i]
        except (ValueError, IndexError):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = f'"bench-{i}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


servers = [Server((f"127.0.0.{2 + h}", PORT), Handler) for h in range(HOSTS)]
for s in servers[1:]:
    threading.Thread(target=s.serve_forever, daemon=True).start()
print(f"serving {FEEDS} feeds x {ITEMS} items on 127.0.0.2-{1 + HOSTS}:{PORT}", flush=True)
servers[0].serve_forever()
