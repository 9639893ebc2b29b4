"""pypdf or PDFium (pypdfium2)? Speed and text quality on PDFs generated with known text.

Three generated PDFs (tests/makers.py): a report drawn line by line with running header/footer and a
word hyphenated at a line end; a word-processor-like report laid out by reportlab's platypus
(justified paragraphs, headings, table, header and page number); a two-column newsletter with
accented letters, curly quotes and dashes. For each library's plain text extraction:

- seconds per page (best of 3 runs, text of every page);
- word F1 against every word drawn on the pages (a multiset of words: missing, extra or broken words
  such as 'infor-' + 'mation' lower it);
- reading order: difflib ratio of the body's word sequence (running header/footer lines removed)
  against the true body text.

The same figures are given for our loader (`summariser.loaders.pdf`: PDFium plus structure), whose
body order is measured on its own output, where furniture is already dropped.

Usage: .venv/bin/python scripts/compare_pdf.py   (writes bench/results/pdf-libraries.json and .md)
"""

from __future__ import annotations

import io
import json
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import makers as m  # noqa: E402

FURNITURE = re.compile(r"^(Ledger Analysis Group - Restricted|Page \d+ of \d+|\d+)$")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def f1(truth: list[str], got: list[str]) -> float:
    common = sum((Counter(truth) & Counter(got)).values())
    if not common:
        return 0.0
    p, r = common / len(got), common / len(truth)
    return 2 * p * r / (p + r)


def order(truth: list[str], got: list[str]) -> float:
    return SequenceMatcher(None, truth, got, autojunk=False).ratio()


def body_of(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not FURNITURE.match(line.strip()))


def pypdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdfium_pages(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        out = []
        for page in pdf:
            textpage = page.get_textpage()
            # U+FFFE marks a hyphen PDFium found at a line end (the word is whole without it).
            out.append(textpage.get_text_range().replace("\ufffe", "").replace("\r\n", "\n"))
            textpage.close()
        return out
    finally:
        pdf.close()


def ours(data: bytes) -> list[str]:
    from summariser.loaders import pdf

    return [pdf.parse(data, "x.pdf").text]


def fixtures() -> list[dict]:
    """(name, bytes, every word drawn, body text) for each generated PDF."""
    out = []
    pages = 20
    report = m.pdf_report(pages)
    drawn, body = [], []
    for n, (heading, paras) in enumerate(m.page_texts(pages), start=1):
        drawn += ["Ledger Analysis Group - Restricted", f"Page {n} of {pages}", heading, *paras]
        body += [heading, *paras]
    out.append({"name": f"drawn report, {pages} pages (hyphenation, header/footer)", "data": report,
                "drawn": " ".join(drawn), "body": " ".join(body)})
    chapters = 6
    platypus = m.pdf_platypus(chapters)
    body = []
    for n in range(chapters):
        body += [f"Chapter {n + 1}: {m.SECOND_HEADING}", *((m.PARAGRAPHS + m.SECOND) * 3), "Day Trucks Monday 40 Tuesday 60"]
    count = len(pdfium_pages(platypus))
    furniture = ["Ledger Analysis Group - Restricted"] * count + [str(n) for n in range(1, count + 1)]
    out.append({"name": f"platypus report, {count} pages (justified, headings, table)", "data": platypus,
                "drawn": " ".join(body + furniture), "body": " ".join(body)})
    two = m.pdf_two_columns(6)
    text = " ".join(m.two_column_paragraphs(6))
    out.append({"name": f"two columns, {len(pdfium_pages(two))} pages (accents, quotes, dashes)", "data": two,
                "drawn": text, "body": text})
    return out


def measure(extract: Callable[[bytes], list[str]], data: bytes, pages: int) -> tuple[float, list[str]]:
    best = float("inf")
    result: list[str] = []
    for _ in range(3):
        started = time.perf_counter()
        result = extract(data)
        best = min(best, time.perf_counter() - started)
    return best / pages, result


def main() -> None:
    import pypdf
    from pypdfium2.version import PDFIUM_INFO, PYPDFIUM_INFO

    rows = []
    for fx in fixtures():
        pages = len(pdfium_pages(fx["data"]))
        for lib, extract in (("pypdf", pypdf_pages), ("pypdfium2", pdfium_pages), ("ours (pypdfium2 + structure)", ours)):
            per_page, texts = measure(extract, fx["data"], pages)
            text = "\n".join(texts)
            rows.append({
                "pdf": fx["name"], "library": lib, "ms_per_page": round(per_page * 1000, 2),
                "word_f1_vs_all_drawn": round(f1(words(fx["drawn"]), words(text)), 4),
                "body_order_ratio": round(order(words(fx["body"]), words(body_of(text))), 4),
            })
            print(rows[-1], flush=True)
    results = {
        "versions": {"pypdf": pypdf.__version__, "pypdfium2": str(PYPDFIUM_INFO), "pdfium": str(PDFIUM_INFO),
                     "python": platform.python_version()},
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}; 2 shared cores",
        "rows": rows,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "pdf-libraries.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = ["# PDF text extraction: pypdf vs PDFium (pypdfium2)", "",
             f"Versions: {results['versions']}. Generated by `scripts/compare_pdf.py` (best of 3 runs).", "",
             "| PDF | library | ms/page | word F1 vs all drawn text | body reading-order ratio |", "|---|---|---|---|---|"]
    lines += [f"| {r['pdf']} | {r['library']} | {r['ms_per_page']} | {r['word_f1_vs_all_drawn']} | {r['body_order_ratio']} |"
              for r in rows]
    lines += ["", "Word F1 counts every word drawn, running headers and page numbers included, so our loader, which",
              "drops them on purpose, scores lower there; its body reading-order ratio is the figure that counts."]
    (out / "pdf-libraries.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
