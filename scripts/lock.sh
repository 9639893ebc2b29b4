#!/usr/bin/env bash
# Rewrite requirements.lock from the current .venv (after adding a dependency to pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# Exact versions of everything the project and its tests use (pip install --no-deps -r requirements.lock)."
  echo "# Regenerate: scripts/lock.sh. torch is the CPU build pip finds on this machine (a newer one pulls CUDA)."
  .venv/bin/python -m pip freeze --exclude-editable | grep -v '^#' | grep -vi '^summariser'
} > requirements.lock
