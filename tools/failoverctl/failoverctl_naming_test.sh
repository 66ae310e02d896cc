#!/bin/sh
# Runs the real failoverctl binary's naming commands on directories written here, as an operator
# would: a failover directory in the Nacos Java client's documented format (one file
# pretty-printed as in the docs, one single-line as the Java client writes), a switch file saved
# with a BOM and CRLF, lookups with and without clusters, the exit-3 cases, validate on stray and
# truncated files, and dump refusing to overwrite, then --force. Runs from the runfiles root.
set -u
BIN="$PWD/tools/failoverctl/failoverctl"
ROOT="${TEST_TMPDIR:-$(mktemp -d)}/naming"
CACHE="$ROOT/nacos/naming/public"
DIR="$CACHE/failover"
SWITCH="00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00"
OUT="$ROOT.out"
ERR="$ROOT.err"
failures=0
rm -rf "$ROOT"
mkdir -p "$DIR"

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

run() {  # expected_code description args...
  want=$1
  what=$2
  shift 2
  env -i "$BIN" "$@" >"$OUT" 2>"$ERR"
  got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: exit $got, want $want"
    echo "stdout:"; cat "$OUT"; echo "stderr:"; cat "$ERR"
  fi
}

out_has() {  # description text
  grep -qF -- "$2" "$OUT" || { fail "$1: stdout lacks '$2'"; cat "$OUT"; }
}
err_has() {
  grep -qF -- "$2" "$ERR" || { fail "$1: stderr lacks '$2'"; cat "$ERR"; }
}
out_empty() {
  [ ! -s "$OUT" ] || { fail "$1: stdout is not empty"; cat "$OUT"; }
}

# The documented example, pretty-printed as the Nacos docs show it.
cat >"$DIR/DEFAULT_GROUP%40%40test.2" <<'EOF'
{
    "name":"DEFAULT_GROUP@@test.2",
    "groupName":"DEFAULT_GROUP",
    "clusters":"",
    "cacheMillis":10000,
    "hosts":[
        {
            "instanceId":"1.1.2.1#8888#DEFAULT#DEFAULT_GROUP@@test.2",
            "ip":"1.1.2.1",
            "port":8888,
            "weight":1,
            "healthy":true,
            "enabled":true,
            "ephemeral":true,
            "clusterName":"DEFAULT",
            "serviceName":"DEFAULT_GROUP@@test.2",
            "metadata":{
                "k1":"v1"
            },
            "instanceHeartBeatInterval":5000,
            "instanceHeartBeatTimeOut":15000,
            "ipDeleteTimeout":30000
        }
    ],
    "lastRefTime":1689835375819,
    "checksum":"",
    "allIPs":false,
    "reachProtectionThreshold":false,
    "valid":true
}
EOF
# One line, as the Java client writes it: one host in c1, one in c2.
C1='{"instanceId":"10.0.0.1#8080#c1#DEFAULT_GROUP@@orders","ip":"10.0.0.1","port":8080,"weight":1.0,"healthy":true,"enabled":true,"ephemeral":true,"clusterName":"c1","serviceName":"DEFAULT_GROUP@@orders","metadata":{"zone":"a"},"instanceHeartBeatInterval":5000,"instanceHeartBeatTimeOut":15000,"ipDeleteTimeout":30000}'
C2='{"instanceId":"10.0.0.2#8080#c2#DEFAULT_GROUP@@orders","ip":"10.0.0.2","port":8080,"weight":2.5,"healthy":false,"enabled":true,"ephemeral":true,"clusterName":"c2","serviceName":"DEFAULT_GROUP@@orders","metadata":{},"instanceHeartBeatInterval":5000,"instanceHeartBeatTimeOut":15000,"ipDeleteTimeout":30000}'
printf '%s' "{\"name\":\"DEFAULT_GROUP@@orders\",\"groupName\":\"DEFAULT_GROUP\",\"clusters\":\"\",\"cacheMillis\":10000,\"hosts\":[$C1,$C2],\"lastRefTime\":1700000000123,\"checksum\":\"\",\"allIPs\":false,\"reachProtectionThreshold\":false,\"valid\":true}" \
  >"$DIR/DEFAULT_GROUP%40%40orders"
printf '{"name":"empty","hosts":[]}' >"$DIR/DEFAULT_GROUP%40%40empty"

# --- switch ---
run 0 "switch status, no file" naming switch status --dir "$DIR"
out_has "switch status, no file" "off: no switch file '$DIR/$SWITCH'"
run 3 "lookup with the switch absent" naming lookup --dir "$DIR" --service orders
out_empty "lookup with the switch absent"
err_has "lookup with the switch absent" "failover is off: no switch file"
run 0 "switch on" naming switch on --dir "$DIR"
out_has "switch on" "on: switch file '$DIR/$SWITCH' line 1 is '1'"
[ "$(cat "$DIR/$SWITCH")" = "1" ] || fail "switch on: file holds '$(cat "$DIR/$SWITCH")'"
run 1 "switch on a missing directory" naming switch on --dir "$ROOT/typo"
err_has "switch on a missing directory" "--dir '$ROOT/typo': no such directory"
[ ! -e "$ROOT/typo" ] || fail "switch on a missing directory created it"
run 2 "switch without --dir" naming switch on
err_has "switch without --dir" "failoverctl: naming switch: --dir DIR is required"

# A switch saved by Windows Notepad: BOM and CRLF.
printf '\357\273\2771\r\n' >"$DIR/$SWITCH"
run 0 "switch status, BOM and CRLF" naming switch status --dir "$DIR"
out_has "switch status, BOM and CRLF" "on: "

