"""Key actors: people, organisations and states found in the source by spaCy (no model calls).

The model only describes the role of an actor found here, from the sentence that names it; it
never proposes actors, so the brief cannot name one the source does not.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .nlp import Sentence, load_spacy

LABEL_TO_TYPE = {"PERSON": "person", "ORG": "organisation", "GPE": "state or place"}
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """An actor found in the source with where it is named."""

    name: str
    type: str
    mentions: int
    sentences: tuple[Sentence, ...]

    @property
    def evidence(self) -> Sentence:
        """The sentence that best shows the actor's role: its longest mention among the first few."""
        return max(self.sentences[:3], key=lambda s: (self.name in s.text, -s.index))


def _clean(name: str) -> str:
    name = _LEADING.sub("", name.strip())
    name = re.sub(r"['’]s$", "", name)
    return name.strip(" .,;:\"'()[]")


def find_actors(sentences: Sequence[Sentence], limit: int) -> list[Candidate]:
    """The `limit` most prominent actors, merging short mentions ('Erdogan') into full names."""
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        for ent in sentence.entities:
            if ent.label not in LABEL_TO_TYPE:
                continue
            name = _clean(ent.text)
            if len(name) < 2 or not any(ch.isupper() for ch in name) or len(name.split()) > 8:
                continue
            labels[name][ent.label] += 1
            if not where[name] or where[name][-1].index != sentence.index:
                where[name].append(sentence)
    # A single-word person mention joins the full name that ends with it ("Erdogan").
    canonical: dict[str, str] = {}
    names = sorted(labels, key=len, reverse=True)
    for name in names:
        if name in canonical:
            continue
        canonical[name] = name
        for other in names:
            if other not in canonical and len(other.split()) < len(name.split()) and name.split()[-1] == other:
                if labels[name]["PERSON"]:
                    canonical[other] = name
    merged_labels: dict[str, Counter[str]] = defaultdict(Counter)
    merged_where: dict[str, dict[int, Sentence]] = defaultdict(dict)
    for name, target in canonical.items():
        merged_labels[target].update(labels[name])
        for s in where[name]:
            merged_where[target][s.index] = s
    candidates = []
    for name, counts in merged_labels.items():
        label = counts.most_common(1)[0][0]  # spaCy's label varies by mention; the majority decides
        found = tuple(sorted(merged_where[name].values(), key=lambda s: s.index))
        candidates.append(Candidate(name, LABEL_TO_TYPE[label], sum(counts.values()), found))
    candidates.sort(key=lambda c: (-c.mentions, c.sentences[0].index))
    return candidates[:limit]


def _balanced(ranked: list[Candidate], limit: int) -> list[Candidate]:
    """Most-mentioned first, but people and organisations are not crowded out by places.

    Places are usually named most often, yet a reader of a brief wants to know who acts; so
    places and organisations get at most a third of the slots each until people run out.
    """
    slots = max(1, limit // 3)
    chosen = [c for c in ranked if c.type == "state or place"][:slots]
    chosen += [c for c in ranked if c.type == "organisation"][:slots]
    chosen += [c for c in ranked if c.type == "person"][: limit - len(chosen)]
    chosen += [c for c in ranked if c not in chosen][: limit - len(chosen)]
    return sorted(chosen, key=lambda c: ranked.index(c))[:limit]


def _phrase(tokens: Sequence[Any]) -> str:
    toks = list(tokens)
    while toks and (toks[0].is_punct or toks[0].dep_ in ("det", "cc", "prep", "case", "poss")):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].dep_ in ("cc", "det", "prep")):
        toks = toks[:-1]
    return "".join(t.text_with_ws for t in toks).strip()


def _climb(head: Any) -> Any:
    """From 'Service' in 'head of the State Security Service' up to 'head'."""
    while head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head.head
    return head


def syntactic_role(name: str, sentence: str) -> str | None:
    """The title or description the sentence gives the actor: 'Turkish President', 'the head of X'.

    Read from the dependency parse (titles before the name, appositions on either side), so the
    role is the source's own words about this actor and cannot be someone else's.
    """
    at = sentence.find(name)
    if at < 0:
        return None
    doc = load_spacy()(sentence)
    span = doc.char_span(at, at + len(name), alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    parts: list[str] = []
    titles = [t for t in root.lefts if t.dep_ in ("compound", "amod", "nmod") and t.i < span.start]
    if root.dep_ in ("appos", "conj") and root.head.i < span.start:
        between = doc[root.head.i + 1 : span.start]
        # 'the Minister of Defence, Colonel General Zakir Hasanov': the name stands in apposition
        # (spaCy sometimes parses it as a conjunct; a real conjunct has 'and'/'or' between).
        if root.dep_ == "appos" or (not any(t.dep_ == "cc" for t in between) and between[-1:] and "," in between.text):
            head = _climb(root.head)
            parts.append(_phrase(doc[head.left_edge.i : span.start]))
            titles = []
    if titles:
        parts.append(_phrase(doc[min(t.left_edge.i for t in titles) : span.start]))
    for child in root.rights:
        if child.dep_ == "appos":  # 'Barack Obama, the US president,'
            parts.append(_phrase(doc[child.left_edge.i : child.right_edge.i + 1]))
            break
    others = {e.text for e in doc.ents} - {name}  # a role is a description, not another actor
    parts = [p for p in parts if p and p.lower() != name.lower() and p not in others and len(p.split()) <= 16]
    return ", ".join(dict.fromkeys(parts)) or None


def role_is_grounded(role: str, name: str, evidence: str, window: int = 8) -> bool:
    """A model-written role counts only if it is the evidence sentence's words, said near the name.

    Most of its words must occur in the sentence, and its first content word within `window`
    words of the name: a phrase from the far end of the sentence describes something else.
    """
    words = [w for w in re.findall(r"[A-Za-z]+", role.lower()) if len(w) > 2 and w not in {"the", "and"}]
    if not words or role.strip().lower() == name.lower() or len(role.split()) > 14:
        return False
    tokens = re.findall(r"[A-Za-z]+", evidence.lower())
    if sum(w in tokens for w in words) / len(words) < 0.75:
        return False
    name_at = [i for i, t in enumerate(tokens) if t == name.split()[-1].lower()]
    role_at = [i for i, t in enumerate(tokens) if t == words[0]]
    return any(abs(i - j) <= window for i in name_at for j in role_at)


@dataclass(frozen=True)
class Ranked:
    """A candidate with the role the source gives it, if the parse finds one."""

    candidate: Candidate
    role: str | None


def select_actors(sentences: Sequence[Sentence], limit: int) -> list[Ranked]:
    """The key actors: prominent ones first, those the source describes with a title preferred."""
    pool = find_actors(sentences, limit * 3)
    roles = {c.name: syntactic_role(c.name, c.evidence.text) for c in pool}
    # A described actor (a person with a title) matters more than its mention count alone says.
    pool.sort(key=lambda c: (-(c.mentions + (2 if roles[c.name] else 0)), c.sentences[0].index))
    return [Ranked(c, roles[c.name]) for c in _balanced(pool, limit)]
