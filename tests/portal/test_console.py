"""The staff console through its pages: queue, take over, reply, hand back."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from bot import db
from bot.clock import utcnow
from bot.models import Borrower, Dealer, Escalation
from tests.portal.support import escalate, sign_in, token

# Staff replies go only inside texting hours; these tests are about what they do.
pytestmark = pytest.mark.usefixtures("daytime")


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": token(client), **data})


def test_queue_lists_oldest_first_with_reason_last_text_and_overdue_clock(as_staff, portal):
    world = portal.world
    world.phone.text("I want to talk to a real person")
    late = escalate(world.dealer_id, world.borrower_id, world.account_id, "dispute", "not mine")
    with db.session_scope() as session:
        session.get(Escalation, late).created_at = utcnow() - timedelta(minutes=95)
    assert "Dispute" in as_staff.get("/portal/queue").get_data(as_text=True)
    page = as_staff.get("/portal/queue/rows").get_data(as_text=True)
    dispute_at, human_at = page.index("Dispute</span>"), page.index("Asked for a person")
    assert dispute_at < human_at  # oldest first
    assert "I want to talk to a real person" in page  # the borrower's last text
    assert 'class="overdue"' in page and "Overdue</strong> 1 h 35 min" in page
    assert page.count("Overdue</strong>") == 1  # the fresh one is within the 1 h target


def test_queue_filters_by_reason_and_holder(as_staff, portal):
    world = portal.world
    mine = escalate(world.dealer_id, world.borrower_id, world.account_id, "hardship")
    escalate(world.dealer_id, world.borrower_id, world.account_id, "dispute")
    _post(as_staff, f"/portal/escalations/{mine}/takeover")
    only_hardship = as_staff.get("/portal/queue/rows?reason=hardship").get_data(as_text=True)
    assert "Hardship" in only_hardship and "Dispute" not in only_hardship
    held_by_me = as_staff.get("/portal/queue/rows?holder=mine").get_data(as_text=True)
    assert "Hardship" in held_by_me and "Dispute" not in held_by_me
    nobody = as_staff.get("/portal/queue/rows?holder=unassigned").get_data(as_text=True)
    assert "Dispute" in nobody and "Hardship" not in nobody
    by_name = as_staff.get("/portal/queue?holder=Sam+Ortiz").get_data(as_text=True)
    assert '<option value="Sam Ortiz" selected>' in by_name


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
