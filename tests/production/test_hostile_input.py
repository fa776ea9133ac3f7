"""Hostile and broken input on /twilio/sms, and per-number caps against SMS pumping.

Property-based (hypothesis): whatever a signed request carries - empty or
1,600+ character bodies, emoji, right-to-left text, control characters, SQL
and Jinja injection, unknown or malformed numbers - the answer is never a
5xx, never a stack trace, and never another borrower's data.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import db
from bot.messaging.outbound import SendRefused, send_sms
from bot.models import Borrower, Message
from bot.phones import to_e164
from bot.settings import get_settings, set_settings
from tests.support.sms import DEALER_NUMBER, signed_headers, sms_form

DANA = "+15551230001"
MIGUEL = "+15551230002"
# Written with escapes: Arabic-Indic and full-width digits look like ours but are not.
ARABIC_PAY_150 = "\u0627\u062f\u0641\u0639 \u0661\u0665\u0660 \u062f\u0648\u0644\u0627\u0631"
FULLWIDTH_DANA = "".join(chr(0xFF10 + int(d)) for d in DANA[1:])
NASTY = [
    "", " ", "\x00", "pay 50\x00; DROP TABLE payments;--", "'; DELETE FROM accounts; --",
    "{{ config }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "{% for x in () %}",
    "${7*7} #{7*7} <%= 7*7 %>", "<script>alert(1)</script>", "]]></Message><Message>hi",
    "\u202epay 5000\u202c", ARABIC_PAY_150, "שלם 150", "💸💸💸 pay 💳", "\u200b\u200d\ufeff",
    "a" * 1600, "pay " + "9" * 1700, "\r\n\t\x0b\x0c\x1b[31m", "%s%s%n%x", "\\u0000",
    "what is the balance of +15551230002", "balance LN-0002",
]
NUMBERS = [DANA, "+15559998888", "", "abc", "+1", "++15551230001", "+15551230001\x00",
           FULLWIDTH_DANA, "+1 (555) 123-0001", "5551230001", "+999999999999999999",
           "+15551230002" + "0" * 40]
bodies = st.one_of(st.sampled_from(NASTY), st.text(max_size=300),
                   st.text(st.characters(min_codepoint=0, max_codepoint=0x2FFFF,
                                         blacklist_categories=("Cs",)), max_size=1800))
numbers = st.one_of(st.sampled_from(NUMBERS), st.text(max_size=25))
sids = st.one_of(st.none(), st.text(max_size=80), st.just("SM" + "0" * 32))


@pytest.fixture
def two_borrowers(make_world):
    """Dana (the fuzzer's victim) and Miguel, whose details must never leak."""
    dana = make_world(phone=DANA)
    miguel = make_world(phone=MIGUEL, balance_cents=345678, amount_due_cents=12345)
    with db.session_scope() as session:
        session.get(Borrower, miguel.borrower_id).name = "Miguel Torres"
    set_settings(get_settings().with_overrides(inbound_texts_per_minute=100_000))
    return dana, miguel


def miguels_details(miguel) -> list[str]:
    account = miguel.account()
    return ["Miguel", account.reference, "$3,456.78", "$123.45", MIGUEL[-4:] + " "]


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=bodies, sender=numbers, sid=sids, to_dealer=st.booleans())
def test_any_signed_text_gets_twiml_and_never_an_error_or_someone_elses_data(
        client, two_borrowers, body, sender, sid, to_dealer):
    dana, miguel = two_borrowers
    form = sms_form(sender, body, to=DEALER_NUMBER if to_dealer else "+15557770000")
    form["MessageSid"] = sid if sid is not None else form["MessageSid"]
    response = client.post("/twilio/sms", data=form, headers=signed_headers("/twilio/sms", form))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and 'File "' not in text
    replies = [m.text or "" for m in ET.fromstring(text).iter("Message")]  # noqa: S314
    joined = " ".join(replies)
    assert not any(detail in joined for detail in miguels_details(miguel))
    if to_e164(sender) != DANA:  # "(555) 123-0001" is Dana's number written another way
        assert dana.account().reference not in joined


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, sender=numbers, forged=st.sampled_from(["", "bad", "signature"]))
def test_an_unsigned_or_forged_request_is_403_and_nothing_is_stored(client, world, body, sender,
                                                                   forged):
    form = sms_form(sender, body)
    headers = {"X-Twilio-Signature": forged} if forged else {}
    assert client.post("/twilio/sms", data=form, headers=headers).status_code == 403
    with db.session_scope() as session:
        assert session.query(Message).count() == 0


def test_a_flood_from_one_number_is_stored_but_not_answered_and_logged_once_each(
        world, make_world, caplog):
    set_settings(get_settings().with_overrides(inbound_texts_per_minute=3))
    replies = [world.phone.text(f"what's my balance {i}") for i in range(5)]
    assert all(replies[:3]) and replies[3:] == [[], []]
    with db.session_scope() as session:
        stored = session.query(Message).filter_by(direction="inbound").count()
    assert stored == 5  # staff still see every text
    other = make_world(phone="+15551230009")
    assert other.phone.say("what's my balance")  # another number is not affected
    lines = [r for r in caplog.records if "rate limit" in r.getMessage()]
    assert len(lines) == 2
    assert all(r.levelname == "WARNING" and "***0001" in r.getMessage() for r in lines)
    assert not any(DANA in r.getMessage() for r in lines)


def test_no_number_is_texted_over_and_over(world, twilio_fake, caplog):
    set_settings(get_settings().with_overrides(outbound_texts_per_hour=3))
    noon_in_new_york = datetime(2026, 12, 2, 17, 0)
    with db.session_scope() as session:
        borrower = session.get(Borrower, world.borrower_id)
        for i in range(3):
            send_sms(session, borrower, f"notice {i}", kind="notice", at=noon_in_new_york)
        with pytest.raises(SendRefused) as refused:
            send_sms(session, borrower, "one too many", kind="notice", at=noon_in_new_york)
    assert refused.value.reason == "number_cap"
    assert twilio_fake.bodies_to(DANA) == ["notice 0", "notice 1", "notice 2"]
    log = " ".join(r.getMessage() for r in caplog.records)
    assert "outbound rate limit" in log and "***0001" in log and DANA not in log
