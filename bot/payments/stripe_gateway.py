"""Stripe, through the official SDK: charge a stored card, read and check a card.

Everything Stripe-specific stays in this module; the rest of textpay sees
plain results (`ChargeResult`) and never a Stripe decline code, which
borrowers must not be shown and logs need not keep. Every function acts in
one merchant's Stripe account (bot/payments/merchant.py), its first argument.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import stripe

from bot.clock import epoch_seconds
from bot.payments.merchant import Merchant

log = logging.getLogger(__name__)

# Outcomes a charge can have, as the rest of the app understands them.
SUCCEEDED = "succeeded"
DECLINED = "declined"
AUTHENTICATION_REQUIRED = "authentication_required"
UNAVAILABLE = "unavailable"  # Stripe's answer never came: it may or may not have charged
PROCESSING = "processing"
# Nothing was charged because the customer or card is not in the dealer's Stripe account.
CARD_UNAVAILABLE = "card_unavailable"
# Nothing was charged because the dealer has no Stripe account we may act in.
NOT_CONNECTED = "not_connected"
# Stripe's shortest Checkout Session lifetime: an abandoned payer page expires then.
CHECKOUT_LIFETIME_SECONDS = 30 * 60


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


class CardNotFound(ValueError):
    """A customer or card id that is not in the merchant's Stripe account.

    `field` names the id (stripe_customer_id or stripe_payment_method_id). The
    message is the same whether the id is made up or another account's: a
    dealer learns nothing about ids outside its own account.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


NO_SUCH_CUSTOMER = "no such customer in this dealer's Stripe account"
# The one answer for a card that does not exist, is unattached, or is attached to
# another customer (of this dealer's, or of another dealer's in a shared account).
NOT_ITS_CARD = "not a card of that customer in this dealer's Stripe account"


def not_found(payment_method_id: str | None) -> CardNotFound:
    """The refusal a made-up pair of ids gets (the card's, when a card was named)."""
    if payment_method_id:
        return CardNotFound("stripe_payment_method_id", NOT_ITS_CARD)
    return CardNotFound("stripe_customer_id", NO_SUCH_CUSTOMER)


def _is_missing(error: stripe.InvalidRequestError) -> bool:
    # Stripe: 400 with code resource_missing ("No such customer"); the emulator: a 404.
    return error.code == "resource_missing" or error.http_status == 404


def _outcome_of_status(status: str) -> str:
    if status == "succeeded":
        return SUCCEEDED
    if status == "requires_action":
        return AUTHENTICATION_REQUIRED
    if status in ("processing", "requires_capture"):
        return PROCESSING
    return DECLINED


def charge_card(
    merchant: Merchant,
    *,
    amount_cents: int,
    currency: str,
    customer_id: str | None,
    payment_method_id: str,
    idempotency_key: str,
    metadata: dict[str, str],
) -> ChargeResult:
    """Charge a stored card off-session in the merchant's account, once per idempotency key.

    Without a customer the card is one somebody just entered for this payment alone
    (someone else paying): charged on the spot, saved nowhere.
    A customer or card that is not in that account charges nothing
    (CARD_UNAVAILABLE), and neither does an account that refuses us, such as
    one that disconnected from the platform (NOT_CONNECTED).
    """
    params: dict[str, Any] = {
        "amount": amount_cents,
        "currency": currency.lower(),
        "payment_method": payment_method_id,
        "confirm": True,
        "metadata": metadata,
    }
    if customer_id:
        params.update(customer=customer_id, off_session=True)
    try:
        intent = merchant.client().v1.payment_intents.create(
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
    except stripe.InvalidRequestError as error:
        if not _is_missing(error):
            raise
        log.warning("charge refused: %s is not in Stripe account %s", error.param, merchant)
        return ChargeResult(CARD_UNAVAILABLE)
    except (stripe.PermissionError, stripe.AuthenticationError) as error:
        log.warning("Stripe account %s refused us: %s", merchant, type(error).__name__)
        return ChargeResult(NOT_CONNECTED)
    except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError) as error:
        log.warning("stripe unavailable: %s", type(error).__name__)
        return ChargeResult(UNAVAILABLE)
    return ChargeResult(_outcome_of_status(intent.status), intent.id)


def retrieve_outcome(merchant: Merchant, payment_intent_id: str) -> ChargeResult:
    """Ask Stripe what became of a PaymentIntent (used by reconcile and webhooks)."""
    intent = merchant.client().v1.payment_intents.retrieve(payment_intent_id)
    return ChargeResult(_outcome_of_status(intent.status), intent.id)


def confirms_charge(merchant: Merchant, payment_intent_id: str, amount_cents: int,
                    idempotency_key: str) -> bool:
    """Whether Stripe itself says this PaymentIntent succeeded for this amount and this
    payment of ours (a signed event is checked against the source before money is posted).
    """
    try:
        intent = merchant.client().v1.payment_intents.retrieve(payment_intent_id)
    except stripe.InvalidRequestError:
        return False  # no such PaymentIntent
    metadata = intent.metadata.to_dict() if intent.metadata else {}
    return (intent.status == "succeeded" and intent.amount == amount_cents
            and metadata.get("textpay_key") == idempotency_key)


def find_intent_for(merchant: Merchant, idempotency_key: str, customer_id: str | None = None,
                    since: datetime | None = None) -> ChargeResult | None:
    """Find the PaymentIntent we created with this key, if Stripe ever got it.

    Every intent carries `metadata.textpay_key`. Listing is read-after-write
    consistent (Stripe's search can lag a minute behind, which could make a
    charge that happened look like one that did not), so we list the
    customer's intents since the attempt; the emulator knows no filters, so
    there every intent is listed.
    """
    intents = merchant.client().v1.payment_intents
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


