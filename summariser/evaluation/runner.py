"""Run a suite: brief every document (cached), score ours, the baselines and the published systems
with the same code on the same documents, and write per-document rows and a summary.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..backends.base import backend_name
from ..batch import atomic_write
from ..brief import Brief
from ..check import SourceIndex
from ..config import Settings
from ..load import Document
from ..prompts import prompts_dir
from . import metrics
from .baselines import get_baseline
from .scoring import bootstrap_mean, rouge
from .suites import BadRow, Row, Suite, iter_rows

OURS = "summariser"
PER_DOC = "per_document.jsonl"
SUMMARY = "summary.json"


def scored_text(brief: Brief, part: str) -> str:
    """The part of a brief compared with the reference."""
    if part == "bluf":
        return brief.bluf
    pieces = [brief.bluf] + [j.statement for j in brief.key_judgments]
    if part == "all":
        pieces += [i.statement for i in brief.implications]
    return " ".join(pieces)


# The modules whose code decides what a brief says (not how it is shown, stored or scored).
BRIEF_MODULES = ("pipeline", "summarise", "merge", "check", "chunk", "nlp", "salience", "actors", "judgments",
                 "llm", "prompts", "brief", "backends/hf", "backends/llamacpp",
                 "backends/openai_compat", "backends/capability")


def _fingerprint() -> str:
    """Changes with the prompts or the brief-making code, so stale cached briefs are never reused."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    code = [package / f"{name}.py" for name in BRIEF_MODULES]
    for path in [*sorted(prompts_dir().glob("*.toml")), *code]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cache_key(row: Row, settings: Settings) -> str:
    """Identifies a brief by document text, model, settings and pipeline version."""
    # The resolved backend too: 'auto' means llamacpp or hf depending on what is installed.
    payload = "|".join([row.text, settings.model_dump_json(), backend_name(settings.model), _fingerprint()])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


@dataclass
class RunResult:
    """What a run produced."""

    out: Path
    summary: dict[str, Any]
    failures: list[dict[str, Any]] = field(default_factory=list)


def score_row(row: Row, system: str, summary: str, rouge_types: list[str], brief: Brief | None = None) -> dict[str, Any]:
    """One per-document record: ROUGE (P/R/F, x100) and the side measures."""
    source = SourceIndex(row.text)
    record: dict[str, Any] = {"id": row.id, "system": system, "summary": summary}
    for name, s in rouge(summary, row.references, rouge_types).items():
        record[f"{name}_p"] = round(100 * s.precision, 3)
        record[f"{name}_r"] = round(100 * s.recall, 3)
        record[f"{name}_f"] = round(100 * s.fmeasure, 3)
    record["words"] = metrics.words(summary)
    record["source_words"] = metrics.words(row.text)
    record["compression"] = round(metrics.compression(row.text, summary), 3)
    record["novel_bigrams"] = round(metrics.novel_ngrams(row.text, summary), 4)
    record["entity_precision"] = metrics.entity_precision(source, summary)
    if brief is not None:
        # Field by field: 'Kermit the Frog' and its role 'Frog' joined would read as one entity.
        whole = (
            [brief.title, brief.bluf]
            + [j.statement for j in brief.key_judgments]
            + [i.statement for i in brief.implications]
            + [part for a in brief.key_actors for part in (a.name, a.role)]
        )
        record["brief_entity_precision"] = metrics.entity_precision(source, whole)
        record["actor_grounding"] = metrics.actor_grounding(source, [a.name for a in brief.key_actors])
        record["seconds"] = brief.provenance.seconds
    return record


def summarise_records(records: list[dict[str, Any]], rouge_types: list[str]) -> dict[str, Any]:
    """Per system: mean and 95% bootstrap interval of every measure, over the same documents."""
    systems: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        systems.setdefault(r["system"], []).append(r)
    keys = [f"{t}_{m}" for t in rouge_types for m in ("f", "p", "r")] + [
        "words", "compression", "novel_bigrams", "entity_precision", "brief_entity_precision", "actor_grounding",
        "seconds",
    ]
    out: dict[str, Any] = {}
    for system, rows in systems.items():
        stats: dict[str, Any] = {"n": len(rows)}
        for key in keys:
            values = [r[key] for r in rows if r.get(key) is not None]
            if values:
                iv = bootstrap_mean(values)
                stats[key] = {"mean": round(iv.mean, 4), "low": round(iv.low, 4), "high": round(iv.high, 4),
                              "n": len(values)}
        out[system] = stats
    return out


