"""Deletion-only tidying of extracted sentences (no model): grounded by construction.

A BLUF sentence is read on its own, so it should not open with a connective that pointed back to a
sentence the reader never sees ('But ...', 'Meanwhile, ...'), nor carry photo directions ('(pictured
left)') that belong to a picture the brief does not show. Nothing else is deleted: attributions,
appositives and clauses carry facts the references keep (measured in
eval/results/selection-frank-cnndm.md: deleting them lowered ROUGE).
"""

from __future__ import annotations

import re

_PHOTO_PAREN = re.compile(
    r"\s*\((?:pictured|photographed|file(?: photo| picture| image)?|above|below|inset|"
    r"(?:pictured |far |second )?(?:left|right|centre|center|top|bottom))(?:\s*(?:left|right|centre|center|above|below))?\)",
    re.IGNORECASE,
)
_CONNECTIVE = re.compile(
    r"^(?:And|But|So|Yet|Also|Meanwhile|However|Now|Still|Then|Instead|Indeed|Moreover|Furthermore)\b,?\s+(?=\S)"
)


def tidy(sentence: str) -> str:
    """`sentence` without photo directions and without a leading connective, re-capitalised."""
    text = _PHOTO_PAREN.sub("", sentence)
    text = _CONNECTIVE.sub("", text, count=1)
    text = re.sub(r"\s+([,.;:!?])(?!\d)", r"\1", text).strip()  # not ".22" or ".5 per cent"
    return text[:1].upper() + text[1:] if text else sentence
