"""Run a suite: brief every document (cached), score ours, the baselines and the published systems
with the same code on the same documents, and write per-document rows and a summary.
"""

from __future__ import annotations

import hashlib
import json
import time
from functools import lru_cache
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..backends.base import backend_name
from ..batch import Executor, Job, LocalExecutor, atomic_write, lazy_brief
from ..brief import Brief
from ..check import SourceIndex
from ..config import Settings
from ..errors import SummariserError
from ..load import Document
from ..prompts import prompts_dir
from . import metrics
from .baselines import get_baseline
from .results import OURS, RunSummary, ci_description, is_rouge_summary, rouge_description, summarise_records
from .scoring import rouge
from .suites import BadRow, Row, Suite, iter_rows

__all__ = ["OURS", "RunResult", "run_suite", "summarise_records"]  # OURS, summarise_records: from results.py
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


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    """Changes with the prompts or any source file of the package, so stale cached briefs are never reused.

    The whole package is hashed (once per process), not a hand-kept list of the modules that decide what a
    brief says: a list falls behind the code (roles.py, structure.py, injection.py were once missing).
    """
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    prompts = prompts_dir()
    files = [(p.relative_to(prompts), p) for p in sorted(prompts.glob("*.toml"))]
    files += [(p.relative_to(package), p) for p in sorted(package.rglob("*.py"))]
    for name, path in files:
        digest.update(name.as_posix().encode())  # a file renamed or moved changes the key too
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cache_key(row: Row, settings: Settings) -> str:
    """Identifies a brief by document text, model, settings and pipeline version."""
    return texts_key([row.text], settings)


def texts_key(texts: Sequence[str], settings: Settings) -> str:
    """The cache key of a brief of one document or of several briefed together (a pile)."""
    parts = [texts[0]] if len(texts) == 1 else ["\x1e".join(texts), "combined"]
    # Reading limits ([load]) never change a brief, so they are not part of the key; the resolved
    # backend is ('auto' means llamacpp or hf depending on what is installed).
    payload = "|".join([*parts, settings.model_dump_json(exclude={"load"}), backend_name(settings.model), _fingerprint()])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


@dataclass
class RunResult:
    """What a run produced."""

    out: Path
    summary: RunSummary | dict[str, Any]  # a ROUGE or pile run: typed; actors and judgments: their JSON object
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def scores(self) -> RunSummary:
        """The typed summary of a ROUGE or pile run (TypeError for the actors and judgments suites)."""
        if not isinstance(self.summary, RunSummary):
            raise TypeError(f"a {self.summary.get('kind')} run has no ROUGE scores")
        return self.summary


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
    record["furniture"] = metrics.furniture(summary)
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


MakeBrief = Callable[[Document | list[Document]], Brief]


