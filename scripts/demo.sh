#!/usr/bin/env bash
# The demo shop: generate -> import -> stats -> evaluate -> train -> serve, with example requests.
# Data goes to demo-data/ (re-running is safe: imports are idempotent).
# TAILOR_DEMO_EXIT=1 stops after the example requests; TAILOR_PORT picks the port (8080).
set -euo pipefail
cd "$(dirname "$0")/.."
tailor=build/tailor
data=demo-data
port=${TAILOR_PORT:-8080}
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "1. Generate a synthetic shop (catalog, shoppers, sessions, ratings, reviews)"
run $tailor generate --preset small --seed 42 --out $data/shop

step "2. Import it into the embedded store ($data/tailor.db)"
run $tailor --data $data import $data/shop/items.jsonl $data/shop/users.jsonl $data/shop/events.csv

step "3. What the store holds"
run $tailor --data $data stats

step "4. Evaluate the models (leave-one-out, full ranking)"
run $tailor --data $data evaluate --models popularity,trending,item-knn,user-knn \
  --json $data/report.json --html $data/report.html

step "5. Train the model to serve"
run $tailor --data $data train --model item-knn

step "6. Serve it on http://127.0.0.1:$port"
$tailor --data $data serve --port "$port" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.1
done
user=$(head -n 1 $data/shop/users.jsonl | sed 's/.*"id": *"\([^"]*\)".*/\1/')
item=$(sed -n 5p $data/shop/items.jsonl | sed 's/.*"id": *"\([^"]*\)".*/\1/')
example() { printf '\n$ curl %s\n' "$*"; curl -s "$@"; echo; }
visitor="visitor-$(date +%s)"  # a new shopper each run
example "http://127.0.0.1:$port/health"
example "http://127.0.0.1:$port/recommend/$user?n=3"
example "http://127.0.0.1:$port/similar/$item?n=3"
printf '\n# A first-time visitor gets cold-start (popular) items ...'
example "http://127.0.0.1:$port/recommend/$visitor?n=3"
printf '\n# ... puts an item in the cart, and the very next request reflects it (no retraining):'
example -X POST "http://127.0.0.1:$port/events" -H 'Content-Type: application/json' \
  -d "{\"user_id\": \"$visitor\", \"item_id\": \"$item\", \"type\": \"add_to_cart\"}"
example "http://127.0.0.1:$port/recommend/$visitor?n=3"
printf '\nHTML evaluation report: %s/report.html\n' "$data"
if [ "${TAILOR_DEMO_EXIT:-0}" = "1" ]; then
  exit 0
fi
printf 'Server running on http://127.0.0.1:%s (Ctrl-C stops it).\n' "$port"
wait $server
