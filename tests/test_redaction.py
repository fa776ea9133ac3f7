"""Card numbers (Luhn-valid, 13-19 digits, any grouping) never survive redaction."""

from __future__ import annotations

import pytest

from bot.logging_setup import scrub
from bot.redaction import PLACEHOLDER, luhn_valid, redact_card_numbers

CARDS = [
    "4242424242424242",
    "4242 4242 4242 4242",
    "4242-4242-4242-4242",
    "4242.4242.4242.4242",
    "5555555555554444",
    "378282246310005",  # Amex, 15 digits
    "3056930009020004",  # Diners, 14 digits... Luhn-valid
    "6011111111111117",
    "4000056655665556",
    "4222222222222",  # 13-digit Visa
]


@pytest.mark.parametrize("number", CARDS)
def test_card_numbers_are_removed(number):
    text, found = redact_card_numbers(f"here it is {number} thanks")
    assert found
    assert text == f"here it is {PLACEHOLDER} thanks"


@pytest.mark.parametrize("text", [
    "pay 150",
    "call me at +1 555 123 0001",
    "my account is LN-1001",
    "pay $1,200.50 on 12/15/2026",
    "4242424242424241",  # fails Luhn
    "123456789012",  # 12 digits: too short to be a card
])
def test_ordinary_numbers_are_kept(text):
    assert redact_card_numbers(text) == (text, False)


def test_a_card_glued_to_other_digits_is_still_found():
    text, found = redact_card_numbers("4242 4242 4242 4242 123")
    assert found
    assert "4242 4242 4242 4242" not in text


def test_luhn():
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")


def test_logs_mask_phones_and_cards():
    line = scrub("text from +15551230001 said 4242424242424242")
    assert "+15551230001" not in line and "4242424242424242" not in line
    assert "***0001" in line
