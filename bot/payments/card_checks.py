"""Checking a dealer's Stripe ids before they are stored (the accounts API, CSV imports).

A customer or card id is taken only when it is in the dealer's own Stripe
account (bot/payments/merchant.py), and a card only when it belongs to that
customer. In the deployment's shared account (shared platform mode) the
customer must also not be another dealer's (bot/payments/shared_account.py):
the first dealer to import it keeps it. Anything else is refused with the same
words whether the id is made up or another dealer's, so a dealer's API key
learns nothing about other accounts. Charging checks again (Stripe refuses an
id that is not in the account the charge is made in, and the shared account's
owner is checked before every charge): an id stored before these checks, or
one that went stale, is never charged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import stripe
from sqlalchemy.orm import Session

from bot.models import Dealer
from bot.payments import shared_account, stripe_gateway
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


def _refused(error: stripe_gateway.CardNotFound) -> CardRefused:
    code = ("invalid_payment_method" if error.field == "stripe_payment_method_id"
            else "invalid_customer")
    return CardRefused(code, str(error))


def _check(merchant: Merchant, ids: CardIds) -> stripe_gateway.CardOnFile | None:
    customer_id, payment_method_id = ids
    try:
        return stripe_gateway.verify_card(merchant, customer_id, payment_method_id)
    except stripe_gateway.CardNotFound as error:
        raise _refused(error) from None
    except stripe.StripeError as error:
        log.warning("card not checked: %s", type(error).__name__)
        raise CardRefused("stripe_unavailable",
                          "could not reach Stripe to check the card; try again") from None


Outcome = stripe_gateway.CardOnFile | CardRefused | None


def _keep_to_owner(session: Session, dealer: Dealer, merchant: Merchant,
                   outcomes: dict[CardIds, Outcome]) -> dict[CardIds, Outcome]:
    """In the shared account, claim the customers found there for the dealer; a pair whose
    customer is another dealer's is refused as if its ids were made up."""
    if not merchant.is_platform:
        return outcomes
    found = [ids for ids, outcome in outcomes.items() if not isinstance(outcome, CardRefused)]
    taken = shared_account.claim(session, dealer.id, [customer for customer, _ in found])
    for ids in found:
        if ids[0] in taken:
            outcomes[ids] = _refused(stripe_gateway.not_found(ids[1]))
    return outcomes


def check_card(session: Session, dealer: Dealer, customer_id: str,
               payment_method_id: str | None) -> stripe_gateway.CardOnFile | None:
    """The card's brand and last4 (None without a card) if the ids are the dealer's.

    In the shared account the customer is claimed for the dealer in the
    session's transaction. Raises CardRefused otherwise, or when the dealer
    has no Stripe account.
    """
    outcome = check_cards(session, dealer, [(customer_id, payment_method_id)])[
        (customer_id, payment_method_id)]
    if isinstance(outcome, CardRefused):
        raise outcome
    return outcome


def check_cards(session: Session, dealer: Dealer,
                many: Iterable[CardIds]) -> dict[CardIds, Outcome]:
    """`check_card` for many pairs at once: each pair's card, or why it was refused."""
    pairs = list(dict.fromkeys(many))
    merchant = for_dealer_or_none(dealer)
    if merchant is None or not pairs:
        return dict.fromkeys(pairs, NOT_CONNECTED)

    def outcome(ids: CardIds) -> Outcome:
        try:
            return _check(merchant, ids)
        except CardRefused as refused:
            return refused

    if len(pairs) == 1:  # an API call: no thread pool for one id
        outcomes = {pairs[0]: outcome(pairs[0])}
    else:
        with ThreadPoolExecutor(max_workers=PARALLEL_CHECKS) as pool:
            outcomes = dict(zip(pairs, pool.map(outcome, pairs), strict=True))
    return _keep_to_owner(session, dealer, merchant, outcomes)
