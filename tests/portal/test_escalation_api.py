"""The escalation contract of DESIGN.md through the REST API: list, take over (the bot
goes silent), reply by SMS (opt-out: 409), hand back (the bot answers again), transcript."""

from __future__ import annotations

import pytest

from bot import db
from bot.audit import entries
from bot.collection import TAKEN_OVER, pause_reason
from bot.models import Account, Borrower, Escalation
from tests.portal.support import add_user, auth, escalate, make_other_dealer

# Staff replies go only inside texting hours; these tests are about what they do.
pytestmark = pytest.mark.usefixtures("daytime")


def _open(world, reason: str = "human") -> int:
    return escalate(world.dealer_id, world.borrower_id, world.account_id, reason)


def test_list_shows_open_escalations_oldest_first(client, world):
    first = _open(world, "dispute")
    second = _open(world, "hardship")
    response = client.get("/api/v1/escalations?status=open", headers=auth(world.api_key))
    assert response.status_code == 200
    rows = response.json["escalations"]
    assert [r["id"] for r in rows] == [first, second]
    assert set(rows[0]) >= {"id", "account_id", "reason", "status", "created_at"}
    assert rows[0]["account_id"] == world.account_id and rows[0]["reason"] == "dispute"
    assert rows[0]["status"] == "open" and rows[0]["created_at"].endswith("Z")


def test_a_borrower_asking_for_a_person_appears_in_the_open_list(client, world):
    world.phone.text("I want to talk to a real person")
    rows = client.get("/api/v1/escalations?status=open",
                      headers=auth(world.api_key)).json["escalations"]
    assert [r["reason"] for r in rows] == ["human"]
    assert rows[0]["account_id"] == world.account_id


def test_takeover_silences_the_bot_and_pauses_reminders(client, world, twilio_fake):
    escalation_id = _open(world)
    response = client.post(f"/api/v1/escalations/{escalation_id}/takeover",
                           headers=auth(world.api_key))
    assert response.status_code == 200 and response.json["status"] == "taken_over"
    assert world.phone.text("what is my balance?") == []  # stored, never answered by the bot
    transcript = client.get(f"/api/v1/accounts/{world.account_id}/messages",
                            headers=auth(world.api_key)).json["messages"]
    assert transcript[-1]["body"] == "what is my balance?"
    assert (transcript[-1]["direction"], transcript[-1]["author"]) == ("inbound", "borrower")
    with db.session_scope() as session:
        account = session.get(Account, world.account_id)
        assert pause_reason(session, account, account.due_date) == TAKEN_OVER
    assert twilio_fake.bodies_to(world.phone.number) == []


def test_staff_message_goes_by_sms_and_joins_the_transcript(client, world, twilio_fake):
    escalation_id = _open(world)
    client.post(f"/api/v1/escalations/{escalation_id}/takeover", headers=auth(world.api_key))
    response = client.post(f"/api/v1/escalations/{escalation_id}/messages",
                           headers=auth(world.api_key), json={"text": "Hi Dana, this is Sam."})
    assert response.status_code == 201, response.json
    assert twilio_fake.bodies_to(world.phone.number) == ["Hi Dana, this is Sam."]
    last = client.get(f"/api/v1/accounts/{world.account_id}/messages",
                      headers=auth(world.api_key)).json["messages"][-1]
    assert (last["direction"], last["author"], last["body"]) == \
        ("outbound", "staff", "Hi Dana, this is Sam.")


def test_message_to_an_opted_out_borrower_is_409_and_not_sent(client, world, twilio_fake):
    escalation_id = _open(world)
    world.phone.text("STOP")
    response = client.post(f"/api/v1/escalations/{escalation_id}/messages",
                           headers=auth(world.api_key), json={"text": "Please call us"})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "opted_out"
    assert twilio_fake.bodies_to(world.phone.number) == []


def test_handback_resolves_and_the_bot_answers_again(client, world):
    escalation_id = _open(world)
    client.post(f"/api/v1/escalations/{escalation_id}/takeover", headers=auth(world.api_key))
    assert world.phone.text("hello?") == []
    response = client.post(f"/api/v1/escalations/{escalation_id}/handback",
                           headers=auth(world.api_key), json={"note": "explained the fee"})
    assert response.status_code == 200
    assert (response.json["status"], response.json["note"]) == ("resolved", "explained the fee")
    assert world.phone.text("what is my balance?")  # the bot answers again
    open_rows = client.get("/api/v1/escalations?status=open",
                           headers=auth(world.api_key)).json["escalations"]
    assert escalation_id not in [r["id"] for r in open_rows]


