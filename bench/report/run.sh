#!/usr/bin/env bash
# Report benchmark: 100,000 stored items with classifications, `report` in every format over the whole
# period, 5 runs each under /usr/bin/time -v (release build). Writes medians to bench/report/RESULTS.md.
# Usage: bench/report/run.sh [N_ITEMS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-100000}
runs=${2:-5}
# Absolute: paths in a config are read from the config file's folder (bench/out/...), not from here.
out="$PWD/bench/out/report"
mkdir -p "$out"
cargo build --release --quiet --bin headline-watch --example report-bench-seed
db="$out/bench.sqlite"
./target/release/examples/report-bench-seed "$db" "$n"
cfg="$out/config.toml"
{
  printf '[storage]\ndatabase = "%s"\n\n' "$db"
  # The shipped [report] and [narrative] settings (config.toml from [report] on), without the real sources.
  sed -n '/^\[report\]/,$p' config.toml | sed -e "s#^dir = \"reports\"#dir = \"$out/reports\"#" \
    -e "s#^file = \"#file = \"$PWD/#" -e "s#^model = \"#model = \"$PWD/#" -e "s#^corpus = \"#corpus = \"$PWD/#"
} > "$cfg"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
{
  echo "# Report benchmark"
  echo
  echo "\`bench/report/run.sh $n $runs\` on $(date -u +%Y-%m-%d), $(nproc) cores, release build:"
  echo "$n items (about 3% flagged, 2% rebuttals, over 30 days, 30 outlets, 3 languages), one \`report\`"
  echo "over the whole period per run, median of $runs runs (\`/usr/bin/time -v\`)."
  echo
  echo "| format | wall time (s) | peak RSS (MB) | output size (KB) |"
  echo "|---|---:|---:|---:|"
} > "$out/results.md"
for fmt in md html json csv; do
  : > "$out/wall" ; : > "$out/rss"
  for _ in $(seq "$runs"); do
    /usr/bin/time -v ./target/release/headline-watch -q --config "$cfg" report \
      --since 2025-05-31 --until 2025-07-02 --format "$fmt" --output "$out/report.$fmt" 2> "$out/time.txt"
    awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$out/time.txt" >> "$out/wall"
    awk -F': ' '/Maximum resident set size/ {print $2/1024}' "$out/time.txt" >> "$out/rss"
  done
  w=$(median < "$out/wall"); r=$(median < "$out/rss")
  size=$(( $(stat -c %s "$out/report.$fmt") / 1024 ))
  printf '| %s | %.2f | %.1f | %d |\n' "$fmt" "$w" "$r" "$size" >> "$out/results.md"
done
cp "$out/results.md" bench/report/RESULTS.md
cat bench/report/RESULTS.md
