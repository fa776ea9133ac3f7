"""The scheduled money runs: `textpay run-due` and `textpay reconcile`.

run-due does everything that falls due at a moment: plan installments are
charged (and announced the day before), and promises get their morning
reminder or are settled as kept or broken. reconcile settles payments whose
outcome never arrived. The Payments layer moves the money and says what must
follow; this module carries it out (texts, staff alerts) and commits after
each item, so a crash never charges or texts twice. Both are safe to run as
often as you like.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.clock import parse_instant, utcnow
from bot.db import session_scope
from bot.messaging.notices import carry_out, tell
from bot.payments import installments, promises
from bot.payments.reconcile import reconcile


def _settle_installments(session: Session, at: datetime) -> int:
    settled = 0
    for installment in installments.still_processing(session):
        followups = installments.apply_payment_result(session, installment, at)
        settled += installment.status != "processing"
        carry_out(session, followups)
        session.commit()
    return settled


def _charge_installments(session: Session, at: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}
    for installment in installments.due_now(session, at):
        if not installments.claim_installment(session, installment):
            continue  # another run took it
        outcome, followups = installments.charge_claimed_installment(session, installment, at)
        carry_out(session, followups)
        session.commit()
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _announce_installments(session: Session, at: datetime) -> int:
    sent = 0
    for installment, notice in installments.due_tomorrow(session, at):
        if tell(session, notice):
            installments.mark_notified(installment)
            sent += 1
        session.commit()
    return sent


def _promises(session: Session, at: datetime) -> dict[str, int]:
    counts, alerts = promises.settle(session, at)
    carry_out(session, alerts)
    counts["reminded"] = 0
    for promise, notice in promises.due_for_reminder(session, at):
        if tell(session, notice):
            promises.mark_reminded(promise)
            counts["reminded"] += 1
        session.commit()
    session.commit()
    return {"reminded": counts["reminded"], "kept": counts["kept"], "broken": counts["broken"]}


def run_due(session: Session, at: datetime) -> dict[str, object]:
    """Do everything due at `at` (naive UTC); a summary of what happened."""
    settled = _settle_installments(session, at)
    charged = _charge_installments(session, at)
    notified = _announce_installments(session, at)
    return {
        "installments": {**charged, "settled_later": settled, "notified": notified},
        "promises": _promises(session, at),
    }


def run_due_job(at_iso: str | None = None) -> dict[str, object]:
    """The same, as a job the worker runs (`textpay run-due --queue`): plain arguments,
    its own session, the database from the worker's settings."""
    from bot import db
    from bot.settings import get_settings

    db.configure(get_settings().database_url)
    at = parse_instant(at_iso).replace(tzinfo=None) if at_iso else utcnow()
    with session_scope() as session:
        return run_due(session, at)


def reconcile_and_tell(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Settle every payment whose outcome is unknown; text the receipts now owed."""
    counts, receipts = reconcile(session, now)
    carry_out(session, receipts)
    session.commit()
    return counts
