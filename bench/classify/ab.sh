#!/usr/bin/env bash
# Interleaved A/B timing of two headline-watch binaries on the classify benchmark's 100k headlines, one
# core: prints the minimum and median CPU time (user + sys) of each over ROUNDS runs, and fails if their
# outputs differ. Wall and CPU time on this VM move ±15% from minute to minute, so compare binaries run
# turn about, never against a figure from another time.
#   bench/classify/ab.sh OLD_BINARY NEW_BINARY [ROUNDS (7)] [HEADLINES FILE]
# Build the old binary from another commit with e.g.
#   git worktree add /tmp/old <rev> && cargo build --release --manifest-path /tmp/old/Cargo.toml
# (the headlines file is made by bench/classify/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
A=$1; B=$2; R=${3:-7}; F=${4:-bench/classify/out/headlines-100k.txt}
M=models/visa-regime.json
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ONE_CORE=""
if command -v taskset >/dev/null; then ONE_CORE="taskset -c 0"; fi
for i in $(seq "$R"); do
  for x in A B; do
    bin=$A; [ "$x" = B ] && bin=$B
    /usr/bin/time -f "%U %S" -o "$T/time" $ONE_CORE "$bin" -q classify --model "$M" --format jsonl < "$F" > "$T/$x.jsonl"
    awk '{print $1 + $2}' "$T/time" >> "$T/$x.cpu"
  done
done
for x in A B; do
  bin=$A; [ "$x" = B ] && bin=$B
  echo "$bin: min $(sort -n "$T/$x.cpu" | head -1) s, median $(sort -n "$T/$x.cpu" | sed -n "$(( (R + 1) / 2 ))p") s, runs: $(tr '\n' ' ' < "$T/$x.cpu")"
done
if cmp -s "$T/A.jsonl" "$T/B.jsonl"; then echo "outputs identical"; else echo "OUTPUTS DIFFER"; exit 1; fi
