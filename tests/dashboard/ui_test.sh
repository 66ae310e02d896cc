#!/usr/bin/env bash
# Runs ui_test.mjs (headless Chromium against a real failoverd) with the paths it needs:
#   FAILOVERD        the failoverd binary from this test's runfiles (or --test_env=FAILOVERD=...)
#   FAILOVER_REPO    the source tree holding node_modules/ (playwright-core, chart.js), found by
#                    following this script's runfiles symlink back to tests/dashboard/ in the
#                    source tree (set FAILOVER_REPO yourself to use another checkout's
#                    node_modules). tools/lib/install-packages runs `npm ci` there.
set -euo pipefail

runfiles="${TEST_SRCDIR:?run me with bazel test}/${TEST_WORKSPACE:-failover}"
script="$runfiles/tests/dashboard/ui_test.sh"
export FAILOVERD="${FAILOVERD:-$runfiles/dashboard/failoverd}"
export FAILOVER_REPO="${FAILOVER_REPO:-$(cd "$(dirname "$(readlink -f "$script")")/../.." && pwd)}"

if [ ! -d "$FAILOVER_REPO/node_modules/playwright-core" ]; then
  echo "ui_test: $FAILOVER_REPO/node_modules/playwright-core is missing: run tools/lib/install-packages" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "ui_test: /usr/bin/chromium is missing: run tools/lib/install-packages (Debian package chromium)" >&2
  exit 1
fi
exec /usr/bin/node "$runfiles/tests/dashboard/ui_test.mjs"
