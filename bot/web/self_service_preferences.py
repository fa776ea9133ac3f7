"""The preferences form of the self-service page: language, the hours and days texts may
come, and a pause of reminders, stored through bot/contact_preferences.py (which keeps
them inside the legal hours and the dealer's pause limit and notes each change in the
consent ledger, source "page").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from babel.dates import format_date, format_time
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from bot import consent, contact_preferences
from bot.clock import utcnow
from bot.console import page_events
from bot.localtime import local_today, sending_window
from bot.models import Account
from bot.money import locale_for

# A Monday, for the weekdays' names in the borrower's language.
_A_MONDAY = date(2024, 1, 1)


@dataclass(frozen=True)
class Choice:
    """One option of a select or a checkbox: its value, its label, whether it is chosen."""

    value: str
    label: str
    chosen: bool


@dataclass(frozen=True)
class PreferencesForm:
    """What the form offers and holds now."""

    languages: list[Choice]
    starts: list[Choice]
    ends: list[Choice]
    days: list[Choice]
    paused_until: date | None
    pause_max: date
    max_pause_days: int


def _hours(start: time, end: time) -> list[time]:
    hours = [start] + [time(h) for h in range(start.hour + 1, end.hour + 1)]
    return hours if hours[-1] == end else [*hours, end]


def form_for(account: Account, language: str) -> PreferencesForm:
    """The form for the account's borrower, labelled in `language`."""
    borrower, locale = account.borrower, locale_for(language)
    now = contact_preferences.of(borrower)
    legal_start, legal_end = sending_window(account.dealer)
    start, end = now.window_start or legal_start, now.window_end or legal_end
    hours = _hours(legal_start, legal_end)

    def hour(moment: time, chosen: time) -> Choice:
        return Choice(f"{moment:%H:%M}", format_time(moment, "short", locale=locale),
                      moment == chosen)

    days = [Choice(str(d), format_date(_A_MONDAY + timedelta(days=d), "EEEE", locale=locale),
                   d in now.avoid_days) for d in range(7)]
    today = local_today(borrower, account.dealer, utcnow())
    limit = contact_preferences.max_pause_days(account.dealer)
    return PreferencesForm(
        languages=[Choice(code, code, borrower.language == code) for code in ("en", "es")],
        starts=[hour(h, start) for h in hours[:-1]], ends=[hour(h, end) for h in hours[1:]],
        days=days, paused_until=now.paused_until, pause_max=today + timedelta(days=limit),
        max_pause_days=limit)


def apply(session: Session, account: Account,
          form: MultiDict[str, str]) -> contact_preferences.Outcome:
    """Store what the form asks for (nothing when the store finds a problem); each change
    is a line of the transcript staff see."""
    borrower = account.borrower
    # The page shows the language they are texted in as the selected one.
    wished = contact_preferences.wish_from_form(contact_preferences.of(borrower), form,
                                                language_shown=borrower.language)
    outcome = contact_preferences.change(
        session, borrower, **wished, source=consent.PAGE,
        evidence=f"self-service page form: {contact_preferences.wish_words(wished)}")
    if outcome.ok and outcome.changed:
        page_events.record(session, account, page_events.PREFERENCES,
                           "Changed contact preferences: "
                           f"{outcome.preferences.summary()}.")
    return outcome

