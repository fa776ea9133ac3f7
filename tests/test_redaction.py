"""Card numbers (Luhn-valid, 13-19 digits, any grouping), their expiry and security
code, and a labelled security code on its own never survive redaction."""

from __future__ import annotations

import pytest

from bot.logging_setup import scrub
from bot.redaction import (
    CODE_PLACEHOLDER,
    EXPIRY_PLACEHOLDER,
    PLACEHOLDER,
    luhn_valid,
    redact_card_data,
    redact_card_numbers,
    split_card,
)

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


# The expiry and the security code that come with a card number (PCI: the code may
# never be stored; an expiry with a card number is card data).
CARD = "4111 1111 1111 1111"
EXPIRY, CODE = EXPIRY_PLACEHOLDER, CODE_PLACEHOLDER


@pytest.mark.parametrize(("text", "expected"), [
    (f"can u use my other card {CARD} exp 09/28 cvv 123",
     f"can u use my other card {PLACEHOLDER} {EXPIRY} {CODE}"),
    (f"card {CARD} exp: 9/2028 cvc: 1234", f"card {PLACEHOLDER} {EXPIRY} {CODE}"),
    (f"{CARD} expires 09-28 cv2 123", f"{PLACEHOLDER} {EXPIRY} {CODE}"),
    (f"{CARD} 09/28 123", f"{PLACEHOLDER} {EXPIRY} {CODE}"),
    (f"{CARD} | 09 / 28 | 123", f"{PLACEHOLDER} | {EXPIRY} | {CODE}"),
    (f"{CARD} 123 09/28", f"{PLACEHOLDER} {CODE} {EXPIRY}"),
    (f"{CARD} exp 09/28 123", f"{PLACEHOLDER} {EXPIRY} {CODE}"),
    (f"{CARD} security code 123 expiration date 09/28",
     f"{PLACEHOLDER} {CODE} {EXPIRY}"),
    (f"cvv 123, exp sept 2028, card {CARD}", f"{CODE}, {EXPIRY}, card {PLACEHOLDER}"),
    (f"{CARD} csv 123", f"{PLACEHOLDER} {CODE}"),  # the usual typo
    (f"{CARD} ccv 123", f"{PLACEHOLDER} {CODE}"),
    (f"{CARD} CVV2: 123", f"{PLACEHOLDER} {CODE}"),
    (f"tarjeta {CARD} vence 09/28 código de seguridad 123",
     f"tarjeta {PLACEHOLDER} {EXPIRY} {CODE}"),
    (f"mi tarjeta {CARD}, vence el 09/28, el codigo de seguridad es 456",
     f"mi tarjeta {PLACEHOLDER}, {EXPIRY}, el {CODE}"),
    (f"{CARD} fecha de vencimiento: 09/2028 cvc 1234", f"{PLACEHOLDER} {EXPIRY} {CODE}"),
])
def test_a_card_numbers_expiry_and_security_code_go_with_it(text, expected):
    safe, found = redact_card_numbers(text)
    assert found
    assert safe == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("cvv 123", CODE),
    ("CVV: 123", CODE),
    ("cvv#123", CODE),
    ("cvv123", CODE),
    ("my cvc is 1234", f"my {CODE}"),
    ("the security code is 123 thanks", f"the {CODE} thanks"),
    ("security code: 123", CODE),
    ("123 is the cvv", CODE),
    ("csv 123", CODE),
    ("el código de seguridad es 123", f"el {CODE}"),
    ("el codigo de seguridad: 456", f"el {CODE}"),
    ("CÓDIGO DE SEGURIDAD 789", CODE),
    ("cvv 123 vence 09/28", f"{CODE} {EXPIRY}"),
    ("exp 09/28", EXPIRY),
    ("the exp date is 09/28", f"the {EXPIRY}"),
    ("fecha de vencimiento 09/28", EXPIRY),
])
def test_a_labelled_security_code_or_expiry_goes_without_a_card_number(text, expected):
    """The code often comes in a second text: its label is enough."""
    safe = redact_card_data(text)
    assert (safe.text, safe.card_number, safe.card_details) == (expected, False, True)


@pytest.mark.parametrize("text", [
    "pay 150",
    "I can pay 125 on the 15th",
    "on 09/28",
    "I'll pay 100 on 09/28",
    "mi pago vence el 09/28",  # a payment falls due: a date, not an expiry
    "vence 09/28",
    "what is a cvv?",
    "cvv? 150 is all i have",
    "I expect 12/30 to work",
    "pay $1,200.50 on 12/15/2026",
    "puedo pagar 150 el 15",
    "my code is 123",  # a code, but not a card's
])
def test_bare_numbers_and_dates_are_kept(text):
    assert redact_card_data(text) == (text, False, False)


def test_a_split_card_takes_the_expiry_after_it():
    first, second = split_card("my card is 4242 4242", "4242 4242 09/28 123")
    assert first == f"my card is {PLACEHOLDER}"
    assert second == f"{PLACEHOLDER} {EXPIRY} {CODE}"


def test_logs_lose_security_codes_and_expiries():
    line = scrub(f"said: card {CARD} exp 09/28 cvv 123")
    assert "09/28" not in line and "123" not in line and "4111" not in line
    assert scrub("said: cvv 987") == f"said: {CODE}"
