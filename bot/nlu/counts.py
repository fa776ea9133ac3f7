"""Installment counts: "split it in 3", "3 payments", "tres pagos", "en 3 partes".

A count is how many installments the borrower asks for. It is never money,
a date or a duration ("in 3 days" is a date, not a count).
"""

from __future__ import annotations

import re

from bot.nlu.numwords import SMALL_NUMBERS
from bot.nlu.spans import Span, drop_overlapping, memoized
from bot.nlu.text import fold
from bot.nlu.vocab import COUNT_ADJECTIVES, COUNT_NOUNS, CURRENCY_WORDS, TIME_UNITS

MIN_COUNT = 2
MAX_COUNT = 60

_WORDS = "|".join(sorted((w for w, v in SMALL_NUMBERS.items() if 2 <= v <= 60), key=len)[::-1])
NUMBER = rf"(?:\d{{1,2}}|(?:{_WORDS})(?:(?:[\s-]+|\s+y\s+)(?:one|two|three|four|five|six|seven"
NUMBER += r"|eight|nine|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve))?)"

# What may not follow a count: money, time units, more digits, ordinals.
_NOT_AFTER = (
    rf"(?![\d.,:/%$]\d|\d|\s*\$|\s*(?:{CURRENCY_WORDS}|{TIME_UNITS}|k|am|pm|st|nd|rd|th)\b"
    r"|\s+(?:de\s+(?:la\s+)?(?:manana|tarde|noche)|o'?clock))"
)

_PATTERNS = tuple(
    re.compile(p)
    for p in (
        # 3 payments, 4 equal installments, tres pagos, 2 cuotas mensuales
        rf"(?<![\w$.,/-])(?P<n>{NUMBER})\s+(?:{COUNT_ADJECTIVES}\s+)?{COUNT_NOUNS}\b",
        # split it in 3, into three, en 3, pay in 2 (not "in 2 weeks", "in 2026")
        rf"\b(?:in|into|en|a)\s+(?P<n>{NUMBER})\b{_NOT_AFTER}",
        # over 3 months, across 4 paychecks, durante 3 meses
        rf"\b(?:over|across|durante)\s+(?:the\s+next\s+|los\s+proximos\s+)?(?P<n>{NUMBER})\s+"
        r"(?:months?|weeks?|paychecks?|checks?|meses|semanas|quincenas)\b",
        # split it in half, por mitad, en dos mitades
        r"\b(?:in|into)\s+(?P<half>half|halves)\b|\ba\s+la\s+(?P<half2>mitad)\b(?!\s+del?\b)",
    )
)
_TRIGGER_BEFORE_A = re.compile(r"(?:pagar|pagarlo|pagarla|dividir|dividirlo|partir|partirlo)\s+$")


@memoized
def find_counts(text: str) -> list[Span]:
    """Installment counts in ``text``; ``value`` is the int count (2-60).

    >>> [s.value for s in find_counts("can i split it in 3 payments of 100")]
    [3]
    """
    folded = fold(text)
    spans: list[Span] = []
    for index, pattern in enumerate(_PATTERNS):
        for match in pattern.finditer(folded):
            span = _span_from_match(text, folded, match, index)
            if span is not None:
                spans.append(span)
    return drop_overlapping(spans)


def _span_from_match(text: str, folded: str, match: re.Match[str], index: int) -> Span | None:
    """Turn one regex match into a count span, or None when it is not a count."""
    for group in ("half", "half2"):
        if match.groupdict().get(group):
            start, end = match.span(group)
            return Span(start, end, text[start:end], 2)
    start, end = match.span("n")
    if index == 1 and match.group().startswith("a ") and not _TRIGGER_BEFORE_A.search(
        folded[: match.start()]
    ):
        return None  # Spanish "a 3" counts only after "pagar"/"dividir": "pagarlo a 3 meses"
    value = parse_count(folded[start:end])
    if value is None or not MIN_COUNT <= value <= MAX_COUNT:
        return None
    return Span(start, end, text[start:end], value)


def parse_count(words: str) -> int | None:
    """The value of a count written as digits or words ("3", "three", "veinte y dos")."""
    words = words.strip()
    if words.isdigit():
        return int(words)
    from bot.nlu.numwords import find_number_words

    found = find_number_words(words)
    return found[0][2] if len(found) == 1 else None
