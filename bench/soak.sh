#!/usr/bin/env bash
# Soak test (not part of the test run): >= 1,000 connections of valid, invalid and missing
# tokens for 60 s while the auth service is stopped and restarted; see bench/soak/soak.py.
#   bench/soak.sh                          # SECONDS_TOTAL=60 CONNECTIONS_PER_CLASS=350
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
# 1,050 connections need more descriptors than the usual default of 1,024.
ulimit -n "$(ulimit -Hn)"
cargo build --quiet --release -p actix-authorize-bench --bin bench-server
exec python3 bench/soak/soak.py target/release/bench-server
