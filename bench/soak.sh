#!/usr/bin/env bash
# Soak test (not part of the test run): >= 1,000 connections of valid, invalid and missing
# tokens for 60 s while the auth service is stopped and restarted; see bench/soak/soak.py.
#   bench/soak.sh                          # SECONDS_TOTAL=60 CONNECTIONS_PER_CLASS=350
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
install_missing wrk
# 1,050 connections need more descriptors than the usual default of 1,024.
ulimit -n "$(ulimit -Hn)"
build_bench_server
exec python3 bench/soak/soak.py "$bin"
