"""The satisfaction survey: asked after a payment, once a month, answers recorded before NLU."""

from __future__ import annotations

from datetime import timedelta

from bot import db
from bot.campaigns.reminders import send_due_reminders
from bot.clock import utcnow
from bot.models import Account, Payment, SurveyResponse
from bot.payments.ledger import record_payment
from tests.campaigns.conftest import midday_zone
from tests.support.sms import Phone


def paid(account_id: int) -> None:
    with db.session_scope() as session:
        account = session.get(Account, account_id)
        payment = Payment(dealer_id=account.dealer_id, account_id=account_id,
                          amount_cents=25000, status="processing", source="sms")
        session.add(payment)
        session.flush()
        record_payment(session, payment)


def test_survey_after_a_payment_once_a_month_and_the_answer_is_recorded(client, shop,
                                                                       twilio_fake):
    phone = "+15551230077"  # no area-code zone: the recorded zone alone decides
    account_id = shop.add_account("LN-1", phone, zone=midday_zone())
    paid(account_id)
    assert send_due_reminders(db.new_session, utcnow()).surveys == 0  # off by default
    shop.update(survey_enabled=True)
    assert send_due_reminders(db.new_session, utcnow()).surveys == 1
    assert "how did we do? Reply with a number from 1 (poor) to 5 (great)" in \
        twilio_fake.bodies_to(phone)[-1]
    assert send_due_reminders(db.new_session, utcnow()).surveys == 0  # asked already

    assert Phone(client, phone).say("4") == "Thank you for your feedback!"
    with db.session_scope() as session:
        answer = session.query(SurveyResponse).one()
        assert (answer.score, answer.trigger) == (4, "payment")
    stats = client.get("/api/v1/stats", headers=shop.headers()).json
    assert stats["survey"]["responses"] == 1 and stats["survey"]["average"] == 4.0

    paid(account_id)  # another payment the same month: no second question
    assert send_due_reminders(db.new_session, utcnow()).surveys == 0
    assert send_due_reminders(db.new_session, utcnow() + timedelta(days=31)).surveys == 0


def test_a_bare_number_without_an_open_survey_goes_to_the_conversation(client, shop):
    phone = "+15551230078"
    shop.add_account("LN-1", phone, zone=midday_zone())
    reply = Phone(client, phone).say("3")
    assert reply != "Thank you for your feedback!"
    with db.session_scope() as session:
        assert session.query(SurveyResponse).count() == 0


def test_a_resolved_escalation_is_followed_by_the_survey(shop, twilio_fake):
    from bot.models import Escalation

    phone = "+15551230079"
    account_id = shop.add_account("LN-1", phone, zone=midday_zone())
    shop.update(survey_enabled=True)
    with db.session_scope() as session:
        borrower_id = session.get(Account, account_id).borrower_id
        session.add(Escalation(dealer_id=shop.dealer_id, account_id=account_id,
                               borrower_id=borrower_id, reason="human", status="resolved",
                               resolved_at=utcnow() - timedelta(hours=1)))
    assert send_due_reminders(db.new_session, utcnow()).surveys == 1
    with db.session_scope() as session:
        assert session.query(SurveyResponse).one().trigger == "escalation"
    assert "how did we do?" in twilio_fake.bodies_to(phone)[0]
