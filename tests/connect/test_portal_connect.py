"""Settings → Stripe: a dealer admin connects the dealer's own Stripe account (Stripe's
OAuth page, or the emulator's stand-in in test mode) and disconnects it; both audited."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from bot import db
from bot.audit import entries
from bot.dealers import create_dealer
from bot.models import Dealer
from bot.payments.merchant import Merchant
from bot.settings import set_settings
from tests.conftest import card_in_emulator
from tests.portal.support import add_user, sign_in, token
from tests.support.sms import PUBLIC_URL

ADMIN = "ada@newdealer.example"


@pytest.fixture
def new_dealer(client, settings, connect_settings, router):
    """A dealer of a multi-dealer deployment with no Stripe account yet, and its admin
    and staff logins: (dealer id, API key, admin id, staff id)."""
    set_settings(connect_settings)
    router.reset()
    with db.session_scope() as session:
        dealer, key = create_dealer(session, name="New Motors", number="+15550300000",
                                    platform_stripe=False)
        dealer_id = dealer.id
    yield dealer_id, key, add_user(dealer_id, ADMIN, "admin"), \
        add_user(dealer_id, "sam@newdealer.example", "staff")
    set_settings(settings)


def stripe_account_of(dealer_id: int) -> str | None:
    with db.session_scope() as session:
        return session.get(Dealer, dealer_id).stripe_account_id


def connect_through_the_stand_in(client) -> str:
    started = client.post("/portal/settings/stripe/connect", data={"csrf_token": token(client)})
    assert started.status_code == 302
    page = client.get(started.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "stands in for Stripe" in html
    state = re.search(r'name="state" value="([^"]+)"', html).group(1)
    return client.post("/portal/settings/stripe/emulator",
                       data={"csrf_token": token(client), "state": state},
                       follow_redirects=True).get_data(as_text=True)


def test_an_admin_connects_the_dealers_stripe_account_then_imports_cards_from_it(
        client, new_dealer, router):
    dealer_id, key, admin_id, _ = new_dealer
    sign_in(client, admin_id)
    settings_page = client.get("/portal/settings").get_data(as_text=True)
    assert "no Stripe account" in settings_page

    refused = client.post("/api/v1/accounts", headers={"Authorization": f"Bearer {key}"},
                          json={"reference": "NM-1", "balance_cents": 1000,
                                "borrower": {"name": "Ned", "phone": "+15551230021"},
                                "stripe_customer_id": "cus_anything"})
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "stripe_not_connected"

    page = connect_through_the_stand_in(client)
    account = stripe_account_of(dealer_id)
    assert account in router.accounts  # a ledger of its own in the emulator
    assert f"the connected Stripe account {account}" in page
    with db.session_scope() as session:
        [entry] = entries(session, dealer_id, action="stripe_connected")
        assert (entry.actor, entry.details) == (ADMIN, account)

    customer, method = card_in_emulator("4242424242424242", merchant=Merchant(account))
    created = client.post("/api/v1/accounts", headers={"Authorization": f"Bearer {key}"},
                          json={"reference": "NM-1", "balance_cents": 1000,
                                "borrower": {"name": "Ned", "phone": "+15551230021"},
                                "stripe_customer_id": customer,
                                "stripe_payment_method_id": method})
    assert created.status_code == 201, created.json


def test_disconnecting_is_audited_and_stops_card_imports(client, new_dealer):
    dealer_id, key, admin_id, _ = new_dealer
    sign_in(client, admin_id)
    connect_through_the_stand_in(client)
    account = stripe_account_of(dealer_id)
    customer, method = card_in_emulator("4242424242424242", merchant=Merchant(account))

    page = client.post("/portal/settings/stripe/disconnect", data={"csrf_token": token(client)},
                       follow_redirects=True).get_data(as_text=True)
    assert f"Stripe account {account} disconnected" in page
    assert stripe_account_of(dealer_id) is None
    with db.session_scope() as session:
        [entry] = entries(session, dealer_id, action="stripe_disconnected")
        assert (entry.actor, entry.details) == (ADMIN, account)
    again = client.post("/api/v1/accounts", headers={"Authorization": f"Bearer {key}"},
                        json={"reference": "NM-2", "balance_cents": 1000,
                              "borrower": {"name": "Ned", "phone": "+15551230021"},
                              "stripe_customer_id": customer,
                              "stripe_payment_method_id": method})
    assert again.status_code == 409


def test_staff_cannot_connect_or_disconnect(client, new_dealer):
    dealer_id, _, _, staff_id = new_dealer
    sign_in(client, staff_id)
    csrf = token(client)
    assert client.post("/portal/settings/stripe/connect",
                       data={"csrf_token": csrf}).status_code == 403
    assert client.post("/portal/settings/stripe/disconnect",
                       data={"csrf_token": csrf}).status_code == 403
    assert stripe_account_of(dealer_id) is None


def test_a_connect_state_not_started_by_this_login_connects_nothing(client, new_dealer,
                                                                     two_dealers):
    """A state minted for another dealer's admin (or forged) is refused."""
    from bot.payments import connect

    dealer_id, _, admin_id, _ = new_dealer
    sign_in(client, admin_id)
    other_state, _nonce = connect.new_state(two_dealers.b.dealer_id, admin_id)
    for state in (other_state, "forged", ""):
        page = client.post("/portal/settings/stripe/emulator",
                           data={"csrf_token": token(client), "state": state},
                           follow_redirects=True).get_data(as_text=True)
        assert "was not started here" in page
    assert stripe_account_of(dealer_id) is None


def test_outside_test_mode_connecting_goes_to_stripes_oauth_page(client, new_dealer,
                                                                  connect_settings):
    dealer_id, _, admin_id, _ = new_dealer
    set_settings(connect_settings.with_overrides(stripe_api_base=None,
                                                 stripe_connect_client_id="ca_textpay_test"))
    sign_in(client, admin_id)
    started = client.post("/portal/settings/stripe/connect", data={"csrf_token": token(client)})
    assert started.status_code == 303
    where = urlsplit(started.headers["Location"])
    assert (where.scheme, where.netloc, where.path) == ("https", "connect.stripe.com",
                                                        "/oauth/authorize")
    query = {k: v[0] for k, v in parse_qs(where.query).items()}
    assert query["client_id"] == "ca_textpay_test"
    assert (query["scope"], query["response_type"]) == ("read_write", "code")
    assert query["redirect_uri"] == f"{PUBLIC_URL}/portal/settings/stripe/callback"

    # The admin pressed "cancel" at Stripe: nothing changes.
    back = client.get("/portal/settings/stripe/callback",
                      query_string={"state": query["state"], "error": "access_denied"},
                      follow_redirects=True)
    assert "canceled" in back.get_data(as_text=True)
    # The state was for one round trip only: replaying it (with a code) is refused
    # before Stripe is ever asked.
    replay = client.get("/portal/settings/stripe/callback",
                        query_string={"state": query["state"], "code": "ac_123"},
                        follow_redirects=True)
    assert "was not started here" in replay.get_data(as_text=True)
    assert stripe_account_of(dealer_id) is None
