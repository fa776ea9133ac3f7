"""Two dealers, each with its own Stripe account: one localstripe per account behind the
loopback router (tests/support/stripe_router.py), so each account has its own ledger."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot import db
from bot.dealers import create_dealer
from bot.models import Account, Borrower, Payment
from bot.payments.merchant import PLATFORM, Merchant
from bot.settings import Settings, set_settings
from tests.conftest import card_in_emulator
from tests.support.sms import Phone
from tests.support.stripe_router import StripeRouter, stripe_router

CONNECT_SECRET = "whsec_connect_test"  # the Connect endpoint's own signing secret


@pytest.fixture(scope="session")
def router() -> Iterator[StripeRouter]:
    """The router, the platform's emulator, and two connected accounts' emulators."""
    with stripe_router() as started:
        started.add_account()
        started.add_account()
        yield started


@dataclass
class Tenant:
    """A dealer connected to its own Stripe account, with one borrower and her card."""

    dealer_id: int
    api_key: str
    stripe_account: str
    account_id: int
    phone: Phone
    customer_id: str
    payment_method_id: str

    @property
    def stripe(self) -> Merchant:
        """The dealer's Stripe account."""
        return Merchant(self.stripe_account)

    def intents(self) -> list:
        """Every PaymentIntent in the dealer's own ledger."""
        return intents_in(self.stripe)

    def headers(self) -> dict[str, str]:
        """The dealer's API key as a header."""
        return {"Authorization": f"Bearer {self.api_key}"}


def intents_in(merchant: Merchant) -> list:
    """Every PaymentIntent in one Stripe account's emulator."""
    return list(merchant.client().v1.payment_intents.list(params={"limit": 100}).data)


@dataclass
class TwoDealers:
    """Dealer A and dealer B, each the merchant in its own Stripe account."""

    a: Tenant
    b: Tenant
    router: StripeRouter

    @staticmethod
    def platform_intents() -> list:
        """Every PaymentIntent in the deployment's own account."""
        return intents_in(PLATFORM)


def _tenant(client, clock, name: str, number: str, phone: str, stripe_account: str,
            card: str) -> Tenant:
    customer, method = card_in_emulator(card, merchant=Merchant(stripe_account))
    with db.session_scope() as session:
        dealer, key = create_dealer(session, name=name, number=number, platform_stripe=False)
        dealer.stripe_account_id = stripe_account
        borrower = Borrower(dealer_id=dealer.id, name=f"{name} borrower", phone=phone)
        session.add(borrower)
        session.flush()
        account = Account(dealer_id=dealer.id, borrower_id=borrower.id, reference="LN-1001",
                          balance_cents=120000, amount_due_cents=25000,
                          due_date=clock.today() + timedelta(days=3),
                          stripe_customer_id=customer, stripe_payment_method_id=method,
                          card_brand="Visa", card_last4=card[-4:])
        session.add(account)
        session.flush()
        return Tenant(dealer.id, key, stripe_account, account.id, Phone(client, phone, number),
                      customer, method)


@pytest.fixture
def connect_settings(settings: Settings, router: StripeRouter) -> Settings:
    """The test settings with Stripe behind the router and a Connect webhook secret."""
    return settings.with_overrides(stripe_api_base=router.url,
                                   stripe_connect_webhook_secret=CONNECT_SECRET)


@pytest.fixture
def two_dealers(client, clock, settings: Settings, connect_settings: Settings,
                router: StripeRouter) -> Iterator[TwoDealers]:
    """Dealers A and B, each connected to its own Stripe account with a borrower's card in
    it; the deployment's own account holds no dealer."""
    set_settings(connect_settings)
    router.reset()
    first, second = list(router.accounts)[:2]
    try:
        yield TwoDealers(
            _tenant(client, clock, "Sunrise Auto", "+15550100000", "+15551230001", first,
                    "4242424242424242"),
            _tenant(client, clock, "Other Motors", "+15550200000", "+15551230002", second,
                    "4000056655665556"),
            router)
    finally:
        router.stop_webhooks()
        set_settings(settings)


def payments_of(account_id: int) -> list[Payment]:
    """The account's payments, oldest first, detached from the session."""
    with db.session_scope() as session:
        rows = session.query(Payment).filter_by(account_id=account_id).order_by(Payment.id).all()
        for row in rows:
            session.expunge(row)
        return rows
