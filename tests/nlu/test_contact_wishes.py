"""Contact preferences read from the words (bot/nlu/contact_wishes.py): English, Spanish,
typos; what cannot be told is left for a question; other requests are not wishes."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu.contact_wishes import WEEKEND, Wish, read_wish

TODAY = dt.date(2027, 1, 13)  # a Wednesday
T = dt.time


@pytest.mark.parametrize(("text", "start", "end"), [
    ("text me after 6", T(18), None),
    ("Text me after 6pm please", T(18), None),
    ("only after 5:30 p.m.", T(17, 30), None),
    ("text me after six", T(18), None),
    ("txt me aftr 6", T(18), None),
    ("after 10 am please", T(10), None),
    ("dont text me before 10am", T(10), None),
    ("no texts before 6 pm", T(18), None),
    ("don't text me after 7 pm", None, T(19)),
    ("only text me before noon", None, T(12)),
    ("only text me between 6 and 8 pm", T(18), T(20)),
    ("text me from 9am to 11am", T(9), T(11)),
    ("evenings only please", T(17), T(21)),
    ("mornings only", T(8), T(12)),
    ("escríbanme después de las 6", T(18), None),
    ("después de las 6 de la tarde por favor", T(18), None),
    ("a partir de las 5 de la tarde", T(17), None),
    ("no me escriban antes de las 5", T(17), None),
    ("no me escriban después de las 7 de la noche", None, T(19)),
    ("entre las 6 y las 8 de la noche", T(18), T(20)),
    ("solo por la noche", T(17), T(21)),
    ("text me after work like 7ish", T(19), None),
    ("after work around 6:30", T(18, 30), None),
    ("after work like 9", T(21), None),  # after work, 9 is the evening
    ("dont text me before like 10am", T(10), None),
    ("después de salir del trabajo como a las 8", T(20), None),
])
def test_windows(text: str, start: dt.time | None, end: dt.time | None) -> None:
    wish = read_wish(text, TODAY)
    assert (wish.window_start, wish.window_end, wish.unclear_hour) == (start, end, None)


@pytest.mark.parametrize("text", ["text me after 9", "escríbanme después de las 10",
                                  "only between 8 and 11"])
def test_an_hour_that_could_be_morning_or_night_is_not_guessed(text: str) -> None:
    wish = read_wish(text, TODAY)
    assert wish.unclear_hour in (8, 9, 10, 11) and not wish.understood


@pytest.mark.parametrize(("text", "days"), [
    ("no texts on weekends", WEEKEND),
    ("please don't text me on the weekend", WEEKEND),
    ("no txts on weekneds", WEEKEND),
    ("not on saturdys", frozenset({5})),
    ("no texts on sat or sun", WEEKEND),
    ("don't message me on sundays i'm at church", frozenset({6})),
    ("weekdays only please", WEEKEND),
    ("only text me monday through friday", WEEKEND),
    ("no me manden mensajes los domingos", frozenset({6})),
    ("los domingos no por favor", frozenset({6})),
    ("no mensajes los fines de semana", WEEKEND),
    ("no me manden mensajes los sabados ni domingos", WEEKEND),
    ("solo entre semana", WEEKEND),
    ("solo de lunes a viernes", WEEKEND),
    ("nada los domigos", frozenset({6})),
])
def test_days_to_avoid(text: str, days: frozenset[int]) -> None:
    assert read_wish(text, TODAY).avoid_days == days


@pytest.mark.parametrize(("text", "language"), [
    ("only in spanish", "es"), ("spanish please", "es"), ("can you text me in spansih", "es"),
    ("solo en español", "es"), ("en espanol porfa", "es"), ("english please", "en"),
    ("en inglés por favor", "en"), ("not in english, in spanish", "es"),
])
def test_language(text: str, language: str) -> None:
    assert read_wish(text, TODAY).language == language


@pytest.mark.parametrize(("text", "until"), [
    ("pause reminders until the 15th", dt.date(2027, 1, 15)),
    ("no reminders till friday", dt.date(2027, 1, 15)),
    ("please pause the reminders for 2 weeks", dt.date(2027, 1, 27)),
    ("pause texts for a week", dt.date(2027, 1, 20)),
    ("pause reminders until the 10th", dt.date(2027, 2, 10)),  # the 10th has passed
    ("pausen los recordatorios hasta el 20", dt.date(2027, 1, 20)),
    ("no me manden recordatorios hasta el viernes", dt.date(2027, 1, 15)),
    ("pausen los recordatorios por dos semanas", dt.date(2027, 1, 27)),
])
def test_pause(text: str, until: dt.date) -> None:
    wish = read_wish(text, TODAY, "es" if " el " in text or "pausen" in text else "en")
    assert wish.pause_until == until
    assert wish.avoid_days is None  # "until friday" is a date, not a day to avoid


def test_several_wishes_in_one_text() -> None:
    wish = read_wish("solo en español, después de las 6 y no los fines de semana", TODAY)
    assert (wish.language, wish.window_start, wish.avoid_days) == ("es", T(18), WEEKEND)


def test_any_time_and_resume() -> None:
    assert read_wish("you can text me anytime", TODAY).any_time
    assert read_wish("you can send reminders again", TODAY).resume


@pytest.mark.parametrize("text", [
    "stop texting me", "i will pay on friday", "text me after work", "what's my balance",
    "después del trabajo",
    "can i pay on the 15th", "i get paid friday", "my wife will pay after 6th",
])
def test_other_texts_are_not_wishes(text: str) -> None:
    wish = read_wish(text, TODAY)
    assert wish == Wish() or not wish.understood
