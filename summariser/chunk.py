"""Token-aware chunking with the model's own tokenizer (LangChain text splitters)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from langchain_text_splitters import RecursiveCharacterTextSplitter, TextSplitter

from .backends.base import Backend
from .config import ChunkConfig, GenerationConfig

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

# Paragraphs, then lines, then sentence ends, then words: a chunk breaks at the largest unit that fits.
SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]
PROMPT_RESERVE = 256  # instructions + chat template tokens around the chunk


@dataclass(frozen=True)
class Chunk:
    """A piece of a document that fits the model's context with its prompt and answer."""

    index: int
    text: str


def chunk_size(backend: Backend, chunking: ChunkConfig, generation: GenerationConfig) -> int:
    """Tokens per chunk: the configured size, or what the context leaves after prompt and answer."""
    room = backend.context_window - generation.max_new_tokens - PROMPT_RESERVE
    size = chunking.chunk_tokens or min(chunking.max_chunk_tokens, room)
    return max(64, min(size, room))


def make_splitter(backend: Backend, size: int, overlap: int) -> TextSplitter:
    """A splitter measuring length in the backend's tokens."""
    overlap = min(overlap, size // 4)
    tokenizer = backend.tokenizer()
    if tokenizer is not None:
        return RecursiveCharacterTextSplitter.from_huggingface_tokenizer(
            cast("PreTrainedTokenizerBase", tokenizer),  # Backend.tokenizer(): a HF tokenizer when not None
            chunk_size=size, chunk_overlap=overlap, separators=SEPARATORS, keep_separator="end",
        )
    return RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=overlap,
        length_function=backend.count_tokens,
        separators=SEPARATORS,
        keep_separator="end",
    )


def chunk_text(text: str, backend: Backend, chunking: ChunkConfig, generation: GenerationConfig) -> list[Chunk]:
    """Cut `text` into chunks that each fit one model call."""
    size = chunk_size(backend, chunking, generation)
    splitter = make_splitter(backend, size, chunking.overlap_tokens)
    return [Chunk(i, piece) for i, piece in enumerate(splitter.split_text(text)) if piece.strip()]
