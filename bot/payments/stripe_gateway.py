"""Stripe, through the official SDK: charge a stored card, read a card's brand.

Everything Stripe-specific stays in this module; the rest of textpay sees
plain results (`ChargeResult`) and never a Stripe decline code, which
borrowers must not be shown and logs need not keep.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache

import stripe

from bot.settings import get_settings

log = logging.getLogger(__name__)

# Outcomes a charge can have, as the rest of the app understands them.
SUCCEEDED = "succeeded"
DECLINED = "declined"
AUTHENTICATION_REQUIRED = "authentication_required"
UNAVAILABLE = "unavailable"  # Stripe's answer never came: it may or may not have charged
PROCESSING = "processing"


@dataclass(frozen=True)
class ChargeResult:
    """What happened when we asked Stripe to charge a card."""

    outcome: str
    payment_intent_id: str | None = None


@dataclass(frozen=True)
class CardOnFile:
    """The brand and last four digits of a stored card (never the number)."""

    brand: str
    last4: str


@cache
def _client(api_key: str, api_base: str | None, timeout: float) -> stripe.StripeClient:
    addresses = {"api": api_base} if api_base else None
    return stripe.StripeClient(
        api_key,
        base_addresses=addresses,
        # The SDK retries a lost connection, a 409 or a 5xx once, with the same
        # idempotency key, so Stripe answers the retry with the first result.
        max_network_retries=1,
        # Twilio waits 15 s for our TwiML: two attempts must fit in that.
        http_client=stripe.RequestsClient(timeout=(3.05, timeout)),
    )


def client() -> stripe.StripeClient:
    """The Stripe client for the configured key, API address and timeout."""
    settings = get_settings()
    key = settings.stripe_secret_key or ("sk_test_demo" if settings.demo_mode else None)
    if not key:
        raise stripe.AuthenticationError("STRIPE_SECRET_KEY is not set")
    return _client(key, settings.stripe_api_base, settings.stripe_timeout_seconds)


def _outcome_of_status(status: str) -> str:
    if status == "succeeded":
        return SUCCEEDED
    if status == "requires_action":
        return AUTHENTICATION_REQUIRED
    if status in ("processing", "requires_capture"):
        return PROCESSING
    return DECLINED


def charge_card(
    *,
    amount_cents: int,
    currency: str,
    customer_id: str,
    payment_method_id: str,
    idempotency_key: str,
    metadata: dict[str, str],
) -> ChargeResult:
    """Charge a stored card off-session, exactly once per idempotency key."""
    params = {
        "amount": amount_cents,
        "currency": currency.lower(),
        "customer": customer_id,
        "payment_method": payment_method_id,
        "off_session": True,
        "confirm": True,
        "metadata": metadata,
    }
    try:
        intent = client().v1.payment_intents.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.CardError as error:
        # Real Stripe raises authentication_required; localstripe answers
        # requires_action instead (handled below). Both mean "finish on a page".
        intent_id = getattr(getattr(error, "error", None), "payment_intent", None)
        intent_id = getattr(intent_id, "id", intent_id)
        if error.code == "authentication_required":
            return ChargeResult(AUTHENTICATION_REQUIRED, intent_id)
        log.info("card declined", extra={"idempotency_key": idempotency_key})
        return ChargeResult(DECLINED, intent_id)
    except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError) as error:
        log.warning("stripe unavailable: %s", type(error).__name__)
        return ChargeResult(UNAVAILABLE)
    return ChargeResult(_outcome_of_status(intent.status), intent.id)


def retrieve_outcome(payment_intent_id: str) -> ChargeResult:
    """Ask Stripe what became of a PaymentIntent (used by reconcile and webhooks)."""
    intent = client().v1.payment_intents.retrieve(payment_intent_id)
    return ChargeResult(_outcome_of_status(intent.status), intent.id)


def confirms_charge(payment_intent_id: str, amount_cents: int, idempotency_key: str) -> bool:
    """Whether Stripe itself says this PaymentIntent succeeded for this amount and this
    payment of ours (a signed event is checked against the source before money is posted).
    """
    try:
        intent = client().v1.payment_intents.retrieve(payment_intent_id)
    except stripe.InvalidRequestError:
        return False  # no such PaymentIntent
    metadata = intent.metadata.to_dict() if intent.metadata else {}
    return (intent.status == "succeeded" and intent.amount == amount_cents
            and metadata.get("textpay_key") == idempotency_key)


def find_intent_for(idempotency_key: str, customer_id: str | None = None,
                    since: datetime | None = None) -> ChargeResult | None:
    """Find the PaymentIntent we created with this key, if Stripe ever got it.

    Every intent carries `metadata.textpay_key`. Listing is read-after-write
    consistent (Stripe's search can lag a minute behind, which could make a
    charge that happened look like one that did not), so we list the
    customer's intents since the attempt; the emulator knows no filters, so
    there every intent is listed.
    """
    intents = client().v1.payment_intents
    try:
        params: dict = {"limit": 100}
        if customer_id:
            params["customer"] = customer_id
        if since is not None:
            params["created"] = {"gte": int(since.replace(tzinfo=timezone.utc).timestamp())}
        pages = intents.list(params=params)
    except stripe.InvalidRequestError:
        pages = intents.list(params={"limit": 100})
    for intent in pages.auto_paging_iter():
        metadata = intent.metadata.to_dict() if intent.metadata else {}
        if metadata.get("textpay_key") == idempotency_key:
            return ChargeResult(_outcome_of_status(intent.status), intent.id)
    return None


def charge_payment_intent(charge_id: str) -> str | None:
    """The PaymentIntent behind a charge (older dispute events name only the charge)."""
    intent = client().v1.charges.retrieve(charge_id).payment_intent
    return getattr(intent, "id", intent)


def setup_intent_card(setup_intent_id: str) -> str | None:
    """The PaymentMethod a completed SetupIntent saved (Checkout in setup mode)."""
    intent = client().v1.setup_intents.retrieve(setup_intent_id)
    method = intent.payment_method
    return getattr(method, "id", method)


def card_on_file(payment_method_id: str) -> CardOnFile:
    """Brand and last4 of a stored PaymentMethod ("Visa", "4242")."""
    method = client().v1.payment_methods.retrieve(payment_method_id)
    card = method.card
    return CardOnFile(brand=(card.brand or "card").title(), last4=card.last4)


def ensure_customer(customer_id: str | None, name: str, reference: str) -> str:
    """The account's Stripe customer, created when it has none yet."""
    if customer_id:
        return customer_id
    customer = client().v1.customers.create(
        params={"name": name, "metadata": {"account_reference": reference}}
    )
    return customer.id


