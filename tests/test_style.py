"""Style enforced in CI: `ruff check` and `mypy` (configured in pyproject.toml) pass on the code.

They run here, as tests, so the README's test command (which CI runs) runs them too. Their versions are
pinned in the test extra and requirements.lock, so a new release cannot fail a build of unchanged code.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)


def _tool(module: str) -> None:
    """Fail (not skip) when the tool is missing: the test extra installs it, and a skip would hide it."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{module} is not installed: pip install -e '.[test]' (pinned in requirements.lock)")


def test_ruff_check_passes():
    _tool("ruff")
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    done = _run(ruff, "check", "summariser", "tests", "scripts")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_passes_on_the_package():
    _tool("mypy")
    done = _run(sys.executable, "-m", "mypy")  # files, plugins and overrides: [tool.mypy] in pyproject.toml
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout
