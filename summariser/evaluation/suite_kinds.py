"""Suites that score something other than single-document ROUGE, run by `runner.run_suite` by kind:

- **actors**: brief each gold article and score its key actors against the hand-annotated gold;
- **judgments**: score sentence classifiers against the hand-labelled judgments check set (no briefs);
- **pile**: brief groups of documents together and score the BLUF against the joined references,
  with coverage (the share of the pile's documents the BLUF draws on) and pile baselines.

Briefs are made and cached by `runner.generate_briefs`, the same way as for ROUGE suites.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .. import __version__
from ..batch import atomic_write
from ..brief import Brief
from ..config import Settings
from ..errors import ConfigError
from ..load import Document, json_lines
from . import actors, judgment_check
from .piles import coverage, join_documents, pile_baseline
from .results import OURS, RunSummary, Stat, ci_description, rouge_description, summarise_records
from .runner import PER_DOC, SUMMARY, MakeBrief, RunResult, generate_briefs, run_facts, score_row, scored_text, write_run
from .sampling import make_piles
from .scoring import BOOTSTRAP_SAMPLES, PRF, Counts, bootstrap_prf
from .suites import BadRow, Row, Suite, iter_rows, load_texts

T = TypeVar("T")
Progress = Callable[[int, int, str], None] | None


def _prf_dict(result: PRF) -> dict[str, Any]:
    def iv(x: Any) -> dict[str, float]:
        return {"mean": round(x.mean, 4), "low": round(x.low, 4), "high": round(x.high, 4)}

    return {"precision": iv(result.precision), "recall": iv(result.recall), "f1": iv(result.f1),
            "tp": result.tp, "fp": result.fp, "fn": result.fn}


def _write_plain(out: Path, records: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    """Per-document rows, summary JSON and the Markdown table (no plots: there is no ROUGE to plot)."""
    from .report import markdown_table

    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / PER_DOC, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    atomic_write(out / SUMMARY, json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    atomic_write(out / "summary.md", markdown_table(summary))


def read_gold(path: Path, parse: Callable[[dict[str, Any]], T], failures: list[dict[str, Any]]) -> list[T]:
    """The rows of a gold JSONL file, parsed; malformed rows are recorded in `failures`, not fatal."""
    if not path.is_file():
        raise ConfigError(f"gold file not found: {path}")
    rows: list[T] = []
    with path.open(encoding="utf-8") as handle:
        for number, obj in json_lines(handle):
            try:
                if isinstance(obj, str):
                    raise ValueError(obj)
                rows.append(parse(obj))
            except ValueError as exc:
                failures.append({"line": number, "error": str(exc), "stage": "data"})
    return rows


# -- actors ---------------------------------------------------------------------------------------


def actor_record(gold: actors.GoldDoc, predicted: list[actors.Predicted]) -> dict[str, Any]:
    """The per-document row of the actors suite."""
    score = actors.score_document(predicted, gold)
    return {
        "id": gold.id, "split": gold.split, "dataset": gold.dataset, "system": OURS,
        "predicted": [{"name": p.name, "type": p.type} for p in predicted],
        "gold_key": [a.name for a in gold.key],
        "main_subject": gold.main.name if gold.main else None,
        "main_subject_listed": score.main_subject,
        "strict": vars(score.strict), "lenient": vars(score.lenient),
        "false_positives": score.false_positives, "misses": score.misses,
        "lenient_misses": score.lenient_misses, "minor_listed": score.minor_hits,
    }


def actor_stats(records: list[dict[str, Any]], samples: int = BOOTSTRAP_SAMPLES) -> dict[str, Any]:
    """Micro P/R/F1 (strict and lenient) and main-subject recall of some per-document rows, with CIs."""
    hits = [float(r["main_subject_listed"]) for r in records if r["main_subject_listed"] is not None]
    reasons = Counter(fp["reason"].split(",")[0] for r in records for fp in r["false_positives"])
    return {
        "documents": len(records),
        "strict": _prf_dict(bootstrap_prf([Counts(**r["strict"]) for r in records], samples)),
        "lenient": _prf_dict(bootstrap_prf([Counts(**r["lenient"]) for r in records], samples)),
        "main_subject_recall": Stat.of(hits, samples).model_dump(),
        "main_subject_missed": [r["id"] for r in records if r["main_subject_listed"] is False],
        "predicted_per_document": round(sum(len(r["predicted"]) for r in records) / max(len(records), 1), 2),
        "key_per_document": round(sum(len(r["gold_key"]) for r in records) / max(len(records), 1), 2),
        "strict_false_positives_by_reason": dict(reasons.most_common()),
    }


def by_split(records: list[dict[str, Any]], stats: Callable[[list[dict[str, Any]]], dict[str, Any]]) -> dict[str, Any]:
    """`stats` of the dev rows, the test rows and all rows."""
    return {name: stats([r for r in records if name == "all" or r["split"] == name]) for name in ("dev", "test", "all")}


def run_actors(suite: Suite, settings: Settings, out: Path, cache_dir: Path, make_brief: MakeBrief | None = None,
               on_progress: Progress = None) -> RunResult:
    """Brief every gold article and score the briefs' key actors against the gold."""
    started = time.perf_counter()
    failures: list[dict[str, Any]] = []
    gold = read_gold(suite.data, actors.parse_gold, failures)[: suite.limit]
    texts = load_texts(suite.documents, suite.text_field, suite.id_field)
    jobs = []
    for doc in gold:
        if doc.id in texts:
            jobs.append((doc.id, [Document(id=doc.id, name=doc.id, text=texts[doc.id])]))
        else:
            failures.append({"id": doc.id, "error": "no document with this id in the suite's documents",
                             "stage": "data"})
    briefs, generated = generate_briefs(jobs, settings, cache_dir, failures, make_brief, on_progress)
    records = [
        actor_record(doc, [actors.Predicted(a.name, a.type) for a in briefs[doc.id].key_actors])
        for doc in gold if doc.id in briefs
    ]
    summary = {
        "kind": "actors",
        "suite": suite.name,
        "description": suite.description,
        "data": str(suite.data),
        "documents": len(gold),
        "scored_documents": len(records),
        "failures": failures,
        **run_facts(briefs, settings, generated, started),
        "matching": "summariser/evaluation/actors.py (module docstring); annotation: eval/gold/GUIDELINE.md",
        "ci": ci_description("documents", suite.bootstrap_samples),
        "splits": by_split(records, lambda rows: actor_stats(rows, suite.bootstrap_samples)),
    }
    _write_plain(out, records, summary)
    return RunResult(out, summary, failures)


