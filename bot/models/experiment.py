"""Reminder experiments: variants of one reminder template, compared on what they collect."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from bot.models.base import Base, Timestamped


class ExperimentAllocation:
    """How reminders are shared between an experiment's variants.

    thompson: by Thompson sampling on "paid within 3 days" (with a floor per
    variant while evidence is thin); equal: a fixed equal split.
    """

    THOMPSON = "thompson"
    EQUAL = "equal"
    ALL = (THOMPSON, EQUAL)


class Experiment(Timestamped, Base):
    """Variants of one reminder kind tried against each other (one running per kind)."""

    __tablename__ = "experiments"

    dealer_id = Column(ForeignKey("dealers.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(40), nullable=False)  # reminder_upcoming | reminder_due | ...
    name = Column(String(100), nullable=False)
    allocation = Column(String(20), nullable=False, default=ExperimentAllocation.THOMPSON)
    # While a variant has fewer than `thin_evidence` settled reminders, it keeps at
    # least `min_share` of the reminders (so a slow start cannot starve it).
    min_share = Column(Float, nullable=False, default=0.1)
    status = Column(String(20), nullable=False, default="running", index=True)
    stopped_at = Column(DateTime)

    variants = relationship("ExperimentVariant", back_populates="experiment",
                            order_by="ExperimentVariant.position", cascade="all, delete-orphan")


class ExperimentVariant(Timestamped, Base):
    """One wording of the reminder: an English body and optionally a Spanish one (else the
    dealer's template for that language is sent, still counted for this variant)."""

    __tablename__ = "experiment_variants"

    experiment_id = Column(ForeignKey("experiments.id", ondelete="CASCADE"), nullable=False,
                           index=True)
    label = Column(String(40), nullable=False)
    position = Column(Integer, nullable=False, default=0)
    body_en = Column(Text, nullable=False)
    body_es = Column(Text)

    experiment = relationship("Experiment", back_populates="variants")

    def body(self, language: str) -> str | None:
        """The variant's text in a language, or None (then the dealer's template goes)."""
        return self.body_es if language == "es" else self.body_en