def attach_card(customer_id: str, payment_method_id: str) -> CardOnFile:
    """Attach a PaymentMethod to a customer (if needed) and describe the card."""
    method = client().v1.payment_methods.retrieve(payment_method_id)
    if getattr(method, "customer", None) != customer_id:
        method = client().v1.payment_methods.attach(
            payment_method_id, params={"customer": customer_id}
        )
    return CardOnFile(brand=(method.card.brand or "card").title(), last4=method.card.last4)


def emulator_card(number: str, exp_month: int, exp_year: int, cvc: str) -> str:
    """Create a test card in the emulator (stand-in for Stripe's hosted page)."""
    method = client().v1.payment_methods.create(params={
        "type": "card",
        "card": {"number": number, "exp_month": exp_month, "exp_year": exp_year, "cvc": cvc},
    })
    return method.id


def emulator_authenticate(payment_intent_id: str) -> ChargeResult:
    """Complete 3-D Secure in the emulator (stand-in for the bank's page)."""
    intent = client().v1.payment_intents.retrieve(payment_intent_id)
    if intent.status == "requires_action":
        client().raw_request(
            "post", f"/v1/payment_intents/{payment_intent_id}/_authenticate",
            client_secret=intent.client_secret, success="true",
        )
    return retrieve_outcome(payment_intent_id)


def client_secret(payment_intent_id: str) -> str:
    """The client secret Stripe.js needs to finish a payment on the borrower's phone."""
    return client().v1.payment_intents.retrieve(payment_intent_id).client_secret


def checkout_setup_url(customer_id: str, success_url: str, cancel_url: str,
                       metadata: dict[str, str]) -> str:
    """A Stripe-hosted Checkout page (setup mode) where the borrower adds a card."""
    session = client().v1.checkout.sessions.create(params={
        "mode": "setup",
        "customer": customer_id,
        "currency": "usd",
        "payment_method_types": ["card"],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "metadata": metadata,
        # Copied to the SetupIntent too, so setup_intent.succeeded names the link.
        "setup_intent_data": {"metadata": metadata},
    })
    return session.url
