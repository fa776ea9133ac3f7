"""Charging plan installments on their dates (`textpay run-due`), each exactly once.

An installment is claimed scheduled -> processing with one conditional
UPDATE, so overlapping runs (cron plus a worker, say) cannot both charge it.
Each attempt is its own payment row with its own idempotency key. A failed
charge is retried the next day; the second failure ends the plan and hands
it to a person.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.escalations import open_escalation
from bot.localtime import local_today
from bot.messaging.notices import send_notice
from bot.models import (
    Account,
    EscalationReason,
    Installment,
    Payment,
    PaymentStatus,
    Plan,
    PlanStatus,
)
from bot.money import format_cents
from bot.payments import cards, charging, links, stripe_gateway

log = logging.getLogger(__name__)

MAX_FAILURES = 2


def _attempt_date(installment: Installment) -> date:
    return installment.next_attempt_on or installment.due_date


def _active_installments(session: Session, status: str) -> list[Installment]:
    return list(session.execute(
        select(Installment).join(Plan)
        .where(Plan.status == PlanStatus.ACTIVE, Installment.status == status)
        .order_by(Installment.id)
    ).scalars())


def _money(account: Account, cents: int) -> str:
    return format_cents(cents, account.dealer.currency, account.borrower.language)


def notify_upcoming(session: Session, at: datetime) -> int:
    """Text borrowers whose installment is due tomorrow (once per installment)."""
    sent = 0
    for installment in _active_installments(session, "scheduled"):
        account = session.get(Account, installment.account_id)
        today = local_today(account.borrower, account.dealer, at)
        if installment.notified_at or _attempt_date(installment) != today + timedelta(days=1):
            continue
        if send_notice(session, account, "plan_due_tomorrow",
                       amount=_money(account, installment.amount_cents),
                       card=f"{account.card_brand or 'card'} {account.card_last4 or ''}".strip()):
            installment.notified_at = utcnow()
            sent += 1
        session.commit()
    return sent


def claim_installment(session: Session, installment: Installment) -> bool:
    """Move a scheduled installment to processing; only one caller ever wins."""
    result = session.execute(
        update(Installment)
        .where(Installment.id == installment.id, Installment.status == "scheduled")
        .values(status="processing", updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def charge_due(session: Session, at: datetime) -> dict[str, int]:
    """Charge every installment due by `at` (borrower's local date); count outcomes."""
    counts: dict[str, int] = {}
    for installment in _active_installments(session, "scheduled"):
        account = session.get(Account, installment.account_id)
        if _attempt_date(installment) > local_today(account.borrower, account.dealer, at):
            continue
        if not claim_installment(session, installment):
            continue
        outcome = charge_claimed_installment(session, installment, at)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def charge_claimed_installment(session: Session, installment: Installment,
                               at: datetime, notify: bool = True) -> str:
    """Charge a claimed installment through Stripe and apply the outcome.

    `notify=False` when the borrower is in the conversation and the reply
    itself carries the receipt or the failure.
    """
    account = session.get(Account, installment.account_id)
    payment = charging.create_claimed(session, account, installment.amount_cents, source="plan")
    installment.payment_id = payment.id
    session.commit()  # the claim and the payment row are visible before Stripe is called
    if not (account.stripe_customer_id and account.stripe_payment_method_id):
        charging.record_outcome(session, payment,
                                stripe_gateway.ChargeResult(stripe_gateway.DECLINED))
        outcome = stripe_gateway.DECLINED
    else:
        outcome = charging.charge_claimed(session, payment)
    apply_payment_result(session, installment, at, notify)
    session.commit()
    return outcome


def apply_payment_result(session: Session, installment: Installment, at: datetime,
                         notify: bool = True) -> None:
    """Move an installment on from its payment's status (also after reconcile)."""
    payment = session.get(Payment, installment.payment_id)
    session.refresh(payment)
    if payment.status == PaymentStatus.SUCCEEDED:
        _paid(session, installment, payment, notify)
    elif payment.status in (PaymentStatus.FAILED, PaymentStatus.REQUIRES_ACTION):
        _failed(session, installment, at, notify)


def _paid(session: Session, installment: Installment, payment: Payment, notify: bool) -> None:
    installment.status = "paid"
    account = session.get(Account, installment.account_id)
    if notify:
        cards.send_receipt(session, payment, account)
    plan = session.get(Plan, installment.plan_id)
    open_left = session.execute(
        select(func.count()).select_from(Installment)
        .where(Installment.plan_id == plan.id, Installment.status != "paid")
    ).scalar_one()
    if open_left == 0:
        plan.status = PlanStatus.COMPLETED


def _failed(session: Session, installment: Installment, at: datetime, notify: bool) -> None:
    installment.failures += 1
    account = session.get(Account, installment.account_id)
    link = links.create_link(session, links.UPDATE_CARD, account.id)
    amount = _money(account, installment.amount_cents)
    if installment.failures >= MAX_FAILURES:
        installment.status = "failed"
        session.get(Plan, installment.plan_id).status = PlanStatus.FAILED
        open_escalation(session, dealer_id=account.dealer_id, borrower_id=account.borrower_id,
                        account_id=account.id, reason=EscalationReason.FAILED_INSTALLMENT,
                        detail=f"installment {installment.sequence} of plan "
                               f"{installment.plan_id} failed twice ({amount})")
        if notify:
            send_notice(session, account, "plan_failed_final", amount=amount, link=link)
        return
    installment.status = "scheduled"
    installment.next_attempt_on = local_today(account.borrower, account.dealer, at) + \
        timedelta(days=1)
    if notify:
        send_notice(session, account, "plan_failed_retry", amount=amount, link=link)


def settle_processing(session: Session, at: datetime) -> int:
    """Installments whose charge outcome arrived later (reconcile, webhooks)."""
    settled = 0
    for installment in _active_installments(session, "processing"):
        if installment.payment_id is None:
            continue
        before = installment.status
        apply_payment_result(session, installment, at)
        settled += installment.status != before
        session.commit()
    return settled
