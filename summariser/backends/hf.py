"""Local models through transformers + torch (CPU, fp32).

Accepts the packaged default ('smollm2'), a `.gguf` file, a Hugging Face model folder, or a model id
already in the local HF cache. Nothing is downloaded: a missing model raises `ModelNotFoundError`
that says how to get it. A GGUF file is de-quantised once, then cached as safetensors so later
starts skip the slow conversion.
"""

from __future__ import annotations

import logging
import os
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config import GenerationConfig, ModelConfig
from ..errors import Cancelled, ModelNotFoundError
from .base import Backend
from .chat import Conversation, encode_conversation, template_ids
from .gguf import converted_dir, gguf_model_id, resolve_gguf

log = logging.getLogger(__name__)


def resolve_dtype(choice: str) -> str:
    """'bfloat16' or 'float32'. 'auto' picks bfloat16 only where the CPU has native bf16 arithmetic:
    elsewhere it is emulated and slower than float32."""
    if choice != "auto":
        return choice
    import torch

    try:
        native = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        native = False
    return "bfloat16" if native else "float32"


class HFBackend(Backend):
    """A causal LM run with `generate`, batched with left padding."""

    name = "hf"
    # Weights, their dtype and the conversion cache; threads are set (process-wide) when loading.
    # batch_size and prefix_cache are read per call, so changing them reuses the loaded model.
    load_fields = ("name", "dtype", "cache_dir", "threads")

    def __init__(self, config: ModelConfig) -> None:
        import torch
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # our own progress bars report the work
        hf_logging.set_verbosity_error()
        self.config = config
        torch.set_num_threads(config.threads or os.cpu_count() or 1)
        started = time.perf_counter()
        self.model_id, self._tok, self._model = self._load(config)
        self.dtype = resolve_dtype(config.dtype)
        self._model.to(getattr(torch, self.dtype))
        self.load_seconds = time.perf_counter() - started
        if self._tok.pad_token is None:
            self._tok.pad_token = self._tok.eos_token
        self._tok.padding_side = "left"
        self._model.eval()
        # Attention caches of fixed prompt prefixes, most recently used last (see `_prefix_cache`).
        self._prefixes: OrderedDict[tuple[int, ...], Any] = OrderedDict()

    # -- loading -----------------------------------------------------------------------------
    def _load(self, config: ModelConfig) -> tuple[str, Any, Any]:
        name = config.name
        gguf = resolve_gguf(name)
        if gguf is not None:
            return self._load_gguf(gguf, config, model_id=gguf_model_id(name, gguf))
        path = Path(name).expanduser()
        if path.is_dir():
            if not (path / "config.json").is_file():
                raise ModelNotFoundError(f"{path} is not a Hugging Face model folder (no config.json)")
            return (path.name, *self._from_pretrained(str(path)))
        if path.exists():
            raise ModelNotFoundError(f"{path} is neither a .gguf file nor a model folder")
        try:
            return (name, *self._from_pretrained(name, local_files_only=True))
        except (OSError, ValueError) as exc:
            raise ModelNotFoundError(
                f"model {name!r} is not on this machine and nothing is downloaded at run time. "
                f"Give a local folder or .gguf file, or fetch it once where you have internet "
                f"(`huggingface-cli download {name}`) and copy the HF cache here. ({exc.__class__.__name__})"
            ) from None

    @staticmethod
    def _from_pretrained(source: str, gguf_file: str | None = None, local_files_only: bool = True) -> tuple[Any, Any]:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        kwargs: dict[str, Any] = {"local_files_only": local_files_only, "trust_remote_code": False}
        if gguf_file:
            kwargs["gguf_file"] = gguf_file
        tok = AutoTokenizer.from_pretrained(source, **kwargs)
        model = AutoModelForCausalLM.from_pretrained(source, dtype=torch.float32, **kwargs)
        return tok, model

    def _load_gguf(self, path: Path, config: ModelConfig, model_id: str) -> tuple[str, Any, Any]:
        cache = converted_dir(path, config)
        if (cache / "config.json").is_file():
            try:
                return (model_id, *self._from_pretrained(str(cache)))
            except Exception as exc:  # noqa: BLE001 - a broken cache is rebuilt, not fatal
                log.warning("converted-weights cache at %s unusable (%s); rebuilding", cache, exc)
        tok, model = self._from_pretrained(str(path.parent), gguf_file=path.name)
        try:
            # The weights are already de-quantised to fp32; drop the GGUF marker so they can be saved.
            model.hf_quantizer = None
            if hasattr(model.config, "quantization_config"):
                del model.config.quantization_config
            tmp = cache.with_name(cache.name + f".tmp{os.getpid()}")
            tok.save_pretrained(tmp)
            model.save_pretrained(tmp)
            if cache.exists():
                import shutil

                shutil.rmtree(cache)
            tmp.rename(cache)  # atomic: a half-written cache is never picked up
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("could not cache converted weights in %s: %s", cache, exc)
        return model_id, tok, model

    # -- interface ---------------------------------------------------------------------------
    @property
    def context_window(self) -> int:
        return int(getattr(self._model.config, "max_position_embeddings", 2048) or 2048)

    def count_tokens(self, text: str) -> int:
        return len(self._tok(text, add_special_tokens=False)["input_ids"])

    def tokenizer(self) -> Any:
        return self._tok

    @property
    def model(self) -> Any:
        """The loaded transformers model (benchmarks time steps the backend does not take, such as torch.compile)."""
        return self._model

    @property
    def parameters(self) -> int:
        return int(sum(p.numel() for p in self._model.parameters()))

    def _encode(self, conversation: Conversation) -> list[int]:
        return encode_conversation(self._tok, conversation)

    def _fixed_prefix(self, conversation: Conversation, ids: list[int]) -> tuple[int, ...]:
        """The tokens of the turns before the final question: the same for every call of a prompt.

        Empty when the template does not render those turns as a token prefix of the whole prompt.
        """
        last_user = max((i for i, m in enumerate(conversation) if m["role"] == "user"), default=0)
        if not self.config.prefix_cache or last_user == 0 or not self._tok.chat_template:
            return ()
        head = template_ids(self._tok, conversation[:last_user], add_generation_prompt=False)
        # Too short to be worth a cache, or not a clean prefix (a template that rewrites earlier turns).
        if len(head) < 16 or len(head) >= len(ids) or ids[: len(head)] != head:
            return ()
        return tuple(head)

    def _prefix_cache(self, prefix: tuple[int, ...]) -> Any:
        """The attention cache after `prefix`, computed once and kept for the next calls."""
        import torch
        from transformers import DynamicCache

        if prefix in self._prefixes:
            self._prefixes.move_to_end(prefix)
            return self._prefixes[prefix]
        cache = DynamicCache(config=self._model.config)
        with torch.inference_mode():
            self._model(input_ids=torch.tensor([list(prefix)]), cache=cache, use_cache=True)
        self._prefixes[prefix] = cache
        while len(self._prefixes) > 8:  # a few prompt templates are in use at a time
            self._prefixes.popitem(last=False)
        return cache

    def _inputs(self, encoded: list[list[int]], prefix: tuple[int, ...]) -> dict[str, Any]:
        """Model inputs for one batch: left-padded, or with the padding after a cached prefix.

        Padding between the prefix and each prompt's own tokens is masked out; positions come from
        the mask, so every row sees the same positions it would see alone.
        """
        import copy

        import torch

        if not prefix:
            return dict(self._tok.pad({"input_ids": encoded}, return_tensors="pt"))
        fixed = list(prefix)
        rest = [ids[len(fixed) :] for ids in encoded]
        width = max(len(r) for r in rest)
        pad = self._tok.pad_token_id
        ids = [fixed + [pad] * (width - len(r)) + r for r in rest]
        mask = [[1] * len(fixed) + [0] * (width - len(r)) + [1] * len(r) for r in rest]
        cache = copy.deepcopy(self._prefix_cache(prefix))  # generate extends it in place
        cache.batch_repeat_interleave(len(encoded))
        return {"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(mask), "cache": cache}

    def generate(
        self,
        conversations: list[Conversation],
        options: GenerationConfig,
        should_stop: Callable[[], bool] | None = None,
    ) -> list[str]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList

        class _Stop(StoppingCriteria):  # polled after every new token: a cancel takes effect at once
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
                return torch.full((input_ids.shape[0],), bool(should_stop and should_stop()), dtype=torch.bool)

        encoded = [self._encode(c) for c in conversations]
        limit = self.context_window - options.max_new_tokens
        encoded = [ids[-limit:] if len(ids) > limit else ids for ids in encoded]
        prefixes = [self._fixed_prefix(c, ids) for c, ids in zip(conversations, encoded)]
        # Prompts with the same fixed prefix and similar lengths batched together waste less compute.
        order = sorted(range(len(encoded)), key=lambda i: (prefixes[i], len(encoded[i])))
        answers: list[str] = [""] * len(encoded)
        size = max(1, self.config.batch_size)
        batches: list[list[int]] = []
        for i in order:
            if batches and len(batches[-1]) < size and prefixes[batches[-1][0]] == prefixes[i]:
                batches[-1].append(i)
            else:
                batches.append([i])
        for idx in batches:
            batch = self._inputs([encoded[i] for i in idx], prefixes[idx[0]])
            kwargs: dict[str, Any] = {
                "max_new_tokens": options.max_new_tokens,
                "repetition_penalty": options.repetition_penalty,
                "pad_token_id": self._tok.pad_token_id,
                "max_time": options.timeout_s,
            }
            if options.temperature > 0:
                kwargs.update(do_sample=True, temperature=options.temperature, top_p=options.top_p)
            else:
                kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
            if options.ignore_eos:
                kwargs["min_new_tokens"] = options.max_new_tokens
            if should_stop is not None:
                kwargs["stopping_criteria"] = StoppingCriteriaList([_Stop()])
            if should_stop and should_stop():
                raise Cancelled("cancelled")
            torch.manual_seed(options.seed)
            with torch.inference_mode():
                out = self._model.generate(**batch, **kwargs)
            if should_stop and should_stop():
                raise Cancelled("cancelled")
            new = out[:, batch["input_ids"].shape[1] :]  # only the answer: never echo the prompt
            for row, i in enumerate(idx):
                answers[i] = self._tok.decode(new[row], skip_special_tokens=True).strip()
        return answers
