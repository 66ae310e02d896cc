#!/bin/sh
# Runs the real failoverctl binary: exit codes and output of `config check` on a valid file, a
# file with a typo, files with a failover.redis or failover.naming section (valid and not),
# `config properties`, and a usage error. The naming commands: failoverctl_naming_test.sh. Runs from the runfiles root.
set -u
BIN=tools/failoverctl/failoverctl
DATA=tools/failoverctl/testdata
OUT="${TEST_TMPDIR:-/tmp}/failoverctl_test.out"
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

expect_exit() {  # expected_code description command...
  want=$1
  what=$2
  shift 2
  "$@" >"$OUT" 2>&1
  got=$?
  [ "$got" -eq "$want" ] || { fail "$what: exit $got, want $want"; cat "$OUT"; }
}

expect_output() {  # description text
  grep -qF -- "$2" "$OUT" || { fail "$1: output lacks '$2'"; cat "$OUT"; }
}

expect_exit 0 "valid file" env -i "$BIN" config check "$DATA/valid.yml"
expect_output "valid file" "OK: $DATA/valid.yml: 5 properties set, store=JDBC, type=RESILIENCE"

expect_exit 1 "typo" env -i "$BIN" config check "$DATA/typo.yml"
expect_output "typo" "failover.stor.type: unknown property; did you mean failover.store.type?"
expect_output "typo" "$DATA/typo.yml:3:5:"
expect_output "typo" "INVALID: $DATA/typo.yml: 2 problems"

expect_exit 0 "env override" env -i FAILOVER_STORE_TYPE=caffeine "$BIN" config check "$DATA/valid.yml"
expect_output "env override" "store=CAFFEINE"
expect_output "env override" "environment overrides: FAILOVER_STORE_TYPE"

expect_exit 0 "redis section" env -i "$BIN" config check "$DATA/redis.yml"
expect_output "redis section" "redis endpoints: east, west"

expect_exit 1 "redis problems" env -i "$BIN" config check "$DATA/redis_invalid.yml"
expect_output "redis problems" "failover.redis.endpoints[1].weight: '-1' must be a finite number >= 0"
expect_output "redis problems" "'redis://app:****@127.0.0.1:0' is not a valid redis URI"
if grep -qF "s3cret" "$OUT"; then fail "redis problems: output shows the password"; cat "$OUT"; fi

expect_exit 0 "naming section" env -i "$BIN" config check "$DATA/naming.yml"
expect_output "naming section" "OK: $DATA/naming.yml: 6 properties set"

expect_exit 1 "naming problems" env -i "$BIN" config check "$DATA/naming_invalid.yml"
expect_output "naming problems" "$DATA/naming_invalid.yml:6:18: failover.naming.api-version: 'v3' is not a NacosApiVersion"

expect_exit 0 "redis properties" env -i "$BIN" config properties
expect_output "redis properties" "| \`failover.redis.endpoints[].uri\` | String |"

expect_exit 2 "usage" env -i "$BIN" config check
expect_output "usage" "Usage:"

expect_exit 0 "help" env -i "$BIN" --help
expect_output "help" "failoverctl config check"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
