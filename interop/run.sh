#!/usr/bin/env bash
# The interop suite: installs two real identity providers (oidc-provider from npm,
# django-oauth-toolkit from PyPI) into interop/providers, then runs tests/providers against
# them on 127.0.0.1. Needs node, npm and python3 with venv; nothing else.
set -euo pipefail
cd "$(dirname "$0")"

providers/oidc-provider/setup.sh
providers/django-oauth-toolkit/setup.sh
# Shares the workspace's target directory, so the crates it has built are not built again.
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-../target}" cargo test --manifest-path Cargo.toml "$@"
