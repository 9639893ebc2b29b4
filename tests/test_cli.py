"""`brief run` end to end on the tiny model (in-process, Click's runner)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app


@pytest.fixture()
def corpus(tmp_path: Path, seed_text: str) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "seed.txt").write_text(seed_text)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(bytes(range(256)))
    (folder / "page.html").write_text("<html><body><p>Floods hit Kerala on Monday. The army sent 200 boats "
                                      "to rescue families.</p></body></html>")
    return folder


def _run(args: list[str], model: Path, **kw):
    return CliRunner().invoke(app, ["run", *args, "--model", str(model), "--max-new-tokens", "16"], **kw)


def test_batch_keeps_going_past_bad_documents_and_resumes(corpus, tiny_model_dir, tmp_path):
    out = tmp_path / "out"
    result = _run([str(corpus), "--out", str(out), "--format", "both"], tiny_model_dir)
    assert result.exit_code == 1, result.output  # some documents failed
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith("run-log")) == [
        "page.json", "page.md", "seed.json", "seed.md"
    ]
    json.loads((out / "seed.json").read_text())
    log = [json.loads(line) for line in (out / "run-log.jsonl").read_text().splitlines()]
    assert {r["status"] for r in log} == {"done", "failed"}
    assert {Path(r["name"]).name for r in log if r["status"] == "failed"} == {"empty.txt", "binary.txt"}
    assert "2 done, 2 failed, 0 skipped" in result.output

    before = (out / "seed.md").stat().st_mtime_ns
    again = _run([str(corpus), "--out", str(out), "--format", "both"], tiny_model_dir)
    assert "0 done, 2 failed, 2 skipped" in again.output
    assert (out / "seed.md").stat().st_mtime_ns == before


def test_stdout_and_stdin(tiny_model_dir, seed_text):
    result = _run(["-", "--quiet"], tiny_model_dir, input=seed_text)
    assert result.exit_code == 0, result.output
    assert "## Bottom line up front" in result.stdout
    as_json = _run(["-", "--quiet", "--format", "json"], tiny_model_dir, input=seed_text)
    assert json.loads(as_json.stdout)["sources"][0]["document"] == "stdin"


def test_jsonl_with_text_field(tiny_model_dir, tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        json.dumps({"id": "../evil", "article": "Floods hit Kerala on Monday. The army sent 200 boats."}) + "\n"
        + "{broken\n"
    )
    out = tmp_path / "o"
    result = _run([str(rows), "--text-field", "article", "--out", str(out)], tiny_model_dir)
    assert result.exit_code == 1
    written = [p.name for p in out.glob("*.md")]
    assert len(written) == 1 and written[0].startswith("evil")  # no path traversal from the id


def test_combine_writes_one_brief(corpus, tiny_model_dir, tmp_path):
    out = tmp_path / "c"
    result = _run([str(corpus / "seed.txt"), str(corpus / "page.html"), "--combine", "--out", str(out),
                   "--format", "json"], tiny_model_dir)
    assert result.exit_code == 0, result.output
    [brief] = list(out.glob("combined-*.json"))
    assert [s["document"] for s in json.loads(brief.read_text())["sources"]] == ["seed.txt", "page.html"]


def test_missing_model_is_one_clear_line(corpus):
    result = CliRunner().invoke(app, ["run", str(corpus / "seed.txt"), "--model", "/nope/model.gguf"])
    assert result.exit_code == 2
    assert "GGUF file not found" in result.output
    assert "Traceback" not in result.output


def test_bad_flags_are_usage_errors(corpus):
    result = CliRunner().invoke(app, ["run", str(corpus / "seed.txt"), "--format", "pdf"])
    assert result.exit_code == 2 and "--format" in result.output


def test_help_explains_with_examples():
    result = CliRunner().invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    assert "--combine" in result.output and "Examples" in result.output
