"""Staff change a borrower's contact preferences on the account page after a call: the
page and the next reminder follow them, the consent record and the audit log say who
did it, a wish that cannot be honoured says why and changes nothing, and only the
dealer's own staff can do it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot import db
from bot.campaigns.reminders import send_due_reminders
from bot.models import (
    Account,
    AuditEntry,
    Borrower,
    ConsentEvent,
    Dealer,
    Reminder,
    ReminderStatus,
    ScheduleStep,
)
from tests.portal.conftest import STAFF
from tests.portal.support import add_user, sign_in, token

NEW_YORK = "America/New_York"


def _save(client, account_id: int, **fields: object):
    return client.post(f"/portal/accounts/{account_id}/preferences",
                       data={"csrf_token": token(client), **fields})


def _borrower(borrower_id: int) -> Borrower:
    with db.session_scope() as session:
        borrower = session.get(Borrower, borrower_id)
        session.expunge(borrower)
        return borrower


def _preference_entries(borrower_id: int) -> list[ConsentEvent]:
    with db.session_scope() as session:
        rows = list(session.execute(select(ConsentEvent).where(
            ConsentEvent.borrower_id == borrower_id, ConsentEvent.change == "preference")
            .order_by(ConsentEvent.id)).scalars())
        session.expunge_all()
        return rows


def _audit(dealer_id: int) -> list[tuple[str, str, int | None, str | None]]:
    with db.session_scope() as session:
        return [tuple(row) for row in session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.account_id,
                   AuditEntry.details).where(AuditEntry.dealer_id == dealer_id,
                                             AuditEntry.action == "contact_preferences_changed"))]


def _saturday_after_a_week(today: date) -> date:
    start = today + timedelta(days=8)
    return start + timedelta(days=(5 - start.weekday()) % 7)


@pytest.mark.dates
def test_a_window_and_days_staff_set_hold_the_next_reminder(as_staff, portal, clock,
                                                            twilio_fake):
    world = portal.world
    saturday = _saturday_after_a_week(clock.today())
    monday = saturday + timedelta(days=2)
    with db.session_scope() as session:
        session.get(Dealer, world.dealer_id).send_time = "17:00"
        session.add(ScheduleStep(dealer_id=world.dealer_id, offset_days=0,
                                 template="reminder_due"))
        session.get(Account, world.account_id).due_date = saturday
        session.get(Borrower, world.borrower_id).timezone = NEW_YORK

    saved = _save(as_staff, world.account_id, window_start="18:00", window_end="",
                  avoid=["5", "6"], language="any", paused_until="",
                  note="Called: only after 6, never at the weekend")
    assert saved.status_code == 302 and saved.location.endswith("#preferences")
    page = as_staff.get(saved.location).get_data(as_text=True)
    assert ("Contact preferences saved. Now: Texts only 6:00 pm to 9:00 pm their time; "
            "No texts on Sat, Sun.") in page
    for line in ("Texts only 6:00 pm to 9:00 pm their time", "No texts on Sat, Sun"):
        assert f"<li>{line}</li>" in page
    assert 'name="window_start" type="time" min="08:00" max="21:00" value="18:00"' in page

    # Saturday 17:00, the dealer's sending time, is a day they asked us to avoid: the
    # reminder waits for Monday at 18:00, the first moment inside their window.
    summary = send_due_reminders(db.new_session, clock.move_to(clock.local(saturday, 17)))
    assert summary.sent == 0 and summary.skipped == {"avoided_day": 1}
    with db.session_scope() as session:
        held = session.execute(select(Reminder).where(
            Reminder.account_id == world.account_id)).scalar_one()
        assert (held.status, held.send_after) == (ReminderStatus.DEFERRED,
                                                  clock.local(monday, 18))
    assert send_due_reminders(db.new_session,
                              clock.move_to(clock.local(monday, 17, minute=59))).sent == 0
    assert send_due_reminders(db.new_session, clock.move_to(clock.local(monday, 18))).sent == 1
    assert len(twilio_fake.bodies_to(world.phone.number)) == 1


def test_each_change_is_in_the_consent_record_and_the_audit_log(as_staff, portal, clock):
    world = portal.world
    pause = clock.today() + timedelta(days=10)
    saved = _save(as_staff, world.account_id, window_start="", window_end="",
                  avoid=["6"], language="es", paused_until=pause.isoformat(),
                  note="Spanish please, no texts on Sundays")
    assert saved.status_code == 302
    borrower = _borrower(world.borrower_id)
    assert (borrower.language, borrower.language_chosen, borrower.contact_avoid_days,
            borrower.texts_paused_until) == ("es", True, "sun", pause)

    [entry] = _preference_entries(world.borrower_id)
    assert (entry.source, entry.actor) == ("staff", STAFF)
    assert entry.detail == f"avoid sun; language es; paused until {pause.isoformat()}"
    assert entry.evidence.startswith("Spanish please, no texts on Sundays; console form: ")
    assert _audit(world.dealer_id) == [
        (STAFF, "contact_preferences_changed", world.account_id,
         f"days, language, pause -> {entry.detail}")]
    page = as_staff.get(f"/portal/accounts/{world.account_id}").get_data(as_text=True)
    assert "Staff (console) · recorded by sam@sunrise.example" in page
    assert "<li>Language: Spanish (their choice)</li>" in page

    # Clearing takes every preference away, and is recorded the same way.
    cleared = _save(as_staff, world.account_id, clear="all")
    assert cleared.status_code == 302
    page = as_staff.get(cleared.location).get_data(as_text=True)
    assert "Now: none (any legal hour, any day)." in page
    assert "None stated" in page
    borrower = _borrower(world.borrower_id)
    assert (borrower.language_chosen, borrower.contact_avoid_days,
            borrower.texts_paused_until) == (False, None, None)
    assert [e.detail for e in _preference_entries(world.borrower_id)][-1] == "no preferences"
    assert len(_audit(world.dealer_id)) == 2

    # The same form again changes nothing and records nothing.
    again = _save(as_staff, world.account_id, window_start="", window_end="",
                  language="any", paused_until="")
    assert "Contact preferences unchanged" in as_staff.get(again.location).get_data(
        as_text=True)
    assert len(_preference_entries(world.borrower_id)) == 2


@pytest.mark.parametrize(("fields", "message"), [
    ({"window_start": "19:00", "window_end": "18:00"},
     "Not saved: the window must end after it starts."),
    ({"window_start": "05:00", "window_end": "07:30"},
     "Not saved: the window must be inside the legal texting hours, 08:00 to 21:00 their "
     "time."),
    ({"paused_until": 45}, "Not saved: reminders may be paused for at most 30 days, until "),
    ({"paused_until": -1}, "Not saved: the pause must end on a date after today"),
    ({"paused_until": 0}, "Not saved: the pause must end on a date after today"),
])
def test_a_wish_that_cannot_be_honoured_says_why_and_changes_nothing(as_staff, portal, clock,
                                                                     fields, message):
    world = portal.world
    with db.session_scope() as session:
        borrower = session.get(Borrower, world.borrower_id)
        borrower.contact_avoid_days, borrower.timezone = "sun", NEW_YORK
    if isinstance(fields.get("paused_until"), int):
        fields = {"paused_until": (clock.today() + timedelta(days=fields["paused_until"]))
                  .isoformat()}
    form = {"window_start": "", "window_end": "", "language": "any", "paused_until": "",
            "avoid": ["5", "6"], "note": "asked on the phone", **fields}
    response = _save(as_staff, world.account_id, **form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    # The form shows what staff typed, to correct it.
    assert 'id="avoid-5" name="avoid" value="5" checked' in page
    assert "asked on the phone</textarea>" in page
    borrower = _borrower(world.borrower_id)
    assert (borrower.contact_window_start, borrower.contact_avoid_days,
            borrower.texts_paused_until) == (None, "sun", None)
    assert _preference_entries(world.borrower_id) == []
    assert _audit(world.dealer_id) == []


def test_another_dealers_staff_get_not_found(client, portal):
    world, other = portal.world, portal.other
    sign_in(client, add_user(other.dealer_id, "staff@other.example", "staff"))
    assert client.get(f"/portal/accounts/{world.account_id}").status_code == 404
    response = _save(client, world.account_id, window_start="18:00", avoid=["6"])
    assert response.status_code == 404
    # ...and the other way round.
    sign_in(client, portal.staff_id)
    assert _save(client, other.account_id, window_start="18:00").status_code == 404
    assert _borrower(world.borrower_id).contact_window_start is None
    assert _borrower(other.borrower_id).contact_window_start is None
    assert _preference_entries(world.borrower_id) == []


def test_a_form_without_its_csrf_token_is_refused(as_staff, portal):
    url = f"/portal/accounts/{portal.world.account_id}/preferences"
    for data in ({"window_start": "18:00"}, {"window_start": "18:00", "csrf_token": "forged"}):
        response = as_staff.post(url, data=data)
        assert response.status_code == 400
        assert "Form expired" in response.get_data(as_text=True)
    assert _borrower(portal.world.borrower_id).contact_window_start is None
    assert _preference_entries(portal.world.borrower_id) == []
