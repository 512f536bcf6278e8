#!/usr/bin/env bash
# Command 2: set up with the test tools, lint, and run the whole test suite against a real
# Redis (127.0.0.1:6379 when one answers there, else an embedded redis-server).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/ruff check service tests bench
.venv/bin/ruff format --check service tests bench
.venv/bin/hadolint Dockerfile
.venv/bin/mypy
.venv/bin/python -m pytest -q --timeout 300 "$@"
