"""Someone who is not the borrower, on the borrower's phone ("this is his girlfriend"):
no amount, balance, due date or reference to any request, a payer link worded for
them, and the borrower answered as usual the next day. Through the signed webhook,
the real model and localstripe."""

from __future__ import annotations

import re

import pytest

from bot import db
from bot.models import Dealer, Payment, SecureLink
from tests.conversations.helpers import rows

# Anything of the account: an amount, a reference, a due date, the borrower's name.
ACCOUNT_DETAIL = re.compile(r"\$|LN-\d|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                            r"\d|\b\d+ de [a-z]+\b|Dana|your account|su cuenta")
PAY_LINK = re.compile(r"/pay/[A-Za-z0-9_-]+")


def assert_nothing_of_the_account(reply: str) -> None:
    found = ACCOUNT_DETAIL.search(reply)
    assert found is None, f"{found.group(0)!r} disclosed in: {reply}"


def test_the_girlfriend_is_told_nothing_however_she_asks(world, stripe_intents):
    first = world.phone.say("this is jordans girlfriend, he's at work. how much does he owe")
    assert_nothing_of_the_account(first)
    assert "only discuss this account with the account holder" in first
    assert "+15550100001" in first and "PAY FOR THEM" in first
    assert "BALANCE" not in first  # no invitation to ask what is owed
    for text in ["BALANCE", "how much does he owe", "what's the balance", "when is it due",
                 "can he make a plan", "hi", "who is this"]:
        reply = world.phone.say(text)
        assert reply, text
        assert_nothing_of_the_account(reply)
    assert rows(Payment) == [] and stripe_intents() == []


def test_pay_from_her_gets_a_link_worded_for_the_person_paying(world, stripe_intents):
    world.phone.say("this is his girlfriend")
    reply = world.phone.say("PAY")
    assert PAY_LINK.search(reply), reply
    assert "make a payment for the account holder" in reply and "not saved" in reply
    assert_nothing_of_the_account(reply)
    assert world.phone.say("yes").count("$") == 0  # a YES charges nothing
    assert rows(Payment) == [] and stripe_intents() == []
    with db.session_scope() as session:
        assert [link.purpose for link in session.query(SecureLink)] == ["payer"]


def test_his_mom_paying_for_him_gets_the_link_at_once(world):
    reply = world.phone.say("im not jordan, this is his mom. i'll pay for him")
    assert PAY_LINK.search(reply), reply
    assert "account holder" in reply and "your own card, which is not saved" in reply
    assert_nothing_of_the_account(reply)
    assert_nothing_of_the_account(world.phone.say("how much is it"))


def test_a_payment_waiting_for_yes_is_canceled_once_someone_else_has_the_phone(
        world, stripe_intents):
    assert "Reply YES" in world.phone.say("pay 50")
    assert_nothing_of_the_account(world.phone.say("this is her husband"))
    assert_nothing_of_the_account(world.phone.say("yes"))
    assert [p.status for p in rows(Payment)] == ["canceled"]
    assert stripe_intents() == []


def test_link_and_a_card_number_send_no_page_of_the_account(world):
    world.phone.say("i'm his sister, he's at work")
    assert_nothing_of_the_account(reply := world.phone.say("LINK"))
    assert "http" not in reply
    warning = world.phone.say("4242 4242 4242 4242")
    assert "never text a card number" in warning and "http" not in warning


@pytest.mark.parametrize(("first", "then"), [
    ("soy su esposa, él está trabajando. cuánto debe", "SALDO"),
    ("no soy Jordan, soy su mamá", "cuánto debe mi hijo"),
    ("habla la novia de jordan, qué saldo tiene", "PAGAR 50"),
])  # fmt: skip
def test_in_spanish(make_world, first, then):
    world = make_world(language="es")
    reply = world.phone.say(first)
    assert "Solo podemos hablar de esta cuenta con el titular" in reply
    assert_nothing_of_the_account(reply)
    assert_nothing_of_the_account(world.phone.say(then))
    assert rows(Payment) == []


def test_su_mama_paga_por_el(make_world):
    world = make_world(language="es")
    reply = world.phone.say("no soy Jordan, soy su mamá. yo pago por él")
    assert PAY_LINK.search(reply), reply
    assert "hacer un pago por el titular" in reply and "titular." in reply
    assert_nothing_of_the_account(reply)


def test_not_jordan_then_no_to_wrong_number_still_tells_nothing(world):
    world.phone.say("i'm not jordan")
    world.phone.say("no")
    assert_nothing_of_the_account(world.phone.say("BALANCE"))


def test_a_collection_agency_does_not_tell_her_there_is_a_debt(world):
    with db.session_scope() as session:
        session.get(Dealer, world.dealer_id).collector_mode = "third_party"
    reply = world.phone.say("this is his wife, what does he owe")
    assert "account holder" in reply and "Reply STOP to opt out" in reply
    assert "debt collector" not in reply
    assert_nothing_of_the_account(reply)


def test_the_borrower_is_answered_as_usual_the_next_day(world, clock):
    world.phone.say("this is jordans girlfriend, he's at work")
    clock.advance(hours=11)
    assert_nothing_of_the_account(world.phone.say("BALANCE"))  # still her, still texting
    clock.advance(hours=11)
    assert_nothing_of_the_account(world.phone.say("BALANCE"))  # 22 h in, 11 h quiet
    clock.advance(days=1)
    reply = world.phone.say("BALANCE")
    assert "your balance is $1,200.00, with $250.00 due" in reply
    assert "Reply YES" in world.phone.say("pay 50")


def test_the_borrower_talking_about_family_is_not_affected(world):
    assert "Forward this link to the person paying" in world.phone.say("my mom is paying")
    assert "$1,200.00" in world.phone.say("BALANCE")
