"""What a brief says about its sources: their metadata, the page of each citation, their order.

The loaders (`summariser.loaders`) put each document's title, author, date and source in
`Document.meta`, and for a PDF where each page starts in its text (``meta["pages"]``). `annotate`
copies these into the brief's `Source` entries and gives every citation its page; `by_date` orders
a pile of documents (``--combine``) by the dates they carry.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence

from .brief import Brief, Citation
from .load import Document
from .loaders.base import date_key

MAX_FIELD_CHARS = 300  # metadata is the document's own say: shown, but never at any length


def page_of(document: Document, sentence: str) -> int | None:
    """The page (1-based) where `sentence` (text of the document, spacing aside) starts, or None.

    Only documents with page offsets (PDF) have pages. The first occurrence counts, as the
    pipeline keeps the first of repeated sentences.
    """
    pages = document.meta.get("pages")
    words = sentence.split()
    if not isinstance(pages, list) or not pages or not words:
        return None
    match = re.search(r"\s+".join(re.escape(w) for w in words), document.text)
    return bisect_right(pages, match.start()) if match else None


def _field(document: Document, key: str) -> str | None:
    value = document.meta.get(key)
    if not isinstance(value, str) or not value.strip():
        return None
    value = " ".join(value.split())
    return value if len(value) <= MAX_FIELD_CHARS else value[: MAX_FIELD_CHARS - 1] + "…"


def _citations(brief: Brief) -> Iterator[Citation]:
    for judgment in brief.key_judgments:
        yield from judgment.citations
    for implication in brief.implications:
        yield from implication.citations
    for actor in brief.key_actors:
        yield actor.evidence


def annotate(brief: Brief, documents: Sequence[Document]) -> Brief:
    """Fill the brief's sources with their documents' metadata and its citations with pages."""
    by_id = {d.id: d for d in documents}
    by_name: dict[str, Document] = {}
    for d in documents:
        by_name.setdefault(d.name, d)
    for source in brief.sources:
        doc = by_id.get(source.id)
        if doc is not None:
            source.title, source.author = _field(doc, "title"), _field(doc, "author")
            source.date, source.source = _field(doc, "date"), _field(doc, "source")
    for citation in _citations(brief):
        doc = by_name.get(citation.document)
        if doc is not None:
            citation.page = page_of(doc, citation.text)
    return brief


def by_date(documents: Sequence[Document]) -> list[Document]:
    """Documents with a date oldest first, then those without one in the order given."""
    dated = [(date_key(d.meta.get("date")), i, d) for i, d in enumerate(documents)]
    known = sorted((when, i, d) for when, i, d in dated if when is not None)
    return [d for _, _, d in known] + [d for when, _, d in dated if when is None]
