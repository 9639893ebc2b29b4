"""Actors' roles as the source states them: a title or description, else what the actor does (no model).

The model is asked only where the parse finds neither, and its answer is kept only if it is the
evidence sentence's own words, said near the name, and reads as a role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .check import SourceIndex, clean_answer, role_is_grounded
from .nlp import parse

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


def is_person_title(role: str) -> bool:
    """Whether a role reads as a person's title: its head words ('Commander of ...') name an office."""
    head = re.split(r"\b(?:of|for|at|in|from)\b|,", role, maxsplit=1)[0]
    return any(w in PERSON_TITLES for w in re.findall(r"[a-z]+", head.lower()))



# Words that make a phrase a measurement, not a role ('15st', '6ft 2in', '£2,100 a year').
_MEASURE = re.compile(r"^\W*(?:[\d.,/]+\s*(?:st|lb|lbs|kg|ft|in|cm|m|mph|km|%|per cent|years?|months?|weeks?)?\b\W*)+$", re.I)


def is_role_phrase(role: str) -> bool:
    """Whether a phrase can describe an actor: it has a word that is not a bare modifier or number.

    'former', 'alleged' or '15st' alone are not roles; 'former Hearts boss' is.
    """
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", role)
    if not words or _MEASURE.match(role):
        return False
    doc = parse(role)
    return any(t.pos_ in ("NOUN", "PROPN", "VERB") for t in doc)


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
        # A list ('Russia, Armenia and Azerbaijan') has a 'cc' on one of its members or joins names.
        listed = any(t.dep_ == "cc" for t in root.children) or root.head.ent_type_ in ("GPE", "PERSON", "NORP", "LOC")
        if root.dep_ == "appos" or (
            not listed and not any(t.dep_ == "cc" for t in between) and between[-1:] and "," in between.text
        ):
            head = _climb(root.head)
            parts.append(_phrase(doc[head.left_edge.i : span.start]))
            titles = []
    if titles:
        parts.append(_phrase(doc[min(t.left_edge.i for t in titles) : span.start]))
    for child in root.rights:
        if child.dep_ == "appos":  # 'Barack Obama, the US president,'
            parts.append(_phrase(doc[child.left_edge.i : child.right_edge.i + 1]))
            break
    parts = [  # a role is a description, not the actor's or another actor's name
        p for p in parts if p and not names_only(p, name, sentence) and len(p.split()) <= 16 and is_role_phrase(p)
    ]
    return ", ".join(dict.fromkeys(parts)) or None


# Complements of a verb that say what its subject does (objects, prepositional phrases, particles).
_ACTION_DEPS = frozenset({"dobj", "prep", "prt", "attr", "acomp", "agent", "xcomp", "dative", "oprd"})


# A leading article, dropped before names and roles are compared ("the United Nations").
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def names_only(role: str, name: str, sentence: str) -> bool:
    """Whether a 'role' only names: the actor itself ('the United Nations'), another entity of the
    sentence ('the Premier League'), or a list of them ('Golden Hillock School, Nansen Primary School').
    A role describes; a name does not, and one that contains the actor's own name is circular."""
    if name.lower() in role.lower():
        return True
    entities = {LEADING_ARTICLE.sub("", e.text).lower() for e in parse(sentence).ents} | {name.lower()}
    parts = [LEADING_ARTICLE.sub("", p.strip()).lower() for p in re.split(r",|\band\b|&", role)]
    return all(not p or p in entities for p in parts)


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


def checked_role(answer: str, name: str, evidence: str, source: SourceIndex) -> str | None:
    """A model's answer about an actor's role, kept only if it is the evidence sentence's words
    (`role_is_grounded`), reads as a role (`is_role_phrase`) and names no entity or number the
    source does not contain."""
    role = clean_answer(answer).rstrip(".")
    if role.lower().startswith(name.lower() + " is "):
        role = role[len(name) + 4 :]
    grounded = role_is_grounded(role, name, evidence, source.checks.role_words, source.checks.role_window)
    if not grounded or not is_role_phrase(role) or names_only(role, name, evidence) or source.unsupported(role):
        return None
    return role


