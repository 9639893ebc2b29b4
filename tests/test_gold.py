"""The hand-built gold sets and the pure functions that score against them (no model)."""

import json
import math

import pytest

from summariser.evaluation import actors, judgment_check, piles, sampling
from summariser.evaluation.actors import GoldActor, GoldDoc, Predicted, match_kind, normalise, score_document
from summariser.evaluation.scoring import Counts, bootstrap_prf, prf

from .conftest import ROOT, SEED, SHARED_DATA

GOLD = ROOT / "eval" / "gold"


@pytest.fixture(scope="module")
def cnndm() -> dict[str, str]:
    path = SHARED_DATA / "frank-cnndm.jsonl"
    assert path.is_file(), f"{path} is needed (../shared beside the checkout, as in CI)"
    return {row["id"]: row["article"] for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]


# -- the committed files follow the documented rules ----------------------------------------------
def test_actor_gold_is_the_documented_sample_and_split(cnndm):
    rows = _rows("actors.jsonl")
    drawn = sampling.actor_sample(list(cnndm))
    assert [r["id"] for r in rows] == ["000_2c347e933061e894", *drawn["dev"], *drawn["test"]]
    assert [r["split"] for r in rows] == ["dev"] * 41 + ["test"] * 20
    assert len(set(drawn["dev"]) | set(drawn["test"])) == 60


def test_every_gold_name_is_grounded_in_its_article(cnndm):
    texts = {**cnndm, "000_2c347e933061e894": SEED.read_text(encoding="utf-8")}

    def fold(s: str) -> str:
        return " ".join(s.replace("’", "'").lower().split())

    for row in _rows("actors.jsonl"):
        doc = actors.parse_gold(row)  # well-formed: known types, at most one main subject
        text = fold(texts[doc.id])
        for entity in (*doc.key, *doc.minor):
            assert any(fold(n) in text for n in (entity.name, *entity.aliases)), (doc.id, entity.name)
        assert all(a.role for a in doc.key)


def test_judgment_set_is_the_documented_sample(cnndm):
    rows = _rows("judgments.jsonl")
    gold_ids = {r["id"] for r in _rows("actors.jsonl")}
    drawn = sampling.judgment_sample(cnndm, gold_ids)
    committed = [(r["id"], r["index"], r["split"], r["text"]) for r in rows]
    assert committed == [(s.id, s.index, s.split, s.text) for s in drawn]
    assert len(rows) >= 200 and not gold_ids & {r["id"] for r in rows}
    items = [judgment_check.parse_labelled(r) for r in rows]
    assert {i.split for i in items} == {"dev", "test"}
    assert {i.kind for i in items} == set(judgment_check.KINDS)  # every kind is represented


def test_simple_splitter():
    text = "He said 'No.' Then he left! Did she? (Yes.) 3 men came. Mr. smith stayed"
    assert sampling.split_simple(text) == ["He said 'No.'", "Then he left!", "Did she?", "(Yes.)", "3 men came.",
                                           "Mr. smith stayed"]


def test_piles_are_deterministic_sized_and_distinct():
    ids = [f"d{i:03d}" for i in range(40)]
    a = sampling.make_piles(ids, count=8, sizes=(3, 5), seed=5)
    assert a == sampling.make_piles(list(reversed(ids)), count=8, sizes=(3, 5), seed=5)  # order of input ignored
    assert len(a) == 8 and all(3 <= len(p) <= 5 and len(set(p)) == len(p) for p in a)
    flat = [d for p in a for d in p]
    assert len(flat) == len(set(flat))  # 8 piles of at most 5 fit in 40 documents: none repeats
    more = sampling.make_piles(ids[:6], count=5, sizes=(4, 5), seed=1)  # must cycle: still none within a pile
    assert all(len(set(p)) == len(p) for p in more)
    with pytest.raises(ValueError, match="at least 5"):
        sampling.make_piles(ids[:4], count=1, sizes=(3, 5))


