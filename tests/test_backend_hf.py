from pathlib import Path

import pytest

from summariser.backends.base import get_backend
from summariser.config import GenerationConfig, ModelConfig
from summariser.errors import ModelNotFoundError

CONV = [{"role": "user", "content": "Say something about Paris."}]


def test_answers_do_not_echo_the_prompt(tiny):
    out = tiny.backend.generate([CONV], GenerationConfig(max_new_tokens=8))
    assert len(out) == 1
    assert "Say something about Paris" not in out[0]
    ids = tiny.backend.tokenizer()(out[0], add_special_tokens=False)["input_ids"]
    assert len(ids) <= 8 + 2  # only new tokens (decode may merge or split a couple)


def test_batched_equals_one_by_one_and_order_is_kept(tiny):
    convs = [
        [{"role": "user", "content": "A short one."}],
        [{"role": "user", "content": "A much longer prompt with many more words in it than the first."}],
        CONV,
    ]
    opts = GenerationConfig(max_new_tokens=6)
    together = tiny.backend.generate(convs, opts)
    alone = [tiny.backend.generate([c], opts)[0] for c in convs]
    assert together == alone


def test_same_seed_same_sample(tiny):
    opts = GenerationConfig(max_new_tokens=8, temperature=1.0, seed=7)
    assert tiny.backend.generate([CONV], opts) == tiny.backend.generate([CONV], opts)


def test_backend_is_loaded_once_per_process(tiny_settings):
    assert get_backend(tiny_settings.model) is get_backend(tiny_settings.model)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("/nonexistent/model.gguf", ["GGUF file not found: /nonexistent/model.gguf"]),
        # A hub id: says that nothing is downloaded, and how to bring the model here instead.
        ("no-such-org/no-such-model", ["'no-such-org/no-such-model' is not on this machine",
                                       "nothing is downloaded at run time",
                                       "huggingface-cli download no-such-org/no-such-model"]),
    ],
)
def test_missing_models_fail_fast_with_a_hint(name, says):
    with pytest.raises(ModelNotFoundError) as err:
        get_backend(ModelConfig(name=name))
    for phrase in says:
        assert phrase in str(err.value)


def test_folder_without_config_is_refused(tmp_path: Path):
    with pytest.raises(ModelNotFoundError, match="config.json"):
        get_backend(ModelConfig(name=str(tmp_path)))


def _few_shot(question: str) -> list[dict[str, str]]:
    """A conversation whose turns before the last question are fixed, like prompts/role.toml."""
    return [
        {"role": "system", "content": "You answer questions about a sentence using only words from it."},
        {"role": "user", "content": "Sentence: Jane Smith, the Governor of Ohio, spoke.\nWho is Jane Smith?"},
        {"role": "assistant", "content": "Jane Smith is the Governor of Ohio."},
        {"role": "user", "content": question},
    ]


@pytest.fixture(scope="module")
def tiny_fp32_pair(tiny_model_dir):
    """The tiny model in float32 with and without the prefix cache (separate instances)."""
    from summariser.backends.hf import HFBackend

    make = lambda cached: HFBackend(ModelConfig(name=str(tiny_model_dir), dtype="float32", prefix_cache=cached))  # noqa: E731
    return make(True), make(False)


def test_prefix_cache_gives_the_same_answers_and_is_reused(tiny_fp32_pair):
    cached, plain = tiny_fp32_pair
    convs = [_few_shot(q) for q in ["Who is Bob?", "Who or what is the Acme Corporation in this long sentence?", "Hi"]]
    opts = GenerationConfig(max_new_tokens=6)
    assert cached.generate(convs, opts) == plain.generate(convs, opts)
    assert len(cached._prefixes) == 1 and len(plain._prefixes) == 0
    key = next(iter(cached._prefixes))
    cached.generate([_few_shot("Who is Carol?")], opts)
    assert list(cached._prefixes) == [key]  # the second call reused the first call's prefix


def test_prefix_cached_batch_sees_what_each_prompt_sees_alone(tiny_fp32_pair):
    import torch

    cached, _ = tiny_fp32_pair
    convs = [_few_shot("Who is Bob?"), _few_shot("Who or what is the Acme Corporation in this long sentence?")]
    encoded = [cached._encode(c) for c in convs]
    prefix = cached._fixed_prefix(convs[0], encoded[0])
    assert prefix and prefix == cached._fixed_prefix(convs[1], encoded[1])
    inputs = cached._inputs(encoded, prefix)
    assert inputs["attention_mask"][0].tolist().count(0) > 0  # the shorter prompt is padded after the prefix
    mask = inputs["attention_mask"]
    positions = (mask.cumsum(-1) - 1).clamp(min=0)[:, len(prefix) :]  # as `generate` derives them
    with torch.inference_mode():
        batched = cached._model(
            input_ids=inputs["input_ids"][:, len(prefix) :], attention_mask=mask, position_ids=positions,
            cache=inputs["cache"],
        ).logits[:, -1]
        alone = [cached._model(input_ids=torch.tensor([ids])).logits[0, -1] for ids in encoded]
    for row, logits in enumerate(alone):
        assert torch.allclose(batched[row], logits, atol=1e-4)


def test_a_prompt_without_fixed_turns_is_not_cached(tiny_fp32_pair):
    cached, _ = tiny_fp32_pair
    ids = cached._encode(CONV)
    assert cached._fixed_prefix(CONV, ids) == ()


def test_dtype_choice():
    from summariser.backends.hf import resolve_dtype

    assert resolve_dtype("float32") == "float32"
    assert resolve_dtype("auto") in {"float32", "bfloat16"}
