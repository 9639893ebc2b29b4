"""structure.py: furniture removal, run-on captions, sentence kinds (pinned examples)."""

import pytest

from summariser.nlp import analyse
from summariser.structure import is_direct_quote, kind_of, remove_furniture, split_run_ons


def test_share_bar_glued_to_the_first_sentence_is_removed():
    text = "Share this withEmailFacebookMessengerTwitterPinterestWhatsAppLinkedinCopy this linkResearchers found that four out of five children tried new food."
    assert remove_furniture(text) == "Researchers found that four out of five children tried new food."


def test_media_prompt_and_video_prompt_become_breaks():
    text = "He won the Tour. Media playback is not supported on this deviceLang said it was great. Scroll down for video Flying high: the kite."
    out = remove_furniture(text)
    assert "Media playback" not in out and "Scroll down" not in out
    assert "He won the Tour.\n\nLang said it was great." in out


@pytest.mark.parametrize(
    "text,expected",
    [
        ("(CNN)They may not be aliens, a scientist says.", "They may not be aliens, a scientist says."),
        ("LONDON, England (CNN) -- The Prime Minister spoke.", "The Prime Minister spoke."),
        ("WASHINGTON (Reuters) - Senators voted on Tuesday.", "Senators voted on Tuesday."),
    ],
)
def test_agency_datelines_are_removed(text, expected):
    assert remove_furniture(text) == expected


def test_ordinary_text_is_untouched():
    text = "The BBC said the share price fell. Readers can follow the story on our site."
    assert remove_furniture(text) == text


@pytest.mark.parametrize(
    "sentence,pieces",
    [
        # A caption with no full stop runs into the next sentence.
        (
            "A series of pictures show models camouflaged in woodland In many of the pictures, the paint hides them.",
            ["A series of pictures show models camouflaged in woodland", "In many of the pictures, the paint hides them."],
        ),
        # A caption that retells the story, glued to the story's first sentence.
        (
            "David Cameron will say high taxes are immoral as households receive a tax cut David Cameron will say today that high taxes are immoral.",
            ["David Cameron will say high taxes are immoral as households receive a tax cut",
             "David Cameron will say today that high taxes are immoral."],
        ),
        # Titles and quotations inside a sentence never break it.
        ("The story was first reported according to The Times on Sunday morning.", None),
        ("He learnt poker from the infamous ‘King of Instagram’ Dan Blizerian last week.", None),
        # A quotation that opens a sentence does.
        (
            "Locke will be confirmed as manager on Friday ‘I’d be over the moon to get it,’ he said.",
            ["Locke will be confirmed as manager on Friday", "‘I’d be over the moon to get it,’ he said."],
        ),
    ],
)
def test_run_on_captions_are_split(sentence, pieces):
    assert split_run_ons(sentence) == (pieces or [sentence])


@pytest.mark.parametrize(
    "text,kind",
    [
        ("Greece has denied it will fail to pay a multi-million pound loan.", "statement"),
        ("Turkey and Azerbaijan conduct joint military manoeuvres in Nakhichevan", "fragment"),
        ("Flying high: Half of the 6,000-metre-long kite took to the sky last Saturday", "caption"),
        ("Mr Wang said: 'Big kites are built from kevlar rope to stop the line snapping.'", "statement"),
        ("Abase Hussen, left, took his daughter Amira, right, to a demonstration when she was 13.", "caption"),
        ("By John Smith", "byline"),
        ("By . Daily Mail Reporter .", "byline"),
        ("3.2 Findings of the review ........ 14", "heading"),
        ("It is a sad situation.", "fragment"),
    ],
)
def test_kinds(text, kind):
    assert kind_of(text) == kind


def test_heading_lines_are_headings_and_open_sections():
    sentences = analyse("Annual report\n\nThe army grew by a tenth this year, the ministry said.\n\nFindings\n\nRecruitment fell in the north of the country.")
    assert [(s.kind, s.section) for s in sentences] == [("heading", 1), ("statement", 1), ("heading", 2), ("statement", 2)]


def test_entities_stay_with_their_piece_of_a_run_on():
    sentences = analyse("Pictures show models camouflaged in woodland In many of the pictures, Jorg Dusterwald painted the women.")
    assert len(sentences) == 2
    assert sentences[0].kind == "fragment"
    assert all(e.text != "Jorg Dusterwald" for e in sentences[0].entities)


@pytest.mark.parametrize(
    "text,quoted",
    [
        ("'I'd be over the moon to get it,' he said.", True),
        ("“We will do it,” the minister said of the talks.", True),
        ("He said that we should all be careful about 'fake news'.", True),
        ("The minister said the talks would resume on Monday.", False),
        ("The film is titled 'Lessons from Dan' and was shared on Friday.", False),
    ],
)
def test_direct_quotes(text, quoted):
    assert is_direct_quote(text) is quoted


def test_a_sentence_without_a_finite_verb_is_a_fragment():
    from summariser.nlp import analyse

    kinds = [s.kind for s in analyse(
        "Living under ISIS. And giving some lip -- like Kylie Jenner. Police said a man was arrested on Monday."
    )]
    assert kinds == ["fragment", "fragment", "statement"]
