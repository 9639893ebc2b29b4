"""Key actors: the people, organisations and states a document is about (no model calls).

spaCy finds the names; this module decides which of them an analyst would list:

1. **Mentions** of people, organisations and states, without the tagger's debris: demonyms
   ('British'), verbs at the start of a caption ('Click'), capitalised labels ('VERDICT').
2. **One actor, one name**: short forms join the full name ('Van Gaal', 'Mr Locke', 'Saddam', 'CIS'),
   a formal or abbreviated state name joins the usual one ('Republic of Turkey', 'U.S'), a name with
   a word stuck in front joins the plain one ('Spaniard Julen Lopetegui'), and two names run together
   by a caption ('Everton Gomis') are dropped.
3. **Types**: organisations by their name ('... City', '... Party', '... Ministry'), teams by how a
   sports story uses a place name ('Swansea beat ...', "Kilmarnock's manager"), people by the title
   the source gives them.
4. **Not actors**: outlets only cited as sources ('according to CNN'), names found only in captions
   or bylines.
5. **Centrality** ranks them: mentions in statements (more as the subject of a clause), pronoun and
   description subjects that continue a person's story ('He said ...', 'The 39-year-old ...'), and
   a mention in the opening. The list is as long as the document warrants: actors far below the most
   central one are left out, so a story about two people lists two, and the main subject is first.

The model never proposes actors, so the brief cannot name one the source does not.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .config import ActorConfig
from .nlp import Entity, Sentence, parse
from .roles import LEADING_ARTICLE, action_role, is_person_title, syntactic_role
from .structure import is_story

LABEL_TO_TYPE = {"PERSON": "person", "ORG": "organisation", "GPE": "state or place"}
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Prof|Professor)\.?\s+(?=[A-Z])")
_FORMAL = re.compile(
    r"^(?:(?:Islamic |People's |Federal |Democratic |Socialist |United )*Republic|Kingdom|State|Federation|"
    r"Commonwealth|Sultanate|Emirate|Principality) of (?:the )?"
)
# Short and long forms of the same state, which the tagger reports as different names.
STATE_ALIASES = {
    "us": "United States", "u.s": "United States", "u.s.": "United States", "usa": "United States",
    "u.s.a.": "United States", "united states of america": "United States", "the united states": "United States",
    "uk": "United Kingdom", "u.k": "United Kingdom", "u.k.": "United Kingdom", "britain": "United Kingdom",
    "great britain": "United Kingdom", "uae": "United Arab Emirates", "drc": "Democratic Republic of the Congo",
}
# Last words that make a name an organisation: clubs, companies, parties, institutions, outlets.
ORG_WORDS = frozenset(
    """city united rovers athletic fc afc town wanderers albion hotspur county rangers celtic palace villa
    forest orient argyle academicals thistle rhinos wolves warriors saints giants tigers bears lions eagles
    inc ltd plc llc corp corporation company co group holdings party ministry department council police
    service services agency bank university college school hospital club association federation union
    commission committee court office bureau foundation institute trust authority board army navy
    force forces guard network channel times post news journal herald telegraph guardian gazette
    tribune mail online tv radio magazine airlines airways motors""".split()
)
# News outlets: cited as sources, they are rarely what a story is about.
_MEDIA = re.compile(
    r"^(?:CNN|BBC|NBC|CBS|ABC|Fox(?: News)?|MSNBC|Sky(?: News| Sports)?|Reuters|AP|AFP|Bloomberg|"
    r"Associated Press|Press Association|ESPN|Daily Mail(?: Online)?|MailOnline|Mail Online|Al Jazeera|"
    r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)* (?:Times|Post|Journal|News|Herald|Telegraph|Guardian|Gazette|Tribune|"
    r"Online|Daily|Mirror|Express|Independent|Standard|Chronicle|Observer|Mail)(?:-[A-Z]\w+)?)$"
)
_CITING = re.compile(
    r"\b(?:according to|told|reported|reports|quoted|quoting|in an interview with|speaking to|wrote in|"
    r"said (?:on|to)|via|cited by|obtained by|seen by|published (?:by|in)|writing in)\b",
    re.I,
)
# Words that mark a sports story, and the uses of a place name that make it a team.
_SPORT = re.compile(
    r"\b(?:league|cup|match|fixture|goals?|striker|midfielder|defender|goalkeeper|winger|manager|coach|"
    r"tournament|championship|kick-off|penalty|tries|innings|wickets?|scored|season|relegation|promoted|"
    r"semi-final|quarter-final|final|squad|stadium|derby|draw|drew|beat|thrashed|clean sheet)\b",
    re.I,
)
_TEAM_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "compound", "dobj"})
# Subjects that continue the story of the last person named ('He said ...', 'The 39-year-old ...').
_PERSON_ANAPHOR = re.compile(
    r"^(?:he|she|the (?:\d+-year-old|former|veteran|star|boss|manager|minister|president|player|"
    r"striker|father|mother|man|woman|officer|singer|actor|actress|senator|suspect|victim)\b.*)$",
    re.I,
)


@dataclass(frozen=True)
class Candidate:
    """An actor found in the source with where it is named, and how central it is."""

    name: str
    type: str
    mentions: int
    sentences: tuple[Sentence, ...]
    score: float = 0.0
    chosen: Sentence | None = None  # the sentence its role was read from (select_actors)

    @property
    def evidence(self) -> Sentence:
        """The sentence that shows the actor's role: the one it was read from, else a statement
        naming it in full, early on."""
        if self.chosen is not None:
            return self.chosen
        pool = [s for s in self.sentences if is_story(s.text, s.kind)] or list(self.sentences)
        return max(pool[:3], key=lambda s: (self.name in s.text, -s.index))


@dataclass
class _Mentions:
    """What is known about one name while merging."""

    labels: Counter[str] = field(default_factory=Counter)
    where: dict[tuple[int, int], Sentence] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)

    def absorb(self, other: _Mentions) -> None:
        self.labels.update(other.labels)
        self.where.update(other.where)
        self.entities += other.entities


def _clean(name: str) -> str:
    name = LEADING_ARTICLE.sub("", name.strip())
    name = re.sub(r"['’]s$", "", name)
    return name.strip(" .,;:\"'()[]")


@lru_cache(maxsize=4096)
def _common_word(word: str) -> bool:
    """Whether a word in capitals is an ordinary English word ('VERDICT'), not an acronym ('UEFA')."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en") >= 3.0


