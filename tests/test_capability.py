"""`bluf_mode = "auto"` and `restate = "auto"`: what each kind of model is given."""

from __future__ import annotations

import pytest

from summariser.backends.capability import CAPABLE_PARAMETERS, resolve_auto, resolve_brief
from summariser.config import BriefConfig, load_settings


class Sized:
    """A stand-in backend: only its name and size matter to the rule."""

    def __init__(self, name: str, parameters: int | None) -> None:
        self.name = name
        self.parameters = parameters


@pytest.mark.parametrize(
    ("backend", "mode", "restate"),
    [
        (Sized("hf", 135_000_000), "extract", False),  # the default model: measured, model modes do not pay
        (Sized("llamacpp", 135_000_000), "extract", False),
        (Sized("openai", 135_000_000), "extract", False),  # the default model served
        (Sized("openai", 500_000_000), "extract", False),
        (Sized("hf", CAPABLE_PARAMETERS), "abstract", True),
        (Sized("openai", 8_000_000_000), "abstract", True),
        (Sized("openai", None), "abstract", True),  # a served model of unstated size
        (Sized("hf", None), "extract", False),  # an in-process model of unknown size is not trusted
    ],
)
def test_auto_picks_by_model_size_and_backend(backend, mode, restate):
    brief = resolve_brief(BriefConfig(), backend)
    assert (brief.bluf_mode, brief.restate) == (mode, restate)


def test_explicit_choices_are_kept():
    big, small = Sized("openai", 70_000_000_000), Sized("hf", 135_000_000)
    assert resolve_brief(BriefConfig(bluf_mode="compress", restate=False), big).model_dump() == \
        BriefConfig(bluf_mode="compress", restate=False).model_dump()
    brief = resolve_brief(BriefConfig(bluf_mode="abstract"), small)
    assert (brief.bluf_mode, brief.restate) == ("abstract", False)  # restate is still auto
    brief = resolve_brief(BriefConfig(restate=True), small)
    assert (brief.bluf_mode, brief.restate) == ("extract", True)


def test_the_defaults_are_auto_and_settings_are_resolved_whole():
    settings = load_settings()
    assert (settings.brief.bluf_mode, settings.brief.restate) == ("auto", "auto")
    resolved = resolve_auto(settings, Sized("openai", None))
    assert (resolved.brief.bluf_mode, resolved.brief.restate) == ("abstract", True)
    assert resolved.model == settings.model and settings.brief.bluf_mode == "auto"  # the input is not changed


def test_the_pipeline_runs_what_auto_resolves_to(tiny):
    # The tiny test model has a few hundred thousand parameters: it gets the extractive BLUF.
    assert tiny.backend.parameters < CAPABLE_PARAMETERS
    assert (tiny.settings.brief.bluf_mode, tiny.settings.brief.restate) == ("extract", False)


def test_restate_accepts_booleans_from_the_environment(monkeypatch):
    monkeypatch.setenv("SUMMARISER_BRIEF__RESTATE", "true")
    assert load_settings().brief.restate is True
    monkeypatch.setenv("SUMMARISER_BRIEF__RESTATE", "auto")
    assert load_settings().brief.restate == "auto"
