"""Any OpenAI-compatible server (llama.cpp server, vLLM, Ollama ...) on a URL you give.

Requests go through the official `openai` client: a timeout on every request (`generation.timeout_s`,
10 s to connect), retries with exponential backoff after a connection error, a timeout, or HTTP 408,
409, 429 and 5xx (0.5 s doubling up to 8 s with jitter, or the server's Retry-After), at most
`model.max_retries` times. Up to `model.concurrency` requests are in flight at once; a server that
answers one at a time queues the rest. Every failure is a `ServerError` with a one-line message, so a
batch records it against the document and goes on. The API key comes from the environment variable
named by `model.api_key_env`; it is never part of the settings, a message or a log line.

Prompts: when the served model has a tokenizer here (`model.tokenizer`, or a model name that is a
local model such as `smollm2`), the chat template is rendered here, exactly as the local backends
render it, and the rendered text goes to `/v1/completions`; the answers then match those of the local
backends on the same weights. Otherwise the turns go to `/v1/chat/completions` and the server applies
its template; a final assistant turn (an answer the model should continue) is left out and its words
are taken off the start of the answer, since servers differ in whether they continue it.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Any

from ..config import GenerationConfig, ModelConfig
from ..errors import Cancelled, ModelNotFoundError, SummariserError
from .base import Backend
from .chat import Conversation

CHARS_PER_TOKEN = 4  # no tokenizer here: a conservative estimate for chunk sizing
DEFAULT_CONTEXT = 4096  # when neither the server nor a local tokenizer says
CONNECT_TIMEOUT_S = 10.0
MODELS_TIMEOUT_S = 30.0  # listing the models is quick on every server


def _shown_url(url: str) -> str:
    """The URL as messages show it: without a user name or password in it."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if not (parts.username or parts.password):
        return url
    return urlunsplit(parts._replace(netloc=(parts.hostname or "") + (f":{parts.port}" if parts.port else "")))


class ServerError(SummariserError):
    """The model server failed for this request (down, refused the key, no such model, overloaded)."""


_SIZE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*([bm])(?![a-z])", re.IGNORECASE)


def parameters_from_name(name: str) -> int | None:
    """Parameters a model name states, by the usual convention ('SmolLM2-135M', 'qwen2.5:7b',
    'Llama-3.1-8B-Instruct'); None when it states none. The largest figure wins."""
    found = [float(n) * (1e9 if unit.lower() == "b" else 1e6) for n, unit in _SIZE.findall(name.replace("_", "-"))]
    return int(max(found)) if found else None


def _maybe_local(name: str) -> bool:
    """Whether `name` may be a model on this machine: a folder, or a hub id in the local HF cache."""
    from pathlib import Path

    if Path(name).expanduser().is_dir():
        return True
    if name.count("/") != 1:
        return False
    from huggingface_hub.constants import HF_HUB_CACHE

    return (Path(HF_HUB_CACHE) / f"models--{name.replace('/', '--')}").is_dir()


def _local_model(config: ModelConfig) -> tuple[Any | None, str]:
    """The served model's tokenizer when it is on this machine (`model.tokenizer`, else the model name),
    and how briefs name the model."""
    from .gguf import gguf_model_id, gguf_tokenizer, resolve_gguf

    name = config.tokenizer or config.name
    try:
        gguf = resolve_gguf(name)
        if gguf is not None:
            return gguf_tokenizer(gguf, config), gguf_model_id(name, gguf)
        if not config.tokenizer and not _maybe_local(name):  # a server-side name ('llama3.1:8b'): no lookup
            return None, config.name
        from transformers import AutoTokenizer

        path = os.path.expanduser(name)
        return AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=False), config.name
    except (OSError, ValueError, ModelNotFoundError) as exc:
        if config.tokenizer:  # asked for by name: say so rather than fall back quietly
            raise ModelNotFoundError(f"tokenizer {config.tokenizer!r} not found on this machine ({exc})") from None
        return None, config.name


