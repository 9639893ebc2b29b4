"""Compare two runs document by document (paired bootstrap)."""

from __future__ import annotations

import json
from pathlib import Path

from .results import F1_KEYS, OURS
from .runner import PER_DOC
from .scoring import paired_bootstrap

METRICS = (*F1_KEYS, "entity_precision")


def _scores(run: Path, system: str) -> dict[str, dict]:
    path = run / PER_DOC
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: is {run} a run folder?")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = {r["id"]: r for r in rows if r["system"] == system}
    if not found:
        systems = sorted({r["system"] for r in rows})
        raise ValueError(f"no system {system!r} in {run}; it has {', '.join(systems)}")
    return found


def compare_runs(run_a: Path, run_b: Path, system_a: str = OURS, system_b: str = OURS) -> str:
    """A Markdown table: mean difference B - A, its 95% CI, p-value and verdict per measure."""
    a, b = _scores(run_a, system_a), _scores(run_b, system_b)
    common = sorted(set(a) & set(b))
    if not common:
        raise ValueError("the two runs share no documents")
    lines = [
        f"B = {run_b} ({system_b}) minus A = {run_a} ({system_a}), paired over {len(common)} documents",
        "",
        "| measure | A | B | B - A [95% CI] | p | significant |",
        "|---|---|---|---|---|---|",
    ]
    for metric in METRICS:
        pairs = [(a[i][metric], b[i][metric]) for i in common if a[i].get(metric) is not None and b[i].get(metric) is not None]
        if not pairs:
            continue
        xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
        res = paired_bootstrap(xs, ys)
        lines.append(
            f"| {metric} | {sum(xs) / len(xs):.2f} | {sum(ys) / len(ys):.2f} | "
            f"{res.delta.mean:+.2f} [{res.delta.low:+.2f}, {res.delta.high:+.2f}] | {res.p_value:.3f} | "
            f"{'yes' if res.significant else 'no'} |"
        )
    return "\n".join(lines) + "\n"
