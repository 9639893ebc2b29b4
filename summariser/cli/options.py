"""Flags shared by the commands that run the model, turned into `Settings` in one place."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

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
    load: dict[str, Any] | None = None,
) -> Settings:
    """Settings from a config file, the environment and the flags that were given."""
    sections: dict[str, dict[str, Any]] = {
        "model": {"name": model, "backend": backend, "base_url": base_url, "threads": threads, "dtype": dtype},
        "generation": {"max_new_tokens": max_new_tokens, "temperature": temperature, "seed": seed},
        "chunking": {"chunk_tokens": chunk_tokens, "overlap_tokens": overlap},
        "brief": {"bluf_mode": bluf_mode},
        "load": load or {},
    }
    return load_settings(config, **sections)


# -- running on a Ray cluster ---------------------------------------------------------------------
RAY_PANEL = "Ray cluster"
RayOpt = typer.Option(
    None, "--ray", metavar="[ADDRESS]", rich_help_panel=RAY_PANEL,
    help="Spread the documents over a Ray cluster: --ray alone starts a local Ray instance; --ray HOST:PORT, "
    "--ray ray://HOST:10001 or --ray auto joins a running cluster (see README).",
)
RayWorkersOpt = typer.Option(
    None, "--ray-workers", min=1, rich_help_panel=RAY_PANEL,
    help="Model workers (each loads the model once; default: the cluster's CPUs / --ray-cpus).",
)
RayCpusOpt = typer.Option(1, "--ray-cpus", min=1, rich_help_panel=RAY_PANEL, help="CPUs (torch threads) per worker.")

_ADDRESS = re.compile(r"^(?:auto|local|ray://\S+|\[?[\w.\-:]+\]?:\d{1,5})$")


def optional_ray_value(args: list[str]) -> list[str]:
    """Let `--ray` take an optional value: a bare `--ray` (not followed by an address) means a local instance."""
    out: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--":
            return out + args[i:]
        if arg == "--ray" and not (i + 1 < len(args) and _ADDRESS.match(args[i + 1])):
            out.append("--ray=local")
        else:
            out.append(arg)
    return out


class RayCommand(TyperCommand):
    """A command whose `--ray` option may be given without a value."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer's own click Context (typer._click)
        return super().parse_args(ctx, optional_ray_value(args))


class RayGroup(TyperGroup):
    """A group (with a default callback) whose `--ray` option may be given without a value."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer's own click Context (typer._click)
        return super().parse_args(ctx, optional_ray_value(args))


# -- reading untrusted input ----------------------------------------------------------------------
INPUT_PANEL = "Reading input"
FollowLinksOpt = typer.Option(
    None, "--follow-links/--no-follow-links", rich_help_panel=INPUT_PANEL,
    help="Follow symbolic links that point out of the folders given (default: skip them and say so).",
)
ParseTimeoutOpt = typer.Option(
    None, "--parse-timeout", min=0.1, rich_help_panel=INPUT_PANEL,
    help="Seconds one file may take to parse before it is stopped and recorded as failed (default 60).",
)
MaxMbOpt = typer.Option(
    None, "--max-mb", min=0.001, rich_help_panel=INPUT_PANEL,
    help="Largest file, JSONL line or standard input read, in MB (default 16).",
)


def check_model_file(settings: Settings) -> None:
    """Refuse at once, before any work, a model file that cannot be what it claims (a text file named .gguf)."""
    from ..backends.base import backend_name
    from ..errors import ConfigError, ModelNotFoundError

    if backend_name(settings.model) == "openai":
        return
    path = Path(settings.model.name).expanduser()
    if path.suffix.lower() == ".gguf":
        if not path.exists():
            raise ModelNotFoundError(f"GGUF file not found: {path}")
        if not path.is_file():
            raise ConfigError(f"--model {path} is not a file")
        try:
            with path.open("rb") as handle:
                magic = handle.read(4)
        except OSError as exc:
            raise ModelNotFoundError(f"cannot read {path}: {exc.strerror}") from None
        if magic != b"GGUF":
            raise ConfigError(f"--model {path} is not a GGUF file (it does not start with the GGUF signature)")


def start_ray(console: Any, settings: Settings, address: str, workers: int | None, cpus: int) -> Any:
    """Join or start the Ray cluster and its workers (a spinner meanwhile); says where the briefs will be made."""
    from rich.markup import escape

    from ..ray_executor import RayExecutor

    cluster = RayExecutor(settings, address=address, workers=workers, cpus_per_worker=cpus)
    try:
        with console.status("starting Ray workers…"):
            cluster.start()
    except BaseException:
        cluster.close()  # leave no Ray instance or worker behind
        raise
    console.print(f"ray: {escape(cluster.describe())}")
    return cluster
