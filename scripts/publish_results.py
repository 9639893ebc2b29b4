"""Copy the headline tables of the published runs (eval/results/*/summary.md) into README.md.

Usage: .venv/bin/python scripts/publish_results.py
The runs themselves are made by the commands in eval/results/README.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from readme_sections import update_readme  # scripts/readme_sections.py

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    blocks = []
    for summary in sorted((ROOT / "eval" / "results").glob("*/summary.md")):
        text = summary.read_text(encoding="utf-8").strip()
        text = re.sub(r"^# ", "#### ", text, flags=re.MULTILINE)
        report = summary.parent / "report.html"  # the actors and judgments runs have no HTML report
        blocks.append(f"{text}\n\nFull report: `{report.relative_to(ROOT)}`." if report.is_file() else text)
    body = "### Published results\n\nCommands and details: `eval/results/README.md`.\n\n" + "\n\n".join(blocks)
    update_readme("results", body)
    print(f"README.md: {len(blocks)} result table(s)")


if __name__ == "__main__":
    main()
