"""Piles of documents briefed together: which documents a summary draws on, and the pile baselines.

Pure functions over strings; the suite that uses them is in `suite_kinds.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .baselines import get_baseline
from .sampling import split_simple

# A summary sentence that is not found verbatim in any document is attributed to the document holding
# the source sentence that covers the largest share of its words, if that share reaches this.
MIN_WORD_SHARE = 0.6

_WORD = re.compile(r"\w+")


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").lower().split())


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def source_documents(sentence: str, documents: Sequence[str], min_share: float = MIN_WORD_SHARE) -> set[int]:
    """Indices of the documents a summary sentence comes from.

    Every document that contains the sentence verbatim (case and whitespace folded); failing that,
    the one document with the source sentence sharing the most of its words, if at least `min_share`
    of them (a compressed or restated sentence); failing that, none.
    """
    folded = _fold(sentence)
    if not folded:
        return set()
    verbatim = {i for i, doc in enumerate(documents) if folded in _fold(doc)}
    if verbatim:
        return verbatim
    mine = _words(sentence)
    if not mine:
        return set()
    best, best_share = None, 0.0
    for i, doc in enumerate(documents):
        for source in split_simple(doc):
            share = len(mine & _words(source)) / len(mine)
            if share > best_share:
                best, best_share = i, share
    return {best} if best is not None and best_share >= min_share else set()


def coverage(summary_sentences: Sequence[str], documents: Sequence[str]) -> float:
    """Share of the pile's documents that at least one summary sentence comes from."""
    if not documents:
        return 0.0
    covered: set[int] = set()
    for sentence in summary_sentences:
        covered |= source_documents(sentence, documents)
    return len(covered) / len(documents)


PileBaseline = Callable[[Sequence[str]], str]


def pile_baseline(name: str) -> PileBaseline:
    """A baseline over a pile's documents, by name.

    'each-<baseline>' applies the single-document baseline to every document and joins the results in
    pile order ('each-lead-1': the lead sentence of each document); any other name applies it to the
    documents joined into one text ('lead-3': the first three sentences of the pile).
    """
    if name.startswith("each-"):
        single = get_baseline(name.removeprefix("each-"))
        return lambda docs: " ".join(single(d) for d in docs)
    whole = get_baseline(name)
    return lambda docs: whole(join_documents(docs))


def join_documents(documents: Sequence[str]) -> str:
    """The pile as one text, documents separated by a blank line."""
    return "\n\n".join(d.strip() for d in documents)
