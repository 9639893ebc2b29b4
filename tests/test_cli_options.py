"""The model flags are declared once (`ModelOptions`) and reach the settings of both commands."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from typing import get_args

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.cli import options as cli_options
from summariser.cli.options import BlufMode, Dtype, ModelOptions
from summariser.config import BriefConfig, ModelConfig
from summariser.errors import ConfigError


def test_enum_choices_are_the_config_choices():
    assert [m.value for m in BlufMode] == list(get_args(BriefConfig.model_fields["bluf_mode"].annotation))
    assert [d.value for d in Dtype] == list(get_args(ModelConfig.model_fields["dtype"].annotation))


def test_model_options_become_settings_by_keyword():
    s = ModelOptions(model="m", seed=3, overlap=7, bluf_mode=BlufMode.compress, dtype=Dtype.float32).settings()
    assert (s.model.name, s.generation.seed, s.chunking.overlap_tokens) == ("m", 3, 7)
    assert (s.brief.bluf_mode, s.model.dtype) == ("compress", "float32")
    assert ModelOptions().settings() == ModelOptions().settings(load={})  # nothing given: defaults


@pytest.mark.parametrize("command", [["run", "doc.txt"], ["eval", "--suite", "seed-smoke"]])
def test_both_commands_take_the_same_model_flags(monkeypatch, command):
    seen = []

    def capture(settings):
        seen.append(settings)
        raise ConfigError("stop here")  # a usage error: nothing runs

    monkeypatch.setattr(cli_options, "check_model_file", capture)
    monkeypatch.setattr("summariser.cli.run.check_model_file", capture)
    monkeypatch.setattr("summariser.cli.eval.check_model_file", capture)
    flags = ["--model", "x.gguf", "--seed", "9", "--bluf-mode", "extract", "--dtype", "bfloat16", "--threads", "1",
             "--max-new-tokens", "12", "--temperature", "0.5", "--chunk-tokens", "128", "--overlap", "4"]
    result = CliRunner().invoke(app, [*command, *flags])
    assert result.exit_code == 2 and "stop here" in result.output
    s = seen[0]
    assert (s.model.name, s.model.dtype, s.model.threads, s.brief.bluf_mode) == ("x.gguf", "bfloat16", 1, "extract")
    assert (s.generation.seed, s.generation.max_new_tokens, s.generation.temperature) == (9, 12, 0.5)
    assert (s.chunking.chunk_tokens, s.chunking.overlap_tokens) == (128, 4)


@pytest.mark.parametrize("flag", ["--bluf-mode", "--dtype", "--format"])
def test_a_choice_outside_the_set_is_a_usage_error_naming_the_choices(flag):
    result = CliRunner().invoke(app, ["run", "doc.txt", flag, "nonsense"])
    assert result.exit_code == 2
    assert "nonsense" in result.output and "is not one of" in result.output


def test_model_flags_are_declared_once():
    folder = Path(cli_options.__file__).parent
    for path in (folder / "run.py", folder / "eval.py"):
        text = path.read_text(encoding="utf-8")
        assert "--max-new-tokens" not in text and "--bluf-mode" not in text  # only options.py declares them
    assert {f.name for f in fields(ModelOptions)} >= {"model", "backend", "base_url", "bluf_mode", "dtype", "seed"}


@pytest.mark.parametrize("module", ["summariser.cli", "summariser.cli.app", "summariser.cli.run", "summariser.cli.eval",
                                    "summariser.cli.demo", "summariser.cli.options", "summariser.web.jobs"])
def test_cli_modules_import_on_their_own(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
