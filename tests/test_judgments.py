"""judgments.py: what a sentence claims, how, on whose word; and which sentences become judgments."""

import pytest

from summariser.judgments import (
    LIKELIHOOD,
    corroboration,
    is_forward_looking,
    is_judgment,
    likelihood_of,
    pick_implications,
    pick_judgments,
    read,
    resolve_speaker,
)
from summariser.check import bigram_support
from summariser.nlp import Entity, Sentence


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("The army crossed the border on Monday.", "very likely"),
        ("Officials said the army crossed the border.", "likely"),
        ("The army may cross the border.", "roughly even chance"),
        ("The minister ruled out a deal.", "unlikely"),
        ("Talks will resume next week in Geneva.", "likely"),
    ],
)
def test_likelihood_follows_the_wording(sentence, word):
    assert likelihood_of(sentence) == word


def test_the_likelihood_rule_is_one_table():
    assert LIKELIHOOD == {
        "stated": "very likely",
        "attributed": "likely",
        "predicted": "likely",
        "hedged": "roughly even chance",
        "denied": "unlikely",
    }


@pytest.mark.parametrize(
    ("sentence", "kind", "basis", "speaker", "claim"),
    [
        (
            "Deputy finance minister Dimitris Mardas said that Greece will in fact make the payment on time.",
            "prediction", "attributed", "Deputy finance minister Dimitris Mardas",
            "Greece will in fact make the payment on time.",
        ),
        (
            "Greece has denied it will fail to pay a multi-million pound loan following reports it has drawn up plans.",
            "prediction", "denied", "Greece",
            "Greece will fail to pay a multi-million pound loan following reports it has drawn up plans.",
        ),
        (
            "Klopp, 47, announced earlier this week that he would end his seven-year stint at Borussia Dortmund.",
            "prediction", "attributed", "Klopp", "Klopp would end his seven-year stint at Borussia Dortmund.",
        ),
        ("The fire was caused by a faulty heater, police said.", "cause", "attributed", "police", "The fire was caused by a faulty heater."),
        ("The rebels plan to seize the airport before the elections.", "intention", "predicted", None, None),
        ("The results suggest the drug could halve the risk of a second stroke.", "prediction", "hedged", None, None),
        ("The figures show that unemployment has risen in every region.", "assessment", "stated", None, None),
        ("Police arrested two men in Leeds on Tuesday.", None, "stated", None, None),
        ("Kilmarnock beat Hearts 3-1 on Saturday with a late goal from Boyd.", None, "stated", None, None),
    ],
)
def test_read(sentence, kind, basis, speaker, claim):
    reading = read(sentence)
    assert (reading.kind, reading.basis, reading.speaker) == (kind, basis, speaker)
    assert reading.claim == (claim or sentence)


def test_claim_words_are_the_sources_own():
    sentence = "Deputy finance minister Dimitris Mardas said that Greece will in fact make the payment on time."
    assert set(read(sentence).claim.rstrip(".").split()) <= set(sentence.rstrip(".").split())


def test_background_clauses_do_not_make_a_description_an_intention():
    # 'plans to' belongs to the 'following reports' clause, not to what the sentence says happens.
    assert read("The minister resigned on Monday following reports that she plans to run for mayor.").kind is None


def test_pronoun_speakers_are_named_from_the_sentences_before():
    before = [Sentence(0, "Dimitris Mardas met reporters in Athens.", (Entity("Dimitris Mardas", "PERSON", 0), Entity("Athens", "GPE", 0)))]
    assert resolve_speaker("He", before) == "Dimitris Mardas"
    assert resolve_speaker("It", before) == "Athens"
    assert resolve_speaker("He", []) is None
    reading = read("He said the payment would be made on time.", before)
    assert reading.speaker == "Dimitris Mardas" and reading.basis == "attributed"


def test_forward_looking():
    assert is_forward_looking("Talks will resume next week.")
    assert is_forward_looking("The union threatened to strike in May.")
    assert not is_forward_looking("Talks ended on Monday.")


def _sentences(*texts: str, doc: int = 0) -> list[Sentence]:
    return [Sentence(i, t, (), doc) for i, t in enumerate(texts)]


def test_judgments_are_judgments_and_skip_what_the_bluf_says():
    ranked = _sentences(
        "The company launched a new phone in London on Tuesday.",
        "Analysts said the launch would lift sales by a fifth next year.",
        "The phone has a larger screen and costs 799 pounds.",
        "The results suggest the company is losing ground to its rivals.",
    )
    picked = pick_judgments(ranked, skip=lambda s: s.index == 1, k=3)
    assert [s.index for s, _ in picked] == [3]  # the launch and the specs are descriptions; 1 is in the BLUF
    assert not is_judgment(ranked[0].text) and not is_judgment(ranked[2].text)


def test_no_implication_without_a_forward_looking_basis():
    descriptive = _sentences("Police arrested two men in Leeds on Tuesday.", "Both were released on bail later that night.")
    assert pick_implications(descriptive, skip=lambda s: False, k=2) == []
    forward = _sentences("Police arrested two men in Leeds on Tuesday.", "Both men will appear in court next month.")
    assert [s.index for s, _ in pick_implications(forward, skip=lambda s: False, k=2)] == [1]


def test_corroboration_counts_other_documents_double():
    cited = Sentence(0, "The port of Odessa was closed by the navy on Monday.", (), 0)
    same_doc = Sentence(5, "The navy closed the port of Odessa on Monday morning.", (), 0)
    other_doc = Sentence(0, "Odessa's port was closed by the navy on Monday.", (), 1)
    assert corroboration(cited, [cited, same_doc]) == 1
    assert corroboration(cited, [cited, same_doc, other_doc]) == 3


def test_bigram_support_catches_new_relations():
    src = "The drills took place in the Lachin region under an agreement with the Republic of Turkey."
    assert bigram_support("The drills took place in the Lachin region.", src) == 1.0
    assert bigram_support("The drills took place in the region of Turkey.", src) < 0.75


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("He was ranked sixth on the US military's list of the 55 most-wanted Iraqis.", None),
        ("He was the King of Clubs in the pack of cards the US issued of wanted members of the regime.", None),
        ("The magazine is designed to recruit and radicalise would-be jihadists.", None),
        ("Iran vowed to retaliate against the strike.", "intention"),
        ("She is determined to win the seat.", "intention"),
        ("Troops were sent in order to protect civilians.", "intention"),
    ],
)
def test_intention_words_count_only_as_verbs(sentence, kind):
    # 'wanted' as a modifier and 'would-be' intend and predict nothing.
    assert read(sentence).kind == kind
