#!/usr/bin/env bash
# Sequential models of issue 4 on the S3-Rec datasets: leave-one-out, mean and spread over
# $SEEDS seeds (one fit per seed), each fit evaluated with seen items excluded, seen items kept
# and sampled-100 (the SASRec protocol: the target vs 100 never-interacted items) beside full
# ranking. Each model with its defaults.
# Results: bench/results/seq-<dataset>-<model>.json ("metrics" = seen-excluded mean; "variants"
# holds mean, std and per-seed values of every variant).
# usage: bench/sequential.sh [DATASETS_DIR]   (default $DATASETS_DIR or ../shared/datasets)
#   env MODELS (default "sasrec gru4rec"), DATASETS (default "amazon-beauty amazon-sports"),
#   SEEDS (default 3), VARIANTS (default excluded,kept,sampled-100), TAILOR (binary, default
#   build/tailor), CHECKPOINTS (folder: per-epoch checkpoints under <it>/<dataset>-<model>, so
#   an interrupted run resumes; default none), LATENCY (in-process recommendations timed on the
#   first fit, default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
tailor=${TAILOR:-build/tailor}
datasets_dir=${1:-${DATASETS_DIR:-../shared/datasets}}
models=${MODELS:-sasrec gru4rec}
datasets=${DATASETS:-amazon-beauty amazon-sports}
seeds=${SEEDS:-3}
variants=${VARIANTS:-excluded,kept,sampled-100}
out=bench/results
mkdir -p "$out"

summary() {  # file: one line, every variant's ndcg@10 and recall@10 (hr@10 for sampled-N)
  local file=$1
  if command -v jq >/dev/null 2>&1; then
    jq -r '
      def r4: . * 10000 | round / 10000;
      def ms($v; $m): if $v.mean[$m] == null then "-"
        elif $v.std[$m] == null then "\($v.mean[$m] | r4)"
        else "\($v.mean[$m] | r4) ± \($v.std[$m] | r4)" end;
      "\(.dataset) \(.model) (\(.seeds // [.seed] | length) seeds, train \(.train_seconds
        | round)s/seed): " +
      ((.variants // {(.seen_items): {mean: .metrics, std: {}}}) | to_entries | map(
        "\(.key) ndcg@10 \(ms(.value; "ndcg@10")) recall@10 \(ms(.value; "recall@10"))" +
        (if (.key | startswith("sampled")) then " hr@10 \(ms(.value; "hr@10"))" else "" end))
        | join("; "))' "$file"
  else
    # Without jq: the first variant's means from the top-level "metrics" object (the JSON is
    # written with a two-space indent, one key per line).
    local metrics ndcg recall train
    metrics=$(sed -n '/^  "metrics": {/,/^  }/p' "$file")
    ndcg=$(grep -m1 '"ndcg@10"' <<<"$metrics" | sed 's/.*: *//; s/,$//')
    recall=$(grep -m1 '"recall@10"' <<<"$metrics" | sed 's/.*: *//; s/,$//')
    train=$(grep -m1 '^  "train_seconds":' "$file" | sed 's/.*: *//; s/,$//')
    echo "$(basename "$file" .json): first variant ndcg@10 $ndcg recall@10 $recall" \
      "(mean over seeds; train ${train}s/seed; install jq for every variant)"
  fi
}

failed=()
for dataset in $datasets; do
  [ -d "$datasets_dir/$dataset" ] || { echo "skip $dataset: $datasets_dir/$dataset not found"; continue; }
  for model in $models; do
    json="$out/seq-$dataset-$model.json"
    checkpoint=()
    [ -n "${CHECKPOINTS:-}" ] && checkpoint=(--checkpoint-dir "$CHECKPOINTS/$dataset-$model")
    echo "== $dataset $model: $seeds seeds, $variants"
    if "$tailor" benchmark --dataset "$datasets_dir/$dataset" --model "$model" --seeds "$seeds" \
        --variants "$variants" --latency "${LATENCY:-1000}" ${checkpoint[@]+"${checkpoint[@]}"} \
        --json "$json" >/dev/null; then
      summary "$json"
    else
      echo "FAILED: $dataset $model"
      failed+=("$dataset/$model")
    fi
  done
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed runs: ${failed[*]}"
  exit 1
fi
