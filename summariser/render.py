"""Render a Brief as Markdown or JSON."""

from __future__ import annotations

from .brief import Brief, Citation, Source


def _esc(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _refs(citations: list[Citation]) -> str:
    return ", ".join(f"{c.document} §{c.sentence}" + (f", p. {c.page}" if c.page else "") for c in citations)


def _source_line(s: Source) -> str:
    """'name: “Title”, Author, date, URL (words, chunks)': what the document says about itself."""
    about = [f"“{s.title}”" if s.title else "", s.author or "", (s.date or "")[:10]]
    if s.source and s.source.startswith(("http://", "https://")) and s.source != s.document:
        about.append(f"<{s.source}>")
    about = [a for a in about if a]
    size = f"{s.words} words, {s.chunks} chunk{'s' if s.chunks != 1 else ''}"
    return f"- {s.document}" + (f": {', '.join(about)}" if about else "") + f" ({size})"


def to_markdown(brief: Brief, actors: bool = True) -> str:
    """The brief as a Markdown document (`actors=False` leaves the actors table to the caller)."""
    out = [f"# {brief.title}", "", "## Bottom line up front", "", brief.bluf, ""]
    out += ["## Key judgments", ""]
    for j in brief.key_judgments:
        basis = f"{j.basis}; " if j.basis else ""
        out.append(
            f"- **{j.likelihood.capitalize()}** ({j.confidence} confidence) · {j.kind}: {j.statement} "
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
        basis = f"{i.basis}; " if i.basis else ""
        out.append(f"- {i.statement} _[{basis}{_refs(i.citations)}]_")
    if not brief.implications:
        out.append("None stated: the source says nothing about what will or may happen next.")
    out.append("")
    out += ["## Sources", ""]
    out += [_source_line(s) for s in brief.sources]
    p = brief.provenance
    gen = p.settings.get("generation", {})
    seed = gen.get("seed") if isinstance(gen, dict) else None
    out += ["", f"_Model: {p.model} via {p.backend}; seed {seed}; {p.seconds:.1f} s; summariser {p.version}._", ""]
    if brief.warnings:
        out += ["<details><summary>Checks</summary>", ""] + [f"- {w}" for w in brief.warnings] + ["", "</details>", ""]
    return "\n".join(out)


def to_json(brief: Brief) -> str:
    """The brief as indented JSON (the schema of `Brief`)."""
    return brief.model_dump_json(indent=2)
