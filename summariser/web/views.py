"""HTML of the page's live parts: progress, the briefs, key actors, the marked source.

Pure functions of a job's status and its briefs, so they are tested without a browser. Every
piece of document or model text is escaped here: a document is untrusted input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..brief import Brief, Citation
from ..load import Document
from .jobs import Outcome, Status

SOURCE_CHARS = 100_000  # characters of source shown per brief; the brief itself uses all of it

# Plain-language stage names (the pipeline's ProgressEvent.stage values and the job's own states).
STAGES = {
    "reading": "Reading your text and files",
    "waiting": "Waiting: another brief is being written (one at a time)",
    "loading": "Getting the model ready",
    "split": "Splitting the text into passages",
    "prepare": "Finding sentences and names",
    "summarise": {
        "extract": "Choosing the key sentences",
        "compress": "Shortening the key sentences with the model",
        "abstract": "Summarising each passage with the model",
    },
    "merge": "Merging the passage notes into the bottom line",
    "details": "Finding key judgments, actors and implications",
    "done": "Finishing the brief",
}
ACTOR_CLASS = {"person": "person", "organisation": "organisation", "state or place": "place"}


def stage_name(status: Status, mode: str) -> str:
    """What the job is doing now, in words a new user understands."""
    if status.state != "running":
        name = STAGES.get(status.state, "")
        return name if isinstance(name, str) else ""
    entry = STAGES.get(status.stage or "split", STAGES["split"])
    if isinstance(entry, dict):
        return str(entry.get(mode, entry["extract"]))
    return str(entry)


def clock(seconds: float) -> str:
    """Elapsed time as people say it: '4.2 s', '1 min 05 s'."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def _counts(status: Status) -> tuple[int, int, str] | None:
    """(done, total, unit) for a determinate bar, or None while the size of the work is unknown."""
    if status.state != "running" or not status.stage or status.total <= 0:
        return None
    unit = "passages" if status.stage == "prepare" else "model steps"
    return min(status.done, status.total), status.total, unit


def _which(status: Status) -> str:
    """Which brief or document the current step belongs to."""
    if status.combined:
        doc = f" · now: {status.detail}" if status.stage == "prepare" and status.detail else ""
        return f"One combined brief of {status.documents} documents{doc}"
    if status.briefs > 1:
        return f"Brief {status.brief_index + 1} of {status.briefs}"
    return ""


def progress_html(status: Status | None, mode: str = "extract", now: float | None = None) -> str:
    """The progress panel beside the button: stage, a real bar, counts, elapsed time; or the outcome."""
    if status is None:
        return (
            '<div class="progress-panel idle"><p class="progress-head">Ready: paste a document or upload '
            "files, then press <strong>Write brief</strong> (or Ctrl+Enter).</p></div>"
        )
    elapsed = clock(status.elapsed(now))
    briefs = [o for o in status.outcomes if o.brief is not None]
    failed = [o for o in status.outcomes if o.error]
    if status.state == "done":
        what = f"{len(briefs)} briefs" if len(briefs) > 1 else "the brief"
        extra = f" {len(failed)} could not be briefed (listed with the results)." if failed else ""
        return (
            f'<div class="progress-panel done"><p class="progress-head"><span class="icon" aria-hidden="true">✓</span>'
            f" Done in {elapsed}: {what} below.{escape(extra)} <a href=\"#results\">Go to the results</a></p></div>"
        )
    if status.state == "cancelled":
        kept = (
            f" {len(briefs)} finished brief{'s' if len(briefs) != 1 else ''} shown below." if briefs else ""
        )
        return (
            f'<div class="progress-panel cancelled"><p class="progress-head">Cancelled after {elapsed}.{kept}</p></div>'
        )
    if status.state == "error":
        return (
            '<div class="progress-panel error" role="alert"><p class="progress-head"><strong>Could not write the '
            f"brief:</strong> {escape(status.error)}</p></div>"
        )
    head = stage_name(status, mode)
    if status.cancel_requested:
        head = "Cancelling: stopping at the next step…"
    counts = _counts(status)
    if counts:
        done, total, unit = counts
        pct = 100.0 * done / total
        bar = (
            f'<div class="bar" role="progressbar" aria-label="{escape(head)}" aria-valuemin="0" '
            f'aria-valuemax="{total}" aria-valuenow="{done}" aria-valuetext="{done} of {total} {unit}">'
            f'<div class="fill" style="width:{pct:.1f}%"></div></div>'
        )
        count_text = f"{done} of {total} {unit}"
    else:
        bar = (f'<div class="bar indeterminate" role="progressbar" aria-label="{escape(head)}">'
               '<div class="fill"></div></div>')
        count_text = ""
    detail = " · ".join(x for x in (count_text, _which(status)) if x)
    return (
        f'<div class="progress-panel running"><p class="progress-head"><span class="stage">{escape(head)}</span>'
        f'<span class="elapsed">{elapsed}</span></p>{bar}<p class="progress-detail">{escape(detail)}</p></div>'
    )


