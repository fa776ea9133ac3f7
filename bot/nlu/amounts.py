"""Money amounts in English and Spanish texts, as integer cents or a symbol.

``find_amounts("pay $1,200.50")`` -> one span with value 120050. Symbolic
amounts are strings: ``"half"`` ("half", "la mitad"), ``"balance"`` ("the
full balance", "pay it off", "todo lo que debo") and ``"amount_due"`` ("the
amount due", "my monthly payment", "lo que debo este mes").

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
from bot.nlu.counts import find_counts
from bot.nlu.dates import find_dates
from bot.nlu.nonmoney import non_money_spans
from bot.nlu.numwords import find_number_words
from bot.nlu.spans import Span, drop_overlapping, memoized, overlaps_any
from bot.nlu.symbolic import find_symbolic_amounts
from bot.nlu.text import fold
from bot.nlu.vocab import CURRENCY_WORDS, PAY_VERBS

MAX_CENTS = 100_000_000  # $1,000,000
_MULTIPLIERS = {"k": 1000, "grand": 1000, "thousand": 1000, "mil": 1000}
# Spelled-out numbers that are more often something else: "once a week", "mil gracias".
_AMBIGUOUS_WORDS = {"once", "mil"}

_DIGITS = re.compile(
    r"(?:(?<![\w.,:#$-])(?P<pre>us\s?\$|\$|usd|dlls?|dls)\s?|(?<![\w.,:#$-]))(?<!\d/)"
    r"(?P<num>\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"(?P<mult>\s?(?:k|grand|thousand|mil)\b)?"
    rf"(?P<post>\s?(?:\$|{CURRENCY_WORDS}\b))?"
    r"(?![\w$]|[.,]\d|[/:]\d)"
)
_CURRENCY_BEFORE = re.compile(r"(?:us\s?\$|\$|usd|dlls?|dls)\s?$")
_CURRENCY_AFTER = re.compile(rf"^\s?(?:\$|{CURRENCY_WORDS}\b)")


@memoized
def find_amounts(text: str) -> list[Span]:
    """Money amounts in ``text``: int cents for numbers, str for symbolic amounts.

    >>> [s.value for s in find_amounts("can i pay $1,200.50 now and half on friday")]
    [120050, 'half']
    """
    folded = fold(text)
    counts = find_counts(text)
    blocked: list[Span | tuple[int, int]] = [*counts, *find_dates(text)]
    blocked += non_money_spans(folded)
    numbers = [*_digit_amounts(text, folded), *_word_amounts(text, folded)]
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
    """Dollars in a number as borrowers write it: "1,200.50", "1.200,50", "150,5", "1200".

    The last separator followed by one or two digits is the decimal point;
    separators followed by groups of three digits are thousands.
    """
    raw = raw.strip()
    last_sep = max(raw.rfind(","), raw.rfind("."))
    if last_sep != -1 and 1 <= len(raw) - last_sep - 1 <= 2:
        whole, cents = raw[:last_sep], raw[last_sep + 1 :]
    else:
        whole, cents = raw, ""
    groups = re.split(r"[,.]", whole)
    if len(groups) > 1 and any(len(g) != 3 for g in groups[1:]):
        return None
    try:
        return Decimal("".join(groups) + ("." + cents if cents else ""))
    except InvalidOperation:
        return None


def plausible_cents(dollars: Decimal) -> int | None:
    """Whole cents for a dollar amount, or None when it is zero, negative or absurd."""
    cents = to_cents(dollars)
    return cents if 0 < cents <= MAX_CENTS else None


def _digit_amounts(text: str, folded: str) -> list[Span]:
    """Amounts written with digits: 150, $20, 20$, usd 40, 1.2k, 75 bucks, 2 mil pesos."""
    spans = []
    for match in _DIGITS.finditer(folded):
        dollars = parse_money(match["num"])
        if dollars is None:
            continue
        if match["mult"]:
            dollars *= _MULTIPLIERS[match["mult"].strip()]
        marked = bool(match["pre"] or match["post"] or match["mult"])
        small = dollars < 10 and dollars == dollars.to_integral_value()
        if small and not marked and not _after_pay_verb(folded, match.start()):
            continue  # "i have 2 kids"; but "pay 5" is $5
        cents = plausible_cents(dollars)
        if cents is not None:
            start, end = match.span()
            spans.append(Span(start, end, text[start:end], cents))
    return spans


def _word_amounts(text: str, folded: str) -> list[Span]:
    """Spelled-out amounts: "fifty dollars", "two hundred", "cien dolares", "doscientos"."""
    spans = []
    for start, end, value in find_number_words(folded):
        before = _CURRENCY_BEFORE.search(folded[:start])
        after = _CURRENCY_AFTER.match(folded[end:])
        marked = bool(before or after)
        if not marked and (value < 10 or folded[start:end] in _AMBIGUOUS_WORDS):
            continue  # "one", "two", "once a week": not money without a currency word
        cents = plausible_cents(Decimal(value))
        if cents is None:
            continue
        if before:
            start = before.start()
        if after:
            end += after.end()
        spans.append(Span(start, end, text[start:end], cents))
    return spans


def _after_pay_verb(folded: str, position: int, window: int = 3) -> bool:
    """True when one of the ``window`` words before ``position`` is a paying verb."""
    words = re.findall(r"[a-z]+", folded[:position])[-window:]
    return any(word in PAY_VERBS for word in words)
