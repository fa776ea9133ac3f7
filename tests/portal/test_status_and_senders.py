"""The accounts list's Status column, and which numbers a dealer may send from."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot import db
from bot.dealers import warn_about_senders
from bot.models import Account, Dealer, DealerNumber, Dispute, Plan, Promise
from bot.phones import number_type, sender_number
from tests.portal.support import sign_in
from tests.support.clock import today
from tests.support.sms import Phone


def test_the_status_column_names_disputes_plans_and_promises(as_staff, portal):
    world = portal.world
    with db.session_scope() as session:
        account = session.get(Account, world.account_id)
        session.add_all([
            Dispute(dealer_id=world.dealer_id, account_id=account.id, words="not mine"),
            Plan(dealer_id=world.dealer_id, account_id=account.id, status="active",
                 total_cents=25000, frequency="weekly", installment_count=2),
            Promise(dealer_id=world.dealer_id, account_id=account.id,
                    promised_date=today() + timedelta(days=2), amount_cents=25000)])
    page = as_staff.get("/portal/accounts").get_data(as_text=True)
    status = page[page.index('data-label="Status"'):]
    status = status[:status.index("</td>")]
    for label in ("dispute", "payment plan", "promise to pay"):
        assert label in status


@pytest.mark.parametrize(("raw", "stored", "kind"), [
    ("+18005550199", "+18005550199", "toll_free"),
    ("+18885550100", "+18885550100", "toll_free"),
    ("(212) 555-0101", "+12125550101", "long_code"),
    ("12345", "12345", "short_code"),
    ("898211", "898211", "short_code"),
])
def test_a_sender_number_and_its_type(raw, stored, kind):
    assert sender_number(raw) == stored
    assert number_type(stored) == kind


def test_a_collection_agency_on_a_long_code_is_warned_in_settings_and_the_log(
        as_admin, portal, caplog):
    world = portal.world
    page = as_admin.get("/portal/settings").get_data(as_text=True)
    assert "+15550100000 · Long code (A2P 10DLC)" in page
    assert "refuses third-party debt collection" not in page  # first party: fine
    with db.session_scope() as session:
        dealer = session.get(Dealer, world.dealer_id)
        dealer.collector_mode = "third_party"
        dealer.numbers.append(DealerNumber(phone="+18005550199"))
    page = as_admin.get("/portal/settings").get_data(as_text=True)
    assert "+18005550199 · Toll-free number" in page
    assert "(error 30943)" in page and "(error 30863)" in page
    assert "(error 30943)" in as_admin.get("/portal/dashboard").get_data(as_text=True)
    with caplog.at_level(logging.WARNING, logger="bot.dealers"):
        warn_about_senders()  # what create_app logs at start
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.dealers"]
    assert len(logged) == 2 and all(f"dealer {world.dealer_id}:" in m for m in logged)


def test_a_short_code_receives_and_is_not_warned_about(client, portal, caplog):
    world = portal.world
    with db.session_scope() as session:
        dealer = session.get(Dealer, world.dealer_id)
        dealer.collector_mode = "third_party"
        dealer.numbers[0].phone = "898211"
    assert Phone(client, world.phone.number, to="898211").say("what's my balance")
    sign_in(client, portal.admin_id)
    page = client.get("/portal/settings").get_data(as_text=True)
    assert "898211 · Short code" in page and "refuses third-party" not in page
