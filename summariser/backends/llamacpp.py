"""GGUF models through llama.cpp (`llama-cpp-python`, an optional extra): the fastest CPU path.

Prompts are token-for-token those of the `hf` backend: the same Hugging Face tokenizer renders the
same chat template (prefill included), and llama.cpp receives the token ids. llama.cpp reuses the
evaluated prefix of the previous prompt by itself, so few-shot turns are not recomputed.
Sampling differs in one detail: llama.cpp's repetition penalty looks back a fixed window.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from ..config import GenerationConfig, ModelConfig
from ..errors import Cancelled, ConfigError, ModelNotFoundError
from .base import Backend
from .chat import Conversation, encode_conversation
from .gguf import gguf_model_id, gguf_tokenizer, resolve_gguf

LAST_N_TOKENS = 256  # the window llama.cpp's repetition penalty looks back over

INSTALL_HINT = (
    "the llamacpp backend needs llama-cpp-python: pip install 'llama-cpp-python==0.3.36' "
    "(it compiles llama.cpp, about 4 minutes on 2 cores)"
)


class LlamaCppBackend(Backend):
    """One prompt at a time through llama.cpp; greedy when temperature is 0."""

    name = "llamacpp"
    load_fields = ("name", "cache_dir", "threads")  # llama.cpp takes its thread count when it loads

    def __init__(self, config: ModelConfig) -> None:
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ConfigError(INSTALL_HINT) from None
        path = resolve_gguf(config.name)
        if path is None:
            raise ModelNotFoundError(f"the llamacpp backend runs GGUF files; {config.name!r} is not one")
        self.config = config
        started = time.perf_counter()
        self._tok = gguf_tokenizer(path, config)
        self._llm = Llama(
            model_path=str(path),
            n_ctx=0,  # the model's own context length
            n_threads=config.threads or os.cpu_count() or 1,
            last_n_tokens_size=LAST_N_TOKENS,
            verbose=False,
        )
        self.model_id = gguf_model_id(config.name, path)
        self.load_seconds = time.perf_counter() - started

    @property
    def context_window(self) -> int:
        return int(self._llm.n_ctx())

    def count_tokens(self, text: str) -> int:
        return len(self._tok(text, add_special_tokens=False)["input_ids"])

    def tokenizer(self) -> Any:
        return self._tok

    @property
    def parameters(self) -> int:
        return int(self._llm._model.n_params())  # noqa: SLF001 - the public Llama has no accessor

    def generate(
        self,
        conversations: list[Conversation],
        options: GenerationConfig,
        should_stop: Callable[[], bool] | None = None,
    ) -> list[str]:
        from llama_cpp import LogitsProcessorList, MinTokensLogitsProcessor, StoppingCriteriaList

        answers = []
        limit = self.context_window - options.max_new_tokens
        for conversation in conversations:
            ids = encode_conversation(self._tok, conversation)
            ids = ids[-limit:] if len(ids) > limit else ids
            deadline = time.monotonic() + options.timeout_s if options.timeout_s else None

            def stop(_ids: Any, _logits: Any, deadline: float | None = deadline) -> bool:
                # Polled after every token: a cancel takes effect at once, like the hf backend's.
                return bool(should_stop and should_stop()) or (deadline is not None and time.monotonic() > deadline)

            if should_stop and should_stop():
                raise Cancelled("cancelled")
            out = self._llm.create_completion(
                prompt=ids,
                max_tokens=options.max_new_tokens,
                temperature=options.temperature,
                top_p=options.top_p,
                top_k=0,
                min_p=0.0,
                repeat_penalty=options.repetition_penalty,
                seed=options.seed,
                stopping_criteria=StoppingCriteriaList([stop]),
                logits_processor=LogitsProcessorList(
                    [MinTokensLogitsProcessor(options.max_new_tokens, self._llm.token_eos())]
                ) if options.ignore_eos else None,
            )
            if should_stop and should_stop():
                raise Cancelled("cancelled")
            answers.append(out["choices"][0]["text"].strip())  # type: ignore[index]  # not streamed: one response
        return answers
