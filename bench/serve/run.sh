#!/usr/bin/env bash
# Review desk benchmark: a database of 100,000 stored headlines with 10,000 flags, `headline-watch serve`
# (release build) on loopback, then REQS sequential requests per page with curl (cookie kept), p50/p95 of
# curl's total time, and the server's CPU time per request (utime + stime from /proc, which other load
# on the machine inflates less than wall time); the server's resident memory (VmRSS now, VmHWM peak) from
# /proc after all requests, and the machine's load average while it ran.
# Writes bench/serve/RESULTS.md. Usage: bench/serve/run.sh [N_ITEMS] [REQS]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-100000}
reqs=${2:-200}
# Absolute: paths in a config are read from the config file's folder (bench/out/...), not from here.
out="$PWD/bench/out/serve"
mkdir -p "$out"
cargo build --release --quiet --bin headline-watch --example serve-bench-seed
db="$out/bench.sqlite"
seeded=$(./target/release/examples/serve-bench-seed "$db" "$n")
echo "$seeded"
flags=$(echo "$seeded" | sed -n 's/.*(\([0-9]*\) flagged).*/\1/p')
printf '[storage]\ndatabase = "%s"\n\n[report]\ndir = "%s/reports"\n' "$db" "$out" > "$out/config.toml"
./target/release/headline-watch -q --config "$out/config.toml" serve --listen 127.0.0.1:0 2> "$out/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 600); do grep -q "^listening on " "$out/serve.log" && break; sleep 0.1; done
base=$(sed -n 's#^listening on \(http://[^/]*\)/$#\1#p' "$out/serve.log")
[ -n "$base" ] || { echo "serve did not start:"; cat "$out/serve.log"; exit 1; }
jar="$out/cookies"
rm -f "$jar"
first=$(curl -s -c "$jar" -o /dev/null -w '%{time_total}' "$base/")
pct() { sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int((NR*p+99)/100); if (i<1) i=1; printf "%.1f", a[i]*1000}'; }
{
  echo "# Review desk benchmark"
  echo
  echo "\`bench/serve/run.sh $n $reqs\` on $(date -u +%Y-%m-%d), $(nproc) cores, release build: $n stored"
  echo "headlines ($flags flagged, over 60 days, 30 outlets, 3 languages), \`headline-watch serve\` on"
  echo "loopback, $reqs sequential requests per page with curl (session cookie kept); curl's total time per"
  echo "request (connect to last byte)."
  echo
  echo "| page | p50 (ms) | p95 (ms) | server CPU per request (ms) | size (KB) |"
  echo "|---|---:|---:|---:|---:|"
} > "$out/results.md"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
bench_page() {
  local name=$1 path=$2
  : > "$out/times"
  local before; before=$(cpu_ticks)
  for _ in $(seq "$reqs"); do
    curl -s -b "$jar" -o "$out/page.html" -w '%{time_total}\n' "$base$path" >> "$out/times"
  done
  local cpu; cpu=$(awk -v a="$before" -v b="$(cpu_ticks)" -v hz="$hz" -v n="$reqs" 'BEGIN {printf "%.1f", (b - a) * 1000 / hz / n}')
  size=$(( $(stat -c %s "$out/page.html") / 1024 ))
  printf '| %s | %s | %s | %s | %d |\n' "$name" "$(pct 50 < "$out/times")" "$(pct 95 < "$out/times")" "$cpu" "$size" >> "$out/results.md"
}
bench_page "queue (newest first, 50 cards)" "/"
bench_page "queue by uncertainty" "/?sort=uncertainty"
bench_page "queue filtered: one outlet, ru, 10 days" "/?outlet=Outlet+01+%28ru%29&lang=ru&since=2025-05-10&until=2025-05-20"
bench_page "queue page 100" "/?page=100"
bench_page "search \`визовый режим\` (about 4,800 matches)" "/search?q=%D0%B2%D0%B8%D0%B7%D0%BE%D0%B2%D1%8B%D0%B9+%D1%80%D0%B5%D0%B6%D0%B8%D0%BC"
bench_page "search \`visa\` (prefix, about 9,500 matches)" "/search?q=visa"
bench_page "search a rare word (\`12345\`)" "/search?q=12345"
bench_page "outlets" "/outlets"
rss=$(awk '/^VmRSS/ {print $2/1024}' /proc/$pid/status)
hwm=$(awk '/^VmHWM/ {print $2/1024}' /proc/$pid/status)
{
  echo
  printf 'Server memory after all %s requests: resident %.1f MB, peak resident %.1f MB.\n' "$(( reqs * 8 + 1 ))" "$rss" "$hwm"
  echo
  printf 'The queue remembers its total until the database changes (PRAGMA data_version) or the desk records a\n'
  printf 'verdict; the rows above reuse it. The first load, which counts it with a cold page cache: %.1f ms.\n' "$(awk -v t="$first" 'BEGIN {print t * 1000}')"
  echo
  echo "Load average at the end (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg); other work on the machine"
  echo "lengthens wall times, so compare the CPU column across runs."
} >> "$out/results.md"
cp "$out/results.md" bench/serve/RESULTS.md
cat bench/serve/RESULTS.md
