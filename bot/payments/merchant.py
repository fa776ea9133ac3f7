"""Whose Stripe account a dealer's money lands in, and the only way to a Stripe client.

Each dealer is the merchant (DESIGN.md): its borrowers' cards live in a Stripe
account, and every call made for the dealer carries that account (Stripe's
`Stripe-Account` header, or none for the deployment's own). A Stripe client
exists only for a `Merchant`, bound to its account when it is built, so no
call can forget whose account it acts in. A dealer is in one of three modes:

- connected: its own Stripe account, connected to the deployment with Stripe
  Connect (`stripe_account_id`). Stripe itself keeps other dealers out.
- shared platform mode (the default for a dealer with no connected account):
  the deployment's own Stripe account, shared with every other such dealer —
  a dealer running textpay alone, the demo, a small deployment before its
  dealers connect. Stripe cannot tell those dealers apart, so textpay keeps
  each customer there to the first dealer that imported it and never charges
  a customer another dealer holds (bot/payments/shared_account.py).
- must connect first (`uses_platform_stripe` false, `create-dealer --stripe
  connect`): no account yet — `NotConnected`, no card is read or charged.

The ways to a `Merchant`:

- `for_dealer(dealer)` / `for_dealer_or_none(dealer)`: the dealer's account by
  those rules.
- `for_payment(payment)`: the account a payment was made in, where reconcile,
  webhooks and the bank-approval page find its PaymentIntent.
- `PLATFORM`: the deployment's own account (shared mode, its webhooks, Connect's
  OAuth).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import stripe

from bot.models import Dealer, Payment
from bot.settings import get_settings


class NotConnected(Exception):
    """The dealer has no Stripe account: none connected, and it may not share the
    deployment's own."""


@dataclass(frozen=True)
class Merchant:
    """A Stripe account textpay acts in: a dealer's connected one, or (None) the platform's."""

    stripe_account: str | None = None

    @property
    def is_platform(self) -> bool:
        """True for the deployment's own Stripe account (no Stripe-Account header)."""
        return self.stripe_account is None

    def client(self) -> stripe.StripeClient:
        """The Stripe client whose every request carries this account."""
        settings = get_settings()
        return _client(api_key(), settings.stripe_api_base, settings.stripe_timeout_seconds,
                       settings.stripe_connect_client_id, self.stripe_account)

    def __str__(self) -> str:
        return self.stripe_account or "platform"


PLATFORM = Merchant(None)


def api_key() -> str:
    """The deployment's secret key (a platform key acts for its connected accounts)."""
    settings = get_settings()
    key = settings.stripe_secret_key or ("sk_test_demo" if settings.demo_mode else None)
    if not key:
        raise stripe.AuthenticationError("STRIPE_SECRET_KEY is not set")
    return key


@cache
def _http_client(timeout: float) -> stripe.HTTPClient:
    # Twilio waits 15 s for our TwiML: two attempts must fit in that.
    return stripe.RequestsClient(timeout=(3.05, timeout))


@lru_cache(maxsize=1024)
def _client(key: str, api_base: str | None, timeout: float, connect_client_id: str | None,
            stripe_account: str | None) -> stripe.StripeClient:
    addresses = {"api": api_base} if api_base else None
    return stripe.StripeClient(
        key,
        stripe_account=stripe_account,
        base_addresses=addresses,
        # The SDK retries a lost connection, a 409 or a 5xx once, with the same
        # idempotency key, so Stripe answers the retry with the first result.
        max_network_retries=1,
        http_client=_http_client(timeout),
        client_id=connect_client_id,  # Connect's OAuth (bot/payments/connect.py)
    )


def for_dealer_or_none(dealer: Dealer) -> Merchant | None:
    """The dealer's Stripe account, or None when it has none (see the module doc)."""
    if dealer.stripe_account_id:
        return Merchant(dealer.stripe_account_id)
    if dealer.uses_platform_stripe:
        return PLATFORM
    return None


def for_dealer(dealer: Dealer) -> Merchant:
    """The dealer's Stripe account; NotConnected when it has none."""
    merchant = for_dealer_or_none(dealer)
    if merchant is None:
        raise NotConnected(f"dealer {dealer.id} has no Stripe account connected")
    return merchant


def for_payment(payment: Payment) -> Merchant:
    """The Stripe account a payment was (or is to be) charged in."""
    return Merchant(payment.stripe_account_id)
