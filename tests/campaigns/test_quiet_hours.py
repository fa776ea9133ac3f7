"""Quiet hours: 8:00-21:00 where the borrower is, tighter if the dealer says so, and inside
the window in every zone the borrower may be in."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from bot.messaging.quiet_hours import may_send_now, next_allowed, stored_phone_zones


def dealer(**changes):
    return SimpleNamespace(**{"timezone": "America/New_York", "quiet_start": "21:00",
                              "quiet_end": "08:00", **changes})


def borrower(phone="+15551230001", zone="America/New_York"):
    return SimpleNamespace(phone=phone, timezone=zone, phone_zones=stored_phone_zones(phone))


def test_the_window_is_eight_to_nine_in_the_borrowers_zone():
    person, shop = borrower(zone="America/Chicago"), dealer()
    assert not may_send_now(person, shop, datetime(2026, 12, 1, 13, 59))  # 7:59 Chicago
    assert may_send_now(person, shop, datetime(2026, 12, 1, 14, 0))
    assert may_send_now(person, shop, datetime(2026, 12, 2, 2, 59))  # 20:59
    assert not may_send_now(person, shop, datetime(2026, 12, 2, 3, 0))  # 21:00
    assert next_allowed(person, shop, datetime(2026, 12, 2, 3, 0)) == datetime(2026, 12, 2, 14)


def test_a_dealer_may_tighten_the_window_but_never_widen_it():
    person = borrower()
    tight = dealer(quiet_end="09:30", quiet_start="19:00")
    assert not may_send_now(person, tight, datetime(2026, 12, 1, 14, 0))  # 9:00
    assert next_allowed(person, tight, datetime(2026, 12, 1, 14, 0)) == \
        datetime(2026, 12, 1, 14, 30)
    assert not may_send_now(person, tight, datetime(2026, 12, 2, 0, 0))  # 19:00
    loose = dealer(quiet_end="06:00", quiet_start="23:00")
    assert not may_send_now(person, loose, datetime(2026, 12, 1, 12, 0))  # 7:00
    assert not may_send_now(person, loose, datetime(2026, 12, 2, 2, 30))  # 21:30


def test_when_zones_disagree_the_text_waits_for_a_moment_inside_all_of_them():
    # Recorded in New York, a Honolulu number: 8:00 in Honolulu is 13:00 in New York.
    person = borrower(phone="+18085550100", zone="America/New_York")
    assert person.phone_zones == "Pacific/Honolulu"
    assert not may_send_now(person, dealer(), datetime(2026, 12, 1, 15))  # 5:00 Honolulu
    assert next_allowed(person, dealer(), datetime(2026, 12, 1, 15)) == datetime(2026, 12, 1, 18)
    # A toll-free number says nothing about where its owner is.
    assert borrower(phone="+18005550100").phone_zones == ""
    assert may_send_now(borrower(phone="+18005550100"), dealer(), datetime(2026, 12, 1, 15))


def _asking(window_start="18:00", window_end="21:00", avoid="sat,sun"):
    person = borrower()
    person.contact_window_start, person.contact_window_end = window_start, window_end
    person.contact_avoid_days, person.language = avoid, "en"
    return person


def test_the_borrowers_own_hours_and_days_hold_a_text_to_the_first_moment_inside_both():
    from bot.messaging.quiet_hours import hold_reason

    person = _asking()
    friday_noon = datetime(2026, 12, 4, 17)  # 12:00 in New York
    assert hold_reason(person, dealer(), friday_noon) == "preferred_hours"
    assert next_allowed(person, dealer(), friday_noon) == datetime(2026, 12, 4, 23)  # 18:00
    saturday = datetime(2026, 12, 5, 23)
    assert hold_reason(person, dealer(), saturday) == "avoided_day"
    assert next_allowed(person, dealer(), saturday) == datetime(2026, 12, 7, 23)  # Mon 18:00
    assert hold_reason(person, dealer(), datetime(2026, 12, 8, 2)) == "quiet_hours"  # 21:00


def test_hours_the_dealers_window_no_longer_meets_give_way_to_the_law():
    from bot.messaging.quiet_hours import hold_reason

    person = _asking(avoid=None)
    tight = dealer(quiet_start="17:00")  # the dealer tightened its window since
    monday_noon = datetime(2026, 12, 7, 17)
    assert hold_reason(person, tight, monday_noon) is None
    assert next_allowed(person, tight, monday_noon) == monday_noon