def test_transcript_is_whole_and_oldest_first(client, world):
    world.phone.text("hi")
    escalation_id = _open(world)
    client.post(f"/api/v1/escalations/{escalation_id}/messages", headers=auth(world.api_key),
                json={"text": "A person here."})
    messages = client.get(f"/api/v1/accounts/{world.account_id}/messages",
                          headers=auth(world.api_key)).json["messages"]
    assert messages[0]["body"] == "hi" and messages[0]["author"] == "borrower"
    assert messages[1]["author"] == "bot"
    assert messages[-1]["body"] == "A person here." and messages[-1]["author"] == "staff"
    stamps = [m["created_at"] for m in messages]
    assert stamps == sorted(stamps)
    assert all(set(m) >= {"direction", "body", "author", "created_at"} for m in messages)


def test_a_conversation_held_by_staff_cannot_be_taken_over_by_the_api(client, world):
    from bot.audit import Actor
    from bot.console.takeover import take_over

    escalation_id = _open(world)
    user_id = add_user(world.dealer_id, "sam@sunrise.example", "staff", "Sam Ortiz")
    with db.session_scope() as session:
        take_over(session, session.get(Escalation, escalation_id),
                  actor=Actor("sam@sunrise.example", "Sam Ortiz", user_id))
    response = client.post(f"/api/v1/escalations/{escalation_id}/takeover",
                           headers=auth(world.api_key))
    assert response.status_code == 409
    assert "Sam Ortiz" in response.json["error"]["message"]
    reply = client.post(f"/api/v1/escalations/{escalation_id}/messages",
                        headers=auth(world.api_key), json={"text": "hi"})
    assert reply.status_code == 409 and reply.json["error"]["code"] == "conflict"


def test_every_api_action_is_in_the_audit_log(client, world):
    escalation_id = _open(world)
    for path, body in (("takeover", None), ("messages", {"text": "hello"}),
                       ("handback", {"note": "done"})):
        client.post(f"/api/v1/escalations/{escalation_id}/{path}", headers=auth(world.api_key),
                    json=body)
    with db.session_scope() as session:
        actions = [(e.action, e.account_id) for e in entries(session, world.dealer_id)]
        actors = {e.actor for e in entries(session, world.dealer_id)}
    assert actions == [("hand_back", world.account_id), ("reply", world.account_id),
                       ("take_over", world.account_id)]
    assert actors == {f"api-key:{world.api_key[:12]}"}


def test_another_dealers_escalations_and_transcripts_are_404(client, world):
    other = make_other_dealer()
    key = auth(world.api_key)
    assert other.escalation_id not in [
        r["id"] for r in client.get("/api/v1/escalations", headers=key).json["escalations"]]
    for method, path, body in (
            ("get", f"/api/v1/escalations/{other.escalation_id}", None),
            ("post", f"/api/v1/escalations/{other.escalation_id}/takeover", None),
            ("post", f"/api/v1/escalations/{other.escalation_id}/messages", {"text": "x"}),
            ("post", f"/api/v1/escalations/{other.escalation_id}/handback", None),
            ("get", f"/api/v1/accounts/{other.account_id}/messages", None)):
        response = getattr(client, method)(path, headers=key, json=body)
        assert response.status_code == 404, (path, response.status_code)
        assert response.json["error"]["code"] == "not_found"
    with db.session_scope() as session:
        assert session.get(Escalation, other.escalation_id).status == "open"
        assert session.get(Borrower, other.borrower_id).opted_out is False


def test_invalid_requests_are_400(client, world):
    escalation_id = _open(world)
    key = auth(world.api_key)
    assert client.get("/api/v1/escalations?status=everything", headers=key).status_code == 400
    for body in ({}, {"text": ""}, {"text": 5}, {"text": "x" * 1601}):
        response = client.post(f"/api/v1/escalations/{escalation_id}/messages", headers=key,
                               json=body)
        assert response.status_code == 400, body
    lone_surrogate = client.post(f"/api/v1/escalations/{escalation_id}/messages",
                                 data='{"text": "hi \\ud800"}', headers={
                                     **key, "Content-Type": "application/json"})
    assert lone_surrogate.status_code == 400
    assert client.get("/api/v1/escalations").status_code == 401


def test_control_characters_never_reach_the_borrower_or_the_database(client, world,
                                                                    twilio_fake):
    escalation_id = _open(world)
    response = client.post(f"/api/v1/escalations/{escalation_id}/messages",
                           headers=auth(world.api_key), json={"text": "a\u0000b\u0007c"})
    assert response.status_code == 201 and response.json["body"] == "abc"
    assert twilio_fake.bodies_to(world.phone.number) == ["abc"]
