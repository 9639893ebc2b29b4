"""Checks on what the model wrote: grounding in the source, loops, leftovers of the prompt.

A generated sentence is kept only if every named entity and number in it occurs in the source and
most of its content words do; otherwise the caller falls back to the source's own sentences. Every
number these checks use is a field of `GroundingConfig` (the `[grounding]` settings), which the
`SourceIndex` of a run carries, so a check asked about a source applies that run's settings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .config import GroundingConfig
from .injection import InjectionDetector
from .nlp import Sentence, entities_of, split_sentences
from .salience import content_words, overlap

_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_LEADIN = re.compile(
    r"^\s*(?:(?:here is|here's|here are)[^:\n]*:|(?:summary|bottom line(?: up front)?|bluf|headline|answer|note|title|"
    r"role|judgment|implication)s?\s*[:\-])\s*",
    re.IGNORECASE,
)


def _norm(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.sub(r"[^\w'%.,$-]+", " ", text).split())


def _strip_entity(text: str) -> str:
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"['’]s$", "", text).strip(" .,;:\"'")


@dataclass
class SourceIndex:
    """A source text prepared for fast 'does this occur in it' questions, with the checks' settings."""

    text: str
    checks: GroundingConfig = field(default_factory=GroundingConfig)
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


def addresses_model(sentence: str) -> bool:
    """Whether a source sentence or line gives instructions to an AI model (possible prompt injection).

    The structure and wording checks of `summariser.injection` (no embedding model: this is asked
    about single lines, such as headline candidates, after the document was screened whole).
    """
    return InjectionDetector(semantic=False).is_instruction(sentence)


def has_loop(text: str, n: int = GroundingConfig().loop_ngram, times: int = GroundingConfig().loop_times) -> bool:
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
    checks = source.checks
    kept: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for sentence in split_sentences(clean_answer(answer)):
        key = _norm(sentence)
        if key in seen or len(sentence.split()) < checks.min_words:
            continue
        seen.add(key)
        missing = source.unsupported(sentence)
        if missing:
            dropped.append(f"dropped a sentence naming what the source does not: {', '.join(missing[:3])}")
        elif has_loop(sentence, checks.loop_ngram, checks.loop_times):
            dropped.append("dropped a repetitive sentence")
        elif overlap(sentence, source.text) < checks.min_overlap:
            dropped.append("dropped a sentence whose words are mostly not in the source")
        else:
            kept.append(sentence)
        if len(kept) >= limit:
            break
    return kept, dropped


def restate(answer: str, cited: Sentence, source: SourceIndex, min_overlap: float | None = None) -> str | None:
    """The model's restatement of `cited` if grounded in it and in the source, else None.

    `min_overlap` is the share of its content words that must occur in the cited sentence (default:
    `judgment_overlap`; implications and compressions pass their own cut-off).
    """
    checks = source.checks
    text = clean_answer(answer)
    words = len(text.split())
    if not text or words < checks.min_words or words > checks.max_words:
        return None
    if has_loop(text, checks.loop_ngram, checks.loop_times):
        return None
    if source.unsupported(text):
        return None
    if overlap(text, cited.text) < (checks.judgment_overlap if min_overlap is None else min_overlap):
        return None
    if bigram_support(text, cited.text) < checks.bigram_support:  # same words, new relations ('region of Turkey')
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


def role_is_grounded(
    role: str, name: str, evidence: str, min_share: float | None = None, window: int | None = None
) -> bool:
    """A model-written role counts only if it is the evidence sentence's words, said near the name.

    At least `min_share` of its words must occur in the sentence, and its first content word within
    `window` words of the name (defaults: `role_words` and `role_window` of `GroundingConfig`).
    """
    defaults = GroundingConfig()
    min_share = defaults.role_words if min_share is None else min_share
    window = defaults.role_window if window is None else window
    words = [w for w in re.findall(r"[A-Za-z]+", role.lower()) if len(w) > 2 and w not in {"the", "and"}]
    if not words or role.strip().lower() == name.lower() or len(role.split()) > 14:
        return False
    tokens = re.findall(r"[A-Za-z]+", evidence.lower())
    if sum(w in tokens for w in words) / len(words) < min_share:
        return False
    name_at = [i for i, t in enumerate(tokens) if t == name.split()[-1].lower()]
    role_at = [i for i, t in enumerate(tokens) if t == words[0]]
    return any(abs(i - j) <= window for i in name_at for j in role_at)
