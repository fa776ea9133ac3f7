"""The words that carry an intent (bot/nlu/evidence.py): present in plain requests,
absent from texts that only look like them."""

from __future__ import annotations

import pytest

from bot.nlu.evidence import carries, guarded

CARRIED = [
    ("opt_out", "please stop texting me"), ("opt_out", "dont message this number again"),
    ("opt_out", "unsubscribe"), ("opt_out", "no me escriban mas"),
    ("opt_out", "dejen de mandarme mensajes"),
    ("dispute", "I don't owe this"), ("dispute", "the amount is wrong"),
    ("dispute", "you charged me twice"), ("dispute", "no debo eso"),
    ("dispute", "me cobraron de más"),
    ("wrong_number", "wrong number"), ("wrong_number", "this isn't Dana"),
    ("wrong_number", "no soy esa persona"), ("wrong_number", "número equivocado"),
    ("already_paid", "I already paid"), ("already_paid", "paid it yesterday at the lot"),
    ("already_paid", "ya pagué"), ("already_paid", "I zelled it to you"),
    ("hardship", "I lost my job"), ("hardship", "my wife is in the hospital"),
    ("hardship", "perdí mi trabajo"), ("hardship", "no tengo dinero"),
    ("arrange_plan", "can I split it"), ("arrange_plan", "3 payments please"),
    ("arrange_plan", "lo puedo pagar en partes"), ("arrange_plan", "50 every week"),
    ("promise_to_pay", "I get paid friday"), ("promise_to_pay", "me pagan el viernes"),
    ("request_human", "can I talk to a person"), ("request_human", "quiero hablar con alguien"),
    ("pay", "pay 150"), ("pay", "quiero pagar"),
    ("set_contact_preference", "text me after 6"),
    ("set_contact_preference", "no texts on weekends"),
    ("set_contact_preference", "only in spanish"),
    ("set_contact_preference", "pause reminders until the 15th"),
    ("set_contact_preference", "solo en español"),
    ("set_contact_preference", "no me manden mensajes los domingos"),
    ("set_contact_preference", "después de las seis"),
]
NOT_CARRIED = [
    ("opt_out", "text my wife that im running late"), ("opt_out", "delete the text from john"),
    ("opt_out", "<script>alert(1)</script>"), ("dispute", "why is the sky blue"),
    ("dispute", "that's not what we agreed"), ("wrong_number", "I'm not sure"),
    ("hardship", "things are hard"), ("already_paid", "ok"),
    ("request_human", "hello"), ("arrange_plan", "what's my balance"),
    ("set_contact_preference", "text me after work"),
    ("set_contact_preference", "text my wife that im running late"),
    ("set_contact_preference", "can you text me"),
]


@pytest.mark.parametrize(("intent", "text"), CARRIED)
def test_plain_requests_carry_their_intent(intent, text):
    assert carries(intent, text)


@pytest.mark.parametrize(("intent", "text"), NOT_CARRIED)
def test_texts_that_only_look_like_a_request_do_not(intent, text):
    assert not carries(intent, text)


def test_an_entity_can_carry_an_intent_but_an_invalid_amount_never_does():
    assert carries("promise_to_pay", "that day works", [{"entity": "date", "value": "friday"}])
    assert carries("pay", "do 40", [{"entity": "amount", "value": 4000}])
    assert not carries("pay", "do 0", [{"entity": "amount", "value": "invalid"}])


def test_only_state_changes_are_guarded():
    assert guarded("dispute") and guarded("opt_out")
    assert not guarded("check_balance") and not guarded("greet") and not guarded("affirm")
