#!/usr/bin/env bash
# Runs each fuzz target for FUZZ_SECONDS (default 600) and prints libFuzzer's closing figures.
# Needs cargo-fuzz (cargo install cargo-fuzz); on a stable toolchain the sanitizer is off
# (-s none), coverage guidance stays on; debug assertions are on, as in tests. Findings land
# in fuzz/artifacts/<target>/.
#   fuzz/run.sh                      # both targets, 10 minutes each
#   FUZZ_SECONDS=60 fuzz/run.sh authorization_header
set -euo pipefail
cd "$(dirname "$0")"
seconds=${FUZZ_SECONDS:-600}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(authorization_header auth_service_answer)
for target in "${targets[@]}"; do
  echo "== $target, ${seconds}s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run -s none --release --debug-assertions "$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 2>&1 \
    | grep -E "^(Done|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb)|ERROR|panicked|SUMMARY|cov:.*ft:" | tail -n 8
done
