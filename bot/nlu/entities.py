"""All entities of a text at once, with overlaps resolved (pure Python).

A span that is an installment count or a date is never an amount (the
amount parser skips them), and a date inside a symbolic amount ("what i owe
this month") is not a date.
"""

from __future__ import annotations

from bot.nlu.amounts import find_amounts
from bot.nlu.counts import find_counts
from bot.nlu.dates import find_dates
from bot.nlu.spans import Span, overlaps_any

AMOUNT = "amount"
COUNT = "count"
DATE = "date"


def dates_outside_amounts(text: str) -> list[Span]:
    """Date phrases of ``text`` that are not part of an amount phrase."""
    amounts = find_amounts(text)
    return [span for span in find_dates(text) if not overlaps_any(span, amounts)]


def find_entities(text: str) -> dict[str, list[Span]]:
    """``{"amount": [...], "count": [...], "date": [...]}`` for ``text``."""
    return {
        AMOUNT: find_amounts(text),
        COUNT: find_counts(text),
        DATE: dates_outside_amounts(text),
    }
