"""Evaluation suites: small TOML files in `eval/suites/`, or an ad-hoc JSONL file."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ConfigError
from ..load import json_lines
from .scoring import ROUGE_TYPES

ScoredPart = Literal["bluf", "bluf+judgments", "all"]


class Suite(BaseModel):
    """What to evaluate on and how."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    data: Path = Field(description="JSONL file; relative paths are relative to the suite file.")
    text_field: str = "article"
    ref_field: str = "reference"
    id_field: str = "id"
    systems_field: str | None = Field("systems", description="Published outputs keyed by system name.")
    score: ScoredPart = "bluf"
    rouge_types: list[str] = Field(default_factory=lambda: list(ROUGE_TYPES))
    baselines: list[str] = Field(default_factory=lambda: ["lead-3", "centrality-3"])
    limit: int | None = Field(None, ge=1)


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
    """The repository's `eval/suites/` folder."""
    return Path(__file__).resolve().parents[2] / "eval" / "suites"


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
        suite = Suite.model_validate({"name": path.stem, **data})
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ConfigError(f"suite {path} is invalid: {exc}") from None
    if not suite.data.is_absolute():
        suite = suite.model_copy(update={"data": (path.parent / suite.data).resolve()})
    return suite


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
