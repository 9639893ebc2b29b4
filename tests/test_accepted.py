"""The paths where a model answer is ACCEPTED, with a fake backend that answers what the test queues.

The tiny random model writes noise, so it only ever shows the fallbacks. Here a faithful answer must be
used as written (each test would fail if its accepted path fell back), and an ungrounded one must fall
back to the source's own words, with the same code the real model goes through.
"""

from __future__ import annotations

import re

import pytest

from summariser.config import load_settings
from summariser.load import Document
from summariser.pipeline import ProgressEvent, Summariser

from .conftest import SEED
from .fakes import FakeBackend, document_of

INVENTED = "NATO will send 5000 troops to Baku and Paris next year."  # names and a number the seed never states


def shortened(user: str) -> str:
    """A faithful model answer: the prompt's sentence without its last two words (nothing added)."""
    words = document_of(user).split()
    return " ".join(words[:-2]).rstrip(",;:-") + "."


def seed() -> Document:
    return Document("seed", "seed.txt", SEED.read_text(encoding="utf-8"))


def summariser(backend: FakeBackend, **brief) -> Summariser:
    return Summariser(load_settings(brief=brief), backend=backend)


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def source_words() -> str:
    return _words(seed().text)


# -- restated judgments and implications --------------------------------------------------------
def test_a_faithful_restatement_is_used_as_the_judgment():
    fake = FakeBackend({"judgment": [shortened] * 3, "implication": [shortened] * 2}, default="")
    brief = summariser(fake, restate=True, bluf_mode="extract").brief(seed())
    asked = fake.prompts("judgment")
    assert len(asked) == len(brief.key_judgments) >= 2
    for call, judgment in zip(asked, brief.key_judgments):
        assert judgment.statement == shortened(call.user)
        assert judgment.statement != judgment.citations[0].text  # the model's words, not the source's
    for call, implication in zip(fake.prompts("implication"), brief.implications):
        assert implication.statement == shortened(call.user)
    assert not any("fell back" in w for w in brief.warnings)


def test_an_ungrounded_restatement_falls_back_to_the_source(source_words):
    fake = FakeBackend({"judgment": [INVENTED] * 3, "implication": [INVENTED] * 2}, default="")
    brief = summariser(fake, restate=True, bluf_mode="extract").brief(seed())
    plain = summariser(FakeBackend(default=""), restate=False, bluf_mode="extract").brief(seed())
    assert brief.key_judgments and brief.implications
    assert [j.statement for j in brief.key_judgments] == [j.statement for j in plain.key_judgments]
    assert [i.statement for i in brief.implications] == [i.statement for i in plain.implications]
    assert all("NATO" not in j.statement for j in brief.key_judgments)
    assert "an implication fell back to the source's own words" in brief.warnings


# -- compressed BLUF ---------------------------------------------------------------------------
def test_a_faithful_compression_is_used_in_the_bluf():
    fake = FakeBackend({"compress": [shortened] * 10}, default="")
    brief = summariser(fake, bluf_mode="compress").brief(seed())
    asked = fake.prompts("compress")
    assert asked
    assert brief.bluf == " ".join(shortened(c.user) for c in asked)
    assert not any("not faithful" in w for w in brief.warnings)


def test_an_unfaithful_compression_leaves_the_source_sentence():
    fake = FakeBackend({"compress": [INVENTED] * 10}, default="")
    brief = summariser(fake, bluf_mode="compress").brief(seed())
    asked = fake.prompts("compress")
    assert brief.bluf == " ".join(document_of(c.user) for c in asked)  # each source sentence as it was
    assert "a compressed sentence was not faithful; the source sentence stands" in brief.warnings


# -- abstract BLUF: map, collapse, reduce --------------------------------------------------------
def _abstract(fake: FakeBackend) -> Summariser:
    settings = load_settings(brief={"bluf_mode": "abstract", "bluf_sentences": 1}, chunking={"chunk_tokens": 128})
    return Summariser(settings, backend=fake)


