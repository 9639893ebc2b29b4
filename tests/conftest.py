"""Shared fixtures: a tiny random model built here (fast plumbing tests), data paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_2c347e933061e894.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer randomly initialised Llama with SmolLM2's tokenizer and chat template, saved as a HF folder."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    from summariser.backends.gguf import default_gguf

    gguf = default_gguf()
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=2048,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
    )
    model = LlamaForCausalLM(config)
    folder = tmp_path_factory.mktemp("tiny-llama")
    tok.save_pretrained(folder)
    model.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_settings(tiny_model_dir: Path):
    """Settings that use the tiny model with short answers (keeps tests fast)."""
    from summariser.config import load_settings

    return load_settings(model={"name": str(tiny_model_dir)}, generation={"max_new_tokens": 24})


@pytest.fixture(scope="session")
def tiny(tiny_settings):
    """A Summariser on the tiny model, shared by the session (the model loads once)."""
    from summariser.pipeline import Summariser

    return Summariser(tiny_settings)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def frank_rows(name: str, n: int) -> list[dict]:
    """The first `n` rows of a FRANK file from ../shared/data (fixture copy when absent)."""
    path = SHARED_DATA / f"{name}.jsonl"
    if not path.exists():
        path = FIXTURES / f"{name}-slice.jsonl"
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for _, line in zip(range(n), handle)]


def need(module: str, hint: str):
    """Import an optional extra's module, or skip the test with `hint`. Under CI=true, which installs
    every extra (scripts/test.sh), a missing module fails the test instead: it must run there."""
    import importlib
    import os

    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{module} is missing under CI=true: {hint}")
        pytest.skip(f"{module} not installed: {hint}")
