#!/usr/bin/env bash
# CI's chaos simulation (issue 11): the static and the chat example, each with
# 200 simulated workers under every fault, seeded and bounded (docs/reliability.md).
# Needs the built CLI (`npm ci` builds it). Exits non-zero if a check breaks.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for example in static-form chat; do
  echo "== chaos: $example"
  node packages/cli/bin/faust.js simulate "examples/$example" \
    --workers "${CHAOS_WORKERS:-200}" --chaos all --seed "${CHAOS_SEED:-1}" \
    --time-limit "${CHAOS_TIME_LIMIT:-120}" || status=1
done
exit "$status"
