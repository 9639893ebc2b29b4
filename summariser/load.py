"""Load documents: files (any format in `loaders`), folders, globs, URLs, stdin and JSONL.

Loading never raises for one bad document: `iter_documents` yields a `LoadFailure` in its place so
a batch can record it and go on. Parsing each format is the job of `summariser.loaders`.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import loaders
from .errors import DocumentError
from .fetch import is_url
from .loaders.base import clean_text, decode_bytes  # noqa: F401 - re-exported: the text helpers callers use
from .loaders.html import html_to_text  # noqa: F401 - re-exported

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = set(loaders.SUFFIXES) | JSONL_SUFFIXES
# About 2.5 million words: far beyond any report, and small enough to brief in bounded memory.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """One source document with plain text."""

    id: str
    name: str
    text: str
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """Content hash: identifies the text whatever its name."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class LoadFailure:
    """A document that could not be read, with a one-line reason."""

    name: str
    reason: str


def _doc_id(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def _finish(name: str, text: str, meta: dict[str, object] | None = None, doc_id: str | None = None) -> Document:
    text = clean_text(text)
    if not text:
        raise DocumentError(f"{name}: no text found (empty document)")
    return Document(id=doc_id or _doc_id(name), name=name, text=text, meta=meta or {})


def _read(path: Path, max_bytes: int) -> bytes:
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DocumentError(f"{path}: file not found") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror})") from None
    if size > max_bytes:
        raise DocumentError(f"{name}: file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path}: file disappeared before it was read") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror})") from None


def documents_from_bytes(
    data: bytes, name: str, meta: dict[str, object], mime: str | None = None
) -> list[Document | LoadFailure]:
    """The documents in one file's bytes: the file's own, then any inside it (attachments, messages).

    `meta` (where the bytes came from) goes to every document. Raises `DocumentError` when the file
    itself cannot be read; a broken part is a `LoadFailure`.
    """
    out: list[Document | LoadFailure] = []
    for item in loaders.read_all(data, name, mime):
        if item.parsed is None:
            out.append(LoadFailure(item.name, item.error or "unreadable"))
            continue
        try:
            out.append(_finish(item.name, item.parsed.text, {**meta, **item.parsed.meta}))
        except DocumentError as exc:
            if item.name == name:
                raise
            out.append(LoadFailure(item.name, str(exc).split(": ", 1)[-1]))
    return out


def load_documents(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Document | LoadFailure]:
    """Every document in one file: one for most formats; a mail and each attachment; each message
    of an mbox. Raises `DocumentError` when the file itself cannot be read."""
    return documents_from_bytes(_read(path, max_bytes), path.name, {"path": str(path), "source": str(path)})


def load_url(url: str, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Document | LoadFailure]:
    """The documents a URL serves (see `fetch.fetch` for the bounds); a failure is a `LoadFailure`."""
    from .fetch import fetch

    try:
        got = fetch(url, max_bytes)
        return documents_from_bytes(got.data, url, {"source": got.url, "url": got.url}, got.mime)
    except DocumentError as exc:
        return [LoadFailure(url, str(exc).split(": ", 1)[-1])]


def load_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """The first document of one file of any supported format (a mail without its attachments, an
    mbox's first message); `load_documents` gives every document in the file."""
    for item in load_documents(path, max_bytes):
        if isinstance(item, Document):
            return item
    raise DocumentError(f"{path.name}: no document with text in this file")


def json_lines(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, object) per non-blank JSON line, or (line number, reason) for a broken one."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"invalid JSON ({exc.msg})"
            continue
        yield number, row if isinstance(row, dict) else "line is not a JSON object"


def iter_jsonl(
    lines: Iterable[str], source: str, text_field: str = "text", id_field: str = "id"
) -> Iterator[Document | LoadFailure]:
    """Documents from JSON lines; a broken line becomes a `LoadFailure`, the rest go on."""
    for number, row in json_lines(lines):
        where = f"{source}:{number}"
        if isinstance(row, str):
            yield LoadFailure(where, row)
            continue
        value = row.get(text_field)
        if not isinstance(value, str):
            yield LoadFailure(where, f"no text field {text_field!r}")
            continue
        raw_id = row.get(id_field)
        doc_id = str(raw_id) if raw_id is not None else None
        meta = {k: v for k, v in row.items() if k != text_field}
        try:
            yield _finish(doc_id or where, value, meta, doc_id=doc_id)
        except DocumentError as exc:
            yield LoadFailure(where, str(exc).split(": ", 1)[-1])


def _expand(spec: str) -> Iterator[Path | LoadFailure]:
    """Files named by a path, folder (recursive, symlink loops ignored) or glob."""
    if any(ch in spec for ch in "*?["):
        matches = sorted(glob.glob(spec, recursive=True))
        if not matches:
            yield LoadFailure(spec, "no files match this pattern")
        for match in matches:
            if os.path.isfile(match):
                yield Path(match)
        return
    path = Path(spec)
    if path.is_dir():
        seen: set[tuple[int, int]] = set()
        for root, dirs, files in os.walk(path, followlinks=True):
            try:
                st = os.stat(root)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in seen:  # symlink loop: walked this folder already
                dirs[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            dirs.sort()
            for name in sorted(files):
                file = Path(root) / name
                if file.suffix.lower() in SUPPORTED_SUFFIXES and not name.startswith("."):
                    yield file
        return
    if not path.exists():
        yield LoadFailure(spec, "file not found")
        return
    yield path


def iter_documents(
    specs: Iterable[str],
    text_field: str = "text",
    id_field: str = "id",
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: Iterable[str] | None = None,
) -> Iterator[Document | LoadFailure]:
    """Every document named by `specs` (paths, folders, globs, http(s) URLs, ``-`` for stdin), in order."""
    for spec in specs:
        if spec == "-":
            data = "".join(stdin if stdin is not None else sys.stdin)
            try:
                yield _finish("stdin", data)
            except DocumentError as exc:
                yield LoadFailure("stdin", str(exc).split(": ", 1)[-1])
            continue
        if is_url(spec):
            yield from load_url(spec, max_bytes)
            continue
        for item in _expand(spec):
            if isinstance(item, LoadFailure):
                yield item
                continue
            if item.suffix.lower() in JSONL_SUFFIXES:
                try:
                    with item.open(encoding="utf-8", errors="replace") as handle:
                        yield from iter_jsonl(handle, item.name, text_field, id_field)
                except OSError as exc:
                    yield LoadFailure(str(item), f"cannot read ({exc.strerror})")
                continue
            try:
                yield from load_documents(item, max_bytes)
            except DocumentError as exc:
                yield LoadFailure(str(item), str(exc).split(": ", 1)[-1])
