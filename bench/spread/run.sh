#!/usr/bin/env bash
# Spread benchmark: 100,000 stored headlines of which 10,000 are flagged (500 claims, each re-published by
# 20 outlets with small edits), then (1) reading every flagged headline from the store and grouping them
# (the work behind "How the claim spread"), and (2) a whole `report --format json` over the 30 days, which
# includes it. Each RUNS times under /usr/bin/time -v (release build); medians go to
# bench/spread/RESULTS.md. Targets (issue 13): grouping under 5 s and under 300 MB.
# Usage: bench/spread/run.sh [N_HEADLINES] [N_FLAGGED] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-100000}
f=${2:-10000}
runs=${3:-5}
# Absolute: paths in a config are read from the config file's folder (bench/out/...), not from here.
out="$PWD/bench/out/spread"
mkdir -p "$out"
cargo build --release --quiet --bin headline-watch --example spread-bench-seed --example spread-bench
db="$out/bench.sqlite"
./target/release/examples/spread-bench-seed "$db" "$n" "$f" 500
cfg="$out/config.toml"
{
  printf '[storage]\ndatabase = "%s"\n\n' "$db"
  sed -n '/^\[report\]/,$p' config.toml | sed -e "s#^dir = \"reports\"#dir = \"$out/reports\"#" \
    -e "s#^file = \"#file = \"$PWD/#" -e "s#^model = \"#model = \"$PWD/#" -e "s#^corpus = \"#corpus = \"$PWD/#"
} > "$cfg"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
measure() { # name, command...
  local name=$1; shift
  : > "$out/wall"; : > "$out/rss"
  for _ in $(seq "$runs"); do
    /usr/bin/time -v "$@" > "$out/stdout.txt" 2> "$out/time.txt"
    awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$out/time.txt" >> "$out/wall"
    awk -F': ' '/Maximum resident set size/ {print $2/1024}' "$out/time.txt" >> "$out/rss"
  done
  printf '| %s | %.2f | %.1f |\n' "$name" "$(median < "$out/wall")" "$(median < "$out/rss")" >> "$out/results.md"
}
{
  echo "# Spread benchmark"
  echo
  echo "\`bench/spread/run.sh $n $f $runs\` on $(date -u +%Y-%m-%d), $(nproc) cores, release build:"
  echo "$n stored headlines, $f flagged (500 claims re-published with small edits), median of $runs runs"
  echo "(\`/usr/bin/time -v\`, whole process including opening the database). Targets: under 5 s, under 300 MB."
  echo
  echo "| step | wall time (s) | peak RSS (MB) |"
  echo "|---|---:|---:|"
} > "$out/results.md"
measure "read the flagged headlines and group them (\`spread-bench\`)" ./target/release/examples/spread-bench "$db"
summary=$(cat "$out/stdout.txt")
measure "whole \`report --format json\` over the 30 days" ./target/release/headline-watch -q --config "$cfg" report \
  --since 2025-05-31 --until 2025-07-02 --format json --output "$out/report.json"
{
  echo
  echo "Grouping found: $summary"
} >> "$out/results.md"
cp "$out/results.md" bench/spread/RESULTS.md
cat bench/spread/RESULTS.md
