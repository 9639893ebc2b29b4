"""Load documents: files (.txt .md .html .pdf), folders, globs, stdin and JSONL.

Loading never raises for one bad document: `iter_documents` yields a `LoadFailure` in its place so
a batch can record it and go on.
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

from .errors import DocumentError

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".rst", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | JSONL_SUFFIXES
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


def decode_bytes(data: bytes, name: str = "document") -> str:
    """Decode text of unknown encoding: BOMs first, then UTF-8, then cp1252/latin-1.

    Binary data (NUL bytes outside a UTF-16 file) is refused rather than turned into noise.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    sample = data[:8192]
    if b"\x00" in sample:
        raise DocumentError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def clean_text(text: str) -> str:
    """Normalise newlines and drop control characters that confuse tokenizers."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def html_to_text(html: str) -> str:
    """Visible text of an HTML page with scripts, styles and page furniture removed."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "aside", "form", "iframe", "svg"]):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = []
    for el in root.find_all(["h1", "h2", "h3", "h4", "p", "li", "blockquote", "pre", "td"]):
        if el.find(["p", "li"]):  # keep only innermost blocks so text is not repeated
            continue
        text = " ".join(el.get_text(" ", strip=True).split())
        if text:
            blocks.append(text)
    if not blocks:
        blocks = [" ".join(root.get_text(" ", strip=True).split())]
    return "\n\n".join(blocks)


def pdf_to_text(path: Path) -> str:
    """Text layer of a PDF; encrypted or broken files raise `DocumentError`."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many 'encrypted' PDFs have an empty user password
            except Exception:  # noqa: BLE001 - pypdf raises several types here
                opened = 0
            if not opened:
                raise DocumentError(f"{path.name}: PDF is encrypted (password needed)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError, TypeError) as exc:
        raise DocumentError(f"{path.name}: unreadable PDF ({exc.__class__.__name__})") from None
    except Exception as exc:  # noqa: BLE001 - pypdf is a parser of untrusted input
        raise DocumentError(f"{path.name}: unreadable PDF ({exc.__class__.__name__}: {exc})") from None
    return "\n\n".join(pages)


def _doc_id(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def _finish(name: str, text: str, meta: dict[str, object] | None = None, doc_id: str | None = None) -> Document:
    text = clean_text(text)
    if not text:
        raise DocumentError(f"{name}: no text found (empty document)")
    return Document(id=doc_id or _doc_id(name), name=name, text=text, meta=meta or {})


def load_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one text, Markdown, HTML or PDF file into a `Document`."""
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DocumentError(f"{path}: file not found") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror})") from None
    if size > max_bytes:
        raise DocumentError(f"{name}: file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit")
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return _finish(name, pdf_to_text(path), {"path": str(path)})
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path}: file disappeared before it was read") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror})") from None
    text = decode_bytes(data, name)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))):
        text = html_to_text(text)
    return _finish(name, text, {"path": str(path)})


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
    """Every document named by `specs` (paths, folders, globs, ``-`` for stdin), in order."""
    for spec in specs:
        if spec == "-":
            data = "".join(stdin if stdin is not None else sys.stdin)
            try:
                yield _finish("stdin", data)
            except DocumentError as exc:
                yield LoadFailure("stdin", str(exc).split(": ", 1)[-1])
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
                yield load_file(item, max_bytes)
            except DocumentError as exc:
                yield LoadFailure(str(item), str(exc).split(": ", 1)[-1])
