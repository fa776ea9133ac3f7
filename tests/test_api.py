"""The dealer REST API: accounts and payments, keys, validation, tenant isolation."""

from __future__ import annotations

import pytest

from bot import db
from bot.dealers import create_dealer
from tests.conftest import card_in_emulator


@pytest.fixture
def dealer_key(client) -> str:
    with db.session_scope() as session:
        _, key = create_dealer(session, name="Sunrise Auto", number="+15550100000")
    return key


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def account_payload(**overrides) -> dict:
    payload = {
        "reference": "LN-1001",
        "borrower": {"name": "Dana Reyes", "phone": "+15551230001", "language": "en"},
        "balance_cents": 120000, "amount_due_cents": 25000, "due_date": "2026-12-01",
    }
    payload.update(overrides)
    return payload


def test_create_account_reads_the_card_from_stripe(client, dealer_key):
    customer, method = card_in_emulator("4242424242424242")
    response = client.post("/api/v1/accounts", headers=auth(dealer_key), json=account_payload(
        stripe_customer_id=customer, stripe_payment_method_id=method))
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["card_brand"], body["card_last4"]) == ("Visa", "4242")
    assert body["balance_cents"] == 120000 and body["due_date"] == "2026-12-01"
    fetched = client.get(f"/api/v1/accounts/{body['id']}", headers=auth(dealer_key))
    assert fetched.status_code == 200 and fetched.json["reference"] == "LN-1001"


def test_borrower_is_matched_by_phone_within_the_dealer(client, dealer_key):
    first = client.post("/api/v1/accounts", headers=auth(dealer_key), json=account_payload(
        borrower={"name": "Dana Reyes", "phone": "(555) 123-0001"}))
    second = client.post("/api/v1/accounts", headers=auth(dealer_key), json=account_payload(
        reference="LN-1002", borrower={"name": "Dana Reyes", "phone": "+1 555 123 0001"}))
    assert first.status_code == second.status_code == 201
    assert first.json["borrower"]["phone"] == second.json["borrower"]["phone"] == "+15551230001"
    from bot.models import Borrower

    with db.session_scope() as session:
        assert session.query(Borrower).count() == 1


@pytest.mark.parametrize(("change", "mentions"), [
    ({"reference": ""}, "reference"),
    ({"balance_cents": 120000.5}, "balance_cents"),
    ({"balance_cents": "1200.00"}, "balance_cents"),
    ({"balance_cents": -1}, "balance_cents"),
    ({"due_date": "next tuesday"}, "due_date"),
    ({"borrower": {"name": "Dana", "phone": "12"}}, "borrower.phone"),
    ({"borrower": {"name": "Dana", "phone": "+15551230001", "language": "fr"}}, "language"),
    ({"surprise": 1}, "surprise"),
    ({"stripe_payment_method_id": "pm_nope", "stripe_customer_id": "cus_nope"},
     "stripe_payment_method_id"),
])
def test_invalid_accounts_are_400_with_a_message_naming_the_field(client, dealer_key, change,
                                                                   mentions):
    response = client.post("/api/v1/accounts", headers=auth(dealer_key),
                           json=account_payload(**change))
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] in ("invalid_request", "invalid_payment_method")
    assert mentions in error["message"]


def test_non_json_body_is_a_clear_400(client, dealer_key):
    response = client.post("/api/v1/accounts", headers=auth(dealer_key), data="reference=1")
    assert response.status_code == 400
    assert "JSON object" in response.json["error"]["message"]


@pytest.mark.parametrize("query", ["limit=&limit=5", "limit=5&limit=10",
                                   "segment=late_1_30&segment=current"])
def test_a_query_parameter_given_twice_is_a_clear_400(client, dealer_key, query):
    response = client.get(f"/api/v1/accounts?{query}", headers=auth(dealer_key))
    assert response.status_code == 400
    assert "was repeated" in response.json["error"]["message"]
    assert client.get("/api/v1/accounts?limit=5", headers=auth(dealer_key)).status_code == 200


def test_duplicate_reference_is_409(client, dealer_key):
    client.post("/api/v1/accounts", headers=auth(dealer_key), json=account_payload())
    response = client.post("/api/v1/accounts", headers=auth(dealer_key), json=account_payload())
    assert response.status_code == 409
    assert response.json["error"]["code"] == "duplicate_reference"


def test_wrong_or_missing_key_is_401_and_reveals_nothing(client, dealer_key):
    wrong = client.get("/api/v1/accounts/1", headers=auth("tpk_wrong"))
    missing = client.get("/api/v1/accounts/1")
    garbage = client.get("/api/v1/accounts/1", headers={"Authorization": "Basic abc"})
    assert wrong.status_code == missing.status_code == garbage.status_code == 401
    assert wrong.json == missing.json == garbage.json


def test_another_dealers_account_is_404(client, dealer_key):
    created = client.post("/api/v1/accounts", headers=auth(dealer_key), json=account_payload())
    with db.session_scope() as session:
        _, other_key = create_dealer(session, name="Other Motors", number="+15550200000")
    account_id = created.json["id"]
    assert client.get(f"/api/v1/accounts/{account_id}", headers=auth(other_key)).status_code == 404
    listing = client.get(f"/api/v1/payments?account_id={account_id}", headers=auth(other_key))
    assert listing.status_code == 404


def test_payments_list_what_the_bot_charged(world, client):
    world.phone.say("pay")
    world.phone.say("yes")
    response = client.get(f"/api/v1/payments?account_id={world.account_id}",
                          headers=auth(world.api_key))
    assert response.status_code == 200
    [payment] = response.json["payments"]
    assert payment["amount_cents"] == 25000
    assert payment["status"] == "succeeded"
    assert payment["stripe_payment_intent_id"].startswith("pi_")
    assert set(payment) >= {"id", "amount_cents", "status", "stripe_payment_intent_id",
                            "created_at"}


def test_payments_needs_an_account_id(client, dealer_key):
    response = client.get("/api/v1/payments", headers=auth(dealer_key))
    assert response.status_code == 400
    assert "account_id" in response.json["error"]["message"]


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json == {"status": "ready"}
