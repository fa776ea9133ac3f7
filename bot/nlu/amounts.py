"""Money amounts in English and Spanish texts, as integer cents or a symbol.

``find_amounts("pay $1,200.50")`` -> one span with value 120050. Symbolic
amounts are strings: ``"half"`` ("half", "la mitad"), ``"balance"`` ("the
full balance", "pay it off", "todo lo que debo") and ``"amount_due"`` ("the
amount due", "my monthly payment", "what i owe", "lo que debo este mes").
``"invalid"`` marks an amount no one can be charged ("pay 0", "pay -50",
"pay 50.999", "$0"): the bot asks how much instead of offering a default.
Money as people say it ("two fifty" = $250, "a buck fifty") comes from
:mod:`bot.nlu.colloquial`.

Numbers that are not money never become amounts: installment counts, dates,
times, durations, phone numbers, card digits, references, percentages (see
:mod:`bot.nlu.counts`, :mod:`bot.nlu.dates`, :mod:`bot.nlu.nonmoney`).
"pesos" counts as a currency word: borrowers of US dealers use it for
dollars, and the bot always confirms the amount in dollars before charging.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.money import to_cents
from bot.nlu.colloquial import cents_only, dollars_and_cents, spoken_hundreds
from bot.nlu.counts import find_counts
from bot.nlu.dates import find_dates
from bot.nlu.nonmoney import non_money_spans
from bot.nlu.numwords import find_number_words
from bot.nlu.spans import Span, drop_overlapping, memoized, overlaps_any
from bot.nlu.symbolic import INVALID, find_symbolic_amounts
from bot.nlu.text import fold
from bot.nlu.vocab import CURRENCY_WORDS, PAY_VERBS

MAX_CENTS = 100_000_000  # $1,000,000
_MULTIPLIERS = {"k": 1000, "grand": 1000, "thousand": 1000, "mil": 1000, "hundred": 100}
# Spelled-out numbers that are more often something else: "once a week", "mil gracias".
_AMBIGUOUS_WORDS = {"once", "mil"}

_DIGITS = re.compile(
    r"(?<![\w.,:#$\u2212-])(?P<sign>[\u2212-]\s?)?"
    r"(?:(?P<pre>us\s?\$|\$|usd|dlls?|dls)\s?(?P<sign2>[\u2212-])?)?(?<!\d/)"
    r"(?P<num>\d+(?:[,.]\d+)*|[.,]\d+)"
    r"(?P<mult>\s?(?:k|grand|thousand|hundred|mil)\b)?"
    rf"(?P<post>\s?(?:\$|{CURRENCY_WORDS}\b))?"
    r"(?![\w$]|[.,]\d|[/:]\d)"
)
_NEGATIVE_WORD = re.compile(r"\b(?:minus|negative)\s*$")
_CURRENCY_BEFORE = re.compile(r"(?:us\s?\$|\$|usd|dlls?|dls)\s?$")
_CURRENCY_AFTER = re.compile(rf"^\s?(?:\$|{CURRENCY_WORDS}\b)")


@memoized
def find_amounts(text: str) -> list[Span]:
    """Money amounts in ``text``: int cents, a symbolic amount, or ``"invalid"``.

    >>> [s.value for s in find_amounts("can i pay $1,200.50 now and half on friday")]
    [120050, 'half']
    >>> [s.value for s in find_amounts("pay -50")], [s.value for s in find_amounts("pay 50.999")]
    (['invalid'], ['invalid'])
    """
    folded = fold(text)
    counts = find_counts(text)
    blocked: list[Span | tuple[int, int]] = [*counts, *find_dates(text)]
    blocked += non_money_spans(folded)
    numbers = [*_digit_amounts(text, folded), *_word_amounts(text, folded),
               *_colloquial_amounts(text, folded)]
    kept = [span for span in numbers if not overlaps_any(span, blocked)]
    # A symbolic phrase may contain a date ("what i owe this month"): only a
    # block reaching outside it ("split it in half") removes it.
    for span in find_symbolic_amounts(text):
        if overlaps_any(span, counts):
            continue  # "split it in half" is a count
        if not any(_sticks_out(block, span) for block in blocked):
            kept.append(span)
    return drop_overlapping(kept)


def _sticks_out(block: Span | tuple[int, int], span: Span) -> bool:
    """True when ``block`` overlaps ``span`` and is not inside it."""
    start, end = (block.start, block.end) if isinstance(block, Span) else block
    return span.overlaps((start, end)) and (start < span.start or end > span.end)


def parse_money(raw: str) -> Decimal | None:
    """Dollars in a number as borrowers write it: "1,200.50", "1.200,50", "150,5", ".50".

    With both separators, the last one is the decimal point. With one kind:
    followed by one or two digits it is the decimal point; repeated before
    groups of three digits it separates thousands; a single "," before three
    digits is a thousands separator ("1,200"). A single "." before three
    digits ("50.999", "1.200") is either a sub-cent amount or Spanish
    thousands: it is read as three decimals, which :func:`cents_or_invalid`
    refuses, so the bot asks instead of guessing. None when malformed.
    """
    raw = raw.strip()
    separators = re.findall(r"[,.]", raw)
    groups = re.split(r"[,.]", raw)
    if not separators:
        return _decimal(raw, "")
    if len(set(separators)) == 2 or len(separators) == 1:
        whole, fraction = groups[:-1], groups[-1]
        if separators == [","] and len(fraction) == 3:
            whole, fraction = groups, ""  # "1,200"
    elif all(len(group) == 3 for group in groups[1:]):
        whole, fraction = groups, ""  # "1.250.000"
    else:
        return None
    if len(whole) > 1 and (any(len(g) != 3 for g in whole[1:]) or not 1 <= len(whole[0]) <= 3):
        return None
    return _decimal("".join(whole) or "0", fraction)


def _decimal(whole: str, fraction: str) -> Decimal | None:
    try:
        return Decimal(whole + ("." + fraction if fraction else ""))
    except InvalidOperation:
        return None


def plausible_cents(dollars: Decimal) -> int | None:
    """Whole cents for a dollar amount, or None when it is zero, negative or absurd."""
    if not 0 < dollars <= MAX_CENTS / 100:  # checked first: 30 digits overflow the cents
        return None
    cents = to_cents(dollars)
    return cents if 0 < cents <= MAX_CENTS else None


def cents_or_invalid(dollars: Decimal) -> int | str:
    """Cents, or ``"invalid"`` for an amount no one can be charged.

    Invalid: zero, negative, more than $1,000,000, or written with more than
    two decimals ("50.999": a sub-cent amount, or thousands the bot will not
    guess at).
    """
    if dollars.as_tuple().exponent < -2:
        return INVALID
    return plausible_cents(dollars) or INVALID


def _digit_amounts(text: str, folded: str) -> list[Span]:
    """Amounts written with digits: 150, $20, 20$, usd 40, 1.2k, 75 bucks, -50, $0."""
    spans = []
    for match in _DIGITS.finditer(folded):
        dollars = parse_money(match["num"])
        if dollars is None:
            continue
        if match["mult"]:
            dollars *= _MULTIPLIERS[match["mult"].strip()]
        negative = bool(match["sign"] or match["sign2"]
                        or _NEGATIVE_WORD.search(folded[: match.start()]))
        marked = bool(match["pre"] or match["post"] or match["mult"])
        meant_as_money = marked or _after_pay_verb(folded, match.start())
        small = dollars < 10 and dollars == dollars.to_integral_value()
        # A bare "4" may be a count of payments, but a bare "0" or "-50" is no count.
        alone = not re.search(r"\w", folded[: match.start()] + folded[match.end() :])
        if small and not meant_as_money and not ((negative or dollars == 0) and alone):
            continue  # "i have 2 kids", "it was -5 outside"; but "pay 5" is $5
        if negative and not (meant_as_money or alone):
            continue
        value = INVALID if negative else cents_or_invalid(dollars)
        if value == INVALID and dollars > MAX_CENTS / 100 and not marked:
            continue  # a long bare number is an id or a phone number, not money
        start, end = match.span()
        spans.append(Span(start, end, text[start:end], value))
    return spans


def _word_amounts(text: str, folded: str) -> list[Span]:
    """Spelled-out amounts: "fifty dollars", "two hundred", "cien dolares", "pay zero"."""
    spans = []
    for start, end, value in find_number_words(folded):
        before = _CURRENCY_BEFORE.search(folded[:start])
        after = _CURRENCY_AFTER.match(folded[end:])
        marked = bool(before or after)
        if value == 0 and (marked or _after_pay_verb(folded, start)):
            cents: int | str | None = INVALID  # "pay zero", "cero dolares"
        elif not marked and (value < 10 or folded[start:end] in _AMBIGUOUS_WORDS):
            continue  # "one", "two", "once a week": not money without a currency word
        else:
            cents = plausible_cents(Decimal(value))
        if cents is None:
            continue
        if before:
            start = before.start()
        if after:
            end += after.end()
        spans.append(Span(start, end, text[start:end], cents))
    return spans


def _colloquial_amounts(text: str, folded: str) -> list[Span]:
    """ "two fifty" ($250), "a buck fifty" ($1.50), "fifty cents" (see :mod:`colloquial`)."""
    found = [*spoken_hundreds(folded), *dollars_and_cents(folded), *cents_only(folded)]
    return [Span(start, end, text[start:end], cents) for start, end, cents in found
            if 0 < cents <= MAX_CENTS]


def _after_pay_verb(folded: str, position: int, window: int = 3) -> bool:
    """True when one of the ``window`` words before ``position`` is a paying verb."""
    words = re.findall(r"[a-z]+", folded[:position])[-window:]
    return any(word in PAY_VERBS for word in words)
