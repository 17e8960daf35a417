#!/usr/bin/env bash
# iALS quality and speed (issue 3 items 2 and 7):
#  - amazon-beauty and amazon-sports, seen items kept and excluded (benchmark contract: leave-one-out,
#    full ranking): recall/ndcg@10, train time, seconds per iteration, GFLOP/s (fit_stats);
#  - seconds per iteration at 64 and 128 factors on amazon-sports;
#  - 1 vs 2 threads on both datasets;
#  - a generated shop with 10M events (tailor generate --preset large): training only (a full
#    ranking evaluation of 500k users x 1M items is out of reach), seconds per iteration, GFLOP/s
#    and the peak memory of `tailor train` (goal: under 4 GiB), 1 and 2 threads.
# Results: bench/results/<dataset>-ials-<variant>.json and bench/results/shop10m-ials-<n>threads.json.
# The fp32 peak to compare GFLOP/s with: about 100 GFLOP/s per core as stated in issue 3 (an
# AVX-512 FMA loop measures about 220 GFLOP/s per core on the reference machine).
# usage: bench/ials_speed.sh [DATASETS_DIR] [--skip-10m]
#   env TAILOR (binary, default build/tailor), SHOP10M (generated shop folder, default
#   /tmp/shop10m), SHOP10M_DATA (its imported store, default /tmp/shop10m-data): generating and
#   importing 10M events takes several minutes and is done only once.
set -euo pipefail
cd "$(dirname "$0")/.."
tailor=${TAILOR:-build/tailor}
datasets=${1:-../shared/datasets}
skip_10m=false
for arg in "$@"; do [ "$arg" = --skip-10m ] && skip_10m=true; done
out=bench/results
mkdir -p "$out"

summary() {  # file: one line per result
  python3 - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
m, f = d.get("metrics", {}), d.get("fit_stats", {})
quality = "ndcg@10 %.4f recall@10 %.4f " % (m["ndcg@10"], m["recall@10"]) if m else ""
print("  %-44s %strain %.2fs  %.4f s/iter (cpu %.4f) %.1f GFLOP/s, %d threads, peak rss %d MB"
      % (sys.argv[1].split("/")[-1], quality, d.get("train_seconds", 0), f.get("seconds_per_iteration", 0),
         f.get("cpu_seconds_per_iteration", 0), f.get("gflops", 0), f.get("threads", 0), d.get("peak_rss_mb", 0)))
EOF
}

for dataset in amazon-beauty amazon-sports; do
  [ -d "$datasets/$dataset" ] || { echo "skip $dataset: $datasets/$dataset not found"; continue; }
  for variant in kept excluded; do
    flag=""; [ $variant = excluded ] && flag="--exclude-seen"
    file="$out/$dataset-ials-$variant.json"
    "$tailor" benchmark --dataset "$datasets/$dataset" --model ials $flag --json "$file" >/dev/null 2>&1
    summary "$file"
  done
  file="$out/$dataset-ials-1thread-excluded.json"
  "$tailor" --threads 1 benchmark --dataset "$datasets/$dataset" --model ials --exclude-seen \
    --json "$file" >/dev/null 2>&1
  summary "$file"
done
if [ -d "$datasets/amazon-sports" ]; then
  file="$out/amazon-sports-ials-128factors-excluded.json"
  "$tailor" benchmark --dataset "$datasets/amazon-sports" --model ials --exclude-seen \
    --params '{"factors": 128}' --json "$file" >/dev/null 2>&1
  summary "$file"
fi

$skip_10m && exit 0
shop=${SHOP10M:-/tmp/shop10m}
data=${SHOP10M_DATA:-/tmp/shop10m-data}
if [ ! -f "$data/tailor.db" ]; then
  [ -f "$shop/events.csv" ] || "$tailor" generate --preset large --events 10000000 --out "$shop"
  "$tailor" --data "$data" import "$shop/items.jsonl" "$shop/users.jsonl" "$shop/events.csv"
fi
for threads in 2 1; do
  file="$out/shop10m-ials-${threads}threads.json"
  log=$("$tailor" --data "$data" --threads "$threads" train --model ials 2>/dev/null)
  echo "$log" | sed -n 's/^fit stats: //p' | python3 -c '
import json, sys
d = json.load(sys.stdin)
d.update({"dataset": "generated shop, preset large, 10M events", "model": "ials", "command":
          "tailor --data DATA --threads '"$threads"' train --model ials"})
print(json.dumps(d, indent=2))' > "$file"
  summary "$file"
done
