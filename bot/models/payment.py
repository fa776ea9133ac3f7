"""Payments (one row per attempt to charge) and the ledger they post to."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import relationship

from bot.models.base import Base, Timestamped


class PaymentStatus:
    """The life of a payment row.

    pending -> processing -> succeeded | failed | requires_action | unknown
    pending -> canceled | expired
    `unknown` means Stripe's answer never arrived; `textpay reconcile` settles it.
    """

    PENDING = "pending"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REQUIRES_ACTION = "requires_action"
    UNKNOWN = "unknown"
    CANCELED = "canceled"
    EXPIRED = "expired"

    OPEN = (PENDING,)
    IN_FLIGHT = (PROCESSING, UNKNOWN, REQUIRES_ACTION)


def new_idempotency_key() -> str:
    """A key unique across databases (integer ids repeat between environments)."""
    return f"textpay-{uuid.uuid4().hex}"


class Payment(Timestamped, Base):
    """One attempt to charge the card on file for an account."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("dealer_id", "confirmation_number",
                         name="uq_payments_dealer_confirmation"),
    )

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    amount_cents = Column(Integer, nullable=False)
    status = Column(String(20), nullable=False, default=PaymentStatus.PENDING, index=True)
    source = Column(String(20), nullable=False, default="sms")  # sms | plan | payer | ...
    # Someone other than the borrower paid on the hosted payer page (source "payer"): the
    # name they gave. Their card is neither saved nor shown (card_brand/last4 stay empty).
    payer_name = Column(String(200))
    stripe_payment_intent_id = Column(String(255), index=True)
    # The Stripe account the charge is made in (the dealer's connected account when the
    # borrower was asked; NULL: the deployment's own). Webhooks and reconcile look there.
    stripe_account_id = Column(String(64))
    idempotency_key = Column(String(64), nullable=False, unique=True, default=new_idempotency_key)
    # A plain category (declined, authentication_required, stripe_unavailable),
    # never Stripe's decline code: borrowers and logs get no more than that.
    failure_reason = Column(String(40))
    card_brand = Column(String(32))
    card_last4 = Column(String(4))
    confirmed_at = Column(DateTime)
    settled_at = Column(DateTime)
    # Refunded so far, as Stripe reports it (charge.refunded); the ledger adds it back.
    refunded_cents = Column(Integer, nullable=False, default=0, server_default="0")
    # The card holder disputed the charge with their bank (charge.dispute.created).
    disputed_at = Column(DateTime)
    # The dealer's next number, given when (and only when) the payment succeeds.
    confirmation_number = Column(Integer)

    account = relationship("Account", back_populates="payments")

    @property
    def confirmation_code(self) -> str:
        """The number a borrower can quote to staff: TP + the dealer's confirmation number
        ("" until the payment has succeeded)."""
        if self.confirmation_number is None:
            return ""
        return f"TP{self.confirmation_number:06d}"


class ConfirmationCounter(Base):
    """The last confirmation number a dealer gave out (payments that succeeded)."""

    __tablename__ = "confirmation_counters"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), primary_key=True)
    last_number = Column(Integer, nullable=False, default=0, server_default="0")


class LedgerEntry(Timestamped, Base):
    """An append-only record of every change to an account's balance."""

    __tablename__ = "ledger_entries"
    # A payment is posted once; its refunds may be several entries.
    __table_args__ = (
        Index("uq_ledger_entries_payment_once", "payment_id", unique=True,
              sqlite_where=text("kind = 'payment'"), postgresql_where=text("kind = 'payment'")),
    )

    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    payment_id = Column(ForeignKey("payments.id", ondelete="SET NULL"))
    kind = Column(String(20), nullable=False)  # payment | refund
    # Negative amounts reduce what the borrower owes.
    amount_cents = Column(Integer, nullable=False)
    balance_after_cents = Column(Integer, nullable=False)
    description = Column(String(200))
