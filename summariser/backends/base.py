"""The backend interface and the registry of backend names."""

from __future__ import annotations

import importlib.util
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import lru_cache

from ..config import GenerationConfig, ModelConfig
from ..errors import ConfigError

# A chat conversation: [{"role": "system"|"user"|"assistant", "content": "..."}]
Conversation = list[dict[str, str]]


class Backend(ABC):
    """A model that answers chat conversations. Subclasses implement three members."""

    name: str = "base"
    model_id: str = "unknown"

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


_REGISTRY: dict[str, Callable[[ModelConfig], Backend]] = {}


def register_backend(name: str, factory: Callable[[ModelConfig], Backend]) -> None:
    """Make a backend available under `name` (plugins call this)."""
    _REGISTRY[name] = factory


def _builtin() -> None:
    if "hf" not in _REGISTRY:
        from .hf import HFBackend
        from .llamacpp import LlamaCppBackend
        from .openai_compat import OpenAIBackend

        register_backend("hf", HFBackend)
        register_backend("llamacpp", LlamaCppBackend)
        register_backend("openai", OpenAIBackend)


def backend_name(config: ModelConfig) -> str:
    """The backend a model config resolves to. 'auto': openai when a server URL is set; llamacpp for a
    GGUF model (the default is one) when the llamacpp extra is installed; else hf."""
    if config.backend != "auto":
        return config.backend
    if config.base_url:
        return "openai"
    from .hf import DEFAULT_ALIASES

    gguf = config.name.lower() in DEFAULT_ALIASES or config.name.lower().endswith(".gguf")
    return "llamacpp" if gguf and llamacpp_installed() else "hf"


def llamacpp_installed() -> bool:
    """Whether the llamacpp extra (llama-cpp-python) is importable, without importing it."""
    return importlib.util.find_spec("llama_cpp") is not None


@lru_cache(maxsize=4)
def _cached(config_json: str) -> Backend:
    config = ModelConfig.model_validate_json(config_json)
    _builtin()
    name = backend_name(config)
    if name not in _REGISTRY:
        raise ConfigError(f"unknown backend {name!r}; choose from {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[name](config)


def get_backend(config: ModelConfig) -> Backend:
    """The backend for `config`, loaded once per process and shared by every caller."""
    return _cached(config.model_dump_json())
