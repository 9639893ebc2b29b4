from summariser.check import SourceIndex, clean_answer, grounded_sentences, has_loop, restate
from summariser.config import GroundingConfig
from summariser.nlp import Sentence

SOURCE = (
    "Chelsea beat Arsenal 2-1 at Stamford Bridge on Sunday. Jose Mourinho praised Eden Hazard, "
    "who scored twice. The win leaves Chelsea 10 points clear."
)


def test_unsupported_names_and_numbers_are_found():
    src = SourceIndex(SOURCE)
    assert src.unsupported("Chelsea beat Arsenal at Stamford Bridge.") == []
    assert "Liverpool" in src.unsupported("Liverpool beat Arsenal.")
    assert "12" in src.unsupported("Chelsea are 12 points clear.")
    assert src.unsupported("Hazard scored twice for Chelsea.") == []


def test_grounded_sentences_keep_supported_and_drop_invented():
    src = SourceIndex(SOURCE)
    answer = (
        "Summary: Chelsea beat Arsenal 2-1 at Stamford Bridge. "
        "The club agreed a three-year deal with Barcelona. Eden Hazard scored twice."
    )
    kept, dropped = grounded_sentences(answer, src, limit=3)
    assert kept == ["Chelsea beat Arsenal 2-1 at Stamford Bridge.", "Eden Hazard scored twice."]
    assert any("Barcelona" in d for d in dropped)


def test_loops_are_detected():
    assert has_loop("the cat sat on the mat the cat sat on the mat the cat sat on the mat")
    assert not has_loop("Chelsea beat Arsenal 2-1 at Stamford Bridge on Sunday.")


def test_clean_answer_strips_lead_ins_bullets_and_unfinished_tails():
    assert clean_answer("Here is a summary:\n- First point.\n- Second point") == "First point."
    assert clean_answer('"Bottom line: It rained."') == "It rained."


def test_the_grounding_settings_are_the_ones_applied():
    """The `[grounding]` numbers a SourceIndex carries decide the checks (not constants beside them)."""
    answer = "Chelsea beat Arsenal on Sunday in a tense and scrappy derby."  # about half its words are the source's
    assert grounded_sentences(answer, SourceIndex(SOURCE), limit=1)[0] == []
    loose = SourceIndex(SOURCE, GroundingConfig(min_overlap=0.3))
    assert grounded_sentences(answer, loose, limit=1)[0] == [answer]
    strict_length = SourceIndex(SOURCE, GroundingConfig(min_words=12))
    assert grounded_sentences("Eden Hazard scored twice for Chelsea.", strict_length, limit=1)[0] == []


def test_restatements_are_checked_against_the_cited_sentence():
    cited = Sentence(index=1, text="Jose Mourinho praised Eden Hazard, who scored twice.", entities=())
    src = SourceIndex(SOURCE)
    assert restate("Mourinho praised Hazard, who scored twice.", cited, src) == "Mourinho praised Hazard, who scored twice."
    assert restate("Mourinho praised Hazard, who scored 12 goals.", cited, src) is None  # a number not in the source
    assert restate("Hazard praised Mourinho twice.", cited, src) is None  # same words, new relation
    # The cut-off a caller passes (implications, compressions) overrides the judgment default.
    partial = "Mourinho praised Eden Hazard on Sunday."  # four of its five content words are the cited ones
    assert restate(partial, cited, src, min_overlap=0.5) == partial
    assert restate(partial, cited, src, min_overlap=0.9) is None
