"""Where the tool keeps and finds files, in one neutral place (no model code is imported here)."""

from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir() -> Path:
    """Per-user cache (converted weights, cached briefs): `$XDG_CACHE_HOME/summariser`, else `~/.cache/summariser`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "summariser"
