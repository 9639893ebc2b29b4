"""A real OpenAI-compatible server: llama.cpp's (`python -m llama_cpp.server`, the llamacpp extra)
serving the default GGUF on 127.0.0.1, briefed through the openai backend and compared with the
local backend. Runs in CI (scripts/test.sh installs the extra); skipped elsewhere without it."""

from __future__ import annotations

import pytest

from summariser.check import SourceIndex
from summariser.config import GenerationConfig, load_settings
from summariser.load import Document

from .conftest import need

KEY = "served-test-key-5f3a"


@pytest.fixture(scope="module")
def server_url():
    need("llama_cpp.server", "the llamacpp extra with its server (bash scripts/test.sh installs it)")
    from summariser.backends.gguf import default_gguf
    from summariser.backends.llamacpp_server import llama_server

    with llama_server(default_gguf(), alias="smollm2", api_key=KEY) as url:
        yield url


@pytest.fixture()
def served_settings(server_url, monkeypatch):
    monkeypatch.setenv("SERVED_TEST_KEY", KEY)

    def make(**brief):
        return load_settings(model={"backend": "openai", "base_url": server_url, "name": "smollm2",
                                    "api_key_env": "SERVED_TEST_KEY"}, brief=brief)

    return make


@pytest.fixture(scope="module")
def local_brief(seed_text):
    from summariser.pipeline import Summariser

    return Summariser(load_settings(model={"backend": "hf"})).brief(Document("seed", "seed.txt", seed_text))


def test_the_seed_briefed_through_the_server_matches_the_local_backend(served_settings, local_brief, seed_text):
    from summariser.pipeline import Summariser

    served = Summariser(served_settings())
    # auto: the server's model is the 135M default, which gets the extractive BLUF and no restatements.
    assert (served.settings.brief.bluf_mode, served.settings.brief.restate) == ("extract", False)
    brief = served.brief(Document("seed", "seed.txt", seed_text))
    assert brief.provenance.backend == "openai" and brief.provenance.model == "SmolLM2-135M-Instruct (Q4_1 GGUF)"
    assert [(a.name, a.type) for a in brief.key_actors] == [(a.name, a.type) for a in local_brief.key_actors]
    assert brief.bluf == local_brief.bluf  # same tokenizer, same chunks, same salient sentences
    assert SourceIndex(seed_text).unsupported(brief.bluf) == []


def test_a_model_written_bluf_through_the_server_passes_the_checks(served_settings, seed_text):
    from summariser.pipeline import Summariser

    brief = Summariser(served_settings(bluf_mode="compress")).brief(Document("seed", "seed.txt", seed_text))
    assert brief.provenance.settings["brief"]["bluf_mode"] == "compress"
    assert 1 <= len(brief.bluf.split(". ")) <= 6
    assert SourceIndex(seed_text).unsupported(brief.bluf) == []


def test_the_server_answers_as_llama_cpp_in_process_does(served_settings):
    # Same engine, same GGUF, same prompt tokens, greedy: the same answers, also when sent in parallel
    # (llama-cpp-python's server queues them).
    from summariser.backends.llamacpp import LlamaCppBackend
    from summariser.backends.registry import get_backend

    need("llama_cpp", "the llamacpp extra")
    served = get_backend(served_settings().model.model_copy(update={"concurrency": 4}))
    local = LlamaCppBackend(load_settings(model={"backend": "llamacpp"}).model)
    convs = [[{"role": "user", "content": f"Name a city in country number {i}."},
              {"role": "assistant", "content": "One city is"}] for i in range(4)]
    options = GenerationConfig(max_new_tokens=12)
    assert served.generate(convs, options) == local.generate(convs, options)


def test_a_wrong_key_and_a_wrong_model_are_clear_errors(served_settings, monkeypatch):
    from summariser.backends.openai_compat import OpenAIBackend, ServerError

    monkeypatch.setenv("SERVED_TEST_KEY", "not-the-key")
    with pytest.raises(ServerError, match="refused the API key"):
        OpenAIBackend(served_settings().model).generate([[{"role": "user", "content": "Hi"}]], GenerationConfig())
    monkeypatch.setenv("SERVED_TEST_KEY", KEY)
    wrong = served_settings().model.model_copy(update={"name": "llama3.1:70b"})
    with pytest.raises(ServerError, match="no model 'llama3.1:70b'; it serves: smollm2"):
        OpenAIBackend(wrong).generate([[{"role": "user", "content": "Hi"}]], GenerationConfig())
