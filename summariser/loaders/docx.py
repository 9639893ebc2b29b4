"""Word (.docx): paragraphs, headings as structure, tables as text, with python-docx.

python-docx was chosen over mammoth because it reads the core properties (title, author, dates)
that the brief's sources show, and the paragraph styles that mark headings; mammoth converts to
HTML and drops the metadata.

What is read: the body in order (paragraphs, tables row by row with cells joined by `` | ``,
content controls), text as it reads with tracked changes accepted (insertions kept, deletions
dropped). Left out: comments, footnotes and endnotes, headers and footers, text boxes' layout,
images and their alt text.

The file is a zip archive, so its uncompressed size is checked before anything is unpacked: a
small file that unpacks to gigabytes (a zip bomb) is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import Any

from ..errors import DocumentError
from ..sizes import MIB, mib
from .base import Parsed, blocks_to_text, iso_date, one_line

# Far above any real report (text, styles, even many images), far below what hurts on 24 GiB.
MAX_UNZIPPED_BYTES = 256 * MIB
MAX_MEMBERS = 10_000
_HEADING_STYLE = re.compile(r"^(heading\s*\d|title|subtitle)$", re.I)


def check_zip(data: bytes, name: str, what: str = ".docx") -> zipfile.ZipFile:
    """The archive, after checking it opens and would not unpack beyond the limits.

    Python's zipfile never inflates a member past the size its header declares (it fails the CRC
    check instead), so checking the declared sizes bounds what unpacking can cost.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise DocumentError(f"{name}: truncated or corrupt {what} (not a readable zip archive)") from None
    if len(members) > MAX_MEMBERS:
        raise DocumentError(f"{name}: {what} holds {len(members):,} files, over the {MAX_MEMBERS:,} limit")
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        raise DocumentError(
            f"{name}: {what} would unpack to {mib(total)}, over the {mib(MAX_UNZIPPED_BYTES)} "
            "limit (a zip bomb?)"
        )
    return archive


def parse(data: bytes, name: str) -> Parsed:
    """Text, headings and core properties of a Word document."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    archive = check_zip(data, name)
    if "word/document.xml" not in archive.namelist():
        raise DocumentError(f"{name}: a zip archive but not a Word document (no word/document.xml)")
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document)
        props = document.core_properties
        meta: dict[str, object] = {
            "format": "docx",
            "title": (props.title or "").strip(),
            "author": (props.author or "").strip(),
            "date": iso_date(props.created or props.modified),
        }
    except (zipfile.BadZipFile, EOFError, zlib.error):
        raise DocumentError(f"{name}: truncated or corrupt .docx (a part does not unpack)") from None
    except XMLSyntaxError:
        raise DocumentError(f"{name}: corrupt .docx (its XML does not parse)") from None
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocumentError(f"{name}: not a readable Word document ({one_line(str(exc))[:120]})") from None
    except Exception as exc:  # noqa: BLE001 - python-docx meets untrusted packages it was not built for
        raise DocumentError(f"{name}: not a readable Word document ({exc.__class__.__name__})") from None
    text, headings = blocks_to_text(blocks)
    if headings:
        meta["headings"] = headings
    return Parsed(text, {k: v for k, v in meta.items() if v})


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


# Runs whose text belongs to the paragraph as it reads with tracked changes accepted: plain runs,
# links, inserted runs (w:ins), simple fields, smart tags. Deleted runs (w:del, w:moveFrom) hold
# w:delText, which is never read.
_RUNS = (
    "w:r | w:hyperlink/w:r | w:ins/w:r | w:ins/w:hyperlink/w:r | w:moveTo/w:r | w:fldSimple/w:r"
    " | w:smartTag/w:r | w:sdt/w:sdtContent/w:r | w:customXml/w:r"
)


def _blocks(document: Any) -> list[tuple[str, str]]:
    heading_ids = _heading_styles(document)
    blocks: list[tuple[str, str]] = []

    def walk(parent: Any) -> None:
        for el in parent.iterchildren():
            if el.tag == _w("p"):
                text = _paragraph_text(el)
                kind = "heading" if _is_heading(el, heading_ids) and len(text.split()) <= 30 else "para"
                blocks.append((kind, text))
            elif el.tag == _w("tbl"):
                blocks.append(("para", _table_text(el)))
            elif el.tag in (_w("sdt"), _w("sdtContent"), _w("ins"), _w("customXml"), _w("moveTo")):
                walk(el)  # content controls and inserted blocks hold paragraphs of the body

    walk(document.element.body)
    return blocks


def _paragraph_text(p: Any) -> str:
    return "".join(r.text for r in p.xpath(_RUNS)).strip()


def _table_text(tbl: Any) -> str:
    rows = []
    for tr in tbl.iterchildren(_w("tr")):
        cells = []
        for tc in tr.iterchildren(_w("tc")):
            paragraphs = [_paragraph_text(p) for p in tc.iter(_w("p"))]
            cells.append(one_line(" ".join(p for p in paragraphs if p)))
        row = " | ".join(cells)
        if row.strip(" |"):
            rows.append(row)
    return "\n".join(rows)


def _heading_styles(document: Any) -> set[str]:
    """Ids of paragraph styles that are headings: named so, based on one, or given an outline level."""
    ids: set[str] = set()
    for style in document.styles:
        try:
            seen, current = 0, style
            while current is not None and seen < 10:
                outline = current.element.find(f"{_w('pPr')}/{_w('outlineLvl')}")
                if _HEADING_STYLE.match(current.name or "") or _outline(outline):
                    ids.add(style.style_id)
                    break
                current, seen = getattr(current, "base_style", None), seen + 1
        except (AttributeError, ValueError, KeyError):
            continue
    return ids


def _is_heading(p: Any, heading_ids: set[str]) -> bool:
    ppr = p.find(_w("pPr"))
    if ppr is None:
        return False
    if _outline(ppr.find(_w("outlineLvl"))):
        return True
    style = ppr.find(_w("pStyle"))
    return style is not None and style.get(_w("val")) in heading_ids


def _outline(el: Any) -> bool:
    """An outline level 0-8 makes a heading (9 is body text)."""
    return el is not None and el.get(_w("val")) in {str(n) for n in range(9)}
