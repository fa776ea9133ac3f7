"""Shared platform mode: two dealers with no connected Stripe account take their borrowers'
cards in the deployment's one Stripe account (one localstripe), each keeps its own
customers there, and neither can import or charge the other's — through the real API,
CSV import, trained model and signed webhooks."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import pytest

from bot import db
from bot.dealers import create_dealer
from bot.models import Account, LedgerEntry, Payment, PaymentStatus, PlatformCustomer
from bot.payments import charging
from bot.payments.merchant import PLATFORM
from tests.conftest import card_in_emulator
from tests.connect.conftest import intents_in, payments_of
from tests.connect.test_webhooks import wait_for
from tests.support.live_server import live_server
from tests.support.sms import Phone
from tests.support.stripe_events import WEBHOOK_SECRET


@dataclass
class SharedTenant:
    """A dealer with no connected account, and one borrower it imported through the API."""

    dealer_id: int
    api_key: str
    account_id: int
    phone: Phone
    customer_id: str
    payment_method_id: str

    def headers(self) -> dict[str, str]:
        """The dealer's API key as a header."""
        return {"Authorization": f"Bearer {self.api_key}"}


def new_account(reference: str, phone: str, **ids: str | None) -> dict:
    return {"reference": reference, "balance_cents": 120000, "amount_due_cents": 25000,
            "borrower": {"name": "Pat Doe", "phone": phone},
            **{name: value for name, value in ids.items() if value}}


def _dealer(name: str, number: str) -> tuple[int, str]:
    with db.session_scope() as session:
        dealer, key = create_dealer(session, name=name, number=number)
        return dealer.id, key


def _tenant(client, name: str, number: str, phone: str, card: str) -> SharedTenant:
    dealer_id, key = _dealer(name, number)
    customer, method = card_in_emulator(card)  # in the deployment's own account
    created = client.post("/api/v1/accounts", headers={"Authorization": f"Bearer {key}"},
                          json=new_account("LN-1001", phone, stripe_customer_id=customer,
                                           stripe_payment_method_id=method))
    assert created.status_code == 201, created.json
    return SharedTenant(dealer_id, key, created.json["id"], Phone(client, phone, number),
                        customer, method)


@dataclass
class SharedDealers:
    a: SharedTenant
    b: SharedTenant


@pytest.fixture
def shared(client) -> SharedDealers:
    """Dealers A and B, created as `textpay create-dealer` creates them (no Stripe option),
    each with a borrower whose card is in the one emulator."""
    return SharedDealers(
        _tenant(client, "Sunrise Auto", "+15550100000", "+15551230001", "4242424242424242"),
        _tenant(client, "Other Motors", "+15550200000", "+15551230002", "4000056655665556"))


def platform_intents() -> list:
    return intents_in(PLATFORM)


def balance_of(account_id: int) -> int:
    with db.session_scope() as session:
        return session.get(Account, account_id).balance_cents


def test_two_dealers_without_connected_accounts_each_charge_their_own_borrowers(
        client, shared: SharedDealers):
    a, b = shared.a, shared.b
    a.phone.text("pay 50")
    assert "Payment received: $50.00" in a.phone.say("yes")
    b.phone.text("pay 20")
    assert "Payment received: $20.00" in b.phone.say("yes")

    charged = {intent.customer: (intent.amount, intent.status) for intent in platform_intents()}
    assert charged == {a.customer_id: (5000, "succeeded"), b.customer_id: (2000, "succeeded")}
    for tenant, cents in ((a, 5000), (b, 2000)):
        listed = client.get(f"/api/v1/payments?account_id={tenant.account_id}",
                            headers=tenant.headers()).json["payments"]
        assert [(p["amount_cents"], p["status"]) for p in listed] == [(cents, "succeeded")]
        [payment] = payments_of(tenant.account_id)
        assert payment.stripe_account_id is None  # the deployment's own account
    assert (balance_of(a.account_id), balance_of(b.account_id)) == (115000, 118000)


def test_stripes_signed_webhooks_settle_each_dealers_own_payment(app, shared: SharedDealers,
                                                                  localstripe):
    """The answers to both charges were lost; the emulator's own signed events, delivered
    to our server, settle each payment in its own dealer's books."""
    lost = {}
    for tenant, cents in ((shared.a, 5000), (shared.b, 2000)):
        with db.session_scope() as session:
            payment = charging.create_pending(session, session.get(Account, tenant.account_id),
                                              cents)
            session.commit()
            assert charging.claim(session, payment.id)
            payment.status = PaymentStatus.UNKNOWN
            lost[tenant.account_id] = payment.id
            key = payment.idempotency_key
        PLATFORM.client().v1.payment_intents.create(params={
            "amount": cents, "currency": "usd", "customer": tenant.customer_id,
            "payment_method": tenant.payment_method_id, "off_session": True,
            "confirm": True, "metadata": {"textpay_key": key}})
    with live_server(app) as url:
        localstripe.register_webhook("textpay-tests", f"{url}/stripe/webhook", WEBHOOK_SECRET)
        try:
            wait_for(lambda: all(_status(p) == PaymentStatus.SUCCEEDED for p in lost.values()))
        finally:
            localstripe.register_webhook("textpay-tests", "http://127.0.0.1:9/", WEBHOOK_SECRET)
    with db.session_scope() as session:
        ledger = {(row.account_id, row.amount_cents) for row in session.query(LedgerEntry)}
    assert ledger == {(shared.a.account_id, -5000), (shared.b.account_id, -2000)}
    assert (balance_of(shared.a.account_id), balance_of(shared.b.account_id)) == (115000,
                                                                                118000)


