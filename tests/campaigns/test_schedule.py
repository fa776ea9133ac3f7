"""The schedule through the API and the CLI: steps, every skip reason, the weekly cap."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot import db
from bot.campaigns.reminders import send_due_reminders
from bot.models import Escalation, Plan, Promise

DUE = date(2026, 12, 1)


def ten_am_new_york(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=15)


def test_schedule_api_round_trip_and_validation(client, shop):
    shown = client.get("/api/v1/schedule", headers=shop.headers()).json
    assert shown["default"] is True and shown["send_time"] == "10:00"
    steps = [{"offset_days": 0, "template": "reminder_due"},
             {"offset_days": -3, "template": "reminder_upcoming"},
             {"offset_days": 5, "template": "reminder_overdue"}]
    saved = client.put("/api/v1/schedule", headers=shop.headers(),
                       json={"steps": steps, "send_time": "09:30"})
    assert saved.status_code == 200, saved.json
    assert saved.json["steps"][0] == {"offset_days": -3, "template": "reminder_upcoming"}
    assert (saved.json["send_time"], saved.json["default"]) == ("09:30", False)
    for bad, says in [({"steps": steps, "send_time": "22:00"}, "between 08:00 and 21:00"),
                      ({"steps": [{"offset_days": 0, "template": "receipt"}]}, "template"),
                      ({"steps": [*steps, {"offset_days": 0, "template": "reminder_due"}]},
                       "two steps on day 0"),
                      ({"steps": []}, "non-empty"),
                      ({"steps": [{"offset_days": "3", "template": "reminder_due"}]},
                       "offset_days")]:
        response = client.put("/api/v1/schedule", headers=shop.headers(), json=bad)
        assert response.status_code == 400, bad
        assert says in response.json["error"]["message"]
    assert client.get("/api/v1/schedule", headers=shop.headers()).json["send_time"] == "09:30"


def test_every_skip_reason_is_counted(shop, twilio_fake):
    zone = {"zone": "America/New_York", "due": DUE}
    shop.add_account("LN-ok", "+12125550120", **zone)
    shop.add_account("LN-wrong", "+12125550121", wrong_number=True, **zone)
    shop.add_account("LN-paid", "+12125550122", amount_due_cents=0, **zone)
    promised = shop.add_account("LN-promise", "+12125550123", **zone)
    planned = shop.add_account("LN-plan", "+12125550124", **zone)
    held = shop.add_account("LN-staff", "+12125550125", **zone)
    with db.session_scope() as session:
        session.add(Promise(dealer_id=shop.dealer_id, account_id=promised,
                            promised_date=DUE + timedelta(days=4)))
        session.add(Plan(dealer_id=shop.dealer_id, account_id=planned, status="active",
                         total_cents=25000, frequency="weekly", installment_count=2))
        from bot.models import Account

        session.add(Escalation(dealer_id=shop.dealer_id, account_id=held, reason="human",
                               borrower_id=session.get(Account, held).borrower_id,
                               status="taken_over"))
    summary = send_due_reminders(db.new_session, ten_am_new_york(DUE))
    assert summary.as_json() == {"sent": 1, "skipped": {
        "paid": 1, "plan": 1, "promise": 1, "taken_over": 1, "wrong_number": 1}}
    assert [m["To"] for m in twilio_fake.sent] == ["+12125550120"]


def test_the_weekly_cap_holds_back_a_fourth_reminder(client, shop, twilio_fake):
    client.put("/api/v1/schedule", headers=shop.headers(), json={"steps": [
        {"offset_days": -3, "template": "reminder_upcoming"},
        {"offset_days": -1, "template": "reminder_upcoming"},
        {"offset_days": 0, "template": "reminder_due"},
        {"offset_days": 2, "template": "reminder_overdue"}]})
    shop.add_account("LN-1", "+12125550130", zone="America/New_York", due=DUE)
    sent = [send_due_reminders(db.new_session, ten_am_new_york(DUE + timedelta(days=offset)))
            .as_json() for offset in (-3, -1, 0, 2)]
    assert [s["sent"] for s in sent] == [1, 1, 1, 0]
    assert sent[3]["skipped"] == {"weekly_cap": 1}
    shop.update(reminder_cap_per_week=4)
    assert send_due_reminders(db.new_session, ten_am_new_york(DUE + timedelta(days=2))).sent == 1
    bodies = twilio_fake.bodies_to("+12125550130")
    assert "due December 1" in bodies[0] and "was due December 1" in bodies[3]


@pytest.mark.parametrize("as_json", [True, False])
def test_cli_send_reminders_prints_the_summary(shop, twilio_fake, settings, as_json):
    shop.add_account("LN-1", "+12125550140", zone="America/New_York", due=DUE)
    shop.add_account("LN-2", "+12125550141", zone="America/New_York", due=DUE, opted_out=True)
    shop.add_account("LN-3", "+13105550142", zone="America/New_York", due=DUE)
    env = {**os.environ, "DATABASE_URL": settings.database_url,
           "TWILIO_API_BASE": settings.twilio_api_base, "TWILIO_ACCOUNT_SID": "ACtest",
           "TWILIO_AUTH_TOKEN": settings.twilio_auth_token, "REDIS_URL": ""}
    textpay = str(Path(sys.executable).with_name("textpay"))
    command = [textpay, "send-reminders", "--dealer", str(shop.dealer_id),
               "--at", "2026-12-01T10:00:00-05:00"] + (["--json"] if as_json else [])
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    if as_json:
        assert json.loads(result.stdout) == {"sent": 1, "skipped": {"opted_out": 1,
                                                                    "quiet_hours": 1}}
    else:
        assert "sent 1 reminders at 2026-12-01 15:00 UTC" in result.stdout
        assert "1 opted_out, 1 quiet_hours" in result.stdout
    assert [m["To"] for m in twilio_fake.sent] == ["+12125550140"]
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 0 and len(twilio_fake.sent) == 1
