"""Hostile and broken input, interrupted batches, determinism (tiny model)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summariser.batch import run_batch
from summariser.errors import DocumentError
from summariser.load import Document, iter_documents, load_file


def test_fifty_megabyte_file_is_refused_with_a_clear_reason(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: cheap to make
    # The limit is 16 MiB (16 * 2**20 bytes) and the file 50 MiB: both in the unit of [load] max_mb.
    with pytest.raises(DocumentError, match="file is 50 MiB, over the 16 MiB limit"):
        load_file(big)


def test_encrypted_pdf_is_a_clear_error(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(DocumentError, match="encrypted"):
        load_file(path)


def test_one_giant_line_without_spaces_gets_a_brief(tiny):
    doc = Document("x", "line.txt", "A" * 200_000)
    brief = tiny.brief(doc)
    assert brief.sources[0].chunks > 10
    assert brief.bluf


def test_a_file_that_disappears_mid_batch_is_reported_and_the_rest_go_on(tmp_path, tiny):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"Report {name} says the river rose two metres on Monday. Crews were sent.")

    def make(docs):
        (folder / "c.txt").unlink(missing_ok=True)  # vanishes while a.txt is being briefed
        return tiny.brief(docs)

    outcomes = list(run_batch(iter_documents([str(folder)]), make, tmp_path / "out"))
    assert [(Path(o.name).name, o.status) for o in outcomes] == [("a.txt", "done"), ("b.txt", "done"),
                                                                  ("c.txt", "failed")]
    assert "disappeared" in outcomes[-1].error or "not found" in outcomes[-1].error


def test_an_unexpected_error_in_one_document_does_not_stop_the_batch(tmp_path, tiny):
    docs = [Document("1", "one", "First report. It is fine."), Document("2", "two", "Second report. It is fine.")]

    def make(batch):
        if batch[0].name == "one":
            raise RuntimeError("boom")
        return tiny.brief(batch)

    outcomes = list(run_batch(iter(docs), make, tmp_path / "o"))
    assert [o.status for o in outcomes] == ["failed", "done"]
    assert outcomes[0].error == "internal error: RuntimeError: boom"


def _corpus(folder: Path, n: int, text: str) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"doc{i:02d}.txt").write_text(text.replace("Azerbaijan", f"Azerbaijan ({i})", 1))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_killed_batch_resumes_with_every_brief_exactly_once(tmp_path, tiny_model_dir, seed_text, sig):
    folder, out = tmp_path / "in", tmp_path / "out"
    _corpus(folder, 8, seed_text)
    cmd = [sys.executable, "-m", "summariser", "run", str(folder), "--out", str(out), "--format", "both",
           "--model", str(tiny_model_dir), "--max-new-tokens", "8", "--quiet"]
    # A signal ignored by this process stays ignored in its children. In full test runs (CI) something
    # earlier leaves SIGINT ignored in pytest's process, and the child then never sees it (reproduced
    # by ignoring SIGINT before starting pytest). A user's terminal delivers Ctrl+C with the default
    # disposition: start the child so.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("*.json"))) < 2:
        time.sleep(0.05)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and b"interrupted" in err
    assert len(list(out.glob("doc*.json"))) < 8  # really interrupted part-way
    for path in out.glob("doc*.json"):
        json.loads(path.read_text())  # every file present is whole
    done = subprocess.run(cmd, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    assert sorted(p.name for p in out.glob("doc*.json")) == [f"doc{i:02d}.json" for i in range(8)]
    assert sorted(p.name for p in out.glob("doc*.md")) == [f"doc{i:02d}.md" for i in range(8)]
    assert not list(out.glob(".*.tmp"))
    log = [json.loads(line) for line in (out / "run-log.jsonl").read_text().splitlines()]
    assert sum(r["status"] == "done" for r in log) == 8  # each document briefed exactly once in all


def test_batch_and_single_runs_give_the_same_brief(tmp_path, tiny_model_dir, seed_text):
    from typer.testing import CliRunner

    from summariser.cli import app

    folder = tmp_path / "in"
    _corpus(folder, 3, seed_text)
    common = ["--model", str(tiny_model_dir), "--max-new-tokens", "8", "--format", "json", "--quiet"]
    CliRunner().invoke(app, ["run", str(folder), "--out", str(tmp_path / "batch"), *common])
    single = CliRunner().invoke(app, ["run", str(folder / "doc01.txt"), *common])
    a = json.loads((tmp_path / "batch" / "doc01.json").read_text())
    b = json.loads(single.stdout)
    for brief in (a, b):
        brief["provenance"].pop("seconds")
    assert a == b
