"""LangChain glue: a backend as a Runnable, and `prompt | model | parser` chains."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompt_values import PromptValue
from langchain_core.runnables import Runnable, RunnableConfig

from .backends.base import Backend, Conversation
from .config import GenerationConfig
from .prompts import load_prompt

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


def to_conversation(value: PromptValue) -> Conversation:
    """LangChain messages as plain chat turns."""
    return [{"role": _ROLES.get(m.type, m.type), "content": str(m.content)} for m in value.to_messages()]


class BackendRunnable(Runnable[PromptValue, str]):
    """Runs a backend; `batch` sends all prompts in one call so the backend can batch them."""

    def __init__(
        self,
        backend: Backend,
        options: GenerationConfig,
        on_batch: Callable[[int], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        self.backend = backend
        self.options = options
        self.on_batch = on_batch
        self.should_stop = should_stop

    def invoke(self, input: PromptValue, config: RunnableConfig | None = None, **kwargs: Any) -> str:
        return self.batch([input], config)[0]

    def batch(
        self,
        inputs: list[PromptValue],
        config: RunnableConfig | list[RunnableConfig] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[str]:
        if not inputs:
            return []
        answers = self.backend.generate([to_conversation(v) for v in inputs], self.options, self.should_stop)
        if self.on_batch:
            self.on_batch(len(inputs))
        return answers


def make_chain(
    name: str,
    backend: Backend,
    options: GenerationConfig,
    on_batch: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Runnable[dict[str, Any], str]:
    """`prompts/<name>.toml | backend | StrOutputParser()`."""
    return load_prompt(name) | BackendRunnable(backend, options, on_batch, should_stop) | StrOutputParser()
