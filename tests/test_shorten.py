"""shorten.tidy: deletion-only, so every word left is the source's own."""

import pytest

from summariser.shorten import tidy


@pytest.mark.parametrize(
    "text,expected",
    [
        ("But Britt McHenry has been suspended by ESPN.", "Britt McHenry has been suspended by ESPN."),
        ("Meanwhile, the senator (pictured) shared a video.", "The senator shared a video."),
        ("Jamie Silvonek (left), 14, was charged on Friday.", "Jamie Silvonek, 14, was charged on Friday."),
        ("The kite is 6,000 metres (3.7 miles) long.", "The kite is 6,000 metres (3.7 miles) long."),
        ("Andrew Smith was elected.", "Andrew Smith was elected."),
    ],
)
def test_tidy(text, expected):
    assert tidy(text) == expected


def test_tidy_only_deletes():
    text = "And so, Senator Jones (pictured left) said the bill would pass."
    out = tidy(text)
    assert set(out.lower().replace(",", "").replace(".", "").split()) <= set(text.lower().replace(",", "").replace(".", "").split())


def test_a_decimal_after_a_space_keeps_its_space():
    assert tidy("He was shot with a .22 calibre handgun , police said .") == (
        "He was shot with a .22 calibre handgun, police said."
    )
