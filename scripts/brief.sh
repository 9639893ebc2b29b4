#!/usr/bin/env bash
# Quick start: set up (first run only) and brief the given documents with the default model.
# With no arguments it briefs the seed document and prints the Markdown brief.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "$#" -eq 0 ]; then
  set -- run seeds/000_2c347e933061e894.txt
fi
exec .venv/bin/brief "$@"
