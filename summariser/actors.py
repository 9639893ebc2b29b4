"""Key actors: people, organisations and states found in the source by spaCy (no model calls).

The model only describes the role of an actor found here, from the sentence that names it; it
never proposes actors, so the brief cannot name one the source does not.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .check import SourceIndex, clean_answer
from .nlp import Sentence, parse

LABEL_TO_TYPE = {"PERSON": "person", "ORG": "organisation", "GPE": "state or place"}
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_FORMAL = re.compile(
    r"^(?:(?:Islamic |People's |Federal |Democratic |Socialist )*Republic|Kingdom|State|Federation|"
    r"Commonwealth|Sultanate|Emirate|Principality) of (?:the )?"
)
# Words that describe a person's office or job. A name the source gives such a title is a person,
# whatever label the tagger chose ('Omer Ertugrul Erbakan, Commander of the ...' tagged ORG).
PERSON_TITLES = frozenset(
    """president minister premier chancellor king queen prince princess sheikh emir sultan pope
    commander general admiral colonel major captain lieutenant sergeant officer chief head director
    secretary ambassador envoy spokesman spokeswoman spokesperson adviser advisor aide governor mayor
    senator congressman congresswoman lawmaker mp deputy leader chairman chairwoman chair founder
    ceo executive manager coach player striker midfielder defender goalkeeper judge prosecutor lawyer
    attorney detective inspector professor dr doctor author writer journalist reporter editor
    analyst researcher scientist actor actress singer star father mother son daughter wife husband
    brother sister widow boy girl man woman teacher student pilot soldier nurse""".split()
)


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
    # A single-word person mention joins the full name that ends with it ("Erdogan"), and a
    # state's formal name joins its short one ("Republic of Turkey" -> "Turkey").
    canonical: dict[str, str] = {}
    for name in labels:
        short = _FORMAL.sub("", name)
        if short != name and short in labels and labels[name]["GPE"] and labels[short]["GPE"]:
            canonical[name] = short
    people = [n for n in labels if labels[n]["PERSON"] and len(n.split()) > 1]
    for name in labels:
        owners = [p for p in people if p.split()[-1] == name]
        if name not in canonical and len(owners) == 1:  # 'Miliband' with Ed and David stays apart
            canonical[name] = owners[0]
    for name in labels:
        canonical.setdefault(name, name)
    merged_labels: dict[str, Counter[str]] = defaultdict(Counter)
    merged_where: dict[str, dict[int, Sentence]] = defaultdict(dict)
    for name, target in canonical.items():
        merged_labels[target].update(labels[name])
        for s in where[name]:
            merged_where[target][s.index] = s
    _count_surnames(sentences, merged_labels, merged_where)
    candidates = []
    for name, counts in merged_labels.items():
        label = counts.most_common(1)[0][0]  # spaCy's label varies by mention; the majority decides
        found = tuple(sorted(merged_where[name].values(), key=lambda s: s.index))
        candidates.append(Candidate(name, LABEL_TO_TYPE[label], sum(counts.values()), found))
    candidates.sort(key=lambda c: (-c.mentions, c.sentences[0].index))
    return candidates[:limit]


def _count_surnames(
    sentences: Sequence[Sentence],
    labels: dict[str, Counter[str]],
    where: dict[str, dict[int, Sentence]],
) -> None:
    """Count a person's bare surname where the tagger missed it ('If he (Pashinian) ...').

    Only an unambiguous surname counts: two people sharing one each keep their own mentions.
    """
    people = [n for n, c in labels.items() if c["PERSON"] and len(n.split()) > 1]
    surnames = Counter(n.split()[-1] for n in people)
    for name in people:
        surname = name.split()[-1]
        if surnames[surname] > 1 or len(surname) < 3:
            continue
        pattern = re.compile(rf"\b{re.escape(surname)}\b")
        for sentence in sentences:
            if sentence.index not in where[name] and pattern.search(sentence.text):
                where[name][sentence.index] = sentence
                labels[name]["PERSON"] += 1


def is_person_title(role: str) -> bool:
    """Whether a role reads as a person's title: its head words ('Commander of ...') name an office."""
    head = re.split(r"\b(?:of|for|at|in|from)\b|,", role, maxsplit=1)[0]
    return any(w in PERSON_TITLES for w in re.findall(r"[a-z]+", head.lower()))


