"""Checking a dealer's Stripe ids before they are stored (the accounts API, CSV imports).

A customer or card id is taken only when it is in the dealer's own Stripe
account (bot/payments/merchant.py), and a card only when it belongs to that
customer. Anything else is refused with the same words whether the id is made
up or another dealer's, so a dealer's API key learns nothing about other
accounts. Charging checks again (Stripe refuses an id that is not in the
account the charge is made in): an id stored before these checks, or one that
went stale, is never charged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import stripe

from bot.models import Dealer
from bot.payments import stripe_gateway
from bot.payments.merchant import Merchant, for_dealer_or_none

log = logging.getLogger(__name__)

# Stripe answers one id in ~100 ms; a few at once keep a 1,000-card import under
# half a minute while staying far below Stripe's rate limit (100 requests/s live).
PARALLEL_CHECKS = 8

CardIds = tuple[str, str | None]  # (customer id, payment method id or None)


class CardRefused(ValueError):
    """The ids cannot be stored; `code` for the API, the message names the field."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


NOT_CONNECTED = CardRefused(
    "stripe_not_connected",
    "stripe_customer_id: this dealer has no Stripe account connected; connect it in the "
    "portal's settings before importing cards")


def _check(merchant: Merchant, ids: CardIds) -> stripe_gateway.CardOnFile | None:
    customer_id, payment_method_id = ids
    try:
        return stripe_gateway.verify_card(merchant, customer_id, payment_method_id)
    except stripe_gateway.CardNotFound as error:
        code = ("invalid_payment_method" if error.field == "stripe_payment_method_id"
                else "invalid_customer")
        raise CardRefused(code, str(error)) from None
    except stripe.StripeError as error:
        log.warning("card not checked: %s", type(error).__name__)
        raise CardRefused("stripe_unavailable",
                          "could not reach Stripe to check the card; try again") from None


def check_card(dealer: Dealer, customer_id: str,
               payment_method_id: str | None) -> stripe_gateway.CardOnFile | None:
    """The card's brand and last4 (None without a card) if the ids are the dealer's.

    Raises CardRefused otherwise, or when the dealer has no Stripe account.
    """
    merchant = for_dealer_or_none(dealer)
    if merchant is None:
        raise NOT_CONNECTED
    return _check(merchant, (customer_id, payment_method_id))


def check_cards(dealer: Dealer, many: Iterable[CardIds]
                ) -> dict[CardIds, stripe_gateway.CardOnFile | CardRefused | None]:
    """`check_card` for many pairs at once: each pair's card, or why it was refused."""
    pairs = list(dict.fromkeys(many))
    merchant = for_dealer_or_none(dealer)
    if merchant is None or not pairs:
        return dict.fromkeys(pairs, NOT_CONNECTED)

    def outcome(ids: CardIds) -> stripe_gateway.CardOnFile | CardRefused | None:
        try:
            return _check(merchant, ids)
        except CardRefused as refused:
            return refused

    with ThreadPoolExecutor(max_workers=PARALLEL_CHECKS) as pool:
        return dict(zip(pairs, pool.map(outcome, pairs), strict=True))
