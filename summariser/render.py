"""Render a Brief as Markdown or JSON.

Everything in a brief comes from untrusted documents (their text and file names), so every field is
escaped before it goes into Markdown: a source that contains `[x](javascript:...)` or
`<img onerror=...>` shows those characters, and never renders a link, an image or HTML.
"""

from __future__ import annotations

import re

from .brief import Brief

# CommonMark lets a backslash escape any ASCII punctuation; these are the characters that can start
# markup inline (links, images, HTML, emphasis, code, strikethrough, table cells).
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # '&amp;' in a source must not become '&'
_BLOCK_START = re.compile(r"^([#>+\-=])")  # a heading, quote, list or rule at the start of a line
_ORDERED = re.compile(r"^(\d+)([.)])")  # an ordered list item: the backslash goes before the '.'



def md_escape(text: str) -> str:
    """`text` as literal Markdown inline content: one line, no markup, no HTML, no links."""
    text = " ".join(text.split())
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    return _ORDERED.sub(r"\1\\\2", _BLOCK_START.sub(r"\\\1", text))


_esc = md_escape


def to_markdown(brief: Brief, actors: bool = True) -> str:
    """The brief as a Markdown document (`actors=False` leaves the actors table to the caller)."""
    out = [f"# {_esc(brief.title)}", "", "## Bottom line up front", "", _esc(brief.bluf), ""]
    if brief.key_judgments:
        out += ["## Key judgments", ""]
        for j in brief.key_judgments:
            refs = ", ".join(f"{_esc(c.document)} §{c.sentence}" for c in j.citations)
            out.append(f"- We judge it **{j.likelihood}** ({j.confidence} confidence): {_esc(j.statement)} _[{refs}]_")
        out.append("")
    if brief.key_actors and actors:
        out += ["## Key actors", "", "| Actor | Type | Role | Source sentence |", "|---|---|---|---|"]
        for a in brief.key_actors:
            out.append(f"| {_esc(a.name)} | {a.type} | {_esc(a.role)} | “{_esc(a.evidence.text)}” |")
        out.append("")
    if brief.implications:
        out += ["## Implications", ""]
        for i in brief.implications:
            refs = ", ".join(f"{_esc(c.document)} §{c.sentence}" for c in i.citations)
            out.append(f"- {_esc(i.statement)} _[{refs}]_")
        out.append("")
    out += ["## Sources", ""]
    for s in brief.sources:
        out.append(f"- {_esc(s.document)} ({s.words} words, {s.chunks} chunk{'s' if s.chunks != 1 else ''})")
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
