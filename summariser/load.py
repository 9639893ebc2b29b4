"""Load documents: files (any format in `loaders`), folders, globs, URLs, stdin and JSONL.

Loading never raises for one bad document: `iter_documents` yields a `LoadFailure` in its place so
a batch can record it and go on, and a `Skipped` (with the reason) for what it deliberately leaves
alone. Parsing each format is the job of `summariser.loaders`. Folders are untrusted: only regular
files are read, every read is capped, symbolic links are not followed out of the folders given
(unless asked), and each file is parsed in a child process with a time and memory bound
(`parse_guard`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import loaders
from .errors import DocumentError
from .fetch import is_url
from .sizes import MIB, mib
from .loaders.base import clean_text, decode_bytes  # noqa: F401 - re-exported: the text helpers callers use
from .loaders.html import html_to_text  # noqa: F401 - re-exported

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = set(loaders.SUFFIXES) | JSONL_SUFFIXES
# About 2.5 million words: far beyond any report, and small enough to brief in bounded memory.
DEFAULT_MAX_BYTES = 16 * MIB
# Document formats people keep next to their reports that no loader reads: named, not guessed at.
KNOWN_UNSUPPORTED = {".rtf", ".doc", ".odt", ".epub", ".pages", ".ppt", ".pptx", ".xls", ".xlsx",
                     ".zip", ".gz", ".tar", ".7z"} - SUPPORTED_SUFFIXES


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


@dataclass(frozen=True)
class Skipped(LoadFailure):
    """An input deliberately left alone (unsupported type, link out of the folder, ...), never silently.

    A subclass of `LoadFailure` so that callers that only know failures still never treat it as a document.
    `kind` is a short label for summaries ("unsupported type", "hidden", ...).
    """

    kind: str = "skipped"


def _doc_id(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def make_document(name: str, text: str, meta: dict[str, object] | None = None, doc_id: str | None = None) -> Document:
    """A `Document` of text from anywhere (a file, a JSONL line, pasted text): cleaned, and refused when empty."""
    text = clean_text(text)
    if not text:
        raise DocumentError(f"{name}: no text found (empty document)")
    return Document(id=doc_id or _doc_id(name), name=name, text=text, meta=meta or {})


def _read(path: Path, max_bytes: int) -> bytes:
    size = regular_file_size(path)
    if size > max_bytes:
        raise DocumentError(f"{path.name}: file is {mib(size)}, over the {mib(max_bytes)} limit")
    return read_capped(path, max_bytes)


def _kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, word in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return word
    return "not a regular file"


def regular_file_size(path: Path) -> int:
    """The size of `path`, which must be a regular file (after links): devices, FIFOs and sockets are refused."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise DocumentError(f"{path}: file not found") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise DocumentError(f"{path.name}: {_kind_of(st.st_mode)}, not a regular file")
    return st.st_size


