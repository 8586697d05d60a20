#!/usr/bin/env bash
# Crawl benchmark (not a test): 500 loopback feeds x 100 items over 127.0.0.2-9, crawled into a fresh
# database, then crawled again (all 304); the same job by a Python baseline (feedparser + thread pool +
# sqlite3). Prints wall time, items/s and peak RSS of each run; RUNS repetitions (default 3).
#
#   bench/crawl/run.sh            # from the repository root
#
# Needs: a Rust toolchain, python3, /usr/bin/time (GNU). The baseline's feedparser is installed into a
# throwaway venv under bench/out/ (PyPI).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
FEEDS=${FEEDS:-500}
ITEMS=${ITEMS:-100}
HOSTS=${HOSTS:-8}
PORT=${PORT:-18391}
# Absolute: paths in a config are read from the config file's folder (bench/out/...), not from here.
OUT="$PWD/bench/out"
mkdir -p "$OUT"

cargo build --release --quiet
BIN=target/release/headline-watch

if [ ! -x "$OUT/venv/bin/python" ]; then
  python3 -m venv "$OUT/venv"
  "$OUT/venv/bin/pip" install --quiet feedparser
fi

python3 bench/crawl/server.py "$PORT" "$FEEDS" "$ITEMS" "$HOSTS" > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q serving "$OUT/server.log" 2>/dev/null && break; sleep 0.2; done

CONFIG="$OUT/bench.toml"
{
  printf '[storage]\ndatabase = "%s/bench.sqlite"\n\n' "$OUT"
  printf '[crawl]\nconcurrency = 32\nper_host_concurrency = 4\nper_host_interval_ms = 5\nmax_items_per_source = 500\n\n'
  for i in $(seq 0 $((FEEDS - 1))); do
    printf '[[sources]]\nname = "bench-%d"\nurl = "http://127.0.0.%d:%d/feed/%d.xml"\n\n' "$i" $((2 + i % HOSTS)) "$PORT" "$i"
  done
} > "$CONFIG"

# measure LABEL CMD...: one line "LABEL wall_s max_rss_mb" from GNU time.
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" > "$OUT/last.out" 2> "$OUT/last.err" || true
  read -r wall rss < "$OUT/time.txt"
  printf '%s %s %s\n' "$label" "$wall" "$((rss / 1024))"
}

ITEMS_TOTAL=$((FEEDS * ITEMS))
for run in $(seq "$RUNS"); do
  rm -f "$OUT"/bench.sqlite* "$OUT"/baseline.sqlite*
  measure "rust-first" "$BIN" -q --config "$CONFIG" crawl
  tail -1 "$OUT/last.err" | sed 's/^/    /'
  measure "rust-304" "$BIN" -q --config "$CONFIG" crawl
  tail -1 "$OUT/last.err" | sed 's/^/    /'
  measure "python-first" "$OUT/venv/bin/python" bench/crawl/baseline.py "$OUT/baseline.sqlite" "$PORT" "$FEEDS" "$HOSTS"
  sed 's/^/    /' "$OUT/last.out"
  measure "python-304" "$OUT/venv/bin/python" bench/crawl/baseline.py "$OUT/baseline.sqlite" "$PORT" "$FEEDS" "$HOSTS"
  sed 's/^/    /' "$OUT/last.out"
done | tee "$OUT/results.txt"

echo
echo "medians over $RUNS runs ($ITEMS_TOTAL items):"
for label in rust-first rust-304 python-first python-304; do
  grep "^$label " "$OUT/results.txt" | sort -k2 -n | awk -v n="$RUNS" -v items="$ITEMS_TOTAL" -v l="$label" \
    'NR == int((n + 1) / 2) { printf "%-13s wall %6.2f s  %8.0f items/s  peak RSS %4d MB\n", l, $2, items / $2, $3 }'
done
