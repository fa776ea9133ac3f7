"""Date phrases: finding them, and resolving them to the next such date."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu.dates import find_dates, resolve_date

SATURDAY = dt.date(2026, 11, 21)  # a Saturday

FOUND = [
    ("i get paid friday", ["friday"]),
    ("give me till the 15th", ["the 15th"]),
    ("12/15 works", ["12/15"]),
    ("i can pay next week", ["next week"]),
    ("tmrw", ["tmrw"]),
    ("i'll pay on dec 1", ["dec 1"]),
    ("by the end of the month", ["the end of the month"]),
    ("pay 50 on the 1st and 50 on the 15th", ["the 1st", "the 15th"]),
    ("on the first", ["the first"]),
    ("in 2 weeks", ["in 2 weeks"]),
    ("el viernes le pago", ["el viernes"]),
    ("mañana", ["mañana"]),
    ("le pago el 15", ["el 15"]),
    ("el 15 de diciembre", ["el 15 de diciembre"]),
    ("la próxima semana", ["la próxima semana"]),
    ("a fin de mes", ["fin de mes"]),
    ("en dos semanas", ["en dos semanas"]),
    ("el próximo viernes", ["el próximo viernes"]),
    ("on wed", ["wed"]),
]

NOT_DATES = [
    "payday",
    "pay the 150",
    "split it in 3",
    "at 5pm",
    "my 1st payment",
    "the 3 payments",
    "en la mañana te pago",
    "paid last friday",
    "el viernes pasado",
    "sat down",
    "the sun is out",
    "i may pay",
    "wed",
    "i can pay the 20 dollars",
]


@pytest.mark.parametrize(("text", "phrases"), FOUND)
def test_find_dates(text: str, phrases: list[str]) -> None:
    spans = find_dates(text)
    assert [s.value for s in spans] == phrases
    assert all(text[s.start : s.end] == s.text for s in spans)


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


RESOLVED = [
    # phrase, today, language, expected
    ("friday", SATURDAY, None, dt.date(2026, 11, 27)),  # next week's friday
    ("saturday", SATURDAY, None, SATURDAY),  # on or after today
    ("next saturday", SATURDAY, None, dt.date(2026, 11, 28)),
    ("this friday", SATURDAY, None, dt.date(2026, 11, 27)),
    ("el viernes", SATURDAY, "es", dt.date(2026, 11, 27)),
    ("el próximo lunes", SATURDAY, "es", dt.date(2026, 11, 23)),
    ("the 15th", SATURDAY, None, dt.date(2026, 12, 15)),  # rolls to next month
    ("the 21st", SATURDAY, None, SATURDAY),
    ("the 30th", SATURDAY, None, dt.date(2026, 11, 30)),
    ("the 31st", SATURDAY, None, dt.date(2026, 11, 30)),  # November's last day
    ("el 15", SATURDAY, "es", dt.date(2026, 12, 15)),
    ("el primero", SATURDAY, "es", dt.date(2026, 12, 1)),
    ("the first of next month", SATURDAY, None, dt.date(2026, 12, 1)),
    ("12/15", SATURDAY, None, dt.date(2026, 12, 15)),
    ("11/20", SATURDAY, None, dt.date(2027, 11, 20)),  # rolls to next year
    ("11/21", SATURDAY, None, SATURDAY),
    ("5/12", SATURDAY, "en", dt.date(2027, 5, 12)),
    ("5/12", SATURDAY, "es", dt.date(2026, 12, 5)),  # day/month in Spanish
    ("15/12", SATURDAY, None, dt.date(2026, 12, 15)),
    ("1/5/2027", SATURDAY, None, dt.date(2027, 1, 5)),
    ("1/5/2026", SATURDAY, None, None),  # a full date already past
    ("2026-12-01", SATURDAY, None, dt.date(2026, 12, 1)),
    ("dec 1", SATURDAY, None, dt.date(2026, 12, 1)),
    ("december 1st", SATURDAY, None, dt.date(2026, 12, 1)),
    ("nov 20", SATURDAY, None, dt.date(2027, 11, 20)),
    ("15 de diciembre", SATURDAY, "es", dt.date(2026, 12, 15)),
    ("el 15 de diciembre", SATURDAY, "es", dt.date(2026, 12, 15)),
    ("today", SATURDAY, None, SATURDAY),
    ("hoy", SATURDAY, "es", SATURDAY),
    ("tomorrow", SATURDAY, None, dt.date(2026, 11, 22)),
    ("tmrw", SATURDAY, None, dt.date(2026, 11, 22)),
    ("mañana", SATURDAY, "es", dt.date(2026, 11, 22)),
    ("pasado mañana", SATURDAY, "es", dt.date(2026, 11, 23)),
    ("day after tomorrow", SATURDAY, None, dt.date(2026, 11, 23)),
    ("next week", SATURDAY, None, dt.date(2026, 11, 28)),
    ("la semana que viene", SATURDAY, "es", dt.date(2026, 11, 28)),
    ("in 2 weeks", SATURDAY, None, dt.date(2026, 12, 5)),
    ("en dos semanas", SATURDAY, "es", dt.date(2026, 12, 5)),
    ("in a couple days", SATURDAY, None, dt.date(2026, 11, 23)),
    ("end of the month", SATURDAY, None, dt.date(2026, 11, 30)),
    ("fin de mes", SATURDAY, "es", dt.date(2026, 11, 30)),
    ("end of next month", SATURDAY, None, dt.date(2026, 12, 31)),
    ("next month", SATURDAY, None, dt.date(2026, 12, 21)),
    ("the weekend", SATURDAY, None, SATURDAY),
    # rollover into the next year
    ("the 15th", dt.date(2026, 12, 20), None, dt.date(2027, 1, 15)),
    ("12/15", dt.date(2026, 12, 20), None, dt.date(2027, 12, 15)),
    ("next month", dt.date(2026, 12, 31), None, dt.date(2027, 1, 31)),
    ("friday", dt.date(2026, 11, 27), None, dt.date(2026, 11, 27)),  # a Friday
    ("next friday", dt.date(2026, 11, 27), None, dt.date(2026, 12, 4)),
    ("the 30th", dt.date(2027, 2, 10), None, dt.date(2027, 2, 28)),
    ("payday", SATURDAY, None, None),
    ("", SATURDAY, None, None),
]


@pytest.mark.parametrize(("phrase", "today", "language", "expected"), RESOLVED)
def test_resolve_date(
    phrase: str, today: dt.date, language: str | None, expected: dt.date | None
) -> None:
    assert resolve_date(phrase, today, language) == expected


NEVER_PAST = [
    "friday", "monday", "the 1st", "the 15th", "the 31st", "12/15", "1/1", "el 15",
    "el viernes", "dec 1", "next week", "end of the month", "mañana", "the weekend",
]  # fmt: skip


@pytest.mark.parametrize("phrase", NEVER_PAST)
def test_never_in_the_past(phrase: str) -> None:
    start = dt.date(2026, 12, 1)
    for offset in range(0, 62, 3):
        today = start + dt.timedelta(days=offset)
        result = resolve_date(phrase, today)
        assert result is not None
        assert today <= result <= today + dt.timedelta(days=366)
