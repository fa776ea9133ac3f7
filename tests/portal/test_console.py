"""The staff console through its pages: queue, take over, reply, hand back."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from bot import db
from bot.clock import utcnow
from bot.models import Account, Borrower, Dealer, Escalation
from tests.portal.support import escalate, sign_in, token

# Staff replies go only inside texting hours; these tests are about what they do.
pytestmark = pytest.mark.usefixtures("daytime")


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": token(client), **data})


def _second_borrower(dealer_id: int, name: str = "Leo Brown",
                     phone: str = "+15551230005") -> tuple[int, int]:
    """Another borrower of the dealer with an account owing money: (borrower, account)."""
    with db.session_scope() as session:
        borrower = Borrower(dealer_id=dealer_id, name=name, phone=phone, language="en")
        session.add(borrower)
        session.flush()
        account = Account(dealer_id=dealer_id, borrower_id=borrower.id, reference="LN-9005",
                          balance_cents=90000, amount_due_cents=20000)
        session.add(account)
        session.flush()
        return borrower.id, account.id


def _open_every_hour(dealer_id: int) -> None:
    """Business hours around the clock, so the response clock is wall-clock time."""
    with db.session_scope() as session:
        session.get(Dealer, dealer_id).business_hours = "Mon-Sun 00:00-23:59"


def test_queue_has_one_row_per_borrower_with_every_reason_the_latest_text_and_the_clock(
        as_staff, portal):
    world = portal.world
    _open_every_hour(world.dealer_id)
    world.phone.text("I want to talk to a real person")  # the bot escalates (a person)
    late = escalate(world.dealer_id, world.borrower_id, world.account_id, "dispute", "not mine")
    escalate(world.dealer_id, world.borrower_id, world.account_id, "hardship", "lost my job")
    with db.session_scope() as session:
        session.get(Escalation, late).created_at = utcnow() - timedelta(minutes=95)
    leo, leo_account = _second_borrower(world.dealer_id)
    escalate(world.dealer_id, leo, leo_account, "human", "call me")
    page = as_staff.get("/portal/queue/rows").get_data(as_text=True)
    assert page.count("<tr ") == 2  # Dana's three escalations are one row
    dana_row, leo_row = page.split("<tr ")[1:]
    assert "Dana Reyes" in dana_row and "Leo Brown" in leo_row  # the longest waiting first
    for reason in ("Dispute", "Asked for a person", "Hardship"):
        assert reason in dana_row
    assert "I want to talk to a real person" in dana_row  # the borrower's latest text...
    assert "Latest: Bot" in dana_row  # ...and who wrote last (the bot answered it)
    assert 'class="overdue"' in dana_row and "Overdue</strong> 1 h 35 min" in dana_row
    assert "Overdue" not in leo_row  # the fresh one is within the 1 h target


def test_the_response_clock_counts_only_business_hours(as_staff, portal, clock):
    """Escalated on Friday evening after closing, looked at on Monday at 09:30: it has
    waited 30 minutes of business hours, not a weekend, and is not overdue."""
    world = portal.world
    friday = clock.today() + timedelta(days=(4 - clock.today().weekday()) % 7)
    escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
    with db.session_scope() as session:
        session.get(Dealer, world.dealer_id).business_hours = "Mon-Fri 09:00-18:00"
        session.get(Escalation, escalation_id).created_at = clock.local(friday, 20)
    clock.move_to(clock.local(friday + timedelta(days=3), 9, minute=30))
    row = as_staff.get("/portal/queue/rows").get_data(as_text=True)
    assert "30 min" in row and "Overdue" not in row
    clock.advance(minutes=61)
    assert "Overdue</strong> 1 h 31 min" in as_staff.get("/portal/queue/rows").get_data(
        as_text=True)


def test_queue_filters_by_reason_and_holder(as_staff, portal):
    world = portal.world
    mine = escalate(world.dealer_id, world.borrower_id, world.account_id, "hardship")
    escalate(world.dealer_id, world.borrower_id, world.account_id, "dispute")
    leo, leo_account = _second_borrower(world.dealer_id)
    escalate(world.dealer_id, leo, leo_account, "fallback")
    _post(as_staff, f"/portal/escalations/{mine}/takeover")  # takes Dana's conversation
    only_hardship = as_staff.get("/portal/queue/rows?reason=hardship").get_data(as_text=True)
    assert "Dana Reyes" in only_hardship and "Leo Brown" not in only_hardship
    held_by_me = as_staff.get("/portal/queue/rows?holder=mine").get_data(as_text=True)
    assert "Dana Reyes" in held_by_me and "Dispute" in held_by_me  # the whole conversation
    assert "Leo Brown" not in held_by_me
    nobody = as_staff.get("/portal/queue/rows?holder=unassigned").get_data(as_text=True)
    assert "Leo Brown" in nobody and "Dana Reyes" not in nobody
    by_name = as_staff.get("/portal/queue?holder=Sam+Ortiz").get_data(as_text=True)
    assert '<option value="Sam Ortiz" selected>' in by_name


def test_take_over_and_hand_back_act_on_every_escalation_of_the_borrower(as_staff, portal):
    from bot.audit import entries

    world = portal.world
    ids = [escalate(world.dealer_id, world.borrower_id, world.account_id, reason)
           for reason in ("hardship", "dispute", "fallback")]
    _post(as_staff, f"/portal/escalations/{ids[1]}/takeover")
    with db.session_scope() as session:
        assert {session.get(Escalation, i).status for i in ids} == {"taken_over"}
    # A reason that comes while Sam holds the conversation joins it.
    joined = escalate(world.dealer_id, world.borrower_id, world.account_id, "broken_promise")
    with db.session_scope() as session:
        assert (session.get(Escalation, joined).status,
                session.get(Escalation, joined).holder_name) == ("taken_over", "Sam Ortiz")
    _post(as_staff, f"/portal/escalations/{ids[0]}/handback", note="Talked it through")
    with db.session_scope() as session:
        assert {session.get(Escalation, i).status for i in [*ids, joined]} == {"resolved"}
        audited = [(e.action, e.details) for e in entries(session, world.dealer_id)]
    for escalation_id in ids:
        assert any(a == "take_over" and f"escalation {escalation_id} " in d for a, d in audited)
    for escalation_id in [*ids, joined]:
        assert any(a == "hand_back" and f"escalation {escalation_id} " in d for a, d in audited)
    transcript = as_staff.get(f"/portal/borrowers/{world.borrower_id}/transcript")
    assert transcript.get_data(as_text=True).count("Handed back to the bot") == 1


def test_take_over_reply_hand_back(as_staff, portal, twilio_fake):
    world = portal.world
    escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
    taken = _post(as_staff, f"/portal/escalations/{escalation_id}/takeover")
    assert taken.status_code == 302
    assert world.phone.text("are you there?") == []
    page = as_staff.get(f"/portal/escalations/{escalation_id}").get_data(as_text=True)
    assert "You hold this conversation" in page and "are you there?" in page
    sent = _post(as_staff, f"/portal/escalations/{escalation_id}/reply", text="Yes, Sam here.")
    assert sent.status_code == 302
    assert twilio_fake.bodies_to(world.phone.number) == ["Yes, Sam here."]
    _post(as_staff, f"/portal/escalations/{escalation_id}/handback", note="All sorted")
    with db.session_scope() as session:
        escalation = session.get(Escalation, escalation_id)
        assert (escalation.status, escalation.note) == ("resolved", "All sorted")
    transcript = as_staff.get(f"/portal/borrowers/{world.borrower_id}/transcript")
    text = transcript.get_data(as_text=True)
    assert "Sam Ortiz took over" in text and "All sorted" in text
    assert text.index("are you there?") < text.index("Yes, Sam here.") < text.index("All sorted")
    assert world.phone.text("what is my balance?")


def test_a_second_staff_member_cannot_take_a_held_conversation(app, as_staff, portal):
    from tests.portal.support import add_user

    world = portal.world
    escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
    _post(as_staff, f"/portal/escalations/{escalation_id}/takeover")
    kim = app.test_client()
    sign_in(kim, add_user(world.dealer_id, "kim@sunrise.example", "staff", "Kim Lee"))
    refused = _post(kim, f"/portal/escalations/{escalation_id}/takeover")
    page = kim.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Sam Ortiz is handling this conversation now." in page
    assert "Take over</button>" not in page and "Reply by SMS" not in page
    reply = _post(kim, f"/portal/escalations/{escalation_id}/reply", text="hi")
    assert reply.status_code == 409
    assert _post(kim, f"/portal/escalations/{escalation_id}/handback").status_code == 302
    with db.session_scope() as session:
        escalation = session.get(Escalation, escalation_id)
        assert (escalation.status, escalation.holder_name) == ("taken_over", "Sam Ortiz")


def test_an_admin_may_release_someone_elses_conversation(app, as_staff, portal):
    world = portal.world
    escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
    _post(as_staff, f"/portal/escalations/{escalation_id}/takeover")
    admin = app.test_client()
    sign_in(admin, portal.admin_id)
    _post(admin, f"/portal/escalations/{escalation_id}/handback", note="Sam went home")
    with db.session_scope() as session:
        assert session.get(Escalation, escalation_id).status == "resolved"


def test_a_reply_to_an_opted_out_borrower_is_blocked_with_a_clear_message(as_staff, portal,
                                                                       twilio_fake):
    world = portal.world
    escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
    _post(as_staff, f"/portal/escalations/{escalation_id}/takeover")
    world.phone.text("STOP")
    response = _post(as_staff, f"/portal/escalations/{escalation_id}/reply",
                     text="Please call us back")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Not sent: Dana Reyes texted STOP" in page
    assert ">Please call us back</textarea>" in page  # the text is kept for another try
    assert twilio_fake.bodies_to(world.phone.number) == []


def _zone_where_it_is_night() -> str:
    """An Etc/GMT zone where it is between 01:00 and 05:00 right now."""
    now = utcnow().replace(tzinfo=timezone.utc)
    for offset in range(-12, 15):
        local_hour = (now + timedelta(hours=offset)).hour
        if 1 <= local_hour <= 5:
            return f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"
    raise AssertionError("some zone is always at night")


def test_a_reply_in_quiet_hours_is_blocked_and_says_when_it_may_go(as_staff, portal,
                                                                  twilio_fake):
    world = portal.world
    escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
    with db.session_scope() as session:
        session.get(Borrower, world.borrower_id).timezone = _zone_where_it_is_night()
    _post(as_staff, f"/portal/escalations/{escalation_id}/takeover")
    response = _post(as_staff, f"/portal/escalations/{escalation_id}/reply", text="Hello")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Not sent: it is outside texting hours where Dana Reyes is" in page
    assert "It may go from" in page
    assert twilio_fake.bodies_to(world.phone.number) == []


def test_quick_replies_are_filled_in_for_the_borrower(as_staff, portal):
    world = portal.world
    with db.session_scope() as session:
        session.get(Dealer, world.dealer_id).quick_replies = [
            "Hi {first_name}, you owe {amount_due} on {reference}."]
    escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
    _post(as_staff, f"/portal/escalations/{escalation_id}/takeover")
    page = as_staff.get(f"/portal/escalations/{escalation_id}").get_data(as_text=True)
    reference = f"LN-{world.borrower_id:04d}"
    assert f'data-quick-reply="Hi Dana, you owe $250.00 on {reference}."' in page


def test_segment_counter_endpoint(as_staff):
    response = as_staff.post("/portal/segments", json={"text": "x" * 161},
                             headers={"X-CSRFToken": token(as_staff)})
    assert response.json == {"segments": 2, "encoding": "GSM-7", "units": 161}
    emoji = as_staff.post("/portal/segments", json={"text": "ok 👍"},
                          headers={"X-CSRFToken": token(as_staff)})
    assert emoji.json["encoding"] == "UCS-2"


def test_every_console_action_is_audited(as_staff, portal):
    from bot.audit import entries

    world = portal.world
    escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
    _post(as_staff, f"/portal/escalations/{escalation_id}/takeover")
    _post(as_staff, f"/portal/escalations/{escalation_id}/reply", text="Hi")
    _post(as_staff, f"/portal/escalations/{escalation_id}/handback")
    with db.session_scope() as session:
        rows = [(e.actor, e.action, e.account_id) for e in entries(session, world.dealer_id)]
    assert rows == [("sam@sunrise.example", action, world.account_id)
                    for action in ("hand_back", "reply", "take_over")]
