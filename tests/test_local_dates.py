"""Calendars where they disagree: DST nights, month ends, leap days, "today" in a zone."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace

import pytest

from bot.campaigns.planner import step_moment
from bot.localtime import dealer_today, local_today
from bot.messaging.quiet_hours import may_send_now, next_allowed
from bot.payments.plans import add_periods

NEW_YORK = "America/New_York"
CHICAGO = "America/Chicago"


def _borrower(zone: str, phone: str = "+12125550100") -> SimpleNamespace:
    return SimpleNamespace(timezone=zone, phone=phone, phone_zones="")


def _dealer(zone: str = NEW_YORK) -> SimpleNamespace:
    return SimpleNamespace(timezone=zone, quiet_start="21:00", quiet_end="08:00")


@pytest.mark.parametrize("at_utc, zone, allowed_from", [
    # spring forward: 02:00 -> 03:00 local; 08:00 EDT is 12:00 UTC, 08:00 CDT 13:00 UTC
    ("2027-03-14T07:30", NEW_YORK, "2027-03-14T12:00"),
    ("2027-03-14T08:30", CHICAGO, "2027-03-14T13:00"),
    # fall back: 01:30 happens twice; both readings are night, 08:00 EST is 13:00 UTC
    ("2027-11-07T05:30", NEW_YORK, "2027-11-07T13:00"),
    ("2027-11-07T06:30", NEW_YORK, "2027-11-07T13:00"),
    ("2027-11-07T06:30", CHICAGO, "2027-11-07T14:00"),
    ("2027-11-07T07:30", CHICAGO, "2027-11-07T14:00"),
])
def test_quiet_hours_hold_on_dst_nights(at_utc, zone, allowed_from):
    borrower, dealer = _borrower(zone), _dealer(zone)
    at = datetime.fromisoformat(at_utc)
    assert not may_send_now(borrower, dealer, at)
    assert next_allowed(borrower, dealer, at) == datetime.fromisoformat(allowed_from)


def test_nine_pm_in_new_york_is_quiet_there_but_not_in_chicago():
    at = datetime(2027, 1, 13, 2, 30)  # 21:30 in New York, 20:30 in Chicago
    assert not may_send_now(_borrower(NEW_YORK), _dealer(NEW_YORK), at)
    assert may_send_now(_borrower(CHICAGO, "+13125550100"), _dealer(CHICAGO), at)


@pytest.mark.parametrize("day, utc_hour", [
    (date(2027, 3, 13), 15),  # the day before spring forward: EST
    (date(2027, 3, 14), 14),  # the day itself: 10:00 EDT
    (date(2027, 11, 6), 14),
    (date(2027, 11, 7), 15),  # fall back: 10:00 EST
])
def test_a_reminder_at_ten_goes_at_ten_local_across_dst(day, utc_hour):
    assert step_moment(NEW_YORK, day, time(10)) == datetime.combine(day, time(utc_hour))


@pytest.mark.parametrize("start, expected", [
    (date(2027, 1, 31), [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]),
    (date(2028, 1, 31), [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]),
    (date(2028, 2, 29), [date(2028, 2, 29), date(2028, 3, 29), date(2028, 4, 29)]),
    (date(2027, 12, 31), [date(2027, 12, 31), date(2028, 1, 31), date(2028, 2, 29)]),
])
def test_monthly_installments_keep_their_day_and_never_skip_a_short_month(start, expected):
    assert [add_periods(start, "monthly", i) for i in range(3)] == expected


def test_a_yearly_leap_day_installment_falls_on_the_last_of_february():
    assert add_periods(date(2028, 2, 29), "monthly", 12) == date(2029, 2, 28)


@pytest.mark.dates
def test_today_is_the_local_date_not_utcs(clock):
    now = clock.now()
    chicago = _dealer(CHICAGO)
    expected = clock.today(CHICAGO)
    assert dealer_today(chicago) == expected
    assert local_today(_borrower(CHICAGO), _dealer(NEW_YORK), now) == expected
    # With no zone of their own, a borrower lives on the dealer's calendar.
    assert local_today(_borrower(None), chicago, now) == expected


@pytest.mark.dates
def test_the_demo_is_due_today_in_the_dealers_chicago_not_in_utc(client, clock):
    from bot import db
    from bot.demo import DEMO_BORROWERS, seed
    from bot.models import Account

    seed()
    chicago_today = clock.today(CHICAGO)
    with db.session_scope() as session:
        due = {a.reference: a.due_date for a in session.query(Account)}
    for person in DEMO_BORROWERS:
        assert (due[person.reference] - chicago_today).days == person.due_in_days