def read_capped(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, refusing more than `max_bytes` (the file may grow after its size was read).

    Opened non-blocking and checked again on the open descriptor, so a FIFO swapped in cannot hang the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DocumentError(f"{path}: file disappeared before it was read") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise DocumentError(f"{path.name}: {_kind_of(mode)}, not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise DocumentError(f"{path.name}: file is over the {mib(max_bytes)} limit")
    return data


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
            out.append(make_document(item.name, item.parsed.text, {**meta, **item.parsed.meta}))
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


class OverLimit(str):
    """Stands in for a JSON line longer than the reading cap (its text is not kept)."""


def capped_lines(handle: IO[str], max_chars: int = DEFAULT_MAX_BYTES) -> Iterator[str]:
    """The lines of a text stream, each read with a cap: a longer line becomes `OverLimit` and is skipped over."""
    while True:
        line = handle.readline(max_chars + 1)
        if not line:
            return
        if len(line) > max_chars and not line.endswith("\n"):
            while True:  # discard the rest of the line without holding it
                rest = handle.readline(1 << 20)
                if not rest or rest.endswith("\n"):
                    break
            yield OverLimit("")
            continue
        yield line


def json_lines(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, object) per non-blank JSON line, or (line number, reason) for a broken one."""
    for number, line in enumerate(lines, start=1):
        if isinstance(line, OverLimit):
            yield number, "line is over the size limit"
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"invalid JSON ({exc.msg})"
            continue
        except RecursionError:
            yield number, "invalid JSON (nested too deeply)"
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
            yield make_document(doc_id or where, value, meta, doc_id=doc_id)
        except DocumentError as exc:
            yield LoadFailure(where, str(exc).split(": ", 1)[-1])


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _inside(path: str, root: str) -> bool:
    """Whether resolved `path` is `root` or below it."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


_MAGIC = re.compile(r"[*?\[]")


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex for a glob over '/'-separated relative paths: '*' and '?' stay within one name, '**' spans
    folders, and a wildcard never matches a leading dot (as in the shell)."""
    out: list[str] = []
    parts = pattern.split("/")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":
            out.append(r"(?!\.)[^/]*(?:/(?!\.)[^/]*)*" if last else r"(?:(?!\.)[^/]*/)*")
            continue
        piece = r"(?!\.)" if part[:1] in "*?[" else ""
        j = 0
        while j < len(part):
            ch = part[j]
            if ch == "*":
                piece += r"[^/]*"
            elif ch == "?":
                piece += r"[^/]"
            elif ch == "[" and "]" in part[j + 2:] + (part[j + 1:j + 2] if part[j + 1:j + 2] not in "!]" else ""):
                start = j + 2 if part[j + 1:j + 2] in ("!", "]") else j + 1
                end = part.index("]", start)
                body = part[j + 1:end]
                body = ("^" + body[1:]) if body.startswith("!") else body
                piece += "[" + body.replace("\\", "\\\\").replace("/", "") + "]"
                j = end
            else:
                piece += re.escape(ch)
            j += 1
        out.append(piece + ("" if last else "/"))
    return re.compile("".join(out) + r"\Z")


@dataclass
class _Walk:
    """Shared state of one traversal: the given roots and what has been seen (loops, same file twice)."""

    roots: list[str]
    follow_links: bool
    out_dir: str | None
    written: Callable[[Path], bool] | None
    seen_files: dict[tuple[int, int], str] = field(default_factory=dict)


def _walk(base: Path, walk: _Walk) -> Iterator[tuple[str, Path | LoadFailure]]:
    """(path relative to `base`, file or `Skipped`) for everything under `base`, files of a folder before its
    subfolders, both sorted. Only regular files come out as paths; links out of the roots, devices, FIFOs,
    sockets, hidden entries and the output folder come out as `Skipped` with the reason."""
    seen_dirs: set[tuple[int, int]] = set()
    try:
        st = base.stat()
        seen_dirs.add((st.st_dev, st.st_ino))
    except OSError:
        pass
    stack: list[tuple[Path, str]] = [(base, "")]
    while stack:
        folder, rel = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            yield rel or ".", Skipped(str(folder), f"cannot list this folder ({exc.strerror})", "unreadable folder")
            continue
        subdirs: list[tuple[Path, str]] = []
        for entry in entries:
            path = Path(entry.path)
            rel_path = f"{rel}{entry.name}"
            if walk.written and _is_hidden(entry.name) and walk.written(path):
                continue  # the tool's own lock and temporary files: bookkeeping, not candidates
            if _is_hidden(entry.name):
                yield rel_path, Skipped(str(path), "hidden file or folder", "hidden")
                continue
            try:
                link = entry.is_symlink()
                real = os.path.realpath(path) if link else None
                if link and not walk.follow_links and not any(_inside(real, root) for root in walk.roots):  # type: ignore[arg-type]
                    yield rel_path, Skipped(str(path), f"symbolic link to {real}, outside the folders given "
                                            "(--follow-links reads it)", "link out of the input")
                    continue
                st = os.stat(path) if link else entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                if link:
                    yield rel_path, Skipped(str(path), "broken symbolic link", "broken link")
                else:
                    yield rel_path, LoadFailure(str(path), "file disappeared before it was read")
                continue
            except OSError as exc:
                yield rel_path, Skipped(str(path), f"cannot read ({exc.strerror})", "unreadable")
                continue
            ident = (st.st_dev, st.st_ino)
            if stat.S_ISDIR(st.st_mode):
                if walk.out_dir and os.path.realpath(path) == walk.out_dir:
                    yield rel_path, Skipped(str(path), "the output folder is never read as input", "output folder")
                elif ident not in seen_dirs:  # a link back up (a loop) or to a folder walked already
                    seen_dirs.add(ident)
                    subdirs.append((path, rel_path + "/"))
                continue
            if not stat.S_ISREG(st.st_mode):
                yield rel_path, Skipped(str(path), f"{_kind_of(st.st_mode)}, not a regular file", "not a regular file")
                continue
            if walk.written and walk.written(path):
                yield rel_path, Skipped(str(path), "written by this tool (a brief or its run log)", "written by this tool")
                continue
            if ident in walk.seen_files:
                yield rel_path, Skipped(str(path), f"the same file as {walk.seen_files[ident]}", "same file twice")
                continue
            walk.seen_files[ident] = str(path)
            yield rel_path, path
        stack.extend(reversed(subdirs))


def _unsupported(path: Path) -> Skipped | None:
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return None
    supported = " ".join(sorted(s for s in SUPPORTED_SUFFIXES if s))
    return Skipped(str(path), f"unsupported file type {suffix} (supported: {supported})", "unsupported type")


def _glob_base(spec: str) -> tuple[Path, str]:
    """The folder a glob starts from (its leading names without wildcards) and the pattern below it."""
    parts = spec.split("/")
    fixed = next(i for i, part in enumerate(parts) if _MAGIC.search(part))
    head = "/".join(parts[:fixed])
    return Path(head or ("/" if spec.startswith("/") else ".")), "/".join(parts[fixed:])


def _expand(spec: str, walk: _Walk) -> Iterator[Path | LoadFailure]:
    """Files named by a path, a folder (recursive) or a glob, with the reasons for what is left out.

    A folder yields every supported regular file below it and a `Skipped` for each other entry; a glob
    yields the files it matches (the same rules, but entries it does not match are not reported); a
    path given by name is read even through a link, since the user named it.
    """
    if _MAGIC.search(spec) and not os.path.lexists(spec):  # a name with '[' that exists is a name
        base, rest = _glob_base(spec)
        pattern = _glob_regex(rest)
        matched = False
        if base.is_dir():
            for rel, item in _walk(base, walk):
                if not pattern.match(rel):
                    continue
                matched = True
                yield item if isinstance(item, LoadFailure) else (_unsupported(item) or item)
        if not matched:
            yield LoadFailure(spec, "no files match this pattern")
        return
    path = Path(spec)
    if path.is_dir():
        for _, item in _walk(path, walk):
            yield item if isinstance(item, LoadFailure) else (_unsupported(item) or item)
        return
    if not os.path.lexists(path):
        yield LoadFailure(spec, "file not found")
        return
    if walk.written and walk.written(path):
        yield Skipped(spec, "written by this tool (a brief or its run log)", "written by this tool")
        return
    suffix = path.suffix.lower()
    if suffix in KNOWN_UNSUPPORTED:
        supported = " ".join(sorted(s for s in SUPPORTED_SUFFIXES if s))
        yield LoadFailure(spec, f"unsupported file type {suffix} (supported: {supported})")
        return
    try:
        st = path.stat()
    except OSError as exc:
        yield LoadFailure(spec, f"cannot read ({exc.strerror})")
        return
    if not stat.S_ISREG(st.st_mode):
        yield LoadFailure(spec, f"{_kind_of(st.st_mode)}, not a regular file")
        return
    if (st.st_dev, st.st_ino) in walk.seen_files:
        yield Skipped(spec, f"the same file as {walk.seen_files[(st.st_dev, st.st_ino)]}", "same file twice")
        return
    walk.seen_files[(st.st_dev, st.st_ino)] = spec
    yield path


def read_stdin(stream: IO[bytes] | IO[str] | Iterable[str] | None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """A document from standard input: read as bytes with a cap, encoding detected like a file's."""
    if stream is None:
        raise DocumentError("stdin: standard input is closed (pipe a document in, or give a file)")
    try:
        binary = getattr(stream, "buffer", stream)
        if hasattr(binary, "read"):
            data = binary.read(max_bytes + 1)  # type: ignore[union-attr]
        else:  # an iterable of lines (tests, callers with text in hand)
            parts: list[str] = []
            size = 0
            for line in stream:  # type: ignore[union-attr]
                parts.append(line)  # type: ignore[arg-type]  # an iterable of lines gives str (IO was read above)
                size += len(line)
                if size > max_bytes:
                    break
            data = "".join(parts)
    except (OSError, ValueError) as exc:
        raise DocumentError(f"stdin: cannot read standard input ({exc})") from None
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogateescape")
    if len(data) > max_bytes:
        raise DocumentError(f"stdin: standard input is over the {mib(max_bytes)} limit")
    return make_document("stdin", decode_bytes(data, "stdin"))


def iter_documents(
    specs: Iterable[str],
    text_field: str = "text",
    id_field: str = "id",
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: IO[bytes] | IO[str] | Iterable[str] | None = None,
    *,
    follow_links: bool = False,
    parse_timeout_s: float | None = None,
    parse_memory_mb: int | None = None,
    out_dir: Path | None = None,
    written: Callable[[Path], bool] | None = None,
) -> Iterator[Document | LoadFailure]:
    """Every document named by `specs` (paths, folders, globs, ``-`` for stdin), in order.

    `out_dir` (the folder briefs go to) is never walked into, and `written(path)` tells which files
    this tool wrote, so that a run never reads its own output. Each file is parsed in a child process
    (`parse_guard.ParseGuard`) stopped after `parse_timeout_s` or past `parse_memory_mb`.
    """
    from .parse_guard import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, ParseGuard

    specs = list(specs)
    roots = []  # links may point anywhere inside the folders given, not out of them
    for spec in specs:
        base = _glob_base(spec)[0] if _MAGIC.search(spec) and not os.path.lexists(spec) else Path(spec)
        if spec != "-" and not is_url(spec) and base.is_dir():
            roots.append(os.path.realpath(base))
    walk = _Walk(roots, follow_links, os.path.realpath(out_dir) if out_dir else None, written)
    guard = ParseGuard(parse_timeout_s or DEFAULT_TIMEOUT_S, parse_memory_mb or DEFAULT_MEMORY_MB, max_bytes)
    try:
        for spec in specs:
            if spec == "-":
                try:
                    yield read_stdin(sys.stdin if stdin is None else stdin, max_bytes)
                except DocumentError as exc:
                    yield LoadFailure("stdin", str(exc).split(": ", 1)[-1])
                continue
            if is_url(spec):
                yield from load_url(spec, max_bytes)
                continue
            for item in _expand(spec, walk):
                if isinstance(item, LoadFailure):
                    yield item
                    continue
                if item.suffix.lower() in JSONL_SUFFIXES:
                    yield from _jsonl_file(item, text_field, id_field, max_bytes)
                    continue
                try:
                    yield from guard.load(item, max_bytes)
                except DocumentError as exc:
                    yield LoadFailure(str(item), str(exc).split(": ", 1)[-1])
    finally:
        guard.close()


def _jsonl_file(path: Path, text_field: str, id_field: str, max_bytes: int) -> Iterator[Document | LoadFailure]:
    """The documents of a JSONL file, streamed: any number of lines, each one capped."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        yield LoadFailure(str(path), f"cannot read ({exc.strerror})")
        return
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        yield LoadFailure(str(path), f"{_kind_of(mode)}, not a regular file")
        return
    try:
        with open(fd, encoding="utf-8", errors="replace") as handle:
            yield from iter_jsonl(capped_lines(handle, max_bytes), path.name, text_field, id_field)
    except OSError as exc:
        yield LoadFailure(str(path), f"cannot read ({exc.strerror})")
