#!/usr/bin/env bash
# Runs the benchmark contract (leave-one-out, full ranking) for the ranking models on the
# S3-Rec datasets, both variants (seen items kept / excluded), with each model's defaults.
# Results: bench/results/<dataset>-<model>-<variant>.json
# usage: bench/baselines.sh [DATASETS_DIR] (default ../shared/datasets)
#        MODELS="ials ease" bench/baselines.sh   # a subset
set -euo pipefail
cd "$(dirname "$0")/.."
datasets=${1:-../shared/datasets}
models=${MODELS:-popularity trending item-knn user-knn mf ials bpr ease}
out=bench/results
mkdir -p "$out"
for dataset in amazon-beauty amazon-sports; do
  [ -d "$datasets/$dataset" ] || { echo "skip $dataset: $datasets/$dataset not found"; continue; }
  for model in $models; do
    for variant in kept excluded; do
      flag=""; [ $variant = excluded ] && flag="--exclude-seen"
      echo "== $dataset $model seen-$variant"
      build/tailor benchmark --dataset "$datasets/$dataset" --model $model $flag \
        --json "$out/$dataset-$model-$variant.json" >/dev/null
    done
  done
done
