"""Installment counts."""

from __future__ import annotations

import pytest

from bot.nlu.counts import find_counts

COUNTS = [
    ("split it in 3", 3),
    ("into three", 3),
    ("3 payments", 3),
    ("4 installments", 4),
    ("two parts", 2),
    ("in 2", 2),
    ("split 3 ways", 3),
    ("i can pay in 3 equal payments", 3),
    ("divide it into twenty four payments", 24),
    ("pay it off over 6 months", 6),
    ("split it in half", 2),
    ("3 payments of 100", 3),
    ("en 3 partes", 3),
    ("tres pagos", 3),
    ("en dos", 2),
    ("en 5 pagos de 100", 5),
    ("en 2 quincenas", 2),
    ("veinticuatro mensualidades", 24),
    ("dividirlo a la mitad", 2),
]

NOT_COUNTS = [
    "pay in 2 weeks",
    "in 3 days",
    "en dos semanas",
    "in 2026",
    "in 300",
    "in 5 dollars",
    "in 3pm",
    "in 15th",
    "in 3.5",
    "en una semana",
    "en un pago",
    "pay 150",
    "la mitad",
    "1 payment",
]


@pytest.mark.parametrize(("text", "count"), COUNTS)
def test_counts(text: str, count: int) -> None:
    spans = find_counts(text)
    assert [s.value for s in spans] == [count]
    assert text[spans[0].start : spans[0].end] == spans[0].text


@pytest.mark.parametrize("text", NOT_COUNTS)
def test_not_counts(text: str) -> None:
    assert find_counts(text) == []
