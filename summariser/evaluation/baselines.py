"""Extractive baselines behind one small interface, looked up by name ('lead-3', 'centrality-3')."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ..nlp import Sentence, analyse
from ..salience import select

Baseline = Callable[[str], str]


@lru_cache(maxsize=16)
def _sentences(text: str) -> tuple[Sentence, ...]:
    """An article's sentences, parsed once for all baselines."""
    return tuple(analyse(text))


def lead(k: int) -> Baseline:
    """The first `k` sentences: the classic news baseline (Lead-3 for CNN/DM, Lead-1 for XSum)."""

    def run(text: str) -> str:
        return " ".join(s.text for s in _sentences(text)[:k])

    return run


def centrality(k: int) -> Baseline:
    """The `k` sentences most similar to the whole document, in document order (no position prior)."""

    def run(text: str) -> str:
        return " ".join(s.text for s in select(_sentences(text), k, position_share=0.0))

    return run


FAMILIES: dict[str, Callable[[int], Baseline]] = {"lead": lead, "centrality": centrality}


def get_baseline(name: str) -> Baseline:
    """A baseline by name: '<family>-<k>', e.g. 'lead-3'."""
    match = re.fullmatch(r"([a-z]+)-(\d+)", name)
    if not match or match.group(1) not in FAMILIES:
        raise ValueError(f"unknown baseline {name!r}; use one of {', '.join(f'{f}-N' for f in FAMILIES)}")
    return FAMILIES[match.group(1)](int(match.group(2)))
