"""`textpay run-due`: everything that falls due at a moment.

Plan installments are charged (and announced the day before), and promises
get their morning reminder or are settled as kept or broken. Safe to run as
often as you like: every step is idempotent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.payments import installments, promises


def run_due(session: Session, at: datetime) -> dict[str, object]:
    """Do everything due at `at` (naive UTC); a summary of what happened."""
    settled = installments.settle_processing(session, at)
    charged = installments.charge_due(session, at)
    notified = installments.notify_upcoming(session, at)
    promise_counts = promises.remind_and_check(session, at)
    return {
        "installments": {**charged, "settled_later": settled, "notified": notified},
        "promises": promise_counts,
    }


def run_due_job(at_iso: str | None = None) -> dict[str, object]:
    """The same, as a job the worker runs (`textpay run-due --queue`): plain arguments,
    its own session, the database from the worker's settings."""
    from bot import db
    from bot.clock import utcnow
    from bot.settings import get_settings

    db.configure(get_settings().database_url)
    at = datetime.fromisoformat(at_iso) if at_iso else utcnow()
    with session_scope() as session:
        return run_due(session, at)
