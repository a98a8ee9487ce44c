#!/usr/bin/env bash
# Instructions per request for each route of bench-server's API, counted by callgrind: a
# figure the noise of a shared machine does not touch, unlike the req/s of bench/load.sh.
# One keep-alive client sends REQUESTS requests to one route after a warm-up; only those are
# counted, in the API process alone (the auth service runs outside valgrind). Kernel time,
# which the load benchmark shows, is not counted.
#
#   bench/instructions.sh                         # every route, REQUESTS=2000
#   bench/instructions.sh plain cached            # some routes
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=${REQUESTS:-2000}
API_PORT=${API_PORT:-18010}
AUTH_PORT=${AUTH_PORT:-18011}
routes=("$@")
(( ${#routes[@]} )) || routes=(plain cached uncached grants bare)

source bench/common.sh
install_missing valgrind
build_bench_server
out=$(mktemp -d)

"$bin" auth --port "$AUTH_PORT" >/dev/null & auth_pid=$!
api_pid=
trap 'kill $auth_pid $api_pid 2>/dev/null || true; rm -rf "$out"' EXIT

wait_for "$AUTH_PORT"

printf '%-10s %14s %16s\n' route "instr/request" "vs plain"
for route in "${routes[@]}"; do
  # Instrumentation starts off and is switched on around the measured requests only.
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/$route" \
    "$bin" api --port "$API_PORT" --auth "http://127.0.0.1:$AUTH_PORT/users/me" \
    >/dev/null 2>"$out/$route.log" & api_pid=$!
  wait_for "$API_PORT"
  python3 - "$route" "$REQUESTS" "$API_PORT" "$api_pid" <<'PY'
import http.client, subprocess, sys
route, requests, port, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
connection = http.client.HTTPConnection("127.0.0.1", port)
def send(count):
    for _ in range(count):
        connection.request("GET", f"/{route}/7", headers={"Authorization": "Bearer id-7"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"/{route}/7 answered {response.status}")
send(200)
subprocess.run(["callgrind_control", "-i", "on", pid], check=True, capture_output=True)
send(requests)
subprocess.run(["callgrind_control", "-i", "off", pid], check=True, capture_output=True)
PY
  kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=
  total=$(callgrind_annotate "$out/$route" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  per_request=$(( total / REQUESTS ))
  [[ $route == plain ]] && plain=$per_request
  if [[ -n ${plain:-} ]]; then
    printf '%-10s %14d %+16d\n' "$route" "$per_request" "$(( per_request - plain ))"
  else
    printf '%-10s %14d %16s\n' "$route" "$per_request" "-"
  fi
done
