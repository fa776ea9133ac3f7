"""Contact preferences a borrower states — by text or on the self-service page — and the
sender obeys: a window inside the legal hours ("after 6 pm"), weekdays to avoid ("no
texts on weekends"), a language they chose ("only in Spanish"), and a pause of
reminders up to the dealer's limit ("pause until the 15th").

`change` validates a wish and stores it; every change is an entry of the consent ledger
(bot/consent.py, change "preference"), so the record shows what the borrower asked for,
how, and when. A wish that cannot be honoured changes nothing and comes back as a
problem value (`WINDOW_OUTSIDE_HOURS`, ...) for the caller to word; `check` answers the
same without writing, so a caller can word its confirmation before recording it.
`wish_from_form` reads the preferences forms (the self-service page's, the console's)
into the same arguments, so a form is validated exactly as a text is.

`next_allowed_moment` is what senders ask: the first moment at or after `now` that fits
the window and days, in the borrower's local time. The legal quiet hours stay
bot/messaging/quiet_hours.py's to combine with it; a pause is a collection pause
(`Borrower.texts_paused_until`, honoured by bot/collection.py like one staff agreed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Protocol

from sqlalchemy.orm import Session

from bot import consent
from bot.audit import Actor
from bot.clock import utcnow
from bot.localtime import borrower_zone, clock_time, local_today, sending_window
from bot.models import Borrower, ConsentEvent, Dealer

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()
WEEKEND = frozenset({5, 6})
LANGUAGES = ("en", "es")
DEFAULT_MAX_PAUSE_DAYS = 30


class _Clear:
    """The value that removes a preference (any hour again, no pause, language by message)."""

    def __repr__(self) -> str:
        return "CLEAR"


CLEAR = _Clear()

# Problems: the wish changed nothing (the caller words why).
NOTHING_ASKED = "nothing_asked"
WINDOW_OUTSIDE_HOURS = "window_outside_hours"  # no part of it is inside the legal window
WINDOW_BACKWARDS = "window_backwards"  # both bounds given, the end not after the start
EVERY_DAY = "every_day"  # avoiding all seven days is an opt-out: STOP says that
PAUSE_NOT_AFTER_TODAY = "pause_not_after_today"
PAUSE_TOO_LONG = "pause_too_long"  # past the dealer's limit, when the caller asks not to cap
UNKNOWN_LANGUAGE = "unknown_language"
UNKNOWN_DAY = "unknown_day"


@dataclass(frozen=True)
class Preferences:
    """What the borrower asked for; None/empty: no wish (any legal hour, any day)."""

    window_start: time | None = None
    window_end: time | None = None
    avoid_days: frozenset[int] = frozenset()
    language: str = "en"
    language_chosen: bool = False
    paused_until: date | None = None

    @property
    def has_window(self) -> bool:
        """Whether the borrower narrowed the hours."""
        return self.window_start is not None and self.window_end is not None

    def allows(self, local: datetime) -> bool:
        """Whether a text may go at this local (borrower's zone) moment, pause aside."""
        if local.weekday() in self.avoid_days:
            return False
        if self.has_window:
            return self.window_start <= local.time() < self.window_end
        return True

    def summary(self) -> str:
        """One line for staff and the consent ledger ("window 18:00-21:00; avoid sat,sun")."""
        parts = []
        if self.has_window:
            parts.append(f"window {self.window_start:%H:%M}-{self.window_end:%H:%M}")
        if self.avoid_days:
            parts.append("avoid " + ",".join(DAYS[d] for d in sorted(self.avoid_days)))
        if self.language_chosen:
            parts.append(f"language {self.language}")
        if self.paused_until is not None:
            parts.append(f"paused until {self.paused_until.isoformat()}")
        return "; ".join(parts) or "no preferences"


@dataclass(frozen=True)
class Outcome:
    """What `change` (or `check`) made of a wish.

    `problem` None: `preferences` are the new ones; `changed` names what differs
    ("window", "days", "language", "pause"); `capped` says a pause was shortened
    to the dealer's limit (`max_pause_days`); `entry` is the consent-ledger entry
    (None from `check`, or when nothing differed).
    """

    preferences: Preferences
    problem: str | None = None
    changed: tuple[str, ...] = ()
    capped: bool = False
    max_pause_days: int = DEFAULT_MAX_PAUSE_DAYS
    entry: ConsentEvent | None = None

    @property
    def ok(self) -> bool:
        """Whether the wish could be honoured."""
        return self.problem is None


def _days_of(text: str | None) -> frozenset[int]:
    return frozenset(DAYS.index(name) for name in (text or "").split(",") if name in DAYS)


def of(borrower: object) -> Preferences:
    """The borrower's preferences (a Borrower, or a row with the same columns)."""
    start = clock_time(getattr(borrower, "contact_window_start", None))
    end = clock_time(getattr(borrower, "contact_window_end", None))
    return Preferences(
        window_start=start if start and end else None,
        window_end=end if start and end else None,
        avoid_days=_days_of(getattr(borrower, "contact_avoid_days", None)),
        language=getattr(borrower, "language", None) or "en",
        language_chosen=bool(getattr(borrower, "language_chosen", False)),
        paused_until=getattr(borrower, "texts_paused_until", None))


def _day_index(day: int | str) -> int | None:
    if isinstance(day, int):
        return day if 0 <= day <= 6 else None
    name = str(day).strip().lower()[:3]
    return DAYS.index(name) if name in DAYS else None


def _window(dealer: Dealer, start: time | _Clear | None,
            end: time | _Clear | None) -> tuple[time | None, time | None] | str:
    """The stored window for a wish (a missing bound is the legal one), or a problem."""
    if isinstance(start, _Clear) or isinstance(end, _Clear):
        return None, None
    if start is not None and end is not None and end <= start:
        return WINDOW_BACKWARDS
    legal_start, legal_end = sending_window(dealer)
    start = max(start or legal_start, legal_start)
    end = min(end or legal_end, legal_end)
    if start >= end:
        return WINDOW_OUTSIDE_HOURS
    if (start, end) == (legal_start, legal_end):
        return None, None  # every legal hour: no wish to keep
    return start, end


def _pause(dealer: Dealer, today: date, until: date | _Clear,
           cap: bool) -> tuple[date | None, bool] | str:
    if isinstance(until, _Clear):
        return None, False
    if until <= today:
        return PAUSE_NOT_AFTER_TODAY
    limit = today + timedelta(days=max_pause_days(dealer))
    if until > limit and not cap:
        return PAUSE_TOO_LONG
    return (limit, True) if until > limit else (until, False)


def max_pause_days(dealer: Dealer) -> int:
    """The longest pause a borrower may ask for at this dealer."""
    return dealer.max_pause_days or DEFAULT_MAX_PAUSE_DAYS


def _wished(current: Preferences, dealer: Dealer, today: date, *, window_start: object,
            window_end: object, avoid_days: object, language: object,
            paused_until: object, cap_pause: bool) -> tuple[Preferences, bool] | str:
    """The preferences a wish leads to and whether a pause was capped, or a problem."""
    wanted, capped = current, False
    if window_start is not None or window_end is not None:
        window = _window(dealer, window_start, window_end)
        if isinstance(window, str):
            return window
        wanted = replace(wanted, window_start=window[0], window_end=window[1])
    if avoid_days is not None:
        days = () if isinstance(avoid_days, _Clear) else [_day_index(d) for d in avoid_days]
        if None in days:
            return UNKNOWN_DAY
        if len(set(days)) == len(DAYS):
            return EVERY_DAY
        wanted = replace(wanted, avoid_days=frozenset(days))
    if language is not None:
        if isinstance(language, _Clear):
            wanted = replace(wanted, language_chosen=False)
        elif language not in LANGUAGES:
            return UNKNOWN_LANGUAGE
        else:
            wanted = replace(wanted, language=language, language_chosen=True)
    if paused_until is not None:
        pause = _pause(dealer, today, paused_until, cap_pause)
        if isinstance(pause, str):
            return pause
        wanted, capped = replace(wanted, paused_until=pause[0]), pause[1]
    return wanted, capped


def _differences(before: Preferences, after: Preferences) -> tuple[str, ...]:
    changed = []
    if (before.window_start, before.window_end) != (after.window_start, after.window_end):
        changed.append("window")
    if before.avoid_days != after.avoid_days:
        changed.append("days")
    if (before.language, before.language_chosen) != (after.language, after.language_chosen):
        changed.append("language")
    if before.paused_until != after.paused_until:
        changed.append("pause")
    return tuple(changed)


def check(borrower: Borrower, *, window_start: time | _Clear | None = None,
          window_end: time | _Clear | None = None,
          avoid_days: Iterable[int | str] | _Clear | None = None,
          language: str | _Clear | None = None, paused_until: date | _Clear | None = None,
          cap_pause: bool = True, at: datetime | None = None) -> Outcome:
    """What `change` would make of a wish, writing nothing (arguments as for `change`)."""
    dealer = borrower.dealer
    current = of(borrower)
    if all(value is None for value in (window_start, window_end, avoid_days, language,
                                       paused_until)):
        return Outcome(current, NOTHING_ASKED, max_pause_days=max_pause_days(dealer))
    today = local_today(borrower, dealer, at or utcnow())
    wished = _wished(current, dealer, today, window_start=window_start,
                     window_end=window_end, avoid_days=avoid_days, language=language,
                     paused_until=paused_until, cap_pause=cap_pause)
    if isinstance(wished, str):
        return Outcome(current, wished, max_pause_days=max_pause_days(dealer))
    wanted, capped = wished
    return Outcome(wanted, None, _differences(current, wanted), capped,
                   max_pause_days(dealer))


def _store(borrower: Borrower, wanted: Preferences) -> None:
    borrower.contact_window_start = (f"{wanted.window_start:%H:%M}"
                                     if wanted.has_window else None)
    borrower.contact_window_end = f"{wanted.window_end:%H:%M}" if wanted.has_window else None
    borrower.contact_avoid_days = ",".join(DAYS[d] for d in sorted(wanted.avoid_days)) or None
    borrower.language, borrower.language_chosen = wanted.language, wanted.language_chosen
    borrower.texts_paused_until = wanted.paused_until


def change(session: Session, borrower: Borrower, *,
           window_start: time | _Clear | None = None, window_end: time | _Clear | None = None,
           avoid_days: Iterable[int | str] | _Clear | None = None,
           language: str | _Clear | None = None, paused_until: date | _Clear | None = None,
           cap_pause: bool = True, source: str, evidence: str | None,
           confirmation: str | None = None, actor: Actor | None = None) -> Outcome:
    """Honour a borrower's wish and note it in the consent ledger.

    None leaves a preference as it is; CLEAR removes it. A window replaces the
    old one, a missing bound being the legal one ("after 6 pm": 18:00 to the end
    of the dealer's window), clipped inside the legal hours (an end not after the
    start is WINDOW_BACKWARDS); `avoid_days` are weekday numbers (0 = Monday) or
    names ("sat"); `language` "en" or "es"; `paused_until` the last local date with
    no reminders, capped at the dealer's `max_pause_days` (or, with `cap_pause`
    False, refused as PAUSE_TOO_LONG: staff typed a date and should know). `source`
    says how (consent.WORDS by text, consent.PAGE on the self-service page,
    consent.STAFF in the console, ...); `evidence` the borrower's words or the form;
    `confirmation` the text we answer with; `actor` who recorded it, when a person
    did. A problem changes nothing.
    """
    outcome = check(borrower, window_start=window_start, window_end=window_end,
                    avoid_days=avoid_days, language=language, paused_until=paused_until,
                    cap_pause=cap_pause)
    if not outcome.ok or not outcome.changed:
        return outcome
    _store(borrower, outcome.preferences)
    entry = consent.preference_changed(session, borrower, source, evidence,
                                       outcome.preferences.summary(),
                                       confirmation=confirmation, actor=actor)
    return replace(outcome, entry=entry)


ANY_LANGUAGE = "any"  # a form's "no chosen language": answered in the language they text


class FormFields(Protocol):
    """A submitted form (werkzeug's MultiDict): one value, or every value, of a field."""

    def get(self, key: str, default: str | None = None) -> str | None:
        """The field's first value."""

    def getlist(self, key: str) -> list[str]:
        """Every value of the field (checkboxes)."""


def _form_clock(value: object) -> time | None:
    try:
        return time.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _form_pause(typed: str, current: date | None) -> date | _Clear | None:
    if not typed.strip():
        return CLEAR if current is not None else None
    try:
        wanted = date.fromisoformat(typed.strip())
    except ValueError:
        return date.min  # unreadable: refused by `check` as not after today
    return None if wanted == current else wanted


def wish_from_form(current: Preferences, form: FormFields, *,
                   language_shown: str) -> dict[str, object]:
    """The `change` arguments a preferences form asks for (the self-service page's and
    the console's), validated by `check` like any other wish.

    Fields: `window_start`/`window_end` "HH:MM" (one empty: the legal bound; both empty:
    no window); `avoid` weekday numbers 0-6, one per ticked box (none ticked: any day);
    `language` "en", "es" or ANY_LANGUAGE; `paused_until` an ISO date (empty: no pause).
    A field left as the form showed it changes nothing: `language_shown` is the language
    value the form showed selected.
    """
    start, end = _form_clock(form.get("window_start")), _form_clock(form.get("window_end"))
    if start is None and end is None and current.has_window:
        start = end = CLEAR
    language = str(form.get("language") or "").strip()
    return {
        "window_start": start, "window_end": end,
        "avoid_days": [int(d) if d.isdigit() else d for d in form.getlist("avoid")],
        "language": (None if language in ("", language_shown)
                     else CLEAR if language == ANY_LANGUAGE else language),
        "paused_until": _form_pause(str(form.get("paused_until") or ""), current.paused_until),
    }


def clear_all() -> dict[str, object]:
    """The `change` arguments that remove every preference."""
    return {"window_start": CLEAR, "window_end": CLEAR, "avoid_days": CLEAR,
            "language": CLEAR, "paused_until": CLEAR}


def wish_words(wish: dict[str, object]) -> str:
    """A wish as the consent ledger's evidence ("window_start=18:00:00; avoid_days=[5, 6]")."""
    return "; ".join(f"{name}={value}" for name, value in wish.items() if value is not None)


def _local(moment: datetime, zone: object) -> datetime:
    return moment.replace(tzinfo=timezone.utc).astimezone(zone)


def next_allowed_moment(borrower: object, now: datetime,
                        dealer: Dealer | None = None) -> datetime:
    """The first naive-UTC moment at or after `now` that fits the borrower's window and
    days, in their zone (`now` itself when it fits or they stated none).

    `borrower` may be a row with the Borrower's columns (then pass `dealer`).
    The legal quiet hours are not considered here (bot/messaging/quiet_hours.py).
    """
    preferences = of(borrower)
    zone = borrower_zone(borrower, dealer or borrower.dealer)
    local = _local(now, zone)
    if preferences.allows(local):
        return now
    day_start = preferences.window_start or time(0, 0)
    for days in range(0, 8):
        day = local.date() + timedelta(days=days)
        if day.weekday() in preferences.avoid_days:
            continue
        opening = datetime.combine(day, day_start, tzinfo=zone)
        # DST: a wall time that does not exist is shifted by the round trip.
        opening = opening.astimezone(timezone.utc).astimezone(zone)
        candidate = max(opening, local) if days == 0 else opening
        if preferences.allows(candidate):
            return candidate.astimezone(timezone.utc).replace(tzinfo=None)
    return now  # no allowed moment in a week: cannot happen (seven days are refused)
