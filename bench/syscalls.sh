#!/usr/bin/env bash
# System calls per request for each route of bench-server's API, counted by `strace -c` while
# wrk loads the route: where the kernel part of an auth-service call comes from (its extra
# send and receive, and the eventfd `write` with which awc's per-call date task wakes the
# event loop). strace slows the API down; the counts per request are what matter.
#
#   bench/syscalls.sh                   # every route
#   bench/syscalls.sh plain uncached    # some routes
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_ROUTE=${SECONDS_PER_ROUTE:-2}
API_PORT=${API_PORT:-18020}
AUTH_PORT=${AUTH_PORT:-18021}
routes=("$@")
(( ${#routes[@]} )) || routes=(plain cached uncached grants bare)

source bench/common.sh
install_missing wrk strace
build_bench_server
out=$(mktemp -d)

"$bin" auth --port "$AUTH_PORT" >/dev/null & auth_pid=$!
"$bin" api --port "$API_PORT" --auth "http://127.0.0.1:$AUTH_PORT/users/me" >/dev/null & api_pid=$!
trap 'kill $auth_pid $api_pid 2>/dev/null || true; rm -rf "$out"' EXIT

wait_for "$API_PORT" "$AUTH_PORT"

load() {  # load <route> <seconds>: prints the number of requests wrk completed
  wrk -t1 -c64 -d"${2}s" -H "Authorization: Bearer id-7" "http://127.0.0.1:$API_PORT/$1/7" |
    awk '/requests in/ {print $1}'
}

printf '%-10s %10s %8s %8s %8s %12s\n' route requests sendto recvfrom write epoll_wait
for route in "${routes[@]}"; do
  load "$route" 1 >/dev/null  # warm-up: pooled connections open
  strace -c -f -p "$api_pid" -o "$out/$route" 2>/dev/null & strace_pid=$!
  # strace attaches within a moment; a request before it is attached is simply not counted,
  # which only lowers the counts below by a hair.
  sleep 0.5
  requests=$(load "$route" "$SECONDS_PER_ROUTE")
  kill -INT "$strace_pid"; wait "$strace_pid" 2>/dev/null || true
  python3 - "$route" "$requests" "$out/$route" <<'PY'
import sys
route, requests, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
calls = {}
for line in open(path):
    fields = line.split()
    # Rows are: % time, seconds, usecs/call, calls, [errors,] syscall.
    if len(fields) >= 5 and fields[-1].isidentifier() and fields[3].isdigit():
        calls[fields[-1]] = int(fields[3])
per = lambda name: calls.get(name, 0) / max(1, requests)
print(f"{route:<10} {requests:>10} {per('sendto'):>8.2f} {per('recvfrom'):>8.2f} "
      f"{per('write'):>8.2f} {per('epoll_wait'):>12.3f}")
PY
done
