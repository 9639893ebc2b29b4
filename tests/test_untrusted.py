"""Issue #13 items 1-5 and 7: untrusted folders and a failing or shared --out (tiny model).

Each test reproduces one reported defect as it was written, and checks the fixed behaviour.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.batch import RUN_LOG, OutputFolder, run_batch
from summariser.cli import app
from summariser.errors import OutputError
from summariser.load import Document, LoadFailure, Skipped, clean_text, iter_documents

REPORT = "Floods hit Kerala on Monday. The army sent {n} boats to rescue families from the district of {place}."


def _run(args: list[str], model: Path, **kw):
    return CliRunner().invoke(app, ["run", *args, "--model", str(model), "--max-new-tokens", "8", "--quiet"], **kw)


def _log(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / RUN_LOG).read_text().splitlines()]


def _briefs(out: Path, ext: str = "md") -> list[Path]:
    return sorted(out.glob(f"*.{ext}"))


# -- 1. the output folder (and anything the tool wrote) is never input ----------------------------
@pytest.mark.timeout(300)
def test_output_folder_inside_the_input_is_never_read(tmp_path, tiny_model_dir, monkeypatch):
    root = tmp_path / "r"
    root.mkdir()
    for i, place in enumerate(["Idukki", "Wayanad"]):
        (root / f"doc{i}.txt").write_text(REPORT.format(n=10 + i, place=place))
    monkeypatch.chdir(root)  # the report: `cd r && brief run . --out briefs`
    first = _run([".", "--out", "briefs"], tiny_model_dir)
    assert first.exit_code == 0, first.output
    assert "2 done, 0 failed, 1 skipped (1 output folder)" in first.output
    assert [p.name for p in _briefs(root / "briefs")] == ["doc0.md", "doc1.md"]
    again = _run([".", "--out", "briefs"], tiny_model_dir)
    assert "0 done, 0 failed, 3 skipped (2 already briefed, 1 output folder)" in again.output
    assert len(_log(root / "briefs")) == 6  # bounded: one line per input per run, never its own lines


@pytest.mark.timeout(300)
def test_output_folder_equal_to_the_input_folder_never_briefs_its_briefs(tmp_path, tiny_model_dir):
    root = tmp_path / "r"
    root.mkdir()
    (root / "doc.txt").write_text(REPORT.format(n=3, place="Idukki"))
    first = _run([str(root), "--out", str(root)], tiny_model_dir)
    assert "1 done, 0 failed, 0 skipped" in first.output, first.output
    again = _run([str(root), "--out", str(root)], tiny_model_dir)
    # doc.md and run-log.jsonl are the tool's own files: said, and not briefed
    assert "0 done, 0 failed, 3 skipped (2 written by this tool, 1 already briefed)" in again.output, again.output
    assert sorted(p.name for p in root.iterdir()) == ["doc.md", "doc.txt", RUN_LOG]


# -- 2. resume keys on the document; distinct documents get distinct names; inputs never replaced --
@pytest.mark.timeout(300)
def test_same_file_name_in_three_folders_gives_three_briefs(tmp_path, tiny_model_dir):
    for folder, place in zip("abc", ["Idukki", "Wayanad", "Kottayam"]):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(REPORT.format(n=5, place=place))
    out = tmp_path / "out"
    result = _run([str(tmp_path / f) for f in "abc"] + ["--out", str(out)], tiny_model_dir)
    assert "3 done, 0 failed, 0 skipped" in result.output, result.output
    briefs = _briefs(out)
    assert len(briefs) == 3 and "report.md" in [b.name for b in briefs]
    places = sorted(next(p for p in ["Idukki", "Wayanad", "Kottayam"] if p in b.read_text()) for b in briefs)
    assert places == ["Idukki", "Kottayam", "Wayanad"]  # each brief is of its own document
    again = _run([str(tmp_path / f) for f in "abc"] + ["--out", str(out)], tiny_model_dir)
    assert "0 done, 0 failed, 3 skipped (3 already briefed)" in again.output


@pytest.mark.timeout(300)
def test_duplicate_jsonl_ids_are_all_briefed_and_identical_rows_said_once(tmp_path, tiny_model_dir):
    rows = tmp_path / "rows.jsonl"
    texts = [REPORT.format(n=i, place=p) for i, p in enumerate(["Idukki", "Wayanad", "Kottayam"])]
    rows.write_text("".join(json.dumps({"id": "x", "text": t}) + "\n" for t in texts + texts[:1]))
    out = tmp_path / "out"
    result = _run([str(rows), "--out", str(out), "--format", "json"], tiny_model_dir)
    assert "3 done, 0 failed, 1 skipped (1 duplicate)" in result.output, result.output
    bluf = sorted(json.loads(p.read_text())["bluf"] for p in _briefs(out, "json"))
    assert len(set(bluf)) == 3


@pytest.mark.timeout(300)
def test_a_second_stdin_document_is_briefed_and_the_first_kept(tmp_path, tiny_model_dir):
    out = tmp_path / "o"
    a, b = REPORT.format(n=1, place="Idukki"), REPORT.format(n=2, place="Wayanad")
    assert _run(["-", "--out", str(out)], tiny_model_dir, input=a).exit_code == 0
    second = _run(["-", "--out", str(out)], tiny_model_dir, input=b)
    assert "1 done, 0 failed, 0 skipped" in second.output, second.output
    briefs = {p.name: p.read_text() for p in _briefs(out)}
    assert "Idukki" in briefs.pop("stdin.md")  # A's brief is still A's
    [(name, text)] = briefs.items()
    assert name.startswith("stdin-") and "Wayanad" in text
    third = _run(["-", "--out", str(out)], tiny_model_dir, input=a)  # A again: already briefed
    assert "0 done, 0 failed, 1 skipped (1 already briefed)" in third.output


@pytest.mark.timeout(300)
def test_a_source_inside_out_is_briefed_and_never_overwritten_even_with_force(tmp_path, tiny_model_dir):
    n = tmp_path / "n"
    n.mkdir()
    source = n / "report.md"
    source.write_text(REPORT.format(n=7, place="Idukki"))
    original = source.read_bytes()
    for extra in ([], ["--force"]):
        result = _run([str(source), "--out", str(n), *extra], tiny_model_dir)
        assert result.exit_code == 0, result.output
        assert source.read_bytes() == original
    assert "1 done" in result.output  # --force redid the brief, next to the source
    [brief] = [p for p in _briefs(n) if p != source]
    assert brief.name.startswith("report-") and "Bottom line up front" in brief.read_text()


@pytest.mark.timeout(300)
def test_other_settings_rebrief_the_same_document_into_the_same_file(tmp_path, tiny_model_dir):
    (tmp_path / "doc.txt").write_text(REPORT.format(n=4, place="Idukki"))
    out = tmp_path / "o"
    _run([str(tmp_path / "doc.txt"), "--out", str(out), "--format", "json"], tiny_model_dir)
    other = _run([str(tmp_path / "doc.txt"), "--out", str(out), "--format", "json", "--seed", "5"], tiny_model_dir)
    assert "1 done, 0 failed, 0 skipped" in other.output, other.output
    assert [p.name for p in _briefs(out, "json")] == ["doc.json"]
    assert json.loads((out / "doc.json").read_text())["provenance"]["settings"]["generation"]["seed"] == 5


# -- 3. no escape from --out -------------------------------------------------------------------------
@pytest.mark.timeout(300)
def test_jsonl_ids_cannot_write_outside_out(tmp_path, tiny_model_dir):
    tr = tmp_path / "tr"
    tr.mkdir()
    rows = tr / "rows.jsonl"
    rows.write_text(json.dumps({"id": "a", "text": REPORT.format(n=1, place="Idukki")}) + "\n"
                    + json.dumps({"id": "/../../a", "text": REPORT.format(n=2, place="Wayanad")}) + "\n")
    out = tr / "out"
    result = _run([str(rows), "--out", str(out)], tiny_model_dir)
    assert "2 done" in result.output, result.output
    assert sorted(p.name for p in tr.iterdir()) == ["out", "rows.jsonl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tr"]
    assert len(_briefs(out)) == 2


def test_every_path_written_is_proven_inside_out(tmp_path):
    with OutputFolder(tmp_path / "out") as folder:
        for stem in ("a", "a", "../a", "/etc/passwd"):
            for path in folder.claim("k" * 16, stem.replace("/", "_"), ["md"]):
                assert os.path.realpath(path.parent) == str(folder.root)
        (tmp_path / "elsewhere").mkdir()
        os.symlink(tmp_path / "elsewhere", tmp_path / "out" / "link")
        with pytest.raises(OutputError, match="outside the output folder"):
            folder._check_inside(tmp_path / "out" / "link" / "x.md")
        with pytest.raises(OutputError, match="outside the output folder"):
            folder._check_inside(tmp_path / "out" / "..")


# -- 4. untrusted folders: links, devices, FIFOs, caps, parse time -----------------------------------
def test_links_out_of_the_folder_are_skipped_unless_asked(tmp_path):
    folder, outside = tmp_path / "in", tmp_path / "secret"
    folder.mkdir()
    outside.mkdir()
    (outside / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash")
    (folder / "ok.txt").write_text("A report.")
    os.symlink(outside / "passwd.txt", folder / "passwd.txt")
    os.symlink(outside, folder / "dir")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink(folder / "ok.txt", folder / "same.txt")  # inside the folder: allowed, but the same file
    items = list(iter_documents([str(folder)]))
    assert [d.text for d in items if isinstance(d, Document)] == ["A report."]
    kinds = sorted((Path(s.name).name, s.kind) for s in items if isinstance(s, Skipped))
    assert kinds == [("dir", "link out of the input"), ("passwd.txt", "link out of the input"),
                     ("same.txt", "same file twice"), ("zero.txt", "link out of the input")]
    followed = list(iter_documents([str(folder)], follow_links=True))
    texts = sorted(d.text for d in followed if isinstance(d, Document))
    assert texts == ["A report.", "root:x:0:0:root:/root:/bin/bash"]  # once: dir/passwd.txt is the same file
    [zero] = [s for s in followed if isinstance(s, Skipped) and s.name.endswith("zero.txt")]
    assert zero.kind == "not a regular file" and "character device" in zero.reason


@pytest.mark.timeout(60)
def test_fifos_and_devices_never_hang_or_fill_memory(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "a.txt")
    (folder / "b.txt").write_text("Still briefed.")
    items = list(iter_documents([str(folder)]))
    assert [d.text for d in items if isinstance(d, Document)] == ["Still briefed."]
    [fifo] = [s for s in items if isinstance(s, Skipped)]
    assert "FIFO" in fifo.reason
    named = list(iter_documents([str(folder / "a.txt"), "/dev/zero"]))  # given by name: failures, at once
    assert all(isinstance(x, LoadFailure) and "not a regular file" in x.reason for x in named)


class _Endless(io.RawIOBase):
    """A standard input that never ends (`yes | brief run -`)."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"y" * len(buffer)
        return len(buffer)