def charge_payment_intent(merchant: Merchant, charge_id: str) -> str | None:
    """The PaymentIntent behind a charge (older dispute events name only the charge)."""
    intent = merchant.client().v1.charges.retrieve(charge_id).payment_intent
    return getattr(intent, "id", intent)


def setup_intent_card(merchant: Merchant, setup_intent_id: str) -> str | None:
    """The PaymentMethod a completed SetupIntent saved (Checkout in setup mode)."""
    intent = merchant.client().v1.setup_intents.retrieve(setup_intent_id)
    method = intent.payment_method
    return getattr(method, "id", method)


def card_on_file(merchant: Merchant, payment_method_id: str) -> CardOnFile:
    """Brand and last4 of a stored PaymentMethod ("Visa", "4242")."""
    return _describe(merchant.client().v1.payment_methods.retrieve(payment_method_id))


def _describe(method: stripe.PaymentMethod) -> CardOnFile:
    return CardOnFile(brand=(method.card.brand or "card").title(), last4=method.card.last4)


def _retrieve_or_not_found(retrieve: Callable[[str], Any], object_id: str,
                           refusal: CardNotFound) -> Any:
    try:
        found = retrieve(object_id)
    except stripe.InvalidRequestError as error:
        if _is_missing(error):
            raise refusal from None
        raise
    if getattr(found, "deleted", False):
        raise refusal
    return found


def verify_card(merchant: Merchant, customer_id: str,
                payment_method_id: str | None) -> CardOnFile | None:
    """Check that a customer, and its card, are in the merchant's Stripe account.

    The card must be attached to that customer (an off-session charge needs
    both). Returns the card's brand and last4 (None without a card); raises
    CardNotFound for an id that is not there, StripeError when Stripe fails.
    """
    client = merchant.client()
    refusal = not_found(payment_method_id)
    if not payment_method_id:
        _retrieve_or_not_found(client.v1.customers.retrieve, customer_id, refusal)
        return None
    method = _retrieve_or_not_found(client.v1.payment_methods.retrieve, payment_method_id,
                                    refusal)
    if getattr(method.customer, "id", method.customer) != customer_id:
        raise refusal
    return _describe(method)


def ensure_customer(merchant: Merchant, customer_id: str | None, name: str,
                    reference: str) -> str:
    """The account's Stripe customer, created when it has none yet."""
    if customer_id:
        return customer_id
    customer = merchant.client().v1.customers.create(
        params={"name": name, "metadata": {"account_reference": reference}}
    )
    return customer.id


def attach_card(merchant: Merchant, customer_id: str, payment_method_id: str) -> CardOnFile:
    """Attach a PaymentMethod to a customer (if needed) and describe the card."""
    methods = merchant.client().v1.payment_methods
    method = methods.retrieve(payment_method_id)
    if getattr(method, "customer", None) != customer_id:
        method = methods.attach(payment_method_id, params={"customer": customer_id})
    return _describe(method)


def emulator_card(merchant: Merchant, number: str, exp_month: int, exp_year: int,
                  cvc: str) -> str:
    """Create a test card in the emulator (stand-in for Stripe's hosted page)."""
    method = merchant.client().v1.payment_methods.create(params={
        "type": "card",
        "card": {"number": number, "exp_month": exp_month, "exp_year": exp_year, "cvc": cvc},
    })
    return method.id


def emulator_authenticate(merchant: Merchant, payment_intent_id: str) -> ChargeResult:
    """Complete 3-D Secure in the emulator (stand-in for the bank's page)."""
    client = merchant.client()
    intent = client.v1.payment_intents.retrieve(payment_intent_id)
    if intent.status == "requires_action":
        client.raw_request(
            "post", f"/v1/payment_intents/{payment_intent_id}/_authenticate",
            client_secret=intent.client_secret, success="true",
        )
    return retrieve_outcome(merchant, payment_intent_id)


def client_secret(merchant: Merchant, payment_intent_id: str) -> str:
    """The client secret Stripe.js needs to finish a payment on the borrower's phone."""
    return merchant.client().v1.payment_intents.retrieve(payment_intent_id).client_secret


def checkout_payment_url(merchant: Merchant, amount_cents: int, currency: str,
                         description: str, success_url: str, cancel_url: str,
                         metadata: dict[str, str], idempotency_key: str,
                         locale: str = "auto") -> str:
    """A Stripe-hosted Checkout page (payment mode) where someone else pays once.

    No customer: the payer's card is charged for this payment and saved nowhere.
    The metadata goes to the PaymentIntent too, whose `textpay_key` the webhook
    finds the payment by.
    """
    session = merchant.client().v1.checkout.sessions.create(params={
        "mode": "payment",
        "locale": locale,
        "payment_method_types": ["card"],
        "line_items": [{"quantity": 1, "price_data": {
            "currency": currency.lower(), "unit_amount": amount_cents,
            "product_data": {"name": description}}}],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        # An abandoned page must not hold the account's payments up for a day.
        "expires_at": int(epoch_seconds()) + CHECKOUT_LIFETIME_SECONDS,
    }, options={"idempotency_key": idempotency_key})
    return session.url


def checkout_setup_url(merchant: Merchant, customer_id: str, success_url: str,
                       cancel_url: str, metadata: dict[str, str], locale: str = "auto") -> str:
    """A Stripe-hosted Checkout page (setup mode) where the borrower adds a card,
    in `locale` ("en", "es"; "auto": the browser's)."""
    session = merchant.client().v1.checkout.sessions.create(params={
        "mode": "setup",
        "locale": locale,
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
