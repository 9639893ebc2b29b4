"""Per-summary measures beside ROUGE: length, compression, novelty, entity precision, grounding."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..check import SourceIndex
from ..nlp import entities_of

_TOKEN = re.compile(r"\w+")


def words(text: str) -> int:
    """Number of words."""
    return len(text.split())


def compression(source: str, summary: str) -> float:
    """Source words per summary word (0 for an empty summary)."""
    n = words(summary)
    return words(source) / n if n else 0.0


def novel_ngrams(source: str, summary: str, n: int = 2) -> float:
    """Share of the summary's word n-grams that do not occur in the source (abstractiveness)."""
    def grams(text: str) -> list[tuple[str, ...]]:
        toks = _TOKEN.findall(text.lower())
        return [tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)]

    mine = grams(summary)
    if not mine:
        return 0.0
    pool = set(grams(source))
    return sum(g not in pool for g in mine) / len(mine)


def entity_precision(source: SourceIndex, summary: str | Sequence[str]) -> float | None:
    """Share of named entities in `summary` that occur in the source (None when it names none).

    A list is read part by part (a brief's fields), so no entity spans two fields.
    """
    parts = [summary] if isinstance(summary, str) else list(summary)
    ents = [e.text for part in parts for e in entities_of(part) if e.label not in {"ORDINAL", "CARDINAL"}]
    if not ents:
        return None
    return sum(source.contains(e) for e in ents) / len(ents)


def actor_grounding(source: SourceIndex, names: Sequence[str]) -> float | None:
    """Share of the brief's actor names found in the source (None without actors)."""
    if not names:
        return None
    return sum(source.contains(n) for n in names) / len(names)
