"""Contact preferences by text, through the signed webhook and the trained model: what is
asked is honoured and confirmed in one line, noted in the consent ledger with the
borrower's words; what cannot be told is asked about and changes nothing; a request to
stop every text is still an opt-out."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot import consent, contact_preferences, db
from bot.models import Borrower, ConsentChange, ConsentEvent
from tests.conversations.helpers import ordinal, rows


def preferences(world) -> contact_preferences.Preferences:
    """Dana's contact preferences as stored."""
    with db.session_scope() as session:
        return contact_preferences.of(session.get(Borrower, world.borrower_id))


def preference_entries() -> list[ConsentEvent]:
    """The consent ledger's preference changes, oldest first."""
    return [e for e in rows(ConsentEvent) if e.change == ConsentChange.PREFERENCE]


def opted_out(world) -> bool:
    with db.session_scope() as session:
        return session.get(Borrower, world.borrower_id).opted_out


def test_after_six_and_not_on_weekends_is_confirmed_in_one_line_and_noted(world):
    reply = world.phone.say("Text me after 6pm please, and not on weekends")
    assert reply == "OK, we'll only text you after 6 pm, and not on weekends."
    prefs = preferences(world)
    assert (prefs.window_start, prefs.window_end) == (time(18), time(21))
    assert prefs.avoid_days == contact_preferences.WEEKEND
    [entry] = preference_entries()
    assert (entry.source, entry.evidence, entry.confirmation, entry.detail) == (
        consent.WORDS, "Text me after 6pm please, and not on weekends", reply,
        "window 18:00-21:00; avoid sat,sun")
    assert not opted_out(world)


def test_two_texts_build_on_each_other(world):
    world.phone.say("text me after 6")
    reply = world.phone.say("no texts on weekends")
    assert reply == "OK, we'll only text you after 6 pm, and not on weekends."
    assert [e.detail for e in preference_entries()] == [
        "window 18:00-21:00", "window 18:00-21:00; avoid sat,sun"]


def test_after_work_like_7ish_is_a_window_from_seven(world):
    reply = world.phone.say("text me after work like 7ish")
    assert reply == "OK, we'll only text you after 7 pm."
    prefs = preferences(world)
    assert (prefs.window_start, prefs.window_end) == (time(19), time(21))


def test_after_work_with_no_hour_is_asked_about_not_guessed(world):
    reply = world.phone.say("only text me after work")
    assert preferences(world).window_start is None
    assert preference_entries() == []
    assert "?" in reply


def test_solo_en_espanol_keeps_spanish_even_when_they_write_english(world):
    reply = world.phone.say("solo en español")
    assert reply == "De acuerdo: le escribiremos en español."
    prefs = preferences(world)
    assert (prefs.language, prefs.language_chosen) == ("es", True)
    assert "saldo" in world.phone.say("what's my balance")
    assert preferences(world).language == "es"


def test_only_in_spanish_written_in_english_is_answered_in_spanish(world):
    assert world.phone.say("only in spanish please") == \
        "De acuerdo: le escribiremos en español."


def test_no_me_manden_mensajes_los_domingos_is_a_preference_not_an_opt_out(world):
    reply = world.phone.say("no me manden mensajes los domingos")
    assert reply == "De acuerdo: no le escribiremos los domingos."
    assert preferences(world).avoid_days == frozenset({6})
    assert not opted_out(world)


@pytest.mark.parametrize("text", ["stop texting me", "STOP", "please don't text me anymore"])
def test_a_request_to_stop_every_text_is_still_an_opt_out(world, text):
    world.phone.say(text)
    assert opted_out(world)
    assert preference_entries() == []


def test_pause_reminders_until_a_date_is_confirmed_with_the_date(world, clock):
    day = clock.today() + timedelta(days=10)
    reply = world.phone.say(f"pause reminders until the {ordinal(day.day)}")
    assert reply == f"OK, we won't send reminders until {day:%b} {day.day}."
    assert preferences(world).paused_until == day


def test_a_pause_longer_than_the_dealer_allows_is_capped_and_said(world, clock):
    reply = world.phone.say("please pause the reminders for 2 months")
    limit = clock.today() + timedelta(days=30)
    assert preferences(world).paused_until == limit
    assert "longest pause we can set (30 days)" in reply


@pytest.mark.parametrize(("text", "question"), [
    ("text me after 9", "Did you mean 9 am or 9 pm?"),
    ("only text me after 10 pm", "We can only text between 8 am and 9 pm."),
    # No time, day, language or pause in the words: the safety policy asks first.
    ("text me after work", "Do you want to change when or how we text you?"),
])
def test_what_cannot_be_told_or_honoured_is_asked_and_changes_nothing(world, text, question):
    assert question in world.phone.say(text)
    assert preference_entries() == []
    assert preferences(world) == contact_preferences.Preferences()


def test_spanish_question_when_the_hour_cannot_be_told(make_world):
    world = make_world(language="es")
    assert "¿Quiso decir las 9 am o las 9 pm?" in world.phone.say("escríbanme después de las 9")
    assert preference_entries() == []


def test_yes_to_the_question_about_vague_words_asks_when_and_changes_nothing(world):
    world.phone.say("text me after work")
    assert "When would you like our texts?" in world.phone.say("yes")
    assert preference_entries() == []


def test_stop_words_that_only_limit_the_hours_are_a_preference(world):
    # The model reads this as an opt-out; its words name the hours, so it is a wish.
    reply = world.phone.say("stop messaging me before 9am")
    assert reply == "OK, we'll only text you after 9 am."
    assert preferences(world).window_start == time(9)
    assert not opted_out(world)
