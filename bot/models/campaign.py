"""Reminder campaigns: dealer templates, schedule steps, and each reminder sent."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)

from bot.models.base import Base, Timestamped


class MessageTemplate(Timestamped, Base):
    """A dealer's own text for a kind of message in one language (Jinja2, sandboxed)."""

    __tablename__ = "message_templates"
    __table_args__ = (
        UniqueConstraint("dealer_id", "kind", "language", name="uq_templates_dealer_kind_lang"),
    )

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(40), nullable=False)
    language = Column(String(2), nullable=False)
    body = Column(Text, nullable=False)


class ScheduleStep(Timestamped, Base):
    """Send `template` `offset_days` from each account's due date (negative: before)."""

    __tablename__ = "schedule_steps"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    offset_days = Column(Integer, nullable=False)
    template = Column(String(40), nullable=False)
    position = Column(Integer, nullable=False, default=0)


class ReminderStatus:
    """queued -> enqueued -> sending -> sent | failed, or deferred (quiet hours) | skipped.

    queued: planned, not judged yet; deferred: waits for `send_after`;
    skipped: held back for `reason` (judged again while the step is current);
    enqueued: handed to the job queue; sending: a worker claimed it (never
    sent twice); failed: the carrier refused it, or too many attempts.
    """

    QUEUED = "queued"
    DEFERRED = "deferred"
    SKIPPED = "skipped"
    ENQUEUED = "enqueued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    READY = (QUEUED, DEFERRED, SKIPPED)


class Reminder(Timestamped, Base):
    """One planned reminder: unique per account, step and due date (idempotent sends)."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("account_id", "template", "offset_days", "due_date",
                         name="uq_reminders_account_step_due"),
        Index("ix_reminders_dealer_status_send_after", "dealer_id", "status", "send_after"),
    )

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    template = Column(String(40), nullable=False)
    offset_days = Column(Integer, nullable=False)
    due_date = Column(Date, nullable=False)
    language = Column(String(2), nullable=False, default="en")
    status = Column(String(20), nullable=False, index=True)
    reason = Column(String(30))
    send_after = Column(DateTime)  # deferred until (quiet hours)
    message_id = Column(ForeignKey("messages.id", ondelete="SET NULL"))
    sent_at = Column(DateTime, index=True)
    attempts = Column(Integer, nullable=False, default=0)  # sends tried (capped)
    # The experiment variant whose wording this reminder carries (None: the template).
    variant_id = Column(ForeignKey("experiment_variants.id", ondelete="SET NULL"), index=True)


class SurveyResponse(Timestamped, Base):
    """A 1-5 answer to "How did we do?"."""

    __tablename__ = "survey_responses"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    borrower_id = Column(ForeignKey("borrowers.id", ondelete="CASCADE"), nullable=False,
                         index=True)
    account_id = Column(ForeignKey("accounts.id", ondelete="SET NULL"))
    score = Column(Integer)
    trigger = Column(String(30))  # payment | escalation
    trigger_id = Column(Integer)  # the payment's or the escalation's id
    message_id = Column(ForeignKey("messages.id", ondelete="SET NULL"))  # the question
    answered_at = Column(DateTime)
