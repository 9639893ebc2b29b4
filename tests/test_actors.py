import pytest

from summariser.actors import (
    Candidate,
    _balanced,
    action_role,
    checked_role,
    find_actors,
    is_person_title,
    role_is_grounded,
    select_actors,
    syntactic_role,
)
from summariser.nlp import Sentence
from summariser.nlp import analyse


@pytest.mark.parametrize(
    ("sentence", "name", "role"),
    [
        ("Turkish President Recep Tayyip Erdogan met reporters.", "Recep Tayyip Erdogan", "Turkish President"),
        ("Barack Obama, the US president, met Angela Merkel in Berlin.", "Barack Obama", "US president"),
        (
            "Azerbaijan was represented by the Minister of Defence, Colonel General Zakir Hasanov, and the head "
            "of the State Security Service, Ali Naghiyev.",
            "Ali Naghiyev",
            "head of the State Security Service",
        ),
    ],
)
def test_roles_come_from_the_sentence(sentence, name, role):
    assert syntactic_role(name, sentence) == role


def test_no_role_is_invented_for_a_bare_mention():
    assert syntactic_role("Turkey", "Turkey and Azerbaijan held drills.") is None


def test_seed_actors_are_in_the_source_with_their_titles(seed_text):
    sentences = analyse(seed_text)
    ranked = select_actors(sentences, 10)
    names = [r.candidate.name for r in ranked]
    for expected in ["Zakir Hasanov", "Ali Naghiyev", "Mumtaz Hussain", "Recep Tayyip Erdogan", "Nikol Pashinian"]:
        assert expected in names
    for r in ranked:
        assert r.candidate.name in seed_text
        assert r.candidate.evidence.text.replace(" ", "") in " ".join(seed_text.split()).replace(" ", "")
    roles = {r.candidate.name: r.role for r in ranked}
    assert roles["Recep Tayyip Erdogan"] == "Turkish President"
    assert "Minister of Defence" in roles["Zakir Hasanov"]


def test_short_mentions_merge_into_the_full_name():
    sentences = analyse("President Joe Biden spoke on Monday. Later, Biden left for Delaware. Biden smiled.")
    top = find_actors(sentences, 5)
    biden = [c for c in top if "Biden" in c.name]
    assert len(biden) == 1 and biden[0].name == "Joe Biden" and biden[0].mentions == 3


def test_model_roles_must_be_near_the_name_in_the_sentence():
    s = "Ankara hosted the talks, while far away in the north the rebels seized the airport of Kunduz."
    assert role_is_grounded("hosted the talks", "Ankara", s)
    assert not role_is_grounded("seized the airport", "Ankara", s)
    assert not role_is_grounded("a close ally of Moscow", "Ankara", s)


@pytest.mark.parametrize(
    ("role", "person"),
    [
        ("Commander of the Special Forces Division of the Turkish Army", True),
        ("Turkish President", True),
        ("head of the State Security Service", True),
        ("the largest steel maker in the region", False),
        ("border with Armenia", False),
    ],
)
def test_titles_that_make_a_person(role, person):
    assert is_person_title(role) is person


def test_a_titled_name_is_a_person_whatever_the_tagger_said(seed_text):
    ranked = {r.candidate.name: r.candidate for r in select_actors(analyse(seed_text), 10)}
    assert ranked["Omer Ertugrul Erbakan"].type == "person"  # spaCy tags this name ORG


def test_bare_surnames_count_as_mentions_when_unambiguous():
    text = ("Armenian Prime Minister Nikol Pashinian spoke on Monday. If he (Pashinian) is sincere, talks can start. "
            "Ed Miliband met David Miliband. Miliband left.")
    found = {c.name: c for c in find_actors(analyse(text), 10)}
    assert found["Nikol Pashinian"].mentions == 2
    assert found["Ed Miliband"].mentions == 1 and found["David Miliband"].mentions == 1  # 'Miliband' is ambiguous


def test_a_state_s_formal_name_joins_its_short_name():
    text = "The Republic of Turkey signed the deal. Turkey said it would comply. Greece objected."
    names = {c.name: c.mentions for c in find_actors(analyse(text), 10)}
    assert names.get("Turkey") == 2 and "Republic of Turkey" not in names


def _cand(name: str, kind: str, mentions: int) -> Candidate:
    return Candidate(name, kind, mentions, (Sentence(0, name, ()),))


def test_places_and_organisations_take_at_most_a_third_unless_people_run_out():
    ranked = [_cand(f"P{i}", "state or place", 10 - i) for i in range(5)] + [_cand("Org", "organisation", 3)]
    ranked += [_cand("Ann", "person", 2), _cand("Bob", "person", 1)]
    chosen = [c.name for c in _balanced(ranked, 6)]
    assert chosen == ["P0", "P1", "Org", "Ann", "Bob", "P2"]


@pytest.mark.parametrize(
    ("name", "sentence", "action"),
    [
        ("Acme Corp", "Acme Corp cut 300 jobs in Ohio on Monday.", "cut 300 jobs in Ohio on Monday"),
        ("Chancey Luna", "Chancey Luna was charged with first-degree murder.", "was charged with first-degree murder"),
        ("Athens", "Greece said Athens implemented some of the reforms.", "implemented some of the reforms"),
        ("Turkey", "Turkey objected.", None),  # a bare verb says too little
        ("Ohio", "Acme Corp cut 300 jobs in Ohio.", None),  # not the subject
    ],
)
def test_what_an_actor_does_comes_from_the_sentence(name, sentence, action):
    assert action_role(name, sentence) == action


def test_an_action_is_only_used_where_the_source_gives_no_title():
    text = "Turkish President Recep Tayyip Erdogan visited Baku. Acme Corp cut 300 jobs in Ohio on Monday."
    ranked = {r.candidate.name: r for r in select_actors(analyse(text), 10)}
    assert ranked["Recep Tayyip Erdogan"].role == "Turkish President" and ranked["Recep Tayyip Erdogan"].action is None
    assert ranked["Acme Corp"].role is None and ranked["Acme Corp"].action == "cut 300 jobs in Ohio on Monday"


def test_a_model_role_is_kept_only_if_grounded_and_naming_nothing_new():
    from summariser.check import SourceIndex

    sentence = "Bob Stone of Leeds, named the best young engineer of the year, won the prize."
    bob = next(c for c in find_actors(analyse(sentence), 5) if c.name == "Bob Stone")
    source = SourceIndex(sentence)
    assert checked_role(" the best young engineer of the year.", bob, source) == "the best young engineer of the year"
    assert checked_role(" a close friend of the mayor", bob, source) is None  # not the sentence's words
    # The sentence's words, but naming a company the source never mentions.
    assert checked_role(" the best young engineer of the year at Google", bob, source) is None
