"""Payment plans and their installments."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import relationship

from bot.models.base import Base, Timestamped


class PlanStatus:
    """proposed -> active -> completed | failed | canceled."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELED = "canceled"


class Plan(Timestamped, Base):
    """An agreement to pay a total in installments on fixed dates."""

    __tablename__ = "plans"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(20), nullable=False, default=PlanStatus.PROPOSED, index=True)
    total_cents = Column(Integer, nullable=False)
    frequency = Column(String(20), nullable=False)  # weekly | biweekly | monthly | custom
    installment_count = Column(Integer, nullable=False)
    accepted_at = Column(DateTime)

    installments = relationship("Installment", back_populates="plan",
                                order_by="Installment.sequence", cascade="all, delete-orphan")


class Installment(Timestamped, Base):
    """One dated payment of a plan; charged by `textpay run-due`, exactly once."""

    __tablename__ = "installments"
    __table_args__ = (UniqueConstraint("plan_id", "sequence", name="uq_installments_plan_seq"),)

    plan_id = Column(ForeignKey("plans.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    sequence = Column(Integer, nullable=False)
    due_date = Column(Date, nullable=False, index=True)
    amount_cents = Column(Integer, nullable=False)
    # scheduled | processing | paid | failed | canceled
    status = Column(String(20), nullable=False, default="scheduled", index=True)
    failures = Column(Integer, nullable=False, default=0)
    payment_id = Column(ForeignKey("payments.id", ondelete="SET NULL"))
    notified_at = Column(DateTime)  # the "due tomorrow" text
    # After a failed charge, the next try (the original due_date is kept).
    next_attempt_on = Column(Date)

    plan = relationship("Plan", back_populates="installments")