def _usable(ent: Entity) -> bool:
    """Whether a mention can name an actor: not a demonym, a verb, a label in capitals or a long phrase."""
    if ent.label not in LABEL_TO_TYPE or ent.pos in ("ADJ", "VERB", "AUX"):
        return False
    name = _clean(ent.text)
    if len(name) < 2 or not any(ch.isupper() for ch in name) or len(name.split()) > 8 or _NOT_ACTORS.search(name):
        return False
    return not (name.isupper() and len(name) >= 5 and " " not in name and _common_word(name))


# Names of events, agreements and works: things that happen or are signed, not actors.
_NOT_ACTORS = re.compile(
    r"\b(?:Agreement|Treaty|Accord|Act|Convention|Protocol|Charter|Exercise|Operation|Festival|Games|Olympics|"
    r"Championships?|Cup|Open|Award|Awards|Prize|Conference|Summit|Forum|Week|Day|Show|Expo|Marathon)\b(?:\s+\d{4})?$"
    r"|^(?:Agreement|Treaty|Convention|Operation|Exercise) (?:on|of|for)\b"
)
# A name before one of these is a place ('the Lachin region'), whatever the tagger said.
_PLACE_NOUN = r"(?:region|province|district|county|corridor|valley|city|town|village|state|area|border|airport|port)"
_CALENDAR = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December Mr Mrs Ms Dr Miss Sir God Christmas Easter Internet""".split()
)


def _untagged_names(sentences: Sequence[Sentence], minimum: int = 3) -> Counter[str]:
    """Capitalised words the tagger left out of every entity but the writer uses as a name: at least
    `minimum` times in mid-sentence ('Facebook', 'Waitrose', 'TransIP' are missed by the small model)."""
    inside = {w for s in sentences for e in s.entities for w in e.text.split()}
    counts: Counter[str] = Counter()
    for s in sentences:
        words = s.text.split()
        for prev, word in zip(words, words[1:]):
            word = word.strip(".,;:!?\"'’‘“”()")
            word = re.sub(r"['’]s$", "", word)
            capitalised = len(word) > 2 and word[0].isupper() and not word.isupper()
            opens_sentence = prev.endswith((".", "!", "?", ":", '"', "“", "‘"))
            if capitalised and re.fullmatch(r"[A-Za-z][A-Za-z0-9&-]*", word) and not opens_sentence \
                    and word not in inside and word not in _CALENDAR:
                counts[word] += 1
    return Counter({w: n for w, n in counts.items() if n >= minimum and not _group_of_people(w, sentences)})


def _group_of_people(word: str, sentences: Sequence[Sentence]) -> bool:
    """A plural proper noun in most of its sentences ('Britons', 'Scots'): a group of people like a
    demonym, not an actor, whatever entity label the tagger gave it."""
    if " " in word or not word.endswith("s"):
        return False  # plural proper nouns end in -s ('Britons', 'Scots'); the parse below is not free
    surnames = {w for s in sentences for e in s.entities if e.label == "PERSON" for w in e.text.split()}
    if word.endswith("s") and word[:-1] in surnames:
        return False  # 'the Smiths' is a family, named after its members
    having = [s for s in sentences if word in s.text][:5]  # a few uses decide; a long text has hundreds
    tags = [t.tag_ for s in having for t in parse(s.text) if t.text == word]
    return bool(tags) and sum(tag == "NNPS" for tag in tags) > len(tags) / 2


def _collect(sentences: Sequence[Sentence]) -> dict[str, _Mentions]:
    found: dict[str, _Mentions] = defaultdict(_Mentions)
    for sentence in sentences:
        for ent in sentence.entities:
            if not _usable(ent):
                continue
            entry = found[_clean(ent.text)]
            entry.labels[ent.label] += 1
            entry.where[(sentence.doc, sentence.index)] = sentence
            entry.entities.append(ent)
    for name in _untagged_names(sentences):
        pattern = re.compile(rf"\b{re.escape(name)}\b")
        for sentence in sentences:
            if pattern.search(sentence.text):
                found[name].labels["ORG"] += 1
                found[name].where[(sentence.doc, sentence.index)] = sentence
    return found


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _first_seen(m: _Mentions) -> tuple[int, int]:
    return min(m.where)


def _canonical_names(found: dict[str, _Mentions], sporty: bool = False) -> dict[str, str]:
    """Each name mapped to the name of the actor it stands for (see the module docstring, point 2).

    Three passes, each on what the one before left standing: (1) spellings of one name (state
    aliases, formal state names, case); (2) a word stuck in front of a full name; (3) short forms
    (surname, first name, acronym, the first word of an organisation). A short form refers back, so
    its full name must be named first (or in the same sentence).
    """
    names = list(found)
    lower: dict[str, list[str]] = defaultdict(list)
    for n in names:
        lower[n.lower()].append(n)
    canonical: dict[str, str] = {}
    for n in names:  # pass 1
        key = n.lower()
        short = _FORMAL.sub("", n)
        if key in STATE_ALIASES and STATE_ALIASES[key].lower() in lower:
            canonical[n] = lower[STATE_ALIASES[key].lower()][0]
        elif short != n and short.lower() in lower:
            canonical[n] = lower[short.lower()][0]
        elif lower[key][0] != n:  # 'United states' -> 'United States'
            canonical[n] = lower[key][0]
    standing = [n for n in names if n not in canonical]
    multi = [n for n in standing if len(n.split()) > 1]

    def unique(options: Iterable[str]) -> str | None:
        found_options = list(dict.fromkeys(options))
        return found_options[0] if len(found_options) == 1 else None

    for n in standing:  # pass 2: 'Spaniard Julen Lopetegui' -> 'Julen Lopetegui'
        target = unique(m for m in multi if m != n and len(m.split()) < len(n.split()) and n.endswith(" " + m))
        if target:
            canonical[n] = target
    standing = [n for n in standing if n not in canonical]
    people = [n for n in standing if found[n].labels["PERSON"] and len(n.split()) > 1]
    multi = [n for n in standing if len(n.split()) > 1]
    for n in standing:  # pass 3
        words = _HONORIFIC.sub("", n).lower().split()
        before = lambda m: _first_seen(found[m]) <= _first_seen(found[n])  # noqa: E731, B023 - used in this pass only
        target = None
        if len(words) <= 2:  # 'Van Gaal', 'Mr Ray', 'Locke'
            target = unique(p for p in people if p != n and len(p.split()) > len(words)
                            and p.lower().split()[-len(words):] == words and before(p))
        if target is None and len(words) == 1 and found[n].labels["PERSON"]:  # 'Saddam', 'Charlotte'
            target = unique(p for p in people if p != n and p.lower().split()[0] == words[0] and before(p))
        if target is None and n.isupper() and 2 <= len(n) <= 6:  # 'CIS'
            target = unique(m for m in multi if _initials(m) == n)
        if target is None and len(words) == 1 and (found[n].labels["ORG"] or sporty and found[n].labels["GPE"]):
            # 'Bayer' -> 'Bayer Leverkusen'; in a sports story 'Swansea' -> 'Swansea City'.
            target = unique(m for m in multi if m.split()[0] == n and found[m].labels["ORG"] and before(m))
        if target:
            canonical[n] = target

    def resolve(n: str, depth: int = 0) -> str:
        t = canonical.get(n, n)
        return t if t == n or depth > 5 else resolve(t, depth + 1)

    return {n: resolve(n) for n in names}


def _run_together(name: str, found: dict[str, _Mentions]) -> bool:
    """Whether `name` is two other names run together by a caption ('Everton Gomis', 'Isco Gareth Bale').

    Caption debris is named once; its first part ends another name and its second part starts one.
    A first name and a surname ('Mick' + 'Schumacher') make one person, not debris.
    """
    words = name.split()
    if len(words) < 2 or len(found[name].where) > 1:
        return False
    others = [o.split() for o in found if o != name]
    for k in range(1, len(words)):
        left, right = words[:k], words[k:]
        ends_other = any(p[-len(left):] == left for p in others if len(p) >= len(left))
        starts_other = any(p[: len(right)] == right for p in others if len(p) >= len(right))
        first_and_surname = len(left) == 1 and len(right) == 1 and all(
            found.get(w) and found[w].labels["PERSON"] for w in (left[0], right[0])
        )
        if ends_other and starts_other and not first_and_surname:
            return True
    return False


def _count_surnames(sentences: Sequence[Sentence], merged: dict[str, _Mentions]) -> None:
    """Count a person's bare surname where the tagger missed it ('If he (Pashinian) ...').

    Only an unambiguous surname counts: two people sharing one each keep their own mentions.
    """
    people = [n for n, m in merged.items() if m.labels["PERSON"] and len(n.split()) > 1]
    surnames = Counter(n.split()[-1] for n in people)
    for name in people:
        surname = name.split()[-1]
        if surnames[surname] > 1 or len(surname) < 3:
            continue
        pattern = re.compile(rf"\b{re.escape(surname)}\b")
        for sentence in sentences:
            key = (sentence.doc, sentence.index)
            if key not in merged[name].where and pattern.search(sentence.text):
                merged[name].where[key] = sentence
                merged[name].labels["PERSON"] += 1


def _type_of(name: str, m: _Mentions, sporty: bool, name_words: frozenset[str] = frozenset()) -> str:
    """The actor type: the tagger's majority, corrected by the name and, in sports stories, by use.

    `name_words` are the words of the document's multi-word person names: a one-word 'person' that
    is nobody's first name or surname, in a sports story, may be a club the tagger took for a name.
    """
    label = m.labels.most_common(1)[0][0]
    last = name.split()[-1].lower()
    if label != "ORG" and len(name.split()) > 1 and last in ORG_WORDS:
        return "organisation"
    place = re.compile(rf"\b{re.escape(name)}\s+{_PLACE_NOUN}\b")
    if label == "PERSON" and m.where and all(place.search(s.text) for s in m.where.values()):
        return "state or place"
    lone = label == "PERSON" and len(name.split()) == 1 and name not in name_words
    if sporty and len(name.split()) <= 2 and (label == "GPE" or label == "PERSON" and m.labels["GPE"] or lone):
        # A place name used as the subject or owner in a sports story is a team ('Swansea beat ...').
        uses = Counter(e.dep for e in m.entities)
        if sum(uses[d] for d in _TEAM_DEPS) >= max(1, sum(uses.values()) // 2):
            return "organisation"
    return LABEL_TO_TYPE[label]


def _only_cited(name: str, m: _Mentions) -> bool:
    """An outlet named only as the source of a report ('according to CNN', 'told the Washington Post')."""
    texts = [s.text for s in m.where.values()]
    if _MEDIA.match(name):
        return all(_CITING.search(t) or not is_story(t, s.kind) for t, s in zip(texts, m.where.values())) or len(texts) <= 2
    return False


# Nouns that make the name before them an event ('the Indestructible Brotherhood 2021 military exercise').
_EVENT_NOUN = re.compile(
    r"^(?:\s+\d{4})?(?:\s+(?:joint|military|naval|annual|international|national))*\s+"
    r"(?:exercises?|drills?|manoeuvres?|maneuvers?|operation|festival|summit|tournament|championships?|games|"
    r"conference|agreement|treaty|accord|campaign|programme|program|initiative|project)\b",
    re.I,
)


def _named_event(name: str, m: _Mentions) -> bool:
    """A name that, wherever it is written in full, is followed by a noun saying it is an event."""
    follows = [s.text[i + len(name):] for s in m.where.values() if (i := s.text.find(name)) >= 0]
    return bool(follows) and all(_EVENT_NOUN.match(f) for f in follows)


def _centrality(
    name: str, m: _Mentions, sentences: Sequence[Sentence], config: ActorConfig, firsts: dict[int, list[int]]
) -> float:
    """How central an actor is: weighted mentions, continuing subjects and a place in the opening."""
    score = 0.0
    for s in m.where.values():
        score += config.mention if is_story(s.text, s.kind) else config.caption_mention
    score += config.subject * sum(e.dep in ("nsubj", "nsubjpass") for e in m.entities)
    opening = {(d, i) for d, idx in firsts.items() for i in idx}
    if any(key in opening for key in m.where):
        score += config.opening
    return score


def _anaphora(sentences: Sequence[Sentence], people: dict[str, _Mentions]) -> Counter[str]:
    """Sentences whose subject continues the story of the person named just before ('He said ...')."""
    counts: Counter[str] = Counter()
    last: str | None = None
    current_doc = None
    owner = {key: name for name, m in people.items() for key in m.where}
    for s in sentences:
        if s.doc != current_doc:
            last, current_doc = None, s.doc
        if s.subject and _PERSON_ANAPHOR.match(s.subject) and last and (s.doc, s.index) not in people[last].where:
            counts[last] += 1
        named = [owner[(s.doc, s.index)]] if (s.doc, s.index) in owner else []
        if named:
            last = named[-1]
    return counts


def find_actors(sentences: Sequence[Sentence], limit: int | None = None, config: ActorConfig | None = None) -> list[Candidate]:
    """Every actor of the document, most central first (at most `limit`)."""
    config = config or ActorConfig()
    found = _collect(sentences)
    text = " ".join(s.text for s in sentences)
    sporty = len(_SPORT.findall(text)) >= config.sport_cues
    for name in [n for n in found if _run_together(n, found)]:
        del found[name]
    canonical = _canonical_names(found, sporty)
    merged: dict[str, _Mentions] = defaultdict(_Mentions)
    for name, target in canonical.items():
        if found[target].labels["PERSON"] and target != name and found[target].labels["PERSON"] >= found[target].labels.total() / 2:
            # A short form of a person's name is that person, whatever the tagger said ('Charlotte' as a city).
            found[name].labels = Counter({"PERSON": found[name].labels.total()})
        merged[target].absorb(found[name])
    _count_surnames(sentences, merged)
    firsts: dict[int, list[int]] = defaultdict(list)
    for s in sentences:
        if is_story(s.text, s.kind) and len(firsts[s.doc]) < config.opening_sentences:
            firsts[s.doc].append(s.index)
    people = {n: m for n, m in merged.items() if m.labels["PERSON"]}
    continuing = _anaphora(sentences, people)
    name_words = frozenset(w for n in people if len(n.split()) > 1 for w in n.split())
    candidates = []
    for name, m in merged.items():
        if _only_cited(name, m) or _named_event(name, m) or _group_of_people(name, sentences) or not any(is_story(s.text, s.kind) for s in m.where.values()):
            continue  # a source of the report, or a name only in captions and bylines
        where = tuple(sorted(m.where.values(), key=lambda s: (s.doc, s.index)))
        score = _centrality(name, m, sentences, config, firsts) + config.continued * continuing[name]
        candidates.append(Candidate(name, _type_of(name, m, sporty, name_words), len(where), where, round(score, 3)))
    candidates.sort(key=lambda c: (-c.score, c.sentences[0].doc, c.sentences[0].index))
    return candidates[:limit] if limit else candidates


@dataclass(frozen=True)
class Ranked:
    """A candidate with the role the source gives it (a title), or what it does there, if any."""

    candidate: Candidate
    role: str | None
    action: str | None = None


def select_actors(sentences: Sequence[Sentence], limit: int, config: ActorConfig | None = None) -> list[Ranked]:
    """The key actors: the most central, as many as the document warrants (at most `limit`)."""
    config = config or ActorConfig()
    pool = find_actors(sentences, config=config)
    if not pool or limit <= 0:
        return []
    top = pool[0].score
    chosen = [c for c in pool if c.score >= max(config.min_score, config.relative * top)][:limit] or pool[:1]
    ranked = [_described(c) for c in chosen]
    # A name given a person's title is a person, whatever the tagger said.
    return [replace(r, candidate=replace(r.candidate, type="person")) if r.role and is_person_title(r.role) else r
            for r in ranked]


def _described(candidate: Candidate, look: int = 5) -> Ranked:
    """The candidate with its role: the title the first of its story sentences that gives one states,
    else what the first sentence that has it as subject says it does. That sentence becomes the
    evidence; with neither, the evidence is the first full mention."""
    story = [s for s in candidate.sentences if is_story(s.text, s.kind) and candidate.name in s.text][:look]
    for s in story:
        if role := syntactic_role(candidate.name, s.text):
            return Ranked(replace(candidate, chosen=s), role)
    for s in story:
        if action := action_role(candidate.name, s.text):
            return Ranked(replace(candidate, chosen=s), None, action)
    return Ranked(candidate, None)