@pytest.mark.timeout(60)
def test_stdin_is_capped(tmp_path):
    [endless] = iter_documents(["-"], stdin=io.BufferedReader(_Endless()), max_bytes=100_000)
    assert isinstance(endless, LoadFailure) and "over the" in endless.reason
    [latin1] = iter_documents(["-"], stdin=io.BytesIO("Café in Zürich opened.".encode("latin-1")))
    assert isinstance(latin1, Document) and latin1.text == "Café in Zürich opened."


@pytest.mark.timeout(120)
def test_parsing_time_is_bounded_per_document(tmp_path):
    from summariser.errors import DocumentError
    from summariser.parse_guard import ParseGuard

    cells = "".join(f"<td>cell {i}" for i in range(8000))  # unclosed <td>: quadratic in html.parser
    (tmp_path / "a-hostile.html").write_text(f"<html><body><table><tr>{cells}</table></body></html>")
    (tmp_path / "b-fine.html").write_text("<html><body><p>Floods hit Kerala.</p></body></html>")
    # Whatever loader runs, a parse longer than the bound is stopped (a bound far below this parse's cost).
    [item] = iter_documents([str(tmp_path / "a-hostile.html")], parse_timeout_s=0.001)
    assert isinstance(item, LoadFailure) and "longer than 0.001 s" in item.reason
    with ParseGuard(timeout_s=0.001) as guard:
        started = time.monotonic()
        with pytest.raises(DocumentError, match="was stopped"):
            guard.load(tmp_path / "a-hostile.html")
        assert time.monotonic() - started < 30
        guard.timeout_s = 60
        [doc] = guard.load(tmp_path / "b-fine.html")  # a fresh parser process goes on
        assert doc.text.strip() == "Floods hit Kerala."


