#!/usr/bin/env bash
# Set up (first run only) and run the test suite. Extra arguments go to pytest,
# e.g. `bash scripts/test.sh -m slow` for the end-to-end runs with the real model.
set -euo pipefail
cd "$(dirname "$0")/.."
# The llamacpp extra (its backend and server tests run, not skip); CI must have it, elsewhere a machine
# that cannot compile it skips those tests and says why.
bash scripts/setup.sh --llamacpp || {
  [ "${CI:-}" = "true" ] && exit 1
  echo "test: could not install the llamacpp extra; its tests will be skipped" >&2
}
# The browser test drives Debian's chromium (Playwright's own browser download does not work offline).
# Install it where we may (root with apt-get, as in CI); elsewhere that one test is reported as skipped.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "test: installing Debian chromium for the browser test" >&2
  export DEBIAN_FRONTEND=noninteractive
  (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1)) \
    || echo "test: could not install chromium; the browser test will be skipped" >&2
fi
exec .venv/bin/python -m pytest "$@"
