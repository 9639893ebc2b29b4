"""The Evaluation tab: the published results in plain words first, then the tables, a glossary,
and the plots with captions. The plain-language summary is computed from each run's
`summary.json`, so it says what the committed numbers say.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

from ..evaluation.results import OURS, RunSummary, Stat, is_rouge_summary, rouge_key

R1 = rouge_key("rouge1")

# Published systems shipped with the FRANK data (../shared/data/README.md), and our baselines.
SYSTEMS = {
    OURS: "this tool's brief (its bottom line)",
    "lead-3": "the first three sentences (a baseline)",
    "lead-1": "the first sentence (a baseline)",
    "each-lead-1": "the first sentence of each document of a pile (a baseline)",
    "bart": "BART-large, a neural summariser",
    "bert_sum": "BertSumAbs, a neural summariser",
    "bus": "Bottom-Up Summarisation, a neural summariser",
    "pgn": "pointer-generator network, a neural summariser",
    "s2s": "sequence-to-sequence network, an early neural summariser",
    "BERTS2S": "BERT encoder with a Transformer decoder, a neural summariser",
    "TConvS2S": "topic-aware convolutional network, a neural summariser",
    "PtGen": "pointer-generator network, a neural summariser",
    "TranS2S": "Transformer sequence-to-sequence, a neural summariser",
}
GLOSSARY = [
    ("R1, R2", "ROUGE-1 and ROUGE-2: how many single words (R1) or word pairs (R2) the summary shares with the "
     "reference summary written by a person, as an F1 score from 0 to 100. Higher is closer."),
    ("RL, RLsum", "ROUGE-L: the longest run of words in the same order in both; RLsum does this sentence by sentence."),
    ("[low, high]", "the 95% confidence interval: where the average would likely fall on other documents of the "
     "same kind. When two systems' intervals overlap, their difference may be chance."),
    ("words", "average length of the summary."),
    ("novel 2-grams %", "share of the summary's word pairs that are not in the document: 0 means copied "
     "sentences; high means rewritten text, which can be wrong in new ways."),
    ("entity precision %", "share of the named things (people, places, organisations, dates, amounts) in the "
     "summary that "
     "also appear in the document. Below 100% means the summary names things the document does not."),
    ("P, R, F1 (actors, judgments)", "precision: share of what the tool listed that the hand annotation "
     "agrees with; recall: share of the annotated answers the tool found; F1: their balance (0 to 100)."),
    ("centrality-k", "the k sentences most similar to the rest of the document (a baseline, no model)."),
    ("pgn, s2s, bart, bert_sum, bus, PtGen, TConvS2S, TranS2S, BERTS2S", "published neural summarisers, each "
     "trained on this kind of news data; their outputs come with the FRANK benchmark and are scored here with "
     "the same code on the same documents."),
]
CAPTIONS = {
    "systems": ("Bar chart of the average ROUGE F1 of each system",
                "Average scores of each system: each bar is a ROUGE F1 score (higher is closer to the reference), "
                "the whiskers its 95% confidence interval."),
    "distribution": ("Box plot of ROUGE-1 per document for each system",
                     "How ROUGE-1 varies from document to document: each box holds the middle half of the documents, "
                     "the line inside is the median and circles are unusual documents."),
    "length": ("Scatter plot of ROUGE-1 against document length",
               "ROUGE-1 against document length, one dot per document, for the first three systems of the table: "
               "whether longer documents get worse summaries."),
}


def _compare(ours: Stat, other: Stat) -> str:
    diff = ours.mean - other.mean
    word = "about the same" if abs(diff) < 1 else ("higher" if diff > 0 else "lower")
    overlap = "overlap" if ours.low <= other.high and other.low <= ours.high else "do not overlap"
    return f"ours is {word} ({diff:+.1f} points; the 95% intervals {overlap})"


def plain_summary(data: dict[str, Any]) -> str:
    """A few lines a newcomer can read, from one run's summary.json (HTML)."""
    about = escape(str(data.get("description", "")).rstrip(". "))
    suite = escape(str(data.get("suite", "")))
    summary = RunSummary.model_validate(data) if is_rouge_summary(data) else None
    scores = summary.ours() if summary else None
    ours = scores.get(R1) if scores else None
    if summary is None or scores is None or ours is None:
        # A suite scored otherwise (actors, judgments): say what it is; its table says the rest.
        return f"<h3>{suite}</h3><p>{about}. Its scores are in the table of that name below.</p>" if about else ""
    systems = summary.systems
    items = [
        f"Our brief's bottom line scores ROUGE-1 <strong>{ours.mean:.1f}</strong> out of 100 "
        f"(95% interval {ours.low:.1f} to {ours.high:.1f})."
    ]
    lead = next((s for s in ("lead-3", "lead-1") if s in systems and systems[s].get(R1)), None)
    if lead:
        other = systems[lead].get(R1)
        assert other is not None
        items.append(f"Simply taking {SYSTEMS[lead].split(' (')[0]} ({lead}) scores {other.mean:.1f}: "
                     f"{_compare(ours, other)}.")
    published = [s for s in systems if s != OURS and "lead-" not in s and not s.startswith("centrality-")]
    scored = [s for s in published if systems[s].get(R1)]
    if scored:
        best = max(scored, key=lambda s: systems[s].mean(R1))
        other = systems[best].get(R1)
        assert other is not None
        items.append(f"The best published system, {escape(best)} ({SYSTEMS.get(best, 'a neural summariser')}), "
                     f"scores {other.mean:.1f}: {_compare(ours, other)}.")
    ep = scores.get("entity_precision")
    if ep:
        items.append(f"{100 * ep.mean:.0f}% of the named things (people, places, dates...) in our bottom lines "
                     "appear in the source document.")
    lis = "".join(f"<li>{item}</li>" for item in items)
    return f"<h3>{suite}: {summary.scored_documents} briefs scored</h3><p>{about}.</p><ul>{lis}</ul>"


