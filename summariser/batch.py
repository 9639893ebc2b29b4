"""Briefs for many documents: one bad document never stops the rest, and nothing is lost.

Each brief is written atomically (temporary file, then rename), so an interrupted run leaves
only whole files; a re-run skips briefs already written. Every outcome goes to a JSONL run log.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from .brief import Brief
from .errors import ConfigError, ModelNotFoundError, SummariserError
from .load import Document, LoadFailure
from .render import to_json, to_markdown
from .sources import by_date

Format = Literal["md", "json", "both"]
Status = Literal["done", "failed", "skipped"]
RUN_LOG = "run-log.jsonl"


@dataclass
class Outcome:
    """What happened to one document (or one combined brief)."""

    name: str
    status: Status
    outputs: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


def safe_filename(name: str, max_len: int = 80) -> str:
    """A file name made from a document name or id: no folders, no traversal, no odd characters."""
    stem = Path(name.replace("\\", "/")).name
    stem = re.sub(r"\.(txt|text|md|markdown|html?|xhtml|pdf|jsonl|ndjson)$", "", stem, flags=re.IGNORECASE)
    clean = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:max_len]
    if not clean or clean != stem:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        clean = f"{clean or 'document'}-{digest}"
    return clean


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the whole new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a brief is an ordinary file
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render(brief: Brief, fmt: Literal["md", "json"]) -> str:
    """The brief in one output format."""
    return to_markdown(brief) if fmt == "md" else to_json(brief) + "\n"


def formats_of(fmt: Format) -> list[Literal["md", "json"]]:
    """The file formats a --format value asks for."""
    return ["md", "json"] if fmt == "both" else [fmt]


class RunLog:
    """Append-only JSONL record of outcomes, one line each, flushed as they happen."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, outcome: Outcome) -> None:
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **asdict(outcome)}
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


BriefFn = Callable[[list[Document]], Brief]


def run_batch(
    items: Iterable[Document | LoadFailure],
    make_brief: BriefFn,
    out_dir: Path | None,
    fmt: Format = "md",
    combine: bool = False,
    force: bool = False,
    on_brief: Callable[[Outcome, Brief | None], None] | None = None,
) -> Iterator[Outcome]:
    """Brief each document (or all together with `combine`), yielding one outcome per item.

    Without `out_dir` nothing is written; the caller gets each brief through `on_brief`.
    """
    log = RunLog(out_dir / RUN_LOG) if out_dir else None
    if out_dir and out_dir.is_dir():
        for stale in out_dir.glob(".*.tmp"):  # left by a run killed mid-write (SIGKILL)
            stale.unlink(missing_ok=True)
    used: set[str] = set()

    def finish(outcome: Outcome, brief: Brief | None = None) -> Outcome:
        if log:
            log.write(outcome)
        if on_brief:
            on_brief(outcome, brief)
        return outcome

    def targets(stem: str) -> list[Path]:
        return [out_dir / f"{stem}.{f}" for f in formats_of(fmt)] if out_dir else []

    def brief_and_write(name: str, stem: str, docs: list[Document]) -> Outcome:
        paths = targets(stem)
        if paths and not force and all(p.exists() for p in paths):
            return finish(Outcome(name, "skipped", [str(p) for p in paths]))
        started = time.perf_counter()
        try:
            brief = make_brief(docs)
        except (ModelNotFoundError, ConfigError):
            raise  # every document would fail the same way: stop and say it once
        except SummariserError as exc:
            return finish(Outcome(name, "failed", error=str(exc), seconds=time.perf_counter() - started))
        except (KeyboardInterrupt, SystemExit):
            raise
        except MemoryError:
            error = "not enough memory to brief this document (try --chunk-tokens 512 or a smaller model)"
            return finish(Outcome(name, "failed", error=error, seconds=time.perf_counter() - started))
        except Exception as exc:  # noqa: BLE001 - one document must not stop the batch
            error = f"internal error: {exc.__class__.__name__}: {exc}"
            return finish(Outcome(name, "failed", error=error, seconds=time.perf_counter() - started))
        for path in paths:
            atomic_write(path, render(brief, path.suffix[1:]))  # type: ignore[arg-type]
        return finish(Outcome(name, "done", [str(p) for p in paths], seconds=time.perf_counter() - started), brief)

    if combine:
        docs: list[Document] = []
        for item in items:
            if isinstance(item, LoadFailure):
                yield finish(Outcome(item.name, "failed", error=item.reason))
            else:
                docs.append(item)
        if docs:
            docs = by_date(docs)  # a pile reads in the order things happened (undated ones last)
            key = "|".join(d.digest for d in docs)
            stem = f"combined-{hashlib.sha256(key.encode()).hexdigest()[:10]}"
            yield brief_and_write(f"combined ({len(docs)} documents)", stem, docs)
        return
    for item in items:
        if isinstance(item, LoadFailure):
            yield finish(Outcome(item.name, "failed", error=item.reason))
            continue
        stem = safe_filename(item.name)
        if stem in used:  # same file name from two folders: keep both
            stem = f"{stem}-{item.id[:8]}"
        used.add(stem)
        yield brief_and_write(item.name, stem, [item])
