"""Money amounts: integer cents or a symbol, and numbers that are not money."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlu.amounts import cents_or_invalid, find_amounts, parse_money, plausible_cents

MONEY = [
    # (text, [(span text, value), ...])
    ("150", [("150", 15000)]),
    ("pay 150", [("150", 15000)]),
    ("$1,200.50", [("$1,200.50", 120050)]),
    ("75 bucks", [("75 bucks", 7500)]),
    ("fifty dollars", [("fifty dollars", 5000)]),
    ("two hundred", [("two hundred", 20000)]),
    ("one hundred and fifty", [("one hundred and fifty", 15000)]),
    ("i can do like a hundred n twenty five", [("a hundred n twenty five", 12500)]),
    ("one hundred & twenty five", [("one hundred & twenty five", 12500)]),
    ("pay fifty n thanks", [("fifty", 5000)]),
    ("twenty five dollars", [("twenty five dollars", 2500)]),
    ("150.5", [("150.5", 15050)]),
    ("$20", [("$20", 2000)]),
    ("20$", [("20$", 2000)]),
    ("usd 40", [("usd 40", 4000)]),
    ("USD 60", [("USD 60", 6000)]),
    ("$ 50", [("$ 50", 5000)]),
    ("1.2k", [("1.2k", 120000)]),
    ("2 grand", [("2 grand", 200000)]),
    ("a grand", [("a grand", 100000)]),
    ("1,200", [("1,200", 120000)]),
    ("1.200,50", [("1.200,50", 120050)]),
    ("150,50", [("150,50", 15050)]),
    ("cien dólares", [("cien dólares", 10000)]),
    ("quiero pagar 100", [("100", 10000)]),
    ("doscientos", [("doscientos", 20000)]),
    ("ciento cincuenta", [("ciento cincuenta", 15000)]),
    ("dos mil", [("dos mil", 200000)]),
    ("50 pesos", [("50 pesos", 5000)]),
    ("100 dolares", [("100 dolares", 10000)]),
    ("50 dlls", [("50 dlls", 5000)]),
    ("pay 5", [("5", 500)]),
    ("$1000000", [("$1000000", 100_000_000)]),
    ("50 a week", [("50", 5000)]),
    ("i can do 50/week", [("50", 5000)]),
    ("3 payments of 100", [("100", 10000)]),
    ("pay 150 on the 15th", [("150", 15000)]),
    ("pay 20 at 5", [("20", 2000)]),
    ("$50 every 2 weeks", [("$50", 5000)]),
    ("el viernes pago 80", [("80", 8000)]),
    ("pay the 150", [("150", 15000)]),
    ("I was charged $45 twice", [("$45", 4500)]),
    ("can i pay $100 now and $100 next friday", [("$100", 10000), ("$100", 10000)]),
]

SYMBOLIC = [
    ("half", "half"),
    ("pay half now", "half"),
    ("la mitad", "half"),
    ("the full balance", "balance"),
    ("pay it all", "balance"),
    ("i want to pay everything", "balance"),
    ("all of it", "balance"),
    ("pay it off", "balance"),
    ("todo", "balance"),
    ("quiero pagar todo", "balance"),
    ("el saldo completo", "balance"),
    ("todo lo que debo", "balance"),
    ("the amount due", "amount_due"),
    ("what I owe this month", "amount_due"),
    ("i want to make my payment", "amount_due"),
    ("what's my monthly payment", "amount_due"),
    ("lo que debo este mes", "amount_due"),
    ("quiero pagar la mensualidad", "amount_due"),
]

NOT_MONEY = [
    "split it in 3",
    "3 payments",
    "4 installments",
    "en 3 partes",
    "tres pagos",
    "split it in half",
    "the 15th",
    "12/15",
    "dec 1",
    "el 15",
    "on the 1st",
    "at 5pm",
    "a las 5",
    "it's 10:30",
    "around 3",
    "call me at 555-123-4567",
    "my number is 5551234567",
    "my card [card number removed]",
    "card ending in 4242",
    "last 4 is 4242",
    "acct 123456",
    "friday",
    "el viernes",
    "in 2026",
    "2 weeks",
    "give me 3 days",
    "3 times",
    "100%",
    "i have 2 kids",
    "once a week",
    "mil gracias",
    "1st payment",
    "everything is fine",
    "thanks for all",
    "todo bien",
    "when is my payment due",
    "what's my balance",
    "can i pay at all",
]


@pytest.mark.parametrize(("text", "expected"), MONEY)
def test_money_becomes_integer_cents(text: str, expected: list[tuple[str, int]]) -> None:
    spans = find_amounts(text)
    assert [(s.text, s.value) for s in spans] == expected
    for span in spans:
        assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(("text", "symbol"), SYMBOLIC)
def test_symbolic_amounts(text: str, symbol: str) -> None:
    assert [s.value for s in find_amounts(text)] == [symbol]


@pytest.mark.parametrize("text", NOT_MONEY)
def test_numbers_that_are_not_money(text: str) -> None:
    assert find_amounts(text) == []


def test_count_and_amount_in_one_text() -> None:
    assert [s.value for s in find_amounts("can i do 3 payments of 100 starting friday")] == [10000]


def test_half_twice_for_a_split() -> None:
    assert [s.value for s in find_amounts("half now half next week")] == ["half", "half"]


@pytest.mark.parametrize(
    ("raw", "dollars"),
    [("1,200.50", "1200.50"), ("1.200,50", "1200.50"), ("150,5", "150.5"), ("1200", "1200"),
     ("12.34", "12.34"), (".50", "0.50"), ("1,250.50", "1250.50"), ("1.250,50", "1250.50"),
     ("1.250.000", "1250000")],
)  # fmt: skip
def test_parse_money_separators(raw: str, dollars: str) -> None:
    from decimal import Decimal

    assert parse_money(raw) == Decimal(dollars)


def test_parse_money_rejects_malformed_groups() -> None:
    assert parse_money("1,20,0") is None


@pytest.mark.parametrize("raw", ["50.999", "1.200", "0.001", "1,250.999", "1.250,999"])
def test_three_decimals_are_read_as_such_and_refused(raw: str) -> None:
    assert cents_or_invalid(parse_money(raw)) == "invalid"


def test_to_cents_rounds_and_bounds() -> None:
    from decimal import Decimal

    assert plausible_cents(Decimal("0.005")) == 1
    assert plausible_cents(Decimal("0")) is None
    assert plausible_cents(Decimal("1000000.01")) is None


# Amounts as borrowers say them (issue 12): each text and the amount it must give.
SPOKEN = [
    ("pay two fifty", 25000),
    ("pay two fifty five", 25500),
    ("two fifty dollars", 25000),
    ("can i do one twenty", 12000),
    ("twelve fifty", 125000),
    ("a buck fifty", 150),
    ("i can pay a dollar fifty", 150),
    ("5 dollars and 25 cents", 525),
    ("pay 50 cents", 50),
    ("pay $.50", 50),
    ("$1,250.50", 125050),
    ("quiero pagar 1.250,50", 125050),
    ("pay 1,250", 125000),
    ("pay two hundred fifty", 25000),
]


@pytest.mark.parametrize(("text", "cents"), SPOKEN)
def test_spoken_amounts(text: str, cents: int) -> None:
    assert [s.value for s in find_amounts(text)] == [cents]


WORDS_FOR_AMOUNTS = [
    ("can i pay half", "half"),
    ("half of it", "half"),
    ("puedo pagar la mitad", "half"),
    ("the rest", "balance"),
    ("pay the rest", "balance"),
    ("all of it", "balance"),
    ("todo", "balance"),
    ("what I owe", "amount_due"),
    ("pay what i owe", "amount_due"),
    ("quiero pagar lo que debo", "amount_due"),
]


@pytest.mark.parametrize(("text", "symbol"), WORDS_FOR_AMOUNTS)
def test_words_for_amounts(text: str, symbol: str) -> None:
    assert [s.value for s in find_amounts(text)] == [symbol]


def test_what_i_owe_in_a_question_is_no_amount() -> None:
    assert find_amounts("can you tell me what i owe") == []


# Amounts no one can be charged: the bot must ask "how much?", never pick a default.
INVALID_AMOUNTS = [
    "pay 0",
    "pay $0",
    "$0",
    "0",
    "pay 0.00",
    "pay zero",
    "pay zero dollars",
    "pay -50",
    "-50",
    "pay $-50",
    "pay -$50",
    "pay minus 50",
    "pay \u221250",
    "pay 50.999",
    "pay 0.001",
    "pay $10.505",
    "pay 1.200",
    "pay 1,250.999",
    "$2,000,000",
    "$1000001",
    "pay $123456789012345678901234567890",
    "make it 0",
]


@pytest.mark.parametrize("text", INVALID_AMOUNTS)
def test_invalid_amounts_are_recognised(text: str) -> None:
    assert [s.value for s in find_amounts(text)] == ["invalid"]


@pytest.mark.parametrize(
    "text", ["it was -5 outside", "i have $0 left", "pay 1234567890123456789012345678901"])
def test_invalid_amounts_never_crash_and_never_charge(text: str) -> None:
    assert all(not isinstance(s.value, int) for s in find_amounts(text))


@given(st.text(max_size=80))
@settings(max_examples=400, deadline=None)
def test_any_text_parses_to_plausible_amounts(text: str) -> None:
    for span in find_amounts(text):
        assert text[span.start : span.end] == span.text
        if isinstance(span.value, int):
            assert 0 < span.value <= 100_000_000
        else:
            assert span.value in {"half", "balance", "amount_due", "invalid"}


_NOT_CHARGEABLE = st.one_of(
    st.decimals(max_value=0, allow_nan=False, allow_infinity=False, places=2).map(str),
    st.integers(min_value=1, max_value=10**40).map(lambda n: f"-{n}"),
    st.tuples(st.integers(0, 99_999), st.integers(1, 999)).map(lambda p: f"{p[0]}.{p[1]:03d}"),
    st.integers(min_value=10**9, max_value=10**40).map(lambda n: f"${n}"),
)


@given(amount=_NOT_CHARGEABLE, verb=st.sampled_from(["pay", "pay $", "charge", "pagar", "send"]))
@settings(max_examples=400, deadline=None)
def test_no_invalid_amount_becomes_a_charge(amount: str, verb: str) -> None:
    text = f"{verb} {amount}" if not verb.endswith("$") else f"{verb}{amount.lstrip('$')}"
    assert [s.value for s in find_amounts(text) if isinstance(s.value, int)] == []