class OpenAIBackend(Backend):
    """Completions over HTTP, several requests in flight at once."""

    name = "openai"

    def __init__(self, config: ModelConfig) -> None:
        import openai

        if not config.base_url:
            raise ModelNotFoundError("the openai backend needs --base-url (e.g. http://127.0.0.1:8080/v1)")
        self.config = config
        self.url = _shown_url(config.base_url.rstrip("/"))
        self._key = os.environ.get(config.api_key_env) or ""
        # Servers that need no key still want the header to be well formed.
        self._client = openai.OpenAI(base_url=config.base_url.rstrip("/"), api_key=self._key or "none", max_retries=config.max_retries)
        self._tok, self.model_id = _local_model(config)
        self._served: dict[str, Any] | None = None  # what /models says about the model, once checked
        self._lock = threading.Lock()

    # -- what the server serves ------------------------------------------------------------
    def _model_info(self) -> dict[str, Any]:
        """The server's entry for our model, fetched once; an unknown model name is an error."""
        with self._lock:
            if self._served is None:
                self._served = self._call(self._fetch_model, MODELS_TIMEOUT_S)
            return self._served

    def _fetch_model(self, client: Any) -> dict[str, Any]:
        import openai

        try:
            models = [m.model_dump() for m in client.models.list()]
        except openai.NotFoundError:
            return {}  # a server without a model list: the name is checked by the first answer
        ids = [str(m.get("id")) for m in models]
        for wanted in (self.config.name, f"{self.config.name}:latest"):  # Ollama adds ':latest'
            if wanted in ids:
                return models[ids.index(wanted)]
        raise ServerError(
            f"the server at {self.url} has no model {self.config.name!r}; it serves: "
            f"{', '.join(ids) or 'nothing'} (choose one with --model)"
        )

    @property
    def parameters(self) -> int | None:
        """Parameters of the served model: as the server reports them, else as its name states."""
        meta = self._model_info().get("meta") or {}
        stated = meta.get("n_params") if isinstance(meta, dict) else None
        if stated:
            return int(stated)
        for name in (self.config.name, self.model_id):
            if (found := parameters_from_name(name)) is not None:
                return found
        return None

    @property
    def context_window(self) -> int:
        info = self._model_info()
        meta = info.get("meta")
        meta = meta if isinstance(meta, dict) else {}
        for value in (info.get("max_model_len"), meta.get("n_ctx"), meta.get("n_ctx_train")):
            if value:
                return int(value)
        if self._tok is not None and getattr(self._tok, "model_max_length", None) and self._tok.model_max_length < 10**6:
            return int(self._tok.model_max_length)
        return DEFAULT_CONTEXT

    def count_tokens(self, text: str) -> int:
        if self._tok is not None:
            return len(self._tok(text, add_special_tokens=False)["input_ids"])
        return max(1, len(text) // CHARS_PER_TOKEN)

    def tokenizer(self) -> Any | None:
        return self._tok

    # -- requests ----------------------------------------------------------------------------
    def _call(self, request: Callable[[Any], Any], timeout: float | None = None) -> Any:
        """Run one request (the client retries by itself) and turn its failure into a `ServerError`."""
        import openai

        client = self._client
        if timeout is not None:
            client = client.with_options(timeout=openai.Timeout(timeout, connect=CONNECT_TIMEOUT_S))
        n = self.config.max_retries
        retries = f"after {n} {'retry' if n == 1 else 'retries'}"
        try:
            return request(client)
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            raise ServerError(
                f"the server at {self.url} refused the API key (HTTP {exc.status_code}); "
                f"set the right key in ${self.config.api_key_env}"
            ) from None
        except openai.NotFoundError:
            raise ServerError(
                f"the server at {self.url} answered HTTP 404 for model {self.config.name!r}: no such model, "
                "or the URL lacks the API path (it usually ends in /v1)"
            ) from None
        except openai.RateLimitError:
            raise ServerError(f"the server at {self.url} is still busy (HTTP 429) {retries}") from None
        except openai.APITimeoutError:
            raise ServerError(f"the server at {self.url} did not answer within {timeout or 600:g} s ({retries})") from None
        except openai.APIConnectionError as exc:
            cause = self._clean(str(exc.__cause__ or exc))
            raise ServerError(f"cannot reach the model server at {self.url} ({retries}): {cause}") from None
        except openai.APIStatusError as exc:
            raise ServerError(
                f"the server at {self.url} answered HTTP {exc.status_code} ({retries}): {self._clean(exc.message)}"
            ) from None

    def _clean(self, message: str) -> str:
        """A server's message, one line, short, and never with the key in it."""
        text = " ".join(message.split())[:300]
        return text.replace(self._key, "***") if self._key else text

    def _answer(self, conversation: Conversation, options: GenerationConfig) -> str:
        self._model_info()  # a wrong model name fails here, with the names the server has
        sampling: dict[str, Any] = {
            "model": self.config.name,
            "max_tokens": options.max_new_tokens,
            "temperature": options.temperature,
            "top_p": options.top_p,
            "seed": options.seed,
            # Not in the OpenAI API: llama.cpp and Ollama call it repeat_penalty, vLLM repetition_penalty.
            "extra_body": {"repeat_penalty": options.repetition_penalty,
                           "repetition_penalty": options.repetition_penalty},
        }
        if options.ignore_eos:  # vLLM and llama.cpp's servers know both (benchmarks only)
            sampling["extra_body"].update(ignore_eos=True, min_tokens=options.max_new_tokens)
        if self._tok is not None:
            from .chat import encode_conversation

            ids = encode_conversation(self._tok, conversation)
            limit = self.context_window - options.max_new_tokens
            ids = ids[-limit:] if len(ids) > limit else ids
            # As text: servers take token ids in different shapes, and the rendered template (special
            # tokens included) tokenizes back to the same ids.
            prompt = self._tok.decode(ids)
            out = self._call(lambda c: c.completions.create(prompt=prompt, **sampling), options.timeout_s)
            return str(out.choices[0].text or "").strip()
        prefill = conversation[-1]["content"] if conversation and conversation[-1]["role"] == "assistant" else ""
        messages = conversation[:-1] if prefill else conversation
        out = self._call(lambda c: c.chat.completions.create(messages=messages, **sampling), options.timeout_s)
        text = str(out.choices[0].message.content or "").strip()
        if prefill and text.lower().startswith(prefill.lower()):
            text = text[len(prefill) :].strip()  # the answer restated the words it was to continue
        return text

    def generate(
        self,
        conversations: list[Conversation],
        options: GenerationConfig,
        should_stop: Callable[[], bool] | None = None,
    ) -> list[str]:
        if not conversations:
            return []
        workers = max(1, min(self.config.concurrency, len(conversations)))
        if workers == 1:
            answers = []
            for conversation in conversations:
                if should_stop and should_stop():
                    raise Cancelled("cancelled")
                answers.append(self._answer(conversation, options))
            return answers

        def one(conversation: Conversation) -> str:
            if should_stop and should_stop():  # requests not yet sent are not sent after a cancel
                raise Cancelled("cancelled")
            return self._answer(conversation, options)

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="openai") as pool:
            futures: list[Future[str]] = [pool.submit(one, c) for c in conversations]
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            failed = next((f for f in futures if f in done and f.exception() is not None), None)
            if failed is not None:
                for future in futures:
                    future.cancel()
                raise failed.exception()  # type: ignore[misc]
        return [f.result() for f in futures]
