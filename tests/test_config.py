from pathlib import Path

import pytest

from summariser.config import load_settings
from summariser.errors import ConfigError


def test_defaults_are_greedy_and_seeded(monkeypatch):
    for key in list(__import__("os").environ):
        if key.startswith("SUMMARISER_"):
            monkeypatch.delenv(key)
    s = load_settings()
    assert s.generation.temperature == 0.0
    assert s.generation.seed == 0
    assert s.model.name == "smollm2"


def test_precedence_file_then_env_then_flags(tmp_path: Path, monkeypatch):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[generation]\nseed = 1\nmax_new_tokens = 50\ntemperature = 0.3\n")
    monkeypatch.setenv("SUMMARISER_GENERATION__SEED", "2")
    s = load_settings(cfg, generation={"temperature": 0.9, "max_new_tokens": None})
    assert s.generation.max_new_tokens == 50  # from the file (flag not given)
    assert s.generation.seed == 2  # env beats file
    assert s.generation.temperature == 0.9  # flag beats both


def test_bad_values_give_one_line_errors(tmp_path: Path):
    with pytest.raises(ConfigError, match="generation.temperature"):
        load_settings(generation={"temperature": -1})
    bad = tmp_path / "bad.toml"
    bad.write_text("[generation\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(bad)
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="unknown setting generation.temprature"):
        load_settings(generation={"temprature": 0.1})


def test_dtype_and_backend_flags_reach_the_settings():
    from summariser.cli.options import build_settings

    assert build_settings().model.dtype == "auto"
    s = build_settings(dtype="float32", backend="llamacpp")
    assert (s.model.dtype, s.model.backend) == ("float32", "llamacpp")
    with pytest.raises(ConfigError, match="dtype"):
        build_settings(dtype="fp8")


def test_the_readme_settings_example_loads_and_shows_the_defaults(tmp_path):
    # The README's settings.toml must be a valid config, and what it shows for the brief, salience,
    # actors and injection sections must be the defaults that run (no stale numbers).
    from pathlib import Path

    from summariser.config import Settings, load_settings

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("# settings.toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "s.toml").write_text(block, encoding="utf-8")
    shown, default = load_settings(tmp_path / "s.toml"), Settings()
    for section in ("brief", "salience", "actors", "injection"):
        assert getattr(shown, section) == getattr(default, section), section
