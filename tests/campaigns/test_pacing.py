"""A reminder wave paced to the team: what the people on duty can answer goes now, the
rest waits for the next staffed hours — within quiet hours and the sending pace."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from bot import db
from bot.campaigns.pacing import DEFAULT_RATE, MIN_HISTORY, escalations_per_reminder
from bot.campaigns.reminders import send_due_reminders
from bot.models import Account, Dealer, Escalation, Reminder

DUE = date(2026, 12, 1)  # a Tuesday; New York is UTC-5
WAVE = 100


def ny(day: date, hour: int) -> datetime:
    """`hour`:00 in New York on `day`, naive UTC."""
    return datetime(day.year, day.month, day.day, hour) + timedelta(hours=5)


def z(moment: datetime) -> str:
    return moment.isoformat() + "Z"


def run(at: datetime) -> dict:
    return send_due_reminders(db.new_session, at).as_json()


def add_wave(shop, count: int = WAVE, *, due: date = DUE, first: int = 0,
             zone: str = "America/New_York") -> list[str]:
    phones = [f"+1212556{n:04d}" for n in range(first, first + count)]
    for n, phone in enumerate(phones, start=first):
        shop.add_account(f"LN-{n}", phone, zone=zone, due=due)
    return phones


def staff(shop, people: int, per_person_hour: int, hours: str = "Mon-Fri 09:00-17:00") -> None:
    shop.update(escalation_staff=people, escalations_per_staff_hour=per_person_hour,
                business_hours=hours)


def test_a_wave_is_spread_over_the_staffed_hours(shop, twilio_fake, settings):
    # Two people answering 1 escalation an hour each; with no history yet, 1 reminder in
    # 20 is expected to need a person: 2 / 0.05 = 40 reminders an hour.
    staff(shop, people=2, per_person_hour=1)
    add_wave(shop)

    first = run(ny(DUE, 10))
    assert first == {"sent": 40, "skipped": {"paced": 60},
                     "held_back": {"paced": 60, "until": z(ny(DUE, 12)),
                                   "by_hour": {z(ny(DUE, 11)): 40, z(ny(DUE, 12)): 20}}}
    assert len(twilio_fake.sent) == 40

    # The held reminders wait for their hour, however often cron runs meanwhile.
    assert run(ny(DUE, 10) + timedelta(minutes=30))["sent"] == 0
    assert run(ny(DUE, 11))["sent"] == 40
    assert run(ny(DUE, 11) + timedelta(minutes=5))["sent"] == 0
    assert run(ny(DUE, 12)) == {"sent": 20, "skipped": {}}
    assert run(ny(DUE, 13))["sent"] == 0
    # Everyone got exactly one reminder.
    assert sorted(m["To"] for m in twilio_fake.sent) == sorted(
        f"+1212556{n:04d}" for n in range(WAVE))


def test_a_wave_outside_staffed_hours_waits_for_the_team(shop, twilio_fake):
    staff(shop, people=1, per_person_hour=2)  # 40 an hour
    shop.update(send_time="17:30")  # after the team goes home, still inside texting hours
    add_wave(shop, 50)
    summary = run(ny(DUE, 17) + timedelta(minutes=30))
    assert summary["sent"] == 0
    assert summary["held_back"]["by_hour"] == {z(ny(DUE + timedelta(days=1), 9)): 40,
                                               z(ny(DUE + timedelta(days=1), 10)): 10}
    assert run(ny(DUE + timedelta(days=1), 9))["sent"] == 40


def test_held_reminders_go_only_inside_the_borrowers_texting_hours(shop, twilio_fake):
    staff(shop, people=1, per_person_hour=1)  # 20 an hour
    add_wave(shop, 20, first=0)
    west = add_wave(shop, 10, first=100, zone="America/Los_Angeles")
    shop.update(send_time="11:00")  # 11:00 in New York and, for the west, in Los Angeles
    summary = run(ny(DUE, 11))
    assert summary["sent"] == 20 and "held_back" not in summary
    # 14:00 New York = 11:00 Los Angeles: the west coast's step; this hour has room.
    assert run(ny(DUE, 14))["sent"] == 10
    assert {m["To"] for m in twilio_fake.sent[20:]} == set(west)

    # The team's last hour today is full; its first hours tomorrow (9:00 and 10:00 in
    # New York) are before 8:00 in Los Angeles, so the rest waits for 11:00 there.
    shop.update(send_time="10:00")
    add_wave(shop, 25, first=200, zone="America/Los_Angeles", due=DUE + timedelta(days=1))
    summary = run(ny(DUE + timedelta(days=1), 16))  # 13:00 in Los Angeles
    assert summary["sent"] == 20
    assert summary["held_back"]["by_hour"] == {z(ny(DUE + timedelta(days=2), 11)): 5}
    assert run(ny(DUE + timedelta(days=2), 9))["sent"] == 0
    assert run(ny(DUE + timedelta(days=2), 11))["sent"] == 5


def test_the_sending_pace_caps_an_hour_too(shop):
    staff(shop, people=10, per_person_hour=10)  # 2,000 an hour by escalations alone
    shop.update(messages_per_second=0.01)  # but one number sends 36 an hour
    add_wave(shop, 50)
    # (The run itself does not wait for the pace here: the cap only decides the hours.)
    with db.session_scope() as session:
        from bot.campaigns.pacing import plan_for

        plan = plan_for(session, session.get(Dealer, shop.dealer_id), ny(DUE, 10))
    assert plan.per_hour == 36


def test_a_dealer_that_has_not_said_who_answers_is_not_paced(shop, twilio_fake):
    add_wave(shop, 60)
    assert run(ny(DUE, 10)) == {"sent": 60, "skipped": {}}


def test_the_expected_escalations_come_from_the_dealers_own_history(shop):
    with db.session_scope() as session:
        dealer = session.get(Dealer, shop.dealer_id)
        assert escalations_per_reminder(session, dealer, ny(DUE, 10)) == DEFAULT_RATE
    past = DUE - timedelta(days=20)
    ids = [shop.add_account(f"H-{n}", f"+1212557{n:04d}", due=past) for n in range(MIN_HISTORY)]
    with db.session_scope() as session:
        for n, account_id in enumerate(ids):
            account = session.get(Account, account_id)
            session.add(Reminder(dealer_id=shop.dealer_id, account_id=account_id,
                                 template="reminder_due", offset_days=0, due_date=past,
                                 status="sent", sent_at=ny(past, 10)))
            if n % 5 == 0:  # one in five asked for a person within 3 days
                session.add(Escalation(dealer_id=shop.dealer_id, account_id=account_id,
                                       borrower_id=account.borrower_id, reason="human",
                                       created_at=ny(past, 15)))
            elif n % 5 == 1:  # and this one only a week later: not caused by the reminder
                session.add(Escalation(dealer_id=shop.dealer_id, account_id=account_id,
                                       borrower_id=account.borrower_id, reason="human",
                                       created_at=ny(past + timedelta(days=7), 15)))
    with db.session_scope() as session:
        dealer = session.get(Dealer, shop.dealer_id)
        assert escalations_per_reminder(session, dealer, ny(DUE, 10)) == 0.2
    # One person answering 4 an hour, 1 reminder in 5 needing them: 20 reminders an hour.
    staff(shop, people=1, per_person_hour=4)
    add_wave(shop, 30)
    assert run(ny(DUE, 10))["held_back"]["by_hour"] == {z(ny(DUE, 11)): 10}


def test_cli_reports_what_was_held_back_and_until_when(shop, settings):
    staff(shop, people=1, per_person_hour=1)  # 20 an hour
    add_wave(shop, 25)
    env = {**os.environ, "DATABASE_URL": settings.database_url,
           "TWILIO_API_BASE": settings.twilio_api_base, "TWILIO_ACCOUNT_SID": "ACtest",
           "TWILIO_AUTH_TOKEN": settings.twilio_auth_token, "REDIS_URL": ""}
    textpay = str(Path(sys.executable).with_name("textpay"))
    words = subprocess.run([textpay, "send-reminders", "--at", "2026-12-01T10:00:00-05:00"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert words.returncode == 0, words.stderr
    assert "sent 20 reminders" in words.stdout
    assert "5 held back so your team can keep up with the replies; they go by " \
           "2026-12-01 16:00 UTC" in words.stdout

    # Nobody ran it at 11:00: the next morning yesterday's 5 go first, with 25 new ones.
    add_wave(shop, 25, first=100, due=DUE + timedelta(days=1))
    printed = subprocess.run([textpay, "send-reminders", "--json", "--at",
                              "2026-12-02T10:00:00-05:00"], capture_output=True, text=True,
                             env=env, timeout=120)
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout) == {
        "sent": 20, "skipped": {"paced": 10},
        "held_back": {"paced": 10, "until": "2026-12-02T16:00:00Z",
                      "by_hour": {"2026-12-02T16:00:00Z": 10}}}
