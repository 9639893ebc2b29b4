"""Briefs for many documents: one bad document never stops the rest, and nothing is lost or overwritten.

A batch has three steps, shared by the local run and the Ray run (`ray_executor`):

1. **plan** (`plan_jobs`): what to brief and where to write it. Resume keys on the document (a digest
   of its name and text) and on the settings that shape the brief, not on the file name; every
   distinct document gets a name of its own in `--out`; duplicates, failures and skipped inputs
   become outcomes at once.
2. **compute** (an `Executor`): `LocalExecutor` briefs in this process; the Ray executor on a cluster.
   Both call `attempt`, which turns one document's error into a record.
3. **write** (`OutputFolder.commit`): every file of a brief goes to a temporary file first, then a
   line goes to the run log, then the files are renamed into place, so a crash or a full disk
   leaves whole briefs and a log of whole JSON lines. A lock keeps a second run out of the folder.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol

from . import __version__
from .brief import Brief
from .errors import ConfigError, ModelLoadError, ModelNotFoundError, OutputError, SummariserError
from .load import Document, LoadFailure, Skipped
from .render import to_json, to_markdown
from .sources import by_date

if TYPE_CHECKING:
    from .config import Settings

Format = Literal["md", "json", "both"]
Status = Literal["done", "failed", "skipped"]
RUN_LOG = "run-log.jsonl"
LOCK = ".brief.lock"
TMP_SUFFIX = ".brief-tmp"  # only files with this suffix are ever cleaned up, and only under the lock


@dataclass
class Outcome:
    """What happened to one input (a document, a combined brief, or something left alone)."""

    name: str
    status: Status
    outputs: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    kind: str | None = None  # why it was skipped, as a short label ("already briefed", "unsupported type", ...)
    reason: str | None = None  # why it was skipped, in words
    source: str | None = None  # the file or JSONL line it came from
    document: str | None = None  # digest of the document (name and text): what resume keys on
    settings: str | None = None  # digest of the settings that shape the brief
    warnings: list[str] = field(default_factory=list)


def safe_filename(name: str, max_len: int = 80) -> str:
    """A file name made from a document name or id: no folders, no traversal, no odd characters."""
    stem = Path(name.replace("\\", "/")).name
    stem = re.sub(r"\.(txt|text|md|markdown|html?|xhtml|pdf|jsonl|ndjson)$", "", stem, flags=re.IGNORECASE)
    clean = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:max_len]
    if not clean or clean != stem:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        clean = f"{clean or 'document'}-{digest}"
    return clean


def document_key(docs: Sequence[Document]) -> str:
    """Identifies what is briefed: the documents' names, ids and texts (the brief shows all three)."""
    digest = hashlib.sha256()
    for doc in docs:
        for part in (doc.name, doc.id, doc.text):
            digest.update(part.encode("utf-8", errors="surrogatepass") + b"\0")
    return digest.hexdigest()[:16]


def settings_key(settings: Settings) -> str:
    """Identifies the settings that shape a brief (not threads, keys or cache folders) and the version."""
    data = settings.model_dump(mode="json", exclude={"model": {"threads", "api_key", "cache_dir"}})
    data.pop("load", None)
    payload = json.dumps(data, sort_keys=True) + __version__
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