def test_text_a_parser_inflates_past_the_cap_is_refused(tmp_path):
    cells = "".join(f"<td>cell {i}" for i in range(400))  # ~5 KB of HTML; nested cells repeat the text
    (tmp_path / "t.html").write_text(f"<table><tr>{cells}</table>")
    [item] = iter_documents([str(tmp_path / "t.html")], max_bytes=50_000)
    assert isinstance(item, LoadFailure) and "million limit" in item.reason


def test_cleaning_is_linear_on_long_runs_of_blanks():
    started = time.monotonic()
    assert clean_text("a" + " " * 2_000_000 + "b") == "a" + " " * 2_000_000 + "b"
    assert time.monotonic() - started < 5  # was quadratic: 40,000 blanks took 3 s


def test_jsonl_lines_are_capped_and_deep_nesting_is_an_error(tmp_path):
    rows = tmp_path / "r.jsonl"
    rows.write_text("[" * 100_000 + "\n" + json.dumps({"text": "x" * 300_000}) + "\n" + json.dumps({"text": "Kept."}) + "\n")
    items = list(iter_documents([str(rows)], max_bytes=200_000))
    assert [type(i).__name__ for i in items] == ["LoadFailure", "LoadFailure", "Document"]
    assert "nested too deeply" in items[0].reason and "over the size limit" in items[1].reason


