"""Checks on what the model wrote: grounding in the source, loops, leftovers of the prompt.

A generated sentence is kept only if every named entity and number in it occurs in the source and
most of its content words do; otherwise the caller falls back to the source's own sentences.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .injection import InjectionDetector
from .nlp import entities_of, split_sentences
from .salience import overlap

_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_LEADIN = re.compile(
    r"^\s*(?:(?:here is|here's|here are)[^:\n]*:|(?:summary|bottom line(?: up front)?|bluf|headline|answer|note|title|"
    r"role|judgment|implication)s?\s*[:\-])\s*",
    re.IGNORECASE,
)
MIN_OVERLAP = 0.6
def _norm(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.sub(r"[^\w'%.,$-]+", " ", text).split())


def _strip_entity(text: str) -> str:
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"['’]s$", "", text).strip(" .,;:\"'")


@dataclass
class SourceIndex:
    """A source text prepared for fast 'does this occur in it' questions."""

    text: str
    _norm: str = field(init=False, repr=False)
    _numbers: set[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._norm = " " + _norm(self.text) + " "
        self._numbers = {n.replace(",", "") for n in _NUMBER.findall(self.text)}

    def contains(self, phrase: str) -> bool:
        """Whether `phrase` (an entity or a few words) occurs in the source, ignoring case."""
        key = _norm(_strip_entity(phrase))
        return not key or key in self._norm

    def unsupported(self, text: str) -> list[str]:
        """Entities and numbers in `text` that the source does not contain."""
        missing = [e.text for e in entities_of(text) if e.label != "ORDINAL" and not self.contains(e.text)]
        missing += [n for n in _NUMBER.findall(text) if n.replace(",", "") not in self._numbers]
        return list(dict.fromkeys(missing))

    def grounded(self, sentence: str, min_overlap: float = MIN_OVERLAP) -> bool:
        """No unsupported entity or number, and most content words occur in the source."""
        return not self.unsupported(sentence) and overlap(sentence, self.text) >= min_overlap


def addresses_model(sentence: str) -> bool:
    """Whether a source sentence or line gives instructions to an AI model (possible prompt injection).

    The structure and wording checks of `summariser.injection` (no embedding model: this is asked
    about single lines, such as headline candidates, after the document was screened whole).
    """
    return InjectionDetector(semantic=False).is_instruction(sentence)


def has_loop(text: str, n: int = 4, times: int = 3) -> bool:
    """Whether some word n-gram repeats `times` or more (the small model's failure mode)."""
    words = text.lower().split()
    grams = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return any(count >= times for count in grams.values())


def clean_answer(text: str) -> str:
    """A model answer without lead-ins, list markers, quotes or a trailing unfinished sentence."""
    lines = [re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line) for line in text.splitlines()]
    text = " ".join(line.strip() for line in lines if line.strip())
    text = _LEADIN.sub("", text.strip().strip('"')).strip().strip('"').strip()
    if text and text[-1] not in ".!?\"')":
        cut = max(text.rfind(". "), text.rfind("! "), text.rfind("? "))
        text = text[: cut + 1] if cut > 0 else text + "."
    return text


def grounded_sentences(answer: str, source: SourceIndex, limit: int) -> tuple[list[str], list[str]]:
    """The answer's sentences that pass the checks (at most `limit`), and notes on the ones dropped."""
    kept: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for sentence in split_sentences(clean_answer(answer)):
        key = _norm(sentence)
        if key in seen or len(sentence.split()) < 4:
            continue
        seen.add(key)
        missing = source.unsupported(sentence)
        if missing:
            dropped.append(f"dropped a sentence naming what the source does not: {', '.join(missing[:3])}")
        elif has_loop(sentence):
            dropped.append("dropped a repetitive sentence")
        elif overlap(sentence, source.text) < MIN_OVERLAP:
            dropped.append("dropped a sentence whose words are mostly not in the source")
        else:
            kept.append(sentence)
        if len(kept) >= limit:
            break
    return kept, dropped
