"""LINK / MENU / ENLACE and "my account" / "ver mi cuenta" bring a single-use link to the
self-service page, through the signed webhook and the real trained model; never to a
number said to be the wrong one."""

from __future__ import annotations

import pytest

from bot import db
from bot.models import Borrower, PaymentClaim, SecureLink
from tests.self_service.support import link_path
from tests.support.sms import Phone


def links_made() -> int:
    with db.session_scope() as session:
        return session.query(SecureLink).filter_by(purpose="self_service").count()


@pytest.mark.parametrize("word", ["LINK", "link", "Menu", "menú.", "ENLACE"])
def test_the_keywords_bring_a_link(world, word):
    reply = world.phone.say(word)
    assert link_path(reply).startswith("/me/")
    assert "works once, for 24 hours" in reply


def test_a_new_link_on_every_request(world):
    first, second = world.phone.say("LINK"), world.phone.say("LINK")
    assert link_path(first) != link_path(second)
    assert links_made() == 2


@pytest.mark.parametrize("text", ["my account", "can you send me the link to my account",
                                  "i need a new link"])
def test_asking_in_words_brings_a_link(world, text):
    assert "/me/" in link_path(world.phone.say(text))


@pytest.mark.parametrize("text", ["quiero ver mi cuenta", "ver mi cuenta", "mándame el enlace"])
def test_asking_in_spanish_brings_a_spanish_link_text(make_world, text):
    world = make_world(language="es")
    reply = world.phone.say(text)
    assert link_path(reply)
    assert "Esta es la pagina de su cuenta" in reply  # GSM-7: the accent is dropped


def test_a_wrong_number_gets_no_link(world):
    with db.session_scope() as session:
        session.get(Borrower, world.borrower_id).wrong_number = True
    assert world.phone.text("LINK") == []
    assert world.phone.text("send me the link to my account") == []
    assert links_made() == 0


def test_an_unknown_number_gets_no_link(client, world):
    stranger = Phone(client, "+15557654321")
    assert "/me/" not in stranger.say("LINK")
    assert links_made() == 0


def test_an_opted_out_number_gets_no_link(world):
    world.phone.text("STOP")
    assert world.phone.text("LINK") == []
    assert links_made() == 0


def test_link_is_not_an_answer_to_an_open_payment_question(world, stripe_intents):
    world.phone.text("pay 50")
    assert link_path(world.phone.say("LINK"))
    assert stripe_intents() == []  # asking for the link charged nothing


def test_asking_for_the_link_is_not_taken_as_the_answer_to_an_open_question(world):
    assert "?" in world.phone.say("I already paid this")  # "When and how did you pay?"
    assert link_path(world.phone.say("can you send me the link to my account"))
    with db.session_scope() as session:
        assert session.query(PaymentClaim).count() == 0
