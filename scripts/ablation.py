"""Ablation: one row per pipeline design, scored in the same way on the same documents.

Usage: .venv/bin/python scripts/ablation.py [--suite frank-cnndm] [--limit 40] [--only NAME ...]
Writes eval/results/ablation-SUITE.md and .json. Briefs are cached, so re-running only adds rows.
Variants are BLUF-only (details off) so each row costs what its BLUF costs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from summariser.config import load_settings
from summariser.evaluation.results import OURS
from summariser.evaluation.runner import run_suite
from summariser.evaluation.suites import load_suite
from summariser.paths import default_cache_dir

ROOT = Path(__file__).resolve().parents[1]

VARIANTS: dict[str, tuple[str, dict]] = {
    "extract": ("the default for the 135M model: salient statements closest to 75 words (salience.py), no model",
                {"brief": {"bluf_mode": "extract"}}),
    "compress": ("the model shortens each of those sentences, checked (fallback: the sentence)",
                 {"brief": {"bluf_mode": "compress"}}),
    "abstract": ("the model summarises the 5 most salient sentences per chunk, map-reduce, checked",
                 {"brief": {"bluf_mode": "abstract"}}),
    "extract-50w": ("as extract with a 50-word budget (a shorter BLUF), no model",
                    {"brief": {"bluf_mode": "extract", "bluf_words": 50}}),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", default="frank-cnndm")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    suite = load_suite(args.suite).model_copy(update={"limit": args.limit})
    out_json = ROOT / "eval" / "results" / f"ablation-{args.suite}.json"
    table = json.loads(out_json.read_text()) if out_json.exists() else {}
    for name, (description, overrides) in VARIANTS.items():
        if args.only and name not in args.only:
            continue
        sections = {k: dict(v) for k, v in overrides.items()}
        sections.setdefault("brief", {})["details"] = False
        settings = load_settings(**sections)
        result = run_suite(suite, settings, ROOT / "runs" / "ablation" / args.suite / name,
                           default_cache_dir() / "briefs")
        systems = result.scores.systems
        ours = systems[OURS]
        ep = ours.get("entity_precision")
        table[name] = {"description": description, "n": ours.n, **{
            k: ours.mean(k) for k in ("rouge1_f", "rouge2_f", "rougeLsum_f", "words", "seconds")
        }, "entity_precision": ep.mean if ep else None}
        lead = suite.baselines[0]
        ep = systems[lead].get("entity_precision")
        table[lead] = {"description": "baseline, same documents", "n": systems[lead].n,
                       **{k: systems[lead].mean(k) for k in ("rouge1_f", "rouge2_f", "rougeLsum_f", "words")},
                       "entity_precision": ep.mean if ep else None, "seconds": 0.0}
        print(name, {k: table[name][k] for k in ("rouge1_f", "rouge2_f", "rougeLsum_f", "seconds")}, flush=True)
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(table, indent=2) + "\n")
    lines = [f"# Ablation on {args.suite}, first {args.limit} documents (BLUF vs reference, F1 x100)", "",
             "| variant | what | R1 | R2 | RLsum | words | entity precision % | s/doc (BLUF only) |",
             "|---|---|---|---|---|---|---|---|"]
    for name, row in table.items():
        ep = "–" if row.get("entity_precision") is None else f"{100 * row['entity_precision']:.1f}"
        lines.append(f"| {name} | {row['description']} | {row['rouge1_f']:.1f} | {row['rouge2_f']:.1f} | "
                     f"{row['rougeLsum_f']:.1f} | {row['words']:.0f} | {ep} | {row['seconds']:.1f} |")
    (out_json.with_suffix(".md")).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
