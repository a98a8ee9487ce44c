#!/usr/bin/env bash
# Idempotent install of the pinned oidc-provider into ./node_modules. Needs node + npm only.
set -euo pipefail
cd "$(dirname "$0")"
start=$(date +%s%3N)
npm install --no-audit --no-fund --no-package-lock --loglevel=error
node -e "import('oidc-provider').then(() => console.log('oidc-provider', JSON.parse(require('fs').readFileSync('node_modules/oidc-provider/package.json')).version, 'loads'))"
echo "setup took $(( $(date +%s%3N) - start )) ms"
