"""A campaign run: the right borrowers, quiet hours honoured, sent once, skips counted."""

from __future__ import annotations

from datetime import date, datetime

from bot import db
from bot.campaigns.reminders import send_due_reminders
from bot.models import Dispute, Reminder

DUE = date(2026, 12, 1)  # a Tuesday; New York is UTC-5 in December


def run(at: str, **kwargs):
    return send_due_reminders(db.new_session, datetime.fromisoformat(at), **kwargs)


def test_campaign_over_time_zones_sends_defers_and_never_repeats(shop, twilio_fake):
    new_york = "+12125550101"
    los_angeles = "+13105550102"
    ny_with_la_phone = "+13105550103"
    chicago = "+13125550104"
    shop.add_account("LN-1", new_york, zone="America/New_York", due=DUE)
    shop.add_account("LN-2", los_angeles, zone="America/Los_Angeles", due=DUE)
    shop.add_account("LN-3", ny_with_la_phone, zone="America/New_York", due=DUE)
    shop.add_account("LN-4", chicago, zone="America/Chicago", due=DUE)
    shop.add_account("LN-5", "+12125550105", zone="America/New_York", due=DUE, opted_out=True)
    disputed = shop.add_account("LN-6", "+12125550106", zone="America/New_York", due=DUE)
    with db.session_scope() as session:
        session.add(Dispute(dealer_id=shop.dealer_id, account_id=disputed, words="not mine"))

    # 10:00 in New York: the due-day step is due there, not yet in Chicago or LA;
    # the New Yorker with a California phone would get it at 7:00 there: deferred.
    first = run("2026-12-01T15:00:00")
    assert first.as_json() == {"sent": 1, "skipped": {"dispute": 1, "opted_out": 1,
                                                      "quiet_hours": 1}}
    assert [m["To"] for m in twilio_fake.sent] == [new_york]
    assert "due today" in twilio_fake.sent[0]["Body"]
    assert "$250.00" in twilio_fake.sent[0]["Body"]

    again = run("2026-12-01T15:00:00")
    assert again.sent == 0 and "quiet_hours" not in again.skipped
    assert len(twilio_fake.sent) == 1

    # 11:00 New York = 8:00 Los Angeles = 10:00 Chicago.
    run("2026-12-01T16:00:00")
    assert sorted(m["To"] for m in twilio_fake.sent[1:]) == sorted([ny_with_la_phone, chicago])
    run("2026-12-01T18:00:00")  # 10:00 in Los Angeles
    assert [m["To"] for m in twilio_fake.sent[3:]] == [los_angeles]
    assert run("2026-12-01T23:00:00").sent == 0
    assert len(twilio_fake.sent) == 4
    assert not [m for m in twilio_fake.sent if m["To"] in ("+12125550105", "+12125550106")]


def test_a_deferred_reminder_goes_at_the_next_allowed_hour_not_before(shop, twilio_fake):
    phone = "+13105550103"  # a California number, recorded as living in New York
    shop.add_account("LN-1", phone, zone="America/New_York", due=DUE)
    shop.update(send_time="08:30")  # 8:30 New York = 5:30 in California
    assert run("2026-12-01T13:30:00").skipped == {"quiet_hours": 1}
    with db.session_scope() as session:
        reminder = session.query(Reminder).one()
        assert (reminder.status, reminder.send_after) == ("deferred", datetime(2026, 12, 1, 16))
    assert run("2026-12-01T15:59:00").sent == 0
    assert run("2026-12-01T16:00:00").sent == 1
    assert twilio_fake.bodies_to(phone)


def test_nothing_waits_forever(shop, twilio_fake):
    account_id = shop.add_account("LN-1", "+12125550109", zone="America/New_York", due=DUE)
    with db.session_scope() as session:
        session.add(Reminder(dealer_id=shop.dealer_id, account_id=account_id,
                             template="reminder_upcoming", offset_days=-3,
                             due_date=DUE, status="deferred",
                             send_after=datetime(2026, 11, 28, 15)))
    summary = run("2026-12-01T15:00:00")
    assert summary.skipped == {"expired": 1}
    assert [m["Body"] for m in twilio_fake.sent if "due today" in m["Body"]]  # today's step
    with db.session_scope() as session:
        old = session.query(Reminder).filter_by(offset_days=-3).one()
        assert (old.status, old.reason) == ("skipped", "expired")
