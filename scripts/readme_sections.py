"""Generated sections of README.md, between marker comments, replaced by the scripts that make them.

A section is written as

    <!-- NAME:start -->
    ...generated Markdown...
    <!-- NAME:end -->

Used by bench.py (bench), ray_bench.py (ray), web_timings.py (web-timings), publish_results.py (results)
and readme_example.py (example).
"""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def replace_section(text: str, name: str, body: str) -> str:
    """`text` with section `name` holding `body` (markers kept, each on its own line).

    A missing or repeated marker is a ValueError: a section is never silently left stale or appended.
    """
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    for marker in (start, end):
        if text.count(marker) != 1:
            raise ValueError(f"README needs exactly one {marker!r} (found {text.count(marker)})")
    if text.index(end) < text.index(start):
        raise ValueError(f"README has {end!r} before {start!r}")
    head, rest = text.split(start)
    _, tail = rest.split(end)
    return f"{head}{start}\n{body.strip(chr(10))}\n{end}{tail}"


def update_readme(name: str, body: str, readme: Path = README) -> None:
    """Replace section `name` of README.md with `body`."""
    readme.write_text(replace_section(readme.read_text(encoding="utf-8"), name, body), encoding="utf-8")
