#!/usr/bin/env bash
# The demo trips during the outage and is CLOSED again after it.
set -euo pipefail
out=$(tools/demo/breaker_demo)
echo "$out"
grep -q 'CLOSED -> OPEN because of failure rate' <<<"$out" || { echo "FAIL: no trip in the timeline"; exit 1; }
grep -q 'HALF_OPEN -> OPEN' <<<"$out" || { echo "FAIL: no failed trial during the outage"; exit 1; }
grep -q 'HALF_OPEN -> CLOSED' <<<"$out" || { echo "FAIL: never recovered"; exit 1; }
last=$(grep -E '^t= *60.0s' <<<"$out")
grep -q 'CLOSED' <<<"$last" || { echo "FAIL: not CLOSED at the end: $last"; exit 1; }
echo PASS
