import pytest

from summariser.judgments import bigram_support, is_forward_looking, likelihood_of


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        ("The army crossed the border on Monday.", "very likely"),
        ("Officials said the army crossed the border.", "likely"),
        ("The army may cross the border.", "roughly even chance"),
        ("The minister ruled out a deal.", "unlikely"),
    ],
)
def test_likelihood_follows_the_wording(sentence, word):
    assert likelihood_of(sentence) == word


def test_forward_looking():
    assert is_forward_looking("Talks will resume next week.")
    assert not is_forward_looking("Talks ended on Monday.")


def test_bigram_support_catches_new_relations():
    src = "The drills took place in the Lachin region under an agreement with the Republic of Turkey."
    assert bigram_support("The drills took place in the Lachin region.", src) == 1.0
    assert bigram_support("The drills took place in the region of Turkey.", src) < 0.75
