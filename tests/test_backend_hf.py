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


@pytest.mark.parametrize("name", ["/nonexistent/model.gguf", "no-such-org/no-such-model"])
def test_missing_models_fail_fast_with_a_hint(name):
    with pytest.raises(ModelNotFoundError) as err:
        get_backend(ModelConfig(name=name))
    assert "not" in str(err.value)


def test_folder_without_config_is_refused(tmp_path: Path):
    with pytest.raises(ModelNotFoundError, match="config.json"):
        get_backend(ModelConfig(name=str(tmp_path)))
