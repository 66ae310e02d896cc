#!/usr/bin/env bash
# Runs otlp_decode_test.mjs (our OTLP export decoded by OpenTelemetry's JavaScript code) with the
# paths it needs:
#   OTLP_EXPORT_APP  otlp_export_app from this test's runfiles (or --test_env=OTLP_EXPORT_APP=...)
#   FAILOVER_REPO    the source tree holding node_modules/ (@opentelemetry/otlp-transformer),
#                    found by following this script's runfiles symlink back to
#                    tests/observability/ in the source tree (set FAILOVER_REPO yourself to use
#                    another checkout's node_modules). tools/lib/install-packages runs `npm ci`.
set -euo pipefail

runfiles="${TEST_SRCDIR:?run me with bazel test}/${TEST_WORKSPACE:-failover}"
script="$runfiles/tests/observability/otlp_decode_test.sh"
export OTLP_EXPORT_APP="${OTLP_EXPORT_APP:-$runfiles/tests/observability/otlp_export_app}"
export FAILOVER_REPO="${FAILOVER_REPO:-$(cd "$(dirname "$(readlink -f "$script")")/../.." && pwd)}"

root_js="$FAILOVER_REPO/node_modules/@opentelemetry/otlp-transformer/build/src/generated/root.js"
if [ ! -f "$root_js" ]; then
  echo "otlp_decode_test: $root_js is missing: run tools/lib/install-packages" >&2
  exit 1
fi
exec /usr/bin/node "$runfiles/tests/observability/otlp_decode_test.mjs"
