"""Numbers that are never money: times, phone numbers, percentages, card
digits, account references, years, durations, redaction placeholders.

``non_money_spans`` returns ``(start, end)`` ranges of folded text; a money
candidate overlapping one of them is dropped by :mod:`bot.nlu.amounts`.
"""

from __future__ import annotations

import re

from bot.nlu.vocab import CURRENCY_WORDS, TIME_PREPOSITIONS, TIME_UNITS

_SMALL_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|una|dos|tres|cuatro"
    r"|cinco|seis|siete|ocho|nueve|diez|once|doce|a|an|un|a\s+couple(?:\s+of)?|a\s+few|few"
    r"|couple|fifteen|twenty|thirty|forty|fifty|sixty|ninety|quince|veinte|treinta)"
)
_NUMBER = rf"(?:\d+(?:[.,]\d+)?|{_SMALL_WORDS})"

_PATTERNS = tuple(
    re.compile(p)
    for p in (
        # redaction placeholders and tags: [card number removed], <redacted>
        r"\[[^\]]*\]|<[^>]*>",
        # times: 5pm, 5:30, 10 am, 5 de la tarde, at 5, a las 5, at five
        r"\b\d{1,2}(?::\d\d)?\s?(?:am|pm|a\.m\.?|p\.m\.?|hrs|o'?clock)(?!\w)",
        r"\b\d{1,2}:\d\d\b",
        rf"\b{_NUMBER}\s+(?:de\s+la\s+(?:manana|tarde|noche)|in\s+the\s+(?:morning|evening|afternoon))",
        rf"(?:^|(?<=\W)){TIME_PREPOSITIONS}\s+(?:(?:[01]?\d|2[0-4])(?![\d.,])(?!\s*(?:\$|{CURRENCY_WORDS}\b))"
        r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|la\s+una|una"
        r"|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce)\b",
        # phone numbers and any run of 7+ digits (ids, accounts)
        r"(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b",
        r"(?<![$\d])\+?\d{7,}",
        # percentages, and what a percentage is of ("15% of 80", "30% off 120")
        r"\d+(?:[.,]\d+)?\s?(?:%|percent\b|pct\b|por\s*ciento\b)"
        r"(?:\s+(?:of|off|de)\s+\$?\d+(?:[.,]\d+)?)?",
        # arithmetic: "9 divided by 3" (not "times", "plus", "por", "entre": "3 times 100",
        # "50 plus the late fee", "100 por 3 meses" and "300 entre 3 pagos" are money)
        r"\b\d+(?:[.,]\d+)?\s+(?:divided|multiplied)\s+by\s+\d+(?:[.,]\d+)?\b",
        # card digits: ending in 4242, last 4, x4242, ****4242, terminada en 4242
        r"\b(?:ending(?:\s+in)?|ends\s+(?:in|with)|last\s+(?:4|four)(?:\s+digits?)?(?:\s+(?:is|are|of))?"
        r"|terminada\s+en|termina\s+en|que\s+termina\s+en|visa|mastercard|amex|discover)"
        r"\s*[:#]?\s*[*x.]*\s*\d{4}\b",
        r"(?:\*+|x{2,}|\.{3}|…)\s?\d{4}\b",
        r"\blast\s+(?:4|four)\b|\bultimos\s+(?:4|cuatro)\b",
        # references: #1234, acct 12345, account number 4455, loan LN-1001
        r"#\s*[\w-]*\d[\w-]*",
        r"\b(?:acct|account|ref|reference|loan|cuenta|invoice|order|confirmation|conf|folio|id"
        r"|stock|vin|zip|apt|unit|suite|numero\s+de\s+cuenta)\s*(?:no\.?|number|num|#)?\s*[:#]?\s*"
        r"(?:[a-z]{1,4}-?)?\d{4,}\b",
        r"\b[a-z]{1,4}-\d+\b",
        # years: in 2026, since 2019, de 2025
        r"\b(?:in|en|de|del|of|since|desde|year|ano|for|by)\s+(?:19|20)\d\d\b",
        # durations and repetitions: 2 weeks, 3 days, tres meses, 3 times, 2 veces, 2x
        rf"\b{_NUMBER}\s+(?:more\s+|mas\s+|whole\s+|full\s+)?{TIME_UNITS}\b",
        rf"\b{_NUMBER}\s+(?:times|veces|kids|children|hijos|cars|carros|jobs|trabajos)\b",
    )
)


def non_money_spans(folded: str) -> list[tuple[int, int]]:
    """``(start, end)`` ranges of ``folded`` text holding numbers that are not money."""
    spans = []
    for pattern in _PATTERNS:
        spans.extend(match.span() for match in pattern.finditer(folded))
    return spans
