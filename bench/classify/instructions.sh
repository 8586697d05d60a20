#!/usr/bin/env bash
# Instructions per headline at steady state, which do not move with the machine's load: cachegrind on
# the first 20,000 and the first 5,000 of the benchmark's headlines, the difference divided by 15,000
# (subtracting a 5,000-line run, not a one-headline run, leaves out the regex crate's lazy-DFA warm-up),
# and the start-up cost (a one-headline run). Needs valgrind.
#   bench/classify/instructions.sh [BINARY (target/release/headline-watch)] [HEADLINES FILE]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/release/headline-watch}; F=${2:-bench/classify/out/headlines-100k.txt}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
count() {
  head -"$1" "$F" > "$T/in"
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    "$BIN" -q classify --model models/visa-regime.json --format jsonl < "$T/in" 2>&1 >/dev/null \
    | awk '/I *refs/ {gsub(",", "", $NF); print $NF}'
}
a=$(count 20000); b=$(count 5000); c=$(count 1)
echo "instructions per headline (20k - 5k lines): $(( (a - b) / 15000 ))"
echo "instructions for a one-headline run (start-up): $c"
