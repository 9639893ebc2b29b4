"""The deterministic rules that chose the hand-built gold sets and the piles, kept in code so anyone
can re-draw them and a test can check the committed files still follow them.

Only the standard library is used (no spaCy, no pipeline): the samples must not depend on the system
being measured, nor change when its parser changes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

ACTOR_SEED = 12  # issue #12, which asked for the gold
ACTOR_DEV, ACTOR_TEST = 40, 20
JUDGMENT_SEED = 1212
JUDGMENT_DEV_ARTICLES, JUDGMENT_TEST_ARTICLES, SENTENCES_PER_ARTICLE = 36, 18, 4
PILE_SEED = 5
PILE_COUNT, PILE_SIZES = 50, (3, 5)

# A sentence ends at . ! or ? (optionally followed by closing quotes or brackets) before whitespace
# and an opening quote, capital or digit. Deliberately simple: it is documented and never changes.
_BOUNDARY = re.compile(r"(?<=[.!?])([’'\"”)\]]*)\s+(?=[‘'\"“(\[A-Z0-9])")


def actor_sample(ids: Sequence[str]) -> dict[str, list[str]]:
    """The FRANK CNN/DM articles of the actor gold: 60 ids drawn from the sorted ids with seed 12;
    the first 40 drawn are 'dev', the next 20 'test' (held out)."""
    drawn = random.Random(ACTOR_SEED).sample(sorted(ids), ACTOR_DEV + ACTOR_TEST)
    return {"dev": drawn[:ACTOR_DEV], "test": drawn[ACTOR_DEV:]}


def split_simple(text: str) -> list[str]:
    """Sentences of an article by the fixed rule of `_BOUNDARY` (whitespace-trimmed, none empty)."""
    parts: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end(1)
        parts.append(text[start:end])
        start = match.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


@dataclass(frozen=True)
class SampledSentence:
    """One sentence of the judgments check set, located in its article."""

    id: str
    index: int  # position among the article's sentences by `split_simple`
    split: str
    text: str


def judgment_sample(articles: dict[str, str], exclude: set[str]) -> list[SampledSentence]:
    """The sentences of the judgments check set.

    From the sorted ids not in `exclude` (the actor gold), 54 articles are drawn with seed 1212; the
    first 36 drawn are 'dev', the next 18 'test'. From each, 4 sentence positions are drawn (with a
    generator seeded by 1212 and the article's rank in the draw), listed in document order.
    """
    pool = sorted(i for i in articles if i not in exclude)
    chosen = random.Random(JUDGMENT_SEED).sample(pool, JUDGMENT_DEV_ARTICLES + JUDGMENT_TEST_ARTICLES)
    out: list[SampledSentence] = []
    for rank, doc_id in enumerate(chosen):
        sentences = split_simple(articles[doc_id])
        k = min(SENTENCES_PER_ARTICLE, len(sentences))
        picks = sorted(random.Random(JUDGMENT_SEED * 1000 + rank).sample(range(len(sentences)), k))
        split = "dev" if rank < JUDGMENT_DEV_ARTICLES else "test"
        out.extend(SampledSentence(doc_id, i, split, sentences[i]) for i in picks)
    return out


def make_piles(ids: Sequence[str], count: int = PILE_COUNT, sizes: tuple[int, int] = PILE_SIZES,
               seed: int = PILE_SEED) -> list[list[str]]:
    """`count` piles of `sizes[0]`..`sizes[1]` distinct documents each.

    The sorted ids are shuffled with `seed`; each pile's size is drawn from the same generator and the
    pile takes the next ids of the shuffled list (cycling through a reshuffle when it runs out), so no
    document repeats inside a pile and documents repeat across piles only after all have been used.
    """
    lo, hi = sizes
    if not 1 <= lo <= hi:
        raise ValueError(f"pile sizes must satisfy 1 <= min <= max, got {sizes}")
    unique = sorted(set(ids))
    if len(unique) < hi:
        raise ValueError(f"need at least {hi} distinct documents for piles of up to {hi}, have {len(unique)}")
    rng = random.Random(seed)
    order: list[str] = []
    piles: list[list[str]] = []
    for _ in range(count):
        size = rng.randint(lo, hi)
        pile: list[str] = []
        while len(pile) < size:
            if not order:
                order = unique[:]
                rng.shuffle(order)
            candidate = order.pop(0)
            if candidate in pile:  # only possible right after a reshuffle; keep it for the next pile
                order.append(candidate)
                continue
            pile.append(candidate)
        piles.append(pile)
    return piles