# -- name matching ----------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [
    ("The Swansea City's", "swansea city"),
    ("U.S. Department of Justice", "us department of justice"),
    ("Jeroen Hüpscher", "jeroen hupscher"),
    ("Hall & Woodhouse", "hall and woodhouse"),
    ("al-Douri", "al douri"),
    ("Ronnie O’Sullivan", "ronnie osullivan"),
    ("National Farmers' Union", "national farmers union"),
    ("  theresa   Devine ", "theresa devine"),
])
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_match_by_alias_and_by_surname_rule():
    locke = GoldActor("Gary Locke", ("Locke",), "person")
    assert match_kind("Gary Locke", locke) == 2
    assert match_kind("locke's", locke) == 2  # alias, case and possessive folded
    assert match_kind("Mr Locke", locke) == 1  # title + surname
    assert match_kind("Coach Gary Locke", locke) == 1
    assert match_kind("Billy Locke", locke) == 0  # another person with the same surname
    assert match_kind("Locke Road", locke) == 0
    michael = GoldActor("Michael Schumacher", ("Michael",), "person")
    assert match_kind("Mick Schumacher", michael) == 0  # no surname alias: no surname rule
    club = GoldActor("Swansea City", ("Swansea", "the Swans"), "organisation")
    assert match_kind("Swans", club) == 2  # leading 'the' dropped
    assert match_kind("AFC Swansea", club) == 0  # the surname rule is for persons only


def _gold() -> GoldDoc:
    return GoldDoc(
        "doc", "dev",
        key=(GoldActor("Gary Locke", ("Locke",), "person", main_subject=True),
             GoldActor("Kilmarnock", ("Killie",), "organisation"),
             GoldActor("Scotland", (), "state or place")),
        minor=(GoldActor("Hearts"),),
    )


def test_score_document_strict_and_lenient_by_hand():
    predicted = [
        Predicted("Gary Locke", "person"),           # key, right type
        Predicted("Mr Locke", "person"),             # the same actor again: duplicate
        Predicted("Kilmarnock", "state or place"),   # key, wrong type
        Predicted("Hearts", "organisation"),         # minor entity
        Predicted("British", "person"),              # not an actor
    ]
    s = score_document(predicted, _gold())
    # Strict: only Gary Locke is right; Kilmarnock (type) and Scotland are missed.
    assert s.strict == Counts(tp=1, fp=4, fn=2)
    assert s.misses == ["Kilmarnock", "Scotland"]
    assert [f["reason"] for f in s.false_positives] == [
        "duplicate", "type state or place, gold organisation", "minor entity", "not a key actor"]
    # Lenient: Locke, Kilmarnock and Hearts are right (3 of 5); recall 2 of 3.
    assert s.lenient == Counts(tp=3, fp=2, fn=1)
    assert s.lenient_misses == ["Scotland"] and s.minor_hits == ["Hearts"]
    assert s.main_subject is True
    p, r, f = prf(s.strict.tp, s.strict.fp, s.strict.fn)
    assert (p, round(r, 4), round(f, 4)) == (0.2, 0.3333, 0.25)


def test_main_subject_missing_and_unmarked():
    s = score_document([Predicted("Killie", "organisation")], _gold())
    assert s.main_subject is False and s.strict == Counts(1, 0, 2)
    unnamed = GoldDoc("x", "dev", key=(GoldActor("Barry Quinn", ("Quinn",), "person"),))
    assert score_document([], unnamed).main_subject is None  # left out of main-subject recall
    assert score_document([], GoldDoc("y", "dev", key=())).strict == Counts(0, 0, 0)


def test_parse_gold_rejects_bad_rows():
    row = {"id": "a", "split": "dev", "key_actors": [{"name": "X", "type": "thing"}], "minor": []}
    with pytest.raises(ValueError, match="unknown actor type"):
        actors.parse_gold(row)
    with pytest.raises(ValueError, match="missing"):
        actors.parse_gold({"id": "a", "key_actors": []})


# -- micro P/R/F with intervals ----------------------------------------------------------------------
def test_bootstrap_prf_is_micro_and_brackets_the_mean():
    result = bootstrap_prf([Counts(1, 1, 0), Counts(0, 0, 2), Counts(2, 0, 0)])
    # Summed: tp 3, fp 1, fn 2 -> P 0.75, R 0.6, F1 2/3.
    assert (result.tp, result.fp, result.fn) == (3, 1, 2)
    assert result.precision.mean == 0.75 and result.recall.mean == 0.6 and round(result.f1.mean, 4) == 0.6667
    for iv in (result.precision, result.recall, result.f1):
        assert 0.0 <= iv.low <= iv.mean <= iv.high <= 1.0
    one = bootstrap_prf([Counts(1, 1, 1)])  # one document: every resample is the same
    assert one.precision.low == one.precision.high == 0.5
    assert math.isnan(bootstrap_prf([]).f1.mean)
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)


