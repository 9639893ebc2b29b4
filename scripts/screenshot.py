"""Screenshot of the web demo with a real brief of the seed document (default model), for the README.

Usage: .venv/bin/python scripts/screenshot.py   (needs Debian chromium: apt-get install chromium)
Prints the time to the first progress update and the total time, as seen in the browser.
"""

from __future__ import annotations

import shutil
import socket
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from summariser.config import load_settings
from summariser.web import serve

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = serve(load_settings(), "127.0.0.1", port, block=False)
    seed = (ROOT / "seeds" / "000_2c347e933061e894.txt").read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/")
        page.locator("#doc-text textarea").fill(seed)
        started = time.perf_counter()
        page.locator("#brief-button").click()
        page.locator("#status").get_by_text("model calls").first.wait_for(timeout=120_000)
        first = time.perf_counter() - started
        page.locator("#status").get_by_text("Done in").wait_for(timeout=600_000)
        total = time.perf_counter() - started
        page.screenshot(path=str(ROOT / "docs" / "demo.png"), full_page=True)
        browser.close()
    app.close()
    print(f"first progress update after {first:.1f} s; brief shown after {total:.1f} s; wrote docs/demo.png")


if __name__ == "__main__":
    main()