def _write_temp(folder: Path, name: str, text: str) -> Path:
    """`text` in a new temporary file next to `folder/name`, flushed to disk."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=TMP_SUFFIX)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a brief is an ordinary file
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the whole new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _write_temp(path.parent, path.name, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def render(brief: Brief, fmt: Literal["md", "json"]) -> str:
    """The brief in one output format."""
    return to_markdown(brief) if fmt == "md" else to_json(brief) + "\n"


def formats_of(fmt: Format) -> list[Literal["md", "json"]]:
    """The file formats a --format value asks for."""
    return ["md", "json"] if fmt == "both" else [fmt]


def _disk_error(what: str, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {what}: {exc.strerror or exc}")


class OutputFolder:
    """The `--out` folder: locked for one run at a time, with the run log as the index of what was written.

    Use as a context manager. Every path it writes is checked to be inside the folder after resolving links.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.root = Path(os.path.realpath(path))
        self._lock_fd: int | None = None
        self._index: dict[str, tuple[str, str]] = {}  # file name -> (document key, settings key), from the log
        self._claimed: dict[str, str] = {}  # file name -> document key, in this run

    # -- opening: the folder, the lock, the log -----------------------------------------------
    def __enter__(self) -> OutputFolder:
        self.open()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def is_open(self) -> bool:
        return self._lock_fd is not None

    def open(self) -> None:
        """Create the folder if needed, take the lock, repair and read the run log, clear our stale temp files."""
        if os.path.lexists(self.path) and not self.path.is_dir():
            raise OutputError(f"--out {self.path} is a file, not a folder")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create the output folder {self.path}: {exc.strerror}") from None
        self.root = Path(os.path.realpath(self.path))
        self._lock_fd = self._lock()
        try:
            os.ftruncate(self._lock_fd, 0)
            os.pwrite(self._lock_fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass  # the pid is only a courtesy for the message below
        try:
            self._repair_log()
            self._read_index()
            for stale in self.root.glob(f".*{TMP_SUFFIX}"):  # ours, left by a run that was killed mid-write
                stale.unlink(missing_ok=True)
        except BaseException:
            self.close()
            raise

    def _lock(self) -> int:
        """An exclusive lock on OUT/.brief.lock, or `OutputError` naming the run that holds it."""
        import fcntl

        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        while True:
            try:
                fd = os.open(self.root / LOCK, flags, 0o644)
            except OSError as exc:
                raise OutputError(f"cannot write to the output folder {self.path}: {exc.strerror}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                raise OutputError(f"another brief run (pid {holder}) is writing to {self.path}; wait for it to "
                                  "finish or choose another --out") from None
            try:  # the lock file is removed on close: make sure we locked the one that is still there
                if os.stat(self.root / LOCK, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                    return fd
            except FileNotFoundError:
                pass
            os.close(fd)

    def close(self) -> None:
        """Release the lock (and remove the lock file while still holding it)."""
        if self._lock_fd is not None:
            try:
                (self.root / LOCK).unlink(missing_ok=True)
            except OSError:
                pass
            os.close(self._lock_fd)  # closing drops the flock
            self._lock_fd = None

    def _open_log(self, flags: int) -> int:
        try:
            return os.open(self.root / RUN_LOG, flags | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise OutputError(f"{self.path / RUN_LOG} is a symbolic link; refusing to write through it") from None
            raise

    def _repair_log(self) -> None:
        """Cut a torn last line (a run killed, or a disk that filled, mid-append) so the log stays JSON lines."""
        try:
            fd = self._open_log(os.O_RDWR)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise _disk_error(str(self.path / RUN_LOG), exc) from None
        try:
            size = os.fstat(fd).st_size
            if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
                return
            end = size
            while end > 0:
                start = max(0, end - 65536)
                block = os.pread(fd, end - start, start)
                cut = block.rfind(b"\n")
                if cut >= 0:
                    os.ftruncate(fd, start + cut + 1)
                    return
                end = start
            os.ftruncate(fd, 0)
        except OSError as exc:
            raise _disk_error(str(self.path / RUN_LOG), exc) from None
        finally:
            os.close(fd)

    def _read_index(self) -> None:
        try:
            with (self.root / RUN_LOG).open(encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue
                    if not isinstance(record, dict) or record.get("status") != "done":
                        continue
                    doc, setting = record.get("document"), record.get("settings")
                    if isinstance(doc, str) and isinstance(setting, str):
                        for output in record.get("outputs") or []:
                            self._index[Path(str(output)).name] = (doc, setting)
        except FileNotFoundError:
            pass

    # -- planning: names ---------------------------------------------------------------------
    def written(self, path: Path) -> bool:
        """Whether `path` is a file this tool wrote here (a brief, the run log, the lock, a temporary file)."""
        real = os.path.realpath(path)
        if os.path.dirname(real) != str(self.root):
            return False
        name = os.path.basename(real)
        return name in (RUN_LOG, LOCK) or name.endswith(TMP_SUFFIX) or name in self._index or name in self._claimed

    def _free(self, name: str, key: str) -> bool:
        if name in (RUN_LOG, LOCK):
            return False
        if name in self._claimed:
            return self._claimed[name] == key
        if name in self._index:
            return self._index[name][0] == key
        return not os.path.lexists(self.root / name)  # never replace a file we did not write (an input, say)

    def claim(self, key: str, stem: str, formats: Sequence[str]) -> list[Path]:
        """Output paths for document `key`: `stem.FMT` unless another document or a foreign file has it."""
        for candidate in (stem, f"{stem}-{key[:8]}", f"{stem}-{key}"):
            names = [f"{candidate}.{fmt}" for fmt in formats]
            if all(self._free(name, key) for name in names):
                for name in names:
                    self._claimed[name] = key
                return [self.path / name for name in names]
        raise OutputError(f"no free file name for {stem} in {self.path}")  # needs a digest collision

    def is_done(self, targets: Sequence[Path], key: str, settings: str) -> bool:
        """Whether every target holds this document's brief made with these settings."""
        return all(self._index.get(p.name) == (key, settings) and p.exists() for p in targets)

    # -- writing ----------------------------------------------------------------------------
    def log(self, outcome: Outcome) -> None:
        """Append one outcome as one JSON line; on a write error the log is cut back and `OutputError` raised."""
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **asdict(outcome)}
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", errors="surrogateescape")
        try:
            fd = self._open_log(os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        except OSError as exc:
            raise _disk_error(str(self.path / RUN_LOG), exc) from None
        try:
            size = os.fstat(fd).st_size
            try:
                if os.write(fd, line) != len(line):
                    raise OSError(errno.ENOSPC, "the disk is full (partial write)")
            except OSError as exc:
                try:
                    os.ftruncate(fd, size)  # no half line
                except OSError:
                    pass
                raise _disk_error(str(self.path / RUN_LOG), exc) from None
        finally:
            os.close(fd)

    def _check_inside(self, path: Path) -> None:
        if os.path.realpath(path.parent) != str(self.root) or path.name in ("", ".", "..") or "/" in path.name:
            raise OutputError(f"refusing to write outside the output folder: {path}")

    def commit(self, files: Sequence[tuple[Path, str]], outcome: Outcome) -> None:
        """Write a brief's files and its log line: all of them or, on a disk error, none (`OutputError`)."""
        temps: list[tuple[Path, Path]] = []
        try:
            for path, text in files:
                self._check_inside(path)
                try:
                    temps.append((_write_temp(self.root, path.name, text), path))
                except OSError as exc:
                    raise _disk_error(str(path), exc) from None
            self.log(outcome)
            for tmp, path in temps:
                try:
                    os.replace(tmp, self.root / path.name)
                except OSError as exc:
                    raise _disk_error(str(path), exc) from None
        finally:
            for tmp, _ in temps:
                tmp.unlink(missing_ok=True)
        if outcome.document and outcome.settings:
            for path, _ in files:
                self._index[path.name] = (outcome.document, outcome.settings)


# -- compute -------------------------------------------------------------------------------------
BriefFn = Callable[[list[Document]], Brief]


@dataclass
class Job:
    """One brief to make: its documents, what identifies them, and where it goes."""

    name: str
    docs: list[Document]
    key: str
    source: str
    targets: list[Path]


@dataclass
class Result:
    """A job's brief, or the one-line reason there is none."""

    job: Job
    brief: Brief | None
    error: str | None
    seconds: float


def attempt(make_brief: BriefFn, docs: list[Document]) -> tuple[Brief | None, str | None, float]:
    """Brief `docs`; a failure of this document becomes a reason. Errors that would fail every document
    (the model is missing, a setting is invalid) are raised: the run should stop and say so once."""
    started = time.perf_counter()
    try:
        return make_brief(docs), None, time.perf_counter() - started
    except (ModelNotFoundError, ConfigError, OutputError):
        raise
    except SummariserError as exc:
        error = str(exc)
    except (KeyboardInterrupt, SystemExit):
        raise
    except MemoryError:
        error = "not enough memory to brief this document (try --chunk-tokens 512 or a smaller model)"
    except Exception as exc:  # noqa: BLE001 - one document must not stop the batch
        error = f"internal error: {exc.__class__.__name__}: {exc}"
    return None, error, time.perf_counter() - started


def load_summariser(settings: Settings) -> Any:
    """The pipeline with its model loaded. A model that is found but cannot be loaded (a text file renamed
    .gguf, a damaged folder) raises `ModelLoadError`: every document would fail the same way."""
    from .pipeline import Summariser

    try:
        return Summariser(settings)
    except SummariserError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure here is the model's, not a document's
        raise ModelLoadError(f"cannot load the model {settings.model.name}: {exc.__class__.__name__}: {exc}") from None


def lazy_brief(settings: Settings, loading: Callable[[], AbstractContextManager[object]] | None = None) -> BriefFn:
    """A brief function whose model loads on first use (a run where everything is done loads nothing);
    `loading` gives a context shown while it loads (a spinner)."""
    loaded: list[Any] = []

    def make_brief(docs: list[Document], **kwargs: Any) -> Brief:
        if not loaded:
            with loading() if loading else nullcontext():
                loaded.append(load_summariser(settings))
        return loaded[0].brief(docs, **kwargs)  # type: ignore[no-any-return]

    return make_brief


class Executor(Protocol):
    """Turns jobs into results, in any order; pulls jobs lazily so planning and briefing overlap."""

    def run(self, jobs: Iterable[Job]) -> Iterator[Result]: ...


class LocalExecutor:
    """Briefs one job after another in this process."""

    def __init__(self, make_brief: BriefFn) -> None:
        self.make_brief = make_brief

    def run(self, jobs: Iterable[Job]) -> Iterator[Result]:
        for job in jobs:
            brief, error, seconds = attempt(self.make_brief, job.docs)
            yield Result(job, brief, error, seconds)


# -- plan ------------------------------------------------------------------------------------------
def _source_of(doc: Document) -> str:
    path = doc.meta.get("path") if isinstance(doc.meta, dict) else None
    return str(path) if path else doc.name


def plan_jobs(
    items: Iterable[Document | LoadFailure],
    folder: OutputFolder | None,
    fmt: Format,
    combine: bool,
    force: bool,
    settings: str,
    note: Callable[[Outcome], None],
) -> Iterator[Job]:
    """The jobs to run; everything else (failures, skipped inputs, duplicates, briefs already made) goes to `note`."""
    formats = formats_of(fmt)
    seen: dict[str, str] = {}
    docs: list[Document] = []
    for item in items:
        if isinstance(item, Skipped):
            note(Outcome(item.name, "skipped", kind=item.kind, reason=item.reason, source=item.name))
            continue
        if isinstance(item, LoadFailure):
            note(Outcome(item.name, "failed", error=item.reason, source=item.name))
            continue
        key, source = document_key([item]), _source_of(item)
        if key in seen:
            note(Outcome(item.name, "skipped", kind="duplicate", reason=f"the same document as {seen[key]}",
                         source=source, document=key))
            continue
        seen[key] = source
        if combine:
            docs.append(item)
            continue
        job = _job(item.name, [item], key, source, safe_filename(item.name), folder, formats)
        if folder and not force and folder.is_done(job.targets, key, settings):
            note(_already_briefed(job, settings))
            continue
        yield job
    if combine and docs:
        docs = by_date(docs)  # a pile reads in the order things happened (undated ones last)
        key = document_key(docs)
        job = _job(f"combined ({len(docs)} documents)", docs, key, ", ".join(seen.values()), f"combined-{key[:10]}",
                   folder, formats)
        if folder and not force and folder.is_done(job.targets, key, settings):
            note(_already_briefed(job, settings))
            return
        yield job


def _already_briefed(job: Job, settings: str) -> Outcome:
    return Outcome(job.name, "skipped", [str(p) for p in job.targets], kind="already briefed",
                   reason="briefed before with the same settings", source=job.source, document=job.key,
                   settings=settings)


def _job(name: str, docs: list[Document], key: str, source: str, stem: str, folder: OutputFolder | None,
         formats: Sequence[str]) -> Job:
    return Job(name, docs, key, source, folder.claim(key, stem, formats) if folder else [])


# -- the batch ---------------------------------------------------------------------------------------
def run_batch(
    items: Iterable[Document | LoadFailure],
    make_brief: BriefFn | None,
    out_dir: Path | OutputFolder | None,
    fmt: Format = "md",
    combine: bool = False,
    force: bool = False,
    on_brief: Callable[[Outcome, Brief | None], None] | None = None,
    *,
    executor: Executor | None = None,
    settings: str = "",
) -> Iterator[Outcome]:
    """Brief each document (or all together with `combine`), yielding one outcome per input.

    Without `out_dir` nothing is written; the caller gets each brief through `on_brief`. `executor`
    computes the briefs (default: `make_brief` in this process); `settings` is `settings_key(...)`.
    """
    folder = OutputFolder(out_dir) if isinstance(out_dir, Path) else out_dir
    opened_here = folder is not None and not folder.is_open
    if opened_here:
        folder.open()  # type: ignore[union-attr]
    if executor is None:
        if make_brief is None:
            raise ValueError("run_batch needs make_brief or an executor")
        executor = LocalExecutor(make_brief)
    pending: deque[Outcome] = deque()

    def note(outcome: Outcome) -> None:
        if folder:
            folder.log(outcome)
        pending.append(outcome)

    def drain() -> Iterator[Outcome]:
        while pending:
            outcome = pending.popleft()
            if on_brief:
                on_brief(outcome, None)
            yield outcome

    try:
        jobs = plan_jobs(items, folder, fmt, combine, force, settings, note)
        for result in executor.run(jobs):
            yield from drain()
            yield _finish(result, folder, settings, on_brief)
        yield from drain()
    finally:
        if opened_here:
            folder.close()  # type: ignore[union-attr]


def _finish(result: Result, folder: OutputFolder | None, settings: str,
            on_brief: Callable[[Outcome, Brief | None], None] | None) -> Outcome:
    job, brief = result.job, result.brief
    common = {"seconds": result.seconds, "source": job.source, "document": job.key, "settings": settings}
    if brief is None:
        outcome = Outcome(job.name, "failed", error=result.error, **common)  # type: ignore[arg-type]
        if folder:
            folder.log(outcome)
    else:
        outcome = Outcome(job.name, "done", [str(p) for p in job.targets], warnings=list(brief.warnings),
                          **common)  # type: ignore[arg-type]
        if folder:
            folder.commit([(p, render(brief, p.suffix[1:])) for p in job.targets], outcome)  # type: ignore[arg-type]
    if on_brief:
        on_brief(outcome, brief)
    return outcome


class Tally:
    """Counts outcomes for the summary line that every way of running a batch prints."""

    def __init__(self) -> None:
        self.status: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()

    def add(self, outcome: Outcome) -> None:
        self.status[outcome.status] += 1
        if outcome.status == "skipped":
            self.skipped[outcome.kind or "skipped"] += 1

    def line(self, seconds: float) -> str:
        """E.g. '3 done, 1 failed, 2 skipped (1 already briefed, 1 unsupported type) in 4.2 s'."""
        why = ", ".join(f"{n} {kind}" for kind, n in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0])))
        return (f"{self.status['done']} done, {self.status['failed']} failed, {self.status['skipped']} skipped"
                + (f" ({why})" if why else "") + f" in {seconds:.1f} s")
