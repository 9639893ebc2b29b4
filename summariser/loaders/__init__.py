"""One loader per file format, behind one small interface, chosen by what the bytes are.

Each format is a module with a ``parse(data: bytes, name: str) -> Parsed`` function; `LOADERS` is
the one table that names them with their file suffixes, MIME types and a sniffer. `detect` picks a
loader from the content first: a signature (``%PDF-``, a zip holding ``word/document.xml``, mail
headers, an HTML start) wins over the file name, so a PDF saved as ``.txt`` or an HTML error page
saved as ``.pdf`` is read as what it is. The name (or a MIME type from a server or a mail) only
decides between text formats when the content alone does not.

`read_all` parses a file and, recursively, the documents inside it (attachments, mbox messages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import DocumentError
from . import docx, html, mail, pdf, text
from .base import Parsed, Part, clean_text, decode_bytes

MAX_DEPTH = 3  # a mail attached to a mail attached to a mail, and no deeper
MAX_PARTS = 10_000  # documents out of one file (messages of an mbox, attachments)
SNIFF_BYTES = 4096


class UnsupportedFormat(DocumentError):
    """Bytes that no loader reads (an image, an archive, a legacy Office file)."""


@dataclass(frozen=True)
class Loader:
    """A file format: how to recognise it and the function that reads it."""

    name: str
    parse: Callable[[bytes, str], Parsed]
    suffixes: frozenset[str]
    mime_types: frozenset[str]
    sniff: Callable[[bytes, str], bool]  # (first bytes, their text if they decode) -> is it this format?
    signature: bool = False  # recognised by magic bytes: a file named so without them is not one


def _is_pdf(head: bytes, _: str) -> bool:
    return b"%PDF-" in head[:1024]


def _is_docx(head: bytes, _: str) -> bool:
    return head.startswith(b"PK\x03\x04")  # a zip; the loader checks it holds a Word document


def _is_html(_: bytes, start: str) -> bool:
    lead = start.lstrip("\ufeff \t\r\n").lower()
    while lead.startswith("<!--"):  # comments before the doctype
        lead = lead.partition("-->")[2].lstrip()
    return lead.startswith(("<!doctype html", "<html", "<head", "<body", "<?xml version")) and "<html" in start.lower()


LOADERS: tuple[Loader, ...] = (
    Loader("pdf", pdf.parse, frozenset({".pdf"}), frozenset({"application/pdf"}), _is_pdf, signature=True),
    Loader(
        "docx", docx.parse, frozenset({".docx"}),
        frozenset({"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
        _is_docx, signature=True,
    ),
    Loader("mbox", mail.parse_mbox, frozenset({".mbox", ".mbx"}), frozenset({"application/mbox"}),
           lambda _, start: mail.looks_like_mbox(start)),
    Loader("eml", mail.parse, frozenset({".eml"}), frozenset({"message/rfc822"}),
           lambda _, start: mail.looks_like_mail(start)),
    Loader("html", html.parse, frozenset({".html", ".htm", ".xhtml"}),
           frozenset({"text/html", "application/xhtml+xml"}), _is_html),
    Loader("text", text.parse, frozenset({".txt", ".text", ".md", ".markdown", ".rst", ""}),
           frozenset({"text/plain", "text/markdown", "text/x-rst"}), lambda _, __: False),
)
BY_NAME = {loader.name: loader for loader in LOADERS}
SUFFIXES = frozenset(s for loader in LOADERS for s in loader.suffixes)

# Formats people will try that no loader reads, recognised so the error can say what to do.
_UNSUPPORTED = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc, .xls, .msg): save it as .docx or PDF"),
    (b"{\\rtf", "an RTF file: save it as .docx or PDF"),
    (b"\x89PNG", "an image (PNG): run OCR on it first"),
    (b"\xff\xd8\xff", "an image (JPEG): run OCR on it first"),
    (b"GIF8", "an image (GIF)"),
    (b"\x1f\x8b", "a gzip archive: unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive: unpack it first"),
)


def detect(data: bytes, name: str, mime: str | None = None) -> Loader:
    """The loader for these bytes; `DocumentError` says what the file is when none reads it."""
    head = data[:SNIFF_BYTES]
    for loader in LOADERS:
        if loader.signature and loader.sniff(head, ""):
            return loader
    for magic, what in _UNSUPPORTED:
        if head.startswith(magic):
            raise UnsupportedFormat(f"{name}: unsupported file type, {what}")
    suffix = PurePath(name).suffix.lower()
    mime = (mime or "").split(";")[0].strip().lower()
    named = [loader for loader in LOADERS if suffix in loader.suffixes or mime in loader.mime_types]
    for loader in named:
        if loader.signature:
            raise DocumentError(f"{name}: not a {loader.name.upper()} file (its content does not start like one)")
    try:
        start = decode_bytes(head, name)
    except DocumentError:
        raise UnsupportedFormat(f"{name}: unsupported file type (binary content, not a document format we read)") from None
    for loader in LOADERS:
        if not loader.signature and loader.sniff(head, start):
            return loader
    return named[0] if named and suffix not in ("", ".txt", ".text") else BY_NAME["text"]


def parse(data: bytes, name: str, mime: str | None = None) -> Parsed:
    """One file's text and metadata (its parts are not parsed)."""
    return detect(data, name, mime).parse(data, name)


