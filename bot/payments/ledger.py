"""The ledger: the only code that changes an account's balance.

Each change is one conditional UPDATE plus one append-only entry, so a
payment reported as succeeded twice (the bot and a Stripe webhook, say) is
posted once, and a refund reported twice is added back once.
"""

from __future__ import annotations

from sqlalchemy import case, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import Account, ConfirmationCounter, LedgerEntry, Payment, PaymentStatus


def _next_confirmation_number(session: Session, dealer_id: int) -> int:
    """The dealer's next confirmation number, in the caller's transaction.

    The UPDATE locks the dealer's counter row until the transaction ends, so two
    payments succeeding at once get consecutive numbers, and a transaction that
    rolls back takes its number back with it: no gaps, no repeats.
    """
    counter = ConfirmationCounter.__table__
    for _attempt in range(2):
        moved = session.execute(
            update(counter).where(counter.c.dealer_id == dealer_id)
            .values(last_number=counter.c.last_number + 1))
        if moved.rowcount == 1:
            return session.execute(select(counter.c.last_number)
                                   .where(counter.c.dealer_id == dealer_id)).scalar_one()
        # The dealer's first payment: start its counter (a racing first one is fine).
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        session.execute(insert(counter).values(dealer_id=dealer_id, last_number=0)
                        .on_conflict_do_nothing())
    raise RuntimeError(f"no confirmation counter for dealer {dealer_id}")


def _description(payment: Payment) -> str:
    """The ledger line: a card payment, or who else paid (never their card)."""
    what = f"Paid by {payment.payer_name}" if payment.payer_name else "Card payment"
    return f"{what} {payment.stripe_payment_intent_id or ''}".strip()[:200]


def record_payment(session: Session, payment: Payment) -> bool:
    """Mark a payment succeeded and reduce the balance, once. True if posted now."""
    now = utcnow()
    moved = session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.status != PaymentStatus.SUCCEEDED)
        .values(status=PaymentStatus.SUCCEEDED, settled_at=now, updated_at=now,
                failure_reason=None)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        return False
    amount = payment.amount_cents
    session.execute(
        update(Account)
        .where(Account.id == payment.account_id)
        .values(
            balance_cents=Account.balance_cents - amount,
            amount_due_cents=case(
                (Account.amount_due_cents > amount, Account.amount_due_cents - amount),
                else_=0,
            ),
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    balance_after = session.execute(
        select(Account.balance_cents).where(Account.id == payment.account_id)
    ).scalar_one()
    session.add(
        LedgerEntry(
            account_id=payment.account_id,
            payment_id=payment.id,
            kind="payment",
            amount_cents=-amount,
            balance_after_cents=balance_after,
            description=_description(payment),
        )
    )
    # Last, so the counter row is locked for as short a time as possible.
    session.execute(
        update(Payment).where(Payment.id == payment.id)
        .values(confirmation_number=_next_confirmation_number(session, payment.dealer_id))
        .execution_options(synchronize_session=False))
    session.flush()
    session.refresh(payment)
    account = session.get(Account, payment.account_id)
    if account is not None:
        session.refresh(account)
    return True


def _claim_refunded_total(session: Session, payment_id: int, refunded_total: int) -> int:
    """Raise the payment's refunded amount to `refunded_total`; return the increase.

    Compare-and-set on the amount already recorded, so two deliveries of the
    same refund (or two refunds reported at once) never add the same cents twice.
    """
    for _attempt in range(5):
        recorded = session.execute(
            select(Payment.refunded_cents).where(Payment.id == payment_id)
        ).scalar_one()
        if refunded_total <= recorded:
            return 0
        moved = session.execute(
            update(Payment)
            .where(Payment.id == payment_id, Payment.refunded_cents == recorded)
            .values(refunded_cents=refunded_total, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount == 1:
            return refunded_total - recorded
    # Stripe redelivers a webhook that failed, so giving up here loses nothing.
    raise RuntimeError(f"refund of payment {payment_id} kept conflicting; try again")


def record_refund(session: Session, payment: Payment, refunded_total_cents: int,
                  reference: str = "") -> int:
    """Add refunded money back to the balance, once. Returns the cents added now.

    `refunded_total_cents` is everything refunded on the payment so far (what
    Stripe reports), so partial refunds and redeliveries both come out right.
    """
    if payment.status != PaymentStatus.SUCCEEDED:
        return 0  # never posted, so there is nothing to give back
    total = min(refunded_total_cents, payment.amount_cents)
    added = _claim_refunded_total(session, payment.id, total)
    if added <= 0:
        return 0
    now = utcnow()
    session.execute(
        update(Account)
        .where(Account.id == payment.account_id)
        .values(balance_cents=Account.balance_cents + added,
                amount_due_cents=Account.amount_due_cents + added, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    balance_after = session.execute(
        select(Account.balance_cents).where(Account.id == payment.account_id)
    ).scalar_one()
    session.add(LedgerEntry(
        account_id=payment.account_id, payment_id=payment.id, kind="refund",
        amount_cents=added, balance_after_cents=balance_after,
        description=f"Refund of {payment.confirmation_code} {reference}".strip(),
    ))
    session.flush()
    session.refresh(payment)
    return added
