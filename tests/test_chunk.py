import re

from hypothesis import HealthCheck, given, settings, strategies as st

from summariser.chunk import chunk_size, chunk_text
from summariser.config import ChunkConfig, GenerationConfig


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def test_chunk_size_is_derived_from_the_context_and_capped(tiny):
    gen = GenerationConfig(max_new_tokens=100)
    assert chunk_size(tiny.backend, ChunkConfig(), gen) == 1024  # capped default
    assert chunk_size(tiny.backend, ChunkConfig(chunk_tokens=300), gen) == 300
    # never more than the context leaves room for
    assert chunk_size(tiny.backend, ChunkConfig(chunk_tokens=100_000), gen) == 2048 - 100 - 256


def test_chunks_respect_the_token_limit_and_sentence_ends(tiny, seed_text):
    cfg = ChunkConfig(chunk_tokens=120, overlap_tokens=0)
    chunks = chunk_text(seed_text, tiny.backend, cfg, GenerationConfig())
    assert len(chunks) > 3
    for c in chunks:
        assert tiny.backend.count_tokens(c.text) <= 120
    # with no overlap, the chunks together hold every word of the text, in order
    assert _words(" ".join(c.text for c in chunks)) == _words(seed_text)
    # most chunks end at a sentence or paragraph end, not mid-sentence
    ends = sum(c.text.rstrip().endswith((".", '"', "”", "?", "!")) for c in chunks[:-1])
    assert ends >= (len(chunks) - 1) // 2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=3000))
def test_any_text_gives_bounded_chunks_covering_it(tiny, text):
    cfg = ChunkConfig(chunk_tokens=64, overlap_tokens=0)
    chunks = chunk_text(text, tiny.backend, cfg, GenerationConfig())
    for c in chunks:
        assert tiny.backend.count_tokens(c.text) <= 64
    assert "".join(_words(" ".join(c.text for c in chunks))) == "".join(_words(text))


def test_a_long_line_without_spaces_is_still_cut(tiny):
    text = "x" * 20_000
    chunks = chunk_text(text, tiny.backend, ChunkConfig(chunk_tokens=200, overlap_tokens=0), GenerationConfig())
    assert len(chunks) > 1 and "".join(c.text for c in chunks) == text
