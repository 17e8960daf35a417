#!/usr/bin/env bash
# Runs the benchmark contract for the foundation's models on the S3-Rec datasets, both
# variants (seen items kept / excluded). Results: bench/results/<dataset>-<model>-<variant>.json
# usage: bench/baselines.sh [DATASETS_DIR] (default ../shared/datasets)
set -euo pipefail
cd "$(dirname "$0")/.."
datasets=${1:-../shared/datasets}
out=bench/results
mkdir -p "$out"
for dataset in amazon-beauty amazon-sports; do
  [ -d "$datasets/$dataset" ] || { echo "skip $dataset: $datasets/$dataset not found"; continue; }
  for model in popularity trending item-knn user-knn; do
    for variant in kept excluded; do
      flag=""; [ $variant = excluded ] && flag="--exclude-seen"
      echo "== $dataset $model seen-$variant"
      build/tailor benchmark --dataset "$datasets/$dataset" --model $model $flag \
        --json "$out/$dataset-$model-$variant.json" >/dev/null
    done
  done
done
