"""Context (YES/NO answer the last question), fallback, Spanish, new cards by secure link."""

from __future__ import annotations

import re

import pytest

from bot import db
from bot.models import Account, Borrower
from tests.conversations.helpers import escalation_reasons


def test_a_new_question_mid_confirmation_is_answered_and_the_confirmation_resumes(
        world, stripe_intents):
    world.phone.say("pay 100")
    reply = world.phone.say("actually whats my balance")
    assert "your balance is $1,200.00" in reply
    assert "Your payment of $100.00 is still waiting. Reply YES" in reply
    assert "Payment received: $100.00" in world.phone.say("yes")
    assert len(stripe_intents()) == 1


def test_yes_answers_only_the_latest_question(make_world, stripe_intents):
    world = make_world(amount_due_cents=30000)
    world.phone.say("pay 100")
    world.phone.say("can I split it in 3")  # the newer question replaces the payment prompt
    assert "You're all set" in world.phone.say("yes")
    assert stripe_intents() == []


def test_two_misunderstood_texts_in_a_row_reach_a_person(world):
    assert "Reply PAY, PLAN, BALANCE or HELP" in world.phone.say("asdfgh qwerty")
    assert escalation_reasons() == []
    reply = world.phone.say("zxcvb lkjhg")
    assert "A person from Sunrise Auto will get back to you" in reply
    assert escalation_reasons() == ["fallback"]


def test_an_understood_text_resets_the_misunderstanding_count(world):
    world.phone.say("asdfgh qwerty")
    world.phone.say("what's my balance")
    assert "Reply PAY, PLAN, BALANCE or HELP" in world.phone.say("zxcvb lkjhg")
    assert escalation_reasons() == []


def test_spanish_borrower_pays_in_spanish(make_world, stripe_intents):
    world = make_world(language="es")
    prompt = world.phone.say("quiero pagar 100")
    assert "Va a pagar $100.00" in prompt
    assert "Responda SI para confirmar" in prompt
    receipt = world.phone.say("si")
    assert "Pago recibido: $100.00" in receipt
    assert [pi.amount for pi in stripe_intents()] == [10000]


def test_writing_in_the_other_language_switches_it(world):
    reply = world.phone.say("hola, cuanto debo?")
    assert "su saldo es $1,200.00" in reply
    with db.session_scope() as session:
        assert session.query(Borrower).one().language == "es"


def test_update_card_link_is_single_use_and_saves_the_card(world, client, twilio_fake):
    reply = world.phone.say("I got a new card")
    url = re.search(r"https://textpay\.test(/secure/card/\S+)", reply).group(1)
    page = client.get(url)
    assert page.status_code == 200 and b"Add a card" in page.data
    assert client.post(url, data={"card": "4000056655665556"}).status_code == 400  # no CSRF token
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page.data).group(1).decode()
    saved = client.post(url, data={"card": "4000056655665556", "csrf_token": token})
    assert saved.status_code == 200 and b"ending 5556" in saved.data
    with db.session_scope() as session:
        account = session.get(Account, world.account_id)
        assert (account.card_brand, account.card_last4) == ("Visa", "5556")
    assert any("Visa ending 5556 is now the card on file" in b
               for b in twilio_fake.bodies_to(world.phone.number))
    assert client.get(url).status_code == 404  # single use
    assert "Visa ending 5556" in world.phone.say("pay 20")


def test_a_tampered_card_link_is_refused(world, client):
    reply = world.phone.say("update my card")
    url = re.search(r"https://textpay\.test(/secure/card/\S+)", reply).group(1)
    assert client.get(url[:-2] + "xx").status_code == 404


@pytest.mark.dates
def test_a_card_link_expires_after_a_day(world, client, clock):
    reply = world.phone.say("update my card")
    url = re.search(r"https://textpay\.test(/secure/card/\S+)", reply).group(1)
    assert client.get(url).status_code == 200
    clock.advance(hours=23, minutes=59)
    assert client.get(url).status_code == 200
    clock.advance(minutes=2)
    expired = client.get(url)
    assert expired.status_code == 404
    assert b"This link has expired" in expired.data
