"""What every format loader returns, and the helpers they share.

A loader turns the bytes of one file into a `Parsed`: plain text (headings on their own lines with
blank lines around, paragraphs one per block) and metadata with common keys. Containers (an e-mail
with attachments, an mbox) also return their `parts` as raw bytes; the registry parses each part with
the loader its bytes call for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from ..errors import DocumentError

# Metadata keys every loader fills where its format has them (all optional):
#   title, author, date (ISO 8601), source (URL or path), format, headings (list[str]),
#   pages (list of character offsets where each PDF page starts in the text).


@dataclass(frozen=True)
class Part:
    """A document inside another (an attachment, one message of an mbox), not parsed yet."""

    name: str
    data: bytes
    mime: str | None = None
    meta: dict[str, object] = field(default_factory=dict)  # inherited from the container (e.g. the mail's date)


@dataclass(frozen=True)
class Parsed:
    """The text and metadata of one file, and the documents it contains."""

    text: str
    meta: dict[str, object] = field(default_factory=dict)
    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # parts left out, and why (one line each)


def decode_bytes(data: bytes, name: str = "document") -> str:
    """Decode text of unknown encoding: BOMs first, then UTF-8, then cp1252/latin-1.

    Binary data (NUL bytes outside a UTF-16 file) is refused rather than turned into noise.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
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


def one_line(text: str) -> str:
    """Whitespace collapsed to single spaces (a paragraph or heading on one line)."""
    return " ".join(text.split())


def blocks_to_text(blocks: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """Text from ("heading" | "para", text) blocks, one per paragraph, and the headings found.

    A heading gets a line of its own with blank lines around, which the sentence splitter
    (`nlp._units`) reads as a heading rather than the start of a sentence.
    """
    out: list[str] = []
    headings: list[str] = []
    for kind, text in blocks:
        text = one_line(text) if kind == "heading" else text.strip()
        if not text:
            continue
        if kind == "heading":
            headings.append(text)
        out.append(text)
    return "\n\n".join(out), headings


_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz]|[+-]\d{2}'?\d{2}'?)?")


def iso_date(value: object) -> str | None:
    """A date as ISO 8601 text (date, or date and time), from the forms documents carry it in.

    Accepts datetimes, ISO strings, RFC 2822 mail dates and PDF ``D:YYYYMMDDHHmmSS+hh'mm'`` dates;
    anything else gives None rather than a guess.
    """
    if isinstance(value, datetime):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    match = _PDF_DATE.match(text)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        try:
            if hour is None:
                return datetime(int(year), int(month or 1), int(day or 1)).date().isoformat()
            when = datetime(int(year), int(month or 1), int(day or 1), int(hour), int(minute or 0), int(second or 0))
        except ValueError:
            return None
        if zone and zone not in "Zz":
            digits = zone.replace("'", "")
            zone = f"{digits[:3]}:{digits[3:5]}"
        return when.isoformat() + ("+00:00" if zone in ("Z", "z") else (zone or ""))
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        return parsed.date().isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else parsed.isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def date_key(value: object) -> datetime | None:
    """A comparable (UTC) datetime for an ISO date from `iso_date`, or None."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
