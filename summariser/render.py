"""Render a Brief as Markdown or JSON."""

from __future__ import annotations

from .brief import Brief


def _esc(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(brief: Brief, actors: bool = True) -> str:
    """The brief as a Markdown document (`actors=False` leaves the actors table to the caller)."""
    out = [f"# {brief.title}", "", "## Bottom line up front", "", brief.bluf, ""]
    out += ["## Key judgments", ""]
    for j in brief.key_judgments:
        refs = ", ".join(f"{c.document} §{c.sentence}" for c in j.citations)
        basis = f"{j.basis}; " if j.basis else ""
        out.append(f"- **{j.likelihood.capitalize()}** ({j.confidence} confidence) · {j.kind}: {j.statement} _[{basis}{refs}]_")
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
        refs = ", ".join(f"{c.document} §{c.sentence}" for c in i.citations)
        basis = f"{i.basis}; " if i.basis else ""
        out.append(f"- {i.statement} _[{basis}{refs}]_")
    if not brief.implications:
        out.append("None stated: the source says nothing about what will or may happen next.")
    out.append("")
    out += ["## Sources", ""]
    for s in brief.sources:
        out.append(f"- {s.document} ({s.words} words, {s.chunks} chunk{'s' if s.chunks != 1 else ''})")
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
