"""A card holder disputed a charge with their bank (Stripe's charge.dispute.created).

The money is held by the bank until the dispute is decided, so a person must
look: the payment is flagged and a staff alert follows (an escalation for the
account). The balance is left alone; staff settle it once the bank decides.
"""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import Account, EscalationReason, Payment
from bot.money import format_cents
from bot.payments.followups import StaffAlert

log = logging.getLogger(__name__)


def flag_chargeback(session: Session, payment: Payment, amount_cents: int,
                    reason: str) -> StaffAlert | None:
    """Flag the payment, once; the staff alert when flagged now, else None."""
    now = utcnow()
    flagged = session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.disputed_at.is_(None))
        .values(disputed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if flagged.rowcount != 1:
        return None
    session.refresh(payment)
    account = session.get(Account, payment.account_id)
    amount = format_cents(amount_cents, account.dealer.currency)
    log.warning("chargeback on payment %s (%s)", payment.id, reason or "no reason")
    return StaffAlert(account.id, EscalationReason.CHARGEBACK,
                      f"Card dispute opened with the bank for {amount} of payment "
                      f"{payment.confirmation_code} (reason: {reason or 'not given'}).")
