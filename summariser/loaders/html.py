"""Web pages: the article as a reader sees it, with its title, author, date and site.

trafilatura (the reference tool for main-content extraction) drops navigation, cookie banners,
comments and related links, and reads the page's metadata. Where it finds no article (a page that is
all list or form, a fragment), the visible text of the page is used instead, scripts and page
furniture removed.
"""

from __future__ import annotations

import logging

from .base import Parsed, blocks_to_text, decode_bytes, iso_date, one_line

# A page whose extracted article is shorter than this many words falls back to the visible text:
# trafilatura returns a caption or a heading alone for some short or unusual pages.
MIN_ARTICLE_WORDS = 8


def parse(data: bytes, name: str) -> Parsed:
    """The main text of an HTML page and its metadata."""
    return parse_html(decode_bytes(data, name), name)


def parse_html(html: str, name: str = "page", url: str | None = None) -> Parsed:
    """`parse` for HTML already decoded (e-mail bodies, fetched pages)."""
    meta: dict[str, object] = {"format": "html"}
    text, headings, found = _article(html, url)
    if len(text.split()) < MIN_ARTICLE_WORDS:
        text, headings = html_to_text(html), []
        meta["extraction"] = "visible text (no article found)"
    else:
        meta["extraction"] = "article (trafilatura)"
    if headings:
        meta["headings"] = headings
    meta.update({k: v for k, v in found.items() if v})
    return Parsed(text, meta)


def _article(html: str, url: str | None) -> tuple[str, list[str], dict[str, object]]:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # it logs each page it finds empty
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True,
            include_formatting=True, favor_precision=True,
        )
    except Exception:  # noqa: BLE001 - a parser of untrusted pages; the fallback below reads it instead
        doc = None
    if doc is None or getattr(doc, "body", None) is None:
        return "", [], {}
    blocks: list[tuple[str, str]] = []
    for el in doc.body:  # type: ignore[union-attr]  # checked above: a Document with a body
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            blocks.append(("heading", "".join(el.itertext())))
        elif tag == "list":
            items = [one_line("".join(i.itertext())) for i in el.iter("item")]
            blocks.append(("para", "\n".join(f"- {i}" for i in items if i)))
        elif tag == "table":
            rows = [" | ".join(one_line("".join(c.itertext())) for c in row) for row in el.iter("row")]
            blocks.append(("para", "\n".join(r for r in rows if r.strip(" |"))))
        else:
            blocks.append(("para", one_line("".join(el.itertext()))))
    text, headings = blocks_to_text(blocks)
    found = {
        "title": getattr(doc, "title", None),
        "author": getattr(doc, "author", None),
        "date": iso_date(getattr(doc, "date", None)),
        "site": getattr(doc, "sitename", None),
    }
    return text, headings, found


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
