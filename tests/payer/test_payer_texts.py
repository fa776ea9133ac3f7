"""Asking for someone else to pay, by text, through the real model: a link to forward,
and "pay" / "I'll pay" still mean the borrower pays."""

from __future__ import annotations

import pytest

from bot import db
from bot.models import Payment, SecureLink
from tests.payer.conftest import payer_path


@pytest.mark.parametrize("text", [
    "my mom is paying", "my brother will pay this month", "my wife is going to pay it",
    "can my dad pay for me", "someone else is going to pay this time"])
def test_someone_else_paying_gets_a_link_to_forward(world, text, stripe_intents):
    reply = world.phone.say(text)
    assert "Forward this link to the person paying on LN-" in reply
    assert "not saved on your account" in reply and "expires in a day" in reply
    payer_path(reply)
    assert stripe_intents() == []
    with db.session_scope() as session:
        assert session.query(Payment).count() == 0  # nothing offered, nothing changed
        assert [link.purpose for link in session.query(SecureLink)] == ["payer"]


@pytest.mark.parametrize("text", ["mi hermano va a pagar", "mi mamá va a pagar este mes"])
def test_in_spanish_the_link_comes_in_spanish(make_world, text):
    world = make_world(language="es")
    reply = world.phone.say(text)
    assert "Reenvie este enlace a la persona que va a pagar la cuenta" in reply
    assert "vence en un dia" in reply
    payer_path(reply)


@pytest.mark.parametrize("text", ["pay", "I'll pay", "i will pay now", "quiero pagar"])
def test_the_borrower_paying_is_still_the_pay_prompt(world, text):
    reply = world.phone.say(text)
    assert "/pay/" not in reply
    assert "Reply YES" in reply or "Responda SI" in reply


def test_nothing_owed_gets_no_link(make_world):
    world = make_world(balance_cents=0, amount_due_cents=0)
    reply = world.phone.say("my mom is paying")
    assert "/pay/" not in reply
    with db.session_scope() as session:
        assert session.query(SecureLink).count() == 0
