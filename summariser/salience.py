"""Extractive salience: which source sentences matter most, and which make the BLUF (no model calls).

A sentence scores by where it stands and by how central it is:

- **position**: reports and news put the main facts first, and a report restarts its argument under
  each heading, so the prior is the larger of the document-lead prior and a (weaker) section-lead
  prior; sections headed "Summary", "Key findings", "Conclusions" and the like count as leads too;
- **centrality**: cosine similarity of the sentence's content words to the whole document's, each word
  weighted by how rare it is in general English (`wordfreq`), so "Kilmarnock" counts for more than
  "said".

Only statements are eligible (`structure.kind_of`: no headings, captions, bylines or fragments), and
direct quotes rank below reported statements. `select_bluf` then takes the best sentences until their
length is closest to a word budget; with several documents, each gets a share of the budget in
proportion to its weight. Measured in `eval/results/selection-frank-cnndm.md`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache

from .config import GroundingConfig, SalienceConfig
from .nlp import Sentence
from .structure import is_direct_quote

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:[.,]\d+)*")
# Headings under which authors state their main points: their sentences are leads of the document.
_SUMMARY_HEADING = re.compile(
    r"\b(?:summary|key (?:findings|judgments|judgements|points|messages)|bottom line|conclusions?|overview|"
    r"highlights|main findings|abstract|in brief|at a glance)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    from nltk.stem import porter

    return porter.PorterStemmer().stem(word)


@lru_cache(maxsize=65536)
def rarity(word: str) -> float:
    """How much a word says about a document: 7 minus its Zipf frequency in English, at least 0.5.

    'the' (Zipf 7.7) -> 0.5, 'manager' (5.0) -> 2.0, 'Kilmarnock' (3.0) -> 4.0, an unknown name -> 7.
    """
    from wordfreq import zipf_frequency

    return max(0.5, 7.0 - zipf_frequency(word, "en"))


def _words(text: str) -> list[str]:
    stop = _stop_words()
    return [w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in stop and len(w) > 1]


def content_words(text: str) -> list[str]:
    """Lower-cased, stemmed words that carry content (stop words dropped)."""
    return [_stem(w) for w in _words(text)]


def weighted_bag(text: str) -> Counter[str]:
    """Stemmed content words of `text`, each counted with its `rarity`."""
    bag: Counter[str] = Counter()  # float counts: Counter adds any numbers
    for word in _words(text):
        bag[_stem(word)] += rarity(word)  # type: ignore[assignment]  # typeshed types Counter values as int
    return bag


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine similarity of two bags of words (0 when either is empty)."""
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def overlap(statement: str, source: str) -> float:
    """Share of the statement's content words that occur in `source` (0 when it has none)."""
    words = content_words(statement)
    if not words:
        return 0.0
    pool = set(content_words(source))
    return sum(w in pool for w in words) / len(words)


def is_statement(sentence: Sentence | str) -> bool:
    """A full sentence, not a heading, caption, byline or fragment."""
    if isinstance(sentence, Sentence):
        return sentence.kind == "statement"
    from .structure import kind_of

    return kind_of(sentence) == "statement"


def position_weight(index: int, scale: float = 3.0) -> float:
    """Prior for the sentence `index` places from a lead: 1, 0.75, 0.6, 0.5, ... (halved at `scale`)."""
    return 1.0 / (1.0 + index / scale)


def score(sentences: Sequence[Sentence], weights: SalienceConfig = SalienceConfig()) -> list[float]:
    """The salience of each sentence (same order). Non-statements score 0.

    Centrality is measured against the sentence's own document, so a pile of documents does not
    let the longest one decide what is central in the others.
    """
    bags = [weighted_bag(s.text) for s in sentences]
    wholes: dict[int, Counter[str]] = {}
    for s, bag in zip(sentences, bags):
        wholes.setdefault(s.doc, Counter()).update(bag)
    headings = {(s.doc, s.section): s.text for s in sentences if s.kind == "heading"}
    # Positions count statements only: a headline, byline or caption above the lead does not push it down.
    seen_doc: Counter[int] = Counter()
    seen_section: Counter[tuple[int, int]] = Counter()
    scores = []
    for s, bag in zip(sentences, bags):
        if s.kind != "statement":
            scores.append(0.0)
            continue
        prior = position_weight(seen_doc[s.doc], weights.position_scale)
        if s.section:
            lead = 1.0 if _SUMMARY_HEADING.search(headings.get((s.doc, s.section), "")) else weights.section_lead
            prior = max(prior, lead * position_weight(seen_section[(s.doc, s.section)], weights.position_scale))
        seen_doc[s.doc] += 1
        seen_section[(s.doc, s.section)] += 1
        value = prior + weights.centrality * cosine(bag, wholes[s.doc])
        if is_direct_quote(s.text):
            value -= weights.quote_penalty
        scores.append(max(value, 1e-6))
    return scores


