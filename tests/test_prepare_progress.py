"""Preparation (spaCy over each chunk, no model) reports its progress and can be cancelled."""

from __future__ import annotations

import pytest

from summariser.errors import Cancelled
from summariser.load import Document
from summariser.pipeline import ProgressEvent, Summariser


@pytest.fixture(scope="module")
def small_chunks(tiny_settings):
    settings = tiny_settings.model_copy(deep=True)
    settings.chunking.chunk_tokens = 96
    return Summariser(settings)


def test_prepare_reports_every_chunk(small_chunks, seed_text):
    events: list[ProgressEvent] = []
    prepared = small_chunks.prepare(Document("s", "seed.txt", seed_text), progress=events.append)
    n = len(prepared.chunks)
    assert n > 3
    assert [(e.stage, e.done, e.total) for e in events] == [("prepare", i, n) for i in range(n + 1)]
    assert {e.detail for e in events} == {"seed.txt"}  # which document, for combined briefs


def test_cancel_is_honoured_between_chunks(small_chunks, seed_text):
    events: list[ProgressEvent] = []
    with pytest.raises(Cancelled):
        small_chunks.prepare(
            Document("s", "seed.txt", seed_text), progress=events.append, should_stop=lambda: len(events) >= 3
        )
    assert events[-1].done == 2 and events[-1].done < events[-1].total  # stopped after two chunks


def test_brief_reports_preparation_then_model_steps(small_chunks, seed_text):
    events: list[ProgressEvent] = []
    small_chunks.brief(Document("s", "seed.txt", seed_text), progress=events.append)
    stages = [e.stage for e in events]
    assert stages[0] == "prepare" and stages[-1] == "done"
    first_model_step = stages.index("summarise")
    assert set(stages[:first_model_step]) == {"prepare"}
    assert "details" in stages[first_model_step:]  # announced before the judgments, actors and roles