# -- judgments ------------------------------------------------------------------------------------
def run_judgments(suite: Suite, settings: Settings, out: Path, cache_dir: Path,
                  make_brief: MakeBrief | None = None, on_progress: Progress = None) -> RunResult:
    """Score the suite's sentence classifiers on the judgments check set (no model, no briefs)."""
    started = time.perf_counter()
    failures: list[dict[str, Any]] = []
    items = read_gold(suite.data, judgment_check.parse_labelled, failures)[: suite.limit]
    specs = {"judgment": suite.judgment_classifier, "forward": suite.forward_classifier}
    results: dict[str, Any] = {}
    predictions: dict[str, list[bool]] = {}
    for target, spec in specs.items():
        classify = judgment_check.load_classifier(spec)
        if classify is None:
            results[target] = {"classifier": spec, "missing": True}
            continue
        predictions[target] = [bool(classify(i.text)) for i in items]
        results[target] = {
            "classifier": spec,
            "splits": {k: _prf_dict(v) for k, v in judgment_check.by_split(
                items, predictions[target], target, samples=suite.bootstrap_samples).items()},
            "positive_by_kind": judgment_check.positive_rate_by_kind(items, predictions[target]),
        }
    records = []
    for n, item in enumerate(items):
        record = {"id": item.id, "index": item.index, "split": item.split, "kind": item.kind,
                  "judgment": item.judgment, "forward": item.forward, "text": item.text}
        record.update({f"predicted_{t}": p[n] for t, p in predictions.items()})
        records.append(record)
    counts = {}
    for split in ("dev", "test", "all"):
        found = Counter(i.kind for i in items if split == "all" or i.split == split)
        counts[split] = {k: found[k] for k in judgment_check.KINDS if found[k]}
    summary = {
        "kind": "judgments",
        "suite": suite.name,
        "description": suite.description,
        "data": str(suite.data),
        "sentences": len(items),
        "failures": failures,
        "version": __version__,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "judgment_kinds": sorted(judgment_check.JUDGMENT_KINDS),
        "ci": ci_description("sentences", suite.bootstrap_samples),
        "labels": counts,
        "results": results,
    }
    _write_plain(out, records, summary)
    return RunResult(out, summary, failures)


