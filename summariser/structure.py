"""What each piece of a document is: statement, heading, caption, byline or page furniture (no model).

News and reports carry text that is not what they say: share bars, "Scroll down for video", photo
captions glued to the next sentence, bylines, datelines, headings, tables of contents. None of it may
reach a BLUF, a judgment or an actor list, so it is removed (furniture) or labelled (everything else)
before any selection. Each rule is a small pure function with its own test.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Kind = Literal["statement", "heading", "caption", "byline", "fragment"]

MIN_STATEMENT_WORDS = 6

# Page furniture that sits inside running text (web scrapes glue it to the next word). Removed and
# replaced by a paragraph break, so the text on either side is split into sentences apart.
_FURNITURE = [
    # Social share bars: "Share this withEmailFacebookMessenger...Copy this link".
    r"Share this (?:with|on)\s*(?i:E-?mail|Facebook|Messenger|Twitter|X|Pinterest|WhatsApp|LinkedIn|Reddit|"
    r"Telegram|Copy this link|Copy link|,|\s)+",
    r"Media playback is (?:not supported|unsupported) on (?:this|your) device",
    r"Scroll down for (?:video|more(?: videos?)?|pictures?)",
    r"\(?Click here (?:for|to) [^.\n]{0,80}?(?:\)|(?=\s[A-Z])|[.\n]|$)",
    r"Follow (?:us|@\w+|\w+) on (?:Twitter|Instagram|Facebook)[^.\n]{0,160}",
    r"Read more (?:from|on|about) [^.\n]{0,60}?(?=[A-Z][a-z]+ [a-z]|$|\n)",
    r"(?:Image|Photo|Picture) (?:copyright|caption|source)\s+[^.\n]{0,80}?(?=\s(?:Image|Photo) |\n|$)",
    r"^\s*Advertisement\s*$",
    r"^\s*(?:Published|Updated|Last updated)\s*:[^\n]{0,80}$",
]
_FURNITURE_RE = re.compile("|".join(f"(?:{p})" for p in _FURNITURE), re.MULTILINE)
# Agency datelines at the start of a story or paragraph: "(CNN)", "LONDON, England (CNN) --",
# "WASHINGTON (Reuters) -".
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.' -]{1,40},?\s*(?:[A-Z][A-Za-z.' -]{1,30}\s*)?)?"
    r"\((?:CNN|Reuters|AP|AFP|PA|Bloomberg|UPI|EFE|dpa|ANSA|Xinhua)\)\s*(?:--|—|–|-)?\s*",
    re.MULTILINE,
)
# A byline or credit line: "By John Smith", "By . Daily Mail Reporter .", "Photo: Getty Images".
_BYLINE = re.compile(
    r"^(?:By\s*\.?\s+[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,4}(?:\s*(?:\.|,|and|for)\s*[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,4})*"
    r"\s*\.?$|(?:Photo(?:graph)?s?|Pictures?|Images?|Credit|Source)\s*:\s*[^.]{0,60}$|"
    r"(?:Daily Mail|Mail Online|Associated Press|Reuters|CNN) (?:Reporter|Staff|Wire)\b.*$)",
)
# A photo caption's label: "Flying high: Half of the kite ..." (one to four words, then a colon).
_CAPTION_LABEL = re.compile(r"^[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,3}:\s+[A-Z‘'\"“]")
# A table-of-contents line: "3.2 Findings ........ 14" or "Introduction 3".
_TOC = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?[A-Z][^.!?]{0,80}?(?:\s*\.{2,}\s*|\s+)\d{1,4}$")
# Words that can open a sentence glued to a caption that had no full stop ("...in woodland In many").
_OPENERS = frozenset(
    "The A An In It He She They His Her Their This These Those But And After When While However "
    "Police Officers Mr Mrs Ms Dr Now Meanwhile Last Earlier Later Speaking During Since".split()
)
# Verbs that introduce speech or text: 'Mr Wang said: ...' and 'It reads: ...' are not captions.
_SPEECH = frozenset(
    "said says say told tells added adds explained explains wrote writes reads read stated states insisted "
    "continued warned tweeted posted commented replied asked declared concluded admitted claimed".split()
)
# Photo directions: text that describes a picture ('Abase Hussen, left, took ...', 'In this photo').
_PHOTO = re.compile(
    r"\((?:far |second |top |bottom |pictured )?(?:left|right|centre|center|top|bottom|above|below|inset)\)"
    r"|, (?:left|right|centre|center), |\bseen here\b|\bin (?:this|these|the) (?:photo|picture|image)s?\b"
    r"|\bpictured (?:above|below|left|right|here)\b|\bposes? for (?:a|the) (?:picture|photo|camera)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _no_break_after() -> frozenset[str]:
    """Words after which a capitalised word continues the sentence ('of The Times', 'said The ...')."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | _SPEECH | {"according", "called", "named", "dubbed", "titled", "via", "per"}


