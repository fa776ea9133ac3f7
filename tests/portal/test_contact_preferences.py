"""Staff see a borrower's contact preferences on the account page and in the API, and the
consent record shows each change with the borrower's words and what it set."""

from __future__ import annotations

from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

from bot import db
from bot.clock import utcnow
from bot.contact_preferences import DAYS
from bot.models import Borrower
from tests.campaigns.conftest import midday_zone
from tests.portal.support import auth, escalate, sign_in, token


def _ask(portal) -> None:
    portal.world.phone.say("Text me after 6pm please, and not on weekends")
    portal.world.phone.say("solo en español")


def test_the_account_page_shows_the_preferences_and_each_change(client, portal):
    world = portal.world
    sign_in(client, portal.staff_id)
    before = client.get(f"/portal/accounts/{world.account_id}").get_data(as_text=True)
    assert "Contact preferences</dt><dd class=\"contact-preferences\">\n      None stated" \
        in before
    _ask(portal)
    page = client.get(f"/portal/accounts/{world.account_id}").get_data(as_text=True)
    for line in ("Texts only 6:00 pm to 9:00 pm their time", "No texts on Sat, Sun",
                 "Language: Spanish (their choice)"):
        assert f"<li>{line}</li>" in page
    assert page.count('class="consent-preference"') == 2
    assert "“Text me after 6pm please, and not on weekends”" in page
    assert "<small>Now:</small> window 18:00-21:00; avoid sat,sun; language es" in page
    assert "De acuerdo: le escribiremos en español." in page  # the confirmation sent


def test_the_api_shows_the_preferences_and_the_ledger_entries(client, portal):
    _ask(portal)
    headers = auth(portal.world.api_key)
    account = client.get(f"/api/v1/accounts/{portal.world.account_id}", headers=headers).json
    assert account["borrower"]["language"] == "es"
    assert account["borrower"]["contact_preferences"] == {
        "window_start": "18:00", "window_end": "21:00", "avoid_days": ["sat", "sun"],
        "language_chosen": True, "paused_until": None}
    history = client.get("/api/v1/consent?phone=+15551230001", headers=headers).json
    changes = [(e["change"], e["source"], e["detail"]) for e in history["events"]]
    assert changes[-2:] == [
        ("preference", "words", "window 18:00-21:00; avoid sat,sun"),
        ("preference", "words", "window 18:00-21:00; avoid sat,sun; language es")]
    export = client.get("/api/v1/consent/export", headers=headers).get_data(as_text=True)
    assert "window 18:00-21:00; avoid sat,sun; language es" in export


def test_the_dealer_sets_the_longest_pause_a_borrower_may_ask_for(as_admin, portal, clock):
    page = as_admin.get("/portal/settings").get_data(as_text=True)
    assert 'name="max_pause_days" type="number" value="30"' in page
    saved = as_admin.post("/portal/settings/plans", data={
        "csrf_token": token(as_admin), "plan_max_installments": "4", "plan_min_installment": "25",
        "plan_max_days": "60", "plan_frequencies": ["weekly"], "promise_max_days": "14",
        "max_pause_days": "7"})
    assert saved.status_code == 302
    reply = portal.world.phone.say("please pause the reminders for 3 weeks")
    assert "longest pause we can set (7 days)" in reply
    with db.session_scope() as session:
        paused = session.get(Borrower, portal.world.borrower_id).texts_paused_until
    assert paused == clock.today() + timedelta(days=7)


def test_a_staff_reply_on_a_day_they_asked_us_to_avoid_says_so(as_staff, portal, twilio_fake):
    world = portal.world
    zone = midday_zone()
    today = utcnow().replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone)).weekday()
    with db.session_scope() as session:
        borrower = session.get(Borrower, world.borrower_id)
        borrower.timezone, borrower.contact_avoid_days = zone, DAYS[today]
    escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
    page = as_staff.get(f"/portal/escalations/{escalation_id}").get_data(as_text=True)
    assert "outside the hours or days they asked for" in page
    as_staff.post(f"/portal/escalations/{escalation_id}/takeover",
                  data={"csrf_token": token(as_staff)})
    response = as_staff.post(f"/portal/escalations/{escalation_id}/reply",
                             data={"csrf_token": token(as_staff), "text": "Hello"})
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Not sent: Dana Reyes asked to be texted this way: No texts on" in text
    assert "It may go from" in text
    assert twilio_fake.bodies_to(world.phone.number) == []


def test_a_language_the_borrower_chose_outlasts_the_dealers_next_upload(client, portal):
    portal.world.phone.say("solo en español")
    created = client.post("/api/v1/accounts", headers=auth(portal.world.api_key), json={
        "reference": "LN-NEW", "balance_cents": 5000,
        "borrower": {"name": "Dana Reyes", "phone": "+15551230001", "language": "en"}})
    assert created.status_code == 201
    assert created.json["borrower"]["language"] == "es"
    body = "reference,name,phone,balance,language\nLN-CSV,Dana Reyes,+15551230001,10.00,en\n"
    imported = client.post("/api/v1/accounts/import", data=body, headers={
        **auth(portal.world.api_key), "Content-Type": "text/csv"})
    assert imported.status_code == 200
    with db.session_scope() as session:
        assert session.get(Borrower, portal.world.borrower_id).language == "es"
