"""Charging the card on file, exactly once.

The life of a payment (see PaymentStatus):

1. `offer_payment` decides the amount and stores a *pending* row when the bot
   asks "Reply YES to pay $150.00 with Visa 4242".
2. `claim` moves it pending -> processing with one conditional UPDATE, so
   when many YES replies race (several workers, retries), exactly one wins;
   a stale row (older than the confirmation TTL) can never be claimed.
3. `charge_claimed` asks Stripe with the row's idempotency key and records
   the answer; only Stripe saying "succeeded" posts to the ledger, and the
   ledger accepts one entry per payment.

Each row records the Stripe account it is charged in (the dealer's, when the
row is made), committed with the claim, so that reconcile and webhooks look
in the right account even when Stripe's answer is lost. A dealer whose
Stripe account changed since the borrower was asked is not charged, and in
the deployment's shared account neither is a customer that another dealer
holds (bot/payments/shared_account.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import Account, Dealer, Payment, PaymentStatus
from bot.payments import ledger, merchant, shared_account, stripe_gateway
from bot.settings import get_settings

log = logging.getLogger(__name__)

# Words a borrower may use instead of a number (from bot/nlu's amount entity).
SYMBOLIC_AMOUNTS = ("balance", "amount_due", "half")


@dataclass(frozen=True)
class AmountDecision:
    """What the bot should do with the amount a borrower asked to pay."""

    kind: str  # ok | over_balance | below_minimum | nothing_owed
    amount_cents: int


def default_amount(account: Account) -> int:
    """What "pay" means without an amount: the amount due, else the balance."""
    if 0 < account.amount_due_cents <= account.balance_cents:
        return account.amount_due_cents
    return account.balance_cents


def resolve_requested(requested: int | str | None, account: Account) -> int:
    """Turn the NLU's amount (cents, or a word such as "half") into cents.

    "invalid" ("pay -50") is never charged: the pay flow asks "how much?"
    before coming here; anything else reading it gets the usual amount.
    """
    if requested is None or requested in ("amount_due", "invalid"):
        return default_amount(account)
    if requested == "balance":
        return account.balance_cents
    if requested == "half":
        return (default_amount(account) + 1) // 2
    return int(requested)


def decide_amount(requested_cents: int, account: Account, dealer: Dealer) -> AmountDecision:
    """Check an amount against the balance and the dealer's minimum payment."""
    balance = account.balance_cents
    if balance <= 0:
        return AmountDecision("nothing_owed", 0)
    if requested_cents > balance:
        return AmountDecision("over_balance", balance)
    # Paying off a balance smaller than the minimum is always allowed.
    minimum = min(dealer.minimum_payment_cents, balance)
    if requested_cents < minimum:
        return AmountDecision("below_minimum", minimum)
    return AmountDecision("ok", requested_cents)


