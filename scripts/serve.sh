#!/usr/bin/env bash
# Command 1: set up, then run the service on embedded defaults (local models, embedded Redis
# unless AUTOINTERP_REDIS_URL is set) at http://127.0.0.1:8000 (AUTOINTERP_PORT to change).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/autointerp serve "$@"
