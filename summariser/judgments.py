"""Key judgments and implications: what the source assesses, explains, intends or predicts (no model).

In intelligence writing a key judgment is an assessment (a claim about what is happening, why, or
what will happen) with its likelihood and the basis for it. A sentence that only reports an event
is a description, not a judgment. `read` takes a sentence apart with the spaCy parse:

- **kind**: *prediction* (what will happen: "will", "is expected to", "could"), *intention* (what an
  actor plans, aims, vows or threatens to do), *cause* (why: "because", "led to", "blamed on"),
  *assessment* (an analytic claim: "suggests", "shows that", "raises fears"), *position* (a stance
  or claim attributed to someone: "X said the deal would fail"), or none (a description);
- **basis**: how the source puts the claim: *stated* by the writer, *attributed* to a speaker,
  *hedged* (may, might, reportedly, allegedly), *denied* (denied, ruled out, "will not"), or
  *predicted* (the writer's own forecast);
- **claim**: for "X said (that) Y" the claim is Y, and the speaker X is the basis; a pronoun subject
  of Y that stands for X ("Greece denied it will fail ...") is replaced by X. Every word of a claim
  is the source's own.

The likelihood word follows from the basis (ICD-203 words; the rule is `LIKELIHOOD` below): stated
-> very likely, attributed or predicted -> likely, hedged -> roughly even chance, denied -> unlikely
(as the source puts it; the analyst reading the brief judges the speaker). Confidence comes from
corroboration: other sentences, in this document or another, that say the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .brief import Citation, Confidence, JudgmentKind, Likelihood
from .config import GroundingConfig
from .nlp import Sentence, parse
from .salience import overlap

Basis = Literal["stated", "attributed", "hedged", "denied", "predicted"]

LIKELIHOOD: dict[Basis, Likelihood] = {
    "stated": "very likely",
    "attributed": "likely",
    "predicted": "likely",
    "hedged": "roughly even chance",
    "denied": "unlikely",
}

_DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied)|ruled? out|rul(?:es|ing) out|rejected|dismissed|will not|won't|would not|"
    r"wouldn't|no plans?|refused to|unlikely)\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(?:may|might|could|possibl[ey]|perhaps|reportedly|allegedly|apparently|suspected|rumou?red|"
    r"believed to|thought to|appears? to|seems? to)\b",
    re.I,
)
_FUTURE = re.compile(
    r"\b(?:will|won't|shall|would(?!-)|going to|(?:is|are|was|were) (?:set|due|expected|likely|unlikely|poised|"
    r"scheduled|slated|about) to|expects?|expected|forecasts?|predicts?|projected|next (?:week|month|year)|"
    r"upcoming|in the (?:coming|next)|could|may|might|threaten(?:s|ed)? to|plans? to|planned|aims? to|"
    r"intends? to|vow(?:s|ed)? to|pledged? to|promised? to)\b",
    re.I,
)
_INTENTION = re.compile(
    r"\b(?:plans?|planned|planning|aims?|aimed|aiming|intends?|intended|wants?|wanted|seeks?|sought|"
    r"vow(?:s|ed)?|pledg(?:es|ed)|promis(?:es|ed)|threaten(?:s|ed)?|hopes?|hoped|prepar(?:es|ed|ing)|"
    r"determined|is to|are to|(?:in order|so as) to|so that)\b\s*(?:to\b)?",
    re.I,
)
_CAUSE = re.compile(
    r"\b(?:because|due to|owing to|as a result|result(?:s|ed)? (?:in|from)|caused by|the cause of|"
    r"(?:led|leads|leading) to|triggered|sparked|blam(?:e|es|ed|ing) (?:\w+ ){0,3}(?:on|for)|attributed to|"
    r"thanks to|driven by|stems? from|in response to|in retaliation for)\b",
    re.I,
)
_ASSESSMENT = re.compile(
    r"\b(?:suggests?|suggested|indicates?|indicated|shows? that|showed that|means? that|meant that|"
    r"signals?|signalled|reflects?|reflected|raises? (?:fears|concerns|questions|doubts)|raised (?:fears|"
    r"concerns|questions|doubts)|is seen as|are seen as|was seen as|amounts? to|represents? a|"
    r"marks? a|threatens|at risk|risks?|likely|probably|appears? to|seems? to|evidence (?:of|that))\b",
    re.I,
)
# Verbs that attribute a claim to a speaker ('X said ...', 'X warned that ...'), in every form: the
# spaCy pipeline runs without its lemmatizer (it is not needed elsewhere and costs time).
SPEECH_VERBS = frozenset(
    """say says said saying tell tells told claim claims claimed insist insists insisted warn warns warned
    argue argues argued believe believes believed think thinks thought deny denies denied add adds added
    state states stated announce announces announced confirm confirms confirmed admit admits admitted
    reveal reveals revealed predict predicts predicted expect expects expected
    fear fears feared accuse accuses accused allege alleges alleged report reports reported explain
    explains explained estimate estimates estimated stress stresses stressed note notes noted acknowledge
    acknowledges acknowledged assert asserts asserted maintain maintains maintained contend contends
    contended vow vows vowed pledge pledges pledged promise promises promised threaten threatens
    threatened urge urges urged caution cautions cautioned concede concedes conceded declare declares
    declared write writes wrote tweet tweets tweeted""".split()
)
_DENY_VERBS = frozenset({"deny", "denies", "denied", "denying"})
_PRONOUNS = {"he": "PERSON", "she": "PERSON", "it": "NONPERSON", "they": "ANY"}


@dataclass(frozen=True)
class Reading:
    """What a sentence claims, how, and on whose word."""

    kind: JudgmentKind | None
    basis: Basis
    claim: str
    speaker: str | None = None

    @property
    def likelihood(self) -> Likelihood:
        """The ICD-203 likelihood word the wording supports (`LIKELIHOOD`)."""
        return LIKELIHOOD[self.basis]

    def describe_basis(self) -> str:
        """The basis in words, for the brief: 'attributed to police', 'denied by Greece', 'hedged in the source'."""
        who = self.speaker
        return {
            "attributed": f"attributed to {who}" if who else "attributed in the source",
            "denied": f"denied by {who}" if who else "denied or ruled out in the source",
            "hedged": f"hedged by {who}" if who else "hedged in the source",
            "predicted": "forecast in the source",
            "stated": "stated in the source",
        }[self.basis]


def _span_text(tokens: Sequence[Any]) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _attribution(sentence: str) -> tuple[str | None, str, bool]:
    """(speaker, claim, denied) for 'X said (that) Y' and 'Y, X said'; (None, sentence, False) otherwise."""
    doc = parse(sentence)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None, sentence, False
    according = re.search(r",?\s*according to ([^,.;]+)[,.;]?", sentence, re.I)
    if according and len(sentence.split()) - len(according.group(0).split()) >= 5:
        claim = (sentence[: according.start()] + sentence[according.end():]).strip(" ,")
        claim = claim if claim.endswith((".", "!", "?")) else claim + "."
        return according.group(1).strip(), claim[:1].upper() + claim[1:], False
    if root.lower_ not in SPEECH_VERBS:
        return None, sentence, False
    comp = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp", "parataxis") and c.pos_ in ("VERB", "AUX")), None)
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if comp is None or subject is None:
        return None, sentence, False
    # The speaker without appositions ('Klopp, 47,' -> 'Klopp').
    skip = {t.i for c in subject.children if c.dep_ == "appos" for t in c.subtree}
    speaker_tokens = [t for t in doc[subject.left_edge.i : subject.right_edge.i + 1] if t.i not in skip]
    while speaker_tokens and speaker_tokens[-1].is_punct:
        speaker_tokens.pop()
    speaker = _span_text(speaker_tokens)
    tokens = [t for t in doc[comp.left_edge.i : comp.right_edge.i + 1]]
    while tokens and (tokens[0].lower_ in ("that", ",", "'", "‘", "“", '"') or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    denied = root.lower_ in _DENY_VERBS or any(c.dep_ == "neg" for c in root.children)
    if len(tokens) < 4 or subject.lower_ in _PRONOUNS and not speaker_tokens[1:]:
        # Too short to stand alone, or the speaker is a bare pronoun ('He said ...'): the whole
        # sentence is the claim, still attributed.
        return speaker, sentence, denied
    words = [t.text_with_ws for t in tokens]
    head = tokens[0]
    subj = next((t for t in tokens if t.dep_ in ("nsubj", "nsubjpass") and t.head == comp), None)
    if subj is not None and subj.lower_ in _PRONOUNS and subj.i == head.i:
        # 'Greece has denied it will fail' -> 'Greece will fail'; 'Smith said he would' -> 'Smith would'.
        words[0] = _name_of(speaker_tokens) + " "
    claim = "".join(words).strip()
    claim = claim[:1].upper() + claim[1:]
    return speaker, claim + ("" if claim.endswith((".", "!", "?")) else "."), denied


def _name_of(tokens: Sequence[Any]) -> str:
    """The name in a speaker phrase ('Deputy finance minister Dimitris Mardas' -> 'Dimitris Mardas')."""
    ents = [
        e for e in tokens[0].doc.ents
        if e.start >= tokens[0].i and e.end <= tokens[-1].i + 1 and e.label_ in ("PERSON", "ORG", "GPE", "NORP", "FAC")
    ]
    return ents[-1].text if ents else _span_text(tokens)


# Where a claim's main clause ends: what follows is background ('... following reports it has plans').
_SUBORDINATE = re.compile(
    r",?\s+\b(?:following|after|before|when|while|which|who|whose|where|amid|despite|although|though|"
    r"because|since|if|unless|as well as)\b",
    re.I,
)


def main_clause(claim: str) -> str:
    """The claim up to its first subordinate clause: what it says happens, will happen or is intended."""
    cut = _SUBORDINATE.search(claim)
    return claim[: cut.start()] if cut and cut.start() > 12 else claim


_PRONOUN_LABELS = {
    "he": ("PERSON",),
    "she": ("PERSON",),
    "it": ("ORG", "GPE", "NORP"),
    "they": ("ORG", "GPE", "NORP", "PERSON"),
}


def resolve_speaker(pronoun: str, previous: Sequence[Sentence]) -> str | None:
    """The entity a pronoun speaker most likely stands for: the last one of a fitting type named in
    the `previous` sentences (nearest first). None when there is none."""
    labels = _PRONOUN_LABELS.get(pronoun.lower())
    if not labels:
        return None
    for s in reversed(previous):
        names = [e.text for e in s.entities if e.label in labels]
        if names:
            return names[-1]
    return None


# 'X vowed to ...': a speech verb that commits its speaker to an act states an intention.
_COMMITS = re.compile(r"\b(?:vow|pledg|promis|threaten)(?:s|ed|es|ing)?\s+to\b", re.I)


def _intends(clause: str) -> bool:
    """An intention word used as a verb ('plans to', 'vowed', 'is to'), not as a modifier: the
    'most-wanted Iraqis' or 'the planned route' intend nothing."""
    found = list(_INTENTION.finditer(clause))
    if not found:
        return False
    doc = parse(clause)
    for m in found:
        if re.match(r"(?:in order|so as|so that)", m.group(0), re.I):
            return True
        token = doc.char_span(m.start(), m.start() + len(m.group(0).split()[0]), alignment_mode="expand")
        if token is not None and token.root.pos_ in ("VERB", "AUX", "ADJ") and token.root.dep_ not in ("amod", "compound", "nmod"):
            return True
    return False


def read(sentence: str, previous: Sequence[Sentence] = ()) -> Reading:
    """The `Reading` of one source sentence (kind, basis, claim, speaker).

    `previous` (the sentences just before it) lets a pronoun speaker ('He said ...') be named.
    """
    speaker, claim, denied = _attribution(sentence)
    if speaker and speaker.lower() in _PRONOUN_LABELS:
        speaker = resolve_speaker(speaker, previous) or speaker
    if denied or _DENIAL.search(main_clause(claim if speaker else sentence)):
        basis: Basis = "denied"
    elif _HEDGE.search(main_clause(sentence)):
        basis = "hedged"
    elif speaker:
        basis = "attributed"
    elif _FUTURE.search(sentence):
        basis = "predicted"
    else:
        basis = "stated"
    kind: JudgmentKind | None
    head = main_clause(claim)
    if _intends(head) or (speaker and _COMMITS.search(sentence)):
        kind = "intention"
    elif _FUTURE.search(head):
        kind = "prediction"
    elif _CAUSE.search(claim):
        kind = "cause"
    elif _ASSESSMENT.search(claim):
        kind = "assessment"
    elif speaker:
        kind = "position"
    else:
        kind = None
    return Reading(kind, basis, claim, speaker)


def is_judgment(sentence: str) -> bool:
    """Whether a sentence carries an assessment, cause, intention, prediction or attributed position."""
    return read(sentence).kind is not None


def likelihood_of(sentence: str) -> Likelihood:
    """ICD-203 likelihood word implied by the wording of a source sentence (`read(...).likelihood`)."""
    return read(sentence).likelihood


def is_forward_looking(sentence: str) -> bool:
    """Whether a sentence speaks of what will or may happen (the basis an implication needs)."""
    return bool(_FUTURE.search(sentence) or _INTENTION.search(sentence))


def confidence_of(
    cited: Sentence,
    others: Sequence[Sentence],
    reading: Reading | None = None,
    min_overlap: float = GroundingConfig().corroboration,
) -> Confidence:
    """High when two or more other sentences (or documents) say the same, low when hedged or denied."""
    reading = reading or read(cited.text)
    if reading.basis in ("hedged", "denied"):
        return "low"
    support = corroboration(cited, others, min_overlap)
    return "high" if support >= 2 else "moderate"


def corroboration(
    cited: Sentence, others: Sequence[Sentence], min_overlap: float = GroundingConfig().corroboration
) -> int:
    """How many other sentences share most of the cited one's content words (other documents count
    once each: three reports agreeing is stronger than one report repeating itself)."""
    same_doc = 0
    docs: set[int] = set()
    for s in others:
        if s.index == cited.index and s.doc == cited.doc:
            continue
        if overlap(cited.text, s.text) >= min_overlap:
            if s.doc == cited.doc:
                same_doc += 1
            else:
                docs.add(s.doc)
    return same_doc + 2 * len(docs)


def cite(document: str, sentence: Sentence) -> Citation:
    """A citation of one source sentence."""
    return Citation(document=document, sentence=sentence.index, text=sentence.text)


def _previous(s: Sentence, context: Sequence[Sentence], n: int = 3) -> list[Sentence]:
    """Up to `n` sentences before `s` in its own document."""
    return [c for c in context if c.doc == s.doc and s.index - n <= c.index < s.index]


def pick_judgments(
    ranked: Sequence[Sentence],
    skip: Callable[[Sentence], bool],
    k: int,
    redundant: float = 0.6,
    context: Sequence[Sentence] = (),
) -> list[tuple[Sentence, Reading]]:
    """The `k` most salient sentences that carry a judgment (`read(...).kind` is set), without repeats.

    `ranked` is best first; `skip` leaves out what the brief already says (the BLUF's sentences);
    `context` (the document's sentences in order) names pronoun speakers.
    """
    return _pick(ranked, skip, k, redundant, context, lambda reading: reading.kind is not None)


def pick_implications(
    ranked: Sequence[Sentence],
    skip: Callable[[Sentence], bool],
    k: int,
    redundant: float = 0.6,
    context: Sequence[Sentence] = (),
) -> list[tuple[Sentence, Reading]]:
    """The `k` most salient sentences about what will or may come next: predictions and intentions.

    None when the source states none: an implication needs a forward-looking basis, so the slot is
    left empty ("none stated") rather than filled with a description.
    """
    return _pick(ranked, skip, k, redundant, context, lambda reading: reading.kind in ("prediction", "intention"))


def _pick(
    ranked: Sequence[Sentence],
    skip: Callable[[Sentence], bool],
    k: int,
    redundant: float,
    context: Sequence[Sentence],
    wanted: Callable[[Reading], bool],
) -> list[tuple[Sentence, Reading]]:
    """The first `k` statements of `ranked` whose reading is `wanted`, skipping what `skip` says and
    what repeats a sentence already chosen."""
    chosen: list[tuple[Sentence, Reading]] = []
    for s in ranked:
        if len(chosen) >= k:
            break
        if s.kind != "statement" or skip(s) or any(overlap(s.text, c.text) > redundant for c, _ in chosen):
            continue
        reading = read(s.text, _previous(s, context))
        if wanted(reading):
            chosen.append((s, reading))
    return chosen


def implication_basis(reading: Reading) -> str:
    """Who expects or intends what an implication says, in words."""
    if reading.kind == "intention":
        return f"stated intention of {reading.speaker}" if reading.speaker else "a stated intention in the source"
    return reading.describe_basis()
