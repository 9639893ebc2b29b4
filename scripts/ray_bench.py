"""Wall time of the same batch in one process and on a local Ray instance (issue #14).

Briefs the first N FRANK CNN/DM articles with the default model and settings, twice, into fresh
output folders through the same `run_batch`: once in this process (torch on all cores), once on a
local Ray instance with W workers of one CPU each. Counts start-up (model load; Ray start and the
workers' model loads) apart from briefing, checks that both runs wrote the same briefs (but for the
timing field), and records the machine's load average, since a shared machine skews every figure.
Writes bench/results/ray.json and ray.md; --readme puts the table into README.md.

    .venv/bin/python scripts/ray_bench.py                    # 50 documents, 2 workers
    .venv/bin/python scripts/ray_bench.py --docs 10 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.batch import LocalExecutor, run_batch, settings_key  # noqa: E402
from summariser.config import load_settings  # noqa: E402
from summariser.load import Document  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "frank-cnndm.jsonl"
_TIMING = re.compile(r'; \d+\.\d s; summariser|"seconds": [0-9.e-]+')


def documents(n: int) -> list[Document]:
    with DATA.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(n), handle)]
    return [Document(id=r["id"], name=f"{r['id']}.txt", text=r["article"]) for r in rows]


def timed_batch(docs: list[Document], executor, settings, out: Path) -> tuple[float, int]:
    started = time.perf_counter()
    outcomes = list(run_batch(iter(docs), None, out, "json", executor=executor, settings=settings_key(settings)))
    return time.perf_counter() - started, sum(o.status == "done" for o in outcomes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "ray")
    parser.add_argument("--readme", action="store_true", help="Replace the table between the ray markers in README.md.")
    args = parser.parse_args()
    docs = documents(args.docs)
    settings = load_settings()
    tmp = Path(tempfile.mkdtemp(prefix="ray-bench-"))
    rows = []

    load = os.getloadavg()[0]
    started = time.perf_counter()
    from summariser.batch import load_summariser

    summariser = load_summariser(settings)
    startup = time.perf_counter() - started
    seconds, done = timed_batch(docs, LocalExecutor(summariser.brief), settings, tmp / "one")
    rows.append({"mode": "one process", "workers": 1, "threads_per_worker": os.cpu_count(), "startup_s": startup,
                 "briefing_s": seconds, "done": done, "load_before": load, "load_after": os.getloadavg()[0]})
    del summariser

    from summariser.ray_executor import RayExecutor

    load = os.getloadavg()[0]
    started = time.perf_counter()
    cluster = RayExecutor(settings, workers=args.workers, cpus_per_worker=1)
    cluster.start()
    startup = time.perf_counter() - started
    try:
        seconds, done = timed_batch(docs, cluster, settings, tmp / "ray")
    finally:
        cluster.close()
    rows.append({"mode": "Ray, local instance", "workers": args.workers, "threads_per_worker": 1, "startup_s": startup,
                 "briefing_s": seconds, "done": done, "load_before": load, "load_after": os.getloadavg()[0]})

    same = sum(_TIMING.sub("", (tmp / "one" / p.name).read_text()) == _TIMING.sub("", p.read_text())
               for p in (tmp / "ray").glob("*.json"))
    for r in rows:
        r["wall_s"] = r["startup_s"] + r["briefing_s"]
        r["s_per_doc"] = r["briefing_s"] / max(1, r["done"])
        r["docs_per_min"] = 60 * r["done"] / r["briefing_s"]
    one, ray = rows
    per_worker = ray["briefing_s"] * ray["workers"] / max(1, ray["done"])  # seconds one worker spends per document
    meta = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "python": platform.python_version(), "documents": args.docs, "identical_briefs": same,
            "worker_s_per_doc": per_worker}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    lines = [
        f"#### Ray vs one process ({meta['date']}, {meta['machine']}, Python {meta['python']}, "
        f"{args.docs} FRANK CNN/DM documents, default model and settings)", "",
        "| run | workers x threads | start-up (s) | briefing (s) | wall (s) | s/document | documents/min | load average (1 min, before → after) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['mode']} | {r['workers']} x {r['threads_per_worker']} | {r['startup_s']:.1f} | "
                     f"{r['briefing_s']:.1f} | {r['wall_s']:.1f} | {r['s_per_doc']:.2f} | {r['docs_per_min']:.1f} | "
                     f"{r['load_before']:.1f} → {r['load_after']:.1f} |")
    lines += ["", f"Briefs identical in both runs (but for the timing field): {same}/{args.docs}. Briefing ratio "
              f"(one process / Ray): {one['briefing_s'] / ray['briefing_s']:.2f}x; with start-up: "
              f"{one['wall_s'] / ray['wall_s']:.2f}x. One Ray worker spends {per_worker:.2f} s per document, so a "
              f"cluster of N nodes with k one-CPU workers each briefs about {60 / per_worker:.1f} x N x k documents "
              "per minute once started (start-up is paid once per worker)."]
    text = "\n".join(lines) + "\n"
    args.out.with_suffix(".md").write_text(text)
    print(text)
    if args.readme:
        from readme_sections import update_readme  # scripts/readme_sections.py

        update_readme("ray", text)


if __name__ == "__main__":
    main()
