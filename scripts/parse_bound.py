"""Measure the per-document parse bound on hostile HTML (unclosed <td> and <p> tags, issue #13 item 4).

For each case it times the loader as it runs without a bound (`load.load_file` in a child process,
stopped at --cap seconds so the script ends) and as `brief run` runs it (`iter_documents`, each file
parsed in a bounded child process, default 60 s). Writes bench/results/parse-bound.json and .md.

    .venv/bin/python scripts/parse_bound.py                      # 2k-16k cells, cap 150 s
    .venv/bin/python scripts/parse_bound.py --cells 1000 2000 --cap 30
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.load import Document, iter_documents  # noqa: E402
from summariser.parse_guard import DEFAULT_TIMEOUT_S  # noqa: E402


def hostile(tag: str, cells: int) -> str:
    """A page whose `tag` elements are never closed: html.parser nests each inside the previous one."""
    body = "".join(f"<{tag}>cell {i} of the table" for i in range(cells))
    wrap = ("<table><tr>", "</tr></table>") if tag == "td" else ("<div>", "</div>")
    return f"<html><body>{wrap[0]}{body}{wrap[1]}</body></html>"


def unbounded(path: Path, cap: float) -> dict:
    """`load_file` as it ran before the bound, in a child we stop after `cap` seconds."""
    code = ("import sys; from pathlib import Path; from summariser.load import load_file\n"
            "try:\n  d = load_file(Path(sys.argv[1])); print(len(d.text), 'characters')\n"
            "except Exception as e: print('error', type(e).__name__, e)")
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=cap,
                              cwd=ROOT)
        seconds = time.perf_counter() - started
        return {"seconds": round(seconds, 1), "result": done.stdout.strip()[:80] or done.stderr.strip()[-80:]}
    except subprocess.TimeoutExpired:
        return {"seconds": None, "result": f"still parsing after {cap:g} s (stopped by this script)"}


def bounded(path: Path) -> dict:
    """What `brief run` does now."""
    started = time.perf_counter()
    [item] = list(iter_documents([str(path)]))
    seconds = time.perf_counter() - started
    what = f"{len(item.text)} characters" if isinstance(item, Document) else f"failed: {item.reason}"
    return {"seconds": round(seconds, 1), "result": what}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cells", type=int, nargs="+", default=[2000, 4000, 8000, 16000])
    parser.add_argument("--tags", nargs="+", default=["td", "p"])
    parser.add_argument("--cap", type=float, default=150.0, help="Stop the unbounded parse after this many seconds.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "parse-bound")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for tag in args.tags:
            for cells in args.cells:
                path = Path(tmp) / f"{tag}-{cells}.html"
                path.write_text(hostile(tag, cells))
                row = {"tag": tag, "cells": cells, "bytes": path.stat().st_size,
                       "load1_before": os.getloadavg()[0], "before": unbounded(path, args.cap), "after": bounded(path)}
                rows.append(row)
                print(json.dumps(row), flush=True)
    meta = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "python": platform.python_version(), "bound_s": DEFAULT_TIMEOUT_S, "cap_s": args.cap,
            "load_average_1min": [r["load1_before"] for r in rows]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    lines = [f"#### Parse time of hostile HTML ({meta['date']}, {meta['machine']}, Python {meta['python']})", "",
             f"Bound: {DEFAULT_TIMEOUT_S:g} s per document (`[load] parse_timeout_s`); the unbounded parse is stopped "
             f"by this script at {args.cap:g} s. 1-minute load average while measuring: "
             f"{min(meta['load_average_1min']):.1f} to {max(meta['load_average_1min']):.1f} on "
             f"{os.cpu_count()} cores.", "",
             "| unclosed tag | cells | file KB | before: seconds | before: result | now: seconds | now: result |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        before = r["before"]["seconds"]
        lines.append(f"| `<{r['tag']}>` | {r['cells']} | {r['bytes'] / 1024:.0f} | "
                     f"{'> %g' % args.cap if before is None else before} | {r['before']['result']} | "
                     f"{r['after']['seconds']} | {r['after']['result']} |")
    args.out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
