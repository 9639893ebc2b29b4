"""PDF: the text layer with its structure, read with PDFium (pypdfium2).

PDFium (Chrome's PDF engine) was chosen over pypdf after measuring both on generated reports
(`scripts/compare_pdf.py`, results in `bench/results/pdf-libraries.md`): it is several times faster, marks
hyphens at line ends, and gives each character's font size and position cheaply, which is what
structure needs:

- pages: the text keeps where each page starts (``meta["pages"]``: character offsets), so a cited
  sentence can give its page;
- running headers and footers (the same line, digits aside, set apart at the top or bottom of most
  pages, at the same height in the margin) and bare page numbers in the margins are dropped;
- wrapped lines are joined into paragraphs, and words hyphenated at a line end are joined;
- headings (lines in a larger or bold font) get a line of their own, and are listed in ``meta``.

A PDF with pages but no text at all is a scan: it gets a clear error rather than an empty brief.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from dataclasses import dataclass

from ..errors import DocumentError
from .base import Parsed, blocks_to_text, clean_text, iso_date

MARGIN = 0.08  # share of the page height at the top and bottom where running headers and footers sit
HEADING_SCALE = 1.15  # a heading's font is at least this much larger than the body text's
MAX_HEADING_WORDS = 20
PARAGRAPH_GAP = 1.3  # a step down this many line pitches or more starts a paragraph (same-font lines vary by <5%)
_END = re.compile(r"[.!?:;\"'”’)\]]$")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—]?\s*#+\s*[-–—]?(?:\s*(?:of|/)\s*#+)?$", re.I)
_PLACEHOLDER_TITLES = {"untitled", "anonymous", "unspecified", "unknown", "title", "document"}


@dataclass
class Line:
    """One line of a page as PDFium reads it, with what structure needs to know about it."""

    text: str
    size: float  # font size of its first character (0 when unknown)
    bold: bool
    top: float  # of its first character's font box, in points from the page bottom
    last_top: float  # the same for its last character: a hyphen-joined line ends one line lower
    bottom: float  # of its last character's font box
    left: float  # of its first character
    right: float  # of its last character


def parse(data: bytes, name: str) -> Parsed:
    """Text, page offsets, headings and metadata of a PDF."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
            raise DocumentError(f"{name}: PDF is encrypted (password needed)") from None
        raise DocumentError(f"{name}: unreadable PDF ({_reason(exc)})") from None
    try:
        heights: list[float] = []
        pages: list[list[Line]] = []
        for index in range(len(pdf)):
            page = pdf[index]
            heights.append(page.get_height())
            pages.append(_lines(page))
        info = pdf.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError as exc:
        raise DocumentError(f"{name}: unreadable PDF ({_reason(exc)})") from None
    finally:
        pdf.close()
    if not any(line.text.strip() for lines in pages for line in lines):
        raise DocumentError(f"{name}: PDF has no text layer (scanned?): run OCR on it first")
    furniture = _furniture(pages, heights)
    body = _body_size(pages)
    texts: list[str] = []
    headings: list[str] = []
    for lines, height in zip(pages, heights):
        kept = [line for line in lines if (math.isnan(line.top) or _place(line) not in furniture)
                and not _margin_number(line, height)]
        text, found = blocks_to_text(_blocks(kept, body))
        texts.append(clean_text(text))
        headings += found
    text, offsets = _join_pages(texts)
    meta: dict[str, object] = {"format": "pdf", "pages": offsets, "page_count": len(pages)}
    if headings:
        meta["headings"] = headings
    title = re.sub(r"^Microsoft Word - ", "", (info.get("Title") or "").strip())
    author = (info.get("Author") or "").strip()
    if title and title.lower() not in _PLACEHOLDER_TITLES:
        meta["title"] = title
    if author and author.lower() not in _PLACEHOLDER_TITLES:
        meta["author"] = author
    date = iso_date(info.get("CreationDate") or info.get("ModDate"))
    if date:
        meta["date"] = date
    return Parsed(text, meta)


def _reason(exc: Exception) -> str:
    match = re.search(r"PDFium: ([^)]*)", str(exc))
    return (match.group(1) if match else str(exc)).rstrip(". ") or exc.__class__.__name__


def _lines(page: object) -> list[Line]:
    """The page's lines in PDFium's reading order, each with its font size and position."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        text = textpage.get_text_range()
        count = textpage.count_chars()
        lines: list[Line] = []
        at = 0
        for piece in re.split(r"(\r\n|\r|\n)", text):
            start, at = at, at + len(piece)
            if piece in ("\r\n", "\r", "\n") or not piece.strip():
                continue
            first = start + (len(piece) - len(piece.lstrip()))
            last = start + len(piece.rstrip()) - 1
            # Python and PDFium count characters alike except past the BMP (rare): check before trusting.
            if last < count and raw.FPDFText_GetUnicode(textpage.raw, first) == ord(text[first]):
                size = raw.FPDFText_GetFontSize(textpage.raw, first)
                # Loose boxes span the font's ascent and descent, the same for every letter.
                left, _, _, top = textpage.get_charbox(first, loose=True)
                _, bottom, right, last_top = textpage.get_charbox(last, loose=True)
                bold = _is_bold(textpage.raw, first)
            else:
                size, bold = 0.0, False
                top = last_top = bottom = left = right = math.nan
            # PDFium marks a hyphen at a line end (a word split across lines) with U+FFFE and
            # already joins the two lines: the word is whole once the mark goes.
            lines.append(Line(piece.replace("\ufffe", "").replace("\x02", "").strip(), size, bold, top, last_top, bottom, left, right))
        return lines
    finally:
        textpage.close()


def _is_bold(textpage: object, index: int) -> bool:
    import pypdfium2.raw as raw

    weight = raw.FPDFText_GetFontWeight(textpage, index)
    if weight >= 600:
        return True
    flags = ctypes.c_int(0)
    buffer = ctypes.create_string_buffer(128)
    got = raw.FPDFText_GetFontInfo(textpage, index, buffer, len(buffer), ctypes.byref(flags))
    name = buffer.value.decode("latin-1", "replace") if got else ""
    return bool(re.search(r"bold|black|heavy", name, re.I)) or bool(flags.value & 0x40000)  # ForceBold


def _key(text: str) -> str:
    """A line's text with digits hidden: 'Page 3 of 9' and 'Page 4 of 9' are the same furniture."""
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def _in_margin(line: Line, height: float) -> bool:
    return not math.isnan(line.top) and (line.top >= height * (1 - MARGIN) or line.bottom <= height * MARGIN)


