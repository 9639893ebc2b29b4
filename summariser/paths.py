"""Where the tool keeps and finds files, in one neutral place (no model code is imported here).

Shipped files (suites, their small data, the gold, the seed, published results) sit in the repository
(`eval/`, `seeds/`) and, in a wheel, under `summariser/data/` in the same layout (pyproject.toml), so a
suite's relative paths mean the same in both. Large data that is not shipped (the FRANK files) is named
in suites through `$SUMMARISER_DATA`.
"""

from __future__ import annotations

import os
from pathlib import Path

from .config import DATA_ENV

PACKAGE = Path(__file__).resolve().parent


def default_cache_dir() -> Path:
    """Per-user cache (converted weights, cached briefs): `$XDG_CACHE_HOME/summariser`, else `~/.cache/summariser`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "summariser"


def checkout_root() -> Path | None:
    """The repository this package runs from (an editable install or a clone), or None (an installed wheel)."""
    root = PACKAGE.parent
    return root if (root / "pyproject.toml").is_file() and (root / "eval" / "suites").is_dir() else None


def resource(*parts: str) -> Path:
    """A shipped file or folder by its repository path, e.g. `resource("eval", "suites")`: the wheel's
    copy under `summariser/data/`, else the checkout's. The path may not exist (callers say so)."""
    packaged = PACKAGE.joinpath("data", *parts)
    root = checkout_root()
    if packaged.exists() or root is None:
        return packaged
    return root.joinpath(*parts)


def shared_data_dir() -> Path | None:
    """The folder of data too large to ship (FRANK): `$SUMMARISER_DATA`, else `../shared/data` beside a
    checkout when it is there, else None."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]).expanduser().resolve()
    root = checkout_root()
    if root is not None and (root.parent / "shared" / "data").is_dir():
        return root.parent / "shared" / "data"
    return None
