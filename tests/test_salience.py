"""salience.py: scores, ranking and the BLUF selection, pinned on small hand-made documents.

The pipeline's extract BLUF is `pipeline.bluf_candidates` -> `salience.select_bluf`; these tests pin what
it selects, so the "salient" BLUF cannot silently become the document's first sentences again.
"""

import pytest

from summariser.config import SalienceConfig, load_settings
from summariser.nlp import Sentence, analyse
from summariser.pipeline import bluf_candidates
from summariser.salience import position_weight, rank, rarity, score, select, select_bluf, shares


def _doc(*texts: str, doc: int = 0, start: int = 0, kinds: dict[int, str] | None = None) -> list[Sentence]:
    kinds = kinds or {}
    return [Sentence(start + i, t, (), doc, kinds.get(i, "statement")) for i, t in enumerate(texts)]


def test_rarity_orders_common_and_rare_words():
    assert rarity("the") == 0.5
    assert rarity("said") < rarity("manager") < rarity("kilmarnock") <= 7.0


def test_position_weight_values():
    assert [round(position_weight(i), 3) for i in range(4)] == [1.0, 0.75, 0.6, 0.5]


def test_non_statements_score_zero_and_rank_last():
    sentences = _doc("Army report", "The army recruited ten thousand soldiers in the north this year.", kinds={0: "heading"})
    assert score(sentences)[0] == 0.0
    assert rank(sentences)[0][1].index == 1


def test_direct_quote_ranks_below_the_reported_statement_after_it():
    sentences = _doc(
        "The minister resigned on Monday after the budget vote failed in parliament.",
        "'I have done my best and I leave with my head high,' she told reporters.",
        "The budget vote failed by twelve votes after the coalition split.",
    )
    order = [s.index for _, s in rank(sentences)]
    assert order.index(2) < order.index(1)
    plain = SalienceConfig(quote_penalty=0.0)
    assert [s.index for _, s in rank(sentences, plain)] == [0, 1, 2]


def test_centrality_lifts_a_sentence_about_what_the_document_is_about():
    sentences = _doc(
        "Kilmarnock will confirm Gary Locke as manager on Friday.",
        "The weather in Ayrshire was sunny and warm on Thursday afternoon for once.",
        "Locke has won five of his six games in charge of Kilmarnock since February.",
        "Chairman Jim Mann said Locke had earned the Kilmarnock job.",
    )
    strong = SalienceConfig(centrality=1.0)
    order = [s.index for _, s in rank(sentences, strong)]
    assert order.index(2) < order.index(1)  # the central sentence overtakes the earlier, off-topic one


def test_section_leads_and_summary_sections():
    opening = " ".join(f"Inspectors visited plant number {i} of the regional network during the year." for i in range(7))
    text = (
        "Review of the regional water supply\n\n" + opening + "\n\n"
        "Background\n\n"
        "Plants were built between 1960 and 1990 by the regional councils.\n\n"
        "Key findings\n\n"
        "Nine plants failed the new safety standard because their filters were worn out."
    )
    sentences = analyse(text)
    scores: dict[str, float] = {}
    for s, value in zip(sentences, score(sentences, SalienceConfig(centrality=0.0))):
        scores.setdefault(s.text[:12], value)  # the first of the seven 'Inspectors ...' sentences
    assert scores["Review of th"] == 0.0  # a heading is never a candidate
    assert scores["Inspectors v"] == pytest.approx(1.0)  # the document's first statement, below its title
    assert scores["Plants were "] == pytest.approx(0.6)  # lead of an ordinary section: 0.6 x 1, above 1/(1 + 7/3)
    assert scores["Nine plants "] == pytest.approx(1.0)  # lead of a summary section counts fully


def test_select_skips_repeats():
    sentences = _doc(
        "Greece has denied it will miss a repayment to the International Monetary Fund.",
        "Greece has denied it will miss the repayment to the International Monetary Fund on Thursday.",
        "Deputy finance minister Dimitris Mardas said Greece would pay on time.",
    )
    assert [s.index for s in select(sentences, 2)] == [0, 2]


def test_select_bluf_takes_the_length_closest_to_the_budget():
    words = lambda n, w: " ".join([w] * (n - 1)) + " end."  # noqa: E731
    sentences = _doc(words(20, "alpha"), words(25, "bravo"), words(30, "charlie"), words(40, "delta"))
    assert [s.index for s in select_bluf(sentences, 75, weights=SalienceConfig(centrality=0.0))] == [0, 1, 2]
    assert [s.index for s in select_bluf(sentences, 40, weights=SalienceConfig(centrality=0.0))] == [0, 1]
    assert [s.index for s in select_bluf(sentences, 75, max_sentences=2, weights=SalienceConfig(centrality=0.0))] == [0, 1]


def test_select_bluf_never_picks_headings_captions_or_bylines():
    sentences = _doc(
        "By John Smith",
        "Flying high: Half of the 6,000-metre-long kite took to the sky",
        "A Chinese team took a kite measuring 6,000 metres to a festival in Chongqing.",
        "Air traffic control said the kite was a danger to passing aircraft.",
        kinds={0: "byline", 1: "caption"},
    )
    assert [s.index for s in select_bluf(sentences, 30)] == [2, 3]


def test_shares_split_the_budget_by_weight_with_a_minimum():
    assert shares([1, 1], 60, 20) == [30, 30]
    assert shares([3, 1], 80, 20) == [60, 20]
    assert shares([10, 1], 50, 20) == [30, 20]
    assert sum(shares([5, 3, 2], 77, 10)) == 77


def test_a_pile_bluf_covers_every_document():
    first = _doc(*(f"The first report describes event number {i} in the northern province in detail." for i in range(8)))
    second = _doc("The second report says the southern port was closed by the navy on Monday.",
                  "Ships were diverted to the eastern harbour for three days.", doc=1, start=8)
    chosen = select_bluf(first + second, 60)
    assert {s.doc for s in chosen} == {0, 1}


def test_pipeline_uses_select_bluf_with_the_settings():
    settings = load_settings(brief={"bluf_words": 20})
    sentences = _doc(
        "The ministry reported on Monday the launch of a joint military exercise with Turkey.",
        "The manoeuvres were carried out with motorised infantry and special forces units.",
        "Officials from both countries attended the opening ceremony in the capital.",
    )
    assert bluf_candidates(sentences, settings) == select_bluf(sentences, 20, settings.brief.bluf_sentences, settings.salience)
    assert len(bluf_candidates(sentences, settings)) == 1