def _margin_number(line: Line, height: float) -> bool:
    return _in_margin(line, height) and bool(_PAGE_NUMBER.match(_key(line.text)))


def _furniture(pages: list[list[Line]], heights: list[float]) -> set[tuple[str, int]]:
    """Running headers and footers: (text with digits hidden, height) of lines that stand apart at
    the top or bottom of their page, in its margin, at the same height on most pages."""
    if len(pages) < 2:
        return set()
    seen: Counter[tuple[str, int]] = Counter()
    for lines, height in zip(pages, heights):
        placed = sorted((line for line in lines if not math.isnan(line.top)), key=lambda line: -line.top)
        outer = _apart(placed) + _apart(placed[::-1])
        seen.update({_place(line) for line in outer if _in_margin(line, height)})
    need = max(2, math.ceil(len(pages) / 2))
    return {key for key, n in seen.items() if n >= need}


def _apart(placed: list[Line], most: int = 2) -> list[Line]:
    """The first one or two lines of `placed` when a wide gap parts them from the rest (a header
    sits apart from the text; the first line of a column does not)."""
    for n in range(1, min(most, len(placed) - 1) + 1):
        a, b = placed[n - 1], placed[n]
        if abs(a.top - b.top) > 1.8 * max(a.size, b.size, 1.0):
            return placed[:n]
    return []


def _place(line: Line) -> tuple[str, int]:
    return _key(line.text), round(line.top / 3)  # a 3-point grid: the same place on every page


def _body_size(pages: list[list[Line]]) -> float:
    """The font size most of the text is set in (weighted by characters)."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            if line.size:
                sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _is_heading(line: Line, body: float) -> bool:
    words = len(line.text.split())
    if not body or not line.size or words > MAX_HEADING_WORDS or not re.search(r"[A-Za-z]", line.text):
        return False
    if line.size >= body * HEADING_SCALE:
        return True
    return line.bold and words <= 12 and not _END.search(line.text)


def _blocks(lines: list[Line], body: float) -> list[tuple[str, str]]:
    """Headings and paragraphs: wrapped lines joined, a paragraph ending at a gap or a short last line."""
    # A line's step down from the one before (same font: the line pitch; more: a paragraph gap).
    # The lower quartile, not the median: in a text of two-line paragraphs half the steps are gaps.
    steps = sorted(a.last_top - b.top for a, b in zip(lines, lines[1:]) if a.last_top - b.top > 0)
    pitch = steps[len(steps) // 4] if steps else body * 1.2
    blocks: list[tuple[str, list[str]]] = []
    prev: Line | None = None
    for line in lines:
        kind = "heading" if _is_heading(line, body) else "para"
        new = prev is None or not blocks or blocks[-1][0] != kind
        if not new and prev is not None:
            step = prev.last_top - line.top  # not a number when positions are unknown: no break
            if kind == "heading":
                new = abs(line.size - prev.size) > 0.5 or step > pitch * PARAGRAPH_GAP
            else:
                ends = bool(_END.search(prev.text))  # a column break (step up) mid-sentence runs on
                new = step > pitch * PARAGRAPH_GAP or (ends and (step < 0 or _short(prev, lines)))
        if new:
            blocks.append((kind, [line.text]))
        else:
            blocks[-1][1].append(line.text)
        prev = line
    return [(kind, _join_lines(parts)) for kind, parts in blocks]


def _short(line: Line, lines: list[Line]) -> bool:
    """Whether a line stops well short of its column's right edge (a paragraph's last line).

    The column is the lines that start near the same left edge (an indent is under 20 points)."""
    if math.isnan(line.left):
        return False
    edge = max((x.right for x in lines if not math.isnan(x.left) and abs(x.left - line.left) < 20), default=line.right)
    width = edge - line.left
    return width > 0 and (line.right - line.left) < 0.8 * width


def _join_lines(parts: list[str]) -> str:
    out = parts[0]
    for part in parts[1:]:
        if re.search(r"[A-Za-z]-$", out) and part[:1].islower():
            out = out[:-1] + part  # 'infor-' + 'mation': a hyphenation PDFium did not mark
        else:
            out = f"{out} {part}"
    return out


def _join_pages(texts: list[str]) -> tuple[str, list[int]]:
    """The pages' texts as one, and where each page starts in it.

    A paragraph that runs on to the next page (no closing punctuation, next page starts in lower
    case) is joined with a space, so its sentence is not cut in two.
    """
    out = ""
    offsets: list[int] = []
    for text in texts:
        if not out:
            offsets.append(0)
            out = text
            continue
        if not text:
            offsets.append(len(out))
            continue
        runs_on = not _END.search(out) and text[:1].islower()
        out += " " if runs_on else "\n\n"
        offsets.append(len(out))
        out += text
    return out, offsets
