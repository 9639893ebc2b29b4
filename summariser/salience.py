"""Extractive salience: which source sentences matter most (no model calls).

A sentence scores by how central it is (cosine similarity of its content words to the whole
document's) and by where it stands (reports put the main facts first). The small model is then
asked only to compress what this selects, which keeps it close to the source.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from .nlp import Sentence

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:[.,]\d+)*")
MIN_WORDS = 6


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    from nltk.stem import porter

    return porter.PorterStemmer().stem(word)


def content_words(text: str) -> list[str]:
    """Lower-cased, stemmed words that carry content (stop words dropped)."""
    stop = _stop_words()
    return [_stem(w) for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in stop and len(w) > 1]


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def is_statement(text: str) -> bool:
    """A full sentence, not a heading, caption or fragment."""
    return len(text.split()) >= MIN_WORDS and bool(re.search(r"[.!?\"'’”)]$", text))


def position_weight(index: int) -> float:
    """Prior for the sentence at `index`: the opening carries the main facts in reports."""
    return 1.0 / (1.0 + index / 3.0)


def rank(sentences: Sequence[Sentence], position_share: float = 0.5) -> list[tuple[float, Sentence]]:
    """Sentences with their salience, best first (short fragments last)."""
    bags = [Counter(content_words(s.text)) for s in sentences]
    whole: Counter[str] = Counter()
    for bag in bags:
        whole.update(bag)
    first = sentences[0].index if sentences else 0
    scored = []
    for sentence, bag in zip(sentences, bags):
        central = _cosine(bag, whole)
        score = (1 - position_share) * central + position_share * position_weight(sentence.index - first)
        if not is_statement(sentence.text):
            score *= 0.1  # headings, captions and fragments rarely state the main facts
        scored.append((score, sentence))
    return sorted(scored, key=lambda pair: (-pair[0], pair[1].index))


def select(sentences: Sequence[Sentence], k: int, position_share: float = 0.5) -> list[Sentence]:
    """The `k` most salient sentences, back in document order."""
    best = [s for _, s in rank(sentences, position_share)[:k]]
    return sorted(best, key=lambda s: s.index)


def overlap(statement: str, source: str) -> float:
    """Share of the statement's content words that occur in `source` (0 when it has none)."""
    words = content_words(statement)
    if not words:
        return 0.0
    pool = set(content_words(source))
    return sum(w in pool for w in words) / len(words)
