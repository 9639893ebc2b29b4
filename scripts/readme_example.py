"""Regenerate the example brief in README.md from a real run on the seed document.

Usage: .venv/bin/python scripts/readme_example.py   (uses the default model and settings)
"""

from __future__ import annotations

import re
from pathlib import Path

from readme_sections import update_readme  # scripts/readme_sections.py

from summariser.config import load_settings
from summariser.load import load_file
from summariser.pipeline import Summariser
from summariser.render import to_markdown

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_2c347e933061e894.txt"


def main() -> None:
    brief = Summariser(load_settings()).brief(load_file(SEED))
    md = to_markdown(brief)
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "example-brief.md").write_text(md, encoding="utf-8")
    (ROOT / "docs" / "example-brief.json").write_text(brief.model_dump_json(indent=2) + "\n", encoding="utf-8")
    # Demote headings so the example nests under the README's own section.
    nested = re.sub(r"^(#+) ", lambda m: "#" * (len(m.group(1)) + 2) + " ", md, flags=re.MULTILINE)
    update_readme("example", nested.strip())
    print(f"wrote docs/example-brief.md and README.md ({brief.provenance.seconds:.1f} s)")


if __name__ == "__main__":
    main()