def in_flight_payment(session: Session, account: Account) -> Payment | None:
    """A payment whose outcome is not known yet (blocks new charges)."""
    return session.execute(
        select(Payment)
        .where(Payment.account_id == account.id, Payment.status.in_(PaymentStatus.IN_FLIGHT))
        .order_by(Payment.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def create_pending(session: Session, account: Account, amount_cents: int) -> Payment:
    """Store the payment the bot is about to ask the borrower to confirm.

    Any older pending row for the account is canceled first: only the latest
    question can be answered YES.
    """
    cancel_open_offers(session, account)
    payment = Payment(
        dealer_id=account.dealer_id,
        account_id=account.id,
        amount_cents=amount_cents,
        status=PaymentStatus.PENDING,
        card_brand=account.card_brand,
        card_last4=account.card_last4,
        stripe_account_id=account.dealer.stripe_account_id,
    )
    session.add(payment)
    session.flush()
    return payment


def cancel_open_offers(session: Session, account: Account) -> None:
    """Cancel every pending payment of the account: a YES to it can charge no more."""
    session.execute(
        update(Payment)
        .where(Payment.account_id == account.id, Payment.status == PaymentStatus.PENDING)
        .values(status=PaymentStatus.CANCELED, updated_at=utcnow())
    )


def create_claimed(session: Session, account: Account, amount_cents: int,
                   source: str) -> Payment:
    """A payment already agreed to (a plan installment): stored straight as processing.

    Unlike `create_pending` it leaves any pending SMS confirmation alone.
    """
    payment = Payment(
        dealer_id=account.dealer_id, account_id=account.id, amount_cents=amount_cents,
        status=PaymentStatus.PROCESSING, source=source, confirmed_at=utcnow(),
        card_brand=account.card_brand, card_last4=account.card_last4,
        stripe_account_id=account.dealer.stripe_account_id,
    )
    session.add(payment)
    session.flush()
    return payment


def cancel_pending(session: Session, payment_id: int) -> bool:
    """NO to a confirmation: the pending row is canceled (True if it was pending)."""
    result = session.execute(
        update(Payment)
        .where(Payment.id == payment_id, Payment.status == PaymentStatus.PENDING)
        .values(status=PaymentStatus.CANCELED, updated_at=utcnow())
    )
    return result.rowcount == 1


def confirmation_deadline(now: datetime | None = None) -> datetime:
    """Pending rows created before this moment are too old to charge."""
    ttl = timedelta(minutes=get_settings().confirmation_ttl_minutes)
    return (now or utcnow()) - ttl


def claim(session: Session, payment_id: int, now: datetime | None = None) -> bool:
    """Move one fresh pending payment to processing. Only one caller ever wins."""
    now = now or utcnow()
    result = session.execute(
        update(Payment)
        .where(
            Payment.id == payment_id,
            Payment.status == PaymentStatus.PENDING,
            Payment.created_at >= confirmation_deadline(now),
        )
        .values(status=PaymentStatus.PROCESSING, confirmed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def expire_if_stale(session: Session, payment_id: int, now: datetime | None = None) -> bool:
    """Mark a pending payment expired when its confirmation window has passed."""
    result = session.execute(
        update(Payment)
        .where(
            Payment.id == payment_id,
            Payment.status == PaymentStatus.PENDING,
            Payment.created_at < confirmation_deadline(now),
        )
        .values(status=PaymentStatus.EXPIRED, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def charge_claimed(session: Session, payment: Payment, payers_card: str | None = None) -> str:
    """Charge a claimed (processing) payment through Stripe and record the outcome.

    The card is the account's card on file, or `payers_card`: a PaymentMethod
    someone else just entered for this payment, charged without a customer and
    saved on nobody (the borrower's card on file stays as it is).
    Returns the outcome (stripe_gateway.SUCCEEDED, DECLINED, ...). The caller
    must have committed the claim first so racing requests see it.
    """
    account = session.get(Account, payment.account_id)
    dealer = session.get(Dealer, payment.dealer_id)
    made_in = merchant.for_payment(payment)
    refusal = _refusal(session, dealer, account, made_in, checks_customer=not payers_card)
    if refusal is not None:
        result = stripe_gateway.ChargeResult(refusal)
        record_outcome(session, payment, result)
        return result.outcome
    customer, card = ((None, payers_card) if payers_card
                      else (account.stripe_customer_id, account.stripe_payment_method_id))
    result = stripe_gateway.charge_card(
        made_in,
        amount_cents=payment.amount_cents,
        currency=dealer.currency,
        customer_id=customer,
        payment_method_id=card,
        idempotency_key=payment.idempotency_key,
        metadata={
            "textpay_key": payment.idempotency_key,
            "textpay_payment_id": str(payment.id),
            "account_reference": account.reference,
        },
    )
    record_outcome(session, payment, result)
    return result.outcome


def _refusal(session: Session, dealer: Dealer, account: Account,
             made_in: merchant.Merchant, checks_customer: bool = True) -> str | None:
    """Why nothing may be charged (an outcome), or None when the charge may go ahead."""
    if merchant.for_dealer_or_none(dealer) != made_in:
        # No Stripe account, or not the one the borrower was asked to pay into.
        return stripe_gateway.NOT_CONNECTED
    if checks_customer and made_in.is_platform and shared_account.held_by_another(
            session, dealer.id, account.stripe_customer_id):
        # In the shared account this customer is (also) another dealer's: never charged.
        log.warning("charge refused: the customer of account %s is another dealer's in the "
                    "shared Stripe account", account.id)
        return stripe_gateway.CARD_UNAVAILABLE
    return None


_STATUS_FOR_OUTCOME = {
    stripe_gateway.DECLINED: PaymentStatus.FAILED,
    stripe_gateway.CARD_UNAVAILABLE: PaymentStatus.FAILED,
    stripe_gateway.NOT_CONNECTED: PaymentStatus.FAILED,
    stripe_gateway.AUTHENTICATION_REQUIRED: PaymentStatus.REQUIRES_ACTION,
    stripe_gateway.UNAVAILABLE: PaymentStatus.UNKNOWN,
    stripe_gateway.PROCESSING: PaymentStatus.UNKNOWN,
}

_FAILURE_REASON = {
    stripe_gateway.DECLINED: "declined",
    stripe_gateway.AUTHENTICATION_REQUIRED: "authentication_required",
    stripe_gateway.UNAVAILABLE: "stripe_unavailable",
    stripe_gateway.CARD_UNAVAILABLE: "card_unavailable",
    stripe_gateway.NOT_CONNECTED: "stripe_not_connected",
}


def record_outcome(
    session: Session, payment: Payment, result: stripe_gateway.ChargeResult
) -> bool:
    """Apply Stripe's answer to a payment; only `succeeded` touches the ledger.

    Returns True when this call posted the payment (so its receipt is ours to
    send). Both paths are conditional UPDATEs: when the bot, a webhook and
    `textpay reconcile` report the same payment at once, it is posted once,
    and a late failure report never undoes a recorded success.
    """
    if result.payment_intent_id:
        payment.stripe_payment_intent_id = result.payment_intent_id
    session.flush()  # the caller's pending changes must not be lost to the refresh below
    if result.outcome == stripe_gateway.SUCCEEDED:
        return ledger.record_payment(session, payment)
    session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.status != PaymentStatus.SUCCEEDED)
        .values(status=_STATUS_FOR_OUTCOME[result.outcome],
                failure_reason=_FAILURE_REASON.get(result.outcome), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.refresh(payment)
    return False
