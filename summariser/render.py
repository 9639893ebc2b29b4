"""Render a Brief as Markdown or JSON.

Everything in a brief comes from untrusted documents (their text, metadata and file names), so every
field is escaped before it goes into Markdown: a source that contains `[x](javascript:...)` or
`<img onerror=...>` shows those characters, and never renders a link, an image or HTML.
"""

from __future__ import annotations

import re

from .brief import Brief, Citation, Source

# CommonMark lets a backslash escape any ASCII punctuation; these are the characters that can start
# markup inline (links, images, HTML, emphasis, code, strikethrough, table cells).
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # '&amp;' in a source must not become '&'
_BLOCK_START = re.compile(r"^([#>+\-=])")  # a heading, quote, list or rule at the start of a line
_ORDERED = re.compile(r"^(\d+)([.)])")  # an ordered list item: the backslash goes before the '.'
_URL = re.compile(r"https?://[^\s<>\"'`\\]+")


def md_escape(text: str) -> str:
    """`text` as literal Markdown inline content: one line, no markup, no HTML, no links."""
    text = " ".join(text.split())
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    return _ORDERED.sub(r"\1\\\2", _BLOCK_START.sub(r"\\\1", text))


_esc = md_escape


def _refs(citations: list[Citation]) -> str:
    return ", ".join(f"{_esc(c.document)} §{c.sentence}" + (f", p. {c.page}" if c.page else "") for c in citations)


def _source_line(s: Source) -> str:
    """'name: “Title”, Author, date, URL (words, chunks)': what the document says about itself."""
    about = [f"“{_esc(s.title)}”" if s.title else "", _esc(s.author or ""), _esc((s.date or "")[:10])]
    if s.source and s.source.startswith(("http://", "https://")) and s.source != s.document:
        about.append(f"<{s.source}>" if _URL.fullmatch(s.source) else _esc(s.source))  # a link only if it is one
    about = [a for a in about if a]
    size = f"{s.words} words, {s.chunks} chunk{'s' if s.chunks != 1 else ''}"
    return f"- {_esc(s.document)}" + (f": {', '.join(about)}" if about else "") + f" ({size})"


def to_markdown(brief: Brief, actors: bool = True) -> str:
    """The brief as a Markdown document (`actors=False` leaves the actors table to the caller)."""
    out = [f"# {_esc(brief.title)}", "", "## Bottom line up front", "", _esc(brief.bluf), ""]
    for c in brief.corroboration:
        names = ", ".join(_esc(d) for d in c.documents)
        out += [f"_Corroborated by {len(c.documents)} documents ({names}): “{_esc(c.statement)}”_", ""]
    out += ["## Key judgments", ""]
    for j in brief.key_judgments:
        basis = f"{_esc(j.basis)}; " if j.basis else ""
        out.append(
            f"- **{j.likelihood.capitalize()}** ({j.confidence} confidence) · {j.kind}: {_esc(j.statement)} "
            f"_[{basis}{_refs(j.citations)}]_"
        )
    if not brief.key_judgments:
        out.append("None stated: the source reports events without assessing, explaining or predicting them.")
    out.append("")
    if brief.key_actors and actors:
        out += ["## Key actors", "", "| Actor | Type | Role | Source sentence |", "|---|---|---|---|"]
        for a in brief.key_actors:
            out.append(f"| {_esc(a.name)} | {a.type} | {_esc(a.role)} | “{_esc(a.evidence.text)}” |")
        out.append("")
    out += ["## Implications", ""]
    for i in brief.implications:
        basis = f"{_esc(i.basis)}; " if i.basis else ""
        out.append(f"- {_esc(i.statement)} _[{basis}{_refs(i.citations)}]_")
    if not brief.implications:
        out.append("None stated: the source says nothing about what will or may happen next.")
    out.append("")
    out += ["## Sources", ""]
    out += [_source_line(s) for s in brief.sources]
    p = brief.provenance
    gen = p.settings.get("generation", {})
    seed = gen.get("seed") if isinstance(gen, dict) else None
    out += ["", f"_Model: {_esc(p.model)} via {p.backend}; seed {seed}; {p.seconds:.1f} s; summariser {p.version}._", ""]
    if brief.warnings:
        out += ["<details><summary>Checks</summary>", ""] + [f"- {_esc(w)}" for w in brief.warnings] + ["", "</details>", ""]
    return "\n".join(out)


def to_json(brief: Brief) -> str:
    """The brief as indented JSON (the schema of `Brief`)."""
    return brief.model_dump_json(indent=2)
