"""What the borrower can do on the self-service page, through the same services as by
text: pay an amount (charged exactly once, bot/payments/charging.py), set up a plan
within the dealer's rules (bot/payments/plans.py, installments.start_plan), get the
card page (preferences: bot/web/self_service_preferences.py). Each action is written
to the transcript staff see (bot/console/page_events.py); receipts and notices go out
by text as usual (bot/messaging/notices.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.console import page_events
from bot.localtime import local_today
from bot.messaging.notices import carry_out
from bot.models import Account, Payment, PaymentStatus, Plan, PlanStatus
from bot.money import format_cents, to_cents
from bot.payments import charging, installments, links, plans, stripe_gateway
from bot.payments.followups import receipt

SOURCE = "page"  # Payment.source of a payment made on the page
# How an offered plan may differ from the request (bot/payments/plans.py notes).
ADJUSTMENTS = ("frequency", "max_installments", "min_installment", "max_days")
# "50,5" or "50,50" is a decimal comma (Spanish), never fifty-five hundred dollars.
_DECIMAL_COMMA = re.compile(r"^\s*\$?\s*(\d+),(\d{1,2})\s*$")


@dataclass(frozen=True)
class Refusal:
    """Why an action was not taken: a page word and what fills it."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


def _money(account: Account, cents: int) -> str:
    return format_cents(cents, account.dealer.currency)


def parse_amount(text: str) -> int | None:
    """The amount typed into the form in cents, or None when it is not one."""
    text = (text or "").strip()
    match = _DECIMAL_COMMA.match(text)
    if match:
        text = f"{match.group(1)}.{match.group(2)}"
    if not text or len(text) > 20:
        return None
    try:
        return to_cents(text)
    except ValueError:
        return None


def start_payment(session: Session, account: Account, typed: str) -> Payment | Refusal:
    """The pay form: check the amount (more than 0, at most the balance, at least the
    dealer's minimum) and store the payment waiting for the confirm button."""
    cents = parse_amount(typed)
    if cents is None or cents <= 0:
        return Refusal("error_amount")
    in_flight = charging.in_flight_payment(session, account)
    if in_flight is not None:
        return Refusal("error_in_flight", {"amount": in_flight.amount_cents})
    decision = charging.decide_amount(cents, account, account.dealer)
    if decision.kind == "nothing_owed":
        return Refusal("nothing_owed")
    if decision.kind == "over_balance":
        return Refusal("error_over_balance", {"amount": account.balance_cents})
    if decision.kind == "below_minimum":
        return Refusal("error_below_minimum", {"amount": decision.amount_cents})
    payment = charging.create_pending(session, account, decision.amount_cents)
    payment.source = SOURCE
    return payment


def confirm_payment(session: Session, account: Account, payment: Payment) -> None:
    """The confirm button: charge once, however often it is pressed or the page reloaded.

    Only the request whose conditional UPDATE moves the payment pending -> processing
    charges it (its idempotency key is the payment's own); the others change nothing
    and the page shows what became of the payment.
    """
    if not charging.claim(session, payment.id):
        charging.expire_if_stale(session, payment.id)
        return
    session.commit()  # racing presses see the claim before Stripe is called
    outcome = charging.charge_claimed(session, payment)
    amount, card = _money(account, payment.amount_cents), _card(payment)
    if outcome == stripe_gateway.SUCCEEDED:
        page_events.record(session, account, page_events.PAID,
                           f"Paid {amount} with {card}, confirmation "
                           f"{payment.confirmation_code}.")
        carry_out(session, [receipt(account.id, payment.id)])  # the receipt, by text
    else:
        page_events.record(session, account, page_events.PAYMENT_FAILED,
                           f"Tried to pay {amount} with {card}: "
                           f"{(payment.failure_reason or payment.status).replace('_', ' ')}.")


def _card(payment: Payment) -> str:
    return f"{payment.card_brand or 'card'} {payment.card_last4 or ''}".strip()


def approval_link(session: Session, payment: Payment) -> str | None:
    """The bank's approval page for a payment that needs it (a new single-use link)."""
    if payment.status != PaymentStatus.REQUIRES_ACTION:
        return None
    return links.create_link(session, links.AUTHENTICATE, payment.account_id, payment.id)


def propose_plan(session: Session, account: Account, count: int | None, frequency: str | None,
                 whole_balance: bool) -> tuple[Plan, list[str]] | Refusal:
    """The plan form: the closest plan the dealer's rules allow, waiting for the confirm
    button, and how it was fitted to the rules."""
    total = account.balance_cents if whole_balance else charging.default_amount(account)
    if total <= 0:
        return Refusal("nothing_owed")
    today = local_today(account.borrower, account.dealer, utcnow())
    request = plans.PlanRequest(total_cents=total, count=count, frequency=frequency)
    offer = plans.offer_plan(request, plans.PlanRules.of(account.dealer),
                             plans.plan_start(account, today, first_today=False))
    if offer is None:
        return Refusal("error_no_plan", {"amount": total})
    return plans.store_proposal(session, account, offer), offer.adjustments


def accept_plan(session: Session, account: Account, plan: Plan) -> bool:
    """The plan's confirm button: the plan starts once (a first installment due today is
    charged and its receipt texted); False when it was no longer waiting."""
    if plan.status == PlanStatus.PROPOSED and plan.created_at < charging.confirmation_deadline():
        plans.decline(session, plan.id)  # left too long on the screen: offer it afresh
        return False
    now = utcnow()
    today = local_today(account.borrower, account.dealer, now)
    started, _, followups = installments.start_plan(session, plan.id, today, now)
    if not started:
        return False
    session.refresh(plan)
    amounts = ", ".join(_money(account, i.amount_cents) for i in plan.installments)
    page_events.record(session, account, page_events.PLAN,
                       f"Set up a plan: {plan.installment_count} {plan.frequency} payments "
                       f"({amounts}) from {plan.installments[0].due_date:%b %d, %Y}.")
    carry_out(session, followups)
    return True


def card_page(session: Session, account: Account) -> str:
    """A single-use link to the existing card page (Stripe's hosted page in production)."""
    page_events.record(session, account, page_events.CARD,
                       "Opened the secure page to change the card on file.")
    return links.create_link(session, links.UPDATE_CARD, account.id)