@dataclass(frozen=True)
class Item:
    """One document read out of a file: its name and what was read, or why it could not be."""

    name: str
    parsed: Parsed | None
    error: str | None = None


def read_all(data: bytes, name: str, mime: str | None = None) -> list[Item]:
    """The file's own document (unless it is only a container) and every document inside it.

    Raises `DocumentError` only when the file itself cannot be read; a broken attachment or
    message becomes an `Item` with an error, so the rest of the file is still read. Parts that are
    no document (an attached image) are left out and listed in their container's ``meta["skipped"]``.
    """
    items: list[Item] = []
    _read(data, name, mime, {}, 0, items, None)
    return items


def _read(data: bytes, name: str, mime: str | None, inherited: dict[str, object], depth: int,
          items: list[Item], container_notes: list[str] | None) -> None:
    """Append the documents of `data` to `items`; `container_notes` is None for the file itself."""
    top = container_notes is None
    try:
        parsed = parse(data, name, mime)
    except DocumentError as exc:
        if top:
            raise
        assert container_notes is not None  # not the top file
        if isinstance(exc, UnsupportedFormat):  # an attached image is no failure: note it and go on
            container_notes.append(f"{name.rsplit(':', 1)[-1]}: {_reason(exc)}")
        else:
            items.append(Item(name, None, _reason(exc)))
        return
    notes = list(parsed.notes)
    meta = {**inherited, **parsed.meta, "skipped": notes}  # the list fills as parts are read
    if clean_text(parsed.text) or not parsed.parts:
        items.append(Item(name, Parsed(parsed.text, meta)))
    if parsed.parts and depth >= MAX_DEPTH:
        items.append(Item(name, None, f"{len(parsed.parts)} nested document(s) left out (nested over {MAX_DEPTH} deep)"))
    else:
        for part in parsed.parts:
            if len(items) >= MAX_PARTS:
                items.append(Item(name, None, f"over {MAX_PARTS:,} documents in one file: the rest left out"))
                break
            _read(part.data, f"{name}:{part.name}", part.mime, {**part.meta, "part_of": name},
                  depth + 1, items, notes)
    if not notes:
        del meta["skipped"]


def _reason(exc: DocumentError) -> str:
    return str(exc).split(": ", 1)[-1] if ": " in str(exc) else str(exc)


__all__ = [
    "BY_NAME", "LOADERS", "SUFFIXES", "Item", "Loader", "Parsed", "Part", "UnsupportedFormat", "detect", "parse",
    "read_all",
]
