"""The ROUGE wrapper and bootstrap, pinned to hand-computed numbers and rouge-score's behaviour."""

import pytest

from summariser.evaluation.scoring import bootstrap_mean, paired_bootstrap, rouge, sentences_per_line


def test_unigram_overlap_hand_computed():
    # prediction "the cat sat", reference "the cat ran away": 2 of 3 predicted, 2 of 4 reference words
    s = rouge("the cat sat", "the cat ran away", ["rouge1"])["rouge1"]
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(2 / 4)
    assert s.fmeasure == pytest.approx(2 * (2 / 3) * (1 / 2) / (2 / 3 + 1 / 2))


def test_bigrams_and_stemming():
    # Porter stemming makes "running"/"runs" match "run": bigram "dog run" is shared
    s = rouge("the dog runs", "a dog running", ["rouge2"])["rouge2"]
    assert s.precision == pytest.approx(1 / 2) and s.recall == pytest.approx(1 / 2)


def test_identical_and_disjoint():
    assert rouge("Police arrested two men.", "Police arrested two men.")["rougeLsum"].fmeasure == pytest.approx(1.0)
    assert rouge("alpha beta", "gamma delta")["rouge1"].fmeasure == 0.0


def test_lsum_differs_from_l_on_multi_sentence_text():
    # Summary-level LCS (Lsum) takes the union of LCS matches per reference sentence, so sentence order
    # matters less than for ROUGE-L, which treats the text as one sequence.
    ref = "The cat sat on the mat. The dog barked at night."
    pred = "The dog barked at night. The cat sat on the mat."
    scores = rouge(pred, ref)
    assert scores["rougeLsum"].fmeasure == pytest.approx(1.0)
    assert scores["rougeL"].fmeasure < 0.7


def test_sentences_are_split_one_per_line():
    assert sentences_per_line("One here. Two there.") == "One here.\nTwo there."
    assert sentences_per_line("   ") == ""


def test_multi_reference_takes_the_best_per_type():
    single_good = rouge("the cat sat", "the cat sat", ["rouge1"])["rouge1"].fmeasure
    multi = rouge("the cat sat", ["a dog ran", "the cat sat"], ["rouge1"])["rouge1"].fmeasure
    assert multi == single_good == pytest.approx(1.0)


def test_unknown_rouge_type_is_rejected_up_front():
    with pytest.raises(ValueError, match="rouge_1"):
        rouge("a", "a", ["rouge_1"])


def test_bootstrap_is_reproducible_and_brackets_the_mean():
    values = [10, 20, 30, 40, 50, 60, 70, 80]
    a, b = bootstrap_mean(values), bootstrap_mean(values)
    assert a == b
    assert a.mean == 45 and a.low < 45 < a.high
    assert bootstrap_mean([5, 5, 5]).low == bootstrap_mean([5, 5, 5]).high == 5


def test_paired_bootstrap_tells_a_real_difference_from_noise():
    a = [float(x) for x in range(40)]
    better = [x + 5 for x in a]
    noisy = [x + (1 if i % 2 else -1) for i, x in enumerate(a)]
    assert paired_bootstrap(a, better).significant and paired_bootstrap(a, better).delta.mean == 5
    assert not paired_bootstrap(a, noisy).significant
    with pytest.raises(ValueError):
        paired_bootstrap([1.0], [1.0, 2.0])
