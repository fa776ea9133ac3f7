"""Staff change a borrower's contact preferences in the console, usually after a call
("only after 6", "no texts on Sundays", "Spanish please", "pause until the 15th", or
"forget all that").

The change goes the way the borrower's own wish goes (bot/contact_preferences.py): the
same form reading as the self-service page, the same checks, a consent-ledger entry —
source consent.STAFF, the staff member as its actor — and, like every staff action, one
audit entry. Staff type a date, so a pause past the dealer's limit is refused and said,
rather than quietly shortened as it is for a borrower.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from bot import consent, contact_preferences
from bot.audit import Actor, record
from bot.contact_preferences import ANY_LANGUAGE, FormFields, Outcome
from bot.localtime import local_today, sending_window
from bot.models import Account, Borrower, Dealer

AUDIT_ACTION = "contact_preferences_changed"
NOTE_LIMIT = 500  # characters of the staff note kept as the ledger's evidence
LANGUAGES = ((ANY_LANGUAGE, "As they text (no choice)"), ("en", "English"), ("es", "Spanish"))
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class StaffPreferencesForm:
    """What the console's preferences form shows: the values in its fields ("HH:MM",
    ISO dates, weekday numbers), and the limits staff must keep to."""

    window_start: str
    window_end: str
    avoid_days: frozenset[int]
    language: str
    paused_until: str
    note: str
    legal_start: time
    legal_end: time
    pause_max: date
    max_pause_days: int


def language_shown(borrower: Borrower) -> str:
    """The language value the form shows selected: ANY_LANGUAGE unless they chose one."""
    wished = contact_preferences.of(borrower)
    return wished.language if wished.language_chosen else ANY_LANGUAGE


def _pause_max(borrower: Borrower, dealer: Dealer, now: datetime) -> date:
    return local_today(borrower, dealer, now) + timedelta(
        days=contact_preferences.max_pause_days(dealer))


def form_for(borrower: Borrower, dealer: Dealer, now: datetime,
             submitted: FormFields | None = None) -> StaffPreferencesForm:
    """The form as stored now, or as staff submitted it (to correct it after an error)."""
    wished = contact_preferences.of(borrower)
    legal_start, legal_end = sending_window(dealer)
    if submitted is not None:
        fields = {name: str(submitted.get(name) or "") for name in
                  ("window_start", "window_end", "language", "paused_until", "note")}
        days = frozenset(int(d) for d in submitted.getlist("avoid") if d.isdigit())
    else:
        fields = {"window_start": f"{wished.window_start:%H:%M}" if wished.has_window else "",
                  "window_end": f"{wished.window_end:%H:%M}" if wished.has_window else "",
                  "language": language_shown(borrower), "note": "",
                  "paused_until": wished.paused_until.isoformat() if wished.paused_until
                  else ""}
        days = wished.avoid_days
    return StaffPreferencesForm(**fields, avoid_days=days, legal_start=legal_start,
                                legal_end=legal_end,
                                pause_max=_pause_max(borrower, dealer, now),
                                max_pause_days=contact_preferences.max_pause_days(dealer))


def change_preferences(session: Session, account: Account, form: FormFields, actor: Actor,
                       *, clear: bool = False) -> Outcome:
    """Store what the console form asks for (`clear`: remove every preference), with a
    consent-ledger entry and an audit entry; a problem changes nothing (see `problem_text`).

    The form's fields are those of `contact_preferences.wish_from_form`, plus `note`: what
    the borrower said, kept as the ledger's evidence with the form's values.
    """
    borrower = account.borrower
    if clear:
        wished, asked = contact_preferences.clear_all(), "clear all preferences"
    else:
        wished = contact_preferences.wish_from_form(
            contact_preferences.of(borrower), form, language_shown=language_shown(borrower))
        asked = contact_preferences.wish_words(wished)
    note = str(form.get("note") or "").strip()[:NOTE_LIMIT]
    evidence = "; ".join(part for part in (note, f"console form: {asked}") if part)
    outcome = contact_preferences.change(session, borrower, **wished, cap_pause=False,
                                         source=consent.STAFF, evidence=evidence, actor=actor)
    if outcome.ok and outcome.changed:
        record(session, account.dealer_id, actor, AUDIT_ACTION, account_id=account.id,
               details=f"{', '.join(outcome.changed)} -> {outcome.preferences.summary()}")
    return outcome


def problem_text(outcome: Outcome, borrower: Borrower, dealer: Dealer, now: datetime) -> str:
    """Why nothing was saved, in words staff can act on."""
    problem = outcome.problem
    if problem == contact_preferences.WINDOW_BACKWARDS:
        return "Not saved: the window must end after it starts."
    if problem == contact_preferences.WINDOW_OUTSIDE_HOURS:
        start, end = sending_window(dealer)
        return (f"Not saved: the window must be inside the legal texting hours, "
                f"{start:%H:%M} to {end:%H:%M} their time.")
    if problem == contact_preferences.PAUSE_TOO_LONG:
        return (f"Not saved: reminders may be paused for at most {outcome.max_pause_days} "
                f"days, until {_pause_max(borrower, dealer, now):%b %d, %Y} at the latest.")
    if problem == contact_preferences.PAUSE_NOT_AFTER_TODAY:
        return "Not saved: the pause must end on a date after today (their time)."
    if problem == contact_preferences.EVERY_DAY:
        return ("Not saved: avoiding all seven days would stop every text. If they asked "
                "not to be texted, log a call with “Asked not to be texted”.")
    if problem == contact_preferences.UNKNOWN_LANGUAGE:
        return "Not saved: choose a language from the list."
    if problem == contact_preferences.UNKNOWN_DAY:
        return "Not saved: choose days from the list."
    return "Not saved: nothing was asked."
