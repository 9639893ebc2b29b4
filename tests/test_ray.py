"""Issue #14 (Ray): batches and eval runs on a local Ray instance (num_cpus=2) with the tiny model.

A batch through Ray equals the single-process run byte for byte (but for the one timing field),
a worker killed mid-run loses nothing, a re-run resumes, and an unreachable cluster is a clear error.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summariser.batch import RUN_LOG, LocalExecutor, run_batch, settings_key
from summariser.load import iter_documents

pytestmark = pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="ray is not installed")

_SECONDS_MD = re.compile(r"; \d+\.\d s; summariser")
_SECONDS_JSON = re.compile(r'"seconds": [0-9.e-]+')


def _timing_masked(data: bytes) -> bytes:
    """A brief without its wall-time field (provenance.seconds), the one part that differs between runs."""
    text = _SECONDS_JSON.sub('"seconds": 0', _SECONDS_MD.sub("; 0 s; summariser", data.decode()))
    return text.encode()


@pytest.fixture(scope="module")
def ray_cluster():
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def workers(ray_cluster, tiny_settings):  # two workers for the module: the kill test leaves them restarted
    from summariser.ray_executor import RayExecutor

    executor = RayExecutor(tiny_settings, workers=2)
    executor.start()
    yield executor
    executor.close()


@pytest.fixture()
def corpus(tmp_path, seed_text) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(N):
        (folder / f"doc{i:02d}.txt").write_text(seed_text.replace("Azerbaijan", f"Azerbaijan ({i})", 1))
    (folder / "empty.txt").write_text("")  # an error record, on Ray as locally
    (folder / "notes.epub").write_bytes(b"PK\x03\x04")  # a skipped input, said the same way
    return folder


N = 6  # documents in the corpus


def _statuses(outcomes) -> list[tuple[str, str]]:
    return sorted((Path(o.name).name, o.status) for o in outcomes)


@pytest.mark.timeout(900)
def test_ray_batch_equals_the_single_process_run_byte_for_byte(corpus, tmp_path, tiny, tiny_settings, workers):
    key = settings_key(tiny_settings)
    local = list(run_batch(iter_documents([str(corpus)]), None, tmp_path / "local", "both",
                           executor=LocalExecutor(tiny.brief), settings=key))
    on_ray = list(run_batch(iter_documents([str(corpus)]), None, tmp_path / "ray", "both",
                            executor=workers, settings=key))
    assert _statuses(on_ray) == _statuses(local)
    assert sum(o.status == "done" for o in on_ray) == N
    files = sorted(p.name for p in (tmp_path / "local").iterdir() if p.suffix in (".md", ".json"))
    assert files == sorted(p.name for p in (tmp_path / "ray").iterdir() if p.suffix in (".md", ".json"))
    assert len(files) == 2 * N
    for name in files:
        a, b = (tmp_path / "local" / name).read_bytes(), (tmp_path / "ray" / name).read_bytes()
        assert _timing_masked(a) == _timing_masked(b), name
    log = [json.loads(line) for line in (tmp_path / "ray" / RUN_LOG).read_text().splitlines()]
    assert {r["status"] for r in log} == {"done", "failed", "skipped"}


@pytest.mark.timeout(900)
def test_killing_a_worker_mid_run_loses_nothing_and_a_rerun_resumes(corpus, tmp_path, tiny_settings, workers):
    key, out = settings_key(tiny_settings), tmp_path / "out"
    before = workers.worker_pids()
    killed: list[int] = []

    def kill_every_worker_once(outcome, brief) -> None:
        if brief is not None and not killed:  # one brief is back; the other worker is mid-document
            for pid in workers.worker_pids():
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    outcomes = list(run_batch(iter_documents([str(corpus)]), None, out, "both", on_brief=kill_every_worker_once,
                              executor=workers, settings=key))
    assert killed == before
    assert sum(o.status == "done" for o in outcomes) == N  # the killed workers' documents were retried
    assert set(workers.worker_pids()).isdisjoint(before)  # Ray restarted both workers
    log = [json.loads(line) for line in (out / RUN_LOG).read_text().splitlines()]
    done = [r["name"] for r in log if r["status"] == "done"]
    assert sorted(done) == [f"doc{i:02d}.txt" for i in range(N)]  # each exactly once
    for path in out.glob("doc*.json"):
        json.loads(path.read_text())
    again = list(run_batch(iter_documents([str(corpus)]), None, out, "both", executor=workers, settings=key))
    assert sorted(o.kind for o in again if o.status == "skipped") == ["already briefed"] * N + ["unsupported type"]
    assert [o.status for o in again].count("done") == 0


@pytest.mark.timeout(900)
def test_ray_resumes_a_run_begun_in_one_process(corpus, tmp_path, tiny, tiny_settings, workers):
    key, out = settings_key(tiny_settings), tmp_path / "out"
    first = [str(corpus / f"doc{i:02d}.txt") for i in range(3)]
    list(run_batch(iter_documents(first), None, out, "md", executor=LocalExecutor(tiny.brief), settings=key))
    rest = list(run_batch(iter_documents([str(corpus)]), None, out, "md", executor=workers, settings=key))
    assert sorted(o.name for o in rest if o.kind == "already briefed") == [f"doc{i:02d}.txt" for i in range(3)]
    assert sorted(o.name for o in rest if o.status == "done") == [f"doc{i:02d}.txt" for i in range(3, N)]
    assert sorted(p.name for p in out.glob("*.md")) == [f"doc{i:02d}.md" for i in range(N)]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_eval_through_ray_scores_the_same_as_one_process(tmp_path, tiny, tiny_settings, workers):
    from summariser.evaluation.runner import run_suite
    from summariser.evaluation.suites import load_suite

    suite = load_suite("seed-smoke")
    local = run_suite(suite, tiny_settings, tmp_path / "a", tmp_path / "cache-a", make_brief=tiny.brief)
    on_ray = run_suite(suite, tiny_settings, tmp_path / "b", tmp_path / "cache-b", executor=workers)
    rows = [[json.loads(line) for line in (tmp_path / run / "per_document.jsonl").read_text().splitlines()]
            for run in ("a", "b")]
    for row in rows[0] + rows[1]:
        row.pop("seconds", None)
    assert rows[0] == rows[1] and on_ray.scores.generated_briefs == local.scores.generated_briefs == 3


@pytest.mark.timeout(120)
def test_an_unreachable_cluster_is_a_clear_error_not_a_hang(tmp_path, seed_text):
    (tmp_path / "doc.txt").write_text(seed_text)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "summariser", "run", str(tmp_path / "doc.txt"), "--ray",
                           "127.0.0.1:9", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=100, stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert "cannot reach the Ray cluster at 127.0.0.1:9" in done.stderr and "Traceback" not in done.stderr
    assert time.monotonic() - started < 60
    assert not list((tmp_path / "out").glob("*.md"))


def test_ray_is_imported_only_with_the_flag(tmp_path):
    code = ("import sys; from typer.testing import CliRunner; from summariser.cli import app; "
            "CliRunner().invoke(app, ['run', '--help']); CliRunner().invoke(app, ['eval', '--help']); "
            "print('ray' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_readme_commands_on_a_fresh_local_instance(corpus, tmp_path, tiny_model_dir):
    """`brief run --ray` and `brief eval --ray` as a user types them: a new local Ray instance each."""
    common = ["--model", str(tiny_model_dir), "--max-new-tokens", "8", "--quiet"]
    brief = [sys.executable, "-m", "summariser"]
    local = subprocess.run([*brief, "run", str(corpus), "--out", str(tmp_path / "a"), *common],
                           capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    on_ray = subprocess.run([*brief, "run", str(corpus), "--out", str(tmp_path / "b"), "--ray", *common],
                            capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert on_ray.returncode == local.returncode == 1, on_ray.stderr  # empty.txt fails in both
    summary = re.compile(r"\d+ done, \d+ failed, \d+ skipped \([^)]*\)")
    assert summary.search(on_ray.stderr).group() == summary.search(local.stderr).group()
    assert "ray: 2 workers x 1 CPU on a local Ray instance" in on_ray.stderr
    for path in (tmp_path / "a").glob("*.md"):
        assert _timing_masked(path.read_bytes()) == _timing_masked((tmp_path / "b" / path.name).read_bytes())
    scored = subprocess.run([*brief, "eval", "--suite", "seed-smoke", "--ray", "--out", str(tmp_path / "run"),
                             "--cache-dir", str(tmp_path / "cache"), *common[:4]],
                            capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert scored.returncode == 0, scored.stderr
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["generated_briefs"] == 3
