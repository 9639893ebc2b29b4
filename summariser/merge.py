"""Reduce step: notes merged into the BLUF, collapsing recursively when they exceed the context."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .backends.base import Backend
from .check import SourceIndex
from .config import GenerationConfig
from .errors import Cancelled
from .llm import make_chain
from .nlp import Sentence
from .prompts import fence
from .summarise import Note, checked_note

MAX_DEPTH = 6


def _groups(notes: Sequence[Note], backend: Backend, budget: int) -> list[list[Note]]:
    """Consecutive notes packed into groups whose text fits `budget` tokens."""
    groups: list[list[Note]] = [[]]
    size = 0
    for note in notes:
        tokens = backend.count_tokens(note.text)
        if groups[-1] and size + tokens > budget:
            groups.append([])
            size = 0
        groups[-1].append(note)
        size += tokens
    return groups


def merge_notes(
    notes: Sequence[Note],
    sentences: Sequence[Sentence],
    backend: Backend,
    options: GenerationConfig,
    source: SourceIndex,
    budget: int,
    bluf_sentences: int,
    warnings: list[str],
    on_batch: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_more: Callable[[int], None] | None = None,
) -> Note:
    """The BLUF: one note from many, checked against the source like every model answer.

    `on_batch` is called after each model call (a collapse round, then the final reduce); a collapse
    round is not known in advance, so `on_more(1)` announces each one before it runs (progress totals).
    """
    if len(notes) == 1:
        return notes[0]
    current = list(notes)
    collapse = make_chain("collapse", backend, options, on_batch, should_stop)
    for _ in range(MAX_DEPTH):
        groups = _groups(current, backend, budget)
        if len(groups) == 1:
            break
        if should_stop and should_stop():
            raise Cancelled("cancelled")
        if on_more:
            on_more(1)
        answers = collapse.batch(
            [{"text": fence("\n".join(n.text for n in g)), "sentences": bluf_sentences} for g in groups]
        )
        current = [checked_note(a, sentences, source, bluf_sentences, warnings) for a in answers]
    if should_stop and should_stop():
        raise Cancelled("cancelled")
    reduce = make_chain("reduce", backend, options, on_batch, should_stop)
    text = fence("\n".join(n.text for n in current))
    answer = reduce.invoke({"text": text, "sentences": bluf_sentences})
    return checked_note(answer, sentences, source, bluf_sentences, warnings)
