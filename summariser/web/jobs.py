"""One visitor's request, run in a worker thread: read the inputs, wait for the model, brief.

The page polls a job's `status()` snapshot; nothing here knows about Gradio. Several documents
give one brief each (`Summariser.brief` per document, as `brief run` does) or one combined brief
(`Summariser.brief` over all of them, as `brief run --combine` does). One document that cannot be
read or briefed does not stop the others.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from .. import loaders
from ..brief import Brief
from ..config import Settings
from ..errors import Cancelled, ConfigError, ModelNotFoundError, SummariserError
from ..load import DEFAULT_MAX_BYTES, Document, LoadFailure, iter_documents, make_document
from ..pipeline import ProgressEvent

MAX_FILES = 10
MAX_FILE_MB = 10
MAX_CHARS = 2_000_000
# What the upload box accepts and says it accepts: the loader registry's formats.
FILE_TYPES = sorted(s for s in loaders.SUFFIXES if s)
KIND_NAMES = {"text": "text, Markdown", "html": "web pages", "pdf": "PDF", "docx": "Word", "eml": "e-mail",
              "mbox": "mailboxes"}
FILE_KINDS = ", ".join(KIND_NAMES.get(loader.name, loader.name) for loader in reversed(loaders.LOADERS))

State = Literal["reading", "waiting", "loading", "running", "done", "cancelled", "error"]
FINAL: frozenset[str] = frozenset({"done", "cancelled", "error"})


def documents_from(text: str | None, files: list[Any] | None) -> list[Document | LoadFailure]:
    """Pasted text and uploads, in page order, each a `Document` or a `LoadFailure` with its reason.

    Raises `SummariserError` (with a message for the page) for what no document can get past:
    nothing given, too many files, a paste over the size limit.
    """
    items: list[Document | LoadFailure] = []
    if text and text.strip():
        if len(text) > MAX_CHARS:
            raise SummariserError(f"the pasted text is {len(text):,} characters; the limit is {MAX_CHARS:,}")
        try:
            items.append(make_document("pasted text", text))
        except SummariserError as exc:
            items.append(LoadFailure("pasted text", str(exc).split(": ", 1)[-1]))
    if files:
        if len(files) > MAX_FILES:
            raise SummariserError(f"at most {MAX_FILES} files at once (got {len(files)})")
        paths = [str(getattr(f, "name", f)) for f in files]
        for item in iter_documents(paths, max_bytes=min(DEFAULT_MAX_BYTES, MAX_FILE_MB * 1024 * 1024)):
            if isinstance(item, LoadFailure):
                item = LoadFailure(Path(item.name).name, item.reason)  # the upload's name, not its temp path
            items.append(item)
    if not items:
        raise SummariserError("paste a document or upload a file first")
    return items


@dataclass
class Outcome:
    """One brief written, or one document (or combined set) that could not be briefed."""

    documents: list[Document]
    brief: Brief | None = None
    error: str | None = None
    name: str = ""


@dataclass
class Status:
    """A snapshot of a job for the page."""

    state: State = "reading"
    stage: str = ""  # the pipeline's current stage (ProgressEvent.stage)
    done: int = 0
    total: int = 0
    detail: str = ""
    brief_index: int = 0  # which brief is being written (0-based)
    briefs: int = 0  # how many briefs this job writes
    combined: bool = False
    documents: int = 0
    notes: list[str] = field(default_factory=list)  # raw model notes of the brief being written
    outcomes: list[Outcome] = field(default_factory=list)
    error: str = ""
    cancel_requested: bool = False
    started: float = 0.0
    finished: float | None = None

    def elapsed(self, now: float | None = None) -> float:
        """Seconds since the request, frozen when the job ends."""
        end = self.finished if self.finished is not None else (now if now is not None else time.perf_counter())
        return end - self.started


class BriefJob:
    """Read the inputs, wait for the shared model, write the brief(s); cancellable at every step.

    `model_lock` is shared by all jobs of one page: one brief runs at a time on the CPU, the
    others wait (and show that they wait).
    """

    def __init__(
        self,
        settings: Settings,
        text: str | None = None,
        files: list[Any] | None = None,
        combine: bool = False,
        model_lock: threading.Lock | None = None,
        documents: list[Document] | None = None,
    ) -> None:
        self.settings = settings
        self.text = text
        self.files = files
        self.combine = combine
        self.given = documents
        self.model_lock = model_lock or threading.Lock()
        self.cancel = threading.Event()
        self._lock = threading.Lock()
        self._status = Status(started=time.perf_counter())
        self.thread = threading.Thread(target=self._run, daemon=True, name="brief-job")

    # -- for the page -------------------------------------------------------------------------
    def start(self) -> BriefJob:
        self.thread.start()
        return self

    def request_cancel(self) -> None:
        """Stop at the next check (between chunks, between model calls, or while waiting)."""
        self.cancel.set()
        self._update(cancel_requested=True)

    def status(self) -> Status:
        """A consistent copy of the job's state."""
        with self._lock:
            s = self._status
            return replace(s, notes=list(s.notes), outcomes=list(s.outcomes))

    @property
    def finished(self) -> bool:
        return self.status().state in FINAL

    # -- the worker ---------------------------------------------------------------------------
    def _update(self, **changes: Any) -> None:
        with self._lock:
            for key, value in changes.items():
                setattr(self._status, key, value)

    def _on_progress(self, event: ProgressEvent) -> None:
        with self._lock:
            if event.stage == "note":
                self._status.notes.append(event.detail)
                return
            self._status.stage, self._status.done, self._status.total = event.stage, event.done, event.total
            self._status.detail = event.detail

    def _check(self) -> None:
        if self.cancel.is_set():
            raise Cancelled("cancelled")

    def _wait_for_model(self) -> None:
        self._update(state="waiting")
        while not self.model_lock.acquire(timeout=0.1):
            self._check()

    def _run(self) -> None:
        try:
            items = self.given if self.given is not None else documents_from(self.text, self.files)
            docs = [d for d in items if isinstance(d, Document)]
            failures = [Outcome([], error=f.reason, name=f.name) for f in items if isinstance(f, LoadFailure)]
            self._update(outcomes=failures, documents=len(docs))
            if not docs:
                raise SummariserError("; ".join(f"{f.name}: {f.error}" for f in failures))
            self._check()
            self._wait_for_model()
            try:
                self._brief_all(docs)
            finally:
                self.model_lock.release()
            briefs = [o for o in self.status().outcomes if o.brief is not None]
            if not briefs:
                errors = "; ".join(f"{o.name}: {o.error}" for o in self.status().outcomes)
                raise SummariserError(errors or "no brief could be written")
            self._update(state="done")
        except Cancelled:
            self._update(state="cancelled")
        except SummariserError as exc:
            self._update(state="error", error=str(exc))
        except MemoryError:
            self._update(state="error", error="not enough memory for this text (try a smaller passage length)")
        except Exception as exc:  # noqa: BLE001 - shown on the page; the server keeps serving
            self._update(state="error", error=f"internal error: {exc.__class__.__name__}: {exc}")
        finally:
            self._update(finished=time.perf_counter())

    def _brief_all(self, docs: list[Document]) -> None:
        from ..pipeline import Summariser

        groups = [docs] if self.combine and len(docs) > 1 else [[d] for d in docs]
        self._update(state="loading", briefs=len(groups), combined=len(groups[0]) > 1)
        summariser = Summariser(self.settings)  # instant once the model is loaded: backends are cached
        self.settings = summariser.settings  # 'auto' choices made for this model: the page names what runs
        for index, group in enumerate(groups):
            self._check()
            self._update(state="running", brief_index=index, stage="", done=0, total=0, detail="", notes=[])
            name = group[0].name if len(group) == 1 else f"{len(group)} documents together"
            try:
                brief = summariser.brief(group, progress=self._on_progress, should_stop=self.cancel.is_set)
                outcome = Outcome(group, brief=brief, name=name)
            except (Cancelled, ModelNotFoundError, ConfigError):
                raise  # stop now; or every document would fail the same way
            except SummariserError as exc:
                outcome = Outcome(group, error=str(exc), name=name)
            except MemoryError:
                outcome = Outcome(group, error="not enough memory for this document", name=name)
            except Exception as exc:  # noqa: BLE001 - one document must not stop the others
                outcome = Outcome(group, error=f"internal error: {exc.__class__.__name__}: {exc}", name=name)
            with self._lock:
                self._status.outcomes.append(outcome)
                self._status.notes = []
