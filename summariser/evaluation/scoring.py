"""ROUGE scores (google-research `rouge-score`) and bootstrap statistics, as small pure functions.

ROUGE-Lsum treats newlines as sentence boundaries; both sides are split into sentences first, or
Lsum silently equals ROUGE-L.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 20211  # fixed: the same scores always give the same interval


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 of one summary against its reference(s)."""

    precision: float
    recall: float
    fmeasure: float


@dataclass(frozen=True)
class Interval:
    """A mean with its 95% bootstrap confidence interval."""

    mean: float
    low: float
    high: float


@lru_cache(maxsize=4)
def _scorer(types: tuple[str, ...]):  # noqa: ANN202 - rouge_score has no type hints
    from rouge_score import rouge_scorer

    unknown = set(types) - set(ROUGE_TYPES)
    if unknown:
        raise ValueError(f"unknown ROUGE type(s) {sorted(unknown)}; choose from {ROUGE_TYPES}")
    return rouge_scorer.RougeScorer(list(types), use_stemmer=True)


@lru_cache(maxsize=4096)  # a reference is split once, not once per system scored against it
def sentences_per_line(text: str) -> str:
    """One sentence per line, as ROUGE-Lsum expects."""
    from ..nlp import split_sentences

    return "\n".join(split_sentences(text)) if text.strip() else ""


def rouge(
    prediction: str, references: str | Sequence[str], types: Sequence[str] = ROUGE_TYPES
) -> dict[str, Score]:
    """ROUGE of `prediction` against one reference, or the best per type against several.

    With several references the usual convention applies: each ROUGE type takes its maximum F1.
    """
    refs = [references] if isinstance(references, str) else list(references)
    scorer = _scorer(tuple(types))
    pred = sentences_per_line(prediction)
    best: dict[str, Score] = {}
    for ref in refs:
        scores = scorer.score(sentences_per_line(ref), pred)
        for name, s in scores.items():
            current = Score(s.precision, s.recall, s.fmeasure)
            if name not in best or current.fmeasure > best[name].fmeasure:
                best[name] = current
    return best


def bootstrap_mean(values: Sequence[float], samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED) -> Interval:
    """Mean and 95% percentile-bootstrap interval over documents."""
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return Interval(float("nan"), float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, data.size, size=(samples, data.size))].mean(axis=1)
    return Interval(float(data.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5)))


@dataclass(frozen=True)
class PairedResult:
    """B minus A over the same documents, with its interval and a two-sided bootstrap p-value."""

    delta: Interval
    p_value: float
    n: int

    @property
    def significant(self) -> bool:
        """Whether the 95% interval of the difference excludes zero."""
        return self.delta.low > 0 or self.delta.high < 0


def paired_bootstrap(
    a: Sequence[float], b: Sequence[float], samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED
) -> PairedResult:
    """Paired bootstrap of mean(b - a): is B's difference from A more than resampling noise?"""
    if len(a) != len(b):
        raise ValueError("paired bootstrap needs scores of the same documents in the same order")
    diff = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    if diff.size == 0:
        return PairedResult(Interval(float("nan"), float("nan"), float("nan")), float("nan"), 0)
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, diff.size, size=(samples, diff.size))].mean(axis=1)
    # Two-sided: how often the resampled difference falls on the other side of zero.
    tail = np.mean(means <= 0) if diff.mean() > 0 else np.mean(means >= 0)
    return PairedResult(
        Interval(float(diff.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))),
        float(min(1.0, 2 * tail)),
        int(diff.size),
    )


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of one document (or one sentence)."""

    tp: int
    fp: int
    fn: int


@dataclass(frozen=True)
class PRF:
    """Micro-averaged precision, recall and F1, each with its 95% bootstrap interval."""

    precision: Interval
    recall: Interval
    f1: Interval
    tp: int
    fp: int
    fn: int


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; an empty denominator gives 0, not an error."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bootstrap_prf(counts: Sequence[Counts], samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED) -> PRF:
    """Micro P/R/F1 over units (documents or sentences): counts are summed, then divided.

    The interval resamples whole units with replacement, so a document's actors stay together.
    """
    data = np.asarray([(c.tp, c.fp, c.fn) for c in counts], dtype=float).reshape(-1, 3)
    tp, fp, fn = (int(x) for x in data.sum(axis=0))
    p, r, f = prf(tp, fp, fn)
    if not len(data):
        nan = Interval(float("nan"), float("nan"), float("nan"))
        return PRF(nan, nan, nan, 0, 0, 0)
    rng = np.random.default_rng(seed)
    sums = data[rng.integers(0, len(data), size=(samples, len(data)))].sum(axis=1)
    stp, sfp, sfn = sums[:, 0], sums[:, 1], sums[:, 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        sp = np.where(stp + sfp > 0, stp / (stp + sfp), 0.0)
        sr = np.where(stp + sfn > 0, stp / (stp + sfn), 0.0)
        sf = np.where(sp + sr > 0, 2 * sp * sr / (sp + sr), 0.0)

    def interval(mean: float, values: np.ndarray) -> Interval:
        return Interval(mean, float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5)))

    return PRF(interval(p, sp), interval(r, sr), interval(f, sf), tp, fp, fn)
