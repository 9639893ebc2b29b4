"""Time to read one document, per format: what `brief run` spends before any model runs.

Each format gets generated files (tests/makers.py) of a realistic size, read with
`summariser.load.load_documents` (sniffing, parsing, cleaning: the whole load step). Libraries are
imported and warmed up on one file first, so the figures are per document, not per process start.

Usage: .venv/bin/python scripts/bench_loaders.py [--repeat 20]
Writes bench/results/loaders.json and loaders.md and prints the table.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import makers as m  # noqa: E402

from summariser.load import Document, load_documents  # noqa: E402

TEXT = "\n\n".join(m.PARAGRAPHS * 20)


def formats() -> list[tuple[str, str, str, Callable[[], bytes]]]:
    """(label, library, file name, maker) for each format."""
    return [
        ("plain text (.txt, ~1,600 words)", "built-in", "report.txt", lambda: TEXT.encode()),
        ("web page (.html, article + furniture)", "trafilatura", "page.html", m.html_page),
        ("PDF, 10 pages (.pdf)", "pypdfium2", "report.pdf", lambda: m.pdf_report(10)),
        ("PDF, 50 pages (.pdf)", "pypdfium2", "long.pdf", lambda: m.pdf_report(50)),
        ("Word (.docx, headings, table, tracked changes)", "python-docx", "report.docx", m.docx_report),
        ("e-mail (.eml, plain + HTML bodies)", "email (stdlib)", "mail.eml", lambda: m.eml_message()),
        ("e-mail with a 3-page PDF attachment (.eml)", "email + pypdfium2", "attached.eml",
         lambda: m.eml_message([("r.pdf", "application/pdf", m.pdf_report(3))])),
        ("mailbox of 20 messages (.mbox)", "email (stdlib)", "inbox.mbox", lambda: m.mbox([m.eml_message()] * 20)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="reads per format (default 20)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, library, name, make in formats():
            path = Path(tmp) / name
            path.write_bytes(make())
            docs = load_documents(path)  # warm-up: imports and first-use caches
            assert all(isinstance(d, Document) for d in docs), docs
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                load_documents(path)
                times.append(time.perf_counter() - started)
            rows.append({
                "format": label, "library": library, "file_kb": round(path.stat().st_size / 1024, 1),
                "documents": len(docs), "words": sum(len(d.text.split()) for d in docs),
                "ms_per_file_median": round(statistics.median(times) * 1000, 2),
                "ms_per_document": round(statistics.median(times) * 1000 / len(docs), 2),
            })
            print(rows[-1], flush=True)
    results = {"machine": f"{platform.machine()}, Python {platform.python_version()}; 2 shared cores",
               "repeat": args.repeat, "rows": rows}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "loaders.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = ["# Loading time per document, by format", "",
             f"`scripts/bench_loaders.py --repeat {args.repeat}`: median of {args.repeat} reads of each generated file "
             "with `load_documents` (sniff, parse, clean), libraries already imported. " + results["machine"] + ".", "",
             "| format | library | file KB | documents | words | ms per file | ms per document |", "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['format']} | {r['library']} | {r['file_kb']} | {r['documents']} | {r['words']} | "
              f"{r['ms_per_file_median']} | {r['ms_per_document']} |" for r in rows]
    (out / "loaders.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
