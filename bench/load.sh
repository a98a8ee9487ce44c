#!/usr/bin/env bash
# Load benchmark: the same route served plain, behind #[authorize] with the cache (hits), behind
# #[authorize] without the cache (one auth-service call per request), and behind
# actix-web-grants calling the same auth service per request, and as a floor (no contender)
# the peer's awc call alone, its answer read but not parsed. Release build, one worker each
# for the API and the auth service, wrk on loopback; runs interleaved, medians reported with
# their ratio to plain from the same run. Then unloaded latency and the RSS of 100k cached
# users.
#
#   bench/load.sh                       # ROUNDS=5 DURATION=5 CONNECTIONS=64 by default
#   ROUNDS=3 DURATION=3 bench/load.sh   # quicker
#   TOKEN_BYTES=1024 bench/load.sh      # a token the size of a typical JWT (default: 4 bytes)
#
# The API is pinned to CPU 0, wrk and the auth service to CPU 1 (taskset), so the API has one
# core to itself as in a one-worker deployment.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-64}
USERS=${USERS:-100000}
TOKEN_BYTES=${TOKEN_BYTES:-4}
API_PORT=${API_PORT:-18000}
AUTH_PORT=${AUTH_PORT:-18001}

source bench/common.sh
install_missing wrk
build_bench_server
auth_url="http://127.0.0.1:$AUTH_PORT/users/me"
cpu0=() cpu1=()
if command -v taskset >/dev/null; then cpu0=(taskset -c 0) cpu1=(taskset -c 1); fi

# taskset execs the server, so $! is the server itself and the trap stops it.
"${cpu1[@]}" "$bin" auth --port "$AUTH_PORT" >/dev/null & auth_pid=$!
"${cpu0[@]}" "$bin" api --port "$API_PORT" --auth "$auth_url" >/dev/null & api_pid=$!
trap 'kill $auth_pid $api_pid 2>/dev/null || true' EXIT

wait_for "$API_PORT" "$AUTH_PORT"

auth_calls() { exec 3<>"/dev/tcp/127.0.0.1/$AUTH_PORT"; printf 'GET /stats HTTP/1.0\r\n\r\n' >&3; tail -n 1 <&3; exec 3>&-; }
# The API process's CPU time so far, user and system, in clock ticks (proc(5), fields 14-15).
api_cpu() { awk '{print $14, $15}' "/proc/$api_pid/stat"; }

# The auth service reads the user from `id-7` and ignores what follows a dot.
token=id-7
if (( TOKEN_BYTES > ${#token} + 1 )); then
  token="$token.$(head -c $(( TOKEN_BYTES - ${#token} - 1 )) /dev/zero | tr '\0' 'x')"
fi

results=$(mktemp)
# One wrk run: prints "variant connections requests req_per_s p50_us p99_us auth_calls
# auth_connections api_user_ticks api_sys_ticks". Each /stats read opens a connection of its
# own, hence the - 1.
measure() {
  local variant=$1 connections=$2 seconds=$3 before after output cpu_before cpu_after
  before=$(auth_calls)
  cpu_before=$(api_cpu)
  output=$("${cpu1[@]}" wrk -t1 -c"$connections" -d"${seconds}s" --latency \
    -H "Authorization: Bearer $token" "http://127.0.0.1:$API_PORT/$variant/7")
  cpu_after=$(api_cpu)
  after=$(auth_calls)
  if grep -q "Non-2xx" <<<"$output"; then echo "$variant: non-2xx answers" >&2; echo "$output" >&2; exit 1; fi
  local calls=$(( ${after% *} - ${before% *} )) opened=$(( ${after#* } - ${before#* } - 1 ))
  local user=$(( ${cpu_after% *} - ${cpu_before% *} )) system=$(( ${cpu_after#* } - ${cpu_before#* } ))
  python3 - "$variant" "$connections" "$calls" "$opened" "$user" "$system" <<PY
import re, sys
out = """$output"""
def us(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 1, "ms": 1e3, "s": 1e6}[unit]
requests = int(re.search(r"(\d+) requests in", out).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
# Anchored: a "+/- Stdev" column such as "84.50%" also ends in "50%".
p50 = us(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
p99 = us(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
print(sys.argv[1], sys.argv[2], requests, rps, p50, p99, *sys.argv[3:7])
PY
}

variants="plain cached uncached grants bare"
for variant in $variants; do measure "$variant" "$CONNECTIONS" 1 >/dev/null; done  # warm-up
for round in $(seq 1 "$ROUNDS"); do
  for variant in $variants; do measure "$variant" "$CONNECTIONS" "$DURATION" >>"$results"; done
  for variant in plain cached; do measure "$variant" 1 "$DURATION" >>"$results"; done
  echo "round $round of $ROUNDS done" >&2
done

memory=$("$bin" memory --auth "$auth_url" --users "$USERS")

python3 - "$results" "$ROUNDS" "$DURATION" "$CONNECTIONS" "$memory" "$(getconf CLK_TCK)" "${#token}" <<'PY'
import statistics, sys
path, rounds, duration, connections, memory, ticks, token_bytes = sys.argv[1:]
rows = [line.split() for line in open(path)]
def median(variant, conns, column):
    values = [float(r[column]) for r in rows if r[0] == variant and r[1] == conns]
    return statistics.median(values)
def calls_per_request(variant, conns):
    picked = [r for r in rows if r[0] == variant and r[1] == conns]
    return sum(int(r[6]) for r in picked) / max(1, sum(int(r[2]) for r in picked))
def connections_opened(variant, conns):
    return sum(int(r[7]) for r in rows if r[0] == variant and r[1] == conns)
def cpu_per_request(variant, conns, column):
    """The API's CPU time per request, in microseconds, over all rounds."""
    picked = [r for r in rows if r[0] == variant and r[1] == conns]
    seconds = sum(int(r[column]) for r in picked) / int(ticks)
    return seconds * 1e6 / max(1, sum(int(r[2]) for r in picked))
print(f"\nwrk -t1 -c{connections}, {rounds} interleaved rounds of {duration}s, medians; API on 1 worker; "
      f"{token_bytes}-byte token")
print(f"{'contender':<34}{'req/s':>10}{'vs plain':>10}{'p50 us':>9}{'p99 us':>9}{'auth calls/req':>16}{'auth conns':>12}"
      f"{'API us/req user':>17}{'sys':>6}")
names = {"plain": "plain handler", "cached": "#[authorize], cache hits",
         "uncached": "#[authorize], cache off", "grants": "actix-web-grants, call per request",
         "bare": "floor: awc call alone, no check"}
base = median("plain", connections, 3)
for variant in ["plain", "cached", "uncached", "grants", "bare"]:
    rps = median(variant, connections, 3)
    print(f"{names[variant]:<34}{rps:>10.0f}{rps / base:>9.1%}{median(variant, connections, 4):>9.0f}"
          f"{median(variant, connections, 5):>9.0f}{calls_per_request(variant, connections):>16.3f}"
          f"{connections_opened(variant, connections):>12}"
          f"{cpu_per_request(variant, connections, 8):>17.2f}{cpu_per_request(variant, connections, 9):>6.2f}")
print("(auth conns: connections the auth service accepted over all rounds; pooled clients open few)")
print("(API us/req: the API process's CPU time per request, from /proc, user and kernel)")
plain_p50, cached_p50 = median("plain", "1", 4), median("cached", "1", 4)
print(f"\nunloaded (wrk -c1) p50: plain {plain_p50:.1f} us, cache hit {cached_p50:.1f} us, added {cached_p50 - plain_p50:.1f} us")
print(memory)
PY
