"""Issue #13 item 6: every reported traceback is now one clear line, and usage errors exit 2 before any work."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.config import load_settings
from summariser.errors import ConfigError
from summariser.load import Document, LoadFailure, iter_documents


def _no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def test_config_pointing_at_a_folder(tmp_path, seed_text):
    (tmp_path / "doc.txt").write_text(seed_text)
    result = CliRunner().invoke(app, ["run", str(tmp_path / "doc.txt"), "--config", str(tmp_path)])
    assert result.exit_code == 2 and "is a folder, not a TOML file" in result.output
    _no_traceback(result)


def test_a_whole_section_and_one_of_its_keys_in_the_environment(tmp_path, seed_text, monkeypatch):
    monkeypatch.setenv("SUMMARISER_MODEL", "foo")
    monkeypatch.setenv("SUMMARISER_MODEL__NAME", "bar")
    (tmp_path / "doc.txt").write_text(seed_text)
    result = CliRunner().invoke(app, ["run", str(tmp_path / "doc.txt")])
    assert result.exit_code == 2 and "SUMMARISER_MODEL names a whole section" in result.output
    _no_traceback(result)


def test_a_top_level_model_key_is_an_error_not_ignored(tmp_path):
    (tmp_path / "s.toml").write_text('model = "x"\n')
    with pytest.raises(ConfigError, match=r'must be a \[model\] section'):
        load_settings(tmp_path / "s.toml", model={"name": None})  # as the CLI calls it, with no --model
    (tmp_path / "t.toml").write_text("[modle]\nname = 'x'\n")
    with pytest.raises(ConfigError, match=r"unknown section \[modle\]"):
        load_settings(tmp_path / "t.toml")


@pytest.mark.parametrize("rows", ["", '{"body": "x", "summary": "y"}\n'], ids=["empty file", "wrong field"])
def test_eval_with_nothing_to_score(tmp_path, tiny_model_dir, rows):
    (tmp_path / "d.jsonl").write_text(rows)
    result = CliRunner().invoke(app, ["eval", "--data", str(tmp_path / "d.jsonl"), "--model", str(tiny_model_dir),
                                      "--out", str(tmp_path / "run"), "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 2 and "could be scored" in result.output
    _no_traceback(result)


def test_eval_limit_zero_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["eval", "--suite", "seed-smoke", "--limit", "0"])
    assert result.exit_code == 2 and "--limit" in result.output
    _no_traceback(result)


def test_closed_stdin_is_one_line(tmp_path):
    done = subprocess.run(
        ["sh", "-c", f"exec {sys.executable} -m summariser run - --quiet <&-"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "standard input is closed" in done.stderr and "Traceback" not in done.stderr


def test_latin1_on_stdin_is_read_like_a_file(tmp_path, tiny_model_dir):
    text = "Le café de Zürich a fermé lundi. Les employés ont été informés."
    result = CliRunner().invoke(app, ["run", "-", "--quiet", "--format", "json", "--model", str(tiny_model_dir),
                                      "--max-new-tokens", "8"], input=text.encode("latin-1"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sources"][0]["words"] == len(text.split())
    [doc] = iter_documents(["-"], stdin=[text])  # lines in hand work too
    assert isinstance(doc, Document) and doc.text == text


def test_a_text_file_named_gguf_is_a_usage_error_before_any_work(tmp_path, seed_text):
    (tmp_path / "doc.txt").write_text(seed_text)
    (tmp_path / "model.gguf").write_text("not a model")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(tmp_path / "doc.txt"), "--model", str(tmp_path / "model.gguf"),
                                      "--out", str(out)])
    assert result.exit_code == 2 and "is not a GGUF file" in result.output
    assert not out.exists()  # before any work: nothing read, nothing written
    _no_traceback(result)


@pytest.mark.parametrize("how", ["flag", "env"])
def test_an_out_of_range_seed_is_a_usage_error(tmp_path, seed_text, monkeypatch, how):
    (tmp_path / "doc.txt").write_text(seed_text)
    args = ["run", str(tmp_path / "doc.txt"), "--out", str(tmp_path / "out")]
    if how == "flag":
        args += ["--seed", "100000000000000000000000"]
    else:
        monkeypatch.setenv("SUMMARISER_GENERATION__SEED", "100000000000000000000000")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "generation.seed" in result.output
    assert not (tmp_path / "out").exists()
    _no_traceback(result)
    assert CliRunner().invoke(app, ["run", str(tmp_path / "doc.txt"), "--seed", "1e23"]).exit_code == 2


def test_a_model_that_cannot_load_stops_the_run_once(tmp_path, seed_text):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.txt").write_text(seed_text)
    broken = tmp_path / "model"
    broken.mkdir()
    (broken / "config.json").write_text("{ not json")
    result = CliRunner().invoke(app, ["run", str(folder), "--model", str(broken), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert result.output.count("error:") == 1 and "internal error" not in result.output
    _no_traceback(result)


def test_stdin_failures_are_records(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    [item] = iter_documents(["-"])
    assert isinstance(item, LoadFailure) and "closed" in item.reason