def run_suite(
    suite: Suite,
    settings: Settings,
    out: Path,
    cache_dir: Path,
    make_brief: Callable[[Document], Brief] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> RunResult:
    """Brief (or reuse cached briefs), score everything and write the run folder."""
    started = time.perf_counter()
    rows: list[Row] = []
    failures: list[dict[str, Any]] = []
    for item in iter_rows(suite):
        if isinstance(item, BadRow):
            failures.append({"line": item.line, "error": item.reason, "stage": "data"})
        else:
            rows.append(item)
    cache_dir.mkdir(parents=True, exist_ok=True)
    briefs: dict[str, Brief] = {}
    generated = 0
    for done, row in enumerate(rows):
        path = cache_dir / f"{cache_key(row, settings)}.json"
        if path.is_file():
            try:
                briefs[row.id] = Brief.model_validate_json(path.read_text(encoding="utf-8"))
                if on_progress:
                    on_progress(done + 1, len(rows), "cached")
                continue
            except ValueError:
                pass  # a damaged cache entry is regenerated
        if make_brief is None:
            from ..pipeline import Summariser

            summariser = Summariser(settings)
            make_brief = summariser.brief
        try:
            brief = make_brief(Document(id=row.id, name=row.id, text=row.text))
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - one document must not stop the run
            failures.append({"id": row.id, "error": f"{exc.__class__.__name__}: {exc}", "stage": "brief"})
        else:
            atomic_write(path, brief.model_dump_json())
            briefs[row.id] = brief
            generated += 1
        if on_progress:
            on_progress(done + 1, len(rows), "generated")
    generation_seconds = time.perf_counter() - started

    scored = [r for r in rows if r.id in briefs]  # every system on the same documents
    records: list[dict[str, Any]] = []
    baselines = {name: get_baseline(name) for name in suite.baselines}
    for row in scored:
        brief = briefs[row.id]
        records.append(score_row(row, OURS, scored_text(brief, suite.score), suite.rouge_types, brief))
        for name, baseline in baselines.items():
            records.append(score_row(row, name, baseline(row.text), suite.rouge_types))
        for name, text in sorted(row.systems.items()):
            records.append(score_row(row, name, text, suite.rouge_types))

    summary = {
        "suite": suite.name,
        "description": suite.description,
        "data": str(suite.data),
        "scored_part": suite.score,
        "documents": len(rows),
        "scored_documents": len(scored),
        "failures": failures,
        "multi_reference": "max F1 per ROUGE type over references" if any(len(r.references) > 1 for r in rows) else None,
        "model": next(iter(briefs.values())).provenance.model if briefs else settings.model.name,
        "settings": json.loads(settings.model_dump_json()),
        "version": __version__,
        "generated_briefs": generated,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "generation_seconds": round(generation_seconds, 1),
        "rouge": "rouge-score 0.1.2, Porter stemmer, F1/P/R x100; rougeLsum on sentences split one per line",
        "ci": "95% percentile bootstrap over documents, 1000 resamples, fixed seed",
        "systems": summarise_records(records, suite.rouge_types),
    }
    write_run(out, records, summary)
    return RunResult(out, summary, failures)


def write_run(out: Path, records: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    """Per-document JSONL and CSV, summary JSON, Markdown table and HTML report."""
    import csv
    import io

    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / PER_DOC, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    buffer = io.StringIO()
    fields = sorted({k for r in records for k in r}, key=lambda k: (k not in ("id", "system"), k))
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    writer.writerows(records)
    atomic_write(out / "per_document.csv", buffer.getvalue())
    atomic_write(out / SUMMARY, json.dumps(summary, indent=2) + "\n")
    write_reports(out, records, summary)


def write_reports(out: Path, records: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    """The Markdown table, the HTML report and the plots as PNG files (for the web demo)."""
    import base64

    from .report import html_report, markdown_table, plots

    images = plots(summary, records)
    atomic_write(out / "summary.md", markdown_table(summary))
    atomic_write(out / "report.html", html_report(summary, records, images))
    (out / "plots").mkdir(exist_ok=True)
    for name, data in images.items():
        (out / "plots" / f"{name}.png").write_bytes(base64.b64decode(data))


def rewrite_reports(out: Path) -> None:
    """Rebuild the reports of an existing run folder from its per-document scores and summary."""
    records = [json.loads(line) for line in (out / PER_DOC).read_text(encoding="utf-8").splitlines() if line.strip()]
    summary = json.loads((out / SUMMARY).read_text(encoding="utf-8"))
    write_reports(out, records, summary)
