"""Plain text and Markdown: decoded as they are (encoding detected)."""

from __future__ import annotations

from .base import Parsed, decode_bytes


def parse(data: bytes, name: str) -> Parsed:
    """The decoded text of a plain-text or Markdown file."""
    return Parsed(decode_bytes(data, name), {"format": "text"})
