"""Timings of the web demo as a user sees them in the browser, with the default model.

Usage: .venv/bin/python scripts/web_timings.py [--runs 3] [--readme]   (needs Debian chromium)

Measures, in headless chromium at 1400x1000, with the page's own clock (performance.now()):
- page usable: from navigation to the Write brief button shown and the page's script run;
- first progress: from the click to the progress panel showing the job (in the viewport);
- seed brief: from the click to "Done" for the seed document (several runs, median);
- 60,000-word paste: first progress, first passage count, and "Done" for a long text made of
  real news articles one after another (scripts/bench.py's `synthetic`).
Prints them and writes bench/results/web.json and bench/results/web.md (and the README's copy
with --readme).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from summariser.config import load_settings
from summariser.web import close_app, serve
from summariser.web.browser import free_port, launch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from bench import synthetic  # noqa: E402 - the benchmark's long document

SEED = ROOT / "seeds" / "000_2c347e933061e894.txt"
OUT = ROOT / "bench" / "results"

# Records, with the page's clock, when the progress panel first shows the job in the viewport,
# when it first shows a passage count, and when it says Done.
WATCH = """() => {
  const t0 = performance.now(), marks = {};
  window.__marks = marks;
  const panel = document.querySelector('#progress');
  const check = () => {
    const el = panel.querySelector('.progress-panel');
    if (!el) return;
    const r = el.getBoundingClientRect();
    const inView = r.bottom > 0 && r.top < window.innerHeight;
    // The panel still shows the last run's outcome at the click: this run starts at its first 'running'.
    if (!marks.first && el.classList.contains('running') && inView) marks.first = performance.now() - t0;
    if (!marks.first) return;
    if (!marks.count && / of [0-9]+ passages/.test(el.innerText)) marks.count = performance.now() - t0;
    if (!marks.done && el.classList.contains('done')) marks.done = performance.now() - t0;
    if (!marks.done && el.classList.contains('error')) marks.done = -1;
  };
  new MutationObserver(check).observe(panel, {subtree: true, childList: true, characterData: true});
  document.querySelector('#brief-button').click();
}"""


def run_once(page: Any, text: str | None, timeout_ms: float = 900_000) -> dict[str, float]:
    """Paste `text` (unless already there), click, wait for Done; the marks in seconds."""
    if text is not None:
        page.locator("#doc-text textarea").fill(text)
    page.evaluate(WATCH)
    page.wait_for_function("() => window.__marks.done !== undefined", timeout=timeout_ms)
    marks = page.evaluate("window.__marks")
    if marks["done"] < 0:
        raise SystemExit(f"the brief failed: {page.locator('#progress').inner_text()}")
    return {k: round(v / 1000, 3) for k, v in marks.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="seed briefs to time (median reported)")
    parser.add_argument("--words", type=int, default=60_000, help="length of the long paste")
    parser.add_argument("--readme", action="store_true", help="also replace the timings in README.md")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    port = free_port()
    app = serve(load_settings(), "127.0.0.1", port, block=False)
    server_ready = time.perf_counter() - started
    seed = SEED.read_text(encoding="utf-8")
    long_text = synthetic(args.words)
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t0 = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.locator("#brief-button").wait_for()
            page.wait_for_function("() => document.querySelector('#status-live')?.getAttribute('role') === 'status'")
            usable = time.perf_counter() - t0
            seeds = [run_once(page, seed) for _ in range(args.runs)]
            fill = time.perf_counter()
            page.locator("#doc-text textarea").fill(long_text)
            fill = time.perf_counter() - fill
            long = run_once(page, None)
            browser.close()
    finally:
        close_app(app)

    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        # Other work on the machine slows every figure: the 1-minute load average before and after.
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "model": "default (SmolLM2-135M-Instruct), default settings (extract mode)",
        "server_start_s": round(server_ready, 2),
        "page_usable_s": round(usable, 2),
        "seed_words": len(seed.split()),
        "seed_runs": seeds,
        "seed_first_progress_s": statistics.median(r["first"] for r in seeds),
        "seed_done_s": statistics.median(r["done"] for r in seeds),
        "long_words": len(long_text.split()),
        "long_fill_s": round(fill, 2),
        "long": long,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "web.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    md = markdown(result)
    (OUT / "web.md").write_text(md, encoding="utf-8")
    print(md)
    if args.readme:
        from readme_sections import update_readme  # scripts/readme_sections.py

        update_readme("web-timings", md)


def markdown(r: dict[str, Any]) -> str:
    """The timings as a Markdown table."""
    lines = [
        f"#### Web demo timings in the browser ({r['date']}, {r['machine']})",
        "",
        f"Headless chromium at 1400x1000 on the same machine as the server; {r['model']}. "
        f"Load average {r['load_average'][0]} before, {r['load_average'][1]} after (other work on the "
        f"{r['machine'].split(', ')[1]} slows every figure).",
        "",
        "| what | seconds |",
        "|---|---|",
        f"| server start (model and spaCy loaded, one warm-up brief) | {r['server_start_s']:.2f} |",
        f"| page usable (navigation to the button ready) | {r['page_usable_s']:.2f} |",
        f"| first progress after the click, seed ({r['seed_words']} words; median of {len(r['seed_runs'])}) "
        f"| {r['seed_first_progress_s']:.2f} |",
        f"| seed brief, click to Done (median of {len(r['seed_runs'])}) | {r['seed_done_s']:.2f} |",
        f"| {r['long_words']:,}-word paste: first progress | {r['long']['first']:.2f} |",
        f"| {r['long_words']:,}-word paste: first passage count | {r['long'].get('count', float('nan')):.2f} |",
        f"| {r['long_words']:,}-word paste: click to Done | {r['long']['done']:.2f} |",
        "",
        "Seed runs (first progress / Done): "
        + ", ".join(f"{x['first']:.2f} / {x['done']:.2f}" for x in r["seed_runs"])
        + f". Filling the text box with the long text took {r['long_fill_s']:.1f} s in the browser (not counted).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
