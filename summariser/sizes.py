"""Sizes in messages, in the unit of the settings: MiB (2**20 bytes), as `[load] max_mb` counts them."""

from __future__ import annotations

MIB = 2**20


def mib(size: float) -> str:
    """`size` bytes in MiB, to three significant digits: 16 * 2**20 bytes is '16 MiB' (not '17 MB')."""
    return f"{size / MIB:.3g} MiB"
