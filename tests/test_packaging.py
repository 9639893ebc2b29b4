"""A wheel install (`pip install .`, not -e) has what the package reads: suites, their data, gold, seed, results."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from summariser import paths
from summariser.errors import ConfigError
from summariser.evaluation.suites import load_suite

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
                           str(ROOT), "-w", str(out)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return next(out.glob("summariser-*.whl"))


def test_the_wheel_ships_suites_seed_gold_and_results(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    suites = {p.name for p in (ROOT / "eval" / "suites").glob("*.toml")}
    assert suites and {f"summariser/data/eval/suites/{s}" for s in suites} <= names
    assert "summariser/data/eval/data/seed-smoke.jsonl" in names
    assert {"summariser/data/eval/gold/actors.jsonl", "summariser/data/eval/gold/judgments.jsonl"} <= names
    seeds = {p.name for p in (ROOT / "seeds").glob("*.txt")}
    assert seeds and {f"summariser/data/seeds/{s}" for s in seeds} <= names
    assert "summariser/data/eval/results/frank-cnndm/summary.json" in names  # the web page's Evaluation tab
    assert "summariser/data/eval/results/frank-cnndm/plots/systems.png" in names
    assert "summariser/prompts/map.toml" in names
    assert not [n for n in names if n.endswith("per_document.jsonl")]  # kept in the repository only


def test_an_unpacked_wheel_finds_its_suites_and_names_the_missing_data(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = """
import summariser, summariser.paths as p
from summariser.errors import ConfigError
from summariser.evaluation.suites import load_suite
from summariser.web.app import RESULTS, SEEDS
print(summariser.__file__)
print(load_suite("seed-smoke").data)
print(sorted(x.name for x in SEEDS.glob("*.txt")))
print((RESULTS / "frank-cnndm" / "summary.json").is_file())
try:
    load_suite("frank-cnndm")
except ConfigError as exc:
    print("error:", exc)
"""
    env = {k: v for k, v in os.environ.items() if k != "SUMMARISER_DATA"}
    env["PYTHONPATH"] = str(site)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env,
                          check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(str(site))  # the unpacked wheel, not the checkout
    assert Path(lines[1]).is_file() and lines[1].startswith(str(site))
    assert lines[2] == str(sorted(p.name for p in (ROOT / "seeds").glob("*.txt")))
    assert lines[3] == "True"
    assert lines[4] == ("error: suite frank-cnndm reads ${SUMMARISER_DATA}/frank-cnndm.jsonl, but SUMMARISER_DATA "
                        "is not set: point it at the folder of the FRANK data (../shared/data beside a checkout)")


def test_summariser_data_names_the_shared_data(monkeypatch, tmp_path):
    (tmp_path / "frank-xsum.jsonl").write_text("{}\n", encoding="utf-8")
    monkeypatch.setenv("SUMMARISER_DATA", str(tmp_path))
    assert load_suite("frank-xsum").data == tmp_path / "frank-xsum.jsonl"


def test_a_missing_data_folder_is_a_one_line_error(monkeypatch, tmp_path):
    monkeypatch.setenv("SUMMARISER_DATA", str(tmp_path / "absent"))
    with pytest.raises(ConfigError) as err:
        load_suite("frank-cnndm")
    assert str(err.value) == (f"suite frank-cnndm reads ${{SUMMARISER_DATA}}/frank-cnndm.jsonl, but "
                              f"SUMMARISER_DATA={tmp_path / 'absent'} is not a folder")
    monkeypatch.delenv("SUMMARISER_DATA")
    monkeypatch.setattr(paths, "checkout_root", lambda: None)  # no ../shared/data to fall back on
    with pytest.raises(ConfigError, match="SUMMARISER_DATA is not set: point it at the folder of the FRANK data"):
        load_suite(str(ROOT / "eval" / "suites" / "actors.toml"))


def test_summariser_data_is_not_a_setting(monkeypatch, tmp_path):
    from summariser.config import load_settings

    monkeypatch.setenv("SUMMARISER_DATA", str(tmp_path))
    assert load_settings().model.name == "smollm2"  # not read as an unknown [data] section
