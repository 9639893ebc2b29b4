"""End to end with the real default model (SmolLM2-135M): slow, run with `-m slow`."""

import pytest

from summariser.check import SourceIndex
from summariser.load import Document

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_brief(seed_text):
    from summariser.config import load_settings
    from summariser.pipeline import Summariser

    return Summariser(load_settings()).brief(Document("seed", "seed.txt", seed_text))


def test_seed_brief_names_the_right_actors_with_roles(real_brief, seed_text):
    # The key actors of eval/gold/actors.jsonl for the seed; the officials who merely attended are minor.
    actors = {a.name: a for a in real_brief.key_actors}
    assert list(actors)[0] == "Azerbaijan"
    for name in ["Turkey", "Armenia", "Recep Tayyip Erdogan"]:
        assert name in actors, sorted(actors)
    assert actors["Recep Tayyip Erdogan"].type == "person"
    assert actors["Recep Tayyip Erdogan"].role == "Turkish President"
    assert "Mumtaz Hussain" not in actors


def test_seed_brief_is_grounded(real_brief, seed_text):
    source = SourceIndex(seed_text)
    text = " ".join(
        [real_brief.bluf]
        + [j.statement for j in real_brief.key_judgments]
        + [i.statement for i in real_brief.implications]
    )
    assert source.unsupported(text) == []
    assert "Nakhichevan" in real_brief.title or "Nakhichevan" in real_brief.bluf
