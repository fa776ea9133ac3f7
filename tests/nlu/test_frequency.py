"""Plan frequencies."""

from __future__ import annotations

import pytest

from bot.nlu.frequency import parse_frequency

CASES = [
    ("a week", "weekly"),
    ("50 a week", "weekly"),
    ("fifty a week", "weekly"),
    ("$50/wk", "weekly"),
    ("weekly", "weekly"),
    ("every friday", "weekly"),
    ("50 each week", "weekly"),
    ("semanal", "weekly"),
    ("cada semana", "weekly"),
    ("pago los viernes", "weekly"),
    ("every 2 weeks", "biweekly"),
    ("every two weeks", "biweekly"),
    ("every other week", "biweekly"),
    ("biweekly", "biweekly"),
    ("bi-weekly", "biweekly"),
    ("twice a month", "biweekly"),
    ("quincenal", "biweekly"),
    ("cada dos semanas", "biweekly"),
    ("cada 15 días", "biweekly"),
    ("monthly", "monthly"),
    ("a month", "monthly"),
    ("200 a month", "monthly"),
    ("once a month", "monthly"),
    ("mensual", "monthly"),
    ("100 al mes", "monthly"),
    ("cada mes", "monthly"),
    ("in a week", None),
    ("i need a week", None),
    ("for a month", None),
    ("a month behind", None),
    ("a week from now", None),
    ("el mes que viene", None),
    ("al mes siguiente", None),
    ("pay 150 friday", None),
    ("hi", None),
]


@pytest.mark.parametrize(("text", "frequency"), CASES)
def test_parse_frequency(text: str, frequency: str | None) -> None:
    assert parse_frequency(text) == frequency
