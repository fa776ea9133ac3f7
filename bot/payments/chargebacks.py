"""A card holder disputed a charge with their bank (Stripe's charge.dispute.created).

The money is held by the bank until the dispute is decided, so a person must
look: the payment is flagged and an escalation is opened for the account.
The balance is left alone; staff settle it once the bank decides.
"""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.escalations import open_escalation
from bot.models import Account, Borrower, EscalationReason, Payment
from bot.money import format_cents

log = logging.getLogger(__name__)


def flag_chargeback(session: Session, payment: Payment, amount_cents: int, reason: str) -> bool:
    """Flag the payment and open an escalation, once. True if flagged now."""
    now = utcnow()
    flagged = session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.disputed_at.is_(None))
        .values(disputed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if flagged.rowcount != 1:
        return False
    session.refresh(payment)
    account = session.get(Account, payment.account_id)
    borrower = session.get(Borrower, account.borrower_id)
    amount = format_cents(amount_cents, account.dealer.currency)
    open_escalation(
        session, dealer_id=account.dealer_id, borrower_id=borrower.id, account_id=account.id,
        reason=EscalationReason.CHARGEBACK,
        detail=(f"Card dispute opened with the bank for {amount} of payment "
                f"{payment.confirmation_code} (reason: {reason or 'not given'})."),
    )
    log.warning("chargeback on payment %s (%s)", payment.id, reason or "no reason")
    return True