def live_text(status: Status | None, mode: str = "extract") -> str:
    """The short status read out by screen readers: it changes with the stage, not every tick."""
    if status is None:
        return "Ready."
    if status.state == "done":
        return "Done. The results are below."
    if status.state == "cancelled":
        return "Cancelled."
    if status.state == "error":
        return f"Could not write the brief: {status.error}"
    if status.cancel_requested:
        return "Cancelling."
    which = _which(status) if not status.combined else ""
    return f"{stage_name(status, mode)}{'. ' + which if which else ''}."


def notes_html(notes: Sequence[str]) -> str:
    """Model notes streamed while the brief is written, labelled for what they are."""
    if not notes:
        return ""
    items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return (
        '<section class="draft-notes" aria-labelledby="notes-title"><h2 id="notes-title">Draft notes '
        '<span class="badge unchecked">unchecked</span></h2><p class="hint">The model\'s raw notes on each passage '
        "as they arrive. They are not yet checked against the source and may be wrong; the brief replaces them "
        f"when it is done.</p><ol>{items}</ol></section>"
    )


# -- the briefs ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Anchors:
    """Ids of the cited sentences of one brief: `b{brief}-d{document}-s{sentence}`."""

    brief: int
    names: tuple[str, ...]  # document names in the brief's order

    def doc(self, citation: Citation) -> int:
        return self.names.index(citation.document) if citation.document in self.names else 0

    def of(self, citation: Citation) -> str:
        return f"b{self.brief}-d{self.doc(citation)}-s{citation.sentence}"


def _cite_links(citations: Sequence[Citation], anchors: Anchors) -> str:
    links = ", ".join(
        f'<a class="cite" href="#{anchors.of(c)}" title="Show this sentence in the source">'
        f"{escape(c.document)} §{c.sentence}</a>"
        for c in citations
    )
    return f' <span class="cites">[{links}]</span>'


def actors_html(brief: Brief, anchors: Anchors) -> str:
    """Key actors as cards: name, type in words, role, mentions, the source sentence on demand."""
    if not brief.key_actors:
        return '<p class="hint">No people, organisations or states were found.</p>'
    cards = []
    for a in brief.key_actors:
        kind = ACTOR_CLASS.get(a.type, "place")
        times = "once" if a.mentions == 1 else f"{a.mentions} times"
        cards.append(
            f'<li class="actor-card"><p class="actor-name"><strong>{escape(a.name)}</strong> '
            f'<span class="type-badge {kind}">{escape(a.type)}</span></p>'
            f'<p class="actor-role">{escape(a.role)}</p>'
            f'<p class="actor-meta">Named {times} · <a class="cite" href="#{anchors.of(a.evidence)}">'
            f"{escape(a.evidence.document)} §{a.evidence.sentence}</a></p>"
            "<details><summary>Source sentence</summary>"
            f"<blockquote>{escape(a.evidence.text)}</blockquote></details></li>"
        )
    return f'<ul class="actors" role="list">{"".join(cards)}</ul>'


def _actor_names(brief: Brief) -> dict[str, str]:
    """Names to mark in the source, with their type; a person's surname alone counts too."""
    names: dict[str, str] = {a.name: a.type for a in brief.key_actors}
    for name, kind in list(names.items()):
        last = name.split()[-1]
        if kind == "person" and len(name.split()) > 1 and last not in names:
            names[last] = kind  # 'Erdogan' after 'Recep Tayyip Erdogan'
    return names


def _sentence_span(text: str, sentence: str, start: int = 0) -> tuple[int, int] | None:
    """Where a (whitespace-normalised) sentence occurs in the raw text."""
    words = sentence.split()
    if not words:
        return None
    match = re.compile(r"\s+".join(re.escape(w) for w in words)).search(text, start)
    return (match.start(), match.end()) if match else None


