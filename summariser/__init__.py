"""summariser: intelligence-style briefs of documents with a local open model."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["Brief", "Summariser", "load_settings", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy: `brief --help` must not import torch, spaCy or LangChain.
    if name == "Summariser":
        from .pipeline import Summariser

        return Summariser
    if name == "Brief":
        from .brief import Brief

        return Brief
    if name == "load_settings":
        from .config import load_settings

        return load_settings
    raise AttributeError(name)