# -- piles ----------------------------------------------------------------------------------------
def run_piles(suite: Suite, settings: Settings, out: Path, cache_dir: Path, make_brief: MakeBrief | None = None,
              on_progress: Progress = None) -> RunResult:
    """Brief each pile in combined mode; score ours and the pile baselines with ROUGE and coverage."""
    from ..nlp import split_sentences

    started = time.perf_counter()
    failures: list[dict[str, Any]] = []
    rows: dict[str, Row] = {}
    for item in iter_rows(suite.model_copy(update={"limit": None})):  # --limit counts piles, not documents
        if isinstance(item, BadRow):
            failures.append({"line": item.line, "error": item.reason, "stage": "data"})
        else:
            rows.setdefault(item.id, item)
    piles = make_piles(list(rows), suite.piles, suite.pile_sizes, suite.pile_seed)[: suite.limit]
    names = {f"pile-{k:02d}": ids for k, ids in enumerate(piles)}
    jobs = [(name, [Document(id=i, name=i, text=rows[i].text) for i in ids]) for name, ids in names.items()]
    briefs, generated = generate_briefs(jobs, settings, cache_dir, failures, make_brief, on_progress)
    generation_seconds = time.perf_counter() - started

    baselines = {name: pile_baseline(name) for name in suite.baselines}
    records: list[dict[str, Any]] = []
    for name, ids in names.items():
        if name not in briefs:
            continue
        texts = [rows[i].text for i in ids]
        # One reference per pile: the documents' (first) references joined in pile order.
        pile = Row(name, join_documents(texts), (" ".join(rows[i].references[0] for i in ids),), {})
        outputs: list[tuple[str, str, Brief | None]] = [(OURS, scored_text(briefs[name], suite.score), briefs[name])]
        outputs += [(b, run(texts), None) for b, run in baselines.items()]
        for system, text, brief in outputs:
            record = score_row(pile, system, text, suite.rouge_types, brief)
            record["coverage"] = round(coverage(split_sentences(text), texts), 4)
            record["documents"] = ids
            records.append(record)
    summary = RunSummary(
        kind="pile",
        suite=suite.name,
        description=suite.description,
        data=str(suite.data),
        scored_part=suite.score,
        documents=len(names),
        scored_documents=len({r["id"] for r in records}),
        failures=failures,
        multi_reference=None,
        **run_facts(briefs, settings, generated, started),
        generation_seconds=round(generation_seconds, 1),
        rouge=rouge_description() + "; one reference per pile: the documents' references joined in pile order",
        coverage="share of the pile's documents a summary sentence comes from (evaluation/piles.py)",
        ci=ci_description("piles", suite.bootstrap_samples),
        piles={"count": len(names), "sizes": list(suite.pile_sizes), "seed": suite.pile_seed, "members": names},
        systems=summarise_records(records, suite.rouge_types, suite.bootstrap_samples),
    )
    write_run(out, records, summary)
    return RunResult(out, summary, failures)


RUNNERS = {"actors": run_actors, "judgments": run_judgments, "pile": run_piles}
