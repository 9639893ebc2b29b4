"""Score a brief's key actors against hand-annotated gold (`eval/gold/actors.jsonl`), as small pure
functions. The annotation rules are in `eval/gold/GUIDELINE.md`; the matching rules are these:

- **Names are normalised** before comparison: accents folded (Hüpscher = Hupscher), case folded,
  possessive 's dropped ("Swansea's" = "Swansea", "London's Air Ambulance" = "London Air Ambulance"),
  '&' read as 'and', dots and apostrophes removed ("U.S." = "US", "O'Brien" = "OBrien"), hyphens and
  other punctuation read as spaces ("al-Douri" = "al Douri"), a leading "the" dropped.
- **A predicted name matches a gold entity** when its normal form equals the normal form of the
  entity's name or of any of its aliases.
- **Surname rule** (gold persons only): a predicted name of several words also matches when its last
  word is a one-word alias of the person (their surname) and each of its other words is either a title
  ("Mr", "Dr", "President", "coach", ...) or a word of the person's own name or aliases. So "Mr Locke"
  and "Coach Gary Locke" match Gary Locke (alias "Locke"), but "Billy Locke" does not, and "Mick
  Schumacher" does not match Michael Schumacher.
- **One prediction, one gold entity**: predictions are matched in the brief's order to gold entities
  not yet matched (an exact name or alias match preferred over the surname rule). A second prediction
  of an already matched entity is a false positive: a brief lists each actor once.
- **Strict**: a prediction is correct only if it matches a key actor *and* has the same type; recall
  is the share of key actors so matched. **Lenient**: type is ignored, and a prediction matching a
  listed minor entity also counts as correct for precision (minor entities never count for recall).
- **Main subject**: hit when any prediction matches the article's main subject (type ignored).
  Articles whose gold marks no main subject (it is unnamed) are left out of main-subject recall.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .scoring import Counts

ACTOR_TYPES = ("person", "organisation", "state or place")

# Words that may stand before a surname without naming a different person ("Mr Locke").
TITLES = frozenset("""
mr mrs ms miss mx dr doctor prof professor sir dame lord lady rev reverend father sister brother saint st
president vice prime minister secretary chancellor governor gov senator sen rep representative congressman
congresswoman mayor judge justice magistrate attorney general colonel col major maj captain capt lieutenant lt
sergeant sgt corporal officer detective det inspector constable chief superintendent trooper commander admiral
king queen prince princess duke duchess emperor pope ayatollah sheikh coach manager boss striker defender
midfielder goalkeeper keeper chairman chairwoman director head deputy assistant district former ex
""".split())


@dataclass(frozen=True)
class GoldActor:
    """A key actor or a minor entity of the gold (minor entities have no type)."""

    name: str
    aliases: tuple[str, ...] = ()
    type: str | None = None
    main_subject: bool = False
    role: str = ""


@dataclass(frozen=True)
class GoldDoc:
    """One annotated article."""

    id: str
    split: str
    key: tuple[GoldActor, ...]
    minor: tuple[GoldActor, ...] = ()
    dataset: str = ""

    @property
    def main(self) -> GoldActor | None:
        """The main subject, or None when the article's subject is unnamed."""
        return next((a for a in self.key if a.main_subject), None)


@dataclass(frozen=True)
class Predicted:
    """An actor as a brief lists it."""

    name: str
    type: str


@dataclass
class DocScore:
    """What one brief got right and wrong, strictly and leniently."""

    strict: Counts
    lenient: Counts
    main_subject: bool | None  # None: no named main subject in the gold
    false_positives: list[dict[str, str]] = field(default_factory=list)  # strict, each with a reason
    misses: list[str] = field(default_factory=list)  # key actors no prediction matched (strict)
    lenient_misses: list[str] = field(default_factory=list)
    minor_hits: list[str] = field(default_factory=list)