def generate_briefs(
    jobs: Sequence[tuple[str, list[Document]]],
    settings: Settings,
    cache_dir: Path,
    failures: list[dict[str, Any]],
    make_brief: MakeBrief | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    executor: Executor | None = None,
) -> tuple[dict[str, Brief], int]:
    """One brief per job (an id and its documents, briefed together when several), cached.

    Returns the briefs by job id and how many were generated (not read from the cache); a job that
    fails is recorded in `failures` and does not stop the others. The briefs not in the cache are
    computed by `executor` (default: `make_brief`, or the pipeline, in this process; the Ray executor
    spreads them over a cluster) and cached here as they arrive.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    briefs: dict[str, Brief] = {}
    todo: list[Job] = []
    done = 0
    for job_id, docs in jobs:
        path = cache_dir / f"{texts_key([d.text for d in docs], settings)}.json"
        if path.is_file():
            try:
                briefs[job_id] = Brief.model_validate_json(path.read_text(encoding="utf-8"))
                done += 1
                if on_progress:
                    on_progress(done, len(jobs), "cached")
                continue
            except ValueError:
                pass  # a damaged cache entry is regenerated
        todo.append(Job(job_id, docs, path.stem, job_id, [path]))
    if todo and executor is None:
        if make_brief is None:
            executor = LocalExecutor(lazy_brief(settings))
        else:
            one = make_brief
            executor = LocalExecutor(lambda docs: one(docs[0] if len(docs) == 1 else docs))
    generated = 0
    for result in executor.run(todo) if todo else ():  # type: ignore[union-attr]
        if result.brief is None:
            failures.append({"id": result.job.name, "error": result.error, "stage": "brief"})
        else:
            atomic_write(result.job.targets[0], result.brief.model_dump_json())
            briefs[result.job.name] = result.brief
            generated += 1
        done += 1
        if on_progress:
            on_progress(done, len(jobs), "generated")
    return briefs, generated


def run_facts(briefs: dict[str, Brief], settings: Settings, generated: int, started: float) -> dict[str, Any]:
    """What every run summary records about how it was made: model, settings, version, timing."""
    return {
        "model": next(iter(briefs.values())).provenance.model if briefs else settings.model.name,
        "settings": json.loads(settings.model_dump_json(exclude={"load"})),
        "version": __version__,
        "generated_briefs": generated,
        "wall_seconds": round(time.perf_counter() - started, 1),
    }


def run_suite(
    suite: Suite,
    settings: Settings,
    out: Path,
    cache_dir: Path,
    make_brief: MakeBrief | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    executor: Executor | None = None,
) -> RunResult:
    """Brief (or reuse cached briefs), score everything and write the run folder.

    `executor` computes the briefs that are not cached (default: in this process; `--ray` passes the
    Ray executor). Actors, judgments and pile suites brief in this process.
    """
    if suite.kind != "rouge":  # actors, judgments and pile suites score other things
        from .suite_kinds import RUNNERS

        return RUNNERS[suite.kind](suite, settings, out, cache_dir, make_brief, on_progress)
    started = time.perf_counter()
    rows: list[Row] = []
    failures: list[dict[str, Any]] = []
    for item in iter_rows(suite):
        if isinstance(item, BadRow):
            failures.append({"line": item.line, "error": item.reason, "stage": "data"})
        else:
            rows.append(item)
    jobs = [(row.id, [Document(id=row.id, name=row.id, text=row.text)]) for row in rows]
    briefs, generated = generate_briefs(jobs, settings, cache_dir, failures, make_brief, on_progress, executor)
    generation_seconds = time.perf_counter() - started
    if not briefs:
        reasons = "; ".join(f"{f.get('id') or 'line ' + str(f.get('line'))}: {f['error']}" for f in failures[:3])
        raise SummariserError(f"no document in {suite.data} could be scored"
                              + (f" ({reasons}{'; ...' if len(failures) > 3 else ''})" if reasons else " (no rows)"))

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

    summary = RunSummary(
        suite=suite.name,
        description=suite.description,
        data=str(suite.data),
        scored_part=suite.score,
        documents=len(rows),
        scored_documents=len(scored),
        failures=failures,
        multi_reference="max F1 per ROUGE type over references" if any(len(r.references) > 1 for r in rows) else None,
        **run_facts(briefs, settings, generated, started),
        generation_seconds=round(generation_seconds, 1),
        rouge=rouge_description(),
        ci=ci_description("documents", suite.bootstrap_samples),
        systems=summarise_records(records, suite.rouge_types, suite.bootstrap_samples),
    )
    write_run(out, records, summary)
    return RunResult(out, summary, failures)


def write_run(out: Path, records: list[dict[str, Any]], summary: RunSummary) -> None:
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
    atomic_write(out / SUMMARY, json.dumps(summary.to_json(), indent=2) + "\n")
    write_reports(out, records, summary)


def write_reports(out: Path, records: list[dict[str, Any]], summary: RunSummary) -> None:
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
    if not is_rouge_summary(summary):  # actors, judgments: no ROUGE, no plots: the table is the report
        from .report import markdown_table

        atomic_write(out / "summary.md", markdown_table(summary))
        return
    write_reports(out, records, RunSummary.model_validate(summary))
