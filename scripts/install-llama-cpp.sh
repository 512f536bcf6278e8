#!/usr/bin/env bash
# llama-cpp-python's OpenAI-compatible server, for the tests of the OpenAI backend. It builds
# from source (~4 min on 2 cores). A build tuned to the build machine (GGML_NATIVE, pip's
# default) segfaults on batched prompts on our VMs, so we build a portable one, once per
# machine, and keep the wheel outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.3.36
wheels=${AUTOINTERP_WHEEL_CACHE:-$HOME/.cache/autointerp/wheels}
if .venv/bin/python -c "import llama_cpp, sys; sys.exit(llama_cpp.__version__ != '$version')" \
    2>/dev/null && [ -f .venv/.llama-cpp-portable ]; then
  exit 0
fi
wheel=$(ls "$wheels"/llama_cpp_python-$version-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  mkdir -p "$wheels"
  CMAKE_ARGS="-DGGML_NATIVE=OFF" .venv/bin/python -m pip wheel --quiet --no-cache-dir \
    --no-deps -w "$wheels" "llama-cpp-python==$version"
  wheel=$(ls "$wheels"/llama_cpp_python-$version-*.whl | head -n 1)
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall \
  --no-deps "$wheel"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt \
  "llama-cpp-python[server]==$version"
touch .venv/.llama-cpp-portable