def _balanced(ranked: list[Candidate], limit: int) -> list[Candidate]:
    """The top of the ranking, but people are not crowded out by places and organisations.

    Places are usually named most often, yet a reader of a brief wants to know who acts; so
    places and organisations take at most a third of the slots each, unless people run out.
    """
    caps = {"state or place": max(1, limit // 3), "organisation": max(1, limit // 3)}
    taken: Counter[str] = Counter()
    chosen = []
    for c in ranked:
        if taken[c.type] < caps.get(c.type, limit):
            chosen.append(c)
            taken[c.type] += 1
    chosen += [c for c in ranked if c not in chosen]
    return chosen[:limit]


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


def _name_span(name: str, sentence: str) -> Any | None:
    """The parsed span of `name` in `sentence` (None if it is not there or not on token bounds)."""
    at = sentence.find(name)
    if at < 0:
        return None
    return parse(sentence).char_span(at, at + len(name), alignment_mode="expand")


def syntactic_role(name: str, sentence: str) -> str | None:
    """The title or description the sentence gives the actor: 'Turkish President', 'the head of X'.

    Read from the dependency parse (titles before the name, appositions on either side), so the
    role is the source's own words about this actor and cannot be someone else's.
    """
    span = _name_span(name, sentence)
    if span is None:
        return None
    doc, root = span.doc, span.root
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


# Complements of a verb that say what its subject does (objects, prepositional phrases, particles).
_ACTION_DEPS = frozenset({"dobj", "prep", "prt", "attr", "acomp", "agent", "xcomp", "dative", "oprd"})


def action_role(name: str, sentence: str, max_words: int = 12) -> str | None:
    """What the sentence says the actor does, when it is the subject of a verb.

    'Turkey and Azerbaijan conduct joint military manoeuvres in Nakhichevan' gives Azerbaijan
    'conduct joint military manoeuvres in Nakhichevan'. The verb and as many of its complements as
    fit in `max_words` words, all the source's own words; None when the actor is not a subject.
    """
    span = _name_span(name, sentence)
    if span is None:
        return None
    doc, token = span.doc, span.root
    while token.dep_ == "conj" and token.head.i < token.i:  # 'Turkey and Azerbaijan' share the verb
        token = token.head
    verb = token.head
    if token.dep_ not in ("nsubj", "nsubjpass") or verb.pos_ not in ("VERB", "AUX") or verb.i < token.i:
        return None
    start = min([verb.i] + [t.i for t in verb.lefts if t.dep_ in ("aux", "auxpass", "neg") and t.i > token.i])
    end = verb.i
    for child in verb.rights:
        if child.dep_ not in _ACTION_DEPS:
            break  # a clause or punctuation ends what is said about the subject
        if child.right_edge.i - start + 1 > max_words:
            break
        end = child.right_edge.i
    if end == verb.i:
        return None  # a bare verb ('objected') says too little
    return _phrase(doc[start : end + 1]) or None


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


def checked_role(answer: str, candidate: Candidate, source: SourceIndex) -> str | None:
    """A model's answer about an actor's role, kept only if it is the evidence sentence's words
    (`role_is_grounded`) and names no entity or number the source does not contain."""
    role = clean_answer(answer).rstrip(".")
    if not role_is_grounded(role, candidate.name, candidate.evidence.text) or source.unsupported(role):
        return None
    return role


@dataclass(frozen=True)
class Ranked:
    """A candidate with the role the source gives it (a title), or what it does there, if any."""

    candidate: Candidate
    role: str | None
    action: str | None = None


def select_actors(sentences: Sequence[Sentence], limit: int) -> list[Ranked]:
    """The key actors: prominent ones first, those the source describes with a title preferred."""
    pool = find_actors(sentences, limit * 3)
    roles = {c.name: syntactic_role(c.name, c.evidence.text) for c in pool}
    # A name given a person's title is a person, whatever the tagger said.
    pool = [replace(c, type="person") if (r := roles[c.name]) and is_person_title(r) else c for c in pool]
    # A described actor (a person with a title) matters more than its mention count alone says.
    pool.sort(key=lambda c: (-(c.mentions + (2 if roles[c.name] else 0)), c.sentences[0].index))
    chosen = _balanced(pool, limit)
    return [Ranked(c, roles[c.name], None if roles[c.name] else action_role(c.name, c.evidence.text)) for c in chosen]