def evaluation_intro(results: Path) -> str:
    """HTML: what the published runs say, in plain words, and what the table columns mean."""
    paragraphs = []
    for path in sorted(results.glob("*/summary.json")):
        try:
            text = plain_summary(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if text:
            paragraphs.append(text)
    if not paragraphs:
        return "<p>No published results yet: run <code>brief eval --suite frank-cnndm</code>.</p>"
    terms = "".join(f"<dt>{escape(term)}</dt><dd>{escape(meaning)}</dd>" for term, meaning in GLOSSARY)
    return (
        '<section class="eval-intro" aria-labelledby="eval-title"><h2 id="eval-title">What the published results say'
        f"</h2>{''.join(paragraphs)}<p>The tables below give every score; the plots follow them.</p>"
        '<details class="glossary"><summary>What the columns and names mean</summary>'
        f"<dl>{terms}</dl></details></section>"
    )


def result_tables(results: Path) -> str:
    """The published tables (Markdown files of this repository) of every run and ablation, as HTML.

    Headings move two levels down under the page's own; each table scrolls sideways in a region a
    keyboard can reach (wide tables on a phone).
    """
    from markdown_it import MarkdownIt

    paths = sorted(results.glob("*/summary.md")) + sorted(results.glob("ablation-*.md"))
    paths += sorted(results.glob("selection-*.md"))
    if not paths:
        return ""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    html = md.render("\n\n".join(p.read_text(encoding="utf-8") for p in paths))
    html = re.sub(r"<(/?)h([1-4])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}>", html)
    count = iter(range(1, 1000))
    html = re.sub(r"<table>", lambda _: f'<div class="table-scroll" tabindex="0" role="region" '
                  f'aria-label="Result table {next(count)}"><table>', html)
    html = html.replace("</table>", "</table></div>")
    heading = '<h2 id="tables-title">Tables</h2>'
    return f'<section class="eval-tables" aria-labelledby="tables-title">{heading}{html}</section>'



def plot_figures(results: Path, url: Any) -> str:
    """HTML figures of every run's plots, each with alt text and a caption. `url(path)` serves a file."""
    out = []
    for path in sorted(results.glob("*/plots/*.png")):
        alt, caption = CAPTIONS.get(path.stem, (f"Plot {path.stem}", ""))
        suite = path.parent.parent.name
        out.append(
            f'<figure class="plot"><img src="{escape(url(path))}" alt="{escape(alt)} ({escape(suite)})">'
            f"<figcaption><strong>{escape(suite)}.</strong> {escape(caption)}</figcaption></figure>"
        )
    if not out:
        return ""
    heading = '<h2 id="plots-title">Plots</h2>'
    return f'<section class="plots" aria-labelledby="plots-title">{heading}{"".join(out)}</section>'
