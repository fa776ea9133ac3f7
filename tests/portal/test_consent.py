"""The consent ledger: every way consent is given or revoked is recorded with its exact words
or source, the confirmation sent and the time; the account page, the API and a CSV show it;
the dashboard proves that nothing was sent after a revocation."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from bot import consent, db
from bot.clock import utcnow
from bot.models import Borrower, ConsentEvent, Message
from bot.web.portal.dashboard import duration_text
from tests.portal.support import auth, sign_in, token
from tests.support.sms import signed_headers


def ledger(phone: str = "+15551230001") -> list[tuple[str, str, str | None, str | None]]:
    """(change, source, evidence, confirmation) of every entry for a phone, oldest first."""
    with db.session_scope() as session:
        return [(e.change, e.source, e.evidence, e.confirmation)
                for e in session.query(ConsentEvent).filter_by(phone=phone)
                .order_by(ConsentEvent.at, ConsentEvent.id)]


def test_stop_words_and_start_are_recorded_with_the_exact_text_and_confirmation(portal):
    phone = portal.world.phone
    [stopped] = phone.text("Stop.")
    phone.text("START")
    phone.say("please stop texting me")
    entries = ledger()
    assert entries[0] == ("revoked", "keyword", "Stop.", stopped)
    assert entries[1][:3] == ("restored", "keyword", "START")
    assert "START" not in (entries[1][3] or "") and entries[1][3]  # the confirmation sent
    assert entries[2][:3] == ("revoked", "words", "please stop texting me")
    assert "unsubscribed" in entries[2][3]
    assert phone.text("STOP") == []  # already revoked: nothing more sent or recorded
    assert len(ledger()) == 3


def test_consent_source_from_the_api_and_the_csv_import(client, portal):
    headers = auth(portal.other.api_key)
    created = client.post("/api/v1/accounts", headers=headers, json={
        "reference": "OT-2", "balance_cents": 1000,
        "borrower": {"name": "Ann", "phone": "+15551239001",
                     "consent_source": "signed contract 2026-03-01"}})
    assert created.status_code == 201
    body = ("reference,name,phone,balance,consent_source\n"
            "OT-3,Bea,+15551239002,10.00,credit application\n"
            "OT-4,Cal,+15551239003,10.00,\n")
    imported = client.post("/api/v1/accounts/import", data=body, headers={
        **headers, "Content-Type": "text/csv"})
    assert imported.json["created"] == 2
    assert ledger("+15551239001") == [("given", "api", "signed contract 2026-03-01", None)]
    assert ledger("+15551239002") == [("given", "import", "credit application", None)]
    assert ledger("+15551239003") == [("given", "import", "not stated", None)]


def test_a_carrier_21610_and_a_call_revoke_consent_in_the_ledger(client, portal, daytime):
    from bot.messaging.outbound import send_sms

    world = portal.world
    with db.session_scope() as session:
        sid = send_sms(session, session.get(Borrower, world.borrower_id), "Hello",
                       kind="notice").message_sid
    report = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "21610",
              "AccountSid": "ACtest"}
    client.post("/twilio/status", data=report, headers=signed_headers("/twilio/status", report))
    assert ledger() == [("revoked", "carrier", f"Twilio error 21610 on message {sid}", None)]
    world.phone.text("START")
    sign_in(client, portal.staff_id)
    logged = client.post(f"/portal/calls/{world.account_id}", data={
        "csrf_token": token(client), "outcome": "do_not_text",
        "note": "asked us to call, not text"})
    assert logged.status_code == 302
    change, source, evidence, confirmation = ledger()[-1]
    assert (change, source, confirmation) == ("revoked", "call", None)
    assert evidence == "by phone: asked us to call, not text"
    with db.session_scope() as session:
        assert session.get(Borrower, world.borrower_id).opted_out
        assert session.query(ConsentEvent).order_by(ConsentEvent.id.desc()).first().actor \
            == "sam@sunrise.example"


def test_the_ledger_is_append_only(portal):
    portal.world.phone.text("STOP")
    with db.session_scope() as session:
        entry = session.query(ConsentEvent).one()
        entry.evidence = "something else"
        with pytest.raises(consent.ConsentLedgerIsAppendOnly):
            session.flush()
        session.rollback()
        with pytest.raises(consent.ConsentLedgerIsAppendOnly):
            session.delete(session.query(ConsentEvent).one())
            session.flush()
        session.rollback()


def test_the_api_shows_a_numbers_ledger_and_exports_a_period(client, portal):
    portal.world.phone.text("STOP")
    headers = auth(portal.world.api_key)
    answer = client.get("/api/v1/consent?phone=(555) 123-0001", headers=headers)
    assert answer.status_code == 200
    assert answer.json["phone"] == "+15551230001" and answer.json["opted_out"] is True
    [event] = answer.json["events"]
    assert (event["change"], event["source"], event["evidence"]) == ("revoked", "keyword",
                                                                     "STOP")
    # Another dealer's borrower with the same number is not this dealer's business.
    theirs = client.get("/api/v1/consent?phone=+15551230001", headers=auth(portal.other.api_key))
    assert theirs.json == {"phone": "+15551230001", "opted_out": None, "events": []}
    assert client.get("/api/v1/consent?phone=nope", headers=headers).status_code == 400

    export = client.get("/api/v1/consent/export", headers=headers)
    assert export.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert [(r["phone"], r["borrower"], r["change"], r["evidence"]) for r in rows] == [
        ("+15551230001", "Dana Reyes", "revoked", "STOP")]
    assert "unsubscribed" in rows[0]["confirmation"]
    assert client.get("/api/v1/consent/export?from=2026-12-10&to=2026-12-01",
                      headers=headers).status_code == 400


def test_a_borrowers_words_cannot_become_a_spreadsheet_formula(client, portal):
    portal.world.phone.say("=HYPERLINK(\"http://evil.example\") stop texting me")
    export = client.get("/api/v1/consent/export", headers=auth(portal.world.api_key))
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert all(not r["evidence"].startswith("=") for r in rows)


def test_the_account_page_and_the_dashboard_show_the_ledger(client, portal):
    world = portal.world
    world.phone.text("STOP")
    sign_in(client, portal.admin_id)
    page = client.get(f"/portal/accounts/{world.account_id}").get_data(as_text=True)
    assert 'id="consent"' in page and "Keyword by text" in page and "“STOP”" in page
    assert "Confirmation sent:</small> “" in page
    board = client.get("/portal/dashboard?days=7").get_data(as_text=True)
    assert '<strong id="tile-revocations">1</strong>' in board
    assert '<span id="tile-longest">none</span>' in board  # only the confirmation went
    # A text that went out after the revocation anyway (as an earlier bug might send one).
    with db.session_scope() as session:
        session.add(Message(dealer_id=world.dealer_id, borrower_id=world.borrower_id,
                            direction="outbound", author="bot", kind="reminder", body="Hi",
                            to_number=world.phone.number, status="sent",
                            created_at=utcnow() + timedelta(hours=2)))
    board = client.get("/portal/dashboard?days=7").get_data(as_text=True)
    assert '<strong id="tile-sends-after">1</strong>' in board
    assert '<span id="tile-longest">2 h</span>' in board
    export = client.get("/portal/consent.csv")
    assert export.mimetype == "text/csv" and "STOP" in export.get_data(as_text=True)


@pytest.mark.parametrize(("seconds", "shown"), [
    (0, "none"), (42, "42 s"), (3 * 3600 + 600, "3 h 10 min"), (5 * 86400, "5 days")])
def test_how_long_reads(seconds, shown):
    assert duration_text(seconds) == shown


def test_only_the_ledger_changes_opted_out():
    """Every change of Borrower.opted_out goes through bot/consent.py, which records it."""
    import re
    from pathlib import Path

    assignment = re.compile(r"\.opted_out(?:_at)?\s*(?:,[^=\n]*)?=(?!=)")
    root = Path(__file__).resolve().parents[2] / "bot"
    offenders = [f"{path.relative_to(root)}:{number}"
                 for path in root.rglob("*.py") if path.name != "consent.py"
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if assignment.search(line)]
    assert offenders == []