def mark_text(text: str, names: dict[str, str], cited: dict[tuple[int, int], tuple[str, str]] | None = None) -> str:
    """Escaped text with actor mentions and cited sentences marked (whole words only).

    `cited` maps (start, end) spans to (anchor id, label). Marks carry a pattern and a hidden text
    label as well as a colour, so they do not rely on colour alone.
    """
    # (position, order, html): at one position inner marks close first, then outer ones, then opens
    tags: list[tuple[int, int, str]] = []
    spans = sorted((cited or {}).items())
    for (start, end), (anchor, label) in spans:
        opening = f'<span class="cited" id="{anchor}" tabindex="-1"><span class="cite-tag">{escape(label)}</span> '
        tags.append((start, 2, opening))
        tags.append((end, 1, "</span>"))
    if names:
        # Whole words only: 'Armenia' must not light up inside 'Armenian'.
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        for match in re.finditer(rf"\b(?:{alternatives})\b", text):
            a, b = match.span()
            if not all(b <= s or a >= e or s <= a and b <= e for (s, e), _ in spans):
                continue  # a mention across a cited sentence's edge would break the nesting
            kind = names[match.group()]
            css = ACTOR_CLASS.get(kind, "place")
            tags.append((a, 3, f'<mark class="actor {css}" title="{escape(kind)}">'))
            tags.append((b, 0, f'<span class="sr-only"> ({escape(kind)})</span></mark>'))
    tags.sort(key=lambda t: (t[0], t[1]))
    out, at = [], 0
    for position, _, html in tags:
        out.append(escape(text[at:position]))
        out.append(html)
        at = position
    out.append(escape(text[at:]))
    return "".join(out)


LEGEND = (
    '<p class="legend"><span class="legend-label">Marked:</span> <mark class="actor person">person</mark> '
    '<mark class="actor organisation">organisation</mark> <mark class="actor place">state or place</mark> '
    '<span class="cited"><span class="cite-tag">§ 4</span> a sentence the brief cites</span></p>'
)


