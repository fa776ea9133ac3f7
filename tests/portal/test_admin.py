"""The dealer portal's admin pages: settings, API keys, templates, import, audit,
dashboard, users, and the account list's segments."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot import db
from bot.audit import AuditLogIsAppendOnly, entries
from bot.models import Account, ApiKey, AuditEntry, Borrower, Dealer, MessageTemplate, Promise
from tests.portal.support import auth, sign_in, token
from tests.support.clock import today

GENERAL = {"collector_mode": "first_party", "minimum_payment": "20.00",
           "business_hours": "Mon-Fri 08:00-17:00; Sat 09:00-12:00",
           "response_target_minutes": "30", "survey_enabled": "on",
           "quick_replies": "Hi {first_name}!\nCall us at 555-0100."}


def _post(client, path: str, data: dict | None = None, **kwargs):
    return client.post(path, data={"csrf_token": token(client), **(data or {})}, **kwargs)


def _dealer(portal) -> Dealer:
    with db.session_scope() as session:
        dealer = session.get(Dealer, portal.world.dealer_id)
        session.expunge(dealer)
        return dealer


def test_general_settings_save_and_are_audited(as_admin, portal):
    response = _post(as_admin, "/portal/settings/general", GENERAL)
    assert response.status_code == 302
    dealer = _dealer(portal)
    assert dealer.minimum_payment_cents == 2000 and dealer.response_target_minutes == 30
    assert dealer.survey_enabled is True
    assert dealer.quick_replies == ["Hi {first_name}!", "Call us at 555-0100."]
    with db.session_scope() as session:
        entry = entries(session, portal.world.dealer_id, action="settings_changed")[0]
        assert "minimum_payment_cents: 1000 -> 2000" in entry.details
        assert entry.actor == "admin@sunrise.example"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("business_hours", "weekdays 9 to 5", "cannot read"),
    ("minimum_payment", "ten dollars", "enter an amount like 25.00"),
    ("response_target_minutes", "0", "from 5 to"),
])
def test_a_wrong_setting_is_shown_beside_its_field_and_nothing_changes(as_admin, portal,
                                                                      field, value, message):
    response = _post(as_admin, "/portal/settings/general", {**GENERAL, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error" role="alert">' in page and message in page
    assert f'aria-describedby="{field}-error"' in page
    assert _dealer(portal).minimum_payment_cents == 1000  # the whole section is refused


def test_texting_hours_can_only_be_tightened(as_admin, portal):
    wider = _post(as_admin, "/portal/settings/sending",
                  {"sending_from": "07:00", "sending_until": "20:00",
                   "reminder_cap_per_week": "3"})
    assert wider.status_code == 400 and "not go before 08:00" in wider.get_data(as_text=True)
    tighter = _post(as_admin, "/portal/settings/sending",
                    {"sending_from": "09:00", "sending_until": "20:00",
                     "reminder_cap_per_week": "2"})
    assert tighter.status_code == 302
    dealer = _dealer(portal)
    assert (dealer.quiet_end, dealer.quiet_start, dealer.reminder_cap_per_week) == \
        ("09:00", "20:00", 2)


def test_plan_rules_and_schedule(as_admin, portal):
    plans = _post(as_admin, "/portal/settings/plans", {
        "plan_max_installments": "6", "plan_min_installment": "40", "plan_max_days": "90",
        "plan_frequencies": ["weekly", "monthly"], "promise_max_days": "10"})
    assert plans.status_code == 302
    dealer = _dealer(portal)
    assert (dealer.plan_max_installments, dealer.plan_min_installment_cents,
            dealer.plan_frequencies) == (6, 4000, "weekly,monthly")
    schedule = _post(as_admin, "/portal/settings/schedule", {
        "send_time": "11:30", "offset_days": ["-2", "1", ""],
        "template": ["reminder_upcoming", "reminder_overdue", ""]})
    assert schedule.status_code == 302
    api = as_admin.get("/api/v1/schedule", headers=auth(portal.world.api_key)).json
    assert api["send_time"] == "11:30"
    assert api["steps"] == [{"offset_days": -2, "template": "reminder_upcoming"},
                            {"offset_days": 1, "template": "reminder_overdue"}]
    wrong = _post(as_admin, "/portal/settings/schedule", {
        "send_time": "23:30", "offset_days": ["0"], "template": ["reminder_due"]})
    assert wrong.status_code == 400 and "send_time must be between" in wrong.get_data(
        as_text=True)


def test_api_keys_are_shown_once_and_can_be_revoked(as_admin, portal):
    created = _post(as_admin, "/portal/settings/api-keys", {"label": "DMS sync"})
    page = created.get_data(as_text=True)
    assert created.status_code == 201 and "shown only this once" in page
    key = page.split('id="new-key" readonly value="')[1].split('"')[0]
    assert as_admin.get("/api/v1/escalations", headers=auth(key)).status_code == 200
    assert key not in as_admin.get("/portal/settings").get_data(as_text=True)
    with db.session_scope() as session:
        key_id = session.query(ApiKey.id).filter_by(label="DMS sync").scalar()
    assert _post(as_admin, f"/portal/settings/api-keys/{key_id}/revoke").status_code == 302
    assert as_admin.get("/api/v1/escalations", headers=auth(key)).status_code == 401
    with db.session_scope() as session:
        actions = [e.action for e in entries(session, portal.world.dealer_id)]
    assert actions[:2] == ["api_key_revoked", "api_key_created"]


def test_saving_an_invalid_template_shows_the_error_inline(as_admin, portal):
    response = _post(as_admin, "/portal/templates/reminder_due/en",
                     {"body": "Hi {{ nickname }}! Reply STOP to opt out."})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Line 1: there is no variable called nickname." in page  # in plain words
    assert ">Hi {{ nickname }}! Reply STOP to opt out.</textarea>" in page  # kept for fixing
    assert "41 characters in the template" in page  # still counted while wrong
    with db.session_scope() as session:
        assert session.query(MessageTemplate).count() == 0


@pytest.mark.parametrize(("body", "words"), [
    ("Hi {{ first name }}!\nReply STOP to opt out.",
     "Line 1: a {{ … }} should hold one variable name, like {{ first_name }}."),
    ("Hi {{ first_name }}!\n{% if days_overdue %}You are late. Reply STOP to opt out.",
     "Line 2: an {% if %} is never closed: put {% endif %} after the words it decides on."),
    ("Hi!\nReply STOP.\n{{ balance|replace('$', '') }}", "Line 3: the filter |replace"),
    ("Hi {{ first_nme }}", "Line 1: there is no variable called first_nme. Did you mean "
                           "first_name?"),
])
def test_template_errors_are_explained_in_plain_words_at_their_line(as_admin, body, words):
    response = as_admin.post("/portal/templates/preview", json={"body": body},
                             headers={"X-CSRFToken": token(as_admin)})
    assert response.status_code == 400
    assert response.json["error"].startswith(words)
    assert "expected token" not in response.json["error"]
    line = response.json["error_line"]
    assert response.json["error_line_text"] == body.splitlines()[line - 1].strip()
    assert response.json["characters"] == len(body) and response.json["text"] == ""


def test_restoring_the_built_in_text(as_admin, portal):
    own = "Hi {{ first_name }}, pay today. Reply STOP to opt out."
    _post(as_admin, "/portal/templates/reminder_due/en", {"body": own})
    page = as_admin.get("/portal/templates/reminder_due/en").get_data(as_text=True)
    assert own in page and "Restore the built-in text" in page
    restored = _post(as_admin, "/portal/templates/reminder_due/en/reset", {})
    assert restored.status_code == 302
    page = as_admin.get("/portal/templates/reminder_due/en").get_data(as_text=True)
    assert "the built-in text is back" in page and own not in page
    assert "is due today" in page  # the shipped text is shown again
    with db.session_scope() as session:
        assert session.query(MessageTemplate).count() == 0
        latest = next(iter(entries(session, portal.world.dealer_id)))
        assert latest.action == "template_reset"


def test_saving_a_template_and_previewing_it_on_an_account(as_admin, portal):
    body = "Hi {{ first_name }}, {{ amount_due }} due for {{ reference }}. Reply STOP to opt out."
    assert _post(as_admin, "/portal/templates/reminder_due/es", {"body": body}).status_code == 302
    reference = f"LN-{portal.world.borrower_id:04d}"
    preview = as_admin.post("/portal/templates/preview", headers={"X-CSRFToken": token(as_admin)},
                            json={"body": body, "language": "en",
                                  "account_id": portal.world.account_id})
    assert preview.status_code == 200
    assert preview.json["text"] == f"Hi Dana, $250.00 due for {reference}. Reply STOP to opt out."
    assert (preview.json["segments"], preview.json["encoding"]) == (1, "GSM-7")
    warning = as_admin.post("/portal/templates/preview", headers={"X-CSRFToken": token(as_admin)},
                            json={"body": "Pay {{ amount_due }} now", "language": "en"})
    assert any("opt-out" in w for w in warning.json["warnings"])
    other = as_admin.post("/portal/templates/preview", headers={"X-CSRFToken": token(as_admin)},
                          json={"body": body, "language": "en",
                                "account_id": portal.other.account_id})
    assert other.status_code == 404  # another dealer's account cannot be previewed
    listing = as_admin.get("/portal/templates").get_data(as_text=True)
    assert "yours" in listing


CSV = ("reference,name,phone,balance,amount_due,due_date\n"
       "LN-2001,Rosa Diaz,+15551230101,1200.00,250.00,2026-12-01\n"
       "LN-2002,Tom Hill,not a phone,800,100,2026-12-01\n"
       "LN-2003,Ann Wu,+15551230103,300,50,12/15/2026\n")


def test_csv_import_reports_created_rows_and_bad_rows(as_admin, portal):
    from io import BytesIO

    response = _post(as_admin, "/portal/accounts/import",
                     {"file": (BytesIO(CSV.encode()), "accounts.csv")},
                     content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 created, 0 updated, 0 unchanged, 1 rows with errors." in page
    assert "<td>3</td><td>phone: not a phone number: &#39;not a phone&#39;</td>" in page
    with db.session_scope() as session:
        assert session.query(Account).filter_by(dealer_id=portal.world.dealer_id).count() == 3
        assert entries(session, portal.world.dealer_id, action="accounts_imported")


def test_csv_import_streams_progress_then_the_report(as_admin, portal):
    from io import BytesIO

    response = _post(as_admin, "/portal/accounts/import",
                     {"file": (BytesIO(CSV.encode()), "accounts.csv")},
                     content_type="multipart/form-data",
                     headers={"Accept": "application/x-ndjson"})
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert lines[0] == {"done": 2, "total": 2} or lines[0]["total"] == 2
    assert lines[-1]["report"]["created"] == 2
    assert lines[-1]["report"]["errors"] == [
        {"line": 3, "reason": "phone: not a phone number: 'not a phone'"}]


def test_a_file_without_the_required_columns_is_refused(as_admin, portal):
    from io import BytesIO

    response = _post(as_admin, "/portal/accounts/import",
                     {"file": (BytesIO(b"ref,who\n1,2\n"), "accounts.csv")},
                     content_type="multipart/form-data")
    assert response.status_code == 400
    assert "missing column(s)" in response.get_data(as_text=True)


def test_the_audit_log_lists_actions_and_cannot_be_changed(as_admin, portal):
    _post(as_admin, "/portal/settings/general", GENERAL)
    page = as_admin.get("/portal/audit").get_data(as_text=True)
    assert "settings changed" in page and "admin@sunrise.example" in page
    with db.session_scope() as session:
        entry = session.query(AuditEntry).first()
        entry.details = "nothing happened"
        with pytest.raises(AuditLogIsAppendOnly):
            session.flush()
        session.rollback()
    with db.session_scope() as session:
        with pytest.raises(AuditLogIsAppendOnly):
            session.delete(session.query(AuditEntry).first())
            session.flush()
        session.rollback()


def test_the_dashboard_draws_its_charts_itself(as_admin, portal):
    page = as_admin.get("/portal/dashboard?days=7").get_data(as_text=True)
    for chart in ("chart-collected", "chart-replies", "chart-opt-outs", "chart-outcomes",
                  "chart-templates"):
        assert f'<svg class="chart" id="{chart}" role="img"' in page
    assert "cdn" not in page.lower() and "<script src=\"http" not in page


def test_admins_add_users_who_can_then_log_in(app, as_admin, portal):
    from tests.portal.support import login

    response = _post(as_admin, "/portal/users", {"name": "Kim Lee", "email": "kim@sunrise.example",
                                                 "role": "staff", "password": "kim's password"})
    assert response.status_code == 302
    assert login(app.test_client(), "kim@sunrise.example", "kim's password").status_code == 302
    short = _post(as_admin, "/portal/users", {"name": "X", "email": "x@sunrise.example",
                                              "role": "staff", "password": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)


def _add_account(portal, reference: str, due_days: int, due_cents: int = 10000,
                 **borrower: object) -> int:
    with db.session_scope() as session:
        person = Borrower(dealer_id=portal.world.dealer_id, name=f"Person {reference}",
                          phone=f"+1555123{len(reference) * 7 + due_days % 97:04d}", **borrower)
        session.add(person)
        session.flush()
        account = Account(dealer_id=portal.world.dealer_id, borrower_id=person.id,
                          reference=reference, balance_cents=100000, amount_due_cents=due_cents,
                          due_date=today() + timedelta(days=due_days))
        session.add(account)
        session.flush()
        return account.id


@pytest.mark.parametrize(("segment", "expected"), [
    ("late_1_30", {"A-LATE10"}), ("late_31_60", {"A-LATE45"}), ("late_60_plus", {"A-LATE90"}),
    ("due", {"A-TODAY"}), ("opted_out", {"A-STOP"}), ("promise", {"A-PROMISE"}),
])
def test_account_segments(as_staff, portal, segment, expected):
    _add_account(portal, "A-LATE10", -10)
    _add_account(portal, "A-LATE45", -45)
    _add_account(portal, "A-LATE90", -90)
    _add_account(portal, "A-TODAY", 0)
    _add_account(portal, "A-STOP", 30, opted_out=True)
    promised = _add_account(portal, "A-PROMISE", 20)
    with db.session_scope() as session:
        session.add(Promise(dealer_id=portal.world.dealer_id, account_id=promised,
                            promised_date=today() + timedelta(days=3)))
    page = as_staff.get(f"/portal/accounts?segment={segment}").get_data(as_text=True)
    shown = {ref for ref in ("A-LATE10", "A-LATE45", "A-LATE90", "A-TODAY", "A-STOP",
                             "A-PROMISE") if f">{ref}</a>" in page}
    assert shown == expected
    assert "OT-1" not in page


def test_account_search_by_name_reference_or_phone(as_staff, portal):
    reference = f"LN-{portal.world.borrower_id:04d}"
    for query in ("dana", reference.lower(), "1230001"):
        page = as_staff.get(f"/portal/accounts?q={query}").get_data(as_text=True)
        assert f">{reference}</a>" in page, query
    assert "No accounts match." in as_staff.get("/portal/accounts?q=zelda").get_data(
        as_text=True)


def test_staff_read_accounts_but_cannot_import(as_staff, portal):
    page = as_staff.get(f"/portal/accounts/{portal.world.account_id}").get_data(as_text=True)
    assert "$1,200.00" in page and "Import accounts" not in page
    assert as_staff.get("/portal/accounts/import").status_code == 403


def test_sign_in_helper_matches_a_real_login(client, portal):
    sign_in(client, portal.staff_id)
    assert "Sam Ortiz" in client.get("/portal/queue").get_data(as_text=True)
