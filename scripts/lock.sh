#!/usr/bin/env bash
# Rewrite requirements.lock from the current .venv (after adding a dependency to pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# Exact versions of everything the project and its tests use (pip install --no-deps -r requirements.lock)."
  echo "# Regenerate: scripts/lock.sh. torch is the CPU build pip finds on this machine (a newer one pulls CUDA)."
  # A package installed from a local wheel (llama-cpp-python, built once by install_llamacpp.sh) is
  # pinned by its version, not by the path of the wheel.
  .venv/bin/python -m pip freeze --exclude-editable | grep -v '^#' | grep -vi '^summariser' \
    | sed -E 's#^([A-Za-z0-9_.-]+) @ file://.*/[A-Za-z0-9_.]+-([0-9][A-Za-z0-9_.+!]*)-[^/]*\.whl.*$#\1==\2#'
} > requirements.lock
