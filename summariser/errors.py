"""Errors the tool reports to users as one clear line (never a traceback)."""

from __future__ import annotations


class SummariserError(Exception):
    """Base class: its message is shown to the user as it is."""


class ModelNotFoundError(SummariserError):
    """The configured model is not on this machine (and we never download at run time)."""


class DocumentError(SummariserError):
    """A document could not be read or has no usable text."""


class ConfigError(SummariserError):
    """A setting has an invalid value."""


class Cancelled(SummariserError):
    """The user stopped the work (Cancel button, Ctrl-C)."""


class ModelLoadError(ModelNotFoundError):
    """The model was found but cannot be loaded (a damaged or mislabelled file): no document can be briefed."""


class OutputError(SummariserError):
    """The output folder cannot be used or written (read-only, full, a file, locked by another run)."""
