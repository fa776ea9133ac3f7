"""The one outbound sender: carrier verdicts, delivery reports, quiet hours at send time, pace."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest

from bot import db
from bot.campaigns.reminders import send_due_reminders
from bot.messaging.outbound import SendRefused, send_deferred, send_sms
from bot.models import Borrower, Dealer, Message, Reminder
from tests.support.sms import signed_headers

DUE = date(2026, 12, 1)
TEN_AM_NEW_YORK = datetime(2026, 12, 1, 15, 0)
NIGHT_NEW_YORK = datetime(2026, 12, 2, 3, 0)  # 22:00 on Dec 1


def borrower(session, phone: str) -> Borrower:
    return session.query(Borrower).filter_by(phone=phone).one()


@pytest.mark.parametrize(("code", "reason", "flag"), [
    (21610, "opted_out", "opted_out"),
    (21211, "wrong_number", "invalid_number"),
    (21614, "wrong_number", "invalid_number"),
])
def test_carrier_errors_mark_the_number_and_are_never_retried(shop, twilio_fake, code, reason,
                                                              flag):
    phone = "+12125550111"
    shop.add_account("LN-1", phone, zone="America/New_York", due=DUE)
    twilio_fake.fail_with[phone] = code
    first = send_due_reminders(db.new_session, TEN_AM_NEW_YORK)
    assert first.as_json() == {"sent": 0, "skipped": {reason: 1}}
    with db.session_scope() as session:
        assert getattr(borrower(session, phone), flag) is True
        assert session.query(Reminder).one().status == "failed"
    twilio_fake.fail_with.clear()
    again = send_due_reminders(db.new_session, TEN_AM_NEW_YORK)
    assert again.as_json() == {"sent": 0, "skipped": {}}  # failed is final
    assert twilio_fake.sent == []


def test_status_callback_updates_delivery_and_stops_opted_out_numbers(client, shop, twilio_fake):
    phone = "+12125550112"
    shop.add_account("LN-1", phone, zone="America/New_York", due=DUE)
    send_due_reminders(db.new_session, TEN_AM_NEW_YORK)
    sid = twilio_fake.sent[0]["sid"]
    assert twilio_fake.sent[0]["StatusCallback"] == "https://textpay.test/twilio/status"
    delivered = {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": "ACtest"}
    response = client.post("/twilio/status", data=delivered,
                           headers=signed_headers("/twilio/status", delivered))
    assert response.status_code == 204
    forged = {**delivered, "MessageStatus": "undelivered", "ErrorCode": "21610"}
    assert client.post("/twilio/status", data=forged, headers={
        "X-Twilio-Signature": "forged"}).status_code == 403
    with db.session_scope() as session:
        assert session.query(Message).filter_by(message_sid=sid).one().status == "delivered"
        assert borrower(session, phone).opted_out is False
    client.post("/twilio/status", data=forged, headers=signed_headers("/twilio/status", forged))
    with db.session_scope() as session:
        assert session.query(Message).filter_by(message_sid=sid).one().error_code == 21610
        assert borrower(session, phone).opted_out is True


def test_a_notice_in_quiet_hours_waits_for_morning_and_opt_out_applies_at_send_time(
        shop, twilio_fake):
    morning, stopped = "+12125550113", "+12125550114"
    shop.add_account("LN-1", morning, zone="America/New_York")
    shop.add_account("LN-2", stopped, zone="America/New_York")
    with db.session_scope() as session:
        for phone in (morning, stopped):
            held = send_sms(session, borrower(session, phone), "Your card was updated.",
                            kind="notice", at=NIGHT_NEW_YORK)
            assert (held.status, held.send_after) == ("deferred", datetime(2026, 12, 2, 13))
        with pytest.raises(SendRefused) as refused:
            send_sms(session, borrower(session, morning), "Hello", kind="notice",
                     at=NIGHT_NEW_YORK, defer=False)
        assert refused.value.reason == "quiet_hours"
        borrower(session, stopped).opted_out = True
    assert twilio_fake.sent == []
    with db.session_scope() as session:
        assert send_deferred(session, datetime(2026, 12, 2, 12, 59)) == {}
        assert send_deferred(session, datetime(2026, 12, 2, 13, 0)) == {"sent": 1, "opted_out": 1}
    assert [m["To"] for m in twilio_fake.sent] == [morning]


def test_a_borrower_mid_conversation_is_answered_at_any_hour(shop, twilio_fake):
    phone = "+12125550115"
    shop.add_account("LN-1", phone, zone="America/New_York")
    with db.session_scope() as session:
        person = borrower(session, phone)
        session.add(Message(dealer_id=shop.dealer_id, borrower_id=person.id,
                            direction="inbound", author="borrower", body="can someone call",
                            created_at=datetime(2026, 12, 2, 2, 40)))
        sent = send_sms(session, person, "Calling you now.", kind="staff_reply", author="staff",
                        at=NIGHT_NEW_YORK)
        assert sent.status == "queued"
    assert twilio_fake.bodies_to(phone) == ["Calling you now."]


def test_third_party_texts_get_the_disclosure_at_send_time(shop, twilio_fake):
    phone = "+12125550116"
    shop.add_account("LN-1", phone, zone="America/New_York")
    shop.update(collector_mode="third_party")
    with db.session_scope() as session:
        send_sms(session, borrower(session, phone), "We got your message.", kind="staff_reply",
                 author="staff", at=TEN_AM_NEW_YORK)
    assert twilio_fake.bodies_to(phone) == [
        "We got your message. This is a communication from a debt collector. "
        "Reply STOP to opt out."]


def test_the_sender_keeps_the_dealers_per_number_pace(shop, twilio_fake):
    phones = [f"+1212555{n:04d}" for n in range(200, 206)]
    for n, phone in enumerate(phones):
        shop.add_account(f"LN-{n}", phone, zone="America/New_York")
    with db.session_scope() as session:
        session.get(Dealer, shop.dealer_id).messages_per_second = 20.0
    with db.session_scope() as session:
        started = time.monotonic()
        for phone in phones:
            send_sms(session, borrower(session, phone), "Hi", kind="notice", at=TEN_AM_NEW_YORK)
        elapsed = time.monotonic() - started
    assert len(twilio_fake.sent) == 6
    assert elapsed >= 5 / 20 * 0.95, elapsed  # six texts at 20/s: five waits of 50 ms