@pytest.mark.timeout(60)
def test_globs_survive_symlink_loops(tmp_path):
    folder = tmp_path / "in"
    (folder / "x").mkdir(parents=True)
    (folder / "x" / "a.txt").write_text("Inside.")
    for name in ("l1", "l2", "l3"):  # each loops to the top: a naive '**' walks 3^40 paths
        os.symlink(folder, folder / "x" / name)
    items = list(iter_documents([f"{folder}/**/*.txt"]))
    assert [d.text for d in items if isinstance(d, Document)] == ["Inside."]


# -- 5. a failing or shared --out ------------------------------------------------------------------
def test_out_that_is_a_file_is_one_clear_line(tmp_path, seed_text):
    (tmp_path / "doc.txt").write_text(seed_text)
    (tmp_path / "outfile").write_text("not a folder")
    result = CliRunner().invoke(app, ["run", str(tmp_path / "doc.txt"), "--out", str(tmp_path / "outfile")])
    assert result.exit_code == 2 and "is a file, not a folder" in result.output
    assert "Traceback" not in result.output


def _in_namespace(script: str) -> subprocess.CompletedProcess:
    """Run `script` with sh in a private mount namespace (root only), so it can mount what it needs."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare(1) for a private mount namespace")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot create a mount namespace: {probe.stderr.decode().strip()}")
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


def _cli(args: str, model: Path) -> str:
    return f"{sys.executable} -m summariser run {args} --model {model} --max-new-tokens 8 --quiet"


@pytest.mark.timeout(400)
def test_read_only_out_is_one_clear_line(tmp_path, tiny_model_dir, seed_text):
    (tmp_path / "doc.txt").write_text(seed_text)
    ro = tmp_path / "ro"
    (ro / "out").mkdir(parents=True)
    done = _in_namespace(f"mount --bind {ro} {ro} && mount -o remount,bind,ro {ro} && "
                         + _cli(f"{tmp_path / 'doc.txt'} --out {ro / 'out'}", tiny_model_dir))
    assert done.returncode == 2, done.stderr
    assert "Read-only file system" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.timeout(400)
def test_full_disk_stops_cleanly_with_whole_files_and_a_valid_log(tmp_path, tiny_model_dir, seed_text):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(8):
        (folder / f"doc{i}.txt").write_text(seed_text.replace("Azerbaijan", f"Azerbaijan ({i})", 1))
    disk, copy = tmp_path / "disk", tmp_path / "copy"
    disk.mkdir()
    done = _in_namespace(f"mount -t tmpfs -o size=40k tmpfs {disk} && "
                         + _cli(f"{folder} --out {disk / 'out'} --format both", tiny_model_dir)
                         + f"; echo rc=$? >&2; cp -a {disk / 'out'} {copy}")
    assert "rc=2" in done.stderr, done.stderr
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
    md, js = {p.stem for p in copy.glob("*.md")}, {p.stem for p in copy.glob("*.json")}
    assert md == js and 0 < len(md) < 8  # the disk filled part-way; every brief has both files
    for path in copy.glob("*.json"):
        json.loads(path.read_text())  # whole
    assert not [p for p in copy.iterdir() if p.name.endswith(".brief-tmp")]
    log = _log(copy)  # every line parses: no half line
    assert sorted(Path(r["name"]).stem for r in log if r["status"] == "done") == sorted(md)


def test_a_second_run_on_the_same_out_is_refused_and_foreign_files_are_left_alone(tmp_path, seed_text):
    (tmp_path / "doc.txt").write_text(seed_text)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".draft.tmp").write_text("the user's own draft")
    (out / ".x.md.123.brief-tmp").write_text("left by a killed run")
    with OutputFolder(out):  # run A holds the folder
        assert (out / ".draft.tmp").exists() and not (out / ".x.md.123.brief-tmp").exists()
        result = CliRunner().invoke(app, ["run", str(tmp_path / "doc.txt"), "--out", str(out)])
        assert result.exit_code == 2 and f"another brief run (pid {os.getpid()})" in result.output
    assert (out / ".draft.tmp").read_text() == "the user's own draft"


def test_a_torn_log_line_is_repaired_and_a_linked_log_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / RUN_LOG).write_text('{"name": "a", "status": "done"}\n{"name": "b", "sta')
    with OutputFolder(out):
        pass
    assert (out / RUN_LOG).read_text() == '{"name": "a", "status": "done"}\n'
    (out / RUN_LOG).unlink()
    (tmp_path / "elsewhere.jsonl").write_text("")
    os.symlink(tmp_path / "elsewhere.jsonl", out / RUN_LOG)
    with pytest.raises(OutputError, match="symbolic link"):
        OutputFolder(out).open()


def test_a_log_write_that_fails_leaves_no_half_line_and_no_brief(tmp_path, tiny, monkeypatch):
    out = tmp_path / "out"
    docs = [Document("1", "one", REPORT.format(n=1, place="Idukki")), Document("2", "two", REPORT.format(n=2, place="Wayanad"))]
    real_write = os.write
    calls = {"n": 0}

    def failing_write(fd, data):  # the second log line hits a full disk after 10 bytes
        if data.endswith(b"\n") and b'"status"' in data:
            calls["n"] += 1
            if calls["n"] == 2:
                real_write(fd, data[:10])
                raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", failing_write)
    with pytest.raises(OutputError, match="No space left"):
        list(run_batch(iter(docs), tiny.brief, out, fmt="both"))
    assert [json.loads(line)["name"] for line in (out / RUN_LOG).read_text().splitlines()] == ["one"]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["one.json", "one.md", RUN_LOG]


# -- 7. unsupported types are said, not silently skipped ------------------------------------------
@pytest.mark.timeout(300)
def test_unsupported_types_are_reported_in_the_summary_and_the_log(tmp_path, tiny_model_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT.format(n=1, place="Idukki"))
    for name in ("b.odt", "c.epub", "d.rtf"):
        (folder / name).write_bytes(b"PK\x03\x04 not read")
    out = tmp_path / "out"
    result = _run([str(folder), "--out", str(out)], tiny_model_dir)
    assert "1 done, 0 failed, 3 skipped (3 unsupported type)" in result.output, result.output
    skipped = {Path(r["name"]).name: r["reason"] for r in _log(out) if r["status"] == "skipped"}
    assert set(skipped) == {"b.odt", "c.epub", "d.rtf"}
    assert all("unsupported file type" in reason for reason in skipped.values())
    (folder / "e.rtf").write_text(r"{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}} Floods hit Kerala.}")
    (folder / "f.txt").write_text(r"{\rtf1\ansi Floods hit Kerala.}")
    named = _run([str(folder / "e.rtf"), str(folder / "f.txt")], tiny_model_dir)
    assert named.exit_code == 1 and "0 done, 2 failed" in named.output
    assert "unsupported file type .rtf" in named.output and "an RTF file" in named.output


@pytest.mark.timeout(60)
def test_a_parse_that_needs_too_much_memory_is_stopped(tmp_path):
    from summariser.errors import DocumentError
    from summariser.parse_guard import ParseGuard

    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(600 * 1024 * 1024)  # sparse: 600 MB that cost nothing to make
    (tmp_path / "small.txt").write_text("Still read.")
    with ParseGuard(memory_mb=256) as guard:
        with pytest.raises(DocumentError, match="more than 256 MiB of memory"):
            guard.load(big, max_bytes=700 * 1024 * 1024)
        assert [d.text for d in guard.load(tmp_path / "small.txt")] == ["Still read."]
