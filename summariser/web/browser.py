"""Drive the page in a real browser (Debian's chromium through Playwright): for the browser
tests, the README screenshots and the timing script. Playwright's own browser download is not used.
"""

from __future__ import annotations

import shutil
import socket
from importlib import resources
from typing import Any

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SERIOUS = ("serious", "critical")
# WCAG 2.0-2.2 A and AA rules of axe-core (best-practice rules are reported separately).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def chromium_path() -> str | None:
    """Debian's chromium, if installed (apt-get install chromium)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch(playwright: Any) -> Any:
    """A headless chromium browser."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("Debian chromium is not installed: apt-get install chromium")
    return playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)


def free_port() -> int:
    """A free TCP port on this machine."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def axe_violations(page: Any, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """axe-core's WCAG violations on the page as it is now (axe-core ships in `axe-playwright-python`)."""
    script = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    page.evaluate(script)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags or WCAG_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
