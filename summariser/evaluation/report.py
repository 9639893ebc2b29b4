"""Reports of a run: a Markdown table and a self-contained HTML page with plots."""

from __future__ import annotations

import base64
import html
import io
from typing import Any

from .results import F1_KEYS, OURS, RunSummary, SystemScores, rouge_key

HEADLINE = (rouge_key("rouge1"), rouge_key("rouge2"), rouge_key("rougeLsum"))
LABELS = dict(zip(F1_KEYS, ("R1", "R2", "RL", "RLsum")))


def _furniture(stats: SystemScores) -> str:
    """'page furniture: 0 sentences in 250 summaries' (captions, headings, bylines; metrics.furniture)."""
    cell = stats.get("furniture")
    if not cell:
        return "page furniture: not measured"
    total = round(cell.mean * cell.n)
    return f"page furniture (captions, headings, bylines): {total} sentence{'s' if total != 1 else ''} in {cell.n} summaries"


def _cell(stats: SystemScores, key: str, scale: float = 1.0, digits: int = 1) -> str:
    s = stats.get(key)
    if s is None:
        return "–"
    return f"{s.mean * scale:.{digits}f} [{s.low * scale:.{digits}f}, {s.high * scale:.{digits}f}]"


def markdown_table(summary: RunSummary | dict[str, Any]) -> str:
    """The headline table: F1 x100 with 95% intervals, and the side measures, one row per system."""
    if isinstance(summary, dict):
        if summary.get("kind") == "actors":
            return actors_table(summary)
        if summary.get("kind") == "judgments":
            return judgments_table(summary)
        summary = RunSummary.model_validate(summary)
    systems = summary.systems.values()
    types = [t for t in F1_KEYS if any(s.get(t) for s in systems)]
    covered = any(s.get("coverage") for s in systems)
    head = ["system", *(LABELS[t] for t in types), "words", "novel 2-grams %", "entity precision %"]
    head += ["coverage %"] if covered else []
    unit = "piles" if summary.kind == "pile" else "documents"
    lines = [
        f"# {summary.suite}: {summary.scored_documents} {unit}, scored part: {summary.scored_part}",
        "",
        f"Model: {summary.model}. {summary.rouge}. {summary.ci}.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for name in summary.order():
        s = summary.systems[name]
        row = [f"**{name}**" if name == OURS else name]
        row += [_cell(s, t) for t in types]
        row += [_cell(s, "words", digits=0), _cell(s, "novel_bigrams", 100), _cell(s, "entity_precision", 100)]
        row += [_cell(s, "coverage", 100)] if covered else []
        lines.append("| " + " | ".join(row) + " |")
    ours = summary.ours()
    if ours:
        lines += [
            "",
            f"Whole-brief entity precision: {_cell(ours, 'brief_entity_precision', 100)} %; "
            f"actor grounding: {_cell(ours, 'actor_grounding', 100)} %; "
            f"seconds per brief: {_cell(ours, 'seconds')}; "
            f"{_furniture(ours)}.",
        ]
    if summary.coverage:
        lines += ["", f"Coverage: {summary.coverage}."]
    if summary.multi_reference:
        lines += ["", f"Several references per document: {summary.multi_reference}."]
    if summary.failures:
        lines += ["", f"{len(summary.failures)} row(s) not scored (see summary.json, `failures`)."]
    lines += ["", f"Wall time {summary.wall_seconds} s ({summary.generated_briefs} briefs generated, the rest cached).", ""]
    return "\n".join(lines)


def _prf_cell(stats: dict[str, Any]) -> str:
    return f"{stats['mean']:.2f} [{stats['low']:.2f}, {stats['high']:.2f}]"


def actors_table(summary: dict[str, Any]) -> str:
    """The actors suite: strict and lenient micro P/R/F1 and main-subject recall, per split."""
    head = ["split", "docs", "strict P", "strict R", "strict F1", "lenient P", "lenient R", "lenient F1",
            "main subject listed", "actors per brief", "key actors per doc"]
    lines = [
        f"# {summary['suite']}: key actors of {summary['scored_documents']} briefs against the hand-annotated gold",
        "",
        f"Model: {summary['model']}. Micro-averaged over actors; {summary['ci']}. "
        f"Strict: name (via aliases) and type must match a key actor. Lenient: name only, and a listed "
        f"minor entity is not an error. Matching: {summary['matching']}.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for split, st in summary["splits"].items():
        row = [split, str(st["documents"])]
        row += [_prf_cell(st[mode][m]) for mode in ("strict", "lenient") for m in ("precision", "recall", "f1")]
        main = st["main_subject_recall"]
        row += [f"{_prf_cell(main)} (n={main['n']})", f"{st['predicted_per_document']:.1f}",
                f"{st['key_per_document']:.1f}"]
        lines.append("| " + " | ".join(row) + " |")
    everything = summary["splits"]["all"]
    reasons = ", ".join(f"{k}: {v}" for k, v in everything["strict_false_positives_by_reason"].items())
    lines += ["", f"Strict false positives by reason (all): {reasons or 'none'}."]
    if everything["main_subject_missed"]:
        lines += ["", f"Main subject missing from: {', '.join(everything['main_subject_missed'])}."]
    if summary["failures"]:
        lines += ["", f"{len(summary['failures'])} row(s) not scored (see summary.json, `failures`)."]
    lines += ["", f"Wall time {summary['wall_seconds']} s ({summary['generated_briefs']} briefs generated, "
              "the rest cached).", ""]
    return "\n".join(lines)


def judgments_table(summary: dict[str, Any]) -> str:
    """The judgments check: precision, recall and F1 of each classifier, per split."""
    lines = [
        f"# {summary['suite']}: {summary['sentences']} hand-labelled sentences",
        "",
        f"A judgment is a sentence of kind {', '.join(summary['judgment_kinds'])}. {summary['ci']}.",
        "",
        "| target | classifier | split | P | R | F1 | TP/FP/FN |",
        "|---|---|---|---|---|---|---|",
    ]
    for target, res in summary["results"].items():
        if res.get("missing"):
            lines.append(f"| {target} | `{res['classifier']}` (not found) | – | – | – | – | – |")
            continue
        for split, st in res["splits"].items():
            lines.append(f"| {target} | `{res['classifier']}` | {split} | {_prf_cell(st['precision'])} | "
                         f"{_prf_cell(st['recall'])} | {_prf_cell(st['f1'])} | {st['tp']}/{st['fp']}/{st['fn']} |")
    lines += ["", "Share of sentences called positive, by gold kind (all splits):", "",
              "| target | " + " | ".join(summary["labels"]["all"]) + " |",
              "|---|" + "---|" * len(summary["labels"]["all"])]
    for target, res in summary["results"].items():
        if not res.get("missing"):
            rates = res["positive_by_kind"]
            cells = [f"{rates[k]['positive']:.2f} (n={rates[k]['n']})" if k in rates else "–"
                     for k in summary["labels"]["all"]]
            lines.append(f"| {target} | " + " | ".join(cells) + " |")
    if summary["failures"]:
        lines += ["", f"{len(summary['failures'])} row(s) not scored (see summary.json, `failures`)."]
    return "\n".join(lines) + "\n"


def _png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def plots(summary: RunSummary, records: list[dict[str, Any]]) -> dict[str, str]:
    """Base64 PNG plots: system comparison with CIs, score distributions, score vs length."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    order = summary.order()
    out: dict[str, str] = {}
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / len(HEADLINE)
    for i, key in enumerate(HEADLINE):
        stats = [summary.systems[s].get(key) for s in order]
        means = [st.mean if st else 0 for st in stats]
        errs = [[m - st.low if st else 0 for m, st in zip(means, stats)], [st.high - m if st else 0 for m, st in zip(means, stats)]]
        ax.bar([x + i * width for x in range(len(order))], means, width, yerr=errs, capsize=3, label=LABELS[key])
    ax.set_xticks([x + width for x in range(len(order))], order, rotation=30, ha="right")
    ax.set_ylabel("F1 x100 (95% CI)")
    ax.legend()
    out["systems"] = _png(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(9, 4))
    data = [[r["rouge1_f"] for r in records if r["system"] == s and "rouge1_f" in r] for s in order]
    ax.boxplot(data, tick_labels=order)
    ax.set_ylabel("ROUGE-1 F1 per document")
    ax.tick_params(axis="x", rotation=30)
    out["distribution"] = _png(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(9, 4))
    for s in order[:3]:
        pts = [(r["source_words"], r["rouge1_f"]) for r in records if r["system"] == s and "rouge1_f" in r]
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=10, alpha=0.6, label=s)
    ax.set_xlabel("document length (words)")
    ax.set_ylabel("ROUGE-1 F1")
    ax.legend()
    out["length"] = _png(fig)
    plt.close(fig)
    return out


def html_report(summary: RunSummary, records: list[dict[str, Any]], images: dict[str, str] | None = None) -> str:
    """A self-contained HTML page: the table, the plots and the worst documents for ours."""
    import markdown_it

    images_b64 = images if images is not None else plots(summary, records)
    table = markdown_it.MarkdownIt("commonmark").enable("table").render(markdown_table(summary))
    figures = "".join(
        f'<figure><img alt="{html.escape(name)}" src="data:image/png;base64,{data}"><figcaption>{html.escape(caption)}</figcaption></figure>'
        for (name, data), caption in zip(
            images_b64.items(),
            ["Systems compared (F1 x100, 95% CI)", "Distribution of ROUGE-1 per document", "ROUGE-1 vs document length"],
        )
    )
    ours = sorted((r for r in records if r["system"] == OURS), key=lambda r: r.get("rouge1_f", 0))[:10]
    worst = "".join(
        f"<tr><td>{html.escape(r['id'])}</td><td>{r.get('rouge1_f', 0):.1f}</td><td>{html.escape(r['summary'])}</td></tr>"
        for r in ours
    )
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(summary.suite)} evaluation</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;font-size:14px}}figure{{margin:1em 0}}</style></head><body>
{table}{figures}<h2>Lowest ROUGE-1 documents (ours)</h2><table><tr><th>id</th><th>R1</th><th>BLUF</th></tr>{worst}</table>
</body></html>
"""
