"""Map step: each chunk's salient sentences compressed by the model into a checked note."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .backends.base import Backend
from .check import SourceIndex, grounded_sentences, restate
from .config import GenerationConfig
from .errors import Cancelled
from .llm import make_chain
from .nlp import Sentence
from .prompts import fence
from .salience import is_statement, overlap, rank, select


@dataclass(frozen=True)
class Note:
    """What one chunk (or group of notes) says, in checked sentences."""

    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def checked_note(
    answer: str, fallback: Sequence[Sentence], source: SourceIndex, k: int, warnings: list[str]
) -> Note:
    """The answer's grounded sentences; salient source sentences fill in what the model missed."""
    kept, dropped = grounded_sentences(answer, source, k)
    warnings.extend(dropped)
    if len(kept) >= k:
        return Note(tuple(kept))
    filled = list(kept)
    for _, s in rank(fallback):
        if len(filled) >= k:
            break
        if not is_statement(s):
            continue
        limit = source.checks.note_redundant
        if all(overlap(s.text, other) < limit and overlap(other, s.text) < limit for other in filled):
            filled.append(s.text)
    return Note(tuple(filled))


def map_chunks(
    chunk_sentences: Sequence[Sequence[Sentence]],
    backend: Backend,
    options: GenerationConfig,
    source: SourceIndex,
    salient: int,
    note_sentences: int,
    warnings: list[str],
    on_batch: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    group: int = 4,
    on_notes: Callable[[list[str]], None] | None = None,
) -> list[Note]:
    """One checked note per chunk; the model sees only each chunk's most salient sentences."""
    chain = make_chain("map", backend, options, on_batch, should_stop)
    picked = [select(sents, salient) for sents in chunk_sentences]
    inputs = [{"text": fence("\n".join(s.text for s in p)), "sentences": note_sentences} for p in picked]
    answers: list[str] = []
    for start in range(0, len(inputs), group):  # small groups: progress and cancel between them
        if should_stop and should_stop():
            raise Cancelled("cancelled")
        batch = chain.batch(inputs[start : start + group])
        answers.extend(batch)
        if on_notes:
            on_notes(batch)
    return [
        checked_note(answer, sents, source, note_sentences, warnings)
        for answer, sents in zip(answers, chunk_sentences)
    ]


def compress_sentences(
    chosen: Sequence[Sentence],
    backend: Backend,
    options: GenerationConfig,
    source: SourceIndex,
    warnings: list[str],
    on_batch: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Note:
    """Each chosen sentence shortened by the model, kept only if it says nothing the sentence does not."""
    answers = make_chain("compress", backend, options, on_batch, should_stop).batch([{"text": fence(s.text)} for s in chosen])
    kept: list[str] = []
    for sentence, answer in zip(chosen, answers):
        short = restate(answer, sentence, source, source.checks.compress_overlap)
        if short is None or len(short.split()) >= len(sentence.text.split()):
            if short is None:
                warnings.append("a compressed sentence was not faithful; the source sentence stands")
            short = sentence.text
        kept.append(short)
    return Note(tuple(kept))
