#!/usr/bin/env bash
# Schemathesis (an independent property-based API tester) against the sandbox: every check, all
# 18 operations of openapi/pressone-esim.yaml, fixed seed, bounded examples. Settings and the
# per-operation exclusions (each with its reason) are in conformance/schemathesis.toml.
#
# The Python virtual environment is cached under target/conformance/ (rebuilt when the pinned
# version changes). Exit status: Schemathesis's (0 = no failure).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
WORK=target/conformance
VENV=$WORK/venv-$SCHEMATHESIS_VERSION
mkdir -p "$WORK"

if [ ! -x "$VENV/bin/schemathesis" ]; then
    echo "== conformance: installing schemathesis==$SCHEMATHESIS_VERSION into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

echo "== conformance: building the sandbox"
cargo build --quiet --locked -p pressone-esim-sandbox --bin pressone-esim-sandbox
SANDBOX=${CARGO_TARGET_DIR:-target}/debug/pressone-esim-sandbox

# Port 0: the sandbox binds a free port and prints its base URL.
LOG=$WORK/sandbox.log
"$SANDBOX" --addr 127.0.0.1:0 --seed 18 >"$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT
BASE=
for _ in $(seq 1 100); do
    BASE=$(sed -n 's/^PressOne eSIM sandbox listening on \(http[^ ]*\).*/\1/p' "$LOG")
    [ -n "$BASE" ] && break
    kill -0 "$PID" 2>/dev/null || { cat "$LOG"; exit 1; }
    sleep 0.1
done
[ -n "$BASE" ] || { echo "sandbox did not start"; cat "$LOG"; exit 1; }
echo "== conformance: sandbox at $BASE"

TOKEN=$("$VENV/bin/python" - "$BASE" <<'PY'
import json, sys, urllib.parse, urllib.request
body = urllib.parse.urlencode({"client_id": "sandbox-client-id",
                               "client_secret": "sandbox-client-secret",
                               "grant_type": "client_credentials"}).encode()
req = urllib.request.Request(sys.argv[1] + "/customer/v2/token", data=body,
                             headers={"Accept": "application/json"})
print(json.load(urllib.request.urlopen(req))["data"]["access_token"])
PY
)

START=$(date +%s)
set +e
"$VENV/bin/schemathesis" --config-file conformance/schemathesis.toml run \
    openapi/pressone-esim.yaml --url "$BASE" \
    -H "Authorization: Bearer $TOKEN" -H "Accept: application/json" \
    --report junit --report-dir "$WORK/report" "$@"
STATUS=$?
set -e
echo "== conformance: schemathesis exit $STATUS after $(( $(date +%s) - START ))s"
exit $STATUS