def parse_gold(obj: dict[str, Any]) -> GoldDoc:
    """A gold row (one JSON line of actors.jsonl) as a `GoldDoc`; raises ValueError when malformed."""
    try:
        key = tuple(
            GoldActor(a["name"], tuple(a.get("aliases", ())), a["type"], bool(a.get("main_subject", False)),
                      a.get("role", ""))
            for a in obj["key_actors"]
        )
        minor = tuple(GoldActor(m["name"], tuple(m.get("aliases", ()))) for m in obj.get("minor", ()))
        doc = GoldDoc(str(obj["id"]), obj["split"], key, minor, obj.get("dataset", ""))
    except (KeyError, TypeError) as exc:
        raise ValueError(f"gold row is missing {exc}") from None
    bad = [a.type for a in key if a.type not in ACTOR_TYPES]
    if bad:
        raise ValueError(f"gold row {doc.id}: unknown actor type(s) {bad}; use one of {ACTOR_TYPES}")
    if sum(a.main_subject for a in key) > 1:
        raise ValueError(f"gold row {doc.id}: more than one main subject")
    return doc


def normalise(name: str) -> str:
    """The comparable form of a name (see the module docstring)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'").lower()
    text = re.sub(r"'s\b", "", text)
    text = text.replace("&", " and ")
    text = re.sub(r"[.']", "", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def _forms(entity: GoldActor) -> set[str]:
    return {f for f in (normalise(n) for n in (entity.name, *entity.aliases)) if f}


def match_kind(predicted: str, entity: GoldActor) -> int:
    """2: the name or an alias; 1: by the surname rule (persons only); 0: no match."""
    forms = _forms(entity)
    pred = normalise(predicted)
    if pred and pred in forms:
        return 2
    if entity.type != "person":
        return 0
    words = pred.split()
    surnames = {f for f in forms if " " not in f}
    if len(words) < 2 or words[-1] not in surnames:
        return 0
    own = {w for f in forms for w in f.split()}
    return 1 if all(w in TITLES or w in own for w in words[:-1]) else 0


def _best(predicted: str, pool: Sequence[GoldActor], taken: set[int], type_: str | None = None) -> int | None:
    """Index of the gold entity a prediction matches (exact before surname rule), or None."""
    best, best_kind = None, 0
    for i, entity in enumerate(pool):
        if i in taken or (type_ is not None and entity.type != type_):
            continue
        kind = match_kind(predicted, entity)
        if kind > best_kind:
            best, best_kind = i, kind
    return best


def score_document(predicted: Sequence[Predicted], gold: GoldDoc) -> DocScore:
    """Strict and lenient counts, the main-subject hit and the errors of one brief."""
    key = list(gold.key)
    # Strict: name and type.
    taken: set[int] = set()
    fps: list[dict[str, str]] = []
    for p in predicted:
        i = _best(p.name, key, taken, p.type)
        if i is not None:
            taken.add(i)
            continue
        any_type = _best(p.name, key, set())
        if any_type is None:
            reason = "minor entity" if _best(p.name, gold.minor, set()) is not None else "not a key actor"
        elif any_type in taken:
            reason = "duplicate"
        else:
            reason = f"type {p.type}, gold {key[any_type].type}"
        fps.append({"name": p.name, "type": p.type, "reason": reason})
    strict = Counts(len(taken), len(predicted) - len(taken), len(key) - len(taken))
    misses = [key[i].name for i in range(len(key)) if i not in taken]

    # Lenient: names only; a minor entity is not an error.
    taken_key: set[int] = set()
    taken_minor: set[int] = set()
    minor_hits: list[str] = []
    for p in predicted:
        i = _best(p.name, key, taken_key)
        if i is not None:
            taken_key.add(i)
            continue
        j = _best(p.name, gold.minor, taken_minor)
        if j is not None:
            taken_minor.add(j)
            minor_hits.append(gold.minor[j].name)
    correct = len(taken_key) + len(taken_minor)
    lenient = Counts(correct, len(predicted) - correct, len(key) - len(taken_key))
    lenient_misses = [key[i].name for i in range(len(key)) if i not in taken_key]

    main = gold.main
    hit = None if main is None else any(match_kind(p.name, main) for p in predicted)
    return DocScore(strict, lenient, hit, fps, misses, lenient_misses, minor_hits)
