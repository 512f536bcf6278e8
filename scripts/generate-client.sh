#!/usr/bin/env bash
# Write openapi/openapi.json from the app and regenerate the typed Python client from it.
# CI runs the same steps in tests/unit/test_contract.py and fails on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/autointerp openapi --output openapi/openapi.json
.venv/bin/openapi-python-client generate --path openapi/openapi.json \
  --config clients/generator-config.yaml --meta setup \
  --output-path clients/python --overwrite
