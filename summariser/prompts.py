"""Prompt templates, loaded from the `prompts/` folder into LangChain chat templates."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

from .errors import ConfigError
from .injection import TEMPLATE_TOKEN

# Markers a document could use to break out of its delimiter or forge chat turns.
_CONTROL = re.compile(
    r"<\s*/?\s*document\s*>|<\|[^|>]{1,40}\|>|<\s*/?\s*(?:s|system|user|assistant|im_start|im_end)\s*>",
    re.IGNORECASE,
)


# Zero-width and other format characters: they can hide a token from the patterns above.
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def prompts_dir() -> Path:
    """Where the templates live: packaged copy first, else the repository's `prompts/`."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "prompts", here.parent / "prompts"):
        if (candidate / "map.toml").is_file():
            return candidate
    raise ConfigError(f"prompt templates not found next to {here}")


@lru_cache(maxsize=32)
def load_prompt(name: str, folder: Path | None = None) -> ChatPromptTemplate:
    """The chat template `prompts/<name>.toml` (keys `system`, `user`, optional `examples`, `prefill`)."""
    path = (folder or prompts_dir()) / f"{name}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"prompt template missing: {path}") from None
    if "user" not in data:
        raise ConfigError(f"prompt template {path} has no 'user' entry")
    messages = [("system", data["system"])] if data.get("system") else []
    for question, answer in data.get("examples", []):  # few-shot turns
        messages += [("human", question.replace("{", "{{").replace("}", "}}")), ("ai", answer.replace("{", "{{").replace("}", "}}"))]
    messages.append(("human", data["user"]))
    if data.get("prefill"):  # the model continues this assistant turn
        messages.append(("ai", data["prefill"]))
    return ChatPromptTemplate.from_messages(messages)


def fence(text: str) -> str:
    """Source text made safe to put between `<document>` markers: no markers, no chat-template or role
    tokens of any model family (ChatML, Llama, Gemma, Mistral, Phi...), no invisible characters.

    The pipeline screens whole documents for planted instructions first (`summariser.injection`);
    this is the last line before a prompt, for any text that reaches one.
    """
    text = _INVISIBLE.sub("", text)
    return TEMPLATE_TOKEN.sub(" ", _CONTROL.sub(" ", text)).strip()
