"""Extractive baselines behind one small interface, looked up by name ('lead-3', 'centrality-3')."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from ..nlp import Sentence, analyse
from ..salience import content_words, cosine

Baseline = Callable[[str], str]


@lru_cache(maxsize=16)
def _sentences(text: str) -> tuple[Sentence, ...]:
    """An article's sentences, parsed once for all baselines."""
    return tuple(analyse(text, split_captions=False))


def lead(k: int) -> Baseline:
    """The first `k` sentences: the classic news baseline (Lead-3 for CNN/DM, Lead-1 for XSum)."""

    def run(text: str) -> str:
        return " ".join(s.text for s in _sentences(text)[:k])

    return run


def centrality(k: int) -> Baseline:
    """The `k` sentences most similar to the whole document, in document order (no position prior).

    Plain content-word counts, no rarity weights: the textbook centrality extractor, kept independent
    of the pipeline's own salience so the baseline does not move when the pipeline does.
    """

    def run(text: str) -> str:
        sentences = _sentences(text)
        bags = [Counter(content_words(s.text)) for s in sentences]
        whole: Counter[str] = Counter()
        for bag in bags:
            whole.update(bag)
        penalty = [1.0 if len(s.text.split()) >= 6 and re.search(r"[.!?\"'’”)]$", s.text) else 0.1 for s in sentences]
        ranked = sorted(range(len(sentences)), key=lambda i: (-cosine(bags[i], whole) * penalty[i], i))[:k]
        return " ".join(sentences[i].text for i in sorted(ranked))

    return run


FAMILIES: dict[str, Callable[[int], Baseline]] = {"lead": lead, "centrality": centrality}


def get_baseline(name: str) -> Baseline:
    """A baseline by name: '<family>-<k>', e.g. 'lead-3'."""
    match = re.fullmatch(r"([a-z]+)-(\d+)", name)
    if not match or match.group(1) not in FAMILIES:
        raise ValueError(f"unknown baseline {name!r}; use one of {', '.join(f'{f}-N' for f in FAMILIES)}")
    return FAMILIES[match.group(1)](int(match.group(2)))
