"""The optional llama.cpp backend: a clear error without the extra; same prompts as hf with it."""

import sys

import pytest

from summariser.config import GenerationConfig, ModelConfig
from summariser.errors import ConfigError, ModelNotFoundError

from .conftest import need

LLAMACPP_HINT = "the llamacpp extra (bash scripts/test.sh installs it)"


def test_without_llama_cpp_python_the_error_says_how_to_install(monkeypatch):
    from summariser.backends.llamacpp import LlamaCppBackend

    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import fails as if not installed
    with pytest.raises(ConfigError, match="pip install 'llama-cpp-python"):
        LlamaCppBackend(ModelConfig(backend="llamacpp"))


def test_a_model_folder_is_refused_by_llamacpp(tmp_path):
    need("llama_cpp", LLAMACPP_HINT)
    from summariser.backends.llamacpp import LlamaCppBackend

    with pytest.raises(ModelNotFoundError, match="GGUF"):
        LlamaCppBackend(ModelConfig(name=str(tmp_path), backend="llamacpp"))


def test_llamacpp_answers_the_same_prompt_tokens_as_hf():
    need("llama_cpp", LLAMACPP_HINT)
    from summariser.backends.chat import encode_conversation
    from summariser.backends.registry import get_backend

    lc = get_backend(ModelConfig(backend="llamacpp"))
    hf = get_backend(ModelConfig(backend="hf"))
    conv = [{"role": "user", "content": "Name the capital of France."}, {"role": "assistant", "content": "The capital is"}]
    assert encode_conversation(lc.tokenizer(), conv) == hf._encode(conv)
    answer = lc.generate([conv], GenerationConfig(max_new_tokens=8))[0]
    assert "Paris" in answer and "capital of France" not in answer  # continues the prefill, no echo
    calls = iter([False, True])
    with pytest.raises(Exception, match="cancelled"):
        lc.generate([conv, conv], GenerationConfig(max_new_tokens=8), should_stop=lambda: next(calls, True))


def test_both_gguf_backends_know_the_size_and_can_run_past_the_end_token():
    # ignore_eos exists for throughput benchmarks (scripts/bench.py): decode a fixed number of tokens.
    need("llama_cpp", LLAMACPP_HINT)
    from summariser.backends.registry import get_backend

    lc = get_backend(ModelConfig(backend="llamacpp"))
    hf = get_backend(ModelConfig(backend="hf"))
    assert lc.parameters == hf.parameters and 130e6 < hf.parameters < 140e6  # SmolLM2-135M
    conv = [{"role": "user", "content": "Reply with the single word OK."}]
    for backend in (lc, hf):
        count = lambda text: len(backend.tokenizer()(text, add_special_tokens=False)["input_ids"])  # noqa: E731, B023 - this iteration's
        # A generous time bound: on a loaded machine the default one could end a call before its tokens.
        options = GenerationConfig(max_new_tokens=48, timeout_s=3600)
        assert count(backend.generate([conv], options)[0]) < 40  # it stops by itself
        assert count(backend.generate([conv], options.model_copy(update={"ignore_eos": True}))[0]) >= 44


def test_auto_runs_gguf_models_on_llamacpp_where_it_is_installed(monkeypatch):
    from summariser.backends import registry as base

    monkeypatch.setattr(base, "llamacpp_installed", lambda: True)
    assert base.backend_name(ModelConfig()) == "llamacpp"  # the default model is a GGUF file
    assert base.backend_name(ModelConfig(name="/models/x.Q8_0.gguf")) == "llamacpp"
    assert base.backend_name(ModelConfig(name="/models/hf-folder")) == "hf"
    assert base.backend_name(ModelConfig(base_url="http://127.0.0.1:8080/v1")) == "openai"
    assert base.backend_name(ModelConfig(backend="hf")) == "hf"
    monkeypatch.setattr(base, "llamacpp_installed", lambda: False)
    assert base.backend_name(ModelConfig()) == "hf"
