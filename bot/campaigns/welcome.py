"""After accounts are created: their welcome texts, and the cards they brought.

A welcome is planned in the same transaction as its account (a `Reminder`
row of kind `welcome`), so it is never lost and never doubled. Delivering it
right away is a job: on RQ when REDIS_URL is set; inline for a handful of
accounts (the API creating one), and then only the welcomes of the accounts
this request created; otherwise — a big import without a queue, or any
welcome still waiting from an earlier one — the next `textpay send-reminders`
sends them. A request never sends a backlog: it never waits on the
one-text-per-second pace for texts that are not its own.
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


def deliver_welcomes(dealer_id: int, account_ids: Collection[int] | None = None) -> dict:
    """The job: send the dealer's planned welcome texts that may go now (only those of
    `account_ids` when given)."""
    at = utcnow()
    with session_scope() as session:
        judgement = judge_ready(session, session.get(Dealer, dealer_id), at, only=WELCOME,
                                accounts=account_ids)
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


def after_creation(dealer_id: int, welcomed: Collection[int],
                   cards_to_read: Collection[int] = ()) -> None:
    """Once new accounts are committed: send their welcomes soon, read their cards.

    `welcomed` are the new accounts whose welcome was planned. Without a queue, a
    handful are sent here, and never anyone else's (see the module docstring).
    """
    if cards_to_read:
        jobs.enqueue(read_cards, list(cards_to_read))
    if not welcomed:
        return
    if jobs.queue_configured():
        jobs.enqueue(deliver_welcomes, dealer_id)
    elif len(welcomed) <= INLINE_LIMIT:
        deliver_welcomes(dealer_id, list(welcomed))
