#!/usr/bin/env bash
# Install the optional llama.cpp extra into .venv: llama-cpp-python at the version pinned in
# requirements.lock (its own dependencies and the server's are in the lock and already installed).
# It compiles llama.cpp (about 4 minutes on 2 cores), so the wheel is built once and kept in
# ~/.cache/summariser/wheels, keyed by version, Python and CPU features (the build is tuned to the
# CPU it is built on); later installs, CI's included, reuse it. Exits non-zero if it cannot be built.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(sed -n 's/^llama[-_]cpp[-_]python==//Ip' requirements.lock | head -1)"
if [ -z "$version" ]; then
  echo "setup: llama-cpp-python is not pinned in requirements.lock" >&2
  exit 1
fi
have="$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("llama_cpp_python"))' 2>/dev/null || true)"
if [ "$have" = "$version" ]; then
  exit 0
fi
pytag="$(.venv/bin/python -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
cpu="$( (grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || uname -m) | sha256sum | cut -c1-12)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/summariser/wheels/llama-cpp-python-$version-$pytag-$cpu"
wheel="$(ls "$cache"/llama_cpp_python-"$version"-*.whl 2>/dev/null | head -1 || true)"
if [ -z "$wheel" ]; then
  echo "setup: building llama-cpp-python $version once (compiles llama.cpp, about 4 minutes); cached in $cache" >&2
  mkdir -p "$cache"
  build="$(mktemp -d "$cache/.build.XXXXXX")"
  trap 'rm -rf "$build"' EXIT
  .venv/bin/python -m pip wheel --quiet --disable-pip-version-check --no-deps -w "$build" "llama-cpp-python==$version"
  # A rename within the cache folder: a build killed half-way never leaves a wheel behind.
  for built in "$build"/llama_cpp_python-*.whl; do mv "$built" "$cache/"; done
  wheel="$(ls "$cache"/llama_cpp_python-"$version"-*.whl | head -1)"
fi
echo "setup: installing $(basename "$wheel")" >&2
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps "$wheel"