def rank(sentences: Sequence[Sentence], weights: SalienceConfig = SalienceConfig()) -> list[tuple[float, Sentence]]:
    """Sentences with their salience, best first; ties keep document order. Non-statements come last."""
    scored = zip(score(sentences, weights), sentences)
    return sorted(scored, key=lambda pair: (-pair[0], pair[1].doc, pair[1].index))


def select(sentences: Sequence[Sentence], k: int, weights: SalienceConfig = SalienceConfig()) -> list[Sentence]:
    """The `k` most salient statements, without repeats, back in document order.

    Falls back to the first sentences when a text has no statement at all (a list of headings).
    """
    chosen: list[Sentence] = []
    for _, s in rank(sentences, weights):
        if len(chosen) >= k or s.kind != "statement":
            break
        if not any(overlap(s.text, c.text) > weights.redundant for c in chosen):
            chosen.append(s)
    return sorted(chosen, key=lambda s: (s.doc, s.index)) or list(sentences[:k])


def _closest(ranked: Sequence[Sentence], words: int, max_sentences: int) -> list[Sentence]:
    """The prefix of `ranked` whose length is closest to `words` (at least one sentence)."""
    best: list[Sentence] = []
    best_gap = math.inf
    total = 0
    for i, s in enumerate(ranked[:max_sentences]):
        total += len(s.text.split())
        gap = abs(total - words)
        if gap < best_gap:
            best, best_gap = list(ranked[: i + 1]), gap
    return best


def shares(weights: Sequence[float], words: int, minimum: int) -> list[int]:
    """`words` split among documents in proportion to `weights`, each getting at least `minimum`
    while the budget lasts (largest remainder, so the shares add up to the budget)."""
    if not weights:
        return []
    total = sum(weights) or 1.0
    raw = [words * w / total for w in weights]
    out = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: -(raw[i] - out[i]))[: words - sum(out)]:
        out[i] += 1
    # Lift small documents to the minimum, taking words from the largest shares.
    for i in range(len(out)):
        while out[i] < minimum and max(out) > minimum and sum(out) >= minimum * len(out):
            j = max(range(len(out)), key=lambda j: out[j])
            out[j] -= 1
            out[i] += 1
    return out


def select_bluf(
    sentences: Sequence[Sentence],
    words: int,
    max_sentences: int = 6,
    weights: SalienceConfig = SalienceConfig(),
    doc_weights: Mapping[int, float] | None = None,
) -> list[Sentence]:
    """The BLUF's sentences: the most salient statements, without repeats, whose total length is
    closest to `words`, in document order.

    With several documents (`Sentence.doc`), the budget grows with the square root of their number
    (a pile says more than one report, but a bottom line stays short), each document's share is in
    proportion to its weight (default: its number of statements), and each is chosen from its own
    ranking, so the BLUF covers the pile rather than the opening of the first document.
    """
    ranked_all = [s for _, s in rank(sentences, weights) if s.kind == "statement"]
    if not ranked_all:
        return list(sentences[:1])
    docs = sorted({s.doc for s in ranked_all})
    per_doc = {d: [s for s in ranked_all if s.doc == d] for d in docs}
    if len(docs) == 1:
        allowance = {docs[0]: (words, max_sentences)}
    else:
        w = doc_weights or {d: float(len(per_doc[d])) for d in docs}
        words = round(words * math.sqrt(len(docs)))
        max_sentences = round(max_sentences * math.sqrt(len(docs)))
        budget = shares([w.get(d, 0.0) for d in docs], words, minimum=min(20, words // len(docs)))
        allowance = {d: (b, max(1, max_sentences * b // max(words, 1))) for d, b in zip(docs, budget) if b > 0}
    chosen: list[Sentence] = []
    for d, (budget_words, cap) in allowance.items():
        cap = max(1, cap)
        unique: list[Sentence] = []
        for s in per_doc[d]:
            if len(unique) >= cap:
                break  # `_closest` looks no further: comparing every sentence was quadratic on long texts
            if not any(overlap(s.text, c.text) > weights.redundant for c in unique + chosen):
                unique.append(s)
        chosen += _closest(unique, budget_words, cap)
    return sorted(chosen, key=lambda s: (s.doc, s.index))


def agreeing_documents(
    sentence: Sentence, sentences: Sequence[Sentence], min_overlap: float = GroundingConfig().agreement
) -> list[int]:
    """The other documents that say what `sentence` says: each has a sentence sharing at least
    `min_overlap` of its content words with it, both ways (corroboration across a pile)."""
    docs = []
    for s in sentences:
        if s.doc == sentence.doc or s.doc in docs or s.kind != "statement":
            continue
        if overlap(sentence.text, s.text) >= min_overlap and overlap(s.text, sentence.text) >= min_overlap:
            docs.append(s.doc)
    return docs
