"""The backend interface. The registry of backend names is `registry.py` (this module imports no backend)."""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar

from ..config import GenerationConfig, ModelConfig
from .chat import Conversation

__all__ = ["Backend", "Conversation"]


class Backend(ABC):
    """A model that answers chat conversations. Subclasses implement three members."""

    name: str = "base"
    model_id: str = "unknown"
    config: ModelConfig

    #: The `ModelConfig` fields that decide what is loaded (weights, tokenizer, connection). Two configs
    #: equal on these share one loaded backend (`with_config`), so changing e.g. `batch_size` does not
    #: load the model again. None (the safe default for plugins): every field.
    load_fields: ClassVar[tuple[str, ...] | None] = None

    @property
    @abstractmethod
    def context_window(self) -> int:
        """Tokens the model can attend to (prompt + answer)."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes in this model's tokenizer."""

    @abstractmethod
    def generate(
        self,
        conversations: list[Conversation],
        options: GenerationConfig,
        should_stop: Callable[[], bool] | None = None,
    ) -> list[str]:
        """One answer per conversation, without the prompt echoed, in input order.

        `should_stop` is polled while generating; when it turns true the backend raises `Cancelled`.
        """

    def tokenizer(self) -> object | None:
        """The Hugging Face tokenizer, when there is one (used for token-aware chunking)."""
        return None

    @property
    def parameters(self) -> int | None:
        """The model's parameter count, when known (decides what `auto` modes give the model)."""
        return None

    def with_config(self, config: ModelConfig) -> Backend:
        """This loaded backend answering under `config`, which differs from its own only outside
        `load_fields`: a shallow copy that shares the loaded model and reads the new settings."""
        clone = copy.copy(self)
        clone.config = config
        return clone


def __getattr__(name: str) -> Any:
    # The registry used to live here; `from summariser.backends.base import get_backend` keeps working.
    if name in {"get_backend", "register_backend", "backend_name", "llamacpp_installed"}:
        from . import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
