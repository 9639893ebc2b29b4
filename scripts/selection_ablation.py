"""Which sentences should an extractive BLUF take, and how long should it be? Measured on a whole suite.

Usage: .venv/bin/python scripts/selection_ablation.py [--suite frank-cnndm] [--limit N]
Writes eval/results/selection-SUITE.md and .json: ROUGE F1 (x100) of each variant and a paired bootstrap
against Lead-k on the same documents. Every variant goes through the pipeline's own preparation
(`Summariser.prepare`: furniture removed, sentences with their kinds) and the pipeline's one selection
function (`pipeline.bluf_candidates`) with changed settings, so the default row is exactly what runs.
No model call is made (the model's tokenizer only cuts chunks).

Variants:
  lead-k            the first k sentences as spaCy splits them (the suite's baseline)
  default           the pipeline's extract BLUF: salient statements closest to `bluf_words`, tidied
  no-tidy           the same sentences without `shorten.tidy`
  no-centrality     position prior only (salience.centrality = 0)
  no-quote-penalty  direct quotes rank like reported statements
  3-sentences       the 3 most salient statements, no word budget
  position-only-3   the first 3 statements (old default: Lead-3 minus headings and fragments)
  delete-*          rejected compressions: after selection, delete attributions, appositives or
                    non-restrictive relative clauses found by the spaCy parse
  budget-N          the default with bluf_words = N (a sweep), and a 2-fold check: the budget chosen on
                    one half of the documents, scored on the other half
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from summariser.config import Settings, load_settings
from summariser.evaluation.baselines import get_baseline
from summariser.evaluation.scoring import paired_bootstrap, rouge
from summariser.evaluation.suites import Row, iter_rows, load_suite
from summariser.load import Document
from summariser.nlp import Sentence, load_spacy
from summariser.pipeline import Summariser, bluf_candidates
from summariser.shorten import tidy

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("rouge1", "rouge2", "rougeLsum")
BUDGETS = (55, 65, 75, 85, 95)


def _with(settings: Settings, **sections: dict[str, object]) -> Settings:
    data = settings.model_dump()
    for name, values in sections.items():
        data[name] = {**data[name], **values}
    return Settings.model_validate(data)


def _deleting(deps: set[str]) -> Callable[[str], str]:
    """A compression that deletes comma-bounded subtrees with these dependency labels ('appos', 'relcl'),
    or trailing attributions ('..., police said.') with 'attr'."""

    def run(text: str) -> str:
        doc = load_spacy()(text)
        drop: set[int] = set()
        for t in doc:
            if t.dep_ in deps:
                lo, hi = t.left_edge.i, t.right_edge.i + 1
                if lo > 0 and doc[lo - 1].text == "," and (hi >= len(doc) or doc[hi].text in ",.;"):
                    drop.update(range(lo - 1, hi))
            if "attr" in deps and t.dep_ == "ROOT" and t.lemma_ in {"say", "tell", "add", "claim", "report"}:
                comp = [c for c in t.children if c.dep_ in ("ccomp", "parataxis") and c.i < t.i]
                if comp:
                    drop.update(range(comp[0].right_edge.i + 1, len(doc) - (1 if doc[-1].is_punct else 0)))
        out = "".join(t.text_with_ws for t in doc if t.i not in drop)
        out = re.sub(r"\s+([,.;:!?])", r"\1", out).strip()
        return out if len(out.split()) >= 6 else text

    return run


Variant = Callable[[Sequence[Sentence], Row], str]


def variants(settings: Settings, k: int) -> dict[str, Variant]:
    """Name -> function of (prepared sentences, row) -> BLUF text."""
    lead = get_baseline(f"lead-{k}")

    def chosen(s: Settings, finish: Callable[[str], str] = tidy) -> Variant:
        return lambda sentences, row: " ".join(finish(x.text) for x in bluf_candidates(sentences, s))

    out: dict[str, Variant] = {
        f"lead-{k}": lambda sentences, row: lead(row.text),
        "default": chosen(settings),
        "no-tidy": chosen(settings, finish=lambda t: t),
        "no-centrality": chosen(_with(settings, salience={"centrality": 0.0})),
        "no-quote-penalty": chosen(_with(settings, salience={"quote_penalty": 0.0})),
        "3-sentences": chosen(_with(settings, brief={"bluf_words": 400, "bluf_sentences": 3})),
        "position-only-3": chosen(
            _with(settings, brief={"bluf_words": 400, "bluf_sentences": 3}, salience={"centrality": 0.0, "quote_penalty": 0.0})
        ),
    }
    for name, deps in (("delete-attribution", {"attr"}), ("delete-appositive", {"appos"}), ("delete-relative", {"relcl"})):
        cut = _deleting(deps)
        out[name] = chosen(settings, finish=lambda t, cut=cut: tidy(cut(t)))
    for words in BUDGETS:
        out[f"budget-{words}"] = chosen(_with(settings, brief={"bluf_words": words}))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", default="frank-cnndm")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    suite = load_suite(args.suite)
    k = 1 if "xsum" in args.suite else 3
    settings = load_settings()
    summariser = Summariser(settings)
    rows = [r for r in iter_rows(suite) if isinstance(r, Row)][: args.limit]
    table = variants(settings, k)
    scores: dict[str, list[list[float]]] = {name: [] for name in table}
    lengths: dict[str, list[int]] = {name: [] for name in table}
    for n, row in enumerate(rows, 1):
        sentences = summariser.prepare(Document(id=row.id, name=row.id, text=row.text)).sentences
        for name, run in table.items():
            text = run(sentences, row)
            got = rouge(text, row.references, TYPES)
            scores[name].append([100 * got[t].fmeasure for t in TYPES])
            lengths[name].append(len(text.split()))
        if n % 25 == 0:
            print(f"{n}/{len(rows)} documents", flush=True)
    base = np.array(scores[f"lead-{k}"])
    results = []
    for name in table:
        arr = np.array(scores[name])
        deltas = [paired_bootstrap(base[:, i], arr[:, i]) for i in range(len(TYPES))]
        results.append({
            "variant": name,
            "words": float(np.mean(lengths[name])),
            **{t: float(arr[:, i].mean()) for i, t in enumerate(TYPES)},
            **{f"{t}_delta": [d.delta.mean, d.delta.low, d.delta.high] for t, d in zip(TYPES, deltas)},
        })
    # 2-fold check of the budget: pick it on one half (by mean R1+R2+RLsum), score it on the other.
    halves = [list(range(0, len(rows), 2)), list(range(1, len(rows), 2))]
    folds = []
    for pick, test in (halves, halves[::-1]):
        best = max(BUDGETS, key=lambda w: float(np.array(scores[f"budget-{w}"])[pick].sum(axis=1).mean()))
        arr, lead = np.array(scores[f"budget-{best}"])[test], base[test]
        folds.append({"chosen_budget": best, **{t: [float(lead[:, i].mean()), float(arr[:, i].mean())] for i, t in enumerate(TYPES)}})
    out = ROOT / "eval" / "results" / f"selection-{args.suite}"
    out.with_suffix(".json").write_text(json.dumps({"suite": args.suite, "documents": len(rows), "results": results,
                                                    "two_fold": folds}, indent=2) + "\n")
    lines = [
        f"# BLUF selection and length: {args.suite}, {len(rows)} documents",
        "",
        "ROUGE F1 x100 (rouge-score, Porter stemmer; RLsum on sentence lines); delta vs "
        f"lead-{k} with 95% paired-bootstrap interval. Made by `scripts/selection_ablation.py` (variants in its docstring).",
        "",
        "| variant | words | R1 | R2 | RLsum | R1 vs lead | R2 vs lead | RLsum vs lead |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        cells = [f"{r[t]:.2f}" for t in TYPES]
        deltas = ["–" if r["variant"] == f"lead-{k}" else f"{d[0]:+.2f} [{d[1]:+.2f}, {d[2]:+.2f}]"
                  for d in (r[f"{t}_delta"] for t in TYPES)]
        lines.append(f"| {r['variant']} | {r['words']:.0f} | " + " | ".join(cells + deltas) + " |")
    lines += ["", "Two-fold check of the word budget (chosen on one half by mean R1+R2+RLsum, scored on the other):", "",
              "| fold | chosen budget | lead R1 / R2 / RLsum | chosen R1 / R2 / RLsum |", "|---|---|---|---|"]
    for i, f in enumerate(folds, 1):
        lead_cells = " / ".join(f"{f[t][0]:.2f}" for t in TYPES)
        ours = " / ".join(f"{f[t][1]:.2f}" for t in TYPES)
        lines.append(f"| {i} | {f['chosen_budget']} | {lead_cells} | {ours} |")
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
