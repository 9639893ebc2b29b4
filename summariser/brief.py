"""The Brief: a typed, JSON-serialisable intelligence-style summary."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# ICD-203 expressions of likelihood, lowest to highest.
Likelihood = Literal[
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
]
Confidence = Literal["low", "moderate", "high"]
# What a key judgment claims (judgments.read): an analytic claim, a reason, what an actor intends, what
# will happen, or a stance attributed to someone.
JudgmentKind = Literal["assessment", "cause", "intention", "prediction", "position"]
ActorType = Literal["person", "organisation", "state or place"]


class Citation(BaseModel):
    """A source sentence a statement rests on."""

    model_config = ConfigDict(extra="forbid")

    document: str
    sentence: int = Field(ge=0, description="Index of the sentence in its document.")
    text: str
    page: int | None = Field(default=None, ge=1, description="Page the sentence starts on (PDF), when known.")


class Judgment(BaseModel):
    """A key judgment with a calibrated likelihood word and the evidence behind it."""

    model_config = ConfigDict(extra="forbid")

    statement: str
    likelihood: Likelihood
    confidence: Confidence
    kind: JudgmentKind = Field("assessment", description="What the judgment claims.")
    basis: str = Field("", description="How the source supports it: stated, attributed to whom, hedged, denied.")
    citations: list[Citation] = Field(min_length=1)


class Actor(BaseModel):
    """A person, organisation or state named in the source, with its role there."""

    model_config = ConfigDict(extra="forbid")

    name: str
    type: ActorType
    role: str
    mentions: int = Field(ge=1)
    evidence: Citation


class Implication(BaseModel):
    """What may come next, resting on a cited forward-looking sentence (a prediction or an intention)."""

    model_config = ConfigDict(extra="forbid")

    statement: str
    basis: str = Field("", description="Who expects or intends it, as the source says.")
    citations: list[Citation] = Field(min_length=1)


class Source(BaseModel):
    """One document the brief was made from, and how."""

    model_config = ConfigDict(extra="forbid")

    document: str
    id: str
    words: int
    chunks: int
    # From the document's own metadata, where its format has it (see summariser/loaders/).
    title: str | None = None
    author: str | None = None
    date: str | None = Field(default=None, description="ISO 8601 date (or date and time) of the document.")
    source: str | None = Field(default=None, description="Where it was read from: a URL or a file path.")


class Provenance(BaseModel):
    """The model and settings that produced the brief (for reproducibility)."""

    model_config = ConfigDict(extra="forbid")

    model: str
    backend: str
    settings: dict[str, object]
    seconds: float
    version: str


class Brief(BaseModel):
    """An intelligence-style brief of one or more documents."""

    model_config = ConfigDict(extra="forbid")

    title: str
    bluf: str = Field(description="Bottom line up front, 2-4 sentences: the part scored against references.")
    key_judgments: list[Judgment]
    key_actors: list[Actor]
    implications: list[Implication]
    sources: list[Source] = Field(min_length=1)
    provenance: Provenance
    warnings: list[str] = Field(default_factory=list, description="What the checks changed or dropped.")