def _status(payment_id: int) -> str:
    with db.session_scope() as session:
        return session.get(Payment, payment_id).status


def _refusal(client, tenant: SharedTenant, **ids: str | None) -> tuple[int, dict]:
    response = client.post("/api/v1/accounts", headers=tenant.headers(),
                           json=new_account("LN-2001", "+15551230009", **ids))
    return response.status_code, response.json


def test_a_dealers_key_is_refused_another_dealers_customer_and_card_like_made_up_ids(
        client, shared: SharedDealers):
    a, b = shared.a, shared.b
    made_up_pair = _refusal(client, a, stripe_customer_id="cus_madeup",
                            stripe_payment_method_id="pm_madeup")
    made_up_customer = _refusal(client, a, stripe_customer_id="cus_madeup")
    made_up_card = _refusal(client, a, stripe_customer_id=a.customer_id,
                            stripe_payment_method_id="pm_madeup")
    assert made_up_pair[0] == made_up_customer[0] == made_up_card[0] == 400
    assert made_up_customer[1]["error"]["code"] == "invalid_customer"
    assert made_up_pair[1]["error"]["code"] == "invalid_payment_method"

    # B's customer with B's card, B's customer alone, and B's card under A's customer:
    # each answered in exactly the words its made-up twin gets.
    assert _refusal(client, a, stripe_customer_id=b.customer_id,
                    stripe_payment_method_id=b.payment_method_id) == made_up_pair
    assert _refusal(client, a, stripe_customer_id=b.customer_id) == made_up_customer
    assert _refusal(client, a, stripe_customer_id=a.customer_id,
                    stripe_payment_method_id=b.payment_method_id) == made_up_card

    csv = ("reference,name,phone,balance,stripe_customer_id,stripe_payment_method_id\n"
           f"LN-3001,Their Card,+15551230012,100.00,{b.customer_id},{b.payment_method_id}\n"
           "LN-3002,Made Up,+15551230013,100.00,cus_madeup,pm_madeup\n"
           f"LN-3003,Their Customer,+15551230014,100.00,{b.customer_id},\n"
           "LN-3004,Made Up Customer,+15551230015,100.00,cus_madeup,\n"
           f"LN-3005,Own Card,+15551230016,100.00,{a.customer_id},{a.payment_method_id}\n")
    report = client.post("/api/v1/accounts/import", data=csv.encode(),
                         headers={**a.headers(), "Content-Type": "text/csv"}).json
    assert report["created"] == 1
    errors = {error["line"]: error["reason"] for error in report["errors"]}
    assert sorted(errors) == [2, 3, 4, 5]
    assert errors[2] == errors[3] == made_up_pair[1]["error"]["message"]
    assert errors[4] == errors[5] == made_up_customer[1]["error"]["message"]

    with db.session_scope() as session:
        held_by_a = {row.stripe_customer_id for row in
                     session.query(Account).filter_by(dealer_id=a.dealer_id)}
        assert held_by_a == {a.customer_id}
        owners = dict(session.query(PlatformCustomer.stripe_customer_id,
                                    PlatformCustomer.dealer_id))
    assert owners == {a.customer_id: a.dealer_id, b.customer_id: b.dealer_id}


@pytest.mark.usefixtures("daytime")  # the card-saved confirmation goes out in texting hours
def test_an_account_holding_another_dealers_customer_from_before_is_not_charged(
        client, shared: SharedDealers):
    """A's account was given B's customer and card before these checks existed. Neither
    dealer charges that customer while both hold it; A's borrower is sent the card page,
    and the card added there gets a customer of A's own — then both can be paid again."""
    a, b = shared.a, shared.b
    with db.session_scope() as session:
        account = session.get(Account, a.account_id)
        account.stripe_customer_id = b.customer_id
        account.stripe_payment_method_id = b.payment_method_id
        account.card_last4 = "5556"

    a.phone.text("pay 100")
    reply = a.phone.say("yes")
    assert "Payment received" not in reply and "add one securely here" in reply
    b.phone.text("pay 20")
    assert "Payment received" not in b.phone.say("yes")
    assert platform_intents() == []
    for tenant in (a, b):
        [payment] = payments_of(tenant.account_id)
        assert (payment.status, payment.failure_reason) == (PaymentStatus.FAILED,
                                                            "card_unavailable")
    assert (balance_of(a.account_id), balance_of(b.account_id)) == (120000, 120000)

    page_url = re.search(r"https://textpay\.test(/secure/card/\S+)", reply).group(1)
    page = client.get(page_url)
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page.data).group(1).decode()
    saved = client.post(page_url, data={"card": "4242424242424242", "csrf_token": token})
    assert saved.status_code == 200 and b"ending 4242" in saved.data
    with db.session_scope() as session:
        account = session.get(Account, a.account_id)
        own_customer = account.stripe_customer_id
    assert own_customer != b.customer_id
    assert PLATFORM.client().v1.payment_methods.retrieve(
        b.payment_method_id).customer == b.customer_id  # B's borrower's card stays B's

    a.phone.text("pay 100")
    assert "Payment received: $100.00" in a.phone.say("yes")
    b.phone.text("pay 20")
    assert "Payment received: $20.00" in b.phone.say("yes")
    charged = {(intent.customer, intent.amount) for intent in platform_intents()}
    assert charged == {(own_customer, 10000), (b.customer_id, 2000)}