# --- lookup ---
run 0 "lookup pretty-printed" naming lookup --dir "$DIR" --service DEFAULT_GROUP@@test.2
out_has "lookup pretty-printed" '[{"instanceId":"1.1.2.1#8888#DEFAULT#DEFAULT_GROUP@@test.2","ip":"1.1.2.1","port":8888,"weight":1.0,'
out_has "lookup pretty-printed" '"metadata":{"k1":"v1"},'
run 0 "lookup single-line" naming lookup --dir "$DIR" --service orders
[ "$(cat "$OUT")" = "[$C1,$C2]" ] || { fail "lookup single-line: got $(cat "$OUT")"; }
run 0 "lookup --clusters c2" naming lookup --dir "$DIR" --service orders --clusters c2
[ "$(cat "$OUT")" = "[$C2]" ] || { fail "lookup --clusters c2: got $(cat "$OUT")"; }
run 0 "lookup after a filtered one" naming lookup --dir "$DIR" --service orders
[ "$(cat "$OUT")" = "[$C1,$C2]" ] || { fail "lookup after a filtered one: got $(cat "$OUT")"; }
run 3 "lookup --clusters c3" naming lookup --dir "$DIR" --service orders --clusters c3
out_empty "lookup --clusters c3"
err_has "lookup --clusters c3" "is in clusters c3 (its hosts are in: c1, c2)"
run 3 "lookup hosts []" naming lookup --dir "$DIR" --service empty
out_empty "lookup hosts []"
err_has "lookup hosts []" "has no hosts"
run 3 "lookup no file" naming lookup --dir "$DIR" --service DEFAULT_GROUP@@nothere
out_empty "lookup no file"
err_has "lookup no file" "no failover data for DEFAULT_GROUP@@nothere"
run 3 "lookup --healthy-only" naming lookup --dir "$DIR" --service orders --clusters c2 --healthy-only
err_has "lookup --healthy-only" "is healthy and enabled"
printf '0\r\n' >"$DIR/$SWITCH"
run 3 "lookup switch off" naming lookup --dir "$DIR" --service orders
out_empty "lookup switch off"
err_has "lookup switch off" "failover is off: switch file '$DIR/$SWITCH' line 1 is '0'"
run 2 "lookup bad option" naming lookup --dir "$DIR" --service orders --cluster c1
err_has "lookup bad option" "unknown option '--cluster'"

# --- validate ---
printf 'x' >"$DIR/.DS_Store"
printf '{\n  "hosts": [\n    {"ip": "10.0.0.9",' >"$DIR/DEFAULT_GROUP%40%40truncated"
run 1 "validate" naming validate --dir "$DIR"
out_has "validate" "BAD .DS_Store: bad_name: "
out_has "validate" "OK $SWITCH (off)"
out_has "validate" "OK DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, 2 hosts)"
out_has "validate" "OK DEFAULT_GROUP%40%40test.2 (DEFAULT_GROUP@@test.2, 1 host)"
out_has "validate" "BAD DEFAULT_GROUP%40%40truncated: bad_content: line 3, column"
[ "$(wc -l <"$OUT")" -eq 6 ] || { fail "validate: want 6 lines"; cat "$OUT"; }
rm "$DIR/.DS_Store" "$DIR/DEFAULT_GROUP%40%40truncated"
run 0 "validate clean" naming validate --dir "$DIR"

# --- dump ---
printf '{"hosts":[{"ip":"10.1.1.1","port":80}]}' >"$CACHE/DEFAULT_GROUP%40%40pay"
printf '{"hosts":[{"ip":"10.3.3.3","port":80}]}' >"$CACHE/DEFAULT_GROUP%40%40orders"
printf '{"hosts":[' >"$CACHE/DEFAULT_GROUP%40%40broken"
before_orders=$(cat "$DIR/DEFAULT_GROUP%40%40orders")
before_switch=$(cat "$DIR/$SWITCH")
run 1 "dump without --force" naming dump --dir "$DIR" --from-cache "$CACHE"
out_has "dump without --force" "SKIP DEFAULT_GROUP%40%40broken: bad_content:"
out_has "dump without --force" "KEPT DEFAULT_GROUP%40%40orders: exists; --force replaces it"
out_has "dump without --force" "WROTE DEFAULT_GROUP%40%40pay (DEFAULT_GROUP@@pay, 1 host)"
err_has "dump without --force" "failoverctl: naming dump: 2 of 3 failover files not written"
[ "$(cat "$DIR/DEFAULT_GROUP%40%40orders")" = "$before_orders" ] || fail "dump overwrote orders"
[ -f "$DIR/DEFAULT_GROUP%40%40pay" ] || fail "dump did not write pay"
run 0 "dump --force" naming dump --dir "$DIR" --from-cache "$CACHE" --force --service orders
out_has "dump --force" "WROTE DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, 1 host)"
grep -qF '"ip":"10.3.3.3"' "$DIR/DEFAULT_GROUP%40%40orders" || fail "dump --force kept the old orders"
[ "$(cat "$DIR/$SWITCH")" = "$before_switch" ] || fail "dump touched the switch file"
ls -A "$DIR" | grep -q '^\.failover-tmp' && fail "dump left a temporary file"
run 1 "dump from a missing cache" naming dump --dir "$DIR" --from-cache "$ROOT/none"
err_has "dump from a missing cache" "--from-cache '$ROOT/none': no such directory"

run 0 "help" naming --help
out_has "help" "failoverctl naming dump --dir DIR --from-cache CACHE_DIR"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