# -- judgments scoring ----------------------------------------------------------------------------------
def _labelled(kind: str, forward: bool = False, split: str = "dev") -> judgment_check.Labelled:
    return judgment_check.Labelled("a", 0, split, f"{kind} sentence", kind, forward)


def test_judgment_scoring_by_hand():
    items = [_labelled("position"), _labelled("description"), _labelled("prediction", True, "test"), _labelled("other")]
    said = [True, True, False, False]
    res = judgment_check.score(items, said, "judgment")  # TP 1, FP 1, FN 1
    assert (res.tp, res.fp, res.fn) == (1, 1, 1) and res.precision.mean == 0.5 and res.recall.mean == 0.5
    splits = judgment_check.by_split(items, said, "judgment")
    assert splits["test"].recall.mean == 0.0 and splits["dev"].precision.mean == 0.5 and splits["all"].tp == 1
    fwd = judgment_check.score(items, [False, False, True, False], "forward")
    assert (fwd.tp, fwd.fp, fwd.fn) == (1, 0, 0)
    rates = judgment_check.positive_rate_by_kind(items, said)
    assert rates["description"] == {"n": 1, "positive": 1.0} and rates["other"]["positive"] == 0.0
    with pytest.raises(ValueError):
        judgment_check.score(items, said[:2], "judgment")


def test_check_takes_classifier_callables():
    items = [_labelled("intention", True), _labelled("description"), _labelled("position", False, "test")]
    res = judgment_check.check(items, is_judgment=lambda s: not s.startswith("description"),
                               is_forward=lambda s: "intention" in s)
    assert res["judgment"]["all"].f1.mean == 1.0 and res["judgment"]["test"].tp == 1
    assert (res["forward"]["dev"].tp, res["forward"]["dev"].fp) == (1, 0)
    assert set(judgment_check.check(items, is_forward=bool)) == {"forward"}


def test_classifiers_are_loaded_by_name():
    assert judgment_check.load_classifier("summariser.judgments:is_forward_looking")("It will rain.") is True
    assert judgment_check.load_classifier("summariser.judgments:no_such_function") is None
    with pytest.raises(ValueError, match="module:function"):
        judgment_check.load_classifier("summariser.judgments")
    with pytest.raises(ValueError, match="unknown kind"):
        judgment_check.parse_labelled({"id": "a", "index": 0, "split": "dev", "text": "x", "kind": "rumour",
                                       "forward": False})


# -- piles ---------------------------------------------------------------------------------------------
DOCS = [
    "The council approved the new bridge on Monday. Work starts in June.",
    "Heavy rain flooded the valley overnight. Residents were moved to a school.",
    "The club signed a striker from Lyon. He cost ten million pounds.",
]


def test_source_documents_verbatim_fuzzy_and_none():
    assert piles.source_documents("Work  starts in June.", DOCS) == {0}  # whitespace and case folded
    assert piles.source_documents("heavy rain flooded the valley.", DOCS) == {1}  # 4 of 4 words in one sentence
    assert piles.source_documents("The striker cost money.", DOCS) == set()  # 2 of 4 words: below 0.6
    assert piles.source_documents("The club signed a striker.", ["x", "The club signed a striker. More."]) == {1}
    assert piles.source_documents("Same line.", ["Same line. A", "B. Same line."]) == {0, 1}


def test_coverage_counts_documents_not_sentences():
    bluf = ["The council approved the new bridge on Monday.", "Work starts in June."]
    assert piles.coverage(bluf, DOCS) == pytest.approx(1 / 3)
    assert piles.coverage(bluf + ["Residents were moved to a school."], DOCS) == pytest.approx(2 / 3)
    assert piles.coverage([], DOCS) == 0.0 and piles.coverage(bluf, []) == 0.0


def test_pile_baselines():
    each = piles.pile_baseline("each-lead-1")(DOCS)
    assert each == ("The council approved the new bridge on Monday. Heavy rain flooded the valley overnight. "
                    "The club signed a striker from Lyon.")
    lead3 = piles.pile_baseline("lead-3")(DOCS)
    assert lead3.startswith("The council approved") and "Heavy rain" in lead3 and "Lyon" not in lead3
    with pytest.raises(ValueError, match="unknown baseline"):
        piles.pile_baseline("each-textrunk-1")
