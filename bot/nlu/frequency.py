"""Payment frequency of a plan: "weekly", "biweekly" or "monthly".

"50 a week", "every friday", "cada semana" -> weekly; "every other week",
"every 2 weeks", "quincenal" -> biweekly; "monthly", "200 a month", "al mes"
-> monthly. "in a week" or "for a month" are not frequencies.
"""

from __future__ import annotations

import re

from bot.nlu.numwords import SMALL_NUMBERS
from bot.nlu.text import fold
from bot.nlu.vocab import CURRENCY_WORDS

WEEKLY = "weekly"
BIWEEKLY = "biweekly"
MONTHLY = "monthly"
# The entity role of an amount that is the size of each plan payment.
INSTALLMENT = "installment"

_EN_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_ES_DAY = r"(?:lunes|martes|miercoles|jueves|viernes|sabados?|domingos?)"
_AMOUNT_WORDS = "|".join(sorted(SMALL_NUMBERS, key=len, reverse=True))
# What comes before a bare "a week"/"a month" when it is a rate: "50 a week", "once a month".
_RATE_BEFORE = re.compile(
    rf"(?:\d|\$|\bk|\b{CURRENCY_WORDS}|\b(?:{_AMOUNT_WORDS}|hundred|thousand|grand|once"
    r"|one\s+time|twice|payment|pmt|installment))\s*$"
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (frequency, re.compile(pattern))
    for frequency, pattern in (
        (BIWEEKLY, r"\bbi-?\s?weekly\b|\bbiwkly\b|\bfortnight(?:ly)?\b|\bsemi-?monthly\b"
         rf"|\bevery\s+(?:other|2|two|second)\s+(?:weeks?|wks?|{_EN_DAY})"
         r"|\bevery\s+(?:14|fourteen|15|fifteen)\s+days\b"
         r"|\b(?:twice|2\s?x|two\s+times)\s*(?:a|per|/|each)\s*(?:month|mo)\b"
         r"|\bquincenal(?:mente)?\b|\b(?:cada|por|a\s+la)\s+quincena\b"
         rf"|\bcada\s+(?:dos|2)\s+(?:semanas|{_ES_DAY})\b"
         r"|\bcada\s+(?:14|catorce|15|quince)\s+dias\b|\bdos\s+veces\s+(?:al|por)\s+mes\b"),
        (WEEKLY, rf"\bweekly\b|\bwkly\b|\b(?:every|each)\s+(?:week|wk|{_EN_DAY})\b|\b{_EN_DAY}s\b"
         r"|\bper\s+(?:week|wk)\b|/\s?(?:week|wk|w)\b"
         r"|\bsemanal(?:es|mente)?\b|\b(?:cada|por)\s+semana\b|\ba\s+la\s+semana\b"
         r"|\btodas\s+las\s+semanas\b"
         rf"|\b(?:cada|todos\s+los|los)\s+{_ES_DAY}\b"),
        (WEEKLY, r"\b(?:a|each)\s+(?:week|wk)\b(?!\s+(?:ago|from|later|behind|late|or\s+so))"),
        (MONTHLY, r"\bmonthly\b|\bmthly\b|\b(?:every|each)\s+month\b|\bper\s+(?:month|mo)\b"
         r"|/\s?(?:month|mo)\b|\bmensual(?:es|mente)?\b|\b(?:cada|por)\s+mes\b|\btodos\s+los\s+meses\b"
         r"|\bal\s+mes\b(?!\s+(?:siguiente|que\s+viene|proximo))"),
        (MONTHLY, r"\b(?:a|each)\s+(?:month|mo)\b(?!\s+(?:ago|from|later|behind|late|or\s+so))"),
    )
)


def parse_frequency(text: str) -> str | None:
    """The plan frequency a text asks for, or None.

    >>> parse_frequency("can i do 50 a week"), parse_frequency("cada dos semanas")
    ('weekly', 'biweekly')
    """
    folded = fold(text)
    for frequency, pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            if match.group().startswith(("a ", "each ")) and not _is_rate(folded, match):
                continue
            return frequency
    return None


def _is_rate(folded: str, match: re.Match[str]) -> bool:
    """A bare "a week" is a rate only after an amount: "50 a week", "once a week"."""
    if match.group().startswith("each "):
        return True
    before, after = folded[: match.start()], folded[match.end() :]
    alone = not re.search(r"\w", before) and not re.search(r"\w", after)
    return alone or bool(_RATE_BEFORE.search(before))


_BEFORE_RATE = re.compile(rf"\s*(?:{CURRENCY_WORDS}\b)?\s*")
_PER_PAYMENT_BEFORE = re.compile(
    r"\b(?:payments?|pmts?|installments?|instalments?|pagos?|abonos?|cuotas?|mensualidades)"
    r"\s+(?:of|de)\s*$"
)


def is_installment(text: str, start: int, end: int) -> bool:
    """Whether the amount at ``text[start:end]`` is the size of each plan payment.

    True when a frequency follows it ("25 every week", "50 a week", "100/mo",
    "80 cada quincena") or it is what each payment is ("3 payments of 100",
    "pagos de 50"): such an amount is the installment, not the total.

    >>> is_installment("pay 25 every week", 4, 6), is_installment("pay 25 on friday", 4, 6)
    (True, False)
    """
    folded = fold(text)
    if _PER_PAYMENT_BEFORE.search(folded[:start]):
        return True
    rest = folded[end:]
    window = rest[_BEFORE_RATE.match(rest).end() :][:40]
    return any(pattern.match(window) for _, pattern in _PATTERNS)
