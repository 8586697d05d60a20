#!/usr/bin/env bash
# Interleaved A/B timing of two headline-watch binaries on the classify benchmark's 100k headlines, one
# core: prints the minimum and median CPU time of each over ROUNDS runs, and fails if their outputs
# differ. Wall and CPU time on this VM move ±15% from minute to minute, so compare binaries run turn
# about, never against a figure from another time.
#   bench/classify/ab.sh OLD_BINARY NEW_BINARY [ROUNDS (7)] [HEADLINES FILE]
# CPU time is perf's task-clock in milliseconds when `perf stat` works, else user + sys from
# /usr/bin/time (10 ms steps). A change that retrains the model can compare old binary + old model with
# new binary + new model: MODEL_A=/tmp/old-model.json MODEL_B=models/visa-regime.json bench/classify/ab.sh ...
# (their outputs then differ, and the script says so without failing).
# Build the old binary from another commit with e.g.
#   git worktree add /tmp/old <rev> && cargo build --release --manifest-path /tmp/old/Cargo.toml
# (the headlines file is made by bench/classify/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
A=$1; B=$2; R=${3:-7}; F=${4:-bench/classify/out/headlines-100k.txt}
MA=${MODEL_A:-models/visa-regime.json}; MB=${MODEL_B:-$MA}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ONE_CORE=""
if command -v taskset >/dev/null; then ONE_CORE="taskset -c 0"; fi
PERF=""
if perf stat -x, -e task-clock -o "$T/probe" true 2>/dev/null; then PERF=1; fi
unit=ms; [ -z "$PERF" ] && unit=s
for i in $(seq "$R"); do
  for x in A B; do
    bin=$A; m=$MA; [ "$x" = B ] && bin=$B && m=$MB
    if [ -n "$PERF" ]; then
      perf stat -x, -e task-clock -o "$T/stat" $ONE_CORE "$bin" -q classify --model "$m" --format jsonl < "$F" > "$T/$x.jsonl"
      awk -F, '/task-clock/ {printf "%.0f\n", $1}' "$T/stat" >> "$T/$x.cpu"
    else
      /usr/bin/time -f "%U %S" -o "$T/time" $ONE_CORE "$bin" -q classify --model "$m" --format jsonl < "$F" > "$T/$x.jsonl"
      awk '{print $1 + $2}' "$T/time" >> "$T/$x.cpu"
    fi
  done
done
for x in A B; do
  bin=$A; [ "$x" = B ] && bin=$B
  echo "$bin: min $(sort -n "$T/$x.cpu" | head -1) $unit, median $(sort -n "$T/$x.cpu" | sed -n "$(( (R + 1) / 2 ))p") $unit, runs: $(tr '\n' ' ' < "$T/$x.cpu")"
done
if cmp -s "$T/A.jsonl" "$T/B.jsonl"; then
  echo "outputs identical"
elif [ "$MA" != "$MB" ]; then
  echo "outputs differ (two models)"
else
  echo "OUTPUTS DIFFER"; exit 1
fi
