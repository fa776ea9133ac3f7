"""Charging plan installments on their dates (`textpay run-due`), each exactly once.

An installment is claimed scheduled -> processing with one conditional
UPDATE, so overlapping runs (cron plus a worker, say) cannot both charge it.
Each attempt is its own payment row with its own idempotency key. A failed
charge is retried the next day; the second failure ends the plan and hands
it to a person. Every step returns its follow-ups (texts for the borrower,
an alert for staff); the caller carries them out (bot/payments/followups.py).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.localtime import local_today
from bot.models import (
    Account,
    Dispute,
    EscalationReason,
    Installment,
    Payment,
    PaymentStatus,
    Plan,
    PlanStatus,
)
from bot.money import format_cents
from bot.payments import charging, links, plans, promises, stripe_gateway
from bot.payments.followups import FollowUp, Notice, StaffAlert, receipt
from bot.payments.plans import add_periods

log = logging.getLogger(__name__)

MAX_FAILURES = 2


def _attempt_date(installment: Installment) -> date:
    return installment.next_attempt_on or installment.due_date


def _active_installments(session: Session, status: str) -> list[Installment]:
    query = select(Installment).join(Plan).where(Plan.status == PlanStatus.ACTIVE,
                                                 Installment.status == status)
    if status == "scheduled":
        # While the borrower disputes the debt, nothing more is charged or announced:
        # the plan waits until staff settle the dispute.
        query = query.where(~exists().where(Dispute.account_id == Installment.account_id,
                                            Dispute.status == "open"))
    return list(session.execute(query.order_by(Installment.id)).scalars())


def _money(account: Account, cents: int) -> str:
    return format_cents(cents, account.dealer.currency, account.borrower.language)


def due_tomorrow(session: Session, at: datetime) -> list[tuple[Installment, Notice]]:
    """Installments due tomorrow (borrower's local date) not yet announced, each with
    its "due tomorrow" notice; `mark_notified` once the notice went."""
    found = []
    for installment in _active_installments(session, "scheduled"):
        account = session.get(Account, installment.account_id)
        today = local_today(account.borrower, account.dealer, at)
        if installment.notified_at or _attempt_date(installment) != today + timedelta(days=1):
            continue
        card = f"{account.card_brand or 'card'} {account.card_last4 or ''}".strip()
        found.append((installment, Notice(account.id, "plan_due_tomorrow", {
            "amount": _money(account, installment.amount_cents), "card": card})))
    return found


def mark_notified(installment: Installment) -> None:
    """The borrower was told the installment is due tomorrow (never twice)."""
    installment.notified_at = utcnow()


def claim_installment(session: Session, installment: Installment) -> bool:
    """Move a scheduled installment to processing; only one caller ever wins."""
    result = session.execute(
        update(Installment)
        .where(Installment.id == installment.id, Installment.status == "scheduled")
        .values(status="processing", updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def start_plan(session: Session, plan_id: int, today: date,
               at: datetime) -> tuple[bool, Installment | None, list[FollowUp]]:
    """YES to a proposed plan, by text or on the self-service page: it becomes active
    (only one acceptance ever counts; False when it was not), any open promise ends, and
    a first installment due by `today` is charged at once. Returns whether it started,
    the installment charged now (or None) and its follow-ups."""
    if not plans.accept(session, plan_id):
        return False, None, []
    plan = session.get(Plan, plan_id)
    session.refresh(plan)
    promises.cancel_open(session, plan.account_id)  # the plan replaces an open promise
    first: Installment = plan.installments[0]
    if first.due_date <= today and claim_installment(session, first):
        _, followups = charge_claimed_installment(session, first, at)
        return True, first, followups
    return True, None, []


def due_now(session: Session, at: datetime) -> list[Installment]:
    """Installments to charge at `at` (due by the borrower's local date), unclaimed."""
    found = []
    for installment in _active_installments(session, "scheduled"):
        account = session.get(Account, installment.account_id)
        if _attempt_date(installment) <= local_today(account.borrower, account.dealer, at):
            found.append(installment)
    return found


def charge_claimed_installment(session: Session, installment: Installment,
                               at: datetime) -> tuple[str, list[FollowUp]]:
    """Charge a claimed installment through Stripe and apply the outcome.

    Returns the charge outcome and its follow-ups (a receipt, or the failure
    notice and, the second time, a staff alert). In a conversation the reply
    itself tells the borrower, so the dialogue passes on only the alerts.
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
    return outcome, apply_payment_result(session, installment, at)


def apply_payment_result(session: Session, installment: Installment,
                         at: datetime) -> list[FollowUp]:
    """Move an installment on from its payment's status (also after reconcile)."""
    payment = session.get(Payment, installment.payment_id)
    session.refresh(payment)
    if payment.status == PaymentStatus.SUCCEEDED:
        return _paid(session, installment, payment)
    if payment.status in (PaymentStatus.FAILED, PaymentStatus.REQUIRES_ACTION):
        return _failed(session, installment, at)
    return []


def _paid(session: Session, installment: Installment, payment: Payment) -> list[FollowUp]:
    installment.status = "paid"
    plan = session.get(Plan, installment.plan_id)
    open_left = session.execute(
        select(func.count()).select_from(Installment)
        .where(Installment.plan_id == plan.id, Installment.status != "paid")
    ).scalar_one()
    if open_left == 0:
        plan.status = PlanStatus.COMPLETED
    return [receipt(installment.account_id, payment.id)]


def _failed(session: Session, installment: Installment, at: datetime) -> list[FollowUp]:
    installment.failures += 1
    account = session.get(Account, installment.account_id)
    link = links.create_link(session, links.UPDATE_CARD, account.id)
    amount = _money(account, installment.amount_cents)
    if installment.failures >= MAX_FAILURES:
        installment.status = "failed"
        session.get(Plan, installment.plan_id).status = PlanStatus.FAILED
        plans.cancel_scheduled_installments(session, [installment.plan_id])
        return [StaffAlert(account.id, EscalationReason.FAILED_INSTALLMENT,
                           f"installment {installment.sequence} of plan "
                           f"{installment.plan_id} failed twice ({amount})"),
                Notice(account.id, "plan_failed_final", {"amount": amount, "link": link})]
    installment.status = "scheduled"
    installment.next_attempt_on = local_today(account.borrower, account.dealer, at) + \
        timedelta(days=1)
    return [Notice(account.id, "plan_failed_retry", {"amount": amount, "link": link})]


def still_processing(session: Session) -> list[Installment]:
    """Installments whose charge outcome arrives later (reconcile, webhooks)."""
    return [i for i in _active_installments(session, "processing") if i.payment_id is not None]


def move(installment: Installment, day: date) -> None:
    """Charge a scheduled installment on `day` instead (the borrower promised that date)."""
    installment.next_attempt_on = day
    installment.notified_at = None  # the "due tomorrow" text goes again before the new day


def split(session: Session, installment: Installment, first_cents: int, day: date) -> Installment:
    """Charge `first_cents` of a scheduled installment on `day` and add the rest as a new
    last payment of the plan, one period after the current last one. The plan's total
    does not change."""
    plan = session.get(Plan, installment.plan_id)
    last = max(plan.installments, key=lambda i: (i.due_date, i.sequence))
    rest = Installment(plan_id=plan.id, account_id=installment.account_id,
                       sequence=max(i.sequence for i in plan.installments) + 1,
                       due_date=add_periods(last.due_date, plan.frequency, 1),
                       amount_cents=installment.amount_cents - first_cents)
    installment.amount_cents = first_cents
    move(installment, day)
    session.add(rest)
    plan.installment_count = len(plan.installments) + 1
    session.flush()
    return rest
