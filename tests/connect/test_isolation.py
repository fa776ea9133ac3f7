"""Issue 13.3: dealer A can neither see nor charge dealer B's borrowers' cards, and A's
borrowers' money lands in A's own Stripe account — through the real API, the real
trained model and one emulator (ledger) per Stripe account."""

from __future__ import annotations

from bot import db
from bot.models import Account, PaymentStatus
from tests.connect.conftest import TwoDealers, payments_of


def new_account(**ids: str) -> dict:
    return {"reference": "LN-2001", "balance_cents": 50000,
            "borrower": {"name": "Pat Doe", "phone": "+15551230009"}, **ids}


def test_a_dealers_key_cannot_import_another_dealers_customer_or_card(client, two_dealers):
    a, b = two_dealers.a, two_dealers.b
    stolen = client.post("/api/v1/accounts", headers=a.headers(), json=new_account(
        stripe_customer_id=b.customer_id, stripe_payment_method_id=b.payment_method_id))
    assert stolen.status_code == 400
    assert stolen.json["error"]["code"] == "invalid_payment_method"
    assert "5556" not in stolen.get_data(as_text=True)  # nothing of B's card is shown

    customer_only = client.post("/api/v1/accounts", headers=a.headers(), json=new_account(
        stripe_customer_id=b.customer_id))
    assert customer_only.status_code == 400
    assert customer_only.json["error"]["code"] == "invalid_customer"

    # A's own card, attached to another of A's customers, is refused too: off-session
    # charges need the card to be that customer's.
    mixed = client.post("/api/v1/accounts", headers=a.headers(), json=new_account(
        stripe_customer_id=b.customer_id, stripe_payment_method_id=a.payment_method_id))
    assert mixed.status_code == 400

    with db.session_scope() as session:
        assert session.query(Account).filter_by(reference="LN-2001").count() == 0

    own = client.post("/api/v1/accounts", headers=a.headers(), json=new_account(
        stripe_customer_id=a.customer_id, stripe_payment_method_id=a.payment_method_id))
    assert own.status_code == 201, own.json
    assert (own.json["card_brand"], own.json["card_last4"]) == ("Visa", "4242")


def test_a_csv_import_refuses_rows_naming_another_dealers_ids_by_line(client, two_dealers):
    a, b = two_dealers.a, two_dealers.b
    csv = ("reference,name,phone,balance,stripe_customer_id,stripe_payment_method_id\n"
           f"LN-3001,Own Card,+15551230011,100.00,{a.customer_id},{a.payment_method_id}\n"
           f"LN-3002,Their Card,+15551230012,100.00,{b.customer_id},{b.payment_method_id}\n"
           f"LN-3003,Their Customer,+15551230013,100.00,{b.customer_id},\n"
           "LN-3004,Made Up,+15551230014,100.00,cus_madeup,pm_madeup\n")
    response = client.post("/api/v1/accounts/import", data=csv.encode(),
                           headers={**a.headers(), "Content-Type": "text/csv"})
    assert response.status_code == 200, response.json
    report = response.json
    assert report["created"] == 1
    assert [e["line"] for e in report["errors"]] == [3, 4, 5]
    assert "stripe_payment_method_id" in report["errors"][0]["reason"]
    assert "stripe_customer_id" in report["errors"][1]["reason"]
    # B's ids are refused in the very words a made-up id gets: A learns nothing of them.
    assert report["errors"][0]["reason"] == report["errors"][2]["reason"]
    with db.session_scope() as session:
        kept = session.query(Account).filter_by(reference="LN-3001").one()
        assert (kept.card_brand, kept.card_last4) == ("Visa", "4242")
        assert session.query(Account).filter(Account.reference.in_(
            ["LN-3002", "LN-3003", "LN-3004"])).count() == 0


def test_a_borrowers_payment_lands_in_the_dealers_own_stripe_account(two_dealers: TwoDealers):
    a, b = two_dealers.a, two_dealers.b
    a.phone.text("pay 50")
    assert "Payment received: $50.00" in a.phone.say("yes")
    [intent] = a.intents()
    assert (intent.amount, intent.status, intent.customer) == (5000, "succeeded", a.customer_id)
    assert b.intents() == []
    assert two_dealers.platform_intents() == []
    [payment] = payments_of(a.account_id)
    assert payment.stripe_account_id == a.stripe_account
    assert payment.stripe_payment_intent_id == intent.id

    b.phone.text("pay 20")
    assert "Payment received: $20.00" in b.phone.say("yes")
    assert [i.amount for i in b.intents()] == [2000]
    assert len(a.intents()) == 1


def test_another_dealers_card_stored_before_the_fix_is_never_charged(two_dealers: TwoDealers):
    """An account imported (before these checks) with B's ids: "pay" + "yes" charges
    nothing anywhere, and the borrower is offered a card page instead."""
    a, b = two_dealers.a, two_dealers.b
    with db.session_scope() as session:
        account = session.get(Account, a.account_id)
        account.stripe_customer_id = b.customer_id
        account.stripe_payment_method_id = b.payment_method_id
    a.phone.text("pay 100")
    reply = a.phone.say("yes")
    assert "add one securely here" in reply
    assert "Payment received" not in reply
    assert b.intents() == [] and a.intents() == [] and two_dealers.platform_intents() == []
    [payment] = payments_of(a.account_id)
    assert (payment.status, payment.failure_reason) == (PaymentStatus.FAILED,
                                                        "card_unavailable")
    with db.session_scope() as session:
        assert session.get(Account, a.account_id).balance_cents == 120000


def test_a_dealer_without_a_stripe_account_takes_no_payment(two_dealers: TwoDealers):
    """A dealer that must connect first (`create-dealer --stripe connect`, as these are)
    never falls back to the deployment's own account once disconnected."""
    a = two_dealers.a
    with db.session_scope() as session:
        account = session.get(Account, a.account_id)
        account.dealer.stripe_account_id = None
    reply = a.phone.say("pay 50")
    assert "can't take card payments by text" in reply
    assert payments_of(a.account_id) == []
    assert two_dealers.platform_intents() == [] and a.intents() == []


def test_a_payment_asked_before_the_dealer_changed_accounts_is_not_charged(
        two_dealers: TwoDealers):
    a, b = two_dealers.a, two_dealers.b
    a.phone.text("pay 50")
    with db.session_scope() as session:
        session.get(Account, a.account_id).dealer.stripe_account_id = "acct_elsewhere"
    assert "can't take card payments by text" in a.phone.say("yes")
    [payment] = payments_of(a.account_id)
    assert (payment.status, payment.failure_reason) == (PaymentStatus.FAILED,
                                                        "stripe_not_connected")
    assert a.intents() == [] and b.intents() == [] and two_dealers.platform_intents() == []
