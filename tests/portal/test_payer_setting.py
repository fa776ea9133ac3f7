"""The dealer's "only approved payers may pay" setting (someone else pays), and the
account page naming approved payers and who paid."""

from __future__ import annotations

from bot import db
from bot.audit import entries
from bot.models import Account, Dealer, Payment
from tests.portal.support import token

GENERAL = {"collector_mode": "first_party", "minimum_payment": "10.00",
           "business_hours": "Mon-Fri 09:00-18:00", "response_target_minutes": "60",
           "quick_replies": ""}


def _approved_only(portal) -> bool:
    with db.session_scope() as session:
        return session.get(Dealer, portal.world.dealer_id).payers_must_be_approved


def test_the_setting_is_off_by_default_and_saved_from_settings(as_admin, portal):
    page = as_admin.get("/portal/settings").get_data(as_text=True)
    assert "Only approved payers may pay for a borrower" in page
    assert _approved_only(portal) is False
    on = as_admin.post("/portal/settings/general", data={
        "csrf_token": token(as_admin), **GENERAL, "payers_must_be_approved": "on"})
    assert on.status_code == 302
    assert _approved_only(portal) is True
    with db.session_scope() as session:
        audited = entries(session, portal.world.dealer_id, action="settings_changed")[0]
        assert "payers_must_be_approved: False -> True" in audited.details
    as_admin.post("/portal/settings/general", data={"csrf_token": token(as_admin), **GENERAL})
    assert _approved_only(portal) is False


def test_the_account_page_names_approved_payers_and_who_paid(as_staff, portal):
    with db.session_scope() as session:
        account = session.get(Account, portal.world.account_id)
        account.approved_payers = ["Maria Lopez"]
        session.add(Payment(dealer_id=account.dealer_id, account_id=account.id,
                            amount_cents=15000, status="succeeded", source="payer",
                            payer_name="Maria Lopez"))
    page = as_staff.get(f"/portal/accounts/{portal.world.account_id}").get_data(as_text=True)
    assert "Approved payers" in page and "Maria Lopez" in page
    assert "paid by Maria Lopez" in page
