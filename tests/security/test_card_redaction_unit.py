"""Card numbers are found however they are written, every one of them (issue 13, item 1)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.redaction import PLACEHOLDER, redact_card_numbers, split_card
from tests.security.cards import card_numbers, digits_of, written

# The writings the probe found stored whole.
ESCAPED_BEFORE = [
    "old 4242424242424242 6011111111111117",
    "4242\u20134242\u20134242\u20134242",
    "4242--4242--4242--4242",
    "4242    4242    4242    4242",
    "4242\u200b4242\u200b4242\u200b4242",
    "42\u200b42 4242 4242 4242",
    "(4242) 4242 4242 4242",
    "4242 (4242) (4242) 4242",
    "\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12\uff14\uff12",
    "4242 - - 4242 - - 4242 - - 4242",
]


@pytest.mark.parametrize("text", ESCAPED_BEFORE)
def test_every_writing_the_probe_found_is_redacted(text):
    safe, found = redact_card_numbers(text)
    assert found
    assert "4242424242424242" not in digits_of(safe)
    assert "6011111111111117" not in digits_of(safe)
    assert PLACEHOLDER in safe


def test_two_cards_in_one_text_are_both_removed():
    safe, _ = redact_card_numbers("old 4242424242424242 new 6011-1111-1111-1117 thx")
    assert safe == f"old {PLACEHOLDER} new {PLACEHOLDER} thx"


@settings(max_examples=300, deadline=None)
@given(data=st.data(), before=st.sampled_from(["", "my card is ", "use ", "pay 50 with "]),
       after=st.sampled_from(["", " thanks", " exp 12/30", " cvv 123"]))
def test_any_writing_of_a_card_number_is_redacted(data, before, after):
    number = data.draw(card_numbers())
    text = before + data.draw(written(number)) + after
    safe, found = redact_card_numbers(text)
    assert found
    assert number not in digits_of(safe)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_every_card_of_several_in_one_text_is_redacted(data):
    numbers = data.draw(st.lists(card_numbers(), min_size=2, max_size=4))
    joiners = [" ", " and ", ", then ", " old one was "]
    text = data.draw(st.sampled_from(joiners)).join(data.draw(written(n)) for n in numbers)
    safe, _ = redact_card_numbers(text)
    for number in numbers:
        assert number not in digits_of(safe)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_card_split_over_two_texts_is_redacted_in_both(data):
    number = data.draw(card_numbers())
    cut = data.draw(st.integers(4, len(number) - 4))
    first = "my card " + data.draw(written(number[:cut]))
    second = data.draw(written(number[cut:])) + data.draw(st.sampled_from(["", " thx"]))
    result = split_card(first, second)
    assert result is not None
    assert number[:cut] not in digits_of(result[0])
    assert number[cut:] not in digits_of(result[1])


@pytest.mark.parametrize("text", [
    "pay 150", "call me at +1 555 123 0001", "pay $1,200.50 on 12/15/2026",
    "my account is LN-1001", "4242424242424241", "I can pay 50 on the 15th and 50 on the 30th",
])
def test_ordinary_numbers_are_kept_exactly(text):
    assert redact_card_numbers(text) == (text, False)


def test_two_unrelated_texts_are_not_joined():
    assert split_card("pay 150", "on friday") is None
    assert split_card("my balance?", "4242 4242") is None
