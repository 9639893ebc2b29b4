"""The judgments check: hand-labelled sentences (`eval/gold/judgments.jsonl`) against which any sentence
classifier is scored. Labels and their rules are in `eval/gold/GUIDELINE.md`.

A sentence is a *judgment* when its kind is an assessment, cause, intention, prediction or position;
descriptions and 'other' (colour quotes, captions, fragments) are not. `forward` says whether it speaks
of what will or may happen.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .scoring import BOOTSTRAP_SAMPLES, PRF, Counts, bootstrap_prf

KINDS = ("assessment", "cause", "intention", "prediction", "position", "description", "other")
JUDGMENT_KINDS = frozenset({"assessment", "cause", "intention", "prediction", "position"})
TARGETS = ("judgment", "forward")

Classifier = Callable[[str], bool]


@dataclass(frozen=True)
class Labelled:
    """One hand-labelled sentence."""

    id: str
    index: int
    split: str
    text: str
    kind: str
    forward: bool

    @property
    def judgment(self) -> bool:
        """Whether the sentence is a judgment (its kind is one of `JUDGMENT_KINDS`)."""
        return self.kind in JUDGMENT_KINDS

    def truth(self, target: str) -> bool:
        """The gold answer for 'judgment' or 'forward'."""
        return self.judgment if target == "judgment" else self.forward


def parse_labelled(obj: dict[str, Any]) -> Labelled:
    """A row of judgments.jsonl; raises ValueError when malformed."""
    try:
        item = Labelled(str(obj["id"]), int(obj["index"]), obj["split"], obj["text"], obj["kind"], bool(obj["forward"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"judgments row is malformed: {exc}") from None
    if item.kind not in KINDS:
        raise ValueError(f"unknown kind {item.kind!r} for sentence {item.id}#{item.index}; use one of {KINDS}")
    return item


def counts(truth: bool, predicted: bool) -> Counts:
    """The confusion counts of one sentence."""
    return Counts(int(truth and predicted), int(predicted and not truth), int(truth and not predicted))


def score(items: Sequence[Labelled], predictions: Sequence[bool], target: str,
          samples: int = BOOTSTRAP_SAMPLES) -> PRF:
    """Precision, recall and F1 of predictions (one per item) for 'judgment' or 'forward'."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; use one of {TARGETS}")
    if len(items) != len(predictions):
        raise ValueError("one prediction per labelled sentence is needed")
    return bootstrap_prf([counts(i.truth(target), p) for i, p in zip(items, predictions)], samples)


def by_split(items: Sequence[Labelled], predictions: Sequence[bool], target: str,
             splits: Iterable[str] = ("dev", "test"), samples: int = BOOTSTRAP_SAMPLES) -> dict[str, PRF]:
    """`score` for each split and for all sentences ('all')."""
    out: dict[str, PRF] = {}
    for name in [*splits, "all"]:
        chosen = [(i, p) for i, p in zip(items, predictions) if name == "all" or i.split == name]
        out[name] = score([i for i, _ in chosen], [p for _, p in chosen], target, samples)
    return out


def check(items: Sequence[Labelled], is_judgment: Classifier | None = None,
          is_forward: Classifier | None = None) -> dict[str, dict[str, PRF]]:
    """P/R/F1 per split of a judgment classifier and a forward-looking classifier (either may be None)."""
    out: dict[str, dict[str, PRF]] = {}
    for target, classify in (("judgment", is_judgment), ("forward", is_forward)):
        if classify is not None:
            out[target] = by_split(items, [bool(classify(i.text)) for i in items], target)
    return out


def positive_rate_by_kind(items: Sequence[Labelled], predictions: Sequence[bool]) -> dict[str, dict[str, float]]:
    """For each kind: how many sentences, and the share the classifier called positive."""
    out: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        hits = [p for i, p in zip(items, predictions) if i.kind == kind]
        if hits:
            out[kind] = {"n": len(hits), "positive": round(sum(hits) / len(hits), 4)}
    return out


def load_classifier(spec: str) -> Classifier | None:
    """'module:function' imported, or None when the module has no such function (yet)."""
    module_name, _, attr = spec.partition(":")
    if not attr:
        raise ValueError(f"classifier {spec!r} must be written 'module:function'")
    module = importlib.import_module(module_name)
    found = getattr(module, attr, None)
    return found if callable(found) else None
