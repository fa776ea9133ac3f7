"""POST /twilio/sms: signatures, replays, redaction, unknown senders, keywords."""

from __future__ import annotations

import time

from bot import db
from bot.models import Borrower, Message, Payment
from tests.support.sms import Phone, signed_headers, sms_form, twiml_messages


def stored_messages() -> list[Message]:
    with db.session_scope() as session:
        rows = session.query(Message).order_by(Message.id).all()
        session.expunge_all()
        return rows


def test_forged_signature_is_refused_and_nothing_is_stored(world, client):
    form = sms_form(world.phone.number, "pay 50")
    headers = signed_headers("/twilio/sms", form, token="not-the-real-token")
    assert client.post("/twilio/sms", data=form, headers=headers).status_code == 403
    assert client.post("/twilio/sms", data=form).status_code == 403  # no signature at all
    tampered = {**form, "Body": "pay 5000"}
    headers = signed_headers("/twilio/sms", form)
    assert client.post("/twilio/sms", data=tampered, headers=headers).status_code == 403
    assert stored_messages() == []


def test_replayed_message_sid_gets_the_same_reply_and_is_processed_once(world, stripe_intents):
    world.phone.text("pay 40", sid="SMpay")
    first = world.phone.text("yes", sid="SMyes")
    again = world.phone.text("yes", sid="SMyes")
    assert again == first
    assert "Payment received" in first[0]
    assert len(stripe_intents()) == 1
    with db.session_scope() as session:
        assert session.query(Payment).count() == 1
        assert session.query(Message).filter_by(message_sid="SMyes").count() == 1


def test_a_copy_of_a_text_that_got_no_reply_is_answered_at_once_with_nothing(world):
    world.phone.text("STOP")
    assert world.phone.text("hello?", sid="SMquiet") == []  # opted out: no reply
    started = time.monotonic()
    assert world.phone.text("hello?", sid="SMquiet") == []
    assert time.monotonic() - started < 1.0  # no waiting for a reply that never comes


def test_a_reused_message_sid_from_another_phone_never_gets_the_first_reply(world, client):
    first = world.phone.text("what's my balance", sid="SMbalance")
    assert "$1,200.00" in " ".join(first)
    stranger = Phone(client, "+15557770000")
    assert stranger.text("what's my balance", sid="SMbalance") == []
    to_other_number = Phone(client, world.phone.number, to="+15550109999")
    assert to_other_number.text("what's my balance", sid="SMbalance") == []
    assert world.phone.text("what's my balance", sid="SMbalance") == first


def test_card_numbers_are_redacted_before_storage_and_answered_with_a_link(world):
    reply = world.phone.say("my card is 4242 4242 4242 4242 exp 12/30")
    assert "never text a card number" in reply
    assert "/secure/card/" in reply
    bodies = " ".join(m.body for m in stored_messages())
    assert "4242 4242 4242 4242" not in bodies
    assert "[card number removed]" in bodies


def test_unknown_sender_gets_a_polite_reply_that_reveals_nothing(world):
    stranger = Phone(world.phone.client, "+15559998888")
    reply = stranger.say("what's my balance")
    assert "couldn't match your number" in reply
    assert "$" not in reply and "LN-" not in reply and "Dana" not in reply


def test_a_text_to_a_number_no_dealer_owns_is_ignored(world, client):
    form = sms_form(world.phone.number, "pay 50", to="+15557770000")
    response = client.post("/twilio/sms", data=form, headers=signed_headers("/twilio/sms", form))
    assert response.status_code == 200
    assert twiml_messages(response.data) == []
    assert stored_messages() == []


def test_stop_confirms_once_then_silence_until_start(world):
    confirmation = world.phone.say("Stop.")
    assert "unsubscribed" in confirmation
    assert "reply" not in confirmation.lower()  # solicits nothing
    assert world.phone.text("STOP") == []  # exactly one confirmation
    assert world.phone.text("pay 50") == []  # nothing is sent while opted out
    assert "subscribed" in world.phone.say("start")
    assert "You're paying $" in world.phone.say("pay")


def test_yes_after_an_opt_out_resubscribes(world):
    world.phone.text("unsubscribe")
    assert "subscribed to Sunrise Auto texts again" in world.phone.say("yes")
    with db.session_scope() as session:
        assert session.query(Borrower).one().opted_out is False


def test_help_names_the_dealer_contact_rates_and_opt_out(world):
    reply = world.phone.say("HELP")
    assert "Sunrise Auto" in reply
    assert "+15550100001" in reply
    assert "Msg&data rates may apply" in reply
    assert "STOP" in reply
