"""A borrower who asked by text for texts after 6 pm and none on weekends gets the reminder
at the first moment that fits, in the language they asked for; until then it is held
with a reason that says why, and a moment that says when."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from bot import db
from bot.campaigns.reminders import send_due_reminders
from bot.messaging.notices import send_notice
from bot.messaging.outbound import send_deferred, send_sms
from bot.models import Account, Reminder, ReminderStatus, ScheduleStep
from tests.campaigns.conftest import Shop
from tests.support.sms import Phone

ENGLISH_PHONE = "+12125550141"
SPANISH_PHONE = "+12125550142"


def _friday_after_a_week(today: date) -> date:
    """A Friday at least a week ahead: the texts below happen before it, and no reminder
    step of an earlier week is still current."""
    start = today + timedelta(days=8)
    return start + timedelta(days=(4 - start.weekday()) % 7)


def _run(at: datetime):
    return send_due_reminders(db.new_session, at)


def _reminder(account_id: int) -> Reminder:
    with db.session_scope() as session:
        reminder = session.query(Reminder).filter_by(account_id=account_id).one()
        session.expunge(reminder)
        return reminder


@pytest.fixture
def borrowers(shop: Shop, client, clock) -> tuple[int, int, date]:
    """Two borrowers in New York who asked by text for texts after 6 pm and none on
    weekends — one of them in Spanish; the dealer sends one reminder, at 17:00 on the
    due day. Returns their account ids and the English one's due Friday."""
    friday = _friday_after_a_week(clock.today())
    shop.update(send_time="17:00")
    with db.session_scope() as session:
        session.add(ScheduleStep(dealer_id=shop.dealer_id, offset_days=0,
                                 template="reminder_due"))
    english = shop.add_account("LN-1", ENGLISH_PHONE, zone="America/New_York", due=friday)
    spanish = shop.add_account("LN-2", SPANISH_PHONE, zone="America/New_York",
                               due=friday + timedelta(days=1))
    clock.move_to(clock.local(friday - timedelta(days=3), 12))  # texts on Tuesday noon
    assert Phone(client, ENGLISH_PHONE).say("text me after 6") == \
        "OK, we'll only text you after 6 pm."
    assert Phone(client, ENGLISH_PHONE).say("no texts on weekends") == \
        "OK, we'll only text you after 6 pm, and not on weekends."
    assert Phone(client, SPANISH_PHONE).say(
        "solo en español, después de las 6 y no los fines de semana") == (
        "De acuerdo: solo le escribiremos después de las 6 pm, y no los fines de semana, "
        "y le escribiremos en español.")
    return english, spanish, friday


@pytest.mark.dates
def test_the_reminder_waits_for_the_hours_and_days_asked_for(borrowers, clock, twilio_fake):
    english, spanish, friday = borrowers
    saturday, monday = friday + timedelta(days=1), friday + timedelta(days=3)

    # Friday 17:00, the dealer's sending time: held until 18:00.
    summary = _run(clock.move_to(clock.local(friday, 17)))
    assert summary.sent == 0 and summary.skipped == {"preferred_hours": 1}
    held = _reminder(english)
    assert (held.status, held.reason, held.send_after) == (
        ReminderStatus.DEFERRED, "preferred_hours", clock.local(friday, 18))
    assert _run(clock.move_to(clock.local(friday, 17, minute=59))).sent == 0
    assert _run(clock.move_to(clock.local(friday, 18))).sent == 1
    [body] = twilio_fake.bodies_to(ENGLISH_PHONE)
    assert "due today" in body

    # Saturday 17:00: the Spanish borrower's due day is a day they asked us to avoid.
    summary = _run(clock.move_to(clock.local(saturday, 17)))
    assert summary.sent == 0 and summary.skipped == {"avoided_day": 1}
    held = _reminder(spanish)
    assert (held.reason, held.send_after) == ("avoided_day", clock.local(monday, 18))
    for moment in (clock.local(saturday, 19), clock.local(saturday + timedelta(days=1), 18),
                   clock.local(monday, 10), clock.local(monday, 17, minute=59)):
        assert _run(clock.move_to(moment)).sent == 0
    assert twilio_fake.bodies_to(SPANISH_PHONE) == []

    # Monday 18:00 in New York: the first allowed moment. It goes, in Spanish, and says
    # the payment is still pending since Saturday rather than "due today".
    assert _run(clock.move_to(clock.local(monday, 18))).sent == 1
    [body] = twilio_fake.bodies_to(SPANISH_PHONE)
    assert body.startswith("Hola Dana") and "sigue pendiente" in body
    assert _reminder(spanish).status == ReminderStatus.SENT
    assert len(twilio_fake.bodies_to(ENGLISH_PHONE)) == 1  # never twice


@pytest.mark.dates
def test_texts_we_start_wait_but_an_answer_to_the_borrower_goes_now(borrowers, clock, client,
                                                                    twilio_fake):
    english, _spanish, friday = borrowers
    saturday, monday = friday + timedelta(days=1), friday + timedelta(days=3)
    clock.move_to(clock.local(saturday, 12))
    with db.session_scope() as session:
        account = session.get(Account, english)
        message = send_sms(session, account.borrower, "Your title is ready.", kind="staff",
                           author="staff")
        assert (message.status, message.send_after) == ("deferred", clock.local(monday, 18))
        assert send_notice(session, account, "pending_plan_reminder")  # kept, not dropped
    with db.session_scope() as session:
        assert send_deferred(session, clock.local(monday, 17)) == Counter()  # not yet due
    assert twilio_fake.bodies_to(ENGLISH_PHONE) == []
    with db.session_scope() as session:
        assert send_deferred(session, clock.local(monday, 18)) == Counter({"sent": 2})
    assert len(twilio_fake.bodies_to(ENGLISH_PHONE)) == 2

    # The borrower writes on a Saturday: the answer, and a staff reply within the hour, go
    # at once — an answer is not a text we start.
    clock.move_to(clock.local(saturday + timedelta(days=7), 12))
    replies = Phone(client, ENGLISH_PHONE).text("what's my balance")
    assert any("balance" in reply for reply in replies)
    with db.session_scope() as session:
        account = session.get(Account, english)
        answer = send_sms(session, account.borrower, "Yes, we're open.", kind="staff",
                          author="staff")
        assert answer.status != "deferred"