def test_the_portal_and_the_start_say_that_dealers_share_the_deployments_account(
        client, app, shared: SharedDealers, settings, caplog):
    from bot.web import create_app
    from tests.portal.support import add_user, sign_in

    sign_in(client, add_user(shared.a.dealer_id, "ada@sunrise.example", "admin"))
    page = client.get("/portal/settings").get_data(as_text=True)
    assert "Payments go to the deployment&#39;s shared Stripe account (shared platform " \
           "mode), together with 1 other dealer." in page
    shared_note = re.search(r'<p class="warn" id="stripe-shared">(.*?)</p>', page, re.S)
    assert "together with those of 1 other dealer," in shared_note.group(1)
    assert "we recommend connecting your own Stripe account" in shared_note.group(1)
    assert "Connect your Stripe account" in page

    with caplog.at_level("WARNING", logger="bot.payments.shared_account"):
        create_app(settings, load_agent=False)
    [warning] = [r for r in caplog.records if r.name == "bot.payments.shared_account"]
    assert warning.getMessage().startswith(
        "2 dealers share this deployment's own Stripe account")


def test_a_lone_dealer_is_not_warned_about_sharing(client, settings, caplog):
    from bot.web import create_app

    _dealer("Alone Auto", "+15550100000")
    with caplog.at_level("WARNING", logger="bot.payments.shared_account"):
        create_app(settings, load_agent=False)
    assert not [r for r in caplog.records if r.name == "bot.payments.shared_account"]


@pytest.mark.postgres
def test_two_dealers_importing_one_customer_at_once_on_postgresql_give_it_to_one(
        client, settings):
    """Each of 12 customers is imported by A and B at the same instant (two threads past
    one barrier, each its own request); every customer ends up with exactly one dealer."""
    from bot.migrate import upgrade
    from bot.settings import set_settings
    from tests.support.servers import scratch_database

    with scratch_database("textpay_shared_claims") as url:
        set_settings(settings.with_overrides(database_url=url))
        try:
            upgrade(url)
            dealers = [_dealer("Sunrise Auto", "+15550100000"),
                       _dealer("Other Motors", "+15550200000")]
            cards = [card_in_emulator("4242424242424242") for _ in range(12)]
            answers = _race(client.application, dealers, cards)
            with db.session_scope() as session:
                holders = {(row.stripe_customer_id, row.dealer_id)
                           for row in session.query(Account)}
                owners = set(session.query(PlatformCustomer.stripe_customer_id,
                                           PlatformCustomer.dealer_id))
        finally:
            set_settings(settings)
            db.configure(settings.database_url)
    for customer, _ in cards:
        statuses = sorted(status for (who, status, _) in answers[customer])
        assert statuses == [201, 400], (customer, answers[customer])
        [refused] = [code for (_, status, code) in answers[customer] if status == 400]
        assert refused == "invalid_payment_method"
        [winner] = [who for (who, status, _) in answers[customer] if status == 201]
        assert {dealer for held, dealer in holders if held == customer} == {winner}
        assert (customer, winner) in owners


def _race(app, dealers: list[tuple[int, str]],
          cards: list[tuple[str, str]]) -> dict[str, list[tuple[int, int, str | None]]]:
    """Both dealers import each card at once; each customer's (dealer, status, code)s."""
    answers: dict[str, list] = {customer: [] for customer, _ in cards}
    for number, (customer, method) in enumerate(cards):
        barrier = threading.Barrier(len(dealers))

        def post(dealer_id: int, key: str, customer=customer, method=method,
                 number=number, barrier=barrier) -> None:
            barrier.wait()
            response = app.test_client().post(
                "/api/v1/accounts", headers={"Authorization": f"Bearer {key}"},
                json=new_account(f"LN-{number}", f"+1555123{number:04d}",
                                 stripe_customer_id=customer,
                                 stripe_payment_method_id=method))
            error = (response.json or {}).get("error") or {}
            answers[customer].append((dealer_id, response.status_code, error.get("code")))

        threads = [threading.Thread(target=post, args=dealer) for dealer in dealers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    return answers
