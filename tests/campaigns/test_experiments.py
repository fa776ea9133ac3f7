"""A reminder experiment end to end: the dealer starts it through the API, `textpay
send-reminders` shares a wave between two wordings, borrowers answer one wording by
paying (through the signed webhook, the real model and the Stripe emulator), and three
days later the next wave goes mostly to the wording that got paid."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot import db
from bot.models import Account, Reminder
from tests.conftest import card_in_emulator
from tests.portal.support import add_user, sign_in
from tests.support.sms import Phone

DUE = date(2026, 12, 1)  # a Tuesday
PLAIN = "{{ first_name }}, {{ amount_due }} is due today. Reply PAY. Reply STOP to opt out."
FRIENDLY = ("Hi {{ first_name }}! Quick one from {{ dealer_name }}: {{ amount_due }} is due "
            "today. Just reply PAY and we'll take care of it. Reply STOP to opt out.")
WAVE = 20


def send_reminders(settings, *args: str) -> dict:
    """`textpay send-reminders --json` as cron runs it (the clock comes from TEXTPAY_NOW)."""
    env = {**os.environ, "DATABASE_URL": settings.database_url,
           "TWILIO_API_BASE": settings.twilio_api_base, "TWILIO_ACCOUNT_SID": "ACtest",
           "TWILIO_AUTH_TOKEN": settings.twilio_auth_token, "REDIS_URL": "",
           "STRIPE_SECRET_KEY": settings.stripe_secret_key,
           "STRIPE_API_BASE": settings.stripe_api_base}
    textpay = str(Path(sys.executable).with_name("textpay"))
    result = subprocess.run([textpay, "send-reminders", "--json", *args], capture_output=True,
                            text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def add_wave(shop, first: int, due: date) -> list[str]:
    """WAVE borrowers with a card on file, all due on `due`; their phones."""
    phones = []
    for n in range(first, first + WAVE):
        phone = f"+1212555{n:04d}"
        account_id = shop.add_account(f"LN-{n}", phone, zone="America/New_York", due=due,
                                      name=f"Borrower{n} Test")
        customer, method = card_in_emulator("4242424242424242", f"Borrower {n}")
        with db.session_scope() as session:
            account = session.get(Account, account_id)
            account.stripe_customer_id, account.stripe_payment_method_id = customer, method
            account.card_brand, account.card_last4 = "Visa", "4242"
        phones.append(phone)
    return phones


@pytest.fixture
def experiment(client, shop) -> dict:
    # Only the due-day reminder, so each wave is exactly the accounts due that day.
    schedule = client.put("/api/v1/schedule", headers=shop.headers(), json={
        "steps": [{"offset_days": 0, "template": "reminder_due"}], "send_time": "10:00"})
    assert schedule.status_code == 200
    response = client.post("/api/v1/experiments", headers=shop.headers(), json={
        "kind": "reminder_due", "name": "Plain or friendly",
        "variants": [{"label": "Plain", "body_en": PLAIN},
                     {"label": "Friendly", "body_en": FRIENDLY}]})
    assert response.status_code == 201, response.json
    return response.json


def test_a_two_variant_experiment_learns_which_wording_gets_paid(
        client, shop, experiment, clock, twilio_fake, settings, stripe_intents):
    first = add_wave(shop, 1000, DUE)
    clock.move_to(clock.local(DUE, 10))  # the due-day step, 10:00 in New York
    wave_one = send_reminders(settings)
    assert wave_one["sent"] == WAVE
    shares = wave_one["variants"]["reminder_due"]
    assert sum(shares.values()) == WAVE
    assert min(shares.get("Plain", 0), shares.get("Friendly", 0)) >= 4  # nothing known yet

    # Each borrower got exactly the wording the experiment gave them...
    friendly_phones = []
    for phone in first:
        [body] = twilio_fake.bodies_to(phone)
        assert body.startswith("Hi ") or body.startswith("Borrower")
        if body.startswith("Hi "):
            friendly_phones.append(phone)
    assert len(friendly_phones) == shares["Friendly"]
    # ...and the friendly ones answer it by paying, by text.
    clock.advance(minutes=20)
    for phone in friendly_phones:
        assert "Reply YES" in Phone(client, phone).say("pay")
        assert "TP" in Phone(client, phone).say("yes")
    assert len([i for i in stripe_intents() if i.status == "succeeded"]) == len(friendly_phones)

    # Before the 3 days are over, nothing is settled: the experiment has not learnt yet.
    stats = client.get("/api/v1/stats", headers=shop.headers()).json
    [running] = stats["experiments"]
    by_label = {v["label"]: v for v in running["variants"]}
    assert by_label["Friendly"]["paid_within_3_days"] == len(friendly_phones)
    assert by_label["Friendly"]["collected_cents"] == 25000 * len(friendly_phones)
    assert by_label["Friendly"]["settled"] == 0

    # Four days later the next wave is due: Friendly was paid every time, Plain never.
    second = add_wave(shop, 2000, DUE + timedelta(days=4))
    clock.move_to(clock.local(DUE + timedelta(days=4), 10))
    wave_two = send_reminders(settings)
    assert wave_two["sent"] == WAVE
    assert wave_two["variants"]["reminder_due"].get("Friendly", 0) >= WAVE * 0.75
    friendly_now = [p for p in second if twilio_fake.bodies_to(p)[0].startswith("Hi ")]
    assert len(friendly_now) == wave_two["variants"]["reminder_due"]["Friendly"]

    stats = client.get("/api/v1/stats", headers=shop.headers()).json
    by_label = {v["label"]: v for v in stats["experiments"][0]["variants"]}
    friendly, plain = by_label["Friendly"], by_label["Plain"]
    assert friendly["sent"] == shares["Friendly"] + len(friendly_now)
    assert friendly["settled"] == shares["Friendly"] and plain["settled"] == shares["Plain"]
    assert friendly["probability_best"] > 0.99 > plain["probability_best"]
    assert friendly["posterior_mean"] > 0.8 > 0.2 > plain["posterior_mean"]
    low, high = friendly["interval_90"]
    assert low < friendly["posterior_mean"] < high
    with db.session_scope() as session:
        assert session.query(Reminder).filter(Reminder.variant_id.is_(None)).count() == 0

    # The dashboard shows the same numbers to the dealer.
    page = dashboard(client, shop)
    assert "Plain or friendly" in page and "Friendly" in page
    title = page[page.index("<title>"):page.index("</title>")]
    assert "Dashboard" in title and "<section" not in title


def dashboard(client, shop) -> str:
    sign_in(client, add_user(shop.dealer_id, "admin@sunrise.test", "admin"))
    return client.get("/portal/dashboard").get_data(as_text=True)


def test_equal_split_and_stop_through_the_api(client, shop, experiment, clock, settings):
    url = f"/api/v1/experiments/{experiment['id']}"
    changed = client.patch(url, headers=shop.headers(), json={"allocation": "equal"})
    assert changed.status_code == 200 and changed.json["allocation"] == "equal"
    add_wave(shop, 3000, DUE)
    clock.move_to(clock.local(DUE, 10))
    assert send_reminders(settings)["variants"] == {"reminder_due": {"Friendly": 10,
                                                                     "Plain": 10}}
    stopped = client.patch(url, headers=shop.headers(), json={"status": "stopped"})
    assert stopped.json["status"] == "stopped"
    add_wave(shop, 4000, DUE + timedelta(days=4))
    clock.move_to(clock.local(DUE + timedelta(days=4), 10))
    summary = send_reminders(settings)
    assert summary["sent"] == WAVE and "variants" not in summary


@pytest.mark.parametrize(("body", "problem"), [
    ("{{ first_name }}, pay {{ amount_due }} today.", "no opt-out instruction"),
    ("Pay at bit.ly/x today. Reply STOP to opt out.", "link shortener"),
    ("Reply CANCEL to skip. Reply STOP to opt out.", "opts the number out"),
    ("{{ first_nme }} Reply STOP to opt out.", "unknown variable"),
])
def test_a_variant_must_pass_the_compliance_checks(client, shop, body, problem):
    response = client.post("/api/v1/experiments", headers=shop.headers(), json={
        "kind": "reminder_due", "variants": [{"label": "A", "body_en": PLAIN},
                                             {"label": "B", "body_en": body}]})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_experiment"
    assert "variant B (en)" in response.json["error"]["message"]
    assert problem in response.json["error"]["message"]


def test_one_running_experiment_per_reminder_kind(client, shop, experiment):
    again = client.post("/api/v1/experiments", headers=shop.headers(), json={
        "kind": "reminder_due", "variants": [{"label": "A", "body_en": PLAIN},
                                             {"label": "B", "body_en": FRIENDLY}]})
    assert again.status_code == 400 and "already running" in again.json["error"]["message"]
