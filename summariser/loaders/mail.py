"""E-mail: one message (.eml) or a mailbox of them (.mbox), with the standard library's `email`.

A message's text is its plain-text body (or its HTML body, read like a web page, when it has no
usable plain one); From, To, Cc, Date and Subject become metadata (the subject is the title, the
sender the author). Attachments come back as parts, each parsed by the loader its bytes call for and
briefed as a document of its own (or with the mail, under --combine); they inherit the mail's date.
"""

from __future__ import annotations

import re
from email import policy
from email.errors import (
    MessageDefect,
    MultipartInvariantViolationDefect,
    NoBoundaryInMultipartDefect,
    StartBoundaryNotFoundDefect,
)
from email.message import EmailMessage, Message, MIMEPart
from email.parser import BytesParser
from pathlib import PurePosixPath, PureWindowsPath

from ..errors import DocumentError
from .base import Parsed, Part, iso_date, one_line
from .html import parse_html

# A plain-text body this short next to an HTML one is a stub ("view this mail in a browser").
MIN_PLAIN_WORDS = 8
# Defects that leave the MIME tree unreadable: the parts a multipart announces cannot be found.
_FATAL = (NoBoundaryInMultipartDefect, StartBoundaryNotFoundDefect, MultipartInvariantViolationDefect)
_HEADERS = ("from", "to", "cc", "date", "subject")


def parse(data: bytes, name: str) -> Parsed:
    """Body text, headers as metadata, and attachments as parts."""
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
    except Exception as exc:  # noqa: BLE001 - the parser of untrusted mail; any failure is a bad file
        raise DocumentError(f"{name}: unreadable e-mail ({exc.__class__.__name__})") from None
    assert isinstance(msg, EmailMessage)
    broken = [d for part in msg.walk() for d in part.defects if isinstance(d, _FATAL)]
    if broken:
        raise DocumentError(f"{name}: broken MIME structure ({_defect_name(broken[0])}): the mail's parts cannot be found")
    meta = _headers(msg)
    parts, skipped = _attachments(msg, meta)
    return Parsed(_body(msg, name), {**meta, "format": "eml"}, parts, skipped)


def _defect_name(defect: MessageDefect) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", defect.__class__.__name__.removesuffix("Defect")).lower()


def _header(msg: EmailMessage, key: str) -> str:
    try:
        value = msg.get(key)
    except Exception:  # noqa: BLE001 - a malformed header must not lose the mail: take it raw
        value = next((v for k, v in msg.raw_items() if k.lower() == key), "")
    return one_line(str(value or ""))


def _headers(msg: EmailMessage) -> dict[str, object]:
    values = {key: _header(msg, key) for key in _HEADERS}
    meta: dict[str, object] = {k: v for k, v in values.items() if v}
    if values["subject"]:
        meta["title"] = values["subject"]
    if values["from"]:
        meta["author"] = values["from"]
    date = iso_date(values["date"])
    if date:
        meta["date"] = date
    else:
        meta.pop("date", None)
    return meta


def _content(part: MIMEPart) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError, AttributeError, TypeError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _body(msg: EmailMessage, name: str) -> str:
    """The text a reader sees: the plain body, or the HTML one read as a page."""
    try:
        plain = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
    except (KeyError, AttributeError, TypeError):
        plain = html = None
    text = _content(plain) if plain is not None else ""
    if html is not None and len(text.split()) < MIN_PLAIN_WORDS:
        return parse_html(_content(html), name).text
    return text.strip()


def _filename(part: EmailMessage, index: int) -> str:
    try:
        raw = part.get_filename() or ""
    except Exception:  # noqa: BLE001 - a malformed parameter must not lose the mail
        raw = ""
    # Only the last path component: a sender chooses this name.
    base = PureWindowsPath(PurePosixPath(raw).name).name.strip()
    return base or f"attachment-{index}"


def _attachments(msg: EmailMessage, mail_meta: dict[str, object]) -> tuple[list[Part], list[str]]:
    parts: list[Part] = []
    skipped: list[str] = []
    inherited = {k: v for k, v in mail_meta.items() if k == "date"}
    try:
        attachments = list(msg.iter_attachments())
    except (KeyError, AttributeError, TypeError):
        return [], ["attachments could not be listed"]
    for index, part in enumerate(attachments, start=1):
        name = _filename(part, index)
        mime = part.get_content_type()
        if mime == "message/rfc822":  # a forwarded mail: its bytes parse as a mail of their own
            inner = part.get_payload()
            data = inner[0].as_bytes() if isinstance(inner, list) and inner and isinstance(inner[0], Message) else b""
            name = name if part.get_filename() else f"forwarded-{index}.eml"
        else:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
        if not data:
            skipped.append(f"{name}: empty attachment")
            continue
        parts.append(Part(name, data, mime, dict(inherited)))
    return parts, skipped


# mbox: messages separated by lines that start with "From " (mboxrd escapes such body lines as
# ">From ", which is undone here).
_MBOX_SPLIT = re.compile(rb"(?:\A|\n)From [^\n]*\n")


def parse_mbox(data: bytes, name: str) -> Parsed:
    """A mailbox: no text of its own, each message a part (named by its number)."""
    pieces = [p for p in _MBOX_SPLIT.split(data) if p.strip()]
    if not pieces:
        raise DocumentError(f"{name}: no messages in this mailbox")
    parts = [
        Part(str(i), re.sub(rb"(?m)^>(>*From )", rb"\1", piece), "message/rfc822")
        for i, piece in enumerate(pieces, start=1)
    ]
    return Parsed("", {"format": "mbox", "messages": len(parts)}, parts)


def looks_like_mbox(head: str) -> bool:
    """A mailbox starts with a 'From ' separator line followed by mail headers."""
    first, _, rest = head.partition("\n")
    return first.startswith("From ") and looks_like_mail(rest)


_HEADER_LINE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]?")
_MAIL_HEADERS = {"from", "to", "cc", "subject", "date", "received", "message-id", "mime-version",
                 "return-path", "content-type", "reply-to", "delivered-to", "x-mailer"}


def looks_like_mail(head: str) -> bool:
    """A header block: header lines (or their continuations) up to a blank line, naming mail headers."""
    names: set[str] = set()
    for line in head.splitlines():
        if not line.strip():
            break
        if line[:1] in " \t" and names:
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            return False
        names.add(match.group().rstrip(": \t").lower())
    return len(names & _MAIL_HEADERS) >= 2 and bool(names & {"from", "subject", "received", "message-id"})
