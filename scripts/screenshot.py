"""Screenshots of the web demo for the README, with the default model, at desktop and phone width.

Usage: .venv/bin/python scripts/screenshot.py   (needs Debian chromium: apt-get install chromium)

Writes docs/demo.png (1400 px wide: the seed brief), docs/demo-phone.png (two 390x844 screens of
the same brief on a phone: the outcome beside the button, the actor cards) and docs/demo-progress.png
(1400x1000: a 60,000-word paste while it is prepared).
Timings in the browser: scripts/web_timings.py.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from summariser.config import load_settings
from summariser.web import close_app, serve
from summariser.web.browser import free_port, launch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from bench import synthetic  # noqa: E402 - the benchmark's long document (real articles one after another)

SEED = ROOT / "seeds" / "000_2c347e933061e894.txt"
DOCS = ROOT / "docs"
PHONE = {"width": 390, "height": 844}


def brief(page, text: str) -> None:
    page.locator("#doc-text textarea").fill(text)
    page.locator("#brief-button").click()
    page.locator("#progress .progress-panel.done").wait_for(timeout=600_000)
    page.locator("#doc-text textarea").evaluate("e => e.scrollTop = 0")


def main() -> None:
    port = free_port()
    app = serve(load_settings(), "127.0.0.1", port, block=False)
    url = f"http://127.0.0.1:{port}/"
    seed = SEED.read_text(encoding="utf-8")
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            brief(page, seed)
            page.screenshot(path=str(DOCS / "demo.png"), full_page=True)

            phone = browser.new_page(viewport=PHONE)
            phone.goto(url)
            brief(phone, seed)
            shots = []
            # Two screens: the outcome beside the button, and the actor cards under their heading.
            for selector, above in (("#actions", 12), ("#results .actors", 56)):
                phone.locator(selector).first.evaluate(
                    "(e, above) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - above)", above
                )
                shots.append(Image.open(io.BytesIO(phone.screenshot())))
            side_by_side = Image.new("RGB", (2 * PHONE["width"] + 24, PHONE["height"]), "#cbd5e1")
            for i, shot in enumerate(shots):
                side_by_side.paste(shot, (i * (PHONE["width"] + 24), 0))
            side_by_side.save(DOCS / "demo-phone.png", optimize=True)

            long = browser.new_page(viewport={"width": 1400, "height": 1000})
            long.goto(url)
            long.locator("#doc-text textarea").fill(synthetic(60_000))
            long.locator("#brief-button").click()
            long.wait_for_function(
                "() => /([1-9][0-9]*) of [0-9]+ passages/.test(document.querySelector('#progress').innerText)"
                " && parseInt(document.querySelector('#progress').innerText.match(/([0-9]+) of/)[1]) >= 20",
                timeout=600_000,
            )
            long.locator("#doc-text textarea").evaluate("e => e.scrollTop = 0")
            long.screenshot(path=str(DOCS / "demo-progress.png"))
            long.locator("#cancel-button").click()
            long.locator("#progress .cancelled").wait_for(timeout=60_000)
            browser.close()
    finally:
        close_app(app)
    print("wrote docs/demo.png, docs/demo-phone.png, docs/demo-progress.png")


if __name__ == "__main__":
    main()