def source_html(brief: Brief, docs: Sequence[Document], anchors: Anchors, limit: int = SOURCE_CHARS) -> str:
    """The source as flowing text with actors and cited sentences marked, and a note if cut short."""
    names = _actor_names(brief)
    citations = [c for j in brief.key_judgments for c in j.citations]
    citations += [c for i in brief.implications for c in i.citations] + [a.evidence for a in brief.key_actors]
    per_doc = max(limit // max(1, len(docs)), min(limit, 20_000))  # several documents share the room
    parts = [LEGEND]
    for d, doc in enumerate(docs):
        text = doc.text
        cut = text.rfind(" ", 0, per_doc)
        shown = text if len(text) <= per_doc else text[: cut if cut > 0 else per_doc]  # at a word boundary
        cited: dict[tuple[int, int], tuple[str, str]] = {}
        later: list[tuple[str, str, str]] = []
        mine = {(c.sentence, c.text): c for c in citations if anchors.doc(c) == d}  # each sentence once
        for c in sorted(mine.values(), key=lambda c: c.sentence):
            anchor = anchors.of(c)
            span = _sentence_span(text, c.text)
            if span and span[1] <= len(shown):
                if not any(s < span[1] and span[0] < e for s, e in cited):
                    cited[span] = (anchor, f"§ {c.sentence}")
            else:
                later.append((anchor, f"§ {c.sentence}", c.text))
        heading = f'<h4 class="doc-name">{escape(doc.name)}</h4>' if len(docs) > 1 else ""
        label = escape(f"Source text: {doc.name}", quote=True)
        # Focusable: a keyboard user can scroll the box (WCAG 2.1.1).
        marked = mark_text(shown, names, cited)
        body = f'<div class="source-text" tabindex="0" role="region" aria-label="{label}">{marked}</div>'
        note = ""
        if len(shown) < len(text):
            shown_words, words = len(shown.split()), len(text.split())
            note = (
                f'<p class="truncated" role="note"><strong>The text is cut here.</strong> Shown: the first '
                f"{len(shown):,} of {len(text):,} characters (about {shown_words:,} of {words:,} words). The brief was "
                "made from the whole text."
                + (" The cited sentences from the rest follow." if later else "")
                + "</p>"
            )
            note += "".join(
                f'<p class="source-text later"><span class="cited" id="{anchor}" tabindex="-1">'
                f'<span class="cite-tag">{escape(label)}</span> {mark_text(sentence, names)}</span></p>'
                for anchor, label, sentence in later
            )
        parts.append(heading + body + note)
    return "".join(parts)


def _scores_html(scores: dict[str, tuple[float, float, float]]) -> str:
    rows = "".join(
        f"<tr><th scope=\"row\">{escape(name)}</th><td>{p:.1f}</td><td>{r:.1f}</td><td>{f:.1f}</td></tr>"
        for name, (p, r, f) in scores.items()
    )
    return (
        '<section class="scores"><h3>Compared with your reference summary</h3><p class="hint">ROUGE counts the words '
        "and word pairs the bottom line shares with your reference (0 to 100; higher means closer). Precision: "
        "share of the bottom line found in the reference; recall: share of the reference found in the bottom "
        "line; F1: their balance.</p><table><thead><tr><th scope=\"col\">measure</th><th scope=\"col\">precision</th>"
        f"<th scope=\"col\">recall</th><th scope=\"col\">F1</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def brief_html(
    brief: Brief,
    docs: Sequence[Document],
    index: int = 0,
    of: int = 1,
    scores: dict[str, tuple[float, float, float]] | None = None,
) -> str:
    """One brief as an article: BLUF, judgments, actors, implications, sources, checks, source."""
    anchors = Anchors(index, tuple(d.name for d in docs))
    tid = f"brief-{index}-title"
    out = [f'<article class="brief-card" id="brief-{index}" aria-labelledby="{tid}">']
    if of > 1 or len(docs) > 1:
        origin = docs[0].name if len(docs) == 1 else f"{len(docs)} documents together"
        out.append(f'<p class="kicker">Brief {index + 1} of {of} · {escape(origin)}</p>')
    out.append(f'<h2 id="{tid}">{escape(brief.title)}</h2>')
    out.append(f"<h3>Bottom line up front</h3><p class=\"bluf\">{escape(brief.bluf)}</p>")
    if scores:
        out.append(_scores_html(scores))
    if brief.key_judgments:
        items = "".join(
            f"<li>We judge it <strong>{escape(j.likelihood)}</strong> ({escape(j.confidence)} confidence): "
            f"{escape(j.statement)}{_cite_links(j.citations, anchors)}</li>"
            for j in brief.key_judgments
        )
        out.append(f'<h3>Key judgments</h3><ul class="judgments">{items}</ul>')
    out.append(f"<h3>Key actors</h3>{actors_html(brief, anchors)}")
    if brief.implications:
        items = "".join(
            f"<li>{escape(i.statement)}{_cite_links(i.citations, anchors)}</li>" for i in brief.implications
        )
        out.append(f"<h3>Implications</h3><ul>{items}</ul>")
    sources = "".join(
        f"<li>{escape(s.document)} ({s.words:,} words, {s.chunks} passage{'s' if s.chunks != 1 else ''})</li>"
        for s in brief.sources
    )
    out.append(f"<h3>Sources</h3><ul>{sources}</ul>")
    p = brief.provenance
    gen = p.settings.get("generation", {})
    seed = gen.get("seed") if isinstance(gen, dict) else None
    out.append(
        f'<p class="provenance">Written by {escape(p.model)} via {escape(p.backend)}; seed {seed}; '
        f"{p.seconds:.1f} s; summariser {escape(p.version)}.</p>"
    )
    if brief.warnings:
        items = "".join(f"<li>{escape(w)}</li>" for w in brief.warnings)
        out.append(
            f'<details class="checks"><summary>What the checks changed ({len(brief.warnings)})</summary>'
            f"<ul>{items}</ul></details>"
        )
    opened = " open" if of == 1 else ""
    out.append(
        f'<details class="source"{opened}><summary>Source text, with the actors and cited sentences marked</summary>'
        f"{source_html(brief, docs, anchors)}</details>"
    )
    out.append("</article>")
    return "".join(out)


def results_html(outcomes: Sequence[Outcome], scores: dict[str, tuple[float, float, float]] | None = None) -> str:
    """Every brief of a job (with a list of them when there are several) and what could not be briefed."""
    briefs = [o for o in outcomes if o.brief is not None]
    failed = [o for o in outcomes if o.error]
    out = []
    if len(briefs) > 1:
        items = "".join(
            f'<li><a href="#brief-{i}">{escape(o.brief.title)}</a> <span class="from">({escape(o.name)})</span></li>'
            for i, o in enumerate(briefs)
            if o.brief is not None
        )
        out.append(f'<nav class="brief-list" aria-label="Briefs"><h2>{len(briefs)} briefs</h2><ol>{items}</ol></nav>')
    if failed:
        items = "".join(f"<li><strong>{escape(o.name)}</strong>: {escape(o.error or '')}</li>" for o in failed)
        out.append(f'<section class="failed"><h2>Could not be briefed</h2><ul>{items}</ul></section>')
    for i, o in enumerate(briefs):
        assert o.brief is not None
        out.append(brief_html(o.brief, o.documents, i, len(briefs), scores if len(briefs) == 1 else None))
    return "".join(out)


def previous_html(previous: str, why: str) -> str:
    """Earlier results kept on the page, clearly marked as such."""
    if not previous:
        return ""
    return (
        '<div class="previous"><p class="previous-banner" role="note">'
        f"<strong>Previous result.</strong> {escape(why)}</p>"
        f"{previous}</div>"
    )
