"""Typed results of a ROUGE run: what `summary.json` holds, read and written through pydantic models.

The runner builds a `RunSummary`, writes it with `model_dump` (the same JSON as before: each system's
measures sit beside its `n`), and the reports, the web page and the scripts read it back as the same
model, so no caller digs into nested dicts by string keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .scoring import BOOTSTRAP_SAMPLES, BOOTSTRAP_SEED, ROUGE_TYPES, Interval, bootstrap_mean

OURS = "summariser"  # the system name of this tool's briefs in every run
PARTS = ("f", "p", "r")  # F1, precision, recall: the per-document columns `<type>_<part>` of each ROUGE type
SIDE_MEASURES = (
    "words", "compression", "novel_bigrams", "entity_precision", "brief_entity_precision", "actor_grounding",
    "seconds", "coverage", "furniture",
)


def rouge_key(rouge_type: str, part: str = "f") -> str:
    """The column of one ROUGE type and part, e.g. ('rouge1', 'f') -> 'rouge1_f'."""
    return f"{rouge_type}_{part}"


def rouge_keys(types: Sequence[str] = ROUGE_TYPES, parts: Sequence[str] = PARTS) -> list[str]:
    """Every ROUGE column of `types`, type by type: rouge1_f, rouge1_p, rouge1_r, rouge2_f, ..."""
    return [rouge_key(t, p) for t in types for p in parts]


F1_KEYS = tuple(rouge_key(t) for t in ROUGE_TYPES)  # rouge1_f, rouge2_f, rougeL_f, rougeLsum_f


@cache
def rouge_description() -> str:
    """How ROUGE was computed, naming the rouge-score version installed (the one that scored)."""
    try:
        installed = version("rouge-score")
    except PackageNotFoundError:  # pragma: no cover - a dependency of the package
        installed = "(version unknown)"
    return f"rouge-score {installed}, Porter stemmer, F1/P/R x100; rougeLsum on sentences split one per line"


def ci_description(unit: str = "documents", samples: int = BOOTSTRAP_SAMPLES) -> str:
    """How the intervals were computed, with the number of resamples actually used."""
    return f"95% percentile bootstrap over {unit}, {samples} resamples, fixed seed"


class Stat(BaseModel):
    """A measure's mean over documents with its 95% bootstrap interval, and how many documents had it."""

    model_config = ConfigDict(extra="forbid")

    mean: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float], samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED) -> Stat:
        """Mean and interval of `values`, rounded to 4 places as written to summary.json."""
        iv: Interval = bootstrap_mean(values, samples, seed)
        return cls(mean=round(iv.mean, 4), low=round(iv.low, 4), high=round(iv.high, 4), n=len(values))


class SystemScores(BaseModel):
    """One system's scores: `n` documents, and a `Stat` per measure it has (ROUGE columns, side measures).

    Stored flat, as in summary.json (`{"n": 250, "rouge1_f": {...}, ...}`); read them with `get`.
    """

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Stat] = Field(init=False)

    n: int

    def get(self, key: str) -> Stat | None:
        """The measure `key` (e.g. 'rouge1_f', 'words'), or None when the system was not scored on it."""
        return (self.__pydantic_extra__ or {}).get(key)

    def mean(self, key: str, default: float = 0.0) -> float:
        """The mean of measure `key`, or `default` when absent."""
        stat = self.get(key)
        return stat.mean if stat else default

    @property
    def measures(self) -> dict[str, Stat]:
        """Every measure the system has, by key."""
        return dict(self.__pydantic_extra__ or {})


class RunSummary(BaseModel):
    """summary.json of a ROUGE run (`kind` absent) or a pile run (`kind = "pile"`)."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    suite: str
    description: str = ""
    data: str
    scored_part: str
    documents: int
    scored_documents: int
    failures: list[dict[str, Any]] = Field(default_factory=list)
    multi_reference: str | None = None
    model: str
    settings: dict[str, Any]
    version: str
    generated_briefs: int
    wall_seconds: float
    generation_seconds: float
    rouge: str
    coverage: str | None = None
    ci: str
    piles: dict[str, Any] | None = None
    systems: dict[str, SystemScores]

    def to_json(self) -> dict[str, Any]:
        """The JSON object written to summary.json (keys a run kind does not have are left out)."""
        data = self.model_dump(mode="json")
        for key in ("kind", "coverage", "piles"):
            if data[key] is None:
                del data[key]
        return data

    def ours(self) -> SystemScores | None:
        """This tool's scores (None when no brief was scored)."""
        return self.systems.get(OURS)

    def order(self) -> list[str]:
        """Ours first, then the others by ROUGE-1 F1, best first."""
        rest = sorted((s for s in self.systems if s != OURS), key=lambda s: -self.systems[s].mean("rouge1_f"))
        return ([OURS] if OURS in self.systems else []) + rest


def summarise_records(
    records: list[dict[str, Any]], rouge_types: Sequence[str], samples: int = BOOTSTRAP_SAMPLES
) -> dict[str, SystemScores]:
    """Per system: mean and 95% bootstrap interval of every measure, over the same documents."""
    systems: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        systems.setdefault(r["system"], []).append(r)
    keys = rouge_keys(rouge_types) + list(SIDE_MEASURES)
    out: dict[str, SystemScores] = {}
    for system, rows in systems.items():
        stats: dict[str, Any] = {"n": len(rows)}
        for key in keys:
            values = [r[key] for r in rows if r.get(key) is not None]
            if values:
                stats[key] = Stat.of(values, samples)
        out[system] = SystemScores.model_validate(stats)
    return out


def is_rouge_summary(data: dict[str, Any]) -> bool:
    """Whether a summary.json object is a ROUGE (or pile) run, as opposed to actors or judgments."""
    return data.get("kind") in (None, "rouge", "pile")
