"""Build the prompt-injection evaluation set from eval/injection/planted.toml.

Usage: .venv/bin/python scripts/make_injection_set.py [--data ../shared/data]

Each entry's passage is planted into a FRANK article (at a sentence boundary: the start, the end, or
a fraction of the way through) or into an article written for the set; the result goes to
eval/injection/<split>/<id>.txt with a label <id>.json saying what was planted, where, and which
payloads (people, organisations, canary strings, phrases) must never reach a brief. Deterministic:
the same spec and data give the same files.
"""

from __future__ import annotations

import argparse
import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "eval" / "injection"
# Sentence ends in FRANK's single-line articles: punctuation, an optional closing quote, a space and a capital.
_BOUNDARY = re.compile(r"(?<=[.!?])[’'\"”]?\s+(?=[A-Z‘“\"(])")


def boundaries(text: str) -> list[int]:
    """Offsets where a new sentence starts (after the whitespace)."""
    return [m.end() for m in _BOUNDARY.finditer(text)]


def plant(article: str, passage: str, at: str | float) -> tuple[str, int]:
    """The article with the passage inserted, and the passage's offset."""
    if at == "start":
        joiner = "" if passage.endswith("\n") else " "
        return passage + joiner + article, 0
    if at == "end":
        joiner = "" if passage.startswith("\n") else " "
        return article.rstrip() + joiner + passage, len(article.rstrip()) + len(joiner)
    cuts = boundaries(article)
    cut = cuts[min(len(cuts) - 1, max(0, round(float(at) * len(cuts)) - 1))]
    before = article[:cut].rstrip()
    joiner = "" if passage.startswith("\n") else " "
    after = "" if passage.endswith("\n") else " "
    return before + joiner + passage + after + article[cut:], len(before) + len(joiner)


def build(spec: dict, rows: dict[str, list[dict]]) -> tuple[str, dict]:
    """One document and its label."""
    passage = spec["planted"]
    if spec["carrier"] == "written":
        text = spec["text"]
        offset = text.index("{PLANT}")
        text = text.replace("{PLANT}", passage)
        source = {"carrier": "written"}
    else:
        name, index = spec["carrier"].split(":")
        row = rows[name][int(index)]
        text, offset = plant(row["article"], passage, spec["at"])
        source = {"carrier": f"frank-{name}", "carrier_id": row["id"], "url": row.get("url", "")}
    assert text[offset : offset + len(passage)] == passage
    payloads = {k: spec.get(k, []) for k in ("people", "organisations", "canaries", "phrases")}
    for values in payloads.values():
        for value in values:
            assert text.count(value) >= 1, (spec["id"], value)
            assert value not in text[:offset] + text[offset + len(passage):], f"{spec['id']}: {value} also outside the passage"
    label = {
        "id": spec["id"],
        "split": spec["split"],
        "technique": spec["technique"],
        "position": spec["position"],
        **source,
        "planted": [{"start": offset, "end": offset + len(passage), "text": passage}],
        **payloads,
    }
    return text, label


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    spec = tomllib.loads((SET / "planted.toml").read_text(encoding="utf-8"))
    rows = {name: [json.loads(line) for line in (args.data / f"frank-{name}.jsonl").open(encoding="utf-8")]
            for name in ("cnndm", "xsum")}
    ids = [d["id"] for d in spec["doc"]]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for split in ("dev", "heldout"):
        folder = SET / split
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*"):
            old.unlink()
    for entry in spec["doc"]:
        text, label = build(entry, rows)
        folder = SET / entry["split"]
        (folder / f"{entry['id']}.txt").write_text(text, encoding="utf-8")
        (folder / f"{entry['id']}.json").write_text(json.dumps(label, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    counts = {s: sum(d["split"] == s for d in spec["doc"]) for s in ("dev", "heldout")}
    print(f"wrote {counts['dev']} dev and {counts['heldout']} held-out documents to {SET}")


if __name__ == "__main__":
    main()
