#!/usr/bin/env bash
# Set up (first run only) and run the test suite. Extra arguments go to pytest,
# e.g. `bash scripts/test.sh -m slow` for the end-to-end runs with the real model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