def remove_furniture(text: str) -> str:
    """`text` without share bars, video prompts, follow-us lines, image credits and agency datelines."""
    text = _FURNITURE_RE.sub("\n\n", text)
    text = _DATELINE.sub("", text)
    text = re.sub(r"[ \t]*\n\n[ \t]*", "\n\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _restates(before: list[str], after: list[str]) -> bool:
    """Whether `after` opens by repeating most of `before`'s content words (a caption retold)."""
    stop = _no_break_after()
    words = lambda ws: {w.lower().strip("'’‘\".,") for w in ws} - stop  # noqa: E731
    head, tail = words(before), words(after[: len(before) + 4])
    return len(head) >= 3 and len(head & tail) >= 0.5 * len(head)


def run_on_breaks(words: list[str]) -> list[int]:
    """Word positions where a caption without a full stop runs into the next sentence.

    '... show body-painted models camouflaged in woodland In many of the pictures, ...' breaks
    before 'In'. A break comes after a word that ends no phrase of its own (not a stop word, a
    speech verb or an abbreviation), with at least four words on each side ('of The Times' never
    breaks), before either a sentence opener from a closed set ('The', 'In', 'He', 'Police', a
    quotation opening with one of them or 'I'/'We'), or any capitalised word when what follows
    retells what came before ('... receive a tax cut David Cameron will say today ...').
    """
    breaks: list[int] = []
    start = 0
    for i in range(1, len(words)):
        prev, word = words[i - 1], words[i]
        if not re.fullmatch(r"[A-Za-z][a-z'’-]*|\d[\d,.]*", prev) or prev.lower() in _no_break_after():
            continue
        if i - start < 4 or len(words) - i < 4:
            continue
        quoted = re.match(r"^[‘“\"']([A-Z][a-z]*)", word)
        opener = word in _OPENERS or bool(quoted and (quoted.group(1) in _OPENERS or quoted.group(1) in ("I", "We", "You")))
        if opener or (word[:1].isupper() and _restates(words[start:i], words[i:])):
            breaks.append(i)
            start = i
    return breaks


def split_run_ons(sentence: str) -> list[str]:
    """`sentence` cut at its `run_on_breaks`."""
    words = sentence.split()
    bounds = [0, *run_on_breaks(words), len(words)]
    return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]


def is_heading_line(line: str) -> bool:
    """A short line with no sentence-final punctuation: a headline, section heading or TOC entry."""
    return 0 < len(line.split()) <= 16 and not re.search(r"[.!?:;,\"')\]”’]$", line)


def kind_of(text: str, heading: bool = False) -> Kind:
    """What a sentence is. Only statements may be selected for the BLUF or judgments."""
    stripped = text.strip()
    if heading or _TOC.match(stripped) and not re.search(r"[a-z][.!?]\s", stripped):
        return "heading" if len(stripped.split()) <= 16 else "fragment"
    if _BYLINE.match(stripped):
        return "byline"
    label = stripped.split(":", 1)[0]
    if _CAPTION_LABEL.match(stripped) and not _SPEECH & set(label.lower().split()) or _PHOTO.search(stripped):
        return "caption"
    if len(stripped.split()) < MIN_STATEMENT_WORDS or not re.search(r"[.!?\"'’”)]$", stripped):
        return "fragment"
    return "statement"


def is_story(text: str, kind: Kind) -> bool:
    """Whether a sentence is part of the running story: a statement, or a short complete sentence
    ('Saddam ruled Iraq.'), not a heading, caption, byline or unfinished fragment."""
    return kind == "statement" or kind == "fragment" and bool(re.search(r"[.!?\"'’”)]$", text.strip()))


_QUOTE_MARKS = re.compile(r"[\"“”‘’']")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|we|we're|we’re|my|our|me|us)\b")


def is_direct_quote(text: str) -> bool:
    """Whether a sentence is mainly direct speech ('"I'd be over the moon," he said.').

    A BLUF states what happened; a speaker's own words are evidence, not the bottom line.
    """
    stripped = text.strip()
    opens_quoted = bool(re.match(r"^[\"“‘']", stripped))
    return opens_quoted or (len(_QUOTE_MARKS.findall(stripped)) >= 2 and bool(_FIRST_PERSON.search(stripped)))
