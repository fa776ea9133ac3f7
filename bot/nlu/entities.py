"""All entities of a text at once, with overlaps resolved (pure Python).

A span that is an installment count or a date is never an amount (the
amount parser skips them), and a date inside a symbolic amount ("what i owe
this month") is not a date.
"""

from __future__ import annotations

from bot.nlu.amounts import find_amounts
from bot.nlu.counts import find_counts
from bot.nlu.dates import find_dates
from bot.nlu.frequency import INSTALLMENT, is_installment
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


def entity_dicts(text: str) -> list[dict]:
    """The entities of ``text`` as the pipeline gives them to the dialogue
    (``{"entity", "start", "end", "value"}``, plus ``role: installment`` for an amount
    that is each plan payment's size), for a text read again without the model."""
    found = []
    for name, spans in find_entities(text).items():
        for span in spans:
            entity = {"entity": name, "start": span.start, "end": span.end, "value": span.value}
            if name == AMOUNT and is_installment(text, span.start, span.end):
                entity["role"] = INSTALLMENT
            found.append(entity)
    return sorted(found, key=lambda e: e["start"])
