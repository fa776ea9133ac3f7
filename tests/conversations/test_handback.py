"""What staff agree at hand-back becomes the bot's own record, and the bot keeps to it.

Through the real trained model and the signed webhook: the borrower escalates,
staff take the conversation over and hand it back (the dealer API) with what
was agreed; the borrower's next texts get replies that agree with it, and the
reminders skip it. Unless the borrower asks, a bot holding a promise asks for
no payment and offers no plan before the promised date.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot import consent, db
from bot.campaigns.reminders import send_due_reminders
from bot.models import (
    Borrower,
    ConsentChange,
    ConsentEvent,
    Dispute,
    Escalation,
    Installment,
    Plan,
    Promise,
)
from tests.conversations.helpers import local_moment, paused_because, rows

# A payment request or a plan offer, in any reply (the reply words PAY and PLAN, "Reply YES",
# "pay now", "split", "payment plan").
ASKS = re.compile(r"\bPAY\b|\bPLAN\b|(?i:reply yes|pay (it )?now|split|payment plan)")


def auth(world) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.api_key}"}


def held_by_staff(client, world, words: str = "I lost my job last week") -> int:
    """The borrower escalates by text and staff take the conversation over; its id."""
    world.phone.say(words)
    [escalation] = rows(Escalation)
    taken = client.post(f"/api/v1/escalations/{escalation.id}/takeover", headers=auth(world))
    assert taken.status_code == 200
    assert world.phone.text("can we work something out?") == []  # the bot is silent
    return escalation.id


def hand_back(client, world, escalation_id: int, agreement: dict, note: str = "") -> dict:
    response = client.post(f"/api/v1/escalations/{escalation_id}/handback",
                           json={"note": note, "agreement": agreement}, headers=auth(world))
    assert response.status_code == 200, response.json
    return response.json


@pytest.mark.dates
def test_after_a_promise_by_staff_the_bot_neither_asks_for_payment_nor_offers_a_plan(
        client, world, clock, twilio_fake):
    promised = clock.today() + timedelta(days=5)  # two days after the due date
    escalation_id = held_by_staff(client, world)
    answer = hand_back(client, world, escalation_id,
                       {"kind": "promise", "date": promised.isoformat(), "amount_cents": 15000},
                       note="spoke on the phone")
    assert answer["status"] == "resolved" and "Promise recorded: $150.00" in answer["note"]
    [promise] = rows(Promise)
    assert (promise.promised_date, promise.amount_cents, promise.status) == (
        promised, 15000, "open")

    day = f"{promised:%b} {promised.day}"
    replies = {text: world.phone.say(text) for text in (
        "ok thank you", "hi", "what's my balance", "ok", "purple banana umbrella",
        "I'm still having a really hard time")}
    for text, reply in replies.items():
        assert reply, f"no reply to {text!r}"  # never silent after hand-back
        assert not ASKS.search(reply), f"{text!r} got {reply!r}"
    assert "$150.00" in replies["hi"] and day in replies["hi"]  # the bot knows the promise
    assert f"You told us you'd pay $150.00 on {day}" in replies["what's my balance"]

    # Reminders before the promised date are skipped for it.
    due = world.account().due_date
    sent = send_due_reminders(db.new_session, local_moment(due, 10))
    assert sent.skipped == {"promise": 1} and sent.sent == 0
    assert twilio_fake.bodies_to(world.phone.number) == []

    # The borrower may still ask, and is answered as always.
    assert "Reply YES" in world.phone.say("I want to pay now")


def test_a_plan_agreed_at_hand_back_is_active_and_the_bot_names_its_next_payment(
        client, world):
    escalation_id = held_by_staff(client, world)
    answer = hand_back(client, world, escalation_id,
                       {"kind": "plan", "installments": 2, "frequency": "biweekly"})
    assert "Plan active: 2 biweekly payments ($125.00, $125.00)" in answer["note"]
    [plan] = rows(Plan)
    assert plan.status == "active"
    first = min(rows(Installment), key=lambda i: i.sequence)
    greeting = world.phone.say("hello")
    assert "$125.00" in greeting and f"{first.due_date:%b} {first.due_date.day}" in greeting
    assert not ASKS.search(greeting)
    assert paused_because(world.account_id) == "plan"


def test_no_texts_until_a_date_pauses_reminders_and_notices(client, world, clock):
    until = clock.today() + timedelta(days=10)
    escalation_id = held_by_staff(client, world, "can someone call me instead of texting")
    hand_back(client, world, escalation_id, {"kind": "pause", "until": until.isoformat()})
    with db.session_scope() as session:
        assert session.query(Borrower).one().texts_paused_until == until
    assert paused_because(world.account_id) == "paused"
    assert paused_because(world.account_id, until + timedelta(days=1)) is None
    assert not ASKS.search(world.phone.say("hi"))  # a text they send is still answered
    [entry] = [e for e in rows(ConsentEvent) if e.change == ConsentChange.PREFERENCE]
    assert (entry.source, entry.detail) == (consent.STAFF, f"paused until {until.isoformat()}")
    assert entry.evidence == "in a text conversation"


def test_a_pause_past_the_dealers_longest_is_refused_and_changes_nothing(client, world, clock):
    escalation_id = held_by_staff(client, world, "can someone call me instead of texting")
    too_far = clock.today() + timedelta(days=45)  # the dealer allows 30
    refused = client.post(f"/api/v1/escalations/{escalation_id}/handback",
                          json={"agreement": {"kind": "pause", "until": too_far.isoformat()}},
                          headers=auth(world))
    assert refused.status_code in (400, 422)
    assert "at most 30 days" in refused.get_data(as_text=True)
    with db.session_scope() as session:
        assert session.query(Borrower).one().texts_paused_until is None
    assert [e for e in rows(ConsentEvent) if e.change == ConsentChange.PREFERENCE] == []


def test_stop_collection_dispute_at_hand_back(client, world):
    escalation_id = held_by_staff(client, world, "that amount is wrong")
    hand_back(client, world, escalation_id, {"kind": "dispute"}, note="checking the ledger")
    [dispute] = rows(Dispute)
    assert dispute.status == "open" and "checking the ledger" in dispute.words
    assert paused_because(world.account_id) == "dispute"
    balance = world.phone.say("what's my balance")
    assert "under review" in balance and not ASKS.search(balance)


def test_an_agreement_that_does_not_fit_changes_nothing(client, world, clock):
    escalation_id = held_by_staff(client, world)
    too_far = clock.today() + timedelta(days=60)  # beyond the dealer's 14-day promise limit
    refused = client.post(f"/api/v1/escalations/{escalation_id}/handback", headers=auth(world),
                          json={"agreement": {"kind": "promise", "date": too_far.isoformat()}})
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "invalid_agreement"
    assert "at most 14 days" in refused.json["error"]["message"]
    assert rows(Promise) == []
    assert [e.status for e in rows(Escalation)] == ["taken_over"]  # still held
