"""Importing accounts from CSV: upsert by reference, bad rows reported, re-import is a no-op."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from bot import db
from bot.campaigns.imports import import_csv
from bot.models import Account, Borrower, Dealer, Reminder

GOOD_AND_BAD = """reference,name,phone,balance,amount_due,due_date,language,timezone
LN-1,Dana Reyes,(212) 555-0101,"1,200.50",250,2026-12-01,en,America/New_York
LN-2,Luis Ortega,310.555.0102,$980,98.76,2026-12-01,es,
LN-3,Ana Ruiz,12345,100,10,2026-12-01,en,
LN-4,Sam Lee,+1 415 555 0104,lots,10,2026-12-01,en,
LN-5,Kim Park,+1 415 555 0105,100,10,31/12/2026,en,
LN-6,Jo Fox,+1 415 555 0106,100,10,12/31/2026,en,
LN-7,Al Roy,+1 415 555 0107,100,10,,fr,
LN-8,Bo Lin,+1 415 555 0108,100,10,,en,Mars/Base
LN-1,Dana Twice,(212) 555-0101,5,5,,en,
,No Reference,+1 415 555 0109,100,10,,en,
LN-11,Cy Dee,+1 415 555 0110,-5,0,,en,
LN-12,Ed Moe,+1 415 555 0111,100,10.005,,en,
"""


def post_csv(client, shop, text):
    return client.post("/api/v1/accounts/import", headers={**shop.headers(),
                       "Content-Type": "text/csv"}, data=text.encode())


def test_import_keeps_good_rows_and_reports_every_bad_one(client, shop):
    response = post_csv(client, shop, GOOD_AND_BAD)
    assert response.status_code == 200, response.json
    report = response.json
    assert (report["created"], report["updated"], report["unchanged"]) == (3, 0, 0)
    reasons = {e["line"]: e["reason"] for e in report["errors"]}
    assert sorted(reasons) == [4, 5, 6, 8, 9, 10, 11, 12, 13]
    assert "phone: not a phone number: '12345'" in reasons[4]
    assert "balance: not an amount of money: 'lots'" in reasons[5]
    assert "due_date: not a date" in reasons[6]
    assert "language: must be en or es" in reasons[8]
    assert "timezone: unknown time zone 'Mars/Base'" in reasons[9]
    assert "reference: 'LN-1' is already on line 2" in reasons[10]
    assert "reference: missing" in reasons[11]
    assert "balance: must be from 0" in reasons[12]
    assert "amount_due: not an amount in dollars and cents: '10.005'" in reasons[13]
    with db.session_scope() as session:
        dana = session.query(Account).filter_by(reference="LN-1").one()
        assert (dana.balance_cents, dana.amount_due_cents) == (120050, 25000)
        assert dana.borrower.phone == "+12125550101"
        assert dana.borrower.timezone == "America/New_York"
        assert dana.borrower.phone_zones == "America/New_York"
        assert session.query(Account).filter_by(reference="LN-6").one().due_date == \
            date(2026, 12, 31)
        luis = session.query(Account).filter_by(reference="LN-2").one()
        assert (luis.amount_due_cents, luis.borrower.language) == (9876, "es")
        # Each new account's welcome is planned (sent within quiet hours).
        assert session.query(Reminder).filter_by(template="welcome").count() == 3


def test_reimporting_the_same_file_changes_nothing_and_changes_are_upserted(client, shop):
    first = post_csv(client, shop, GOOD_AND_BAD).json
    with db.session_scope() as session:
        stamps = {a.reference: a.updated_at for a in session.query(Account)}
    again = post_csv(client, shop, GOOD_AND_BAD).json
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert again["errors"] == first["errors"]
    with db.session_scope() as session:
        assert {a.reference: a.updated_at for a in session.query(Account)} == stamps
        assert session.query(Reminder).filter_by(template="welcome").count() == 3
    changed = GOOD_AND_BAD.replace('"1,200.50",250', '"1,000.50",250')
    third = post_csv(client, shop, changed).json
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 2)
    with db.session_scope() as session:
        assert session.query(Account).filter_by(reference="LN-1").one().balance_cents == 100050


def test_a_file_without_the_required_columns_is_refused(client, shop):
    response = post_csv(client, shop, "ref,who\nLN-1,Dana\n")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_csv"
    assert "missing column(s): reference, name, phone, balance" in \
        response.json["error"]["message"]


def test_ten_thousand_rows_import_in_one_pass(client, shop):
    """Every row lands, in one pass (the speed is measured by `make bench`, not here)."""
    lines = ["reference,name,phone,balance,amount_due,due_date"]
    lines += [f"LN-{i},Borrower {i},+1212555{i:04d},\"1,{i % 1000:03d}.00\",250.00,2026-12-01"
              for i in range(10_000)]
    with db.session_scope() as session:
        dealer = session.get(Dealer, shop.dealer_id)
        report = import_csv(session, dealer, "\n".join(lines))
    assert (report.created, report.errors) == (10_000, [])
    with db.session_scope() as session:
        assert session.query(Borrower).count() == 10_000


def test_cli_import_prints_counts_and_bad_lines(client, shop, settings, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text(GOOD_AND_BAD)
    env = {**os.environ, "DATABASE_URL": settings.database_url,
           "TWILIO_API_BASE": settings.twilio_api_base, "TWILIO_ACCOUNT_SID": "ACtest",
           "TWILIO_AUTH_TOKEN": settings.twilio_auth_token, "REDIS_URL": ""}
    textpay = str(Path(sys.executable).with_name("textpay"))
    result = subprocess.run([textpay, "import", str(path), "--dealer", str(shop.dealer_id),
                             "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["created"] == 3 and len(report["errors"]) == 9
    human = subprocess.run([textpay, "import", str(path), "--dealer", str(shop.dealer_id)],
                           capture_output=True, text=True, env=env, timeout=120)
    assert "0 created, 0 updated, 3 unchanged, 9 rows with errors" in human.stdout
    assert "line 4: phone: not a phone number" in human.stdout
    missing = subprocess.run([textpay, "import", str(path), "--dealer", "999"],
                             capture_output=True, text=True, env=env, timeout=120)
    assert missing.returncode != 0 and "no dealer 999" in missing.stderr
