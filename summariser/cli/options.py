"""Flags shared by the commands that run the model, turned into `Settings` in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ..config import Settings, load_settings

MODEL_PANEL = "Model and generation"

ModelOpt = typer.Option(
    None, "--model", "-m", help="'smollm2' (default), a .gguf file, a HF model folder, or a cached model id.",
    rich_help_panel=MODEL_PANEL,
)
BackendOpt = typer.Option(None, "--backend", help="hf (transformers) | llamacpp (GGUF via llama-cpp-python, optional) | openai (default: auto: openai with --base-url, llamacpp for a GGUF model where installed, else hf).", rich_help_panel=MODEL_PANEL)
BaseUrlOpt = typer.Option(
    None, "--base-url", help="OpenAI-compatible server URL, e.g. http://127.0.0.1:8080/v1.", rich_help_panel=MODEL_PANEL
)
ConfigOpt = typer.Option(
    None, "--config", "-c", help="TOML settings file (sections model, generation, chunking, brief).",
    rich_help_panel=MODEL_PANEL,
)
MaxNewOpt = typer.Option(None, "--max-new-tokens", help="Tokens per model answer.", rich_help_panel=MODEL_PANEL)
TempOpt = typer.Option(None, "--temperature", help="0 = greedy (default).", rich_help_panel=MODEL_PANEL)
SeedOpt = typer.Option(None, "--seed", help="Random seed (default 0).", rich_help_panel=MODEL_PANEL)
ChunkOpt = typer.Option(None, "--chunk-tokens", help="Tokens per chunk (default: from the context window).",
                        rich_help_panel=MODEL_PANEL)
OverlapOpt = typer.Option(None, "--overlap", help="Tokens shared by neighbouring chunks.", rich_help_panel=MODEL_PANEL)
BlufModeOpt = typer.Option(
    None, "--bluf-mode", help="extract (default) | compress | abstract: how the BLUF is written (see README).",
    rich_help_panel=MODEL_PANEL,
)
DtypeOpt = typer.Option(
    None, "--dtype", help="hf backend: auto (default: bfloat16 where the CPU has native bf16, else float32) | "
    "float32 | bfloat16.", rich_help_panel=MODEL_PANEL,
)
ThreadsOpt = typer.Option(None, "--threads", help="CPU threads for torch (default: all cores).",
                          rich_help_panel=MODEL_PANEL)


def build_settings(
    config: Path | None = None,
    model: str | None = None,
    backend: str | None = None,
    base_url: str | None = None,
    max_new_tokens: int | None = None,
    temperature: float | None = None,
    seed: int | None = None,
    chunk_tokens: int | None = None,
    overlap: int | None = None,
    threads: int | None = None,
    bluf_mode: str | None = None,
    dtype: str | None = None,
) -> Settings:
    """Settings from a config file, the environment and the flags that were given."""
    sections: dict[str, dict[str, Any]] = {
        "model": {"name": model, "backend": backend, "base_url": base_url, "threads": threads, "dtype": dtype},
        "generation": {"max_new_tokens": max_new_tokens, "temperature": temperature, "seed": seed},
        "chunking": {"chunk_tokens": chunk_tokens, "overlap_tokens": overlap},
        "brief": {"bluf_mode": bluf_mode},
    }
    return load_settings(config, **sections)
