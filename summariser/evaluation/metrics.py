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


# Deliberately simpler than, and separate from, summariser/structure.py, which decides what the brief
# may select: a check that reused the selector's own rules could not catch the selector's mistakes.
_FURNITURE_PHRASE = re.compile(
    r"scroll down|click here|share this|media playback|follow us on|image copyright|image caption|"
    r"contributed to this report|all rights reserved|sign up for|read more:",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^(?P<label>[A-Z][\w'’ -]{0,30}):\s+[A-Z‘'\"“]")
_CREDIT = re.compile(r"^(?:By|Photo|Photos|Picture|Pictures|Image|Images|Credit|Source)\b[ :.]")
_PHOTO = re.compile(r"\((?:pictured |far |second )?(?:left|right|centre|center|above|below|inset)\)|, (?:left|right), ")


def furniture(summary: str) -> int:
    """How many of a summary's sentences look like page furniture rather than statements: unfinished
    (a caption or heading has no full stop), a 'Label: ...' caption, a byline or credit, a photo
    direction, or a site's boilerplate ('Scroll down for video')."""
    from ..nlp import split_sentences

    count = 0
    for sentence in split_sentences(summary):
        text = sentence.strip()
        label = _LABEL.match(text)
        speech = label and re.search(r"\b(?:said|says|told|added|wrote|reads|explained)\b", label.group("label"))
        if (
            not re.search(r"[.!?][\"'’”)]*$", text)
            or (label and not speech and len(label.group("label").split()) <= 4)
            or _CREDIT.match(text)
            or _PHOTO.search(text)
            or _FURNITURE_PHRASE.search(text)
        ):
            count += 1
    return count
