import pytest

from summariser.actors import find_actors, role_is_grounded, select_actors, syntactic_role
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
    for expected in ["Zakir Hasanov", "Ali Naghiyev", "Mumtaz Hussain", "Recep Tayyip Erdogan"]:
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
