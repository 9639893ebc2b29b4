"""The `brief` command line: the app (`app.py`) and one module per command, all calling the library API."""

from __future__ import annotations

from . import demo, eval, run  # noqa: F401  (each registers its command on `app`)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the `brief` script."""
    app()
