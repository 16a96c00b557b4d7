#!/usr/bin/env bash
# The long soak (docs/reliability.md): `faust simulate --chaos all` of the
# static and the chat example, seed after seed, until the time is up.
# Usage: scripts/soak.sh [minutes, default 30] [workers, default 50]
set -uo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-30}"
workers="${2:-50}"
end=$(( $(date +%s) + minutes * 60 ))
seed=1
runs=0
passed=0
acks=0
while [ "$(date +%s)" -lt "$end" ]; do
  for example in static-form chat; do
    out=$(node packages/cli/bin/faust.js simulate "examples/$example" --workers "$workers" \
      --chaos all --seed "$seed" --time-limit 300 2>/dev/null)
    code=$?
    runs=$((runs + 1))
    [ "$code" -eq 0 ] && passed=$((passed + 1))
    n=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) submissions acknowledged.*/\1/p')
    acks=$((acks + ${n:-0}))
    faults=$(printf '%s\n' "$out" | sed -n 's/.*faults: //p')
    failed=$(printf '%s\n' "$out" | grep -c '^    FAIL ' || true)
    echo "seed $seed $example: exit $code, ${n:-0} acknowledged, $failed checks failed; faults: ${faults:-none}"
  done
  seed=$((seed + 1))
done
echo "soak: $passed of $runs simulations passed, $acks submissions acknowledged, $minutes min, $workers workers"
[ "$passed" -eq "$runs" ]
