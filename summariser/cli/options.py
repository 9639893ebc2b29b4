"""Flags shared by the commands that run the model, turned into `Settings` in one place."""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_type_hints

import typer
from typer.core import TyperCommand, TyperGroup

from ..config import Settings, load_settings

MODEL_PANEL = "Model and generation"


class BlufMode(str, Enum):
    """How the BLUF is written (`brief.bluf_mode`)."""

    auto = "auto"
    abstract = "abstract"
    compress = "compress"
    extract = "extract"


class Dtype(str, Enum):
    """Weights and activations of the hf backend (`model.dtype`)."""

    auto = "auto"
    float32 = "float32"
    bfloat16 = "bfloat16"


class OutputFormat(str, Enum):
    """What `brief run` writes per document."""

    md = "md"
    json = "json"
    both = "both"


CONFIG_HELP = "TOML settings file (sections model, generation, chunking, brief)."
ConfigOpt = typer.Option(None, "--config", "-c", help=CONFIG_HELP, rich_help_panel=MODEL_PANEL)


@dataclass(frozen=True)
class ModelOptions:
    """The model and generation flags of `brief run` and `brief eval`, declared once (`with_model_options`).

    None means "not given": the config file, the environment or the default decides.
    """

    model: Annotated[str | None, typer.Option(
        "--model", "-m", help="'smollm2' (default), a .gguf file, a HF model folder, or a cached model id.",
        rich_help_panel=MODEL_PANEL)] = None
    backend: Annotated[str | None, typer.Option(
        "--backend", help="hf (transformers) | llamacpp (GGUF via llama-cpp-python, optional) | openai | a plugin's "
        "backend (default: auto: openai with --base-url, llamacpp for a GGUF model where installed, else hf).",
        rich_help_panel=MODEL_PANEL)] = None
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="OpenAI-compatible server URL, e.g. http://127.0.0.1:8080/v1.", rich_help_panel=MODEL_PANEL)] = None
    config: Annotated[Path | None, typer.Option("--config", "-c", help=CONFIG_HELP, rich_help_panel=MODEL_PANEL)] = None
    max_new_tokens: Annotated[int | None, typer.Option(
        "--max-new-tokens", help="Tokens per model answer.", rich_help_panel=MODEL_PANEL)] = None
    temperature: Annotated[float | None, typer.Option(
        "--temperature", help="0 = greedy (default).", rich_help_panel=MODEL_PANEL)] = None
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (default 0).", rich_help_panel=MODEL_PANEL)] = None
    chunk_tokens: Annotated[int | None, typer.Option(
        "--chunk-tokens", help="Tokens per chunk (default: from the context window).", rich_help_panel=MODEL_PANEL)] = None
    overlap: Annotated[int | None, typer.Option(
        "--overlap", help="Tokens shared by neighbouring chunks.", rich_help_panel=MODEL_PANEL)] = None
    threads: Annotated[int | None, typer.Option(
        "--threads", help="CPU threads for torch (default: all cores).", rich_help_panel=MODEL_PANEL)] = None
    bluf_mode: Annotated[BlufMode | None, typer.Option(
        "--bluf-mode", help="How the BLUF is written: auto (default: extract with a model under 1B parameters, "
        "else abstract) | extract | compress | abstract (see README).", rich_help_panel=MODEL_PANEL)] = None
    dtype: Annotated[Dtype | None, typer.Option(
        "--dtype", help="hf backend: auto (default: bfloat16 where the CPU has native bf16, else float32) | "
        "float32 | bfloat16.", rich_help_panel=MODEL_PANEL)] = None

    def settings(self, load: dict[str, Any] | None = None) -> Settings:
        """Settings from the config file, the environment and the flags that were given."""
        return build_settings(
            config=self.config, model=self.model, backend=self.backend, base_url=self.base_url,
            max_new_tokens=self.max_new_tokens, temperature=self.temperature, seed=self.seed,
            chunk_tokens=self.chunk_tokens, overlap=self.overlap, threads=self.threads,
            bluf_mode=self.bluf_mode.value if self.bluf_mode else None, dtype=self.dtype.value if self.dtype else None,
            load=load,
        )


F = TypeVar("F", bound=Callable[..., Any])


def with_model_options(command: F) -> F:
    """Give a Typer command the `ModelOptions` flags; it receives them as one `options: ModelOptions` argument.

    Typer reads a command's signature, so the wrapper's signature lists the command's own parameters
    (without `options`) followed by one keyword parameter per `ModelOptions` field.
    """
    own = inspect.signature(command, eval_str=True)
    flags = get_type_hints(ModelOptions, include_extras=True)
    names = [f.name for f in fields(ModelOptions)]
    added = [inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default, annotation=flags[f.name])
             for f in fields(ModelOptions)]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        options = ModelOptions(**{name: kwargs.pop(name) for name in names})
        return command(*args, options=options, **kwargs)

    parameters = [p for p in own.parameters.values() if p.name != "options"]
    keyword = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in parameters]
    wrapper.__signature__ = own.replace(parameters=[*keyword, *added])  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in [*keyword, *added]}
    return wrapper  # type: ignore[return-value]


def build_settings(
    *,
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
    """Settings from a config file, the environment and the flags that were given (keywords only)."""
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
    help="Largest file, JSONL line or standard input read, in MiB (default 16).",
)


def check_model_file(settings: Settings) -> None:
    """Refuse at once, before any work, a model file that cannot be what it claims (a text file named .gguf)."""
    from ..backends.registry import backend_name
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
