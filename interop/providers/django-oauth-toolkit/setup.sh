#!/usr/bin/env bash
# Idempotent: creates ./.venv and installs requirements.txt into it.
# Re-running is a no-op unless requirements.txt changed.
set -euo pipefail
cd "$(dirname "$0")"
start=$(date +%s.%N)
PY=${PYTHON:-python3}
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [[ -x .venv/bin/python && -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
  echo "setup.sh: .venv up to date (nothing to do)" >&2
else
  [[ -x .venv/bin/python ]] || "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { printf "setup.sh: took %.1f s\n", b - a }' >&2
