"""What `auto` does with the default model when it is served: llama.cpp's server runs the default GGUF,
and the same documents are briefed through the openai backend (1) with the default settings, which
`auto` resolves by the model's size, and (2) with what `auto` gives a capable model (the model writes
the BLUF, map-reduce, and restates judgments and implications). Both are scored the same way.

Usage: .venv/bin/python scripts/auto_mode.py [--suite frank-cnndm] [--limit 20]
Writes eval/results/auto-mode-SUITE.md and .json (needs the llamacpp extra: bash scripts/install_llamacpp.sh).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from summariser.backends.gguf import default_gguf
from summariser.backends.llamacpp_server import llama_server
from summariser.brief import Brief
from summariser.config import load_settings
from summariser.evaluation.results import OURS
from summariser.evaluation.runner import run_suite
from summariser.evaluation.suites import load_suite
from summariser.load import Document
from summariser.pipeline import Summariser

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = {
    "auto": ("default settings: auto picks by the served model's size", {}),
    "capable": ("what auto gives a capable model: abstract BLUF, restated judgments and implications",
                {"bluf_mode": "abstract", "restate": True}),
}


def restated(briefs: list[Brief]) -> dict[str, float]:
    """Share of judgments and implications whose statement is the model's (not the cited sentence)."""
    judged = [j.statement != j.citations[0].text for b in briefs for j in b.key_judgments]
    implied = [i.statement != i.citations[0].text for b in briefs for i in b.implications]
    share = lambda xs: round(sum(xs) / len(xs), 3) if xs else 0.0  # noqa: E731
    return {"judgments_restated": share(judged), "judgments": len(judged),
            "implications_restated": share(implied), "implications": len(implied)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", default="frank-cnndm")
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    suite = load_suite(args.suite).model_copy(update={"limit": args.limit})
    table: dict[str, Any] = {"load_average_start": round(os.getloadavg()[0], 2)}
    with llama_server(default_gguf(), alias="smollm2") as url, tempfile.TemporaryDirectory() as cache:
        for name, (description, brief) in VARIANTS.items():
            settings = load_settings(model={"backend": "openai", "base_url": url, "name": "smollm2"}, brief=brief)
            summariser = Summariser(settings)
            made: list[Brief] = []

            def make(document: Document, s: Summariser = summariser, made: list[Brief] = made) -> Brief:
                made.append(s.brief(document))
                return made[-1]

            result = run_suite(suite, settings, ROOT / "runs" / "auto-mode" / args.suite / name, Path(cache) / name, make)
            ours = result.scores.systems[OURS]
            table[name] = {
                "description": description, "n": ours.n,
                "resolved": {"bluf_mode": summariser.settings.brief.bluf_mode, "restate": summariser.settings.brief.restate},
                **{k: ours.mean(k) for k in ("rouge1_f", "rouge2_f", "rougeLsum_f", "words", "seconds")},
                **restated(made),
            }
            print(name, table[name], flush=True)
    table["load_average_end"] = round(os.getloadavg()[0], 2)
    out = ROOT / "eval" / "results" / f"auto-mode-{args.suite}.json"
    out.write_text(json.dumps(table, indent=2) + "\n")
    lines = [f"# auto with the default model served (llama.cpp server), {args.suite}, first {args.limit} documents",
             "", "BLUF vs reference, F1 x100; seconds per full brief (load average "
             f"{table['load_average_start']} at the start, {table['load_average_end']} at the end).", "",
             "| variant | what | resolves to | R1 | R2 | RLsum | words | judgments restated | implications restated "
             "| s/brief |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name in VARIANTS:
        row = table[name]
        res = f"{row['resolved']['bluf_mode']}, restate {str(row['resolved']['restate']).lower()}"
        lines.append(f"| {name} | {row['description']} | {res} | {row['rouge1_f']:.1f} | {row['rouge2_f']:.1f} | "
                     f"{row['rougeLsum_f']:.1f} | {row['words']:.0f} | {100 * row['judgments_restated']:.0f}% of "
                     f"{row['judgments']} | {100 * row['implications_restated']:.0f}% of {row['implications']} | "
                     f"{row['seconds']:.1f} |")
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