def first_sentence(user: str) -> str:
    """A faithful note or merge: the first sentence the model was given, shortened."""
    text = document_of(user)
    return shortened("<document>\n" + re.split(r"(?<=[.!?])\s+", text)[0] + "\n</document>")


def test_a_faithful_merge_becomes_the_bluf():
    fake = FakeBackend({"map": [first_sentence] * 20, "collapse": [first_sentence] * 20, "reduce": [first_sentence]}, default="")
    brief = _abstract(fake).brief(seed())
    (reduce,) = fake.prompts("reduce")
    assert len(fake.prompts("map")) >= 3  # several chunks, so notes are merged
    assert brief.bluf == first_sentence(reduce.user)
    assert not any(w.startswith("dropped") for w in brief.warnings)


def test_an_ungrounded_merge_is_dropped_for_source_sentences(source_words):
    fake = FakeBackend({"map": [first_sentence] * 20, "collapse": [first_sentence] * 20, "reduce": [INVENTED]}, default="")
    brief = _abstract(fake).brief(seed())
    assert "NATO" not in brief.bluf
    assert _words(brief.bluf) in source_words  # the fallback: a salient source sentence
    assert any(w.startswith("dropped a sentence naming what the source does not") for w in brief.warnings)


# -- actor roles -------------------------------------------------------------------------------
def role_answer(good: str) -> object:
    """Answers the role question about Turkey with `good`, and nothing about the others."""
    return lambda user: good if "Who or what is Turkey" in user else ""


def test_a_grounded_model_role_is_the_actors_role():
    fake = FakeBackend({"role": [role_answer(" a cooperation partner in the military exercise.")] * 10}, default="")
    brief = summariser(fake, bluf_mode="extract").brief(seed())
    assert any("Who or what is Turkey" in c.user for c in fake.prompts("role"))
    turkey = next(a for a in brief.key_actors if a.name == "Turkey")
    assert turkey.role == "a cooperation partner in the military exercise"


def test_a_role_not_in_the_evidence_sentence_is_not_used():
    fake = FakeBackend({"role": [role_answer(" a NATO member and a close ally of Azerbaijan.")] * 10}, default="")
    brief = summariser(fake, bluf_mode="extract").brief(seed())
    turkey = next(a for a in brief.key_actors if a.name == "Turkey")
    assert turkey.role == "named in the source (no role stated)"


# -- progress totals ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("brief", "chunking"),
    [
        ({"bluf_mode": "extract"}, {}),
        ({"bluf_mode": "compress"}, {}),
        ({"bluf_mode": "abstract"}, {}),  # one chunk: one map call, no merge
        ({"bluf_mode": "abstract"}, {"chunk_tokens": 128}),  # map groups, collapse rounds, reduce
        ({"bluf_mode": "extract", "details": False}, {}),
    ],
)
def test_progress_counts_every_model_call_exactly(brief, chunking):
    fake = FakeBackend(default=first_sentence)
    events: list[ProgressEvent] = []
    settings = load_settings(brief=brief, chunking=chunking, model={"batch_size": 2})
    Summariser(settings, backend=fake).brief(seed(), progress=events.append)
    steps = [e for e in events if e.stage in ("summarise", "merge", "details") and e.detail.endswith("prompt(s)")]
    assert all(e.done <= e.total for e in events), "a step beyond the announced total"
    assert [e.done for e in steps] == list(range(1, len(steps) + 1))
    final = events[-1]
    assert final.stage == "done" and final.done == final.total == len(steps)
    # One step per BLUF model call (each batch), and one for the details when they are made.
    bluf_calls = sum(1 for prompt, _ in fake.batches if prompt in ("map", "collapse", "reduce", "compress"))
    assert len(steps) == bluf_calls + (1 if settings.brief.details else 0)
    if chunking:
        assert any(prompt == "collapse" for prompt, _ in fake.batches)  # the case a fixed total missed
