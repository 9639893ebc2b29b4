from summariser.check import SourceIndex, clean_answer, grounded_sentences, has_loop

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
