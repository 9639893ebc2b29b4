"""Which work a model is given: the rule behind `bluf_mode = "auto"` and `restate = "auto"`.

With the 135M default, the model loses to the source's own salient sentences when it writes the BLUF
(`abstract`: about 3.5 ROUGE-1 points on FRANK CNN/DM) or ties with them at a second more per document
(`compress`), and 4 of 69 judgment restatements pass the checks (eval/results/ablation-frank-cnndm.md).
So a small model gets `extract` and no restatements. A model of at least `CAPABLE_PARAMETERS`, or a
served model whose size neither the server nor its name states (people serve models larger than what
runs in-process), writes the BLUF (`abstract`) and restates judgments and implications; every answer
is still checked against the source, and falls back to the source's words when it fails.

The 1B line is a judgement, not a measurement: the default model is the only one measured here.
"""

from __future__ import annotations

from ..config import BriefConfig, Settings
from .base import Backend

CAPABLE_PARAMETERS = 1_000_000_000


def is_capable(backend: Backend) -> bool:
    """True when the model is trusted to write the BLUF and restate judgments (see the module docstring)."""
    parameters = backend.parameters
    if parameters is None:
        return backend.name == "openai"
    return parameters >= CAPABLE_PARAMETERS


def resolve_brief(brief: BriefConfig, backend: Backend) -> BriefConfig:
    """`brief` with its 'auto' choices made for this backend's model (others are kept as given)."""
    if brief.bluf_mode != "auto" and brief.restate != "auto":
        return brief
    capable = is_capable(backend)
    update: dict[str, object] = {}
    if brief.bluf_mode == "auto":
        update["bluf_mode"] = "abstract" if capable else "extract"
    if brief.restate == "auto":
        update["restate"] = capable
    return brief.model_copy(update=update)


def resolve_auto(settings: Settings, backend: Backend) -> Settings:
    """`settings` with the brief's 'auto' choices made for `backend` (what runs is what provenance shows)."""
    brief = resolve_brief(settings.brief, backend)
    return settings if brief is settings.brief else settings.model_copy(update={"brief": brief})
