"""The deployment's own Stripe account when several dealers share it (shared platform mode).

A dealer without a connected account of its own takes its borrowers' cards in
the deployment's own Stripe account, together with every other such dealer
(bot/payments/merchant.py). Stripe cannot tell those dealers apart there, so
textpay does: a customer in the shared account belongs to the first dealer
that put it on one of its accounts (a `PlatformCustomer` row), and

- importing a customer (or a card attached to it) that another dealer holds is
  refused like an id that does not exist (bot/payments/card_checks.py);
- no payment is made for a customer that another dealer holds, whether by
  that claim or by one of its accounts (an account imported before claims
  existed may hold another dealer's customer): `held_by_another`.

Claims are race-safe: the customer id is unique in `platform_customers`, and a
claim is an INSERT that skips a taken id, so of two dealers importing the same
customer at the same moment the database lets exactly one in (on PostgreSQL
the second INSERT waits for the first transaction, then sees its row). Ids are
claimed in sorted order so two imports claiming overlapping sets cannot
deadlock.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator

from sqlalchemy import exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import db
from bot.clock import utcnow
from bot.models import Account, Dealer, PlatformCustomer

log = logging.getLogger(__name__)

# Ids per IN (...) list: far below SQLite's and PostgreSQL's parameter limits.
CHUNK = 500

SHARING = (Dealer.stripe_account_id.is_(None), Dealer.uses_platform_stripe.is_(True))


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _held_by_other_accounts(session: Session, dealer_id: int, ids: list[str]) -> set[str]:
    taken: set[str] = set()
    for chunk in _chunks(ids):
        taken.update(session.execute(
            select(Account.stripe_customer_id).distinct()
            .where(Account.stripe_customer_id.in_(chunk), Account.dealer_id != dealer_id)
        ).scalars())
    return taken


def _insert_claims(session: Session, dealer_id: int, ids: list[str]) -> None:
    if not ids:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    session.execute(insert(PlatformCustomer.__table__).on_conflict_do_nothing(), [
        {"stripe_customer_id": customer, "dealer_id": dealer_id, "created_at": now,
         "updated_at": now} for customer in ids])


def _claimed_by_others(session: Session, dealer_id: int, ids: list[str]) -> set[str]:
    taken: set[str] = set()
    for chunk in _chunks(ids):
        taken.update(session.execute(
            select(PlatformCustomer.stripe_customer_id)
            .where(PlatformCustomer.stripe_customer_id.in_(chunk),
                   PlatformCustomer.dealer_id != dealer_id)
        ).scalars())
    return taken


def claim(session: Session, dealer_id: int, customer_ids: Collection[str]) -> set[str]:
    """Claim customers of the shared account for a dealer, in the caller's transaction.

    Returns the ids that are another dealer's (held by one of its accounts, or
    claimed first): the caller must refuse those. The others are this dealer's
    from now on, once the caller commits.
    """
    ids = sorted({customer for customer in customer_ids if customer})
    if not ids:
        return set()
    held = _held_by_other_accounts(session, dealer_id, ids)
    _insert_claims(session, dealer_id, [customer for customer in ids if customer not in held])
    return held | _claimed_by_others(session, dealer_id, ids)


def held_by_another(session: Session, dealer_id: int, customer_id: str | None) -> bool:
    """Whether another dealer claimed this customer or has an account holding it.

    Checked before every charge in the shared account: such a customer is never
    charged for this dealer (one indexed lookup on each table, one round trip).
    """
    if not customer_id:
        return False
    claimed = exists().where(PlatformCustomer.stripe_customer_id == customer_id,
                             PlatformCustomer.dealer_id != dealer_id)
    on_account = exists().where(Account.stripe_customer_id == customer_id,
                                Account.dealer_id != dealer_id)
    return bool(session.execute(select(or_(claimed, on_account))).scalar())


def sharing_count(session: Session) -> int:
    """How many dealers take cards in the deployment's own Stripe account now."""
    return session.execute(select(func.count(Dealer.id)).where(*SHARING)).scalar_one()


def is_sharing(dealer: Dealer) -> bool:
    """Whether the dealer takes cards in the deployment's own (shared) Stripe account."""
    return dealer.stripe_account_id is None and bool(dealer.uses_platform_stripe)


def warn_if_shared() -> None:
    """Log one warning when more than one dealer shares the deployment's Stripe account.

    Called once when the web app starts. A database without the schema yet
    (before `textpay migrate`) or not answering is not this check's business.
    """
    try:
        with db.session_scope() as session:
            sharing = sharing_count(session)
    except SQLAlchemyError:
        return
    if sharing > 1:
        log.warning("%d dealers share this deployment's own Stripe account (shared platform "
                    "mode): their money lands in one Stripe account; textpay keeps each "
                    "customer to one dealer, but each dealer should connect its own "
                    "(README: Stripe)", sharing)
