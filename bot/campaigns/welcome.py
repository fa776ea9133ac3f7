"""After accounts are created: their welcome texts, and the cards they brought.

A welcome is planned in the same transaction as its account (a `Reminder`
row of kind `welcome`), so it is never lost and never doubled. Delivering it
right away is a job: on RQ when REDIS_URL is set; inline for a handful of
accounts (the API creating one); otherwise — a big import without a queue —
the next `textpay send-reminders` sends them, so the import never waits on
the one-text-per-second pace.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

import stripe

from bot import jobs
from bot.campaigns.dispatch import judge_ready, send_batch
from bot.campaigns.planner import WELCOME
from bot.clock import utcnow
from bot.db import session_scope
from bot.models import Account, Dealer
from bot.payments import merchant, stripe_gateway

log = logging.getLogger(__name__)

INLINE_LIMIT = 10


def deliver_welcomes(dealer_id: int) -> dict:
    """The job: send the dealer's planned welcome texts that may go now."""
    at = utcnow()
    with session_scope() as session:
        judgement = judge_ready(session, session.get(Dealer, dealer_id), at, only=WELCOME)
    result = send_batch(judgement.sendable, at.isoformat(), at.isoformat())
    for reason, count in judgement.skipped.items():
        result["skipped"][reason] = result["skipped"].get(reason, 0) + count
    return result


def read_cards(account_ids: Collection[int]) -> int:
    """The job: brand and last4 from Stripe for accounts whose card is not known yet."""
    read = 0
    for account_id in account_ids:
        with session_scope() as session:
            account = session.get(Account, account_id)
            if account is None or not account.stripe_payment_method_id or account.card_last4:
                continue
            dealers_stripe = merchant.for_dealer_or_none(account.dealer)
            if dealers_stripe is None:
                continue  # no Stripe account to read it from; charging will refuse it too
            try:
                card = stripe_gateway.card_on_file(dealers_stripe,
                                                   account.stripe_payment_method_id)
            except stripe.StripeError as error:
                log.warning("card of account %s not read: %s", account_id, type(error).__name__)
                continue
            account.card_brand, account.card_last4 = card.brand, card.last4
            read += 1
    return read


def after_creation(dealer_id: int, welcomes_planned: int,
                   cards_to_read: Collection[int] = ()) -> None:
    """Once new accounts are committed: send their welcomes soon, read their cards."""
    if cards_to_read:
        jobs.enqueue(read_cards, list(cards_to_read))
    if not welcomes_planned:
        return
    if jobs.queue_configured():
        jobs.enqueue(deliver_welcomes, dealer_id)
    elif welcomes_planned <= INLINE_LIMIT:
        deliver_welcomes(dealer_id)
