#!/usr/bin/env bash
# Bulk import speed into the SQLite store: generates a shop and times `tailor import` of its
# events (items and users imported first, untimed). Prints events/s as reported by import.
# usage: bench/import_speed.sh [PRESET] (default medium)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-medium}
work=$(mktemp -d /tmp/tailor-import-bench.XXXX)
trap 'rm -rf "$work"' EXIT
build/tailor generate --preset "$preset" --seed 1 --out "$work/shop" >/dev/null
build/tailor --data "$work/data" import "$work/shop/items.jsonl" "$work/shop/users.jsonl" >/dev/null
echo "preset $preset: $(wc -l < "$work/shop/events.csv") lines in events.csv"
/usr/bin/time -v build/tailor --data "$work/data" import "$work/shop/events.csv" 2>"$work/time.txt"
grep -E "Maximum resident|Elapsed" "$work/time.txt"
