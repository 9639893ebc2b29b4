"""Evaluation suites: small TOML files in `eval/suites/` (shipped in the package), or an ad-hoc JSONL file.

A suite names its files relative to itself, or through an environment variable: `${SUMMARISER_DATA}/x.jsonl`
is x.jsonl in the folder of data too large to ship (FRANK; default `../shared/data` beside a checkout).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..config import DATA_ENV
from ..errors import ConfigError
from ..load import json_lines
from ..paths import resource, shared_data_dir
from .scoring import BOOTSTRAP_SAMPLES, ROUGE_TYPES

ScoredPart = Literal["bluf", "bluf+judgments", "all"]
SuiteKind = Literal["rouge", "actors", "judgments", "pile"]


class Suite(BaseModel):
    """What to evaluate on and how."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    kind: SuiteKind = Field("rouge", description=(
        "rouge: briefs of single documents against references; actors: key actors against the actor gold; "
        "judgments: sentence classifiers against the judgments check set (no briefs); pile: briefs of "
        "groups of documents against their joined references, with coverage."))
    data: Path = Field(description="JSONL file; relative paths are relative to the suite file; "
                       "${SUMMARISER_DATA} (or any ${VARIABLE}) is replaced by the variable's value.")
    documents: list[Path] = Field(default_factory=list, description=(
        "actors: where the gold's articles are, joined by id: JSONL files (id_field, text_field) and "
        "text files or folders of them (id = file name without extension)."))
    judgment_classifier: str = Field("summariser.judgments:is_judgment", description=(
        "judgments: 'module:function' (sentence -> bool) scored for judgment; skipped if it does not exist."))
    forward_classifier: str = Field("summariser.judgments:is_forward_looking", description=(
        "judgments: 'module:function' (sentence -> bool) scored for forward-looking."))
    piles: int = Field(50, ge=1, description="pile: how many piles to draw.")
    pile_sizes: tuple[int, int] = Field((3, 5), description="pile: fewest and most documents in a pile.")
    pile_seed: int = Field(5, description="pile: seed of the draw (see evaluation/sampling.make_piles).")
    text_field: str = "article"
    ref_field: str = "reference"
    id_field: str = "id"
    systems_field: str | None = Field("systems", description="Published outputs keyed by system name.")
    score: ScoredPart = "bluf"
    rouge_types: list[str] = Field(default_factory=lambda: list(ROUGE_TYPES))
    baselines: list[str] = Field(default_factory=lambda: ["lead-3", "centrality-3"])
    limit: int | None = Field(None, ge=1)
    bootstrap_samples: int = Field(
        BOOTSTRAP_SAMPLES, ge=100, description="Resamples of each 95% bootstrap interval (the summary says how many)."
    )


@dataclass(frozen=True)
class Row:
    """One document to summarise with its reference(s) and published system outputs."""

    id: str
    text: str
    references: tuple[str, ...]
    systems: dict[str, str]


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be scored, with the reason."""

    line: int
    reason: str


def suites_dir() -> Path:
    """The suites folder: the package's copy (a wheel install), else the repository's `eval/suites/`."""
    return resource("eval", "suites")


_VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)")


def expand_path(value: str, suite: str) -> Path:
    """A suite's path with `${VARIABLE}` replaced; an unset variable is a one-line `ConfigError`."""

    def value_of(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name == DATA_ENV:
            folder = shared_data_dir()
            if folder is None:
                raise ConfigError(f"suite {suite} reads {value}, but {DATA_ENV} is not set: point it at the folder "
                                  f"of the FRANK data (../shared/data beside a checkout)")
            if not folder.is_dir():
                raise ConfigError(f"suite {suite} reads {value}, but {DATA_ENV}={folder} is not a folder")
            return str(folder)
        if name not in os.environ:
            raise ConfigError(f"suite {suite} reads {value}, but the environment variable {name} is not set")
        return os.environ[name]

    return Path(_VARIABLE.sub(value_of, value)).expanduser()


def load_suite(name_or_path: str) -> Suite:
    """A suite by name (`eval/suites/NAME.toml`) or by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = suites_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in suites_dir().glob("*.toml"))
        raise ConfigError(f"no suite {name_or_path!r}; known suites: {', '.join(known)}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if isinstance(data.get("data"), str):
            data["data"] = expand_path(data["data"], path.stem)
        if isinstance(data.get("documents"), list):
            data["documents"] = [expand_path(d, path.stem) if isinstance(d, str) else d for d in data["documents"]]
        suite = Suite.model_validate({"name": path.stem, **data})
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ConfigError(f"suite {path} is invalid: {exc}") from None
    if not suite.data.is_absolute():
        suite = suite.model_copy(update={"data": (path.parent / suite.data).resolve()})
    documents = [d if d.is_absolute() else (path.parent / d).resolve() for d in suite.documents]
    return suite.model_copy(update={"documents": documents})


def adhoc_suite(data: Path, text_field: str, ref_field: str, limit: int | None) -> Suite:
    """A suite for any JSONL file given on the command line."""
    return Suite(name=data.stem, data=data.resolve(), text_field=text_field, ref_field=ref_field, limit=limit)


def iter_rows(suite: Suite) -> Iterator[Row | BadRow]:
    """The suite's rows, in file order; malformed ones come back as `BadRow` with a reason."""
    if not suite.data.is_file():
        raise ConfigError(f"data file not found: {suite.data}")
    with suite.data.open(encoding="utf-8", errors="replace") as handle:
        for count, (number, obj) in enumerate(json_lines(handle)):
            if suite.limit is not None and count >= suite.limit:
                return
            if isinstance(obj, str):
                yield BadRow(number, obj)
                continue
            text = obj.get(suite.text_field)
            ref = obj.get(suite.ref_field)
            refs = [ref] if isinstance(ref, str) else ref if isinstance(ref, list) else []
            refs = [r for r in refs if isinstance(r, str) and r.strip()]
            if not isinstance(text, str) or not text.strip():
                yield BadRow(number, f"missing or empty text field {suite.text_field!r}")
                continue
            if not refs:
                yield BadRow(number, f"missing or empty reference field {suite.ref_field!r}")
                continue
            systems = obj.get(suite.systems_field) if suite.systems_field else None
            systems = {k: v for k, v in (systems or {}).items() if isinstance(v, str)} if isinstance(systems, dict) else {}
            yield Row(str(obj.get(suite.id_field, f"line-{number}")), text, tuple(refs), systems)


def load_texts(sources: list[Path], text_field: str = "article", id_field: str = "id") -> dict[str, str]:
    """Documents by id from JSONL files (`id_field`, `text_field`) and text files or folders of them
    (id = file name without its extension). Later sources do not replace earlier ids."""
    texts: dict[str, str] = {}
    for source in sources:
        if source.is_dir():
            files = sorted(p for p in source.iterdir() if p.suffix in {".txt", ".md"} and p.is_file())
        elif source.is_file():
            files = [source]
        else:
            raise ConfigError(f"document source not found: {source}")
        for file in files:
            if file.suffix == ".jsonl":
                with file.open(encoding="utf-8", errors="replace") as handle:
                    for _, obj in json_lines(handle):
                        if isinstance(obj, dict) and isinstance(obj.get(text_field), str):
                            texts.setdefault(str(obj.get(id_field)), obj[text_field])
            else:
                texts.setdefault(file.stem, file.read_text(encoding="utf-8", errors="replace"))
    return texts
