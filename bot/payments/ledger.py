"""The ledger: the only code that changes an account's balance.

Each change is one conditional UPDATE plus one append-only entry, so a
payment reported as succeeded twice (the bot and a Stripe webhook, say) is
posted once.
"""

from __future__ import annotations

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import Account, LedgerEntry, Payment, PaymentStatus


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
            description=f"Card payment {payment.stripe_payment_intent_id or ''}".strip(),
        )
    )
    session.flush()
    session.refresh(payment)
    account = session.get(Account, payment.account_id)
    if account is not None:
        session.refresh(account)
    return True
