"""Download files of a job's briefs: Markdown and JSON per brief, named from its title, and a zip."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ..brief import Brief
from ..render import to_json, to_markdown


def file_stem(title: str, max_len: int = 80) -> str:
    """A safe, readable file name from a brief's title: 'Turkey and Azerbaijan…' -> 'turkey-and-azerbaijan'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[A-Za-z0-9]+", ascii_title.lower())
    stem = ""
    for word in words:
        longer = f"{stem}-{word}" if stem else word
        if len(longer) > max_len:
            break
        stem = longer
    return stem or (words[0][:max_len] if words else "brief")


def write_downloads(briefs: Sequence[Brief], folder: Path) -> list[Path]:
    """`.md` and `.json` of each brief in `folder` (names unique), and a zip of all when there are several."""
    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    paths: list[Path] = []
    for brief in briefs:
        stem = base = file_stem(brief.title)
        n = 2
        while stem in used:
            stem, n = f"{base}-{n}", n + 1
        used.add(stem)
        md, js = folder / f"{stem}.md", folder / f"{stem}.json"
        md.write_text(to_markdown(brief), encoding="utf-8")
        js.write_text(to_json(brief) + "\n", encoding="utf-8")
        paths += [md, js]
    if len(briefs) > 1:
        archive = folder / f"briefs-of-{len(briefs)}-documents.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in paths:
                zf.write(path, arcname=path.name)
        paths.append(archive)
    return paths
