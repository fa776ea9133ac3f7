"""Contact preferences as stored (bot/contact_preferences.py): what a wish becomes, what
is refused (changing nothing), the consent-ledger entry for each change, and the first
moment a text fits the borrower's window and days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from bot import consent, contact_preferences, db
from bot.contact_preferences import CLEAR
from bot.models import Account, Borrower, ConsentChange, ConsentEvent
from tests.campaigns.conftest import Shop
from tests.support.clock import NEW_YORK


@pytest.fixture
def borrower_id(shop: Shop) -> int:
    account_id = shop.add_account("LN-1", "+15551230001", zone="America/New_York")
    with db.session_scope() as session:
        return session.get(Account, account_id).borrower_id


def _change(borrower_id: int, **wish: object) -> contact_preferences.Outcome:
    with db.session_scope() as session:
        borrower = session.get(Borrower, borrower_id)
        outcome = contact_preferences.change(session, borrower, source=consent.WORDS,
                                             evidence=wish.pop("evidence", "text me after 6"),
                                             **wish)
        session.flush()
        return outcome


def _entries(borrower_id: int) -> list[tuple[str, str, str | None, str | None]]:
    with db.session_scope() as session:
        return [(e.change, e.source, e.evidence, e.detail) for e in session.query(ConsentEvent)
                .filter_by(borrower_id=borrower_id).order_by(ConsentEvent.id)]


def _preferences(borrower_id: int) -> contact_preferences.Preferences:
    with db.session_scope() as session:
        return contact_preferences.of(session.get(Borrower, borrower_id))


def test_after_six_runs_to_the_end_of_the_legal_window_and_is_noted_in_the_ledger(
        borrower_id: int) -> None:
    outcome = _change(borrower_id, window_start=time(18, 0))
    assert outcome.ok and outcome.changed == ("window",)
    prefs = _preferences(borrower_id)
    assert (prefs.window_start, prefs.window_end) == (time(18, 0), time(21, 0))
    assert _entries(borrower_id) == [(ConsentChange.PREFERENCE, consent.WORDS,
                                      "text me after 6", "window 18:00-21:00")]


def test_a_window_is_clipped_inside_the_dealers_tighter_hours(shop: Shop,
                                                               borrower_id: int) -> None:
    shop.update(quiet_start="20:00", quiet_end="09:00")
    assert _change(borrower_id, window_start=time(6, 0), window_end=time(11, 0)).ok
    prefs = _preferences(borrower_id)
    assert (prefs.window_start, prefs.window_end) == (time(9, 0), time(11, 0))
    _change(borrower_id, window_start=time(18, 0))
    assert _preferences(borrower_id).window_end == time(20, 0)


def test_a_window_outside_the_legal_hours_changes_nothing(borrower_id: int) -> None:
    outcome = _change(borrower_id, window_start=time(22, 0))
    assert outcome.problem == contact_preferences.WINDOW_OUTSIDE_HOURS
    assert not _preferences(borrower_id).has_window
    assert _entries(borrower_id) == []


def test_avoiding_every_day_is_refused_and_weekends_are_kept(borrower_id: int) -> None:
    assert _change(borrower_id, avoid_days=range(7)).problem == contact_preferences.EVERY_DAY
    assert _change(borrower_id, avoid_days=["sat", "Sunday"]).ok
    assert _preferences(borrower_id).avoid_days == contact_preferences.WEEKEND
    assert _entries(borrower_id)[-1][3] == "avoid sat,sun"


def test_a_pause_is_capped_at_the_dealers_limit(shop: Shop, borrower_id: int, clock) -> None:
    shop.update(max_pause_days=10)
    today = clock.today()
    outcome = _change(borrower_id, paused_until=today + timedelta(days=45))
    assert outcome.ok and outcome.capped and outcome.max_pause_days == 10
    assert _preferences(borrower_id).paused_until == today + timedelta(days=10)
    assert _change(borrower_id, paused_until=today).problem == \
        contact_preferences.PAUSE_NOT_AFTER_TODAY
    assert _change(borrower_id, paused_until=CLEAR).changed == ("pause",)
    assert _preferences(borrower_id).paused_until is None


def test_the_default_pause_limit_is_thirty_days(borrower_id: int, clock) -> None:
    today = clock.today()
    _change(borrower_id, paused_until=today + timedelta(days=31))
    assert _preferences(borrower_id).paused_until == today + timedelta(days=30)


def test_a_chosen_language_is_kept_and_can_be_given_back(borrower_id: int) -> None:
    assert _change(borrower_id, language="fr").problem == contact_preferences.UNKNOWN_LANGUAGE
    assert _change(borrower_id, language="es").changed == ("language",)
    prefs = _preferences(borrower_id)
    assert (prefs.language, prefs.language_chosen) == ("es", True)
    _change(borrower_id, language=CLEAR)
    assert not _preferences(borrower_id).language_chosen


def test_every_change_is_its_own_entry_and_a_repeat_adds_none(borrower_id: int) -> None:
    _change(borrower_id, window_start=time(18, 0))
    _change(borrower_id, window_start=time(18, 0))  # the same wish again: nothing changes
    _change(borrower_id, avoid_days=["sat", "sun"], evidence="no texts on weekends")
    _change(borrower_id, window_start=CLEAR, evidence="any time is fine")
    assert [(e[2], e[3]) for e in _entries(borrower_id)] == [
        ("text me after 6", "window 18:00-21:00"),
        ("no texts on weekends", "window 18:00-21:00; avoid sat,sun"),
        ("any time is fine", "avoid sat,sun"),
    ]


def test_check_writes_nothing(borrower_id: int) -> None:
    with db.session_scope() as session:
        borrower = session.get(Borrower, borrower_id)
        outcome = contact_preferences.check(borrower, window_start=time(18, 0))
    assert outcome.ok and outcome.preferences.window_start == time(18, 0)
    assert not _preferences(borrower_id).has_window and _entries(borrower_id) == []


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    """A New York wall-clock moment as naive UTC."""
    moment = datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK)
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


FRIDAY = date(2027, 1, 15)


@pytest.mark.parametrize(("now", "expected"), [
    (_local(FRIDAY, 17), _local(FRIDAY, 18)),
    (_local(FRIDAY, 19, 30), _local(FRIDAY, 19, 30)),
    (_local(FRIDAY, 21, 5), _local(FRIDAY + timedelta(days=3), 18)),
    (_local(FRIDAY + timedelta(days=1), 12), _local(FRIDAY + timedelta(days=3), 18)),
    (_local(FRIDAY + timedelta(days=3), 9), _local(FRIDAY + timedelta(days=3), 18)),
])
def test_next_allowed_moment_after_six_and_not_on_weekends(borrower_id: int, now: datetime,
                                                           expected: datetime) -> None:
    _change(borrower_id, window_start=time(18, 0))
    _change(borrower_id, avoid_days=["sat", "sun"])
    with db.session_scope() as session:
        borrower = session.get(Borrower, borrower_id)
        assert contact_preferences.next_allowed_moment(borrower, now) == expected


def test_next_allowed_moment_without_preferences_is_now(borrower_id: int) -> None:
    now = _local(FRIDAY, 3)
    with db.session_scope() as session:
        assert contact_preferences.next_allowed_moment(session.get(Borrower, borrower_id),
                                                       now) == now
