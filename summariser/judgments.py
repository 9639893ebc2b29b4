"""Key judgments and implications, each resting on cited source sentences.

The small model cannot calibrate probabilities, so the likelihood word comes from how the cited
sentence itself is worded (stated fact, attributed claim, hedge, denial), and confidence from
whether other sentences corroborate it. The model only restates; the check keeps the restatement
only if it is grounded in the cited sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .brief import Citation, Confidence, Likelihood
from .check import SourceIndex, clean_answer, has_loop
from .nlp import Sentence
from .salience import content_words, overlap

_DENIAL = re.compile(r"\b(?:will not|won't|would not|ruled out|denied|no plans?|unlikely|doubt(?:ful|s)?)\b", re.I)
_HEDGE = re.compile(r"\b(?:may|might|could|possibl[ey]|perhaps|reportedly|allegedly|suspected|rumou?red)\b", re.I)
_CLAIM = re.compile(
    r"\b(?:said|says|told|claim(?:s|ed)?|according to|announced|stated|reported|believes?|warned|insisted)\b", re.I
)
_FORWARD = re.compile(
    r"\b(?:will|would|plans?|planned|expected|expects?|aims?|intends?|to be held|next|future|"
    r"upcoming|set to|going to|could|may|might|should|threat(?:en)?s?|risk)\b",
    re.I,
)


def likelihood_of(sentence: str) -> Likelihood:
    """ICD-203 likelihood word implied by the wording of a source sentence."""
    if _DENIAL.search(sentence):
        return "unlikely"
    if _HEDGE.search(sentence):
        return "roughly even chance"
    if _CLAIM.search(sentence):
        return "likely"
    return "very likely"


def confidence_of(cited: Sentence, others: Sequence[Sentence]) -> Confidence:
    """High when other sentences corroborate the cited one, low when it is hedged."""
    if _HEDGE.search(cited.text):
        return "low"
    support = sum(1 for s in others if s.index != cited.index and overlap(cited.text, s.text) >= 0.35)
    return "high" if support >= 2 else "moderate"


def is_forward_looking(sentence: str) -> bool:
    """Whether a sentence speaks of what will or may happen (a candidate implication)."""
    return bool(_FORWARD.search(sentence))


def restate(answer: str, cited: Sentence, source: SourceIndex, min_overlap: float = 0.5) -> str | None:
    """The model's restatement if grounded in the cited sentence and source, else None."""
    text = clean_answer(answer)
    if not text or len(text.split()) < 4 or len(text.split()) > 60 or has_loop(text):
        return None
    if source.unsupported(text) or overlap(text, cited.text) < min_overlap:
        return None
    if bigram_support(text, cited.text) < 0.75:  # same words, new relations ('region of Turkey')
        return None
    return text


def bigram_support(statement: str, source: str) -> float:
    """Share of the statement's adjacent content-word pairs that are adjacent in `source` too."""
    def pairs(text: str) -> set[tuple[str, str]]:
        words = content_words(text)
        return set(zip(words, words[1:]))

    mine = pairs(statement)
    if not mine:
        return 1.0
    return len(mine & pairs(source)) / len(mine)


def cite(document: str, sentence: Sentence) -> Citation:
    """A citation of one source sentence."""
    return Citation(document=document, sentence=sentence.index, text=sentence.text)
