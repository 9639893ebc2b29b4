"""Any OpenAI-compatible chat server (llama.cpp server, vLLM, Ollama ...) on a URL you give."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable

from ..config import GenerationConfig, ModelConfig
from ..errors import Cancelled, ModelNotFoundError, SummariserError
from .base import Backend, Conversation

CHARS_PER_TOKEN = 4  # no tokenizer on our side: a conservative estimate for chunk sizing


class OpenAIBackend(Backend):
    """Chat completions over HTTP; one request per conversation."""

    name = "openai"

    def __init__(self, config: ModelConfig, context_window: int = 4096) -> None:
        if not config.base_url:
            raise ModelNotFoundError("the openai backend needs --base-url (e.g. http://127.0.0.1:8080/v1)")
        self.config = config
        self.model_id = config.name
        self._context = context_window

    @property
    def context_window(self) -> int:
        return self._context

    def count_tokens(self, text: str) -> int:
        return max(1, len(text) // CHARS_PER_TOKEN)

    def _post(self, body: dict[str, object], timeout: float) -> str:
        url = self.config.base_url.rstrip("/") + "/chat/completions"  # type: ignore[union-attr]
        headers = {"Content-Type": "application/json"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        request = urllib.request.Request(url, json.dumps(body).encode(), headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                payload = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise SummariserError(f"server at {url} answered HTTP {exc.code}: {exc.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SummariserError(f"cannot reach model server at {url}: {exc}") from None
        try:
            return str(payload["choices"][0]["message"]["content"]).strip()
        except (KeyError, IndexError, TypeError):
            raise SummariserError(f"server at {url} sent an unexpected answer") from None

    def generate(
        self,
        conversations: list[Conversation],
        options: GenerationConfig,
        should_stop: Callable[[], bool] | None = None,
    ) -> list[str]:
        answers = []
        for conv in conversations:
            if should_stop and should_stop():
                raise Cancelled("cancelled")
            answers.append(self._answer(conv, options))
        return answers

    def _answer(self, conv: Conversation, options: GenerationConfig) -> str:
        return self._post(
            {
                "model": self.model_id,
                "messages": conv,
                "max_tokens": options.max_new_tokens,
                "temperature": options.temperature,
                "top_p": options.top_p,
                "seed": options.seed,
            },
            options.timeout_s,
        )
